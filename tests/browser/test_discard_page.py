"""Discarding an interview started by mistake, in a real browser, with axe on its page."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from interviews.models import InterviewSession
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import InterviewerFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_pair_discards_a_mistake_from_the_consent_page(page):
    session = InterviewSessionFactory(
        participant_code="LSI-099",
        interviewer_1=InterviewerFactory(),
        interviewer_2=InterviewerFactory(),
    )
    log_in(page, session.interviewer_1)
    page.goto(reverse("interviews:consent", args=[session.pk]))
    page.get_by_role("link", name="discard it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Discard this interview?")
    check_accessibility(page, "discard-confirm")
    page.get_by_role("button", name="Discard this interview").click()
    expect(page.get_by_text("The interview with LSI-099 is discarded.")).to_be_visible()
    assert not InterviewSession.objects.filter(pk=session.pk).exists()
