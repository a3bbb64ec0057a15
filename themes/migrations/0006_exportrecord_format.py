"""Which format each export was made in: CSV, CSV for Excel, or an .xlsx workbook."""

from django.db import migrations, models


def from_excel(apps, schema_editor):
    ExportRecord = apps.get_model("themes", "ExportRecord")
    ExportRecord.objects.filter(excel=True).update(format="excel")


def to_excel(apps, schema_editor):
    ExportRecord = apps.get_model("themes", "ExportRecord")
    ExportRecord.objects.filter(format="excel").update(excel=True)


class Migration(migrations.Migration):
    dependencies = [("themes", "0005_export_unverified_permission")]

    operations = [
        migrations.AddField(
            model_name="exportrecord",
            name="format",
            field=models.CharField(
                choices=[
                    ("csv", "CSV"),
                    ("excel", "CSV for Excel"),
                    ("xlsx", "Excel workbook (.xlsx)"),
                ],
                default="csv",
                max_length=10,
            ),
        ),
        migrations.RunPython(from_excel, to_excel),
        migrations.RemoveField(model_name="exportrecord", name="excel"),
        migrations.AddConstraint(
            model_name="exportrecord",
            constraint=models.CheckConstraint(
                condition=models.Q(("format__in", ["csv", "excel", "xlsx"])),
                name="export_format_valid",
            ),
        ),
    ]
