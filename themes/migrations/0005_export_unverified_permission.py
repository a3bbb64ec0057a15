"""Who may export interviews not yet verified: a permission, granted to coordinators."""

from django.db import migrations

from interviews.reference_data import create_roles


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make this one now to grant it.
    app_config = apps.get_app_config("themes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    create_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0004_theme_count_summary_model"),
        # The roles, as groups, and the last migration that set their permissions.
        ("interviews", "0007_loginlockout"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="exportrecord",
            options={
                "ordering": ["-made_at"],
                "permissions": [("export_unverified", "Can export interviews not yet verified")],
            },
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
