"""Every interview belongs to an evaluation: the column is required once 0010 has filled it.

A migration of its own, because PostgreSQL refuses to alter a table whose rows were updated in
the same transaction while their foreign keys' deferred checks are pending."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("interviews", "0010_seed_loneliness_2018")]

    operations = [
        migrations.AlterField(
            model_name="interviewsession",
            name="evaluation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="interviews.evaluation",
            ),
        ),
    ]
