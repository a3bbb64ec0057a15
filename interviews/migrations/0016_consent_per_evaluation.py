"""Each consent form version belongs to an evaluation: every version stored so far is
loneliness-2018's (the only evaluation before this). Labels and "the current version" are
then per evaluation."""

import django.db.models.deletion
from django.db import migrations, models


def versions_of_loneliness(apps, schema_editor):
    Evaluation = apps.get_model("interviews", "Evaluation")
    Version = apps.get_model("interviews", "ConsentFormVersion")
    first = Evaluation.objects.filter(code="loneliness-2018").first()
    if first is not None:
        Version.objects.filter(evaluation__isnull=True).update(evaluation=first)


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0015_answers_checked"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="consentformversion",
            name="consent_version_one_current",
        ),
        migrations.AddField(
            model_name="consentformversion",
            name="evaluation",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="consent_versions",
                to="interviews.evaluation",
            ),
        ),
        migrations.AddField(
            model_name="historicalconsentformversion",
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
        migrations.AlterField(
            model_name="consentformversion",
            name="label",
            field=models.CharField(max_length=30),
        ),
        migrations.AlterField(
            model_name="historicalconsentformversion",
            name="label",
            field=models.CharField(max_length=30),
        ),
        migrations.AddConstraint(
            model_name="consentformversion",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "label"), name="consent_version_label_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="consentformversion",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_current", True)),
                fields=("evaluation",),
                name="consent_version_one_current",
            ),
        ),
        migrations.RunPython(versions_of_loneliness, migrations.RunPython.noop),
    ]
