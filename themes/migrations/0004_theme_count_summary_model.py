"""ThemeCountSummary: migration 0003's summary table, known to Django but not managed by it.

Creates nothing in the database. Django leaves the foreign key to the interview out of the
state of an unmanaged model, so it is not here either.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0003_theme_count_summary"),
    ]

    operations = [
        migrations.CreateModel(
            name="ThemeCountSummary",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "session",
                        "item",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "item",
                    models.CharField(
                        help_text="A quote item, or '' for the interview.", max_length=20
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        help_text="The interview's answer to the item; NULL for '', an open question or none.",
                        max_length=20,
                        null=True,
                    ),
                ),
                (
                    "subtheme_quotes",
                    models.DecimalField(
                        decimal_places=0,
                        help_text="Quotes tagged with each sub-theme (packed).",
                        max_digits=1000,
                    ),
                ),
                (
                    "subtheme_people",
                    models.DecimalField(
                        decimal_places=0,
                        help_text="1 for each sub-theme on any of those quotes (packed).",
                        max_digits=1000,
                    ),
                ),
                (
                    "theme_quotes",
                    models.DecimalField(
                        decimal_places=0,
                        help_text="Quotes with any sub-theme of each theme (packed).",
                        max_digits=1000,
                    ),
                ),
                (
                    "theme_people",
                    models.DecimalField(
                        decimal_places=0,
                        help_text="1 for each theme on any of those quotes (packed).",
                        max_digits=1000,
                    ),
                ),
            ],
            options={
                "db_table": "themes_theme_count_summary",
                "managed": False,
                "default_permissions": (),
            },
        ),
    ]
