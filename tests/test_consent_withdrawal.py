"""Withdrawal: the coordinator's page and `manage.py withdraw`, one service, nothing left of the
participant's words."""

import datetime
import io

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from interviews.models import (
    Answer,
    ConsentRecord,
    Evaluation,
    InterviewSession,
    Quote,
    Tick,
    Withdrawal,
)
from interviews.participant_codes import participant_code_problem, taken_message
from interviews.schedules import schedule_of
from interviews.services import withdrawal
from interviews.services.withdrawal import participant_withdraw, withdrawal_preview
from tests.factories import (
    InterviewSessionFactory,
    QuoteFactory,
    TagFactory,
    complete_session,
)
from themes.memo_services import memos_count_for_session
from themes.models import SubTheme, Tag
from themes.rounds.services import round_rows_count_for_session
from themes.services import tags_count_for_session

pytestmark = pytest.mark.django_db

PAGE = reverse("admin:interviews_interviewsession_withdraw")


@pytest.fixture
def participant():
    """A verified interview with two quotes: one tagged twice, one edited once and tagged."""
    session = complete_session(status="verified", participant_code="LSI-050")
    first = QuoteFactory(session=session, text="My dog is the one I talk to most days.")
    second = QuoteFactory(session=session, item="help", text="The drop-in café saved me.")
    TagFactory(quote=first)
    TagFactory(quote=first, subtheme=SubTheme.objects.get(code="diverse_groups"))
    second.text = "The drop-in café on Tuesdays saved me."
    second.save()  # a second copy of the words in the history
    TagFactory(quote=second)
    return session


@pytest.fixture
def bystander():
    """Another participant, who must keep everything."""
    session = complete_session(status="verified", participant_code="LSI-051")
    TagFactory(quote=QuoteFactory(session=session, text="Someone else's words."))
    return session


def withdraw(session, user, **overrides):
    kwargs = {
        "session": session,
        "withdrawal_date": timezone.localdate(),
        "how_requested": "phoned the office",
        "recorded_by": user,
        **overrides,
    }
    return participant_withdraw(**kwargs)


QUOTE_TEXTS = [
    "My dog is the one I talk to most days.",
    "The drop-in café saved me.",
    "The drop-in café on Tuesdays saved me.",
]


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


def stored_for(session: InterviewSession) -> dict[str, int]:
    return {
        "answers": Answer.objects.filter(session_id=session.pk).count(),
        "ticks": Tick.objects.filter(session_id=session.pk).count(),
        "quotes": Quote.objects.filter(session_id=session.pk).count(),
    }


def test_the_preview_counts_exactly_what_will_be_deleted(participant, bystander):
    preview = withdrawal_preview(participant)
    # 5 items and 10 "About you" answers; one tick of who they see.
    assert (preview.answers, preview.ticks, preview.quotes, preview.tags) == (15, 1, 2, 3)
    # 15 answers + 1 tick + 3 quote versions + 3 tags
    assert preview.history_rows == 22


def test_the_themes_app_registers_its_eraser_once(participant, bystander):
    # ready() again (as a reloaded app registry would): tags are still counted once.
    apps.get_app_config("themes").ready()
    assert [e.count for e in withdrawal._erasers] == [
        tags_count_for_session,
        memos_count_for_session,
        round_rows_count_for_session,
    ]
    assert withdrawal_preview(participant).tags == 3


def test_the_preview_says_when_the_withdrawal_window_has_passed(participant):
    consent = datetime.date(2018, 4, 12)  # the form's window: 14 days
    assert withdrawal_preview(participant).outside_window  # today
    day_14 = withdrawal_preview(participant, withdrawal_date=consent + datetime.timedelta(14))
    day_15 = withdrawal_preview(participant, withdrawal_date=consent + datetime.timedelta(15))
    assert not day_14.outside_window
    assert day_15.outside_window
    assert day_15.days_since_consent == 15


