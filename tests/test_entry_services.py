"""The session services: start, save (merge and conflicts), submit, verify, return, reopen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from interviews.models import (
    Answer,
    InterviewSession,
    Quote,
    SessionEvent,
    Site,
    Tick,
    Withdrawal,
)
from interviews.selectors import my_interview_groups, session_values
from interviews.services import sessions as services
from interviews.services.consent_gate import ConsentRequired
from interviews.services.refusals import QuotesNotAllowed
from tests.factories import (
    ITEMS,
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    complete_session,
    demographics_answer,
    site,
)

pytestmark = pytest.mark.django_db


def save(session, user, changes, version=None):
    session.refresh_from_db()
    return services.answers_save(
        session=session,
        user=user,
        version=session.version if version is None else version,
        changes=changes,
    )


# Starting a session


def test_start_creates_a_draft_and_records_the_start(interviewer, partner):
    session = services.session_start(
        participant_code="LSI-100",
        interview_date=datetime.date(2018, 4, 12),
        site=site(),
        interviewer=interviewer,
        partner=partner,
    )
    assert session.status == InterviewSession.Status.DRAFT
    assert (session.interviewer_1, session.interviewer_2) == (interviewer, partner)
    assert session.events.get().kind == SessionEvent.Kind.STARTED


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"interview_date": timezone.localdate() + datetime.timedelta(days=1)}, "interview_date"),
        ({"participant_code": "Jane Smith"}, "participant_code"),
        ({"partner": "self"}, "partner"),
    ],
)
def test_start_refuses_bad_input(interviewer, partner, kwargs, field):
    values = {
        "participant_code": "LSI-100",
        "interview_date": datetime.date(2018, 4, 12),
        "site": site(),
        "interviewer": interviewer,
        "partner": partner,
        **kwargs,
    }
    if values["partner"] == "self":
        values["partner"] = interviewer
    with pytest.raises(ValidationError) as error:
        services.session_start(**values)
    assert field in error.value.message_dict
    assert not InterviewSession.objects.exists()


def test_start_refuses_an_inactive_site_and_a_non_interviewer(interviewer, analyst):
    closed = Site.objects.create(code="closed", label="Closed CMHT", is_active=False)
    with pytest.raises(ValidationError):
        services.session_start(
            participant_code="LSI-100",
            interview_date=datetime.date(2018, 4, 12),
            site=closed,
            interviewer=interviewer,
            partner=InterviewerFactory(),
        )
    with pytest.raises(ValidationError):
        services.session_start(
            participant_code="LSI-100",
            interview_date=datetime.date(2018, 4, 12),
            site=site(),
            interviewer=interviewer,
            partner=analyst,
        )


def test_the_code_of_a_withdrawn_participant_is_never_reused(interviewer, partner, coordinator):
    withdrawn = InterviewSessionFactory(participant_code="LSI-200")
    Withdrawal.objects.create(
        session=withdrawn,
        withdrawal_date=datetime.date(2018, 5, 1),
        how_requested="phone",
        recorded_by=coordinator,
    )
    with pytest.raises(ValidationError) as error:
        services.session_start(
            participant_code="LSI-200",
            interview_date=datetime.date(2018, 4, 12),
            site=site(),
            interviewer=interviewer,
            partner=partner,
        )
    assert "already used" in error.value.message_dict["participant_code"][0]


# Saving answers


def test_nothing_is_stored_before_consent(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    with pytest.raises(ConsentRequired):
        save(session, interviewer, {"answer:help": {"old": "", "new": "often"}})
    assert not Answer.objects.exists()


def test_nothing_is_stored_when_a_required_statement_was_refused(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session, answers={"storage": False})
    with pytest.raises(ConsentRequired):
        save(session, interviewer, {"demo:carer": {"old": "", "new": "yes"}})
    assert not Answer.objects.exists()


def test_a_save_applies_every_kind_of_field_and_bumps_the_version_once(draft, interviewer):
    result = save(
        draft,
        interviewer,
        {
            "answer:companionship": {"old": "", "new": "often"},
            "quotes:companionship": {"old": [], "new": ["First words.", "  ", "Second\r\nline."]},
            "demo:ethnicity": {"old": "", "new": "Z"},
            "ticks:sees": {"old": [], "new": ["peers", "friends"]},
        },
    )
    assert result.conflicts == []
    assert result.version == 2
    values = session_values(draft)
    assert values["answer:companionship"] == "often"
    # A quote is one line: a line break typed inside it becomes a space.
    assert values["quotes:companionship"] == ["First words.", "Second line."]
    assert values["demo:ethnicity"] == "Z"
    assert values["ticks:sees"] == ["friends", "peers"]


def test_saving_nothing_new_does_not_bump_the_version(draft, interviewer):
    save(draft, interviewer, {"answer:help": {"old": "", "new": "often"}})
    result = save(draft, interviewer, {"answer:help": {"old": "", "new": "often"}})
    assert result.version == 2
    assert result.applied == []


def test_changes_to_different_fields_merge_from_a_stale_version(draft, interviewer, partner):
    save(draft, partner, {"answer:help": {"old": "", "new": "often"}}, version=1)
    result = save(draft, interviewer, {"answer:isolation": {"old": "", "new": "hardly_ever"}}, 1)
    assert result.conflicts == []
    values = session_values(draft)
    assert values["answer:help"] == "often"
    assert values["answer:isolation"] == "hardly_ever"
    assert result.version == 3


def test_a_change_to_a_field_the_partner_changed_is_a_conflict_not_an_overwrite(
    draft, interviewer, partner
):
    save(draft, partner, {"quotes:what_else": {"old": [], "new": ["A bus pass."]}}, version=1)
    result = save(
        draft,
        interviewer,
        {
            "quotes:what_else": {"old": [], "new": ["A free bus pass."]},
            "demo:carer": {"old": "", "new": "no"},
        },
        version=1,
    )
    assert result.conflicts == [
        {"field": "quotes:what_else", "yours": ["A free bus pass."], "theirs": ["A bus pass."]}
    ]
    assert result.applied == ["demo:carer"]
    assert session_values(draft)["quotes:what_else"] == ["A bus pass."]
    # Choosing "keep mine" sends the partner's value as the old one: now it applies.
    result = save(
        draft,
        interviewer,
        {"quotes:what_else": {"old": ["A bus pass."], "new": ["A free bus pass."]}},
    )
    assert result.conflicts == []
    assert session_values(draft)["quotes:what_else"] == ["A free bus pass."]


def test_the_same_change_from_both_devices_is_not_a_conflict(draft, interviewer, partner):
    save(draft, partner, {"answer:help": {"old": "", "new": "often"}}, version=1)
    result = save(draft, interviewer, {"answer:help": {"old": "", "new": "often"}}, version=1)
    assert result.conflicts == []


def test_quotes_are_edited_in_place_and_removed(draft, interviewer):
    save(draft, interviewer, {"quotes:help": {"old": [], "new": ["one", "two", "three"]}})
    first = Quote.objects.get(text="one")
    save(draft, interviewer, {"quotes:help": {"old": ["one", "two", "three"], "new": ["one", "3"]}})
    assert list(Quote.objects.values_list("text", "position")) == [("one", 0), ("3", 1)]
    assert Quote.objects.get(text="one").pk == first.pk


def test_clearing_answers_and_ticks_removes_their_rows(draft, interviewer):
    save(
        draft,
        interviewer,
        {"answer:help": {"old": "", "new": "often"}, "ticks:sees": {"new": ["family"]}},
    )
    save(
        draft,
        interviewer,
        {"answer:help": {"old": "often", "new": ""}, "ticks:sees": {"old": ["family"], "new": []}},
    )
    assert not Answer.objects.exists()
    assert not Tick.objects.exists()


def test_quotes_are_refused_when_the_participant_said_no_to_quotes(interviewer, partner):
    session = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    ConsentRecordFactory(session=session, answers={"quotes": False})
    with pytest.raises(QuotesNotAllowed):
        save(
            session,
            interviewer,
            {
                "answer:help": {"old": "", "new": "often"},
                "quotes:help": {"old": [], "new": ["Words."]},
            },
        )
    assert not Quote.objects.exists()
    assert not Answer.objects.exists()  # nothing half-saved
    save(session, interviewer, {"answer:help": {"old": "", "new": "often"}})
    assert Answer.objects.get().option.code == "often"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"answer:help": {"old": "", "new": "always"}}, "Unknown answer"),
        ({"demo:carer": {"old": "", "new": "maybe"}}, "Unknown answer"),
        ({"ticks:sees": {"old": [], "new": ["cat"]}}, "Unknown answer"),
        ({"quotes:help": {"old": [], "new": "not a list"}}, "not a list"),
        ({"quotes:help": {"old": [], "new": ["x" * 5001]}}, "longer than 5000"),
        ({"quotes:help": {"old": [], "new": ["x"] * 31}}, "more than 30 quotes"),
        ({"answer:mood": {"old": "", "new": "often"}}, "Unknown question"),
        ({"answer:help": "often"}, "not understood"),
    ],
)
def test_bad_changes_are_refused_and_nothing_is_half_saved(draft, interviewer, change, message):
    with pytest.raises(ValidationError) as error:
        save(draft, interviewer, {"demo:carer": {"old": "", "new": "yes"}, **change})
    assert message in " ".join(error.value.messages)
    assert not Answer.objects.exists()
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize("status", ["submitted", "verified"])
def test_a_record_that_is_not_a_draft_cannot_change(draft, interviewer, status):
    InterviewSession.objects.filter(pk=draft.pk).update(status=status)
    with pytest.raises(services.SessionLocked):
        save(draft, interviewer, {"answer:help": {"old": "", "new": "often"}})
    assert not Answer.objects.exists()


def test_only_the_pair_can_save(draft):
    with pytest.raises(PermissionDenied):
        save(draft, InterviewerFactory(), {"answer:help": {"old": "", "new": "often"}})


# Submit, verify, return, reopen


def test_submit_lists_what_is_missing(draft, interviewer):
    ItemAnswerFactory(session=draft, item="help", answer="no_answer")
    with pytest.raises(services.Incomplete) as error:
        services.session_submit(session=draft, user=interviewer)
    assert "answer:help" not in error.value.missing
    assert "answer:companionship" in error.value.missing
    assert "demo:borough" in error.value.missing
    # "tick all that apply": none ticked is an answer
    assert "ticks:sees" not in error.value.missing
    draft.refresh_from_db()
    assert draft.status == InterviewSession.Status.DRAFT


def test_no_answer_prefer_not_to_say_and_z_count_as_answers(draft, interviewer):
    for item in ITEMS:
        ItemAnswerFactory(session=draft, item=item, answer="no_answer")
    demographics_answer(draft, carer="prefer_not_to_say", gender="prefer_not_to_say", ethnicity="Z")
    services.session_submit(session=draft, user=interviewer)
    draft.refresh_from_db()
    assert draft.status == InterviewSession.Status.SUBMITTED
    assert draft.submitted_by == interviewer


def submitted(interviewer, partner):
    session = complete_session(interviewer_1=interviewer, interviewer_2=partner)
    return services.session_submit(session=session, user=interviewer)


def test_the_submitter_cannot_verify_their_own_record(interviewer, partner):
    session = submitted(interviewer, partner)
    with pytest.raises(PermissionDenied):
        services.session_verify(session=session, user=interviewer)
    with pytest.raises(PermissionDenied):
        services.session_return(session=session, user=interviewer, note="Fine")


def test_the_partner_verifies(interviewer, partner):
    session = services.session_verify(session=submitted(interviewer, partner), user=partner)
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.VERIFIED
    assert session.verified_by == partner
    assert session.verified_at is not None
    assert session.events.filter(kind=SessionEvent.Kind.VERIFIED, by=partner).exists()


def test_the_partner_returns_with_a_note_shown_to_the_submitter(interviewer, partner):
    session = submitted(interviewer, partner)
    with pytest.raises(ValidationError):
        services.session_return(session=session, user=partner, note="  ")
    services.session_return(session=session, user=partner, note="Quote 2 is not verbatim.")
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.DRAFT
    assert session.return_note == "Quote 2 is not verbatim."
    event = session.events.get(kind=SessionEvent.Kind.RETURNED)
    assert event.note == "Quote 2 is not verbatim."
    assert my_interview_groups(interviewer).returned == [session]
    assert my_interview_groups(partner).waiting == [session]
    # Submitting again clears the note.
    services.session_submit(session=session, user=interviewer)
    session.refresh_from_db()
    assert session.return_note == ""


def test_a_coordinator_reopens_a_verified_record_with_a_reason(interviewer, partner, coordinator):
    session = services.session_verify(session=submitted(interviewer, partner), user=partner)
    with pytest.raises(PermissionDenied):
        services.session_reopen(session=session, user=interviewer, reason="Typo")
    with pytest.raises(ValidationError):
        services.session_reopen(session=session, user=coordinator, reason="")
    services.session_reopen(session=session, user=coordinator, reason="Age band was wrong.")
    session.refresh_from_db()
    assert session.status == InterviewSession.Status.DRAFT
    assert session.verified_by is None
    assert "Age band was wrong." in session.return_note
    assert session.events.get(kind=SessionEvent.Kind.REOPENED).note == "Age band was wrong."
    with pytest.raises(services.NotInThisState):
        services.session_reopen(session=session, user=coordinator, reason="Again")


def test_my_interviews_are_grouped_by_what_comes_next(interviewer, partner):
    in_progress = InterviewSessionFactory(interviewer_1=interviewer, interviewer_2=partner)
    mine = submitted(interviewer, partner)
    theirs = complete_session(interviewer_1=partner, interviewer_2=interviewer)
    services.session_submit(session=theirs, user=partner)
    verified = services.session_verify(session=submitted(interviewer, partner), user=partner)
    InterviewSessionFactory()  # another pair's
    groups = my_interview_groups(interviewer)
    assert groups.in_progress == [in_progress]
    assert groups.waiting == [mine]
    assert [s.pk for s in groups.to_verify] == [theirs.pk]
    assert [s.pk for s in groups.verified] == [verified.pk]
    assert groups.returned == []


def test_quote_factory_positions_survive_a_save(draft, interviewer):
    QuoteFactory(session=draft, item="help", position=5, text="kept")
    save(draft, interviewer, {"quotes:help": {"old": ["kept"], "new": ["kept", "added"]}})
    assert list(Quote.objects.values_list("text", "position")) == [("kept", 0), ("added", 1)]
