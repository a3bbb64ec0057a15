"""ThemeCountSummary follows migration 0008's table: per quote question (question_id, 0 for the
whole interview) instead of per item. State only, as 0004: Django does not follow the fields of
an unmanaged model, so the model is made again; the database is 0008's."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("themes", "0008_theme_count_summary_by_question"),
    ]

    operations = [
        migrations.DeleteModel(name="ThemeCountSummary"),
        migrations.CreateModel(
            name="ThemeCountSummary",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "session",
                        "question_id",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                (
                    "question_id",
                    models.BigIntegerField(
                        help_text="A quote question's id, or 0 for the whole interview."
                    ),
                ),
                (
                    "answer",
                    models.CharField(
                        help_text="The code of the interview's answer to the question; NULL "
                        "for the whole interview, an open question or none.",
                        max_length=100,
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
