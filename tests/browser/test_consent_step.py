"""The consent step in a real browser: read aloud, answer, save; and the kind refusal page."""

import pytest
from django.urls import reverse

from interviews.models import ConsentRecord
from interviews.services.consent_gate import consent_problem
from tests.browser.conftest import check_accessibility, log_in
from tests.factories import InterviewerFactory, InterviewSessionFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def session():
    return InterviewSessionFactory(
        participant_code="LSI-023",
        interviewer_1=InterviewerFactory(username="amira"),
        interviewer_2=InterviewerFactory(username="ben"),
    )


def answer(page, number: int, choice: str) -> None:
    group = page.get_by_role("group", name=f"{number}.")
    group.get_by_label(choice, exact=True).check()


def test_the_interviewer_records_consent(page, session, csp_violations):
    log_in(page, session.interviewer_1)
    page.goto(reverse("interviews:consent", args=[session.pk]))
    assert page.title() == "Consent for LSI-023 – UFM Interviews"
    check_accessibility(page, "consent-form")

    # Saving with nothing answered: the summary at the top links to each question.
    page.get_by_role("button", name="Save consent").click()
    summary = page.get_by_role("alert")
    assert "Choose yes or no for statement 1." in summary.inner_text()
    check_accessibility(page, "consent-form-errors")
    summary.get_by_role("link", name="Choose yes or no for statement 3.").click()
    assert page.evaluate("document.activeElement.id") == "id_statement_pseudonymous_0"

    for number in range(1, 5):
        answer(page, number, "Yes")
    answer(page, 5, "No")
    page.get_by_label("Verbal consent recorded by both interviewers").check()
    page.get_by_label("ben witnessed this consent").check()
    page.get_by_role("button", name="Save consent").click()
    # Consent recorded: the schedule starts.
    page.wait_for_url(f"**/interviews/{session.pk}/section/feel/")

    record = ConsentRecord.objects.get(session=session)
    assert record.method == "verbal"
    assert {r.statement.code: r.agreed for r in record.responses.all()}["quotes"] is False
    assert consent_problem(session) is None

    page.goto(reverse("interviews:consent", args=[session.pk]))
    assert page.get_by_role("heading", name="Consent is recorded").is_visible()
    assert page.get_by_text("did not agree to be quoted").is_visible()
    check_accessibility(page, "consent-recorded")
    assert csp_violations == []


def test_a_required_no_ends_the_interview_kindly(page, session, csp_violations):
    log_in(page, session.interviewer_2)
    page.goto(reverse("interviews:consent", args=[session.pk]))
    answer(page, 1, "Yes")
    answer(page, 2, "No")
    for number in range(3, 6):
        answer(page, number, "Yes")
    page.get_by_label("Signed paper form").check()
    page.get_by_label("amira witnessed this consent").check()
    page.get_by_role("button", name="Save consent").click()

    assert page.get_by_role("heading", name="The interview ends here").is_visible()
    assert page.get_by_text("Nothing else will be recorded for this participant").is_visible()
    check_accessibility(page, "consent-ended")
    assert consent_problem(session) is not None
    assert csp_violations == []
