"""Writes on tags and the codebook (HackSoft's services), the theme-count summary's recount
and the themes app's part of a withdrawal. The admin's actions and pages and the commands all
call these; each is one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from interviews.models import InterviewSession, Quote
from interviews.services.withdrawal import ErasedElsewhere
from themes import summary
from themes.models import Exemplar, SubTheme, Tag, Theme
from ufm.history import history_by


def _lock_quotes(quotes: Iterable[Quote]) -> dict[int, int]:
    """Lock the quotes' rows, so that two analysts tagging the same quotes at once queue up
    instead of both adding the same tag (which the unique constraint would refuse). Returns
    each quote's evaluation, by quote id in order."""
    ids = sorted({q.pk for q in quotes})
    rows = (
        Quote.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "session__evaluation_id")
    )
    return dict(rows)


def _codebook_require(pairs: Iterable[tuple[int, int]]) -> None:
    """A quote is tagged only from its own evaluation's codebook: the one rule, for every way
    of tagging. ``pairs``: (the quote's evaluation, the sub-theme's) of each tag wanted."""
    if any(
        quote_evaluation != subtheme_evaluation for quote_evaluation, subtheme_evaluation in pairs
    ):
        raise ValidationError(
            "A sub-theme of another evaluation's codebook cannot tag these quotes: tag each "
            "quote with its own evaluation's sub-themes."
        )


@history_by("user")
@transaction.atomic
def tags_add(*, quotes: Iterable[Quote], subthemes: Iterable[SubTheme], user) -> int:
    """Tag every quote with every sub-theme it does not have yet; returns how many tags were
    added. Existing tags keep who made them and when."""
    quote_evaluations = _lock_quotes(quotes)
    quote_ids = list(quote_evaluations)
    subthemes = list(subthemes)
    _codebook_require(
        (evaluation, s.evaluation_id)
        for evaluation in quote_evaluations.values()
        for s in subthemes
    )
    subtheme_ids = {s.pk for s in subthemes}
    existing = set(
        Tag.objects.filter(quote_id__in=quote_ids, subtheme_id__in=subtheme_ids).values_list(
            "quote_id", "subtheme_id"
        )
    )
    now = timezone.now()
    new = [
        Tag(quote_id=q, subtheme_id=s, tagged_by=user, tagged_at=now)
        for q in quote_ids
        for s in sorted(subtheme_ids)
        if (q, s) not in existing
    ]
    bulk_create_with_history(new, Tag, default_user=user)
    return len(new)


@transaction.atomic
def tags_remove(*, quotes: Iterable[Quote], subthemes: Iterable[SubTheme]) -> int:
    """Take these sub-themes off these quotes; returns how many tags were removed."""
    quote_ids = list(_lock_quotes(quotes))
    removed, _ = Tag.objects.filter(
        quote_id__in=quote_ids, subtheme_id__in={s.pk for s in subthemes}
    ).delete()
    return removed


@history_by("user")
@transaction.atomic
def tags_set(*, quote: Quote, subthemes: Iterable[SubTheme], user) -> tuple[int, int]:
    """Make the quote's tags exactly these sub-themes; returns (added, removed)."""
    return tags_replace(wanted={quote.pk: {s.pk for s in subthemes}}, user=user)


@history_by("user")
@transaction.atomic
def tags_replace(*, wanted: dict[int, set[int]], user) -> tuple[int, int]:
    """Make each quote's tags exactly the sub-themes given for it (quote id → sub-theme ids),
    in a few queries whatever the number of quotes. Tags kept keep who made them and when.
    Returns (added, removed)."""
    quote_evaluations = _lock_quotes(Quote(pk=pk) for pk in wanted)
    quote_ids = list(quote_evaluations)
    every_subtheme = set().union(*wanted.values()) if wanted else set()
    if every_subtheme:
        codebook_of = dict(
            SubTheme.objects.filter(pk__in=every_subtheme).values_list("pk", "evaluation_id")
        )
        _codebook_require(
            (quote_evaluations[quote], codebook_of[subtheme])
            for quote, subthemes in wanted.items()
            if quote in quote_evaluations
            for subtheme in subthemes
        )
    have: dict[int, dict[int, int]] = {}
    for tag_id, quote_id, subtheme_id in Tag.objects.filter(quote_id__in=quote_ids).values_list(
        "pk", "quote_id", "subtheme_id"
    ):
        have.setdefault(quote_id, {})[subtheme_id] = tag_id
    stale = [
        tag_id
        for quote_id, tags in have.items()
        for subtheme_id, tag_id in tags.items()
        if subtheme_id not in wanted[quote_id]
    ]
    removed = 0
    if stale:
        removed, _ = Tag.objects.filter(pk__in=stale).delete()
    now = timezone.now()
    new = [
        Tag(quote_id=quote_id, subtheme_id=subtheme_id, tagged_by=user, tagged_at=now)
        for quote_id in quote_ids
        for subtheme_id in sorted(wanted[quote_id] - set(have.get(quote_id, {})))
    ]
    bulk_create_with_history(new, Tag, default_user=user)
    return len(new), removed


