"""The consent step: the interviewers' page, the first step of every session."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from interviews.models import ConsentFormVersion, ConsentRecord, Evaluation
from interviews.services.consent_gate import consent_problem
from interviews.services.withdrawal import participant_withdraw
from tests.factories import (
    AnalystFactory,
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
)

pytestmark = pytest.mark.django_db

CODES = ["information", "voluntary", "pseudonymous", "storage", "quotes"]


@pytest.fixture
def session(interviewer, partner):
    return InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)


def url(session) -> str:
    return reverse("interviews:consent", args=[session.pk])


def form_data(*, no=(), **overrides) -> dict:
    version = ConsentFormVersion.objects.get(is_current=True)
    data = {f"statement_{code}": "no" if code in no else "yes" for code in CODES}
    data.update(
        form_version=str(version.pk),
        method="verbal",
        consent_date=timezone.localdate().isoformat(),
        witnessed="on",
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_it_works(client, interviewer, partner, session):
    client.force_login(interviewer)
    response = client.get(url(session))
    assert response.status_code == 200
    html = response.content.decode()
    for statement in ConsentFormVersion.objects.get(is_current=True).statements.all():
        assert statement.text in html
    assert f"{partner.username} witnessed this consent" in html
    assert "version v1, dated 1 March 2018" in html
    assert f'value="{timezone.localdate().isoformat()}"' in html  # the date defaults to today
    assert "<legend" in html  # each yes/no is a fieldset with a legend


def test_the_partner_records_with_the_first_interviewer_as_witness(client, interviewer, session):
    partner = session.interviewer_2
    client.force_login(partner)
    response = client.post(url(session), form_data())
    assert response.status_code == 302
    record = ConsentRecord.objects.get(session=session)
    assert (record.recorded_by, record.witness) == (partner, interviewer)


def test_it_checks_ownership(client, session):
    client.force_login(InterviewerFactory())
    assert client.get(url(session)).status_code == 404
    assert client.post(url(session), form_data()).status_code == 404
    assert not ConsentRecord.objects.exists()


def test_it_requires_an_interviewer(client, session):
    client.force_login(AnalystFactory())
    assert client.get(url(session)).status_code == 403
    assert client.post(url(session), form_data()).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client, session):
    response = client.get(url(session))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_saving_consent_records_everything_and_continues_to_the_session(
    client, interviewer, partner, session
):
    client.force_login(interviewer)
    response = client.post(url(session), form_data(no=["quotes"]))
    assert response.status_code == 302
    assert response.url == session.get_absolute_url()
    record = ConsentRecord.objects.get(session=session)
    assert record.form_version.label == "v1"
    assert record.method == "verbal"
    assert record.consent_date == timezone.localdate()
    assert (record.recorded_by, record.witness) == (interviewer, partner)
    answers = {r.statement.code: r.agreed for r in record.responses.all()}
    assert answers == {code: code != "quotes" for code in CODES}
    assert consent_problem(session) is None


def test_a_required_no_ends_the_session_kindly(client, interviewer, session):
    client.force_login(interviewer)
    response = client.post(url(session), form_data(no=["voluntary"]))
    assert response.status_code == 302
    assert response.url == url(session)
    page = client.get(url(session))
    html = page.content.decode()
    assert page.status_code == 200
    assert "The interview ends here" in html
    assert "that I can stop or withdraw without giving" in html
    assert "Nothing else will be recorded" in html
    assert "Continue to the interview" not in html
    assert consent_problem(session) is not None


def test_recorded_consent_is_shown_read_only(client, interviewer, session):
    ConsentRecordFactory(session=session, answers={"quotes": False})
    client.force_login(interviewer)
    response = client.get(url(session))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Consent is recorded" in html
    assert "Save consent" not in html
    assert "did not agree to be quoted" in html
    assert "Continue to the interview" in html


def test_a_second_consent_is_refused_and_changes_nothing(client, interviewer, session):
    record = ConsentRecordFactory(session=session)
    client.force_login(session.interviewer_2)
    response = client.post(url(session), form_data(no=["information"], method="signed"))
    assert response.status_code == 409
    assert "Consent is recorded" in response.content.decode()
    assert ConsentRecord.objects.get() == record
    assert consent_problem(session) is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"statement_storage": None}, "Choose yes or no for statement 4."),
        ({"statement_quotes": "maybe"}, "Select a valid choice."),
        ({"method": None}, "Choose how consent was given."),
        ({"method": "email"}, "Select a valid choice."),
        ({"consent_date": None}, "Enter the date of consent."),
        ({"consent_date": "31/02/2018"}, "Enter the date of consent as a real date"),
        ({"witnessed": None}, "Your partner must confirm they witnessed this consent."),
        ({"form_version": "x"}, "Enter a whole number."),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(
    client, interviewer, session, overrides, message
):
    client.force_login(interviewer)
    response = client.post(url(session), form_data(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not ConsentRecord.objects.exists()


def test_the_error_summary_links_to_the_field(client, interviewer, session):
    client.force_login(interviewer)
    response = client.post(url(session), form_data(statement_storage=None, consent_date=None))
    html = response.content.decode()
    assert '<a href="#id_statement_storage_0">Choose yes or no for statement 4.</a>' in html
    assert '<a href="#id_consent_date">Enter the date of consent.</a>' in html


def test_a_date_in_the_future_is_refused(client, interviewer, session):
    client.force_login(interviewer)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(url(session), form_data(consent_date=tomorrow.isoformat()))
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_a_date_before_the_interview_date_is_allowed(client, interviewer, session):
    client.force_login(interviewer)
    response = client.post(url(session), form_data(consent_date="2018-04-01"))
    assert response.status_code == 302
    assert ConsentRecord.objects.get().consent_date == datetime.date(2018, 4, 1)


def test_a_form_changed_while_the_page_was_open_is_read_again(client, interviewer, session):
    client.force_login(interviewer)
    data = form_data()
    old = ConsentFormVersion.objects.get(is_current=True)
    new = ConsentFormVersion.objects.create(
        evaluation=Evaluation.objects.current(),
        label="v2",
        information_sheet_date=datetime.date(2019, 1, 1),
    )
    for statement in old.statements.all():
        new.statements.create(code=statement.code, text=statement.text + " (v2)", order=1)
    old.is_current = False
    old.save()
    new.is_current = True
    new.save()
    response = client.post(url(session), data)
    assert response.status_code == 400
    assert "The consent form changed while this page was open" in response.content.decode()
    assert not ConsentRecord.objects.exists()


def test_without_a_current_form_the_page_says_to_ask_the_coordinator(client, interviewer, session):
    data = form_data()
    ConsentFormVersion.objects.update(is_current=False)
    client.force_login(interviewer)
    page = client.get(url(session))
    assert page.status_code == 200
    assert "ask your coordinator" in page.content.decode()
    assert client.post(url(session), data).status_code == 409
    assert not ConsentRecord.objects.exists()


def test_a_withdrawn_participant_has_no_consent_page(client, interviewer, coordinator, session):
    ConsentRecordFactory(session=session)
    participant_withdraw(
        session=session,
        withdrawal_date=session.interview_date,
        how_requested="letter",
        recorded_by=coordinator,
    )
    client.force_login(interviewer)
    assert client.get(url(session)).status_code == 404


def test_the_session_page_leads_to_consent_first(client, interviewer, session):
    client.force_login(interviewer)
    response = client.get(session.get_absolute_url())
    assert response.status_code == 302
    assert response.url == url(session)
