"""Each evaluation has its own codebook: the themes and sub-themes stored so far are
loneliness-2018's (the only evaluation before this); codes are then unique per evaluation."""

import django.db.models.deletion
from django.db import migrations, models


def codebook_of_loneliness(apps, schema_editor):
    Evaluation = apps.get_model("interviews", "Evaluation")
    first = Evaluation.objects.filter(code="loneliness-2018").first()
    if first is None:
        return
    for model in ("Theme", "SubTheme"):
        apps.get_model("themes", model).objects.filter(evaluation__isnull=True).update(
            evaluation=first
        )


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0018_practice_interviews"),
        ("themes", "0009_theme_count_summary_model_by_question"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsubtheme",
            name="evaluation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.evaluation",
            ),
        ),
        migrations.AddField(
            model_name="historicaltheme",
            name="evaluation",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="interviews.evaluation",
            ),
        ),
        migrations.AddField(
            model_name="subtheme",
            name="evaluation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="subthemes",
                to="interviews.evaluation",
            ),
        ),
        migrations.AddField(
            model_name="theme",
            name="evaluation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="themes",
                to="interviews.evaluation",
            ),
        ),
        migrations.AlterField(
            model_name="subtheme",
            name="code",
            field=models.SlugField(help_text="Never changes once used."),
        ),
        migrations.AlterField(
            model_name="theme",
            name="code",
            field=models.SlugField(help_text="Never changes once used."),
        ),
        migrations.AddConstraint(
            model_name="subtheme",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "code"), name="subtheme_code_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="theme",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "code"), name="theme_code_unique"
            ),
        ),
        migrations.RunPython(codebook_of_loneliness, migrations.RunPython.noop),
    ]
