"""Seed the sites of schedule.md and consent form version v1 of consent.md."""

from django.db import migrations

from interviews.reference_data import seed_sites_and_consent


def seed(apps, schema_editor):
    seed_sites_and_consent(apps)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
