"""The participant code rule: every way in gives people the same words for the same code."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from interviews.consent_forms import WithdrawalForm
from interviews.forms import StartForm
from interviews.participant_codes import FORMAT_MESSAGE, participant_code_problem, taken_message
from interviews.services.sessions import session_start
from tests.factories import InterviewSessionFactory, site

pytestmark = pytest.mark.django_db


def start_page_problem(code: str, interviewer) -> str:
    form = StartForm({"participant_code": code}, user=interviewer)
    form.is_valid()
    return form.errors["participant_code"][0]


def start_service_problem(code: str, interviewer, partner) -> str:
    with pytest.raises(ValidationError) as error:
        session_start(
            participant_code=code,
            interview_date=datetime.date(2018, 4, 12),
            site=site(),
            interviewer=interviewer,
            partner=partner,
        )
    return error.value.message_dict["participant_code"][0]


def test_a_bad_code_gets_the_same_words_everywhere(interviewer, partner):
    assert start_page_problem("Jane Smith", interviewer) == FORMAT_MESSAGE
    assert start_service_problem("Jane Smith", interviewer, partner) == FORMAT_MESSAGE
    withdrawal = WithdrawalForm({"participant_code": "Jane Smith"})
    withdrawal.is_valid()
    assert withdrawal.errors["participant_code"] == [FORMAT_MESSAGE]


def test_a_taken_code_gets_the_same_words_on_the_page_and_in_the_service(interviewer, partner):
    InterviewSessionFactory(participant_code="LSI-300")
    assert participant_code_problem("LSI-300") == taken_message("LSI-300")
    # The page takes the code as people type it; the service takes the stored form.
    assert start_page_problem(" lsi-300 ", interviewer) == taken_message("LSI-300")
    assert start_service_problem("LSI-300", interviewer, partner) == taken_message("LSI-300")
