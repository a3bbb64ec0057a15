"""Consent as stored data: the form versions and their statements, each participant's consent
record and answers, and withdrawals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from interviews.models.codes import choice_constraint


def consent_refusals(session_ref) -> models.QuerySet:
    """The "no"s to statements needed to take part in a session's consent (``session_ref``: a
    pk or OuterRef): with any, the participant refused, and no export ever includes them."""
    # Only answers of "no": reading the few of them stays cheap over every interview, where
    # looking for statements without a "yes" would read every answer, once per query of an
    # export. No path of the app records a consent without an answer to every statement.
    return ConsentResponse.objects.filter(
        record__session=session_ref, statement__required=True, agreed=False
    )


class ConsentFormVersion(models.Model):
    """A version of an evaluation's consent form. Once a consent record uses it, it is
    read-only: retire it and add a new one."""

    # PROTECT: an evaluation keeps every form its participants heard.
    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="consent_versions"
    )
    label = models.CharField(max_length=30)
    information_sheet_date = models.DateField()
    withdrawal_window_days = models.PositiveSmallIntegerField(default=14)
    is_current = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "label"], name="consent_version_label_unique"
            ),
            # Only one version of an evaluation is offered for new consents at a time.
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=Q(is_current=True),
                name="consent_version_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class ConsentStatement(models.Model):
    """One statement of a consent form version, read aloud and answered yes or no."""

    QUOTES_CODE = "quotes"

    form_version = models.ForeignKey(
        ConsentFormVersion, on_delete=models.CASCADE, related_name="statements"
    )
    code = models.SlugField(max_length=30)
    text = models.TextField()
    required = models.BooleanField(
        default=True, help_text="Required to take part: a 'no' ends the session."
    )
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["form_version", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_version", "code"], name="statement_code_unique_per_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_version.label}: {self.code}"


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", "Signed paper form"
    VERBAL = "verbal", "Verbal consent recorded by both interviewers"


class ConsentRecord(models.Model):
    """The consent taken for one session: both interviewers confirm (the second is witness)."""

    Method = ConsentMethod

    session = models.OneToOneField(
        "interviews.InterviewSession", on_delete=models.CASCADE, related_name="consent"
    )
    form_version = models.ForeignKey(
        ConsentFormVersion, on_delete=models.PROTECT, related_name="records"
    )
    consent_date = models.DateField()
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            choice_constraint("method", ConsentMethod, "consent_method_valid"),
            models.CheckConstraint(
                condition=~Q(recorded_by=F("witness")), name="consent_witness_differs"
            ),
        ]

    def __str__(self) -> str:
        return f"Consent for {self.session_id} ({self.form_version_id})"


class ConsentResponseQuerySet(models.QuerySet):
    def to_quotes(self) -> ConsentResponseQuerySet:
        """The answers, yes or no, to the quotes statement ("may we quote your words?")."""
        return self.filter(statement__code=ConsentStatement.QUOTES_CODE)

    def quote_consents(self) -> ConsentResponseQuerySet:
        """Quote consent, the one rule: a "yes" to the quotes statement. Without it a
        participant's words are never stored, shown or exported; the consent gate, the
        analysts' lists and both export paths (``themes.exports_pg`` compiles this query into
        its COPY) all read it from here."""
        return self.to_quotes().filter(agreed=True)


class ConsentResponse(models.Model):
    """The participant's yes or no to one statement."""

    record = models.ForeignKey(ConsentRecord, on_delete=models.CASCADE, related_name="responses")
    statement = models.ForeignKey(
        ConsentStatement, on_delete=models.PROTECT, related_name="responses"
    )
    agreed = models.BooleanField()

    objects = ConsentResponseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["record", "statement"], name="response_one_per_statement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement.code}: {'yes' if self.agreed else 'no'}"


class Withdrawal(models.Model):
    """A participant's withdrawal. The session keeps only its code, consent and this record."""

    session = models.OneToOneField(
        "interviews.InterviewSession", on_delete=models.PROTECT, related_name="withdrawal"
    )
    withdrawal_date = models.DateField()
    how_requested = models.CharField(max_length=200)
    # Empty only when recorded with `manage.py withdraw` without --user: exchange.md's command
    # line names no account, and the person at the server's shell has none in the app.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Withdrawal of {self.session}"

    def summary(self) -> str:
        """``Withdrawn on 3 May 2018 (asked for: phone)``: what a withdrawn participant's record
        says wherever its status would be shown."""
        day = date_format(self.withdrawal_date, "j F Y")
        return f"Withdrawn on {day} (asked for: {self.how_requested})"
