"""For every write path's tests: prove it refuses to store interview data without consent.

    from tests.consent_gate import assert_write_refused_without_consent

    def test_autosave_service_refuses_without_consent():
        assert_write_refused_without_consent(
            lambda session: answer_save(session=session, item="help", answer="often")
        )

Views and commands, which answer instead of raising, loop over ``sessions_without_consent()``
and check their response and ``stored_for(session)`` themselves.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from interviews.models import Answer, InterviewSession, Quote, Tick
from interviews.services.consent_gate import ConsentRequired
from interviews.services.withdrawal import participant_withdraw
from tests.factories import ConsentRecordFactory, CoordinatorFactory, InterviewSessionFactory


def sessions_without_consent(*, for_quotes: bool = False) -> dict[str, InterviewSession]:
    """One session for each reason the gate refuses: no consent recorded, a required statement
    answered "no", a withdrawn participant (and, for quotes, "no" to being quoted)."""
    missing = InterviewSessionFactory()
    refused = ConsentRecordFactory(answers={"voluntary": False}).session
    withdrawn = ConsentRecordFactory().session
    participant_withdraw(
        session=withdrawn,
        withdrawal_date=withdrawn.interview_date,
        how_requested="phoned the office",
        recorded_by=CoordinatorFactory(),
    )
    cases = {"missing": missing, "required_no": refused, "withdrawn": withdrawn}
    if for_quotes:
        cases["quotes_no"] = ConsentRecordFactory(answers={"quotes": False}).session
    return cases


def stored_for(session: InterviewSession) -> dict[str, int]:
    """How much interview data the session holds."""
    return {
        "answers": Answer.objects.filter(session_id=session.pk).count(),
        "ticks": Tick.objects.filter(session_id=session.pk).count(),
        "quotes": Quote.objects.filter(session_id=session.pk).count(),
    }


def assert_write_refused_without_consent(
    write: Callable[[InterviewSession], object], *, for_quotes: bool = False
) -> None:
    """``write(session)`` must raise ConsentRequired, storing nothing, in every case."""
    for case, session in sessions_without_consent(for_quotes=for_quotes).items():
        before = stored_for(session)
        with pytest.raises(ConsentRequired):
            write(session)
        assert stored_for(session) == before, f"something was stored ({case})"
