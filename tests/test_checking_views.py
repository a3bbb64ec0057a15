"""Submit, the partner's check (verify or return), the review summary and the pages' pinned
query counts."""

import pytest

from interviews.models import InterviewSession, SessionEvent
from interviews.schedules import schedule_of
from interviews.selectors import missing_fields, session_values
from interviews.services import sessions as services
from interviews.views.presenter import _summary
from tests.entry_pages import add_quotes, page_url, queries
from tests.factories import ItemAnswerFactory, complete_session

pytestmark = pytest.mark.django_db


def test_submit_lists_what_is_missing_with_links(client, draft, interviewer):
    client.force_login(interviewer)
    response = client.post(page_url("review", draft))
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    link = page_url("section", draft, "about") + "#demo-borough-0"
    assert f'href="{link}"' in page
    draft.refresh_from_db()
    assert draft.status == InterviewSession.Status.DRAFT


def test_submit_sends_a_complete_record_to_the_partner(client, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    response = client.post(page_url("review", session), follow=True)
    assert f"Sent to {partner.username} for checking" in response.content.decode()
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.SUBMITTED
    # The submitter now reads the summary; the partner is sent to check it.
    assert client.get(page_url("session", session)).url == page_url("review", session)
    client.force_login(partner)
    assert client.get(page_url("session", session)).url == page_url("check", session)


# The partner's check


def test_the_partner_verifies(client, submitted, partner):
    client.force_login(partner)
    page = client.get(page_url("check", submitted)).content.decode()
    assert "Verify the record" in page
    client.post(page_url("check", submitted), {"action": "verify"})
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.VERIFIED
    assert submitted.verified_by == partner


def test_the_partner_returns_with_a_note_shown_to_the_submitter(
    client, submitted, interviewer, partner
):
    client.force_login(partner)
    response = client.post(page_url("check", submitted), {"action": "return", "note": ""})
    assert response.status_code == 400
    assert "Write what needs correcting" in response.content.decode()
    client.post(page_url("check", submitted), {"action": "return", "note": "Age is 35-44."})
    client.force_login(interviewer)
    page = client.get(page_url("section", submitted, "feel")).content.decode()
    assert "Your partner returned this record to you" in page
    assert "Age is 35-44." in page
    assert SessionEvent.objects.filter(session=submitted, kind="returned").exists()


def test_the_submitter_cannot_check_their_own_record(client, submitted, interviewer):
    client.force_login(interviewer)
    assert client.get(page_url("check", submitted)).status_code == 403
    assert client.post(page_url("check", submitted), {"action": "verify"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == InterviewSession.Status.SUBMITTED


def test_checking_a_draft_is_refused(client, draft, partner):
    client.force_login(partner)
    assert client.post(page_url("check", draft), {"action": "verify"}).status_code == 409


# Query counts, the same for 1 and 10 quotes


@pytest.mark.parametrize(
    ("name", "args", "expected"),
    [
        # session, user, roles, the session with its evaluation; the consent gate (the
        # session with its withdrawal and consent record, locked inside a transaction; the
        # statements with their answers), quotes allowed; access log; answers, ticks, quotes;
        # the login session is not saved again within its minute. The schedule is read from
        # memory.
        ("section", ("feel",), 11),
        ("section", ("helps",), 11),
        ("section", ("about",), 11),
        ("review", (), 11),
    ],
)
def test_session_pages_query_count_does_not_grow_with_quotes(
    client, interviewer, partner, name, args, expected
):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        client.force_login(interviewer)
        counts.append(queries(client, "get", page_url(name, session, *args)))
    assert counts == [expected, expected]


def test_check_page_query_count_does_not_grow_with_quotes(client, interviewer, partner):
    counts = []
    for count in (1, 10):
        session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
        add_quotes(session, count)
        services.session_submit(session=session, user=interviewer)
        client.force_login(partner)
        counts.append(queries(client, "get", page_url("check", session)))
    # session, user, roles, the session with its evaluation; access log; quotes allowed;
    # answers, ticks, quotes; the consent record (with its version and both interviewers), its
    # answers with their statements
    assert counts[0] == counts[1] == 12


def test_review_marks_missing_what_submit_refuses(draft):
    """The summary's "not answered" marks are the submit rule's, whatever is answered."""
    ItemAnswerFactory(session=draft, item="companionship", answer="often")
    values = session_values(draft)
    schedule = schedule_of(draft.evaluation)
    marked = {
        row["key"]
        for section in _summary(schedule, values, with_quotes=True)
        for row in section["rows"]
        if row.get("missing")
    }
    assert marked == set(missing_fields(schedule, values))
    assert "answer:companionship" not in marked
    assert "demo:borough" in marked
