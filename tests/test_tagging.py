"""Tagging quotes in the admin, the codebook services, and who may do what."""

import pytest
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from interviews.models import Quote
from tests.analysis_data import build, interview, subtheme
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory
from themes import services
from themes.models import SubTheme, Tag

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counts_stamp_row")]

CHANGELIST = "admin:interviews_quote_changelist"


@pytest.fixture
def data(analyst):
    return build(analyst)


def quotes_on_page(response) -> list[Quote]:
    return list(response.context["cl"].result_list)


# --- services ------------------------------------------------------------------------------


def test_tags_add_records_who_and_when_and_never_duplicates(data, analyst, coordinator):
    q1, q2, *_ = data["quotes"]
    added = services.tags_add(
        quotes=[q1, q2], subthemes=[subtheme("safe_spaces"), subtheme("diverse_groups")],
        user=coordinator,
    )  # fmt: skip
    # q1 had safe_spaces already: 3 new tags, not 4.
    assert added == 3
    assert Tag.objects.filter(quote=q1, subtheme__code="safe_spaces").get().tagged_by == analyst
    new = Tag.objects.get(quote=q2, subtheme__code="diverse_groups")
    assert new.tagged_by == coordinator and new.tagged_at is not None
    assert new.history.count() == 1


def test_tags_remove_takes_only_the_chosen_subthemes_off(data):
    q1, *_ = data["quotes"]
    assert services.tags_remove(quotes=[q1], subthemes=[subtheme("safe_spaces")]) == 1
    assert list(q1.tags.values_list("subtheme__code", flat=True)) == ["living_with_others"]


def test_merge_moves_tags_and_keeps_one_where_a_quote_had_both(data):
    q1, q2, *_ = data["quotes"]
    moved = services.subtheme_merge(
        source=subtheme("living_with_others"), target=subtheme("safe_spaces")
    )
    assert moved == 0  # q1's only living_with_others tag was a duplicate of its safe_spaces
    assert list(q1.tags.values_list("subtheme__code", flat=True)) == ["safe_spaces"]
    moved = services.subtheme_merge(
        source=subtheme("other_networks"), target=subtheme("safe_spaces")
    )
    assert moved == 1
    assert list(q2.tags.values_list("subtheme__code", flat=True)) == ["safe_spaces"]
    merged = subtheme("other_networks")
    assert merged.merged_into == subtheme("safe_spaces") and not merged.is_active
    assert merged not in SubTheme.objects.for_tagging()


def test_merge_records_each_moved_tag_in_history_with_who_merged(data, analyst, coordinator):
    from ufm.history import history_user

    moving = [
        TagFactory(quote=QuoteFactory(session=data["sessions"][0]), tagged_by=analyst,
                   subtheme=subtheme("diverse_groups"))
        for _ in range(3)
    ]  # fmt: skip
    with history_user(coordinator):
        moved = services.subtheme_merge(
            source=subtheme("diverse_groups"), target=subtheme("other_networks")
        )
    assert moved == 3
    for tag in moving:
        latest = tag.history.latest()
        assert latest.history_type == "~"
        assert latest.subtheme == subtheme("other_networks")
        assert latest.history_user == coordinator
        assert tag.history.count() == 2


def test_merge_refuses_itself_and_merged_targets(data):
    with pytest.raises(ValidationError):
        services.subtheme_merge(source=subtheme("safe_spaces"), target=subtheme("safe_spaces"))
    services.subtheme_merge(source=subtheme("other_networks"), target=subtheme("safe_spaces"))
    with pytest.raises(ValidationError):
        services.subtheme_merge(
            source=subtheme("diverse_groups"), target=subtheme("other_networks")
        )


def test_retire_hides_when_tagging_and_keeps_tags(data):
    services.subtheme_retire(subtheme=subtheme("safe_spaces"))
    assert subtheme("safe_spaces") not in SubTheme.objects.for_tagging()
    assert Tag.objects.filter(subtheme__code="safe_spaces").count() == 4


# --- the quotes changelist -------------------------------------------------------------------


