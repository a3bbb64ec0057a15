"""The interviewers' pages run any evaluation: the crisis-care example (other answer lists, a
hint, a tick-all, an open question in a coded section, a score) imported from its workbook and
driven page by page, autosave key by key, through review, submit and verify."""

import pytest
from django.urls import reverse

from interviews.models import Answer, InterviewSession, Quote, Tick
from interviews.schedules import schedule_of
from interviews.selectors import session_values
from interviews.services import sessions as services
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.entry_pages import autosave, original_of, page_url, queries
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    complete_session,
)
from tests.workbook_examples import example_rows, workbook_bytes

pytestmark = pytest.mark.django_db

COMPLETE = {
    "answer:seen_quickly": "agree",
    "answer:listened_to": "partly",
    "answer:felt_safe": "not_sure",
    "demo:age_band": "35-54",
    "demo:first_contact": "no",
}


@pytest.fixture
def crisis(crisis_care):
    return crisis_care


def crisis_session(crisis, interviewer, partner, **consent):
    session = InterviewSessionFactory(
        evaluation=crisis,
        participant_code="CC-001",
        interviewer_1=interviewer,
        interviewer_2=partner,
    )
    ConsentRecordFactory(session=session, **consent)
    return session


@pytest.fixture
def crisis_draft(crisis, interviewer, partner):
    return crisis_session(crisis, interviewer, partner)


def save(session, user, values):
    session.refresh_from_db()
    changes = {
        key: {"old": session_values(session)[key], "new": new} for key, new in values.items()
    }
    result = services.answers_save(
        session=session, user=user, version=session.version, changes=changes
    )
    assert result.conflicts == []


# The pages


