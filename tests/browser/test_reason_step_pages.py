"""A coordinator reopens a verified record, and discards a draft started by mistake, from its
admin page, in a real browser: each page and its error are in the admin's look, axe finds no
WCAG 2.2 AA violation on them and the Content-Security-Policy blocks nothing."""

import pytest
from playwright.sync_api import expect

from interviews.models import InterviewSession
from interviews.services import sessions as services
from tests.browser.conftest import log_in
from tests.browser.test_analyst_pages import check
from tests.factories import complete_session

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_reopens_a_verified_record(
    page, coordinator, interviewer, partner, csp_violations
):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    services.session_submit(session=session, user=interviewer)
    services.session_verify(session=session, user=partner)
    log_in(page, coordinator)
    page.goto(f"/admin/interviews/interviewsession/{session.pk}/change/")
    page.get_by_role("link", name="Reopen this record").click()
    expect(page.get_by_role("heading", name=f"Reopen {session.participant_code}")).to_be_visible()
    check(page, "admin-reopen", csp_violations)

    page.get_by_role("button", name="Reopen the record").click()
    expect(page.get_by_role("alert")).to_contain_text("Write why the record is being reopened")
    check(page, "admin-reopen-error", csp_violations)

    page.get_by_label("Why is this record being reopened?").fill("The site was wrong.")
    page.get_by_role("button", name="Reopen the record").click()
    expect(page.get_by_text(f"{session.participant_code} is reopened.")).to_be_visible()
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.DRAFT


def test_a_coordinator_discards_a_draft_started_by_mistake(
    page, coordinator, interviewer, partner, csp_violations
):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    log_in(page, coordinator)
    page.goto(f"/admin/interviews/interviewsession/{session.pk}/change/")
    page.get_by_role("link", name="Discard this interview").click()
    expect(page.get_by_role("heading", name=f"Discard {session.participant_code}")).to_be_visible()
    check(page, "admin-discard", csp_violations)

    page.get_by_role("button", name="Discard the interview").click()
    expect(page.get_by_role("alert")).to_contain_text("Write why the interview is being discarded")
    check(page, "admin-discard-error", csp_violations)

    page.get_by_label("Why is this interview being discarded?").fill("Wrong participant code.")
    page.get_by_role("button", name="Discard the interview").click()
    done = f"The interview with {session.participant_code} is discarded"
    expect(page.get_by_text(done)).to_be_visible()
    assert not InterviewSession.objects.filter(pk=session.pk).exists()