def test_analysts_see_only_verified_consented_not_withdrawn_quotes(client, analyst, data):
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 200
    assert quotes_on_page(response) == data["quotes"][:3]
    assert b"SECRET" not in response.content and b"WITHDRAWN" not in response.content
    # The tags as chips under their theme's name (tests/test_quotes_list_words.py).
    assert b'<span class="ufm-chip">Safe spaces</span>' in response.content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"tagged": "no"}, []),
        ({"answer": "often"}, [0, 1]),
        ({"answer": "none"}, [2]),
        ({"item": "what_helped"}, [2]),
        ({"subtheme": "other_networks"}, [1]),
        ({"site": "pall_mall"}, [0, 1, 2]),
        ({"site": "oremi_centre"}, []),
        # Made-up values (a hand-edited address) find nothing; they never fail.
        ({"theme": "people-and-more"}, []),
        ({"subtheme": "17"}, []),
        ({"site": "nowhere"}, []),
        ({"borough": "westminster"}, [0, 1, 2]),
        ({"borough": "other"}, []),
        ({"q": "lunch"}, [2]),
    ],
)
def test_changelist_filters(client, analyst, data, query, expected):
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST), query)
    assert quotes_on_page(response) == [data["quotes"][i] for i in expected]


@pytest.mark.parametrize(
    "query",
    [{}, {"answer": "often", "site": "pall_mall"}, {"q": "lunch"}, {"p": "1"}],
)
def test_each_row_links_to_its_tagging_page_as_the_admin_would_link_it(
    client, analyst, data, query
):
    # The list builds its rows' addresses once per page (QuoteChangeList): they are the ones
    # the admin's own add_preserved_filters gives, filters and all.
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST), query)
    quotes = quotes_on_page(response)
    assert quotes, "the rows whose links are checked"
    preserved = urlencode({"_changelist_filters": urlencode(query)}) if query else ""
    for quote in quotes:
        expected = add_preserved_filters(
            {"preserved_filters": preserved, "opts": Quote._meta},
            reverse("admin:interviews_quote_change", args=(quote.pk,)),
        )
        assert f'<a href="{expected.replace("&", "&amp;")}">'.encode() in response.content
        if query:
            assert "?_changelist_filters=" in expected


def test_theme_filter_lists_a_quote_with_two_of_its_subthemes_once(client, analyst, data):
    client.force_login(analyst)
    settings_theme = subtheme("safe_spaces").theme
    response = client.get(reverse(CHANGELIST), {"theme": settings_theme.code})
    assert quotes_on_page(response) == [data["quotes"][0], data["quotes"][2]]


def make_quotes(n: int, prefix: str) -> None:
    pair = (InterviewerFactory(), InterviewerFactory())
    for i in range(n):
        session = interview(f"{prefix}-{i:03d}", pair=pair, answers={"companionship": "often"})
        quote = QuoteFactory(session=session)
        TagFactory(quote=quote, subtheme=subtheme("safe_spaces"))
        TagFactory(quote=quote, subtheme=subtheme("diverse_groups"))


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(CHANGELIST)).status_code == 200
    return len(ctx.captured_queries)


def test_changelist_query_count_is_pinned_and_independent_of_rows(client, analyst):
    client.force_login(analyst)
    make_quotes(1, "ONE")
    one = changelist_queries(client)
    make_quotes(30, "MORE")
    # log-in session, user, their roles and permissions (3); the current evaluation, whose
    # schedule (kept in memory) gives the question, answer and demographic filters (1); the
    # choices of the theme, sub-theme and site filters (3); count, the page of quotes with
    # their coded answer by subquery, their tags (3); the counts stamp, read before counting
    # (1), and on PostgreSQL the lock taken while counting (2).
    assert changelist_queries(client) == one == (13 if connection.vendor == "postgresql" else 11)
    # The next page of the same list: its count is kept (the stamp is read, nothing counted).
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(CHANGELIST), {"p": "1"}).status_code == 200
    assert len(ctx.captured_queries) == 10
    assert not any("COUNT(" in q["sql"] for q in ctx.captured_queries)


def test_the_kept_count_of_the_list_follows_every_change(client, analyst):
    client.force_login(analyst)
    make_quotes(2, "ONE")
    first = client.get(reverse(CHANGELIST)).context["cl"].result_count
    make_quotes(1, "MORE")
    assert client.get(reverse(CHANGELIST)).context["cl"].result_count == first + 1


