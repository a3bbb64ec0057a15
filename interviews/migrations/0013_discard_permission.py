"""Who may discard an interview started by mistake after consent: a permission, granted to
coordinators."""

from django.db import migrations

from interviews.reference_data import migrate_roles


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0012_design_evaluation_permission"),
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
                    ("discard_interviewsession", "Can discard an interview started by mistake"),
                ],
            },
        ),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
