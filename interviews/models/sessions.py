"""The interview sessions as stored data: sites, sessions, quotes, and the events and accesses
recorded on them (the coded answers are in ``answers``).

Every coded field is backed by a named CheckConstraint so that a bad code cannot be stored by
any path (forms, ORM ``update()``, the admin, imports).
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from simple_history.models import HistoricalRecords

from interviews.models.answers import Answer
from interviews.models.codes import choice_constraint
from interviews.models.consent import ConsentResponse, Withdrawal, consent_refusals
from interviews.participant_code_format import PARTICIPANT_CODE_HELP, PARTICIPANT_CODE_PATTERN


class Site(models.Model):
    """Where interviews happen: a CMHT or community centre. Seeded from schedule.md."""

    code = models.SlugField(max_length=50, unique=True, help_text="Never changes once used.")
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive sites cannot be chosen.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "label"]

    def __str__(self) -> str:
        return self.label


class InterviewSessionQuerySet(models.QuerySet):
    def for_interviewer(self, user) -> InterviewSessionQuerySet:
        """Sessions this user runs, as either interviewer of the pair."""
        return self.filter(Q(interviewer_1=user) | Q(interviewer_2=user))

    def not_withdrawn(self) -> InterviewSessionQuerySet:
        # NOT EXISTS rather than a LEFT JOIN … IS NULL: PostgreSQL estimates the anti-join
        # well, where the other form made it expect a few hundred rows out of 56,000 and
        # choose nested loops for everything built on it (the quotes changelist, exports).
        return self.filter(~Exists(Withdrawal.objects.filter(session=OuterRef("pk"))))

    def for_analysis(self, *, include_unverified: bool = False) -> InterviewSessionQuerySet:
        """What analysts and exports see: never withdrawn, never a practice interview, and
        verified unless asked otherwise."""
        qs = self.not_withdrawn().filter(practice=False)
        if not include_unverified:
            qs = qs.filter(status=InterviewSession.Status.VERIFIED)
        return qs

    def without_refused_consent(self) -> InterviewSessionQuerySet:
        """Leave out sessions whose participant said no to a statement needed to take part."""
        return self.filter(~Exists(consent_refusals(OuterRef("pk"))))

    def with_quote_consent(self) -> InterviewSessionQuerySet:
        """Only sessions whose participant agreed to be quoted (``quote_consents``)."""
        # IN (…) rather than EXISTS: the database hashes the consents once instead of probing
        # them per session, which keeps the exports and the quotes changelist fast.
        return self.filter(
            pk__in=ConsentResponse.objects.quote_consents().values("record__session_id")
        )

    def with_scores(self, calculations) -> InterviewSessionQuerySet:
        """Annotate ``score_CODE`` for each derived score (``calculate`` question) given: the sum
        of its terms' answer scores, NULL when any term is unanswered or its answer has no
        score. SQL's NULL arithmetic blanks the sum as evaluation.md asks."""

        def term_score(term_id: int) -> Subquery:
            return Subquery(
                Answer.objects.filter(session=OuterRef("pk"), question_id=term_id).values(
                    "option__score"
                )[:1],
                output_field=IntegerField(),
            )

        annotations = {}
        for calculation in calculations:
            first, *rest = (term_score(term.id) for term in calculation.terms)
            for part in rest:
                first = first + part
            annotations[f"score_{calculation.code}"] = first
        return self.annotate(**annotations)

    def score_totals(self, calculation) -> Counter:
        """How many of these sessions have each value of a derived score, leaving out those
        whose score is blank: ``with_scores``'s rule (every term answered with a scored
        answer), counted in one query that reads each term's answers once, where
        ``with_scores`` looks them up session by session."""
        terms = [term.id for term in calculation.terms]
        if len(set(terms)) != len(terms):
            # A question summed twice: the general form.
            scored = self.with_scores([calculation]).values_list(
                f"score_{calculation.code}", flat=True
            )
            return Counter(value for value in scored if value is not None)
        per_session = (
            Answer.objects.filter(session__in=self.values("pk"), question_id__in=terms)
            .values("session_id")
            .annotate(total=Sum("option__score"), scored=Count("option__score"))
            .filter(scored=len(terms))
            .values_list("total", flat=True)
            .order_by()
        )
        return Counter(per_session)


class SessionStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Waiting for checking"
    VERIFIED = "verified", "Verified"


class SessionSource(models.TextChoices):
    APP = "app", "Entered in the app"
    IMPORT = "import", "Imported from a file"


