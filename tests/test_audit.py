"""Every change can be traced: the history (django-simple-history) of sessions, answers,
quotes, consent, tags and the codebook says who changed what and when, whether the change came
through a page or straight through a service (a command, the shell); and who may read it."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    Answer,
    ConsentFormVersion,
    ConsentRecord,
    ConsentResponse,
    InterviewSession,
    Quote,
)
from interviews.services import sessions as services
from interviews.services.consent import consent_record
from interviews.services.withdrawal import participant_withdraw
from tests.factories import (
    InterviewSessionFactory,
    QuoteFactory,
    complete_session,
    site,
)
from themes import services as themes_services
from themes.models import SubTheme, Tag
from ufm.history import history_user

pytestmark = pytest.mark.django_db


def assert_traced(record, user) -> None:
    """The newest history row is by ``user``, made just now."""
    assert record.history_user == user
    assert timezone.now() - record.history_date < datetime.timedelta(minutes=1)


# Through the services, with no web request: the services record who themselves.


def test_starting_a_session_records_who(interviewer, partner):
    session = services.session_start(
        participant_code="LSI-700",
        interview_date=datetime.date(2018, 4, 12),
        site=site(),
        interviewer=interviewer,
        partner=partner,
    )
    created = session.history.get()
    assert created.history_type == "+"
    assert_traced(created, interviewer)


def test_saving_answers_and_quotes_records_who(draft, partner):
    services.answers_save(
        session=draft,
        user=partner,
        version=draft.version,
        changes={
            "answer:help": {"old": "", "new": "often"},
            "quotes:help": {"old": [], "new": ["Nobody rings."]},
        },
    )
    assert_traced(Answer.history.get(session=draft, question__code="help"), partner)
    assert_traced(Quote.history.get(session=draft, question__code="help"), partner)
    assert_traced(InterviewSession.history.filter(id=draft.pk).latest(), partner)


def test_submit_verify_return_and_reopen_record_who(interviewer, partner, coordinator):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    steps = [
        (services.session_submit, interviewer, {}),
        (services.session_return, partner, {"note": "Check item 2."}),
        (services.session_submit, interviewer, {}),
        (services.session_verify, partner, {}),
        (services.session_reopen, coordinator, {"reason": "A typo."}),
    ]
    for service, user, extra in steps:
        service(session=session, user=user, **extra)
        assert_traced(InterviewSession.history.filter(id=session.pk).latest(), user)
    statuses = InterviewSession.history.filter(id=session.pk).order_by("history_date")
    assert [h.status for h in statuses][-5:] == [
        "submitted",
        "draft",
        "submitted",
        "verified",
        "draft",
    ]


def test_recording_consent_records_who_for_the_record_and_every_answer(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    version = ConsentFormVersion.objects.get(is_current=True)
    record = consent_record(
        session=session,
        recorded_by=interviewer,
        form_version=version,
        consent_date=session.interview_date,
        method=ConsentRecord.Method.SIGNED,
        answers={s.code: True for s in version.statements.all()},
    )
    assert_traced(record.history.get(), interviewer)
    responses = ConsentResponse.history.filter(record_id=record.pk)
    assert responses.count() == version.statements.count()
    assert {r.history_user for r in responses} == {interviewer}


def test_a_withdrawal_records_who(draft, coordinator):
    withdrawal = participant_withdraw(
        session=draft,
        withdrawal_date=draft.interview_date,
        how_requested="By phone",
        recorded_by=coordinator,
    )
    assert_traced(withdrawal.history.get(), coordinator)


def test_tagging_and_untagging_record_who(analyst):
    quote = QuoteFactory()
    safe_spaces = SubTheme.objects.get(code="safe_spaces")
    themes_services.tags_set(quote=quote, subthemes=[safe_spaces], user=analyst)
    assert_traced(Tag.history.get(quote_id=quote.pk, history_type="+"), analyst)
    themes_services.tags_set(quote=quote, subthemes=[], user=analyst)
    assert_traced(Tag.history.get(quote_id=quote.pk, history_type="-"), analyst)


def test_codebook_services_record_who_when_told(coordinator):
    # The codebook's services take no user: on the web the request says who (see below);
    # elsewhere the caller says it with history_user.
    subtheme = SubTheme.objects.get(code="safe_spaces")
    with history_user(coordinator):
        themes_services.subtheme_update(
            subtheme=subtheme, label="Safe places", description="", order=1, is_active=True
        )
    assert_traced(subtheme.history.latest(), coordinator)


# Through the pages: the request says who.


def test_autosave_records_the_interviewer(client, draft, interviewer):
    client.force_login(interviewer)
    body = {"version": draft.version, "changes": {"answer:help": {"old": "", "new": "often"}}}
    response = client.post(
        reverse("interviews:autosave", args=[draft.pk]), json.dumps(body), "application/json"
    )
    assert response.status_code == 200
    assert_traced(Answer.history.get(session=draft, question__code="help"), interviewer)


def test_changing_the_codebook_in_the_admin_records_the_coordinator(client, coordinator):
    subtheme = SubTheme.objects.get(code="safe_spaces")
    client.force_login(coordinator)
    response = client.post(
        reverse("admin:themes_subtheme_change", args=[subtheme.pk]),
        {"label": "Safe places", "description": "", "order": 1, "is_active": "on"},
    )
    assert response.status_code == 302
    latest = subtheme.history.latest()
    assert latest.label == "Safe places"
    assert_traced(latest, coordinator)


def test_tagging_in_the_admin_records_the_analyst(client, analyst):
    session = complete_session()
    quote = QuoteFactory(session=session)
    session.status = InterviewSession.Status.VERIFIED
    session.save()
    client.force_login(analyst)
    safe_spaces = SubTheme.objects.get(code="safe_spaces")
    response = client.post(
        reverse("admin:interviews_quote_change", args=[quote.pk]), {"subthemes": [safe_spaces.pk]}
    )
    assert response.status_code == 302
    assert_traced(Tag.history.get(quote_id=quote.pk), analyst)


# Who may read the history.


def test_coordinators_can_read_a_sessions_history(client, draft, coordinator, partner):
    services.answers_save(
        session=draft,
        user=partner,
        version=draft.version,
        changes={"answer:help": {"old": "", "new": "often"}},
    )
    client.force_login(coordinator)
    response = client.get(reverse("admin:interviews_interviewsession_history", args=[draft.pk]))
    assert response.status_code == 200
    assert partner.get_username() in response.content.decode()


def test_analysts_can_read_the_codebooks_history(client, analyst, coordinator):
    subtheme = SubTheme.objects.get(code="safe_spaces")
    with history_user(coordinator):
        themes_services.subtheme_retire(subtheme=subtheme)
    client.force_login(analyst)
    response = client.get(reverse("admin:themes_subtheme_history", args=[subtheme.pk]))
    assert response.status_code == 200
    assert coordinator.get_username() in response.content.decode()


@pytest.mark.parametrize(
    "name", ["admin:interviews_interviewsession_history", "admin:themes_subtheme_history"]
)
def test_interviewers_cannot_read_any_history(client, draft, interviewer, name):
    client.force_login(interviewer)
    pk = draft.pk if "interviewsession" in name else SubTheme.objects.first().pk
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