# --- tagging pages -------------------------------------------------------------------------


def test_add_tags_action_shows_subthemes_grouped_then_tags(client, analyst, data):
    q1, q2, *_ = data["quotes"]
    client.force_login(analyst)
    post = {"action": "add_tags", "_selected_action": [q1.pk, q2.pk]}
    page = client.post(reverse(CHANGELIST), post)
    assert page.status_code == 200
    assert b'<legend class="ufm-theme-legend">Activities</legend>' in page.content
    assert b"wanting more or different groups" in page.content
    diverse = subtheme("diverse_groups")
    done = client.post(reverse(CHANGELIST), {**post, "apply": "yes", "subthemes": [diverse.pk]})
    assert done.status_code == 302
    assert Tag.objects.filter(subtheme=diverse, tagged_by=analyst).count() == 2


def test_add_tags_without_a_choice_says_what_to_do(client, analyst, data):
    client.force_login(analyst)
    post = {"action": "add_tags", "_selected_action": [data["quotes"][0].pk], "apply": "yes"}
    page = client.post(reverse(CHANGELIST), post)
    assert b"Choose at least one sub-theme." in page.content


def test_remove_tags_action(client, analyst, data):
    q1, *_ = data["quotes"]
    client.force_login(analyst)
    post = {"action": "remove_tags", "_selected_action": [q1.pk], "apply": "yes",
            "subthemes": [subtheme("safe_spaces").pk]}  # fmt: skip
    assert client.post(reverse(CHANGELIST), post).status_code == 302
    assert list(q1.tags.values_list("subtheme__code", flat=True)) == ["living_with_others"]


