"""Seed the four themes and twelve sub-themes of codebook.md."""

from django.db import migrations

from themes.reference_data import seed_codebook


def seed(apps, schema_editor):
    seed_codebook(apps)


class Migration(migrations.Migration):
    dependencies = [("themes", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