class InterviewSession(models.Model):
    """One interview with one participant, run by a pair of peer interviewers.

    On PostgreSQL, deleting one fires a trigger that deletes its theme-count summary rows
    (``themes.ThemeCountSummary``, themes migration 0008)."""

    Status = SessionStatus
    Source = SessionSource

    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="sessions"
    )
    participant_code = models.CharField(max_length=20, unique=True, help_text=PARTICIPANT_CODE_HELP)
    interview_date = models.DateField()
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="sessions")
    interviewer_1 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    interviewer_2 = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=SessionStatus.choices, default=SessionStatus.DRAFT
    )
    # Incremented by every save of the record's content, so that two devices editing at once
    # can tell when the other has changed something (see the autosave service).
    version = models.PositiveIntegerField(default=1)
    source = models.CharField(
        max_length=10, choices=SessionSource.choices, default=SessionSource.APP
    )
    source_file = models.CharField(max_length=255, blank=True)
    practice = models.BooleanField(
        default=False,
        help_text="A practice interview, run to pre-test an evaluation being designed: never "
        "counted or exported, and deleted when the evaluation starts collecting.",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    return_note = models.TextField(
        blank=True, help_text="Why the partner sent the record back; shown to the submitter."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterviewSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-interview_date", "participant_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participant_code__regex=PARTICIPANT_CODE_PATTERN),
                name="session_participant_code_format",
            ),
            models.CheckConstraint(
                condition=~Q(interviewer_1=F("interviewer_2")),
                name="session_interviewers_differ",
            ),
            choice_constraint("status", SessionStatus, "session_status_valid"),
            choice_constraint("source", SessionSource, "session_source_valid"),
        ]
        indexes = [
            # Analysts and exports filter on status; the interviewers' home lists by status.
            models.Index(fields=["status", "interview_date"], name="session_status_date_idx"),
        ]
        # Checked as the names in interviews/permissions.py.
        permissions = [
            ("enter_interviews", "Can enter interviews, as one of a pair of interviewers"),
            ("use_admin", "Can use the analysis and coordination pages (the admin site)"),
            ("import_interviews", "Can import interviews from a file"),
            (
                "view_every_interviewsession",
                "Can see every interview record, also unverified ones and withdrawn ones",
            ),
            ("reopen_interviewsession", "Can reopen a verified interview record"),
            ("discard_interviewsession", "Can discard an interview started by mistake"),
        ]

    def __str__(self) -> str:
        return self.participant_code

    def get_absolute_url(self) -> str:
        return reverse("interviews:session", args=[self.pk])

    def status_for_people(self) -> str:
        """The status people read: the withdrawal (``Withdrawal.summary``) once the participant
        has withdrawn, whatever the record had reached, since nothing of theirs is kept."""
        try:
            withdrawal = self.withdrawal
        except Withdrawal.DoesNotExist:
            return self.get_status_display()
        return withdrawal.summary()

    def is_interviewer(self, user) -> bool:
        return user.pk in (self.interviewer_1_id, self.interviewer_2_id)

    def partner_of(self, user):
        return self.interviewer_2 if user.pk == self.interviewer_1_id else self.interviewer_1


class QuoteQuerySet(models.QuerySet):
    def for_analysis(self, *, include_unverified: bool = False) -> QuoteQuerySet:
        """The quotes analysts may read, tag and export: never of a withdrawn participant or
        one who said no to being quoted; verified sessions only unless asked otherwise."""
        # The consent check runs once per session, inside the subquery, not once per quote:
        # the database then hashes the allowed sessions and reads the quotes in one pass.
        sessions = InterviewSession.objects.for_analysis(
            include_unverified=include_unverified
        ).with_quote_consent()
        return self.filter(session__in=sessions.values("pk"))


class Quote(models.Model):
    """The participant's own words, typed exactly as said, for a question that takes quotes (a
    ``select_one`` with ``ufm_quotes`` or a ``text`` question).

    On PostgreSQL, deleting one or moving it to another interview or question fires triggers that
    recount the theme counts of its interview (``themes.ThemeCountSummary``, migration 0008)."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="quotes")
    # PROTECT: a question goes only with its evaluation's quotes (and a used one never goes).
    question = models.ForeignKey(
        "interviews.Question", on_delete=models.PROTECT, related_name="quotes"
    )
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "question", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
            # interviews.csv holds "one quote a line", so a quote is one line: a line break
            # inside one would come back from a round trip as two quotes.
            models.CheckConstraint(
                condition=~Q(text__contains="\n") & ~Q(text__contains="\r"),
                name="quote_text_single_line",
            ),
        ]
        indexes = [
            # Every page and export reads a session's quotes question by question, in order.
            models.Index(
                fields=["session", "question", "position"], name="quote_session_question_idx"
            ),
        ]
        # Checked as the names in interviews/permissions.py.
        permissions = [("review_identifiers", "Can review quotes that may identify someone")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.question_id} #{self.position}"


class SessionEventKind(models.TextChoices):
    STARTED = "started", "Started"
    SUBMITTED = "submitted", "Submitted for checking"
    RETURNED = "returned", "Returned to the submitter"
    VERIFIED = "verified", "Verified"
    REOPENED = "reopened", "Reopened by a coordinator"
    IMPORTED = "imported", "Imported from a file"


class SessionEvent(models.Model):
    """A step in a session's life that people need to read later: submitted, returned with a
    note, verified, reopened with a reason."""

    Kind = SessionEventKind

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=SessionEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["session", "at", "pk"]
        constraints = [choice_constraint("kind", SessionEventKind, "session_event_kind_valid")]

    def __str__(self) -> str:
        return f"{self.session_id} {self.kind}"


class SessionAccess(models.Model):
    """Who opened which session, and when: the access log coordinators can audit."""

    session = models.ForeignKey(InterviewSession, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    path = models.CharField(max_length=300)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "session accesses"
        indexes = [
            # The coordinators' audit view lists one session's accesses, newest first.
            models.Index(fields=["session", "-at"], name="access_session_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} opened {self.session_id} at {self.at:%Y-%m-%d %H:%M}"