def test_quote_page_sets_tags_and_goes_to_the_next_untagged(client, analyst, data):
    q1, q2, q3, *_ = data["quotes"]
    Tag.objects.filter(quote__in=[q2, q3]).delete()
    client.force_login(analyst)
    url = reverse("admin:interviews_quote_change", args=[q1.pk])
    page = client.get(url)
    assert page.status_code == 200 and b"autofocus" in page.content
    response = client.post(
        url,
        {"subthemes": [subtheme("remove_barriers").pk], "text": "Changed words!",
         "_savenextuntagged": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response.url == reverse("admin:interviews_quote_change", args=[q2.pk])
    q1.refresh_from_db()
    assert q1.text == "Nobody calls, not even on Sundays."  # the words never change here
    assert list(q1.tags.values_list("subtheme__code", flat=True)) == ["remove_barriers"]
    assert q1.tags.get().tagged_by == analyst


def test_saving_a_quote_keeps_its_retired_subthemes(client, analyst, data):
    q1, *_ = data["quotes"]
    services.subtheme_retire(subtheme=subtheme("living_with_others"))
    client.force_login(analyst)
    url = reverse("admin:interviews_quote_change", args=[q1.pk])
    page = client.get(url)
    assert b"(retired)" in page.content
    ids = [subtheme("safe_spaces").pk, subtheme("living_with_others").pk]
    assert client.post(url, {"subthemes": ids, "_continue": "1"}).status_code == 302
    assert q1.tags.count() == 2


def test_withdrawn_or_unconsented_quotes_have_no_page(client, analyst, data):
    client.force_login(analyst)
    withdrawn = data["quotes"][4]
    response = client.get(reverse("admin:interviews_quote_change", args=[withdrawn.pk]))
    assert response.status_code == 302  # the admin's "does not exist", back to the index


# --- permissions -----------------------------------------------------------------------------


def test_coordinators_read_quotes_but_cannot_tag(client, coordinator, data):
    q1, *_ = data["quotes"]
    client.force_login(coordinator)
    url = reverse("admin:interviews_quote_change", args=[q1.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"subthemes": []}).status_code == 403
    assert q1.tags.count() == 2


@pytest.mark.parametrize(
    "name",
    [CHANGELIST, "admin:themes_exports", "admin:themes_exportrecord_changelist",
     "admin:themes_subtheme_changelist"],
)  # fmt: skip
def test_interviewers_and_anonymous_are_sent_to_log_in(client, interviewer, name):
    url = reverse(name)
    assert client.get(url).status_code == 302
    client.force_login(interviewer)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_exports_page_works_for_analysts_and_coordinators(client, analyst, coordinator):
    for user in (analyst, coordinator):
        client.force_login(user)
        page = client.get(reverse("admin:themes_exports"))
        assert page.status_code == 200 and b"Download .xlsx (for Excel)" in page.content


def test_analysts_cannot_change_the_codebook(client, analyst):
    client.force_login(analyst)
    safe = subtheme("safe_spaces")
    url = reverse("admin:themes_subtheme_change", args=[safe.pk])
    assert client.get(url).status_code == 200  # may read it
    response = client.post(url, {"label": "Renamed", "description": "", "order": 1})
    assert response.status_code == 403
    assert client.get(reverse("admin:themes_subtheme_add")).status_code == 403
    assert subtheme("safe_spaces").label == "Safe spaces"


def test_coordinators_relabel_but_codes_never_change(client, coordinator):
    client.force_login(coordinator)
    safe = subtheme("safe_spaces")
    url = reverse("admin:themes_subtheme_change", args=[safe.pk])
    response = client.post(
        url,
        {"code": "renamed_code", "label": "Safe places", "description": "Where people belong",
         "order": 1, "is_active": "on", "theme": subtheme("medication_impact").theme_id},
    )  # fmt: skip
    assert response.status_code == 302
    safe.refresh_from_db()
    assert (safe.code, safe.label, safe.description) == (
        "safe_spaces", "Safe places", "Where people belong",
    )  # fmt: skip
    assert safe.theme.code == "settings"


def test_coordinators_add_and_merge_subthemes(client, coordinator, data):
    client.force_login(coordinator)
    add = client.post(
        reverse("admin:themes_subtheme_add"),
        {"theme": subtheme("safe_spaces").theme_id, "code": "online_groups",
         "label": "Online groups", "description": "", "order": 20, "is_active": "on"},
    )  # fmt: skip
    assert add.status_code == 302
    assert subtheme("online_groups") in SubTheme.objects.for_tagging()
    changelist = reverse("admin:themes_subtheme_changelist")
    post = {"action": "merge", "_selected_action": [subtheme("other_networks").pk]}
    assert b"Merge into" in client.post(changelist, post).content
    done = client.post(changelist, {**post, "apply": "yes", "target": subtheme("safe_spaces").pk})
    assert done.status_code == 302
    assert subtheme("other_networks").merged_into == subtheme("safe_spaces")


def test_the_changelist_stops_counting_past_the_cap(client, analyst, data, monkeypatch):
    from themes.admin.quotes import CappedCountPaginator

    client.force_login(analyst)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "3 quotes" in html
    assert "More than" not in html
    monkeypatch.setattr(CappedCountPaginator, "CAP", 2)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert "More than 2 quotes: choose filters or search" in html
    assert CappedCountPaginator(Quote.objects.all(), 100).count == 3  # CAP + 1: it stopped


def test_the_quotes_list_offers_no_facet_counts(client, analyst, data):
    client.force_login(analyst)
    html = client.get(reverse(CHANGELIST), {"_facets": "True"}).content.decode()
    assert "Show counts" not in html
    assert "Hide counts" not in html


def test_each_quote_shows_its_own_questions_coded_answer(client, analyst, data):
    q1, q2, q3, *_ = data["quotes"]
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST))
    shown = {q.pk: q.coded_answer for q in response.context["cl"].result_list}
    # LSI-001 answered companionship "often" (and help "some_of_the_time", not shown here).
    assert shown == {q1.pk: "often", q2.pk: "often", q3.pk: None}


def test_the_question_and_demographic_filters_are_the_current_evaluations(client, analyst):
    client.force_login(analyst)
    response = client.get(reverse(CHANGELIST))
    filters = {spec.parameter_name: spec for spec in response.context["cl"].filter_specs
               if hasattr(spec, "parameter_name")}  # fmt: skip
    assert [code for code, _ in filters["item"].lookup_choices] == [
        "companionship", "contentment", "help", "isolation", "left_out", "what_helped",
        "what_else",
    ]  # fmt: skip
    assert "borough" in filters and "age_band" in filters and "gender" in filters
    assert "sees" not in filters  # tick all that apply: not one answer
