"""The admin's history pages (django-simple-history): the history list and the page of one past
version show only what the object's own change page would show, and never write for someone
who may only read (issue 11, items 1 and 2)."""

from __future__ import annotations

import datetime

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from interviews.models import ConsentFormVersion, ConsentRecord, Evaluation, InterviewSession, Site
from interviews.services.withdrawal import participant_withdraw
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)
from themes.models import SubTheme

pytestmark = pytest.mark.django_db


def version_url(obj, version=None) -> str:
    """The page of one past version of ``obj`` (its first, unless told)."""
    opts = obj._meta
    version = version or obj.history.earliest()
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[obj.pk, version.history_id],
    )


def history_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk])


def form_data(obj, **changes) -> dict[str, str]:
    """What the version page's form would post for ``obj``, with ``changes``: every editable
    field, so that the form is valid and only the permission check can stop it."""
    data = {}
    for name, value in {**model_to_dict(obj), **changes}.items():
        field = obj._meta.get_field(name)
        if field.get_internal_type() == "DateTimeField":
            # The admin's split date and time widgets.
            data[f"{name}_0"] = value.date().isoformat() if value else ""
            data[f"{name}_1"] = value.time().isoformat() if value else ""
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = "" if value is None else str(value)
    return data


def history_count(obj) -> int:
    return obj.history.count()


@pytest.fixture
def draft(interviewer, partner):
    session = InterviewSessionFactory(
        interviewer_1=interviewer, interviewer_2=partner, return_note="Ask Dr Example."
    )
    ConsentRecordFactory(session=session)
    return session


@pytest.fixture
def withdrawn(coordinator):
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    return session


@pytest.fixture
def reverting(settings):
    """Reverting switched on, as a deployment could: the permission checks still hold."""
    settings.SIMPLE_HISTORY_REVERT_DISABLED = False


def seeded_with_history(obj):
    # Seeded by migrations, which record no history: one save gives a past version.
    obj.save()
    return obj


# ---------------------------------------------------------------------------------------------
# The attacks found: each refused, and nothing changed


def test_an_analyst_cannot_verify_a_draft_through_its_history(client, analyst, draft):
    before = history_count(draft)
    client.force_login(analyst)
    response = client.post(version_url(draft), form_data(draft, status="verified"))
    # Not found: analysts may not see a draft at all, so a write says nothing of it.
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == InterviewSession.Status.DRAFT
    assert history_count(draft) == before


def test_an_analyst_cannot_change_the_pair_through_history(client, analyst, draft):
    third = InterviewerFactory()
    pair = (draft.interviewer_1_id, draft.interviewer_2_id)
    client.force_login(analyst)
    response = client.post(version_url(draft), form_data(draft, interviewer_2=third.pk))
    # Not found: analysts may not see a draft at all, so a write says nothing of it.
    assert response.status_code == 404
    draft.refresh_from_db()
    assert (draft.interviewer_1_id, draft.interviewer_2_id) == pair


def test_an_analyst_cannot_relabel_a_subtheme_through_history(client, analyst):
    subtheme = seeded_with_history(SubTheme.objects.get(code="safe_spaces"))
    label, before = subtheme.label, history_count(subtheme)
    client.force_login(analyst)
    response = client.post(version_url(subtheme), form_data(subtheme, label="Relabelled"))
    assert response.status_code == 403
    subtheme.refresh_from_db()
    assert subtheme.label == label
    assert history_count(subtheme) == before


def test_an_analyst_cannot_relabel_a_site_through_history(client, analyst):
    site = seeded_with_history(Site.objects.get(code="pall_mall"))
    label = site.label
    client.force_login(analyst)
    response = client.post(version_url(site), form_data(site, label="Relabelled"))
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.label == label


def test_a_coordinator_cannot_rewrite_a_consent_record_through_history(client, coordinator, draft):
    record = ConsentRecord.objects.get(session=draft)
    before = (record.method, record.consent_date, history_count(record))
    client.force_login(coordinator)
    response = client.post(
        version_url(record),
        form_data(record, method="verbal", consent_date=datetime.date(2018, 1, 1)),
    )
    assert response.status_code == 403
    record.refresh_from_db()
    assert (record.method, record.consent_date, history_count(record)) == before


@pytest.mark.parametrize("status", ["draft", "submitted"])
@pytest.mark.parametrize("page", [history_url, version_url])
def test_an_analyst_cannot_read_an_unverified_session_through_history(
    client, analyst, draft, status, page
):
    InterviewSession.objects.filter(pk=draft.pk).update(status=status)
    client.force_login(analyst)
    response = client.get(page(draft))
    assert response.status_code == 404
    assert b"Dr Example" not in response.content


@pytest.mark.parametrize("page", [history_url, version_url])
def test_an_analyst_cannot_read_a_withdrawn_session_through_history(
    client, analyst, withdrawn, page
):
    client.force_login(analyst)
    response = client.get(page(withdrawn))
    assert response.status_code == 404
    assert withdrawn.participant_code.encode() not in response.content


@pytest.mark.parametrize("page", [history_url, version_url])
def test_coordinators_read_every_session_through_history(client, coordinator, withdrawn, page):
    client.force_login(coordinator)
    response = client.get(page(withdrawn))
    assert response.status_code == 200
    assert withdrawn.participant_code.encode() in response.content


