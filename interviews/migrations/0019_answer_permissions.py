"""The roles' permissions on the answer tables that replaced ItemAnswer, Demographics and
WeeklyContact (migration 0014): interviewers write answers and ticks, analysts and
coordinators read them (the interview record's admin shows them only to those who may)."""

from django.db import migrations

from interviews.reference_data import migrate_roles


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0018_practice_interviews"),
    ]

    operations = [
        migrations.RunPython(migrate_roles, migrations.RunPython.noop),
    ]
