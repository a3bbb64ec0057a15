"""Coding rounds: analysts code the same quotes blind, so that their agreement can be measured.

A round's codings and tags are the coders' own, apart from the project's tags (``Tag``), which a
round never touches until the team settles a disagreement in the analysis meeting. A quote a
coder coded "none of these" is a ``RoundCoding`` without ``RoundTag`` rows; a quote without a
``RoundCoding`` of that coder is not coded by them (missing, not "no").
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class RoundStatus(models.TextChoices):
    OPEN = "open", "Open: coders are coding, blind"
    CLOSED = "closed", "Closed: figures kept, disagreements to settle"


class CodingRoundQuerySet(models.QuerySet):
    def of(self, evaluation) -> "CodingRoundQuerySet":
        return self.filter(evaluation=evaluation)

    def closed(self) -> "CodingRoundQuerySet":
        return self.filter(status=RoundStatus.CLOSED)


class CodingRound(models.Model):
    """Two or more analysts coding the same quotes of one evaluation, each blind to the others,
    until the round is closed; closing keeps its agreement figures for good (``figures``)."""

    Status = RoundStatus

    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="coding_rounds"
    )
    name = models.CharField(max_length=100)
    coders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="coding_rounds")
    # The quotes of the round; a withdrawn participant's leave it with their quotes.
    quotes = models.ManyToManyField("interviews.Quote", related_name="coding_rounds", blank=True)
    # How the quotes were chosen, in words (filters, sample size or share), and the seed that
    # makes a random sample again.
    selection = models.CharField(max_length=500, blank=True)
    seed = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default="open")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The agreement table at closing (themes.round_agreement.figures_kept): numbers, codes and
    # labels only, never words or names; it stays when quotes later leave the round.
    figures = models.JSONField(default=dict, blank=True)

    objects = CodingRoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "name"]
        permissions = [
            ("code_codinground", "Can code quotes in a coding round"),
            ("close_codinground", "Can close a coding round"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="coding_round_name_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=RoundStatus.values),
                name="coding_round_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status=RoundStatus.OPEN, closed_at__isnull=True)
                | models.Q(status=RoundStatus.CLOSED, closed_at__isnull=False),
                name="coding_round_closed_when_closed_at",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class RoundCoding(models.Model):
    """A coder has coded a quote in a round (with the tags of ``RoundTag``, or none of them)."""

    coding_round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="codings")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey(
        "interviews.Quote", on_delete=models.CASCADE, related_name="round_codings"
    )
    coded_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["coding_round", "quote", "coder"]
        constraints = [
            models.UniqueConstraint(
                fields=["coding_round", "coder", "quote"], name="round_coding_one_per_coder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coding_round_id}: quote {self.quote_id} by {self.coder_id}"


class RoundTag(models.Model):
    """A coder's tag on a quote in a round: seen by nobody else until the round is closed."""

    coding_round = models.ForeignKey(CodingRound, on_delete=models.CASCADE, related_name="tags")
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quote = models.ForeignKey("interviews.Quote", on_delete=models.CASCADE, related_name="+")
    subtheme = models.ForeignKey("themes.SubTheme", on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["coding_round", "quote", "coder", "subtheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["coding_round", "coder", "quote", "subtheme"],
                name="round_tag_one_per_coder",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coding_round_id}: quote {self.quote_id} → {self.subtheme_id}"
