"""The report's settings, one per evaluation: its words, its recommendations linked to the
codebook's themes, the cut-offs its scores are read with, the answer shares it states, and its
small-number threshold."""

from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

DEFAULT_THRESHOLD = 5
DEFAULT_QUOTES_LIMIT = 5


class ReportSettings(models.Model):
    """What analysts write for an evaluation's report; the figures come from the data."""

    evaluation = models.OneToOneField(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="report_settings"
    )
    title = models.CharField(
        max_length=300, blank=True, help_text="Blank: the evaluation's own title."
    )
    document_details = models.TextField(
        blank=True, help_text="Who wrote it, for whom, the date and version: one line each."
    )
    introduction = models.TextField(blank=True, help_text="Paragraphs, a blank line between.")
    small_number_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_THRESHOLD,
        validators=[MinValueValidator(2)],
        help_text="Counts from 1 to one less than this are shown as “fewer than N”.",
    )
    quotes_limit = models.PositiveSmallIntegerField(
        default=DEFAULT_QUOTES_LIMIT,
        help_text="Quotes shown for each answer besides the chosen ones (“and 12 more”).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "report settings"
        verbose_name_plural = "report settings"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(small_number_threshold__gte=2),
                name="report_threshold_at_least_two",
            ),
        ]
        # Checked as the name in themes/permissions.py.
        permissions = [("view_report", "Can read and download an evaluation's report")]

    def __str__(self) -> str:
        return f"Report of {self.evaluation.code}"


class Recommendation(models.Model):
    """One of the report's recommendations, with the key themes it follows from."""

    settings = models.ForeignKey(
        ReportSettings, on_delete=models.CASCADE, related_name="recommendations"
    )
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="recommendations")

    history = HistoricalRecords(m2m_fields=[themes])

    class Meta:
        ordering = ["settings", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ScoreCutoff(models.Model):
    """How the report reads a derived score: "a score of ``at_least`` or more is counted as
    ``meaning``". The workbook has no cut-off (schedule.md: there is no standard one, and a
    report that uses one must say so), so it is the report's choice, written down here."""

    settings = models.ForeignKey(ReportSettings, on_delete=models.CASCADE, related_name="cutoffs")
    question = models.ForeignKey(
        "interviews.Question",
        on_delete=models.CASCADE,
        limit_choices_to={"kind": "calculate"},
        related_name="+",
        help_text="A derived score of the evaluation.",
    )
    at_least = models.IntegerField(help_text="The lowest score counted.")
    meaning = models.CharField(
        max_length=100, help_text="What such a score is called, e.g. lonely."
    )
    note = models.TextField(blank=True, help_text="Why this cut-off: printed beside it.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["settings", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["settings", "question"], name="report_cutoff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.at_least} or more: {self.meaning}"


class AnswerShare(models.Model):
    """A share the report states under a one-answer question's chart: the people whose answer
    is one of the list's answers in order up to and including ``up_to``, said as ``meaning``
    ("N of the M people we interviewed (x%) saw fewer than three people a week")."""

    settings = models.ForeignKey(ReportSettings, on_delete=models.CASCADE, related_name="shares")
    question = models.ForeignKey(
        "interviews.Question",
        on_delete=models.CASCADE,
        limit_choices_to={"kind": "select_one"},
        related_name="+",
        help_text="A one-answer question of the evaluation.",
    )
    up_to = models.ForeignKey(
        "interviews.AnswerOption",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name="up to",
        help_text="The answers in the list's order up to and including this one are counted.",
    )
    meaning = models.CharField(
        max_length=200, help_text="What they did, e.g. saw fewer than three people a week."
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["settings", "question__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["settings", "question", "up_to"], name="report_share_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.meaning

    def clean(self) -> None:
        """The answer must be one of the question's, and the question one-answer."""
        from django.core.exceptions import ValidationError

        question = getattr(self, "question", None) if self.question_id else None
        if question is None or not self.up_to_id:
            return
        if question.kind != "select_one":
            raise ValidationError({"question": "Choose a question with one answer."})
        if self.up_to.choice_list_id != question.choice_list_id:
            raise ValidationError({"up_to": "Choose one of this question's answers."})
