"""The quotes list's rows (themes/templatetags/quote_list.py) are the admin's own rows, cell
for cell: the same markup as ``items_for_result`` writes, for every filter, and without
calling it."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.test import RequestFactory
from django.utils.text import Truncator

from interviews.models import Quote
from tests.analysis_data import build, subtheme
from tests.factories import QuoteFactory, TagFactory
from themes.admin.quotes import first_words
from themes.templatetags import quote_list

pytestmark = pytest.mark.django_db


def changelist(user, **query):
    """The list as the admin builds it for this request, its page of results read."""
    request = RequestFactory().get("/admin/interviews/quote/", query)
    request.user = user
    model_admin = admin.site.get_model_admin(Quote)
    cl = model_admin.get_changelist_instance(request)
    cl.formset = None
    return cl


@pytest.fixture
def data(analyst):
    found = build(analyst)
    # Words that must be escaped, and sub-themes of two themes on one quote.
    session = Quote.objects.get(text="The £2 lunch club.").session
    odd = QuoteFactory(
        session=session, item="what_helped", position=1, text='<b>Me & "them"</b> — it\'s ok'
    )
    TagFactory(quote=odd, subtheme=subtheme("other_networks"), tagged_by=analyst)
    TagFactory(quote=odd, subtheme=subtheme("safe_spaces"), tagged_by=analyst)
    return found


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "lunch"},
        {"item": "companionship", "answer": "often"},
        {"tagged": "no"},
        {"theme": "settings", "o": "2"},
    ],
)
def test_each_row_is_what_the_admin_would_write(analyst, data, query, monkeypatch):
    cl = changelist(analyst, **query)
    theirs = [
        [str(cell) for cell in admin_list.items_for_result(cl, r, None)] for r in cl.result_list
    ]

    def not_used(*args, **kwargs):
        raise AssertionError("the quotes list wrote its rows with the admin's code")

    monkeypatch.setattr(quote_list, "items_for_result", not_used)
    ours = [[str(cell) for cell in row] for row in quote_list.quote_rows(cl)]
    assert ours == theirs
    if not query:
        assert len(ours) == 4 and all(len(row) == 6 for row in ours)
        assert any("&lt;b&gt;Me &amp; &quot;them&quot;&lt;/b&gt;" in row[1] for row in ours)


def test_a_list_the_rows_do_not_know_is_left_to_the_admin(analyst, data, monkeypatch):
    cl = changelist(analyst)
    cl.list_display = [*cl.list_display, "position"]  # a model field, not a method
    called = []
    monkeypatch.setattr(
        quote_list, "items_for_result", lambda *args: called.append(args) or iter(["<td></td>"])
    )
    rows = quote_list.quote_rows(cl)
    assert len(called) == len(rows) == 4


@pytest.mark.parametrize(
    "text",
    [
        "One.",
        "one two three four five six seven eight",
        "a b c d e f g h i",
        "  spaced   out  words ",
    ],
)
def test_a_checkbox_is_named_by_the_first_words_as_django_would_cut_them(text):
    assert first_words(text, 8) == Truncator(text).words(8)


def test_the_cells_are_what_format_html_would_write(analyst, data):
    """The participant, checkbox and tag cells are written without format_html (its checks
    for lazy text cost a tenth of the page): the same markup, escaped the same way."""
    from django.utils.html import format_html, format_html_join

    from themes.admin.quotes import page_tags_attach

    safe = subtheme("safe_spaces")
    safe.label = 'Safe "spaces" & it\'s <ok>'
    safe.save()
    safe.theme.label = "Settings & <places>"
    safe.theme.save()
    quote = Quote.objects.select_related("session__site").get(text__startswith="<b>Me")
    quote.session.site.label = "Pall Mall & <St James's>"
    page_tags_attach([quote])
    model_admin = admin.site.get_model_admin(Quote)
    assert model_admin.participant(quote) == format_html(
        '{}<br><span class="ufm-site">{}</span>',
        quote.session.participant_code,
        quote.session.site.label,
    )
    assert model_admin.action_checkbox(quote) == format_html(
        '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
        admin.helpers.ACTION_CHECKBOX_NAME,
        quote.pk,
        f"Select the quote “{first_words(quote.text, 8)}”",
    )
    from itertools import groupby

    expected = format_html_join(
        "",
        '<span class="ufm-chip-group"><span class="ufm-chip-theme">{}:</span> {}</span>',
        (
            (
                theme,
                format_html_join(
                    " ", '<span class="ufm-chip">{}</span>', ((label,) for _, label in group)
                ),
            )
            for theme, group in groupby(quote.tag_labels, key=lambda pair: pair[0])
        ),
    )
    shown = model_admin.tag_list(quote)
    assert shown == expected and "Settings &amp; &lt;places&gt;:" in shown
    assert "Safe &quot;spaces&quot; &amp; it&#x27;s &lt;ok&gt;" in shown
