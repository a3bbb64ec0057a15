"""An evaluation's stored design: the evaluation, sections, questions, answer lists, scores.

What the workbook of shared/spec/evaluation.md says, as rows, so that answers can reference
them. The consent sheet and the codebook sheet are kept as the workbook's rows (JSON) until the
consent forms and the themes app store them per evaluation.

Answers will reference an option through two composite keys, (question_id, choice_list_id) to
``Question`` and (choice_list_id, option_id) to ``AnswerOption``: the two unique pairs below are
what they point at, so that the database itself checks that an answer's code is one of its own
question's list. Django 5.2 has no composite foreign keys, so the answers' migration adds them in
SQL: on PostgreSQL a FOREIGN KEY (…) REFERENCES (…) constraint; on SQLite, which cannot add a
constraint to an existing table (and whose table rebuilds by Django's schema editor would drop
one written by hand), BEFORE INSERT and BEFORE UPDATE triggers making the same check. Lists are
named and shared (as on the choices sheet) rather than copied per question, so that a workbook
is stored as it reads and written back the same.
"""

from __future__ import annotations

import uuid

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from interviews.models.codes import choice_constraint
from interviews.workbooks.design import DEFAULT_PARTICIPANT_CODE, DEFAULT_WITHDRAWAL_DAYS
from interviews.workbooks.rules import FORM_ID


class EvaluationStatus(models.TextChoices):
    DESIGN = "design", "Being designed"
    COLLECTING = "collecting", "Collecting interviews"
    ANALYSING = "analysing", "Being analysed"
    CLOSED = "closed", "Closed"


class EvaluationQuerySet(models.QuerySet):
    def collecting(self) -> EvaluationQuerySet:
        return self.filter(status=EvaluationStatus.COLLECTING)

    def open_for_interviews(self) -> EvaluationQuerySet:
        """Where an interview may be started: collecting, or being designed (a practice one),
        collecting ones first."""
        return self.filter(
            status__in=[EvaluationStatus.COLLECTING, EvaluationStatus.DESIGN]
        ).order_by("status", "title")  # "collecting" before "design"

    def current(self) -> Evaluation:
        """The evaluation new interviews belong to: the one collecting. Publishing refuses a
        second while entry, exports and counts are those of the loneliness study only."""
        return self.get(status=EvaluationStatus.COLLECTING)


class Evaluation(models.Model):
    """One study (loneliness in 2018, crisis care in 2026): its code, title and status, and
    the settings of its workbook."""

    Status = EvaluationStatus

    code = models.CharField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(FORM_ID, "2 to 40 of a-z, 0-9 and '-'.")],
        help_text="The workbook's form_id. Never changes.",
    )
    title = models.CharField(max_length=300)
    status = models.CharField(
        max_length=20, choices=EvaluationStatus.choices, default=EvaluationStatus.DESIGN
    )
    version = models.CharField("schedule version", max_length=100)
    participant_code = models.CharField(
        "participant code pattern", max_length=300, default=DEFAULT_PARTICIPANT_CODE
    )
    withdrawal_days = models.PositiveSmallIntegerField(default=DEFAULT_WITHDRAWAL_DAYS)
    consent_version = models.CharField(max_length=20)
    information_sheet_date = models.DateField(null=True, blank=True)
    # The consent and codebook sheets' rows as the workbook has them (see the module docstring).
    consent = models.JSONField(default=list, blank=True)
    codebook = models.JSONField(default=list, blank=True)
    # Renewed whenever the design's rows are written, so that a schedule read from them can be
    # kept in memory under (pk, design_revision) and never be read stale (interviews.schedules).
    design_revision = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [choice_constraint("status", EvaluationStatus, "evaluation_status_valid")]
        # Checked as the name in interviews/permissions.py.
        permissions = [("design_evaluation", "Can import, publish and export an evaluation")]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"

    @property
    def interviews_are_practice(self) -> bool:
        """The one rule: an interview of an evaluation being designed is a practice one (by
        data entry or by import), never counted or exported, deleted when it is published."""
        return self.status == EvaluationStatus.DESIGN


class SectionPartChoice(models.TextChoices):
    SCHEDULE = "schedule", "Schedule"
    DEMOGRAPHICS = "demographics", "Demographics"


class Section(models.Model):
    """A begin_group of the survey: one page of the interview."""

    Part = SectionPartChoice

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    part = models.CharField(max_length=20, choices=SectionPartChoice.choices)
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="section_code_unique"),
            choice_constraint("part", SectionPartChoice, "section_part_valid"),
        ]

    def __str__(self) -> str:
        return self.title


class ChoiceList(models.Model):
    """A named answer list of the choices sheet, shared by the questions that name it."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="choice_lists"
    )
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "name"], name="choice_list_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class QuestionKindChoice(models.TextChoices):
    SELECT_ONE = "select_one", "One answer"
    SELECT_MULTIPLE = "select_multiple", "Tick all that apply"
    TEXT = "text", "Open, in quotes"
    NOTE = "note", "Words shown"
    CALCULATE = "calculate", "Derived score"


SELECT_KINDS = (QuestionKindChoice.SELECT_ONE, QuestionKindChoice.SELECT_MULTIPLE)


class Question(models.Model):
    """A survey row inside a section: a question, a note or a derived score."""

    Kind = QuestionKindChoice

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    code = models.CharField(max_length=100)
    label = models.TextField()
    hint = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKindChoice.choices)
    takes_quotes = models.BooleanField(default=False)
    required = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(help_text="Its place in the whole survey.")
    # RESTRICT: a list goes only with the questions that use it (as when its evaluation goes).
    choice_list = models.ForeignKey(
        ChoiceList, on_delete=models.RESTRICT, null=True, blank=True, related_name="questions"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "code"], name="question_code_unique"),
            # What an answer's composite foreign key (question_id, choice_list_id) points at.
            models.UniqueConstraint(fields=["id", "choice_list"], name="question_list_pair"),
            choice_constraint("kind", QuestionKindChoice, "question_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind__in=SELECT_KINDS, choice_list__isnull=False)
                | (~Q(kind__in=SELECT_KINDS) & Q(choice_list__isnull=True)),
                name="question_list_iff_select",
            ),
            # Quotes belong to one-answer questions (alongside the code) and open questions.
            models.CheckConstraint(
                condition=Q(takes_quotes=False)
                | Q(kind__in=[QuestionKindChoice.SELECT_ONE, QuestionKindChoice.TEXT]),
                name="question_quotes_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CalculationTerm(models.Model):
    """One ``${name}`` of a calculate row: the select_one question whose answer's score it sums."""

    calculation = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="terms")
    # RESTRICT: a question goes only with the scores that sum it (or with its evaluation).
    term = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="+")
    position = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["calculation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["calculation", "position"], name="calculation_term_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"${{{self.term.code}}}"


class AnswerOption(models.Model):
    """An answer of a list: the code stored, the label people read, its place and its score
    (None for answers such as no_answer, which blank a derived score)."""

    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(max_length=100)
    label = models.TextField()
    position = models.PositiveSmallIntegerField()
    score = models.IntegerField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["choice_list", "position"]
        constraints = [
            models.UniqueConstraint(fields=["choice_list", "code"], name="answer_option_unique"),
            # What an answer's composite foreign key (choice_list_id, option_id) points at.
            models.UniqueConstraint(fields=["choice_list", "id"], name="answer_option_list_pair"),
        ]

    def __str__(self) -> str:
        return self.label
