"""Analysts' memos on the codebook and on item × answer groups, and the quotes they choose for
the report (exemplars)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


class TargetKind(models.TextChoices):
    """What a memo or an exemplar is about. Not stored: read from which target is set."""

    SUBTHEME = "subtheme", "Sub-theme"
    THEME = "theme", "Theme"
    ANSWER = "answer", "Question and answer"


# Exactly one kind of target: a sub-theme, a theme, or a question (with one of its answers, or
# none for the question as a whole).
_ONE_TARGET = (
    Q(subtheme__isnull=False, theme__isnull=True, question__isnull=True, option__isnull=True)
    | Q(subtheme__isnull=True, theme__isnull=False, question__isnull=True, option__isnull=True)
    | Q(subtheme__isnull=True, theme__isnull=True, question__isnull=False)
)


class Memo(models.Model):
    """An analyst's notes on a sub-theme, a theme or an item × answer group ("People who
    answered 'often' could be grouped into three categories…"): one per target in each
    evaluation, edited in place, every version kept in its history (who, when).

    The analysts' words, not the participants': a withdrawal never changes one, but when a memo
    held words of the withdrawn participant's quotes, ``withdrawn_words_found_at`` says so (no
    copy of those words is kept to say which)."""

    Kind = TargetKind

    evaluation = models.ForeignKey(
        "interviews.Evaluation", on_delete=models.PROTECT, related_name="memos"
    )
    # PROTECT: a codebook sheet that drops a sub-theme or theme with a memo retires it instead
    # (themes.codebook_store), so the memo stays readable.
    subtheme = models.ForeignKey(
        "themes.SubTheme", on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    theme = models.ForeignKey(
        "themes.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="memos"
    )
    # CASCADE: only a design still being tried out drops a question or an answer (a published
    # evaluation's codes never change), and its practice interviews' words go with it.
    question = models.ForeignKey(
        "interviews.Question", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    option = models.ForeignKey(
        "interviews.AnswerOption",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="answer",
    )
    text = models.TextField("memo")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField(default=timezone.now)
    withdrawn_words_found_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "pk"]
        constraints = [
            models.CheckConstraint(condition=_ONE_TARGET, name="memo_one_target"),
            models.CheckConstraint(condition=~Q(text=""), name="memo_text_not_empty"),
            # One memo per target in each evaluation (the memo page edits the one there is).
            models.UniqueConstraint(
                fields=["evaluation", "subtheme"],
                condition=Q(subtheme__isnull=False),
                name="memo_one_per_subtheme",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "theme"],
                condition=Q(theme__isnull=False),
                name="memo_one_per_theme",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "question", "option"],
                condition=Q(question__isnull=False, option__isnull=False),
                name="memo_one_per_answer_group",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "question"],
                condition=Q(question__isnull=False, option__isnull=True),
                name="memo_one_per_question",
            ),
        ]
        # Checked as the names in themes/permissions.py.
        permissions = [("write_memos", "Can write and edit memos")]

    def __str__(self) -> str:
        return f"Memo on {self.target_label}"

    @property
    def kind(self) -> TargetKind:
        if self.subtheme_id:
            return TargetKind.SUBTHEME
        if self.theme_id:
            return TargetKind.THEME
        return TargetKind.ANSWER

    @property
    def target_key(self) -> tuple:
        """The key ``themes.memos.memos_of`` files it under: (kind, target ids)."""
        if self.subtheme_id:
            return (TargetKind.SUBTHEME.value, (self.subtheme_id,))
        if self.theme_id:
            return (TargetKind.THEME.value, (self.theme_id,))
        return (TargetKind.ANSWER.value, (self.question_id, self.option_id))

    @property
    def target_label(self) -> str:
        """What it is about, as people read it (reads the target's row unless selected)."""
        if self.subtheme_id:
            return f"sub-theme “{self.subtheme.label}”"
        if self.theme_id:
            return f"theme “{self.theme.label}”"
        if self.option_id:
            return f"“{self.question.label}” · {self.option.label}"
        return f"“{self.question.label}”"


class Exemplar(models.Model):
    """A quote an analyst chose to use in the report: for a sub-theme it is tagged with (through
    that tag: untagging the quote, or a withdrawal, removes the choice with the tag) or for its
    own item × answer group (``tag`` empty: its question and the participant's answer to it).

    Only quotes of participants who agreed to be quoted: the database refuses any other, by
    any path, and removes a participant's exemplars when their quote consent stops being a
    "yes" (triggers, migration 0013)."""

    quote = models.ForeignKey(
        "interviews.Quote", on_delete=models.CASCADE, related_name="exemplars"
    )
    tag = models.ForeignKey(
        "themes.Tag", on_delete=models.CASCADE, null=True, blank=True, related_name="exemplars"
    )
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    chosen_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["quote", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["tag"], condition=Q(tag__isnull=False), name="exemplar_one_per_tag"
            ),
            models.UniqueConstraint(
                fields=["quote"],
                condition=Q(tag__isnull=True),
                name="exemplar_one_per_quote_answer",
            ),
        ]
        # Checked as the names in themes/permissions.py.
        permissions = [("choose_exemplars", "Can choose quotes for the report")]

    def __str__(self) -> str:
        return f"Exemplar {self.quote_id} ({self.tag_id or 'answer'})"
