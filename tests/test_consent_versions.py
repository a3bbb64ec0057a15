"""Consent form versions in the admin: coordinators add, offer and retire them; a version in
use is read-only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import ConsentFormVersion, ConsentStatement
from interviews.services.consent_versions import (
    consent_version_make_current,
    consent_version_retire,
)
from tests.factories import ConsentRecordFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:interviews_consentformversion_changelist")


@pytest.fixture
def v1():
    return ConsentFormVersion.objects.get(label="v1")


def new_version_data(*, make_current: bool, statements=1, **overrides) -> dict:
    data = {
        "label": "v2",
        "information_sheet_date": "2019-01-01",
        "withdrawal_window_days": "28",
        "statements-TOTAL_FORMS": str(statements),
        "statements-INITIAL_FORMS": "0",
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    for n in range(statements):
        last = n == statements - 1
        data |= {
            f"statements-{n}-order": str(n),
            f"statements-{n}-code": "quotes" if last else f"s{n}",
            f"statements-{n}-text": f"Statement {n}.",
        }
        if not last:
            data[f"statements-{n}-required"] = "on"
    if make_current:
        data["make_current"] = "on"
    return data | overrides


def change_url(version) -> str:
    return reverse("admin:interviews_consentformversion_change", args=[version.pk])


def test_a_coordinator_adds_a_version_and_offers_it(client, coordinator, v1):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:interviews_consentformversion_add"),
        new_version_data(make_current=True, statements=2),
    )
    assert response.status_code == 302
    v2 = ConsentFormVersion.objects.get(label="v2")
    assert v2.is_current
    assert v2.withdrawal_window_days == 28
    assert list(v2.statements.values_list("code", flat=True)) == ["s0", "quotes"]
    v1.refresh_from_db()
    assert not v1.is_current


def test_a_new_version_is_not_offered_until_asked(client, coordinator, v1):
    client.force_login(coordinator)
    client.post(
        reverse("admin:interviews_consentformversion_add"), new_version_data(make_current=False)
    )
    assert not ConsentFormVersion.objects.get(label="v2").is_current
    assert ConsentFormVersion.objects.get(is_current=True) == v1


def test_a_version_without_statements_is_saved_but_not_offered(client, coordinator, v1):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:interviews_consentformversion_add"),
        new_version_data(make_current=True, statements=0),
        follow=True,
    )
    assert response.status_code == 200
    assert "has no statements yet" in response.content.decode()
    assert ConsentFormVersion.objects.get(is_current=True) == v1


def test_a_version_not_yet_used_can_be_edited(client, coordinator, v1):
    client.force_login(coordinator)
    statements = list(v1.statements.all())
    data = {
        "label": "v1",
        "information_sheet_date": "2018-03-02",
        "withdrawal_window_days": "14",
        "statements-TOTAL_FORMS": str(len(statements)),
        "statements-INITIAL_FORMS": str(len(statements)),
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    for n, s in enumerate(statements):
        data |= {
            f"statements-{n}-id": str(s.pk),
            f"statements-{n}-form_version": str(v1.pk),
            f"statements-{n}-order": str(s.order),
            f"statements-{n}-code": s.code,
            f"statements-{n}-text": s.text + " Edited.",
        }
        if s.required:
            data[f"statements-{n}-required"] = "on"
    response = client.post(change_url(v1), data)
    assert response.status_code == 302
    assert ConsentStatement.objects.get(form_version=v1, code="quotes").text.endswith("Edited.")


def test_a_version_in_use_is_read_only(client, coordinator, v1):
    ConsentRecordFactory(form_version=v1)
    client.force_login(coordinator)
    page = client.get(change_url(v1))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html
    assert 'name="statements-0-text"' not in html
    response = client.post(change_url(v1), {"label": "v1 changed"})
    assert response.status_code == 403
    v1.refresh_from_db()
    assert v1.label == "v1"


def test_a_retired_version_is_read_only(client, coordinator, v1):
    consent_version_retire(version=v1)
    client.force_login(coordinator)
    assert client.post(change_url(v1), {"label": "v1 changed"}).status_code == 403


def test_the_retire_action_stops_offering_a_version(client, coordinator, v1):
    ConsentRecordFactory(form_version=v1)
    client.force_login(coordinator)
    response = client.post(
        CHANGELIST, {"action": "retire", "_selected_action": [v1.pk]}, follow=True
    )
    assert "Version v1 is retired." in response.content.decode()
    v1.refresh_from_db()
    assert v1.retired_at is not None
    assert not v1.is_current


def test_the_make_current_action_switches_the_version_offered(client, coordinator, v1):
    v2 = ConsentFormVersion.objects.create(label="v2", information_sheet_date="2019-01-01")
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    client.force_login(coordinator)
    response = client.post(
        CHANGELIST, {"action": "make_current", "_selected_action": [v2.pk]}, follow=True
    )
    assert "Version v2 is now used for new consents." in response.content.decode()
    assert ConsentFormVersion.objects.get(is_current=True) == v2


def test_the_make_current_action_refuses_a_retired_version(client, coordinator, v1):
    v2 = ConsentFormVersion.objects.create(label="v2", information_sheet_date="2019-01-01")
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    consent_version_retire(version=v2)
    client.force_login(coordinator)
    response = client.post(
        CHANGELIST, {"action": "make_current", "_selected_action": [v2.pk]}, follow=True
    )
    assert response.status_code == 200
    assert "is retired, so it cannot be offered again" in response.content.decode()
    assert ConsentFormVersion.objects.get(is_current=True) == v1


@pytest.mark.parametrize("required", [None, True])
def test_a_version_offered_must_ask_about_quotes_as_optional(v1, required):
    v2 = ConsentFormVersion.objects.create(label="v2", information_sheet_date="2019-01-01")
    v2.statements.create(code="information", text="I have read it.")
    if required is not None:
        v2.statements.create(code="quotes", text="You may quote me.", required=required)
    with pytest.raises(ValidationError, match="needs a statement with the code 'quotes'"):
        consent_version_make_current(version=v2)
    assert ConsentFormVersion.objects.get(is_current=True) == v1


def test_retiring_twice_is_a_clear_error(v1):
    consent_version_retire(version=v1)
    with pytest.raises(ValidationError, match="already retired"):
        consent_version_retire(version=v1)


def test_making_a_version_current_unsets_the_previous(v1):
    v2 = ConsentFormVersion.objects.create(label="v2", information_sheet_date="2019-01-01")
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    consent_version_make_current(version=v2)
    assert list(ConsentFormVersion.objects.filter(is_current=True)) == [v2]
    consent_version_make_current(version=v1)
    assert list(ConsentFormVersion.objects.filter(is_current=True)) == [v1]


def test_analysts_do_not_manage_consent_forms(client, analyst, v1):
    client.force_login(analyst)
    assert client.get(CHANGELIST).status_code == 403
    assert client.post(change_url(v1), {"label": "x"}).status_code == 403


def test_the_changelist_counts_consents_in_one_query(
    client, coordinator, v1, django_assert_max_num_queries
):
    for _ in range(3):
        ConsentRecordFactory(form_version=v1)
    client.force_login(coordinator)
    with django_assert_max_num_queries(12) as first:
        client.get(CHANGELIST)
    for n in range(5):
        ConsentFormVersion.objects.create(label=f"v{n + 2}", information_sheet_date="2019-01-01")
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.status_code == 200
