"""What a participant answered, for any evaluation: coded answers, ticks and quotes.

Every coded answer points at its question and at the answer option it holds. The database
itself checks that the option is one of the question's own answer list, by any path (forms, ORM
``update()``, raw admin SQL, imports): each row also holds the question's list (``choice_list``)
and two composite keys tie the three together, (question_id, choice_list_id) to the question's
(id, choice_list_id) and (choice_list_id, option_id) to the option's (choice_list_id, id).
Django 5.2 has no composite foreign keys, so migration 0014 adds them in SQL: on PostgreSQL as
FOREIGN KEY constraints; on SQLite, which cannot add a constraint to an existing table, as
BEFORE INSERT and BEFORE UPDATE triggers making the same check (``ANSWER_CHECK_TRIGGERS``). The
same migration makes a used code unchangeable: triggers refuse to change the code of an option
or a question that an answer, a tick or a quote holds (the PROTECT keys refuse deleting them).
"""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from interviews.models.evaluations import AnswerOption, ChoiceList, Question


class AnswerBase(models.Model):
    """A coded answer's keys: the interview, the question, its list and the option held."""

    session = models.ForeignKey("interviews.InterviewSession", on_delete=models.CASCADE)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    # The question's own list, copied here so that the composite keys can compare them.
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(AnswerOption, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    @property
    def code(self) -> str:
        return self.option.code


class Answer(AnswerBase):
    """The one coded answer to a ``select_one`` question (an item or a demographic). No row:
    not answered yet.

    On PostgreSQL, any change fires triggers that copy the answer onto the interview's
    theme-count summary rows (``themes.ThemeCountSummary``)."""

    history = HistoricalRecords()

    class Meta:
        default_related_name = "answers"
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="answer_one_per_question"),
        ]
        indexes = [
            # Exports and counts read every answer to one question.
            models.Index(fields=["question", "option"], name="answer_question_option_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.question_id}={self.option_id}"


class Tick(AnswerBase):
    """One tick of a ``select_multiple`` question (tick all that apply)."""

    history = HistoricalRecords()

    class Meta:
        default_related_name = "ticks"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "question", "option"], name="tick_one_per_option"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id} {self.question_id} ticked {self.option_id}"