def test_withdrawal_deletes_everything_and_keeps_code_consent_and_withdrawal(
    participant, bystander, coordinator
):
    withdrawal = withdraw(participant, coordinator, how_requested=" letter to the office ")
    for model in (Answer, Tick, Quote):
        assert not model.objects.filter(session=participant).exists()
        assert not model.history.model.objects.filter(session_id=participant.pk).exists()
        assert model.objects.filter(session=bystander).exists()
    assert not Tag.objects.filter(quote__session=participant).exists()
    assert Tag.history.model.objects.count() == Tag.objects.count() == 1
    assert InterviewSession.objects.get(pk=participant.pk).participant_code == "LSI-050"
    assert ConsentRecord.objects.filter(session=participant).exists()
    withdrawal.refresh_from_db()
    assert withdrawal.how_requested == "letter to the office"
    assert withdrawal.recorded_by == coordinator


def test_after_withdrawal_dumpdata_holds_none_of_their_words(participant, bystander, coordinator):
    before = dump()
    assert all(text in before for text in QUOTE_TEXTS)  # the check can fail
    withdraw(participant, coordinator)
    after = dump()
    for text in QUOTE_TEXTS:
        assert text not in after
    assert "Someone else's words." in after


def test_after_withdrawal_the_counts_base_drops_by_one(participant, bystander, coordinator):
    scores = schedule_of(Evaluation.objects.get(code="loneliness-2018")).scores
    assert InterviewSession.objects.for_analysis().count() == 2
    scored = InterviewSession.objects.for_analysis().with_scores(scores)
    assert scored.filter(score_ucla3=6).count() == 2
    withdraw(participant, coordinator)
    assert InterviewSession.objects.for_analysis().count() == 1
    assert scored.filter(score_ucla3=6).count() == 1
    assert list(Quote.objects.for_analysis()) == list(Quote.objects.filter(session=bystander))


def test_the_code_cannot_be_reused(participant, coordinator):
    withdraw(participant, coordinator)
    assert participant_code_problem("LSI-050") == taken_message("LSI-050")
    with pytest.raises(IntegrityError), transaction.atomic():
        InterviewSessionFactory(participant_code="LSI-050")


def test_withdrawing_twice_is_a_clear_error(participant, coordinator):
    withdraw(participant, coordinator)
    with pytest.raises(ValidationError, match="has already withdrawn"):
        withdraw(participant, coordinator)
    assert Withdrawal.objects.count() == 1


def test_a_withdrawal_date_in_the_future_is_refused(participant, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="cannot be in the future"):
        withdraw(participant, coordinator, withdrawal_date=tomorrow)
    assert not Withdrawal.objects.exists()
    assert Quote.objects.filter(session=participant).count() == 2


def test_a_withdrawal_date_before_the_interview_is_refused(participant, coordinator):
    with pytest.raises(ValidationError, match="cannot be before the interview"):
        withdraw(participant, coordinator, withdrawal_date=datetime.date(2018, 4, 11))
    assert not Withdrawal.objects.exists()


def test_how_it_was_asked_for_is_required(participant, coordinator):
    with pytest.raises(ValidationError, match="how_requested"):
        withdraw(participant, coordinator, how_requested="  ")
    assert Answer.objects.filter(session=participant).count() == 15


def test_nothing_is_deleted_when_the_transaction_fails(participant, coordinator, monkeypatch):
    """One transaction: a failure half-way leaves every row in place."""

    delete = QuerySet.delete

    def fail_at_ticks(queryset):
        if queryset.model is Tick:  # after tags, quotes and answers
            raise RuntimeError("disk full")
        return delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", fail_at_ticks)
    with pytest.raises(RuntimeError):
        withdraw(participant, coordinator)
    assert not Withdrawal.objects.exists()
    assert stored_for(participant) == {"answers": 15, "ticks": 1, "quotes": 2}
    assert Tag.objects.filter(quote__session=participant).count() == 3
    assert Quote.history.model.objects.filter(session_id=participant.pk).count() == 3


