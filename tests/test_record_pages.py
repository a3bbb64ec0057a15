"""What the review, check, start and section pages show: questions named, consent, steps."""

import html
import re

import pytest
from django.urls import reverse

from interviews.models import ConsentRecord, InterviewSession
from interviews.participant_code_format import PARTICIPANT_CODE_HELP
from interviews.participant_codes import FORMAT_MESSAGE
from interviews.schedules import schedule_of
from interviews.services import sessions as services
from tests.entry_pages import start_data
from tests.factories import (
    ConsentRecordFactory,
    InterviewSessionFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db


def page_url(name, session, *args):
    return reverse(f"interviews:{name}", args=[session.pk, *args])


def texts(page: str, pattern: str) -> list[str]:
    """The text inside each match of ``pattern``'s one group, tags dropped, spaces joined."""
    found = re.findall(pattern, page, flags=re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", f)).split()) for f in found]


@pytest.fixture
def submitted(interviewer, partner):
    interviewer.first_name, partner.first_name = "Alex K", "Sam P"
    interviewer.save()
    partner.save()
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    return services.session_submit(session=session, user=interviewer)


@pytest.mark.parametrize("name", ["review", "check"])
def test_every_group_of_words_names_its_question(client, submitted, interviewer, partner, name):
    client.force_login(partner if name == "check" else interviewer)
    page = client.get(page_url(name, submitted)).content.decode()
    labels = texts(page, r'<dt class="ufm-summary-quotes-label">(.*?)</dt>')
    # From the schedule, so another evaluation's questions are named the same way.
    questions = schedule_of(submitted.evaluation).quote_questions
    assert labels == [f"Their words: {q.label}" for q in questions]
    assert len(labels) == 7


def test_the_check_page_shows_the_consent_as_recorded(client, submitted, partner):
    record = ConsentRecord.objects.select_related("form_version").get(session=submitted)
    refused = record.responses.select_related("statement").get(statement__code="quotes")
    refused.agreed = False
    refused.save()
    client.force_login(partner)
    page = client.get(page_url("check", submitted)).content.decode()
    start = page.index('id="consent-title"')
    consent = page[start : page.index("</section>", start)]
    terms, details = texts(consent, r"<dt>(.*?)</dt>"), texts(consent, r"<dd>(.*?)</dd>")
    pairs = dict(zip(terms, details, strict=True))
    version = record.form_version
    assert pairs == {
        "Consent form": f"Version {version.label}, information sheet dated "
        f"{version.information_sheet_date:%-d %B %Y}",
        "Date of consent": f"{record.consent_date:%-d %B %Y}",
        "How consent was given": "Signed paper form",
        "Recorded by": "Alex K",
        "Witness": "Sam P",
    }
    assert '<th scope="col">Statement</th><th scope="col">Answer</th>' in consent
    rows = texts(consent, r"<tr><td>(.*?)</tr>")
    statements = version.statements.order_by("order", "pk")
    assert rows == [f"{s.text} {'No' if s.code == 'quotes' else 'Yes'}" for s in statements]


def test_the_check_page_says_when_no_consent_is_recorded(client, interviewer, partner):
    session = InterviewSessionFactory(
        interviewer_1=interviewer,
        interviewer_2=partner,
        status=InterviewSession.Status.SUBMITTED,
        submitted_by=interviewer,
    )
    client.force_login(partner)
    page = client.get(page_url("check", session)).content.decode()
    assert "No consent is recorded for this interview." in page


def test_a_participant_code_format_error_is_said_once(client, interviewer, partner):
    client.force_login(interviewer)
    page = client.get(reverse("interviews:start")).content.decode()
    assert page.count(PARTICIPANT_CODE_HELP) == 1  # the help, before any error
    response = client.post(
        reverse("interviews:start"), start_data(partner, participant_code="Mary Jones")
    )
    page = response.content.decode()
    # In the error summary and at the field, and not again as help just below.
    assert page.count(FORMAT_MESSAGE) == 2
    assert PARTICIPANT_CODE_HELP not in page
    assert "id_participant_code_helptext" not in page


def test_a_taken_code_keeps_the_help_with_its_error(client, interviewer, partner):
    InterviewSessionFactory(participant_code="LSI-001")
    client.force_login(interviewer)
    response = client.post(
        reverse("interviews:start"), start_data(partner, participant_code="LSI-001")
    )
    assert response.content.decode().count(PARTICIPANT_CODE_HELP) == 1


@pytest.mark.parametrize("slug", ["feel", "helps", "about"])
def test_the_steps_are_links_with_the_current_one_marked(client, interviewer, partner, slug):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    page = client.get(page_url("section", session, slug)).content.decode()
    start = page.index('<nav class="ufm-progress"')
    nav = page[start : page.index("</nav>", start)]
    links = re.findall(r'<a href="([^"]+)"( aria-current="step")?>([^<]+)</a>', nav)
    assert links == [
        (
            page_url("section", session, "feel"),
            ' aria-current="step"' * (slug == "feel"),
            "1. How you feel",
        ),
        (
            page_url("section", session, "helps"),
            ' aria-current="step"' * (slug == "helps"),
            "2. What helps",
        ),
        (
            page_url("section", session, "about"),
            ' aria-current="step"' * (slug == "about"),
            "3. About you",
        ),
        (page_url("review", session), "", "4. Check and submit"),
    ]


def test_the_review_step_is_marked_current(client, interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    client.force_login(interviewer)
    page = client.get(page_url("review", session)).content.decode()
    assert f'<a href="{page_url("review", session)}" aria-current="step">' in page
    assert page.count('aria-current="step"') == 1


def test_a_section_says_one_thing_about_saving(client, interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session)
    client.force_login(interviewer)
    page = client.get(page_url("section", session, "feel")).content.decode()
    status = texts(page, r'<p id="save-status"[^>]*>(.*?)</p>')
    # static/js/entry/autosave.js replaces it with "Your answers save as you type." once it runs.
    assert status == ["Press Back, Next or Save and stay to save your answers."]
    assert "as you type" not in page
