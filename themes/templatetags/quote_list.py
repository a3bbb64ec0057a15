"""The quotes list's rows, written as the admin's own ``result_list`` writes them, cell for
cell, without its per-cell lookups: a hundred rows of six cells cost the admin a third of the
page's time (bench/RESULTS.md). tests/test_quote_list_rows.py compares both."""

from __future__ import annotations

from html import escape

from django import template
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _coerce_field_name,
    items_for_result,
    result_headers,
    result_hidden_fields,
)
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def quote_rows(cl) -> list[ResultList]:
    """Each row's cells, as ``items_for_result`` would give them for this list: every column
    a method of the admin (or the selection checkbox), the first linked one in ``<th>``, links
    named, no editable cells. Any other list is left to the admin's own code."""
    admin = cl.model_admin
    if (
        cl.formset
        or cl.is_popup
        or not cl.list_display_links  # then the admin links the first column, or none
        or not all(
            name == "action_checkbox" or callable(getattr(admin, name, None))
            for name in cl.list_display
        )
    ):
        return [ResultList(None, items_for_result(cl, result, None)) for result in cl.result_list]
    empty = admin.get_empty_value_display()
    columns = []
    first_link = True
    for index, name in enumerate(cl.list_display):
        linked = name in cl.list_display_links
        tag = "td"
        if linked and first_link:
            tag, first_link = "th", False
        css = f"field-{_coerce_field_name(name, index)}"
        if name == "action_checkbox":
            css = "action-checkbox"
        columns.append((getattr(admin, name), linked, f'<{tag} class="{css}">', f"</{tag}>"))
    rows = []
    for result in cl.result_list:
        cells = []
        for method, linked, start, end in columns:
            value = method(result)
            if value is None or (isinstance(value, str) and value.strip() == ""):
                value = empty
            shown = conditional_escape(str(value))
            if linked:
                # As format_html('<a href="{}">{}</a>', …) writes it (Django's escape is
                # html.escape), without its checks for lazy text in each row.
                shown = f'<a href="{escape(cl.url_for_result(result))}">{shown}</a>'
            cells.append(mark_safe(f"{start}{shown}{end}"))
        rows.append(ResultList(None, cells))
    return rows


def quote_result_list(cl) -> dict:
    """What the admin's ``result_list`` gives its template, with the rows above."""
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": quote_rows(cl),
    }


@register.tag(name="quote_result_list")
def quote_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser, token, func=quote_result_list, template_name="change_list_results.html",
        takes_context=False,
    )  # fmt: skip