# The coordinators' page.


def test_the_page_works(client, coordinator, participant):
    client.force_login(coordinator)
    response = client.get(PAGE, {"code": "LSI-050"})
    assert response.status_code == 200
    assert 'value="LSI-050"' in response.content.decode()


def test_it_is_reachable_from_the_session_and_the_admin_index(client, coordinator, participant):
    client.force_login(coordinator)
    change = client.get(reverse("admin:interviews_interviewsession_change", args=[participant.pk]))
    assert f"{PAGE}?code=LSI-050" in change.content.decode()
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:interviews_withdrawal_add") in index
    add = client.get(reverse("admin:interviews_withdrawal_add"))
    assert add.status_code == 302
    assert add.url == PAGE


def test_it_requires_a_coordinator(client, analyst, participant):
    client.force_login(analyst)
    assert client.get(PAGE).status_code == 403
    response = client.post(
        PAGE,
        {"participant_code": "LSI-050", "withdrawal_date": "2018-05-01", "how_requested": "x"}
        | {"confirm": "1"},
    )
    assert response.status_code == 403
    assert not Withdrawal.objects.exists()


def test_its_add_link_requires_a_coordinator_too(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("admin:interviews_withdrawal_add")).status_code == 403


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith((reverse("login"), reverse("admin:login")))