def test_a_deleted_object_has_no_history_pages(client, coordinator):
    site = Site.objects.create(code="gone", label="Gone")
    version = site.history.earliest()
    pk = site.pk
    site.delete()
    client.force_login(coordinator)
    assert client.get(reverse("admin:interviews_site_history", args=[pk])).status_code == 404
    url = reverse("admin:interviews_site_simple_history", args=[pk, version.history_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("ids", [("x", "1"), ("1", "x"), ("1", "999999")])
def test_a_made_up_address_is_not_found(client, coordinator, ids):
    seeded_with_history(Site.objects.get(code="pall_mall"))
    object_id, version_id = ids
    if object_id == "1":
        object_id = str(Site.objects.get(code="pall_mall").pk)
    client.force_login(coordinator)
    url = reverse("admin:interviews_site_simple_history", args=[object_id, version_id])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------------------------------------
# Reverting is switched off (SIMPLE_HISTORY_REVERT_DISABLED): the version page only shows


def test_the_version_page_shows_a_past_version_read_only(client, coordinator):
    site = seeded_with_history(Site.objects.get(code="pall_mall"))
    first = site.history.earliest()
    Site.objects.filter(pk=site.pk).update(label="Now called something else")
    client.force_login(coordinator)
    response = client.get(version_url(site, first))
    assert response.status_code == 200
    page = response.content.decode()
    assert first.label in page
    assert 'name="label"' not in page
    assert 'name="_save"' not in page
    assert "Revert" not in page


def test_a_consent_version_not_yet_in_use_is_shown_read_only_too(client, coordinator):
    """Its form has a field of its own (make_current), not a column: shown as text too."""
    version = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(),
        label="v9",
        information_sheet_date=datetime.date(2026, 1, 1),
    )
    client.force_login(coordinator)
    response = client.get(version_url(version))
    assert response.status_code == 200
    assert 'name="label"' not in response.content.decode()
    assert 'name="make_current"' not in response.content.decode()


def test_nobody_reverts_while_reverting_is_off(client, coordinator):
    site = seeded_with_history(Site.objects.get(code="pall_mall"))
    label = site.label
    client.force_login(coordinator)
    response = client.post(version_url(site), form_data(site, label="Relabelled"))
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.label == label


# ---------------------------------------------------------------------------------------------
# Reverting switched on: only who may change the object, and never interview content or consent


@pytest.mark.usefixtures("reverting")
def test_with_reverting_on_a_coordinator_may_revert_a_site(client, coordinator):
    site = seeded_with_history(Site.objects.get(code="pall_mall"))
    first = site.history.earliest()
    Site.objects.filter(pk=site.pk).update(label="Now called something else")
    client.force_login(coordinator)
    page = client.get(version_url(site, first)).content.decode()
    assert 'name="label"' in page
    response = client.post(version_url(site, first), form_data(first.instance))
    assert response.status_code == 302
    site.refresh_from_db()
    assert site.label == first.label


@pytest.mark.usefixtures("reverting")
def test_with_reverting_on_an_analyst_still_cannot_revert(client, analyst):
    site = seeded_with_history(Site.objects.get(code="pall_mall"))
    label = site.label
    client.force_login(analyst)
    assert 'name="label"' not in client.get(version_url(site)).content.decode()
    response = client.post(version_url(site), form_data(site, label="Relabelled"))
    assert response.status_code == 403
    site.refresh_from_db()
    assert site.label == label


@pytest.mark.usefixtures("reverting")
def test_with_reverting_on_interview_content_and_consent_are_never_reverted(
    client, coordinator, draft
):
    record = ConsentRecord.objects.get(session=draft)
    client.force_login(coordinator)
    response = client.post(version_url(record), form_data(record, method="verbal"))
    assert response.status_code == 403
    response = client.post(version_url(draft), form_data(draft, status="verified"))
    assert response.status_code == 403
    record.refresh_from_db()
    draft.refresh_from_db()
    assert (record.method, draft.status) == ("signed", "draft")


@pytest.mark.usefixtures("reverting")
def test_with_reverting_on_a_consent_version_in_use_is_not_reverted(client, coordinator, draft):
    version = seeded_with_history(ConsentFormVersion.objects.get(label="v1"))
    before = model_to_dict(version)
    client.force_login(coordinator)
    response = client.post(version_url(version), form_data(version, withdrawal_window_days=1))
    assert response.status_code == 403
    version.refresh_from_db()
    assert model_to_dict(version) == before


def test_the_history_list_costs_the_same_whatever_its_length(
    client, coordinator, draft, django_assert_num_queries
):
    client.force_login(coordinator)
    client.get(history_url(draft))  # content types are cached from the first page on
    for _ in range(2):
        with django_assert_num_queries(7):
            # 1-2 the log-in session and its user; 3 their roles and permissions
            # 4 the interview through the admin's own list (HistoryAdmin.history_object)
            # 5 the same again, by simple-history's own page
            # 6 how many versions there are, for paging
            # 7 this page of versions, with who made each and the people and site they name
            response = client.get(history_url(draft))
        assert response.status_code == 200
        for n in range(5):
            draft.interviewer_2 = InterviewerFactory()
            draft.return_note = f"Note {n}"
            draft.save()
    assert history_count(draft) == 11
