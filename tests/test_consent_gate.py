"""The one consent gate, and every write path of interview data in the admin."""

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from interviews.models import Answer, Quote, Tick
from interviews.services.consent_gate import (
    NO_CONSENT,
    NO_QUOTES,
    REFUSED,
    WITHDRAWN,
    ConsentRequired,
    consent_problem,
    consent_require,
    quotes_allowed,
)
from tests.consent_gate import assert_write_refused_without_consent, sessions_without_consent
from tests.factories import (
    ConsentRecordFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    UserFactory,
    complete_session,
)

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Answer, Quote, Tick]


def test_the_gate_opens_with_consent_to_every_required_statement():
    session = ConsentRecordFactory().session
    assert consent_problem(session) is None
    consent_require(session)  # does not raise


def test_the_gate_gives_the_reason_it_refuses():
    reasons = {case: consent_problem(s) for case, s in sessions_without_consent().items()}
    assert reasons == {"missing": NO_CONSENT, "required_no": REFUSED, "withdrawn": WITHDRAWN}


def test_the_gate_refuses_a_session_not_saved_yet():
    session = InterviewSessionFactory.build()
    with pytest.raises(ConsentRequired, match="Record consent"):
        consent_require(session)


def test_the_gate_works_inside_a_transaction_where_it_locks_the_session():
    session = ConsentRecordFactory().session
    with transaction.atomic():
        consent_require(session)
    missing = InterviewSessionFactory()
    with transaction.atomic(), pytest.raises(ConsentRequired):
        consent_require(missing)


def test_a_required_statement_left_unanswered_counts_as_no():
    record = ConsentRecordFactory()
    record.responses.filter(statement__code="storage").delete()
    assert consent_problem(record.session) == REFUSED


def test_quote_consent_no_keeps_answers_but_refuses_words():
    session = ConsentRecordFactory(answers={"quotes": False}).session
    assert consent_problem(session) is None
    assert consent_problem(session, for_quotes=True) == NO_QUOTES
    assert not quotes_allowed(session)
    yes = ConsentRecordFactory().session
    assert consent_problem(yes, for_quotes=True) is None
    assert quotes_allowed(yes)


def test_the_helper_notices_a_write_path_without_the_gate():
    """The test helper must be able to fail: an ungated write is caught."""

    def ungated(session):
        ItemAnswerFactory(session=session, item="help", answer="often")

    with pytest.raises(pytest.fail.Exception):
        assert_write_refused_without_consent(ungated)


# The admin: interview content is never typed there, whoever logs in.


@pytest.mark.parametrize("model", [m for m in CONTENT_MODELS if m is not Quote])
def test_the_admin_has_no_page_to_add_or_change_interview_content(model):
    assert model not in admin.site._registry
    info = (model._meta.app_label, model._meta.model_name)
    for view in ("add", "changelist"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:{info[0]}_{info[1]}_{view}")


def test_the_analysts_quote_pages_cannot_add_quotes_or_change_their_words(rf):
    """Quotes are registered for tagging only: no add page, the words read-only."""
    quote_admin = admin.site._registry[Quote]
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    assert not quote_admin.has_add_permission(request)
    assert not quote_admin.has_delete_permission(request)
    assert "text" not in quote_admin.get_fields(request)
    assert "words" in quote_admin.get_readonly_fields(request)


@pytest.mark.parametrize("role", ["coordinator", "analyst", "superuser"])
def test_the_admin_shows_interview_content_read_only(client, role):
    user = (
        UserFactory(is_staff=True, is_superuser=True)
        if role == "superuser"
        else UserFactory(is_staff=True, role=role)
    )
    session = complete_session()
    request = client.get("/").wsgi_request
    request.user = user
    session_admin = admin.site._registry[type(session)]
    for inline in session_admin.get_inline_instances(request, session):
        if inline.model in CONTENT_MODELS:
            assert not inline.has_add_permission(request, session)
            assert not inline.has_change_permission(request, session)
            assert not inline.has_delete_permission(request, session)
    assert not session_admin.has_change_permission(request, session)
    assert not session_admin.has_add_permission(request)


@pytest.mark.parametrize("role", ["coordinator", "superuser"])
def test_the_admin_refuses_to_store_answers_quotes_or_demographics(client, role):
    """Even a POST crafted by hand to the session's admin page stores nothing."""
    user = (
        UserFactory(is_staff=True, is_superuser=True)
        if role == "superuser"
        else UserFactory(is_staff=True, role=role)
    )
    client.force_login(user)
    session = InterviewSessionFactory()  # no consent
    data = {
        "answers-TOTAL_FORMS": "1",
        "answers-INITIAL_FORMS": "0",
        "answers-0-item": "help",
        "answers-0-answer": "often",
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-0-item": "help",
        "quotes-0-position": "0",
        "quotes-0-text": "Typed into the admin.",
        "demographics-TOTAL_FORMS": "1",
        "demographics-INITIAL_FORMS": "0",
        "demographics-0-age_band": "45_54",
        "weekly_contacts-TOTAL_FORMS": "1",
        "weekly_contacts-INITIAL_FORMS": "0",
        "weekly_contacts-0-code": "friends",
    }
    change = client.post(
        reverse("admin:interviews_interviewsession_change", args=[session.pk]), data
    )
    add = client.post(
        reverse("admin:interviews_interviewsession_add"),
        {**data, "participant_code": "LSI-900", "interview_date": "2018-04-12"},
    )
    assert change.status_code == 403
    assert add.status_code == 403
    for model in CONTENT_MODELS:
        assert not model.objects.exists()