def test_the_page_shows_what_will_be_deleted_before_deleting(client, coordinator, participant):
    client.force_login(coordinator)
    data = {
        "participant_code": "lsi-050",
        "withdrawal_date": timezone.localdate().isoformat(),
        "how_requested": "phoned the office",
    }
    response = client.post(PAGE, data | {"preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    for line in [
        "15 coded answers",
        "2 quotes",
        "3 tags",
        '1 tick of "tick all that apply" questions',
        "22 copies of these kept in the audit history",
        "Exports already made cannot be recalled.",
        "the consent form said 14 days",
    ]:
        assert line in html.replace("&quot;", '"'), line
    assert Quote.objects.filter(session=participant).count() == 2

    confirmed = client.post(PAGE, data | {"confirm": "1"})
    withdrawal = Withdrawal.objects.get()
    assert confirmed.status_code == 302
    assert confirmed.url == reverse("admin:interviews_withdrawal_change", args=[withdrawal.pk])
    assert withdrawal.recorded_by == coordinator
    assert not Quote.objects.filter(session=participant).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"participant_code": "LSI-999"}, "There is no interview with participant code LSI-999."),
        ({"participant_code": "Jane Smith"}, "A participant code is 2 to 20 capital letters"),
        ({"withdrawal_date": "2099-01-01"}, "cannot be in the future"),
        ({"withdrawal_date": "not a date"}, "Enter the date as a real date"),
        ({"how_requested": ""}, "Say how the participant asked to withdraw."),
        ({"how_requested": "x" * 201}, "at most 200 characters"),
    ],
)
def test_bad_input_is_explained(client, coordinator, participant, data, message):
    client.force_login(coordinator)
    good = {
        "participant_code": "LSI-050",
        "withdrawal_date": timezone.localdate().isoformat(),
        "how_requested": "phoned",
    }
    response = client.post(PAGE, good | data | {"confirm": "1"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Withdrawal.objects.exists()
    assert Quote.objects.filter(session=participant).count() == 2


def test_withdrawing_twice_on_the_page_is_explained(client, coordinator, participant):
    withdraw(participant, coordinator)
    client.force_login(coordinator)
    response = client.post(
        PAGE,
        {
            "participant_code": "LSI-050",
            "withdrawal_date": timezone.localdate().isoformat(),
            "how_requested": "phoned",
            "confirm": "1",
        },
    )
    assert response.status_code == 400
    assert "has already withdrawn" in response.content.decode()
    assert Withdrawal.objects.count() == 1


# The command.


def run(*args) -> str:
    out = io.StringIO()
    call_command("withdraw", *args, stdout=out)
    return out.getvalue()


def test_the_command_without_yes_only_shows_what_it_would_delete(participant):
    today = timezone.localdate().isoformat()
    output = run("LSI-050", "--date", today, "--how", "phoned the office")
    assert (
        "Would delete: 15 answers, 1 tick, 2 quotes, 3 tags, and 22 copies in the audit history."
        in output
    )
    assert "Exports already made cannot be recalled." in output
    assert "Nothing changed" in output
    assert not Withdrawal.objects.exists()
    assert Quote.objects.filter(session=participant).count() == 2


def test_the_command_with_yes_withdraws(participant, bystander):
    today = timezone.localdate().isoformat()
    output = run("LSI-050", "--date", today, "--how", "phoned the office", "--yes")
    assert "Participant LSI-050 has withdrawn." in output
    withdrawal = Withdrawal.objects.get()
    assert withdrawal.recorded_by is None
    assert withdrawal.how_requested == "phoned the office"
    assert not Quote.objects.filter(session=participant).exists()
    assert Quote.objects.filter(session=bystander).exists()


def test_the_command_records_the_coordinator_given(participant, coordinator):
    today = timezone.localdate().isoformat()
    run("LSI-050", "--date", today, "--how", "letter", "--yes", "--user", coordinator.username)
    assert Withdrawal.objects.get().recorded_by == coordinator


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["LSI-999", "--date", "2018-05-01", "--how", "x"], "no interview with participant code"),
        (["LSI-050", "--date", "1/5/2018", "--how", "x"], r"YYYY-MM-DD \(got '1/5/2018'\)"),
        (["LSI-050", "--date", "2099-05-01", "--how", "x", "--yes"], "cannot be in the future"),
        (["LSI-050", "--date", "2018-05-01", "--how", " ", "--yes"], "--how"),
        (["LSI-050", "--date", "2018-05-01", "--how", "x", "--user", "nobody"], "no active"),
    ],
)
def test_the_command_explains_bad_input_and_changes_nothing(participant, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not Withdrawal.objects.exists()
    assert Quote.objects.filter(session=participant).count() == 2


def test_the_command_refuses_a_user_who_is_not_a_coordinator(participant, analyst):
    with pytest.raises(CommandError, match="is not a coordinator"):
        run("LSI-050", "--date", "2018-05-01", "--how", "x", "--yes", "--user", analyst.username)
    assert not Withdrawal.objects.exists()


def test_the_command_refuses_to_withdraw_twice(participant, coordinator):
    withdraw(participant, coordinator)
    with pytest.raises(CommandError, match="has already withdrawn"):
        run("LSI-050", "--date", "2018-05-01", "--how", "x", "--yes")
    assert Withdrawal.objects.count() == 1


def test_analysts_no_longer_see_the_participant_in_the_admin(
    client, analyst, coordinator, participant, bystander
):
    withdraw(participant, coordinator)
    changelist = reverse("admin:interviews_interviewsession_changelist")
    client.force_login(analyst)
    html = client.get(changelist).content.decode()
    assert "LSI-051" in html
    assert "LSI-050" not in html
    change = reverse("admin:interviews_interviewsession_change", args=[participant.pk])
    assert client.get(change).status_code == 302  # "does not exist", back to the list
    client.force_login(coordinator)
    assert "LSI-050" in client.get(changelist).content.decode()


def test_withdrawal_clears_notes_that_may_repeat_their_words(participant, coordinator):
    from interviews.models import SessionEvent

    words = "She said her dog is the one she talks to; check quote 2."
    InterviewSession.objects.filter(pk=participant.pk).update(return_note=words)
    participant.refresh_from_db()
    participant.save()  # a history row holding the note
    SessionEvent.objects.create(session=participant, kind="returned", note=words)
    assert words in dump()  # the check can fail
    withdraw(participant, coordinator)
    assert words not in dump()
    assert SessionEvent.objects.filter(session=participant, kind="returned").exists()
