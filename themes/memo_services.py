"""Writes on memos and exemplars (HackSoft's services), and their part of a withdrawal: memos
are kept but flagged when they hold the withdrawn participant's words; exemplars go."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from interviews.models import Evaluation, InterviewSession, Quote, Withdrawal
from interviews.services.consent_gate import quotes_allowed
from interviews.services.withdrawal import ErasedElsewhere
from themes.models import Exemplar, Memo, Tag
from themes.services import _quote_ids
from ufm.history import history_by
from ufm.people import display_name

# A memo "holds a quote's words" when it has a run of this many of the quote's words in a row
# (or the whole quote, when shorter). Quotes shorter than MIN_WORDS words ("Not really.") are
# left out: the analysts' own sentences say those as often as the participants do.
RUN_WORDS = 6
MIN_WORDS = 3


NO_TARGET = {"subtheme": None, "theme": None, "question": None, "option": None}


def memo_check(
    *,
    evaluation: Evaluation,
    text: str,
    target: dict,
    seen_at: datetime.datetime | None = None,
) -> Memo | None:
    """Raise ValidationError unless this memo can be saved; return the memo there is (locked),
    None for a new one. ``target``: ``subtheme``, ``theme``, or ``question`` with ``option``
    (None: the question as a whole). ``seen_at``: when the version the writer started from was
    written (None: they saw none), so that someone else's change in between is never
    overwritten unseen. The memo page checks in its form, the service again before saving (in
    the page's transaction, so under the same locks)."""
    target = {**NO_TARGET, **target}
    _target_check(evaluation, **target)
    if not text.strip():
        raise ValidationError({"text": "Write the memo first: it cannot be empty."})
    # Lock the evaluation's row: two analysts writing the first memo of one target at once
    # queue here, and the second finds the first's memo (else the unique constraint refuses).
    Evaluation.objects.select_for_update().filter(pk=evaluation.pk).first()
    memo = Memo.objects.select_related("written_by").filter(evaluation=evaluation, **target).first()
    if memo is not None and seen_at is None:
        raise ValidationError(
            f"There is a memo on {memo.target_label} already: open it from the memos and add "
            "your words to it."
        )
    if memo is not None and memo.written_at != seen_at:
        raise ValidationError(
            f"{display_name(memo.written_by)} changed this memo at "
            f"{date_format(timezone.localtime(memo.written_at), 'j M Y H:i')}, after you "
            "opened it: read their version, then add your words to it."
        )
    return memo


@history_by("user")
@transaction.atomic
def memo_save(
    *,
    evaluation: Evaluation,
    text: str,
    user,
    target: dict,
    seen_at: datetime.datetime | None = None,
    words_checked: bool = False,
) -> Memo:
    """Write the memo of one target, or change the one there is (``memo_check`` says when it
    cannot be). ``words_checked``: the writer has taken out the words of a withdrawn
    participant the memo was flagged for."""
    target = {**NO_TARGET, **target}
    memo = memo_check(evaluation=evaluation, text=text, target=target, seen_at=seen_at)
    if memo is None:
        memo = Memo(evaluation=evaluation, **target)
    memo.text, memo.written_by, memo.written_at = text.strip(), user, timezone.now()
    if words_checked:
        memo.withdrawn_words_found_at = None
    memo.full_clean(validate_unique=False, validate_constraints=False)
    memo.save()
    return memo


def _target_check(evaluation, *, subtheme=None, theme=None, question=None, option=None) -> None:
    """One target, of this evaluation; an answer only with its own question."""
    given = [t for t in (subtheme, theme, question) if t is not None]
    if len(given) != 1 or (option is not None and question is None):
        raise ValidationError(
            "Choose what the memo is about: a sub-theme, a theme, or a question (with one of "
            "its answers, or none)."
        )
    owner = (subtheme or theme or question).evaluation_id
    if owner != evaluation.pk:
        raise ValidationError("That is part of another evaluation: write its memo there.")
    if option is not None and option.choice_list_id != question.choice_list_id:
        raise ValidationError(f"“{option.label}” is not an answer to “{question.label}”.")


# --- exemplars ------------------------------------------------------------------------------

NOT_QUOTABLE = (
    "This participant did not agree to be quoted: their words cannot be used in the report."
)
NOT_FOR_ANALYSIS = (
    "This quote cannot be used in the report: its interview is not verified yet, or the "
    "participant has withdrawn."
)


def exemplar_refusal(quote: Quote) -> str | None:
    """Why this quote cannot be chosen for the report, or None when it can. The database makes
    the same consent check (migration 0013's triggers); this says it in words first."""
    if not quotes_allowed(quote.session):
        return NOT_QUOTABLE
    if not Quote.objects.for_analysis().filter(pk=quote.pk).exists():
        return NOT_FOR_ANALYSIS
    return None


@history_by("user")
@transaction.atomic
def exemplar_choose(*, quote: Quote, user, subtheme=None) -> Exemplar:
    """Choose the quote for the report: for a sub-theme it is tagged with, or (no sub-theme)
    for its item × answer group. Choosing it again changes nothing."""
    # Lock the quote: a choice racing an untagging of it, or a withdrawal, waits for it.
    quote = Quote.objects.select_for_update(of=("self",)).select_related("session").get(pk=quote.pk)
    problem = exemplar_refusal(quote)
    if problem:
        raise ValidationError(problem)
    tag = None
    if subtheme is not None:
        tag = Tag.objects.filter(quote=quote, subtheme=subtheme).first()
        if tag is None:
            raise ValidationError(
                f"Tag this quote with “{subtheme.label}” first: a quote is chosen for a "
                "sub-theme it speaks to."
            )
    exemplar, _ = Exemplar.objects.get_or_create(
        quote=quote, tag=tag, defaults={"chosen_by": user, "chosen_at": timezone.now()}
    )
    return exemplar


@transaction.atomic
def exemplar_unchoose(*, quote: Quote, subtheme=None) -> int:
    """No longer use the quote in the report for this sub-theme (or, without one, for its item
    × answer group); returns how many choices were removed (0 or 1)."""
    found = Exemplar.objects.filter(quote=quote)
    if subtheme is None:
        found = found.filter(tag__isnull=True)
    else:
        found = found.filter(tag__subtheme=subtheme)
    removed, _ = found.delete()
    return removed


# --- withdrawal -----------------------------------------------------------------------------

_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def holds_words_of(memo_text: str, quote_text: str) -> bool:
    """Whether a memo repeats a quote's words: a run of ``RUN_WORDS`` of them in a row (the
    whole quote when it is shorter), whatever the case, spacing and punctuation."""
    quote = _words(quote_text)
    if len(quote) < MIN_WORDS:
        return False
    size = min(RUN_WORDS, len(quote))
    memo = " " + " ".join(_words(memo_text)) + " "
    return any(f" {' '.join(quote[i : i + size])} " in memo for i in range(len(quote) - size + 1))


def _memos_holding_words(session: InterviewSession) -> list[int]:
    texts = list(Quote.objects.filter(session=session).values_list("text", flat=True))
    if not texts:
        return []
    memos = Memo.objects.filter(evaluation_id=session.evaluation_id).values_list("pk", "text")
    return [pk for pk, text in memos if any(holds_words_of(text, quote) for quote in texts)]


def memos_count_for_session(session: InterviewSession) -> ErasedElsewhere:
    """For the withdrawal preview: the memos that hold the participant's words (kept, and
    flagged), and the copies of their exemplars in the audit history (deleted)."""
    return ErasedElsewhere(
        tags=0,
        history_rows=Exemplar.history.model.objects.filter(
            quote_id__in=_quote_ids(session)
        ).count(),
        memos_with_words=len(_memos_holding_words(session)),
    )


def memos_flag_for_session(session: InterviewSession) -> None:
    """The memos' and exemplars' part of a withdrawal (registered in ``ThemesConfig.ready``),
    inside its transaction while the quotes are still there: the session's exemplars and their
    history go; a memo holding the participant's words is kept, flagged for its writers. The
    flag is a date: no copy of the words is kept to say which they were."""
    quote_ids = _quote_ids(session)
    Exemplar.objects.filter(quote__session=session).delete()
    Exemplar.history.model.objects.filter(quote_id__in=quote_ids).delete()
    # A discard (a draft started by mistake, a practice interview) was never read by analysts.
    if not Withdrawal.objects.filter(session=session).exists():
        return
    flagged = _memos_holding_words(session)
    if flagged:
        # update(), not save(): no history row, which would copy the memo's text once more.
        Memo.objects.filter(pk__in=flagged).update(withdrawn_words_found_at=timezone.now())