@transaction.atomic
def subtheme_create(
    *, theme: Theme, code: str, label: str, description: str = "", order: int = 0
) -> SubTheme:
    subtheme = SubTheme(
        evaluation_id=theme.evaluation_id,
        theme=theme,
        code=code,
        label=label,
        description=description,
        order=order,
    )
    subtheme.full_clean()
    subtheme.save()
    return subtheme


@transaction.atomic
def subtheme_update(
    *, subtheme: SubTheme, label: str, description: str, order: int, is_active: bool
) -> SubTheme:
    """Relabel, describe, reorder, retire or bring back a sub-theme. Its code and theme never
    change here: exports and imports carry the code, and a merge moves tags properly."""
    subtheme.label = label
    subtheme.description = description
    subtheme.order = order
    subtheme.is_active = is_active
    subtheme.full_clean()
    subtheme.save(update_fields=["label", "description", "order", "is_active"])
    return subtheme


@transaction.atomic
def subtheme_retire(*, subtheme: SubTheme) -> SubTheme:
    """Hide a sub-theme when tagging. Its tags stay, in history and in exports."""
    subtheme.is_active = False
    subtheme.save(update_fields=["is_active"])
    return subtheme


@transaction.atomic
def subtheme_merge(*, source: SubTheme, target: SubTheme) -> int:
    """Merge ``source`` into ``target``: its tags move to the target (a quote tagged with
    both keeps one tag, the target's), and the source is retired, pointing at the target.
    Returns how many tags moved."""
    # Lock both rows: a merge racing another merge or a tagging of the source must wait.
    locked = {
        s.pk: s for s in SubTheme.objects.select_for_update().filter(pk__in=[source.pk, target.pk])
    }
    source, target = locked[source.pk], locked[target.pk]
    if source.pk == target.pk:
        raise ValidationError("A sub-theme cannot be merged into itself.")
    if source.merged_into_id is not None:
        raise ValidationError(f"'{source.code}' has already been merged.")
    if source.evaluation_id != target.evaluation_id:
        raise ValidationError("A sub-theme can be merged only into one of the same codebook.")
    if target.merged_into_id is not None or not target.is_active:
        raise ValidationError(f"'{target.code}' is retired or merged: choose an active sub-theme.")
    already = Tag.objects.filter(subtheme=target).values("quote_id")
    duplicates = Tag.objects.filter(subtheme=source, quote_id__in=already)
    # A quote chosen for the report through a duplicate tag stays chosen, through the target's
    # tag (unless that one is chosen already). Few rows: the choices are made one by one.
    for exemplar in Exemplar.objects.filter(tag__in=duplicates):
        kept = Tag.objects.get(subtheme=target, quote_id=exemplar.quote_id)
        if not Exemplar.objects.filter(tag=kept).exists():
            exemplar.tag = kept
            exemplar.save(update_fields=["tag"])
    # The source's tag on a quote that has the target's too is a duplicate: drop it.
    duplicates.delete()
    # One UPDATE, and each move in the tag's history: a sub-theme can carry tens of thousands
    # of tags, and a save per tag would outlast the web request.
    moving = list(Tag.objects.filter(subtheme=source).select_for_update())
    Tag.objects.filter(subtheme=source).update(subtheme=target)  # the rows locked above
    for tag in moving:
        tag.subtheme = target
    Tag.history.bulk_history_create(moving, batch_size=1000, update=True)
    moved = len(moving)
    source.merged_into = target
    source.is_active = False
    source.save(update_fields=["merged_into", "is_active"])
    return moved


@transaction.atomic
def theme_count_summary_rebuild() -> summary.Comparison:
    """Recount PostgreSQL's theme-count summary from the tags, and say what was different.
    Safe at any time: one transaction, in which taggings wait for it to finish and exports go
    on reading the rows as they were until it commits."""
    return summary.recount_and_compare()


def _quote_ids(session: InterviewSession) -> list[int]:
    """Every quote the session ever had, including ones deleted earlier (their tags' history
    still names them)."""
    live = Quote.objects.filter(session=session).values_list("pk", flat=True)
    past = Quote.history.model.objects.filter(session_id=session.pk).values_list("id", flat=True)
    return sorted(set(live) | set(past))


def tags_count_for_session(session: InterviewSession) -> ErasedElsewhere:
    """What ``tags_erase_for_session`` would delete: for the withdrawal preview."""
    return ErasedElsewhere(
        tags=Tag.objects.filter(quote__session=session).count(),
        history_rows=Tag.history.model.objects.filter(quote_id__in=_quote_ids(session)).count(),
    )


def tags_erase_for_session(session: InterviewSession) -> None:
    """Delete the tags on the session's quotes and every copy of them in the audit history: the
    themes app's part of a withdrawal (registered in ``ThemesConfig.ready``), called inside
    its transaction while the quotes are still there."""
    quote_ids = _quote_ids(session)
    Tag.objects.filter(quote__session=session).delete()
    # After the deletion, which has just written "deleted" history rows holding a final copy.
    Tag.history.model.objects.filter(quote_id__in=quote_ids).delete()
