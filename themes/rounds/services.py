"""Writes on coding rounds: start, code (one quote, or a coder's file), close, and settle a
disagreement into the project's tags. Each is one transaction; the pages, the admin and
``import_tags --round`` all call these, and each raises ValidationError with words to show."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interviews.models import Quote
from interviews.services.withdrawal import ErasedElsewhere
from themes import permissions
from themes.models import CodingRound, RoundCoding, RoundTag, SubTheme, Tag
from themes.rounds.figures import round_table
from themes.services import _quote_ids, tags_replace
from ufm.history import ChangeSource, change_source, history_by
from ufm.people import display_name

MIN_CODERS = 2
# simple-history's history_change_reason holds at most this many characters.
REASON_LENGTH = 100


def may_code(user) -> bool:
    """The one rule for who may be a round's coder."""
    return user.is_active and user.has_perm(permissions.CODE_IN_ROUNDS)


def _locked(coding_round: CodingRound) -> CodingRound:
    """The round's row, locked: a coding saved while someone closes the round must wait for
    the close and then be refused, never land after the figures were kept."""
    return CodingRound.objects.select_for_update().get(pk=coding_round.pk)


def _require_open(coding_round: CodingRound) -> None:
    if not coding_round.is_open:
        raise ValidationError(
            f"The round '{coding_round.name}' is closed: its codings can no longer change."
        )


def _require_coder(coding_round: CodingRound, coder) -> None:
    if not coding_round.coders.filter(pk=coder.pk).exists():
        raise ValidationError(f"You are not one of the coders of the round '{coding_round.name}'.")


@history_by("user")
@transaction.atomic
def round_start(
    *,
    evaluation,
    name: str,
    coders: Iterable,
    quote_ids: Iterable[int],
    selection: str = "",
    seed: int | None = None,
    user,
) -> CodingRound:
    """Start an open round of ``evaluation``: two or more coders, the quotes chosen (ids of
    quotes analysts may read; ``themes.rounds.selection`` picks them)."""
    coders = list(coders)
    problems = []
    if len({c.pk for c in coders}) < MIN_CODERS:
        problems.append(f"Choose at least {MIN_CODERS} coders.")
    problems += [
        f"{display_name(c)} may not code in rounds (only analysts may)."
        for c in coders
        if not may_code(c)
    ]
    ids = set(quote_ids)
    allowed = set(
        Quote.objects.for_analysis()
        .filter(session__evaluation=evaluation, pk__in=ids)
        .values_list("pk", flat=True)
    )
    if not ids:
        problems.append("The round has no quotes: choose filters that some quotes match.")
    elif allowed != ids:
        problems.append("Some of the quotes chosen are not quotes analysts may read now.")
    coding_round = CodingRound(
        evaluation=evaluation, name=name.strip(), selection=selection, seed=seed, created_by=user
    )
    try:
        coding_round.full_clean()
    except ValidationError as error:
        problems += _messages(error)
    if problems:
        raise ValidationError(problems)
    coding_round.save()
    coding_round.coders.set(coders)
    coding_round.quotes.set(sorted(ids))
    return coding_round


def _messages(error: ValidationError) -> list[str]:
    """The messages of a model's full_clean, in words (the name's uniqueness above all)."""
    found = []
    for field, messages in error.message_dict.items():
        for message in messages:
            if "coding_round_name_unique" in message or "already exists" in message:
                message = "There is already a round of that name in this evaluation."
            elif field == "name":
                message = f"Name: {message}"
            found.append(message)
    return found


def round_subthemes(coding_round: CodingRound):
    """The sub-themes a round's coders tag with: its evaluation's, as tagging offers them."""
    return SubTheme.objects.of(coding_round.evaluation_id).for_tagging()


def _codings_replace(
    *, coding_round: CodingRound, coder, wanted: dict[int, set[int]], source: str | None = None
) -> None:
    """Make the coder's codings of these quotes exactly these tags (quote id → sub-theme ids;
    an empty set is "none of these"), in a fixed number of queries. The bulk writes send no
    signal, so they say where the change was made themselves (``source``, else the page's)."""
    source = source or change_source()
    quote_ids = sorted(wanted)
    now = timezone.now()
    again = list(
        RoundCoding.objects.filter(coding_round=coding_round, coder=coder, quote_id__in=quote_ids)
    )
    for coding in again:
        coding.coded_at = now
    RoundCoding.objects.bulk_update(again, ["coded_at"])
    # bulk_update writes no history: the rows say themselves that they were coded again.
    RoundCoding.history.bulk_history_create(
        again, update=True, default_user=coder, default_change_reason=source
    )
    have = {coding.quote_id for coding in again}
    bulk_create_with_history(
        [
            RoundCoding(coding_round=coding_round, coder=coder, quote_id=q, coded_at=now)
            for q in quote_ids
            if q not in have
        ],
        RoundCoding,
        default_user=coder,
        default_change_reason=source,
    )
    tags = RoundTag.objects.filter(coding_round=coding_round, coder=coder, quote_id__in=quote_ids)
    existing = {(q, s): pk for pk, q, s in tags.values_list("pk", "quote_id", "subtheme_id")}
    stale = [pk for (q, s), pk in existing.items() if s not in wanted[q]]
    if stale:
        # A queryset delete sends each row's delete signal, so the history records each.
        RoundTag.objects.filter(pk__in=stale).delete()
    bulk_create_with_history(
        [
            RoundTag(coding_round=coding_round, coder=coder, quote_id=q, subtheme_id=s)
            for q in quote_ids
            for s in sorted(wanted[q])
            if (q, s) not in existing
        ],
        RoundTag,
        default_user=coder,
        default_change_reason=source,
    )


