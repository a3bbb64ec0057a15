"""The coordinators' view of log-in lock-outs, and their permission to unlock an account."""

from django.db import migrations

from interviews.reference_data import migrate_roles


class Migration(migrations.Migration):
    dependencies = [
        ("axes", "0010_accessattemptexpiration"),
        ("interviews", "0006_account_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="LogInLockout",
            fields=[],
            options={
                "verbose_name": "log-in lock-out",
                "verbose_name_plural": "log-in lock-outs",
                "permissions": [
                    ("unlock_loginlockout", "Can unlock an account locked out after failed log-ins")
                ],
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("axes.accessattempt",),
        ),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
