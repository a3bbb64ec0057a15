"""An evaluation's codebook sheet stored as its themes and sub-themes, whenever the interviews
app stores the evaluation's workbook (``interviews.signals.evaluation_stored``)."""

from __future__ import annotations

from themes.models import SubTheme, Theme


def codebook_store(evaluation, design) -> None:
    """Make the evaluation's themes and sub-themes what the codebook sheet says, in its order.
    Rows are matched by code, so tags stay on their sub-theme; one the sheet drops is deleted
    when nothing uses it, else retired (tags, memos and their history keep it)."""
    themes = {t.code: t for t in Theme.objects.filter(evaluation=evaluation)}
    subthemes = {s.code: s for s in SubTheme.objects.filter(evaluation=evaluation)}
    order = 0
    for theme_order, new in enumerate(design.codebook, start=1):
        theme = themes.pop(new.code, None) or Theme(evaluation=evaluation, code=new.code)
        theme.label, theme.order, theme.is_active = new.label, theme_order, True
        _save(theme)
        for new_sub in new.subthemes:
            order += 1
            sub = subthemes.pop(new_sub.code, None) or SubTheme(
                evaluation=evaluation, code=new_sub.code
            )
            sub.theme, sub.label, sub.description = theme, new_sub.label, new_sub.description
            sub.order, sub.is_active = order, True
            _save(sub)
    for sub in subthemes.values():
        _retire_or_delete(
            sub, used=sub.tags.exists() or sub.merged_from.exists() or sub.memos.exists()
        )
    for theme in themes.values():
        _retire_or_delete(theme, used=theme.subthemes.exists() or theme.memos.exists())


def _retire_or_delete(row, *, used: bool) -> None:
    if used:
        row.is_active = False
        _save(row)
    else:
        row.delete()


def _save(row) -> None:
    # Codes are unique per evaluation by the database's constraint (the reader has already
    # refused a sheet that repeats one).
    row.full_clean(validate_unique=False, validate_constraints=False)
    row.save()


def codebook_on_evaluation_stored(sender, *, evaluation, design, **kwargs) -> None:
    codebook_store(evaluation, design)
