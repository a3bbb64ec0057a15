"""Who may export interviews not yet verified: a permission, granted to coordinators."""

from django.db import migrations

from themes.reference_data import migrate_roles


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
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
