"""Consent form versions in the admin: coordinators add, offer and retire them; a version in
use is read-only."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from interviews.models import ConsentFormVersion, ConsentStatement, Evaluation
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
        "evaluation": str(Evaluation.objects.current().pk),
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
            f"statements-{n}-required": "no" if last else "yes",
        }
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


def test_a_version_without_statements_to_offer_says_why_and_saves_nothing(client, coordinator, v1):
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:interviews_consentformversion_add"),
        new_version_data(make_current=True, statements=0),
        follow=True,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "has no statements yet" in content
    assert "successfully" not in content
    assert not ConsentFormVersion.objects.filter(label="v2").exists()
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
            f"statements-{n}-required": "yes" if s.required else "no",
        }
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
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
    v2.statements.create(code="information", text="I have read it.")
    v2.statements.create(code="quotes", text="You may quote me.", required=False)
    client.force_login(coordinator)
    response = client.post(
        CHANGELIST, {"action": "make_current", "_selected_action": [v2.pk]}, follow=True
    )
    assert "Version v2 is now used for new consents." in response.content.decode()
    assert ConsentFormVersion.objects.get(is_current=True) == v2


def test_the_make_current_action_refuses_a_retired_version(client, coordinator, v1):
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
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
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
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
    v2 = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(), label="v2", information_sheet_date="2019-01-01"
    )
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
        ConsentFormVersion.objects.create(
            evaluation=Evaluation.objects.current(),
            label=f"v{n + 2}",
            information_sheet_date="2019-01-01",
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(CHANGELIST)
    assert response.status_code == 200


# A new version copied from the current one; a version that cannot be offered says why and
# saves nothing; "required" is asked, never defaulted (issue 14).

ADD = reverse("admin:interviews_consentformversion_add")


def copied_data(version, *, label="v2", make_current=True, **changes) -> dict:
    """What the add page copied from ``version`` posts back, with ``changes`` to fields."""
    statements = list(version.statements.order_by("order", "pk"))
    data = {
        "evaluation": str(version.evaluation_id),
        "label": label,
        "information_sheet_date": version.information_sheet_date.isoformat(),
        "withdrawal_window_days": str(version.withdrawal_window_days),
        "statements-TOTAL_FORMS": str(len(statements)),
        "statements-INITIAL_FORMS": "0",
        "statements-MIN_NUM_FORMS": "0",
        "statements-MAX_NUM_FORMS": "1000",
    }
    for n, s in enumerate(statements):
        data |= {
            f"statements-{n}-order": str(s.order),
            f"statements-{n}-code": s.code,
            f"statements-{n}-text": s.text,
            f"statements-{n}-required": "yes" if s.required else "no",
        }
    if make_current:
        data["make_current"] = "on"
    return data | changes


def test_the_add_page_offers_to_copy_the_current_version(client, coordinator, v1):
    client.force_login(coordinator)
    content = client.get(ADD).content.decode()
    assert f'href="{ADD}?copy_from={v1.pk}"' in content
    assert "Copy from the current version (v1)" in content


def test_a_copy_starts_from_the_current_versions_statements(client, coordinator, v1):
    client.force_login(coordinator)
    response = client.get(ADD, {"copy_from": v1.pk})
    assert response.status_code == 200
    content = response.content.decode()
    for statement in v1.statements.all():
        assert f"{html.escape(statement.text)}</textarea>" in content
    quotes_row = v1.statements.order_by("order", "pk").filter(code="quotes").first()
    n = list(v1.statements.order_by("order", "pk")).index(quotes_row)
    form = response.context["inline_admin_formsets"][0].formset.forms[n]
    assert form.initial["required"] == "no"
    assert 'name="label"' in content and f'value="{v1.label}"' not in content


def test_a_copy_saved_as_it_was_copied_keeps_every_statement(client, coordinator, v1):
    client.force_login(coordinator)
    response = client.post(f"{ADD}?copy_from={v1.pk}", copied_data(v1))
    assert response.status_code == 302
    v2 = ConsentFormVersion.objects.get(label="v2")
    assert v2.is_current
    copied = list(v2.statements.values_list("code", "text", "required"))
    assert copied == list(v1.statements.values_list("code", "text", "required"))


def test_only_what_changed_is_typed(client, coordinator, v1):
    client.force_login(coordinator)
    data = copied_data(v1, **{"statements-0-text": "A new first statement."})
    client.post(f"{ADD}?copy_from={v1.pk}", data)
    v2 = ConsentFormVersion.objects.get(label="v2")
    assert v2.statements.order_by("order", "pk").first().text == "A new first statement."
    assert v2.statements.count() == v1.statements.count()


@pytest.mark.parametrize("wanted", ["999999", "v1"])
def test_copying_a_made_up_version_is_not_found(client, coordinator, wanted):
    client.force_login(coordinator)
    assert client.get(ADD, {"copy_from": wanted}).status_code == 404


def test_a_version_that_cannot_be_offered_says_why_and_saves_nothing(client, coordinator, v1):
    client.force_login(coordinator)
    quotes = list(v1.statements.order_by("order", "pk").values_list("code", flat=True))
    n = quotes.index("quotes")
    data = copied_data(v1, **{f"statements-{n}-required": "yes"})
    response = client.post(f"{ADD}?copy_from={v1.pk}", data, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "needs a statement with the code" in content
    assert "Nothing is saved yet." in content
    assert "successfully" not in content
    assert not ConsentFormVersion.objects.filter(label="v2").exists()
    # Saved when not to be offered yet: the coordinator may finish it later.
    data.pop("make_current")
    assert client.post(f"{ADD}?copy_from={v1.pk}", data).status_code == 302
    assert not ConsentFormVersion.objects.get(label="v2").is_current


def test_required_is_asked_not_defaulted(client, coordinator, v1):
    client.force_login(coordinator)
    data = new_version_data(make_current=False, statements=2)
    del data["statements-1-required"]
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "Say whether a &#x27;no&#x27; to this statement ends the session." in (
        response.content.decode()
    )
    assert not ConsentFormVersion.objects.filter(label="v2").exists()
    blank = client.get(ADD).context["inline_admin_formsets"][0].formset.empty_form
    assert blank["required"].value() in (None, "")


def test_a_version_no_longer_offerable_when_saved_does_not_say_success(
    client, coordinator, v1, monkeypatch
):
    from interviews import admin_consent_versions

    def retired_meanwhile(*, version):
        raise ValidationError(f"Version {version.label} is retired, so it cannot be offered.")

    monkeypatch.setattr(admin_consent_versions, "consent_version_make_current", retired_meanwhile)
    client.force_login(coordinator)
    response = client.post(f"{ADD}?copy_from={v1.pk}", copied_data(v1), follow=True)
    content = response.content.decode()
    assert "Saved, but not used for new consents: Version v2 is retired" in content
    assert "successfully" not in content