def test_the_steps_are_its_sections_then_check_and_submit(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    response = client.get(page_url("session", crisis_draft))
    assert response.url == page_url("section", crisis_draft, "care")
    page = client.get(response.url).content.decode()
    assert "Step 1 of 3" in page
    assert "1. Your care" in page and "2. About you" in page and "3. Check and submit" in page
    assert "Next: About you" in page


def test_the_care_page_draws_its_rows_in_survey_order(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    page = client.get(page_url("section", crisis_draft, "care")).content.decode()
    order = [
        '<p class="ufm-prompt">Think of the last time you asked for help in a crisis.</p>',
        'name="answer:seen_quickly"',
        'name="quotes:seen_quickly"',
        'name="answer:listened_to"',
        'name="answer:felt_safe"',
        'name="ticks:contacted"',
        'name="quotes:helped_most"',
    ]
    places = [page.index(text) for text in order]
    assert places == sorted(places)
    assert page.count('type="radio"') == 3 * 4  # three agreement questions
    assert page.count('type="checkbox"') == 5  # the services, tick all that apply
    assert 'id="ticks-contacted-4"' in page and ">A&amp;E</label>" in page
    # Quote boxes for the two items that take quotes and the open question, none for felt_safe.
    assert page.count("Add another quote") == 3
    assert 'name="quotes:felt_safe"' not in page
    # The hint is shown and read with its question.
    assert 'id="answer-felt-safe-0-hint">Safe from harm, and safe to speak.</p>' in page
    assert 'aria-describedby="answer-felt-safe-0-hint"' in page
    # Nothing of the loneliness schedule.
    assert "How often" not in page and "For each one" not in page


def test_the_about_page_has_no_score_and_the_review_comes_next(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    page = client.get(page_url("section", crisis_draft, "you")).content.decode()
    assert page.count('type="radio"') == 3 + 3
    assert 'name="demo:age_band"' in page and 'name="demo:first_contact"' in page
    assert "Care score" not in page  # derived, never asked
    assert "Next: Check and submit" in page
    assert "Back<span" in page


def test_a_loneliness_page_is_no_page_of_this_evaluation(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    for slug in ("feel", "helps", "about"):
        assert client.get(page_url("section", crisis_draft, slug)).status_code == 404


def test_each_page_posts_and_moves_on_to_the_review(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    url = page_url("section", crisis_draft, "care")
    response = client.post(
        url,
        {
            "version": crisis_draft.version,
            "original": original_of(client.get(url)),
            "answer:seen_quickly": "agree",
            "quotes:seen_quickly": ["Within the hour.", ""],
            "answer:listened_to": "partly",
            "answer:felt_safe": "disagree",
            "ticks:contacted": ["police", "crisis_line"],
            "quotes:helped_most": ["A nurse who called back."],
            "go": "next",
        },
    )
    assert response.url == page_url("section", crisis_draft, "you")
    url = page_url("section", crisis_draft, "you")
    crisis_draft.refresh_from_db()
    response = client.post(
        url,
        {
            "version": crisis_draft.version,
            "original": original_of(client.get(url)),
            "demo:age_band": "55+",
            "demo:first_contact": "yes",
            "go": "next",
        },
    )
    assert response.url == page_url("review", crisis_draft)
    values = session_values(crisis_draft)
    assert values["answer:seen_quickly"] == "agree"
    assert values["quotes:seen_quickly"] == ["Within the hour."]
    assert values["ticks:contacted"] == ["crisis_line", "police"]
    assert values["quotes:helped_most"] == ["A nurse who called back."]
    assert values["demo:age_band"] == "55+"
    assert Answer.objects.filter(session=crisis_draft).count() == 5
    assert Tick.objects.filter(session=crisis_draft).count() == 2
    # Back from the about page goes to the care page.
    crisis_draft.refresh_from_db()
    response = client.post(
        url,
        {"version": crisis_draft.version, "original": original_of(client.get(url)), "go": "back"},
    )
    assert response.url == page_url("section", crisis_draft, "care")


def test_a_page_post_with_a_code_of_no_answer_is_refused_clearly(client, crisis_draft, interviewer):
    client.force_login(interviewer)
    url = page_url("section", crisis_draft, "care")
    response = client.post(
        url,
        {
            "version": crisis_draft.version,
            "original": original_of(client.get(url)),
            "answer:seen_quickly": "agree",
            "answer:felt_safe": "often",  # a loneliness answer
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#answer-felt-safe-0"' in page
    assert "Unknown answer for &#x27;I felt safe.&#x27;: often." in page
    assert not Answer.objects.filter(session=crisis_draft).exists()  # nothing half-saved


# Autosave


@pytest.mark.parametrize(
    ("key", "new"),
    [
        ("answer:listened_to", "disagree"),
        ("ticks:contacted", ["other", "a_and_e"]),
        ("quotes:listened_to", ["They heard me out."]),
        ("quotes:helped_most", ["Being believed.", "A quiet room."]),
        ("demo:first_contact", "not_sure"),
    ],
)
def test_autosave_saves_every_kind_of_key(client, crisis_draft, interviewer, key, new):
    client.force_login(interviewer)
    empty = [] if isinstance(new, list) else ""
    response = autosave(client, crisis_draft, {key: {"old": empty, "new": new}})
    assert response.status_code == 200, response.content
    assert response.json()["applied"] == [key]
    stored = session_values(crisis_draft)[key]
    assert stored == (sorted(new) if key.startswith("ticks:") else new)


@pytest.mark.parametrize(
    ("key", "new", "message"),
    [
        ("answer:felt_safe", "often", "Unknown answer for 'I felt safe.': often."),
        ("ticks:contacted", ["friends"], "Unknown answer for 'Which services did you contact?"),
        ("demo:age_band", "45-54", "Unknown answer for 'Age': 45-54."),
        # Keys of the loneliness evaluation, and keys of the wrong kind.
        ("answer:companionship", "often", "Unknown question: answer:companionship."),
        ("ticks:sees", ["friends"], "Unknown question: ticks:sees."),
        ("quotes:felt_safe", ["Words."], "Unknown question: quotes:felt_safe."),
        ("demo:seen_quickly", "agree", "Unknown question: demo:seen_quickly."),
        ("answer:care_score", "2", "Unknown question: answer:care_score."),
    ],
)
def test_autosave_refuses_what_is_not_this_evaluations(
    client, crisis_draft, interviewer, key, new, message
):
    client.force_login(interviewer)
    empty = [] if isinstance(new, list) else ""
    response = autosave(
        client,
        crisis_draft,
        {"answer:seen_quickly": {"old": "", "new": "agree"}, key: {"old": empty, "new": new}},
    )
    assert response.status_code == 400
    assert message in response.json()["error"]
    crisis_draft.refresh_from_db()
    assert crisis_draft.version == 1
    assert not Answer.objects.filter(session=crisis_draft).exists()
    assert not Quote.objects.filter(session=crisis_draft).exists()


def test_a_loneliness_session_refuses_a_crisis_care_key(client, draft, crisis, interviewer):
    client.force_login(interviewer)
    response = autosave(client, draft, {"answer:seen_quickly": {"old": "", "new": "agree"}})
    assert response.status_code == 400
    assert response.json()["error"] == "Unknown question: answer:seen_quickly."


# Review, submit, verify


def test_the_review_lists_each_missing_required_question_with_a_link(
    client, crisis_draft, interviewer
):
    save(crisis_draft, interviewer, {"answer:listened_to": "agree", "ticks:contacted": ["police"]})
    client.force_login(interviewer)
    page = client.get(page_url("review", crisis_draft)).content.decode()
    assert "4 questions still to answer." in page
    response = client.post(page_url("review", crisis_draft))
    assert response.status_code == 400
    page = response.content.decode()
    care = page_url("section", crisis_draft, "care")
    you = page_url("section", crisis_draft, "you")
    for url, anchor, words in [
        (care, "answer-seen-quickly-0", "I was seen quickly when I asked for help. (Your care)"),
        (care, "answer-felt-safe-0", "I felt safe. (Your care)"),
        (you, "demo-age-band-0", "Age (About you)"),
        (you, "demo-first-contact-0", "Was this your first contact with crisis services?"),
    ]:
        assert f'href="{url}#{anchor}"' in page
        assert words in page.replace("&#x27;", "")
    # Not required: the tick-all, the open question; answered: listened_to.
    assert "#answer-listened-to-0" not in page
    assert "#ticks-contacted-0" not in page and "#quotes-helped-most-0" not in page
    crisis_draft.refresh_from_db()
    assert crisis_draft.status == InterviewSession.Status.DRAFT


def test_a_complete_record_is_submitted_and_verified(client, crisis_draft, interviewer, partner):
    save(crisis_draft, interviewer, {**COMPLETE, "quotes:helped_most": ["Being believed."]})
    client.force_login(interviewer)
    assert client.get(page_url("session", crisis_draft)).url == page_url("review", crisis_draft)
    page = client.get(page_url("review", crisis_draft)).content.decode()
    assert "<dt>I felt safe.</dt>\n        <dd>Not sure</dd>" in page
    assert "<dd>(none ticked)</dd>" in page
    assert "Their words: What helped most?" in page
    response = client.post(page_url("review", crisis_draft))
    assert response.url == reverse("interviews:my_interviews")
    client.force_login(partner)
    page = client.get(page_url("check", crisis_draft)).content.decode()
    assert "“Being believed.”" in page and "<dd>35-54</dd>" in page
    response = client.post(page_url("check", crisis_draft), {"action": "verify"})
    assert response.url == reverse("interviews:my_interviews")
    crisis_draft.refresh_from_db()
    assert (crisis_draft.status, crisis_draft.verified_by) == ("verified", partner)


def test_an_incomplete_record_cannot_be_verified(client, crisis_draft, interviewer, partner):
    save(crisis_draft, interviewer, COMPLETE)
    services.session_submit(session=crisis_draft, user=interviewer)
    Answer.objects.filter(session=crisis_draft, question__code="age_band").delete()
    client.force_login(partner)
    response = client.post(page_url("check", crisis_draft), {"action": "verify"})
    assert response.status_code == 409
    assert "cannot be verified" in response.content.decode()
    crisis_draft.refresh_from_db()
    assert crisis_draft.status == InterviewSession.Status.SUBMITTED


# Quote consent, access and queries


def test_without_quote_consent_the_open_question_is_asked_but_nothing_typed(
    client, crisis, interviewer, partner
):
    session = crisis_session(crisis, interviewer, partner, answers={"quotes": False})
    client.force_login(interviewer)
    page = client.get(page_url("section", session, "care")).content.decode()
    assert "did not agree to be quoted" in page
    assert "nothing is recorded on this page" not in page  # its coded questions are
    assert "Add another quote" not in page
    assert '<p class="ufm-question-text">What helped most?</p>' in page
    # The notice comes after the words read out first, before the first question.
    assert page.index("Think of the last time") < page.index("did not agree to be quoted")
    assert page.index("did not agree to be quoted") < page.index('name="answer:seen_quickly"')
    response = autosave(client, session, {"quotes:helped_most": {"old": [], "new": ["Words."]}})
    assert response.status_code == 403
    assert not Quote.objects.exists()


def test_the_pages_are_the_pairs_only(client, crisis_draft, analyst):
    pages = [
        page_url("section", crisis_draft, "care"),
        page_url("section", crisis_draft, "you"),
        page_url("review", crisis_draft),
    ]
    for url in pages:
        assert client.get(url).url.startswith(reverse("login"))
    client.force_login(InterviewerFactory())
    assert [client.get(url).status_code for url in pages] == [404, 404, 404]
    client.force_login(analyst)
    assert [client.get(url).status_code for url in pages] == [403, 403, 403]


def test_its_pages_take_as_many_queries_as_the_loneliness_pages(
    client, crisis_draft, interviewer, partner
):
    loneliness = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    schedule_of(crisis_draft.evaluation)  # read once, as a running server has it
    schedule_of(loneliness.evaluation)
    client.force_login(interviewer)
    # The same 11 as tests/test_checking_views.py: the schedule is read from memory.
    counts = [
        queries(client, "get", page_url("section", crisis_draft, "care")),
        queries(client, "get", page_url("section", crisis_draft, "you")),
        queries(client, "get", page_url("review", crisis_draft)),
        queries(client, "get", page_url("section", loneliness, "feel")),
    ]
    assert counts == [11, 11, 11, 11]


# A section of open questions only, as "What helps" is for the loneliness study


@pytest.fixture
def with_open_section():
    """The example with its open question moved to a section of its own, nothing required."""
    rows = example_rows()
    survey = rows["survey"]
    helped_most = survey.pop(7)
    end_of_care = survey.index(["end_group", "", "", "", "", "", "", ""]) + 1
    survey[end_of_care:end_of_care] = [
        ["begin_group", "words", "In your words", "", "", "", "", "schedule"],
        helped_most,
        ["end_group", "", "", "", "", "", "", ""],
    ]
    design = read_workbook(workbook_bytes(rows))
    return evaluation_import(design, dry_run=False).evaluation


def test_an_empty_open_section_is_where_the_pair_resumes(
    client, with_open_section, interviewer, partner
):
    session = crisis_session(with_open_section, interviewer, partner)
    care = {k: v for k, v in COMPLETE.items() if k.startswith("answer:")}
    save(session, interviewer, care)
    client.force_login(interviewer)
    assert client.get(page_url("session", session)).url == page_url("section", session, "words")
    page = client.get(page_url("section", session, "words")).content.decode()
    assert "Step 2 of 4" in page and "Next: About you" in page
    save(session, interviewer, {"quotes:helped_most": ["Being believed."]})
    assert client.get(page_url("session", session)).url == page_url("section", session, "you")
    # Left empty once the later sections are done: nothing said is an answer too.
    save(session, interviewer, {"quotes:helped_most": [], **COMPLETE})
    assert client.get(page_url("session", session)).url == page_url("review", session)


def test_without_quote_consent_an_open_section_records_nothing_and_says_so(
    client, with_open_section, interviewer, partner
):
    session = crisis_session(with_open_section, interviewer, partner, answers={"quotes": False})
    save(session, interviewer, {k: v for k, v in COMPLETE.items() if k.startswith("answer:")})
    client.force_login(interviewer)
    # Nothing can be typed there, so it is not where the interview resumes.
    assert client.get(page_url("session", session)).url == page_url("section", session, "you")
    page = client.get(page_url("section", session, "words")).content.decode()
    assert "Ask these questions if they want to talk about them; nothing is recorded" in page
    assert '<p class="ufm-question-text">What helped most?</p>' in page
    page = client.get(page_url("review", session)).content.decode()
    assert page.count("so no words are recorded here") == 1


def test_a_practice_interview_says_so_on_every_page(client, crisis, interviewer, partner):
    session = crisis_session(crisis, interviewer, partner)
    client.force_login(interviewer)
    pages = [page_url("section", session, "care"), page_url("review", session)]
    note = "A practice interview for Crisis care: what helped when things were hardest"
    assert [note in client.get(url).content.decode() for url in pages] == [False, False]
    assert "Practice</span>" not in client.get(reverse("interviews:my_interviews")).content.decode()
    InterviewSession.objects.filter(pk=session.pk).update(practice=True)
    assert [note in client.get(url).content.decode() for url in pages] == [True, True]
    assert "Practice</span>" in client.get(reverse("interviews:my_interviews")).content.decode()
