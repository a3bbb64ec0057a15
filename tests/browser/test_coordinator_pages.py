"""The coordinators' pages of issue 14 in a real browser: an interview's timeline, a withdrawn
participant's record and a consent form version copied from the current one. Each works under
the Content-Security-Policy and axe finds no WCAG 2.2 AA violation."""

import pytest
from playwright.sync_api import expect

from interviews.models import ConsentFormVersion, InterviewSession
from interviews.services import sessions as services
from interviews.services.withdrawal import participant_withdraw
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import complete_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_history_button_opens_the_interviews_timeline(page, coordinator, csp_violations):
    session = complete_session()
    services.session_submit(session=session, user=session.interviewer_1)
    log_in(page, coordinator)
    page.goto(f"/admin/interviews/interviewsession/{session.pk}/change/")
    page.get_by_role("link", name="History").click()
    expect(
        page.get_by_role("heading", name=f"History of {session.participant_code}")
    ).to_be_visible()
    expect(page.get_by_text("Status: Submitted for checking")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert csp_violations == []
    check_accessibility(page, "admin-interview-timeline")


def test_a_withdrawn_record_says_so_and_offers_no_edit(page, coordinator, csp_violations):
    session = complete_session(status=InterviewSession.Status.VERIFIED)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="phone",
        recorded_by=coordinator,
    )
    log_in(page, coordinator)
    page.goto(f"/admin/interviews/interviewsession/{session.pk}/change/")
    expect(page.get_by_text("Withdrawn on 12 April 2018 (asked for: phone)")).to_be_visible()
    expect(page.get_by_role("link", name="Reopen this record")).to_have_count(0)
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_role("button", name="Save")).to_have_count(0)
    page.wait_for_load_state("networkidle")
    assert csp_violations == []
    check_accessibility(page, "admin-withdrawn-record")


def test_a_new_consent_version_is_copied_from_the_current_one(page, coordinator, csp_violations):
    current = ConsentFormVersion.objects.get(is_current=True)
    log_in(page, coordinator)
    page.goto("/admin/interviews/consentformversion/add/")
    page.get_by_role("link", name=f"Copy from the current version ({current.label})").click()
    expect(page.get_by_text(f"copied from version {current.label}")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert csp_violations == []
    check_accessibility(page, "admin-consent-version-copied")
    page.get_by_label("Label").fill("v2")
    page.get_by_label("Use for new consents").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("was added successfully")).to_be_visible()
    copied = ConsentFormVersion.objects.get(label="v2")
    assert copied.is_current
    assert copied.statements.count() == current.statements.count()
