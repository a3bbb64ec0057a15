"""The error pages and a busy database, in a real browser: axe finds no WCAG 2.2 AA violation,
the Content-Security-Policy blocks nothing, and an autosave that meets a busy database says
"not saved yet", keeps the words and sends them again, never "logged out"."""

import json
import re

import pytest
from django.template.loader import render_to_string
from playwright.sync_api import expect

from interviews.selectors import session_values
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import ConsentRecordFactory, InterviewSessionFactory
from ufm.busy import BUSY_MESSAGE

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_404_page_is_accessible_and_leads_home(page, interviewer, csp_violations):
    log_in(page, interviewer)
    response = page.goto("/interviews/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    check_accessibility(page, "error-404")
    page.get_by_role("link", name="Go to the start page").click()
    expect(page.get_by_role("heading", name="My interviews")).to_be_visible()
    assert csp_violations == []


def test_the_404_page_for_someone_not_logged_in_offers_log_in(page, csp_violations):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    check_accessibility(page, "error-404-anonymous")
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert csp_violations == []


def test_the_403_page_says_why_and_is_accessible(page, analyst, csp_violations):
    log_in(page, analyst)
    response = page.goto("/interviews/")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot do this here")
    expect(page.get_by_text("These pages are for interviewers.")).to_be_visible()
    check_accessibility(page, "error-403")
    assert csp_violations == []


def test_the_admins_404_page_is_in_the_admins_look_and_accessible(
    page, coordinator, csp_violations
):
    log_in(page, coordinator)
    response = page.goto("/admin/no-such-page/")
    assert response.status == 404
    expect(page.locator("#site-name")).to_be_visible()
    check_accessibility(page, "error-404-admin")
    assert csp_violations == []


def test_the_busy_page_is_accessible(page, csp_violations):
    busy = render_to_string(
        "503.html", {"retry_after": 5, "was_a_post": True, "back_url": "/login/"}
    )
    page.route(
        "**/busy-page/",
        lambda route: route.fulfill(status=503, body=busy, content_type="text/html"),
    )
    page.goto("/busy-page/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("please try again")
    check_accessibility(page, "error-503")
    page.get_by_role("link", name="Go back to the page").click()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    assert csp_violations == []


def test_an_autosave_meeting_a_busy_database_retries_and_keeps_the_words(
    new_context, interviewer, partner
):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    page = new_context().new_page()
    log_in(page, interviewer)
    page.goto(f"/interviews/{session.pk}/section/helps/")
    status = page.locator("#save-status")
    expect(status).to_have_text("Your answers save as you type.")

    answered_busy = []

    def busy_once(route):
        if answered_busy:
            route.continue_()
            return
        answered_busy.append(route.request.post_data)
        route.fulfill(
            status=503,
            headers={"Retry-After": "1"},
            content_type="application/json",
            body=json.dumps({"error": BUSY_MESSAGE, "busy": True, "retry_after": 1}),
        )

    page.route("**/autosave/", busy_once)
    page.locator("#quotes-what-else-0").fill("A bus pass that lasts.")
    page.keyboard.press("Tab")
    expect(status).to_contain_text("Not saved yet – the system is busy")
    expect(status).not_to_contain_text("logged out")
    assert "A bus pass that lasts." in page.evaluate("JSON.stringify(localStorage)")
    expect(status).to_have_text(re.compile(r"^Saved \d\d:\d\d$"))
    assert len(answered_busy) == 1
    assert session_values(session)["quotes:what_else"] == ["A bus pass that lasts."]
