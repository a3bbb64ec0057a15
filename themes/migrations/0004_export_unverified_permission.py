"""Who may export interviews not yet verified: a permission, granted to coordinators."""

from django.db import migrations

from interviews.reference_data import grant_permissions


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally made after all migrations; make this one now to grant it.
    app_config = apps.get_app_config("themes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    grant_permissions(apps, {"coordinator": ["themes.export_unverified"]})


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0003_theme_count_summary"),
        # The roles, as groups.
        ("interviews", "0003_roles"),
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
