"""Template filters for the audit history pages: who made a change, and where (``ufm.history``)."""

from django import template

from ufm import history

register = template.Library()


@register.filter
def where(reason: str | None) -> str:
    return history.change_source_label(reason)


@register.filter
def changed_by(record) -> str:
    """``{{ record|changed_by }}`` for a row of an audit history."""
    return history.changed_by(record.history_user, record.history_change_reason)
