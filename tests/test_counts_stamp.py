"""The counts stamp (themes.models.CountsStamp) and the counts kept under it (themes.counts_cache):
every change to what the analysis home counts gives a new token, by the database's triggers and
whatever path made the change (services, the ORM, raw SQL); a draft being typed does not; the
home is counted again after each such change, and not before."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import ConsentResponse, Question, Site
from interviews.services import sessions as session_services
from interviews.services.withdrawal import participant_withdraw
from tests.analysis_data import build, interview, subtheme
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory
from themes.counts_cache import counts_stamp, remembered
from themes.counts_stamp_check import check_stamp_triggers, expected_triggers
from themes.models import CountsStamp, Exemplar, SubTheme, Tag, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("counts_stamp_row")]

HOME = "admin:themes_analysis_home"
ON_PG = connection.vendor == "postgresql"


@pytest.fixture
def data(analyst):
    return build(analyst)


def changes_stamp(change) -> bool:
    before = counts_stamp()
    change()
    return counts_stamp() != before


def verified(data):
    return data["sessions"][0]


def draft(code="LSI-090"):
    pair = (InterviewerFactory(), InterviewerFactory())
    return interview(code, pair=pair, status="draft", answers={"companionship": "often"})


# --- what gives a new token ---------------------------------------------------------------------


def test_tagging_untagging_and_raw_sql_on_tags_give_a_new_token(data, analyst):
    quote = data["quotes"][2]
    assert changes_stamp(lambda: TagFactory(quote=quote, subtheme=subtheme("other_networks")))
    assert changes_stamp(lambda: Tag.objects.filter(quote=quote).delete())
    tag = TagFactory(quote=quote, subtheme=subtheme("other_networks"))

    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE themes_tag SET subtheme_id = %s WHERE id = %s",
                [subtheme("safe_spaces").pk, tag.pk],
            )

    assert changes_stamp(raw_update)


def test_the_codebook_and_chosen_quotes_give_a_new_token(data, analyst):
    assert changes_stamp(lambda: Theme.objects.update(label="Renamed"))
    assert changes_stamp(lambda: SubTheme.objects.filter(code="safe_spaces").update(order=9))
    tag = Tag.objects.filter(quote=data["quotes"][0]).first()
    assert changes_stamp(
        lambda: Exemplar.objects.create(quote=tag.quote, tag=tag, chosen_by=analyst)
    )


def test_withdrawal_and_consent_give_a_new_token(data, coordinator):
    session = verified(data)
    assert changes_stamp(
        lambda: ConsentResponse.objects.filter(record__session=session).update(agreed=True)
    )
    assert changes_stamp(
        lambda: participant_withdraw(
            session=session,
            withdrawal_date=datetime.date(2018, 5, 1),
            how_requested="By phone",
            recorded_by=coordinator,
        )
    )


def test_the_schedule_and_sites_give_a_new_token(data):
    assert changes_stamp(lambda: Question.objects.filter(code="isolation").update(label="Alone?"))
    assert changes_stamp(lambda: Site.objects.update(label="Renamed"))


def test_a_counted_interviews_content_and_status_give_a_new_token(data):
    session = verified(data)
    assert changes_stamp(lambda: QuoteFactory(session=session, item="isolation"))
    quote = data["quotes"][0]

    def edit():
        quote.text = "Corrected by the coordinator."
        quote.save()

    assert changes_stamp(edit)
    assert changes_stamp(lambda: quote.delete())
    other = Site.objects.create(code="elsewhere", label="Elsewhere", order=99)
    assert changes_stamp(lambda: type(session).objects.filter(pk=session.pk).update(site=other))
    reopened = data["sessions"][2]  # submitted
    assert changes_stamp(
        lambda: type(reopened).objects.filter(pk=reopened.pk).update(status="draft")
    )


def test_typing_into_a_draft_keeps_the_token():
    session = draft()
    pair = (session.interviewer_1, session.interviewer_2)
    assert not changes_stamp(
        lambda: session_services.answers_save(
            session=session,
            user=pair[0],
            version=session.version,
            changes={
                "quotes:companionship": {"old": [], "new": ["I went to the lunch club."]},
                "answer:isolation": {"old": "", "new": "often"},
            },
        )
    )
    assert not changes_stamp(lambda: QuoteFactory(session=session, item="what_helped"))
    # Submitting it is a change of what may be counted.
    assert changes_stamp(
        lambda: type(session).objects.filter(pk=session.pk).update(status="submitted")
    )


def test_a_change_rolled_back_returns_to_the_token_before_it(data):
    before = counts_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Theme.objects.update(label="Renamed")
        inside = counts_stamp()
        raise RuntimeError
    assert inside != before
    assert counts_stamp() == before
    Theme.objects.update(label="Renamed again")
    assert counts_stamp() not in (before, inside)


# --- what is kept under it ----------------------------------------------------------------------


def test_a_count_is_kept_until_the_token_changes(data):
    counted = []

    def count():
        counted.append(1)
        return len(counted)

    assert remembered("test", ("a",), count) == 1
    assert remembered("test", ("a",), count) == 1
    assert remembered("test", ("b",), count) == 2  # another key is counted apart
    Theme.objects.update(label="Renamed")
    assert remembered("test", ("a",), count) == 3


def test_without_the_stamps_row_nothing_is_kept(data):
    CountsStamp.objects.all().delete()
    counted = []
    for _ in range(2):
        remembered("test", ("a",), lambda: counted.append(1))
    assert len(counted) == 2


def untagged_on_home(client) -> int:
    return client.get(reverse(HOME)).context["progress"][-1].untagged


def test_the_home_counts_again_after_tagging_and_after_a_withdrawal(
    client, analyst, coordinator, data
):
    quote = QuoteFactory(session=verified(data), item="isolation", text="Untagged for now.")
    client.force_login(analyst)
    untagged = untagged_on_home(client)
    with CaptureQueriesContext(connection) as kept:
        assert untagged_on_home(client) == untagged
    counting = [q for q in kept.captured_queries if "themes_tag" in q["sql"]]
    assert counting == []  # the second visit counted nothing
    TagFactory(quote=quote, subtheme=subtheme("safe_spaces"))
    assert untagged_on_home(client) == untagged - 1
    total = client.get(reverse(HOME)).context["progress"][-1].total
    participant_withdraw(
        session=verified(data),
        withdrawal_date=datetime.date(2018, 5, 1),
        how_requested="By phone",
        recorded_by=coordinator,
    )
    assert client.get(reverse(HOME)).context["progress"][-1].total < total
    page = client.get(reverse(HOME)).content.decode()
    assert "Nobody calls" not in page


# --- the system check -------------------------------------------------------------------------


def test_the_system_check_finds_every_trigger_on_a_migrated_database():
    assert check_stamp_triggers(databases=["default"]) == []
    assert len(expected_triggers(connection.vendor)) == (29 if ON_PG else 51)


def test_the_system_check_names_a_dropped_or_disabled_trigger():
    with connection.cursor() as cursor:
        if ON_PG:
            cursor.execute("DROP TRIGGER themes_stamp_themes_tag ON themes_tag")
            cursor.execute(
                "ALTER TABLE interviews_quote DISABLE TRIGGER themes_stamp_interviews_quote_update"
            )
            gone = ["trigger themes_stamp_themes_tag on themes_tag"]
            gone += ["trigger themes_stamp_interviews_quote_update on interviews_quote (disabled)"]
        else:
            cursor.execute("DROP TRIGGER themes_stamp_themes_tag_insert")
            gone = ["trigger themes_stamp_themes_tag_insert on themes_tag"]
    errors = check_stamp_triggers(databases=["default"])
    assert [error.id for error in errors] == ["themes.E002"]
    for missing in gone:
        assert missing in errors[0].msg
    assert "0016_counts_stamp" in errors[0].hint
    with pytest.raises(SystemCheckError, match=r"themes\.E002"):
        call_command("check", "--database", "default", stdout=io.StringIO(), stderr=io.StringIO())
