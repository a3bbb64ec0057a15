"""The shared reads: who sees which sessions and quotes."""

import pytest

from interviews.models import InterviewSession, Quote
from tests.factories import (
    ConsentRecordFactory,
    InterviewSessionFactory,
    QuoteFactory,
)

pytestmark = pytest.mark.django_db


def consented_session(*, quotes: bool = True, **kwargs):
    session = InterviewSessionFactory(**kwargs)
    ConsentRecordFactory(session=session, answers={} if quotes else {"quotes": False})
    return session


def test_quotes_for_analysis_are_verified_consented_and_not_withdrawn(coordinator):
    from interviews.models import Withdrawal

    shown = QuoteFactory(session=consented_session(status="verified"))
    QuoteFactory(session=consented_session(status="submitted"))
    QuoteFactory(session=consented_session(status="verified", quotes=False))
    withdrawn = consented_session(status="verified")
    QuoteFactory(session=withdrawn)
    Withdrawal.objects.create(
        session=withdrawn,
        withdrawal_date="2018-05-01",
        how_requested="phone",
        recorded_by=coordinator,
    )
    assert list(Quote.objects.for_analysis()) == [shown]
    assert Quote.objects.for_analysis(include_unverified=True).count() == 2


def test_sessions_for_an_interviewer_are_their_pairs_only(interviewer, partner):
    mine = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    theirs = InterviewSessionFactory(interviewer_1=partner, interviewer_2=interviewer)
    InterviewSessionFactory()
    assert set(InterviewSession.objects.for_interviewer(interviewer)) == {mine, theirs}


def test_quote_consent_is_a_yes_to_the_quotes_statement():
    yes = consented_session()
    no = consented_session(quotes=False)
    InterviewSessionFactory()  # a draft without consent recorded
    from interviews.models import ConsentResponse

    consents = ConsentResponse.objects.quote_consents()
    assert [r.record.session for r in consents] == [yes]
    assert list(InterviewSession.objects.with_quote_consent()) == [yes]
    # Both answers to the quotes statement, yes and no, are its answers.
    assert {r.agreed for r in ConsentResponse.objects.to_quotes()} == {True, False}
    assert no not in InterviewSession.objects.with_quote_consent()
