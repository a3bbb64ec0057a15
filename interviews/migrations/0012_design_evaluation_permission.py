"""Who may design an evaluation (import, publish): a permission, granted to coordinators."""

from django.db import migrations

from interviews.reference_data import migrate_roles


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0011_session_evaluation_required"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="evaluation",
            options={
                "ordering": ["code"],
                "permissions": [
                    ("design_evaluation", "Can import, publish and export an evaluation")
                ],
            },
        ),
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
