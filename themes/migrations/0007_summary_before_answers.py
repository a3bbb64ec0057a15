"""The theme-count summary of 0003 goes before the interviews' answers change shape (interviews
0014): its functions read the old answer table and quote items. 0008 makes it again, for any
evaluation, on the new tables. PostgreSQL only, as 0003."""

import importlib

from django.db import migrations

summary = importlib.import_module("themes.migrations.0003_theme_count_summary")


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0006_exportrecord_format"),
        ("interviews", "0013_discard_permission"),
    ]
    run_before = [("interviews", "0014_answers")]

    operations = [
        migrations.RunPython(
            summary.run_on_postgresql(summary.DROP), summary.run_on_postgresql(summary.CREATE)
        )
    ]
