"""The permissions that say who may enter interviews, use the admin, import, see every record,
reopen one and review quotes for identifiers, given to the roles (interviews/permissions.py)."""

from django.db import migrations

from interviews.reference_data import migrate_roles


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0007_loginlockout"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="interviewsession",
            options={
                "ordering": ["-interview_date", "participant_code"],
                "permissions": [
                    ("enter_interviews", "Can enter interviews, as one of a pair of interviewers"),
                    ("use_admin", "Can use the analysis and coordination pages (the admin site)"),
                    ("import_interviews", "Can import interviews from a file"),
                    (
                        "view_every_interviewsession",
                        "Can see every interview record, also unverified ones and withdrawn ones",
                    ),
                    ("reopen_interviewsession", "Can reopen a verified interview record"),
                ],
            },
        ),
        migrations.AlterModelOptions(
            name="quote",
            options={
                "ordering": ["session", "item", "position", "pk"],
                "permissions": [
                    ("review_identifiers", "Can review quotes that may identify someone")
                ],
            },
        ),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