@history_by("coder")
@transaction.atomic
def round_code(*, coding_round: CodingRound, coder, quote: Quote, subthemes: Iterable) -> None:
    """The coder's coding of one quote of the round: exactly these sub-themes (none: "none of
    these")."""
    coding_round = _locked(coding_round)
    _require_open(coding_round)
    _require_coder(coding_round, coder)
    if not coding_round.quotes.filter(pk=quote.pk).exists():
        raise ValidationError("This quote is not one of the round's.")
    chosen = {s.pk for s in subthemes}
    if not chosen <= set(round_subthemes(coding_round).values_list("pk", flat=True)):
        raise ValidationError("Tag with the sub-themes of this round's codebook only.")
    _codings_replace(coding_round=coding_round, coder=coder, wanted={quote.pk: chosen})


@history_by("coder")
@transaction.atomic
def round_codings_import(
    *, evaluation, name: str, coder, wanted: dict[int, set[int]]
) -> tuple[CodingRound, bool]:
    """A coder's file of codings (``import_tags --round``): the round NAME of ``evaluation``,
    made open if there is none (then returned with True); the coder becomes one of its coders
    and the file's quotes join it. ``wanted`` is checked already (``themes.tag_import``)."""
    coding_round = CodingRound.objects.filter(evaluation=evaluation, name=name).first()
    created = coding_round is None
    if created:
        coding_round = CodingRound(
            evaluation=evaluation,
            name=name,
            selection="Quotes listed in the coders' files (import_tags --round).",
            created_by=coder,
        )
        coding_round.full_clean()
        coding_round.save()
    coding_round = _locked(coding_round)
    _require_open(coding_round)
    coding_round.coders.add(coder)
    coding_round.quotes.add(*sorted(wanted))
    _codings_replace(
        coding_round=coding_round, coder=coder, wanted=wanted, source=ChangeSource.IMPORT
    )
    return coding_round, created


@history_by("user")
@transaction.atomic
def round_close(*, coding_round: CodingRound, user) -> CodingRound:
    """Close the round: its agreement table is kept for good (numbers, codes and labels), its
    codings can no longer change, and its coders' tags may be read by the team."""
    coding_round = _locked(coding_round)
    _require_open(coding_round)
    coding_round.figures = {"rows": [row.as_kept() for row in round_table(coding_round)]}
    coding_round.status = CodingRound.Status.CLOSED
    coding_round.closed_at = timezone.now()
    coding_round.closed_by = user
    coding_round.full_clean()
    coding_round.save()
    return coding_round


def settled_reason(coding_round: CodingRound, agreed_by: Iterable) -> str:
    """What the tags' history says of a settled quote: from which round, agreed by whom."""
    names = ", ".join(sorted(display_name(u) for u in agreed_by))
    reason = f"From coding round '{coding_round.name}', agreed by {names}"
    if len(reason) > REASON_LENGTH:
        reason = reason[: REASON_LENGTH - 1] + "…"
    return reason


@history_by("user")
@transaction.atomic
def round_settle(
    *, coding_round: CodingRound, quote: Quote, subthemes: Iterable, agreed_by: Iterable, user
) -> tuple[int, int]:
    """The team's final tags for a quote of a closed round: they become the project's tags
    (``tags_replace``), and each tag's history says which round and who agreed. Returns
    (added, removed)."""
    agreed_by = list(agreed_by)
    coding_round = _locked(coding_round)  # a settling waits for a close under way
    if coding_round.is_open:
        raise ValidationError("Close the round first: its coders are still coding blind.")
    if not agreed_by:
        raise ValidationError("Say who agreed these tags.")
    if not coding_round.quotes.filter(pk=quote.pk).exists():
        raise ValidationError("This quote is not one of the round's.")
    chosen = {s.pk for s in subthemes}
    if not chosen <= set(round_subthemes(coding_round).values_list("pk", flat=True)):
        raise ValidationError("Tag with the sub-themes of this round's codebook only.")
    started = timezone.now()
    added, removed = tags_replace(wanted={quote.pk: chosen}, user=user)
    # tags_replace writes history in bulk and through deletes, neither of which takes a
    # reason: name the round on the rows it has just written (the quote is locked by it, so
    # no other change to its tags can be among them).
    Tag.history.filter(quote_id=quote.pk, history_date__gte=started).update(
        history_change_reason=settled_reason(coding_round, agreed_by)
    )
    return added, removed


def round_rows_count_for_session(session) -> ErasedElsewhere:
    """What ``round_rows_erase_for_session`` would delete: for the withdrawal preview."""
    ids = _quote_ids(session)
    return ErasedElsewhere(
        tags=RoundTag.objects.filter(quote_id__in=ids).count(),
        history_rows=RoundTag.history.filter(quote_id__in=ids).count()
        + RoundCoding.history.filter(quote_id__in=ids).count(),
    )


def round_rows_erase_for_session(session) -> None:
    """A withdrawal's part in the rounds (registered in ``ThemesConfig.ready``): the codings
    and round tags of the participant's quotes, and their history. Closed rounds keep their
    figures, which are numbers only."""
    ids = _quote_ids(session)
    RoundTag.objects.filter(quote_id__in=ids).delete()
    RoundCoding.objects.filter(quote_id__in=ids).delete()
    # After the deletions, which have just written "deleted" history rows.
    RoundTag.history.filter(quote_id__in=ids).delete()
    RoundCoding.history.filter(quote_id__in=ids).delete()
