"""A NUL character anywhere in what a request sends as text gets a clear 400 before any view
runs, never a 500: PostgreSQL refuses NUL in a query (DataError).

The admin cases are generated from the admin site's registry: every filter and the search box
of every changelist, and the autocomplete of every relation to a searchable model. Before the
fix they failed on PostgreSQL only, so run this file there too.
"""

from __future__ import annotations

import html
import json

import pytest
from django.contrib import admin
from django.contrib.admin.views.main import SEARCH_VAR
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import urlencode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interviews.models import Site
from interviews.selectors import session_values
from tests.factories import TEST_PASSWORD, ConsentRecordFactory, InterviewSessionFactory
from ufm.middleware import UNREADABLE

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


def assert_unreadable(response) -> None:
    assert response.status_code == 400
    assert UNREADABLE in html.unescape(response.content.decode())


def model_label(model) -> str:
    return model._meta.label_lower


REGISTERED = sorted(admin.site._registry, key=model_label)


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def changelist_parameters(model, user) -> list[str]:
    """Every query parameter the model's changelist reads: its filters' own parameters (as
    the admin builds them), the date drill-down and the search box."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get(changelist_url(model))
    request.user = user
    changelist = model_admin.get_changelist_instance(request)
    names = [name for spec in changelist.filter_specs for name in spec.expected_parameters()]
    if changelist.date_hierarchy:
        names += [f"{changelist.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    if model_admin.get_search_fields(request):
        names.append(SEARCH_VAR)
    return names


def autocomplete_queries() -> list[dict[str, str]]:
    """The autocomplete's parameters for every relation of a registered model to a model
    whose admin has a search box: the autocomplete searches that admin with ``term``."""
    queries = []
    for model in REGISTERED:
        for field in model._meta.get_fields():
            remote = getattr(field, "remote_field", None)
            if not field.concrete or remote is None:
                continue
            remote_admin = admin.site._registry.get(remote.model)
            if remote_admin is None or not remote_admin.search_fields:
                continue
            queries.append(
                {
                    "app_label": model._meta.app_label,
                    "model_name": model._meta.model_name,
                    "field_name": field.name,
                }
            )
    return queries


@pytest.mark.parametrize("model", REGISTERED, ids=model_label)
def test_a_nul_in_any_filter_or_search_of_any_changelist_is_a_clear_400(
    admin_client, admin_user, model
):
    url = changelist_url(model)
    for name in changelist_parameters(model, admin_user):
        # The same parameter with a readable value is answered as usual (a value that does not
        # match a choice sends the admin back to the list with ?e=1).
        assert admin_client.get(url, {name: "1"}).status_code in {200, 302}, name
        assert_unreadable(admin_client.get(url, {name: NUL}))


def test_the_generated_parameters_include_those_found_by_hand(admin_user):
    found = {model_label(model): changelist_parameters(model, admin_user) for model in REGISTERED}
    assert {"site", "q"} <= set(found["interviews.quote"])
    assert {"status__exact", "site__id__exact", "q"} <= set(found["interviews.interviewsession"])


@pytest.mark.parametrize("query", autocomplete_queries(), ids=lambda q: "-".join(q.values()))
def test_a_nul_in_the_autocomplete_term_is_a_clear_400(admin_client, query):
    url = reverse("admin:autocomplete")
    assert admin_client.get(url, {**query, "term": "a"}).status_code == 200
    assert_unreadable(admin_client.get(url, {**query, "term": NUL}))


def test_the_autocomplete_is_generated_for_the_relations_found_by_hand():
    queries = autocomplete_queries()
    assert {"app_label": "interviews", "model_name": "interviewsession", "field_name": "site"} in (
        queries
    )


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_any_text_in_any_changelist_parameter_is_answered_without_a_500(
    admin_client, admin_user, data
):
    model = data.draw(st.sampled_from(REGISTERED))
    names = changelist_parameters(model, admin_user)
    if not names:
        return
    name = data.draw(st.sampled_from(names))
    value = data.draw(st.one_of(st.sampled_from(["\x00", NUL, "\x00" * 3, "%00"]), st.text()))
    with transaction.atomic():
        response = admin_client.get(changelist_url(model), {name: value})
        assert response.status_code in {200, 302, 400}
        if "\x00" in value:
            assert_unreadable(response)
        transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------
# NUL in the rest of a request


def test_a_nul_in_a_form_field_is_a_clear_400_and_saves_nothing(client, coordinator):
    client.force_login(coordinator)
    before = Site.objects.count()
    response = client.post(reverse("admin:interviews_site_add"), {"code": "nul_site", "label": NUL})
    assert_unreadable(response)
    assert Site.objects.count() == before


def test_a_nul_in_a_plain_form_post_is_a_clear_400(client, interviewer):
    # Browsers post forms without files like this, not as multipart.
    body = urlencode({"username": NUL, "password": "whatever"})
    response = client.post(reverse("login"), body, "application/x-www-form-urlencoded")
    assert_unreadable(response)


def test_a_nul_in_a_header_is_a_clear_400(client, interviewer):
    # django-axes records the user agent of every log-in: on PostgreSQL this was a 500.
    response = client.post(
        reverse("login"),
        {"username": interviewer.username, "password": TEST_PASSWORD},
        HTTP_USER_AGENT=NUL,
    )
    assert_unreadable(response)


def test_a_nul_in_a_cookie_is_a_clear_400(client):
    # An octal escape in a quoted cookie value is read as the character itself; the session
    # was looked up with it (a 500 on PostgreSQL).
    assert_unreadable(client.get(reverse("login"), HTTP_COOKIE='sessionid="abcdefghijkl\\000"'))


def test_a_nul_in_the_address_is_a_clear_400(admin_client):
    assert_unreadable(admin_client.get("/admin/interviews/site/a%00b/change/"))


def test_json_requests_get_the_refusal_as_json(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    url = reverse("interviews:autosave", args=[session.pk])
    response = client.post(f"{url}?x=%00", "{}", content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"error": UNREADABLE}


def test_a_quote_pasted_with_a_nul_into_the_section_page_is_kept_without_it(
    client, interviewer, partner
):
    # Browsers send a pasted NUL as it is; the words must not be refused for an invisible
    # character, so this page drops it, as autosave and the imports do.
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    url = reverse("interviews:section", args=[session.pk, "helps"])
    response = client.post(
        url,
        {
            "version": session.version,
            "original": json.dumps(session_values(session)),
            "quotes:what_helped": ["My peer\x00 group."],
            "go": "next",
        },
    )
    assert response.status_code == 302
    assert session_values(session)["quotes:what_helped"] == ["My peer group."]


def test_a_nul_in_the_section_pages_address_is_still_refused(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    url = reverse("interviews:section", args=[session.pk, "helps"])
    assert_unreadable(client.get(url, {"add": NUL}))
