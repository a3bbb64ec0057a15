"""Quotes chosen for the report (exemplars): the service's refusals, the database's (by raw SQL,
on SQLite and PostgreSQL alike: migration 0013's triggers), what removes them (untagging, a
consent changed, a withdrawal), history, and the selectors for the analysis home and report.

A later migration that rebuilds themes_exemplar or interviews_consentresponse on SQLite drops
the triggers: these tests fail then."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from interviews.models import ConsentResponse, Question
from interviews.services.withdrawal import participant_withdraw, withdrawal_preview
from tests.analysis_data import build, subtheme
from tests.factories import QuoteFactory, TagFactory, complete_session
from themes import services
from themes.export_filters import ExportFilters
from themes.memo_services import NOT_FOR_ANALYSIS, NOT_QUOTABLE, exemplar_choose, exemplar_unchoose
from themes.memos import exemplar_counts, exemplars_of
from themes.models import Exemplar

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(analyst):
    return build(analyst)


def unquotable(data):
    """LSI-002's quote: verified, but the participant said no to being quoted."""
    return data["sessions"][1].quotes.get()


def raw_insert(quote_id: int, tag_id, user_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO themes_exemplar (quote_id, tag_id, chosen_by_id, chosen_at) "
            "VALUES (%s, %s, %s, %s)",
            [quote_id, tag_id, user_id, timezone.now()],
        )


def assert_refused(write) -> None:
    # A savepoint, so that the test's transaction goes on after the database refuses.
    with pytest.raises(IntegrityError), transaction.atomic():
        write()


# --- the service -----------------------------------------------------------------------------


def test_a_tagged_quote_is_chosen_for_its_subtheme_and_its_answer(data, analyst):
    q1 = data["quotes"][0]
    chosen = exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst)
    assert chosen.tag.subtheme.code == "safe_spaces" and chosen.chosen_by == analyst
    assert exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst) == chosen
    answer = exemplar_choose(quote=q1, user=analyst)
    assert answer.tag is None
    assert Exemplar.objects.count() == 2
    assert chosen.history.get().history_user == analyst
    assert exemplar_unchoose(quote=q1, subtheme=subtheme("safe_spaces")) == 1
    assert exemplar_unchoose(quote=q1) == 1
    assert not Exemplar.objects.exists()
    # Chosen, then no longer: both in the history, with who.
    assert Exemplar.history.filter(history_type="-").count() == 2


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("unquotable", NOT_QUOTABLE),
        ("unverified", NOT_FOR_ANALYSIS),
        ("untagged", "Tag this quote with “A diverse choice of groups” first"),
    ],
)
def test_the_service_refuses_with_a_message(data, analyst, which, message):
    quote, chosen_for = {
        "unquotable": (unquotable(data), None),
        "unverified": (data["quotes"][3], None),
        "untagged": (data["quotes"][0], subtheme("diverse_groups")),
    }[which]
    with pytest.raises(ValidationError) as refused:
        exemplar_choose(quote=quote, subtheme=chosen_for, user=analyst)
    assert refused.value.messages == [message] or message in refused.value.messages[0]
    assert not Exemplar.objects.exists()


# --- the database ----------------------------------------------------------------------------


def test_the_database_refuses_an_unquotable_participants_quote_by_raw_sql(data, analyst):
    quote = unquotable(data)
    assert_refused(lambda: raw_insert(quote.pk, None, analyst.pk))
    tag = TagFactory(quote=quote, tagged_by=analyst)
    assert_refused(lambda: raw_insert(quote.pk, tag.pk, analyst.pk))
    # By the ORM too, and by moving an allowed one onto the quote.
    assert_refused(lambda: Exemplar.objects.create(quote=quote, chosen_by=analyst))
    allowed = Exemplar.objects.create(quote=data["quotes"][0], chosen_by=analyst)
    assert_refused(lambda: Exemplar.objects.filter(pk=allowed.pk).update(quote=quote))
    assert list(Exemplar.objects.values_list("quote_id", flat=True)) == [data["quotes"][0].pk]


def test_the_database_refuses_a_tag_of_another_quote(data, analyst):
    q1, q2, *_ = data["quotes"]
    tag_of_q2 = q2.tags.get()
    assert_refused(lambda: raw_insert(q1.pk, tag_of_q2.pk, analyst.pk))
    raw_insert(q2.pk, tag_of_q2.pk, analyst.pk)
    assert Exemplar.objects.get().tag == tag_of_q2


def test_the_database_keeps_one_choice_per_group(data, analyst):
    q1 = data["quotes"][0]
    tag = q1.tags.first()
    raw_insert(q1.pk, tag.pk, analyst.pk)
    raw_insert(q1.pk, None, analyst.pk)
    assert_refused(lambda: raw_insert(q1.pk, tag.pk, analyst.pk))
    assert_refused(lambda: raw_insert(q1.pk, None, analyst.pk))


@pytest.mark.parametrize("how", ["update", "raw update", "delete"])
def test_a_quote_consent_that_stops_being_yes_takes_the_exemplars(data, analyst, how):
    q1, _, q3, *_ = data["quotes"]
    exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst)
    exemplar_choose(quote=q3, user=analyst)
    bystander = complete_session(status="verified", participant_code="LSI-090")
    other = QuoteFactory(session=bystander)
    exemplar_choose(quote=other, user=analyst)
    consent = ConsentResponse.objects.to_quotes().filter(record__session=q1.session)
    if how == "update":
        consent.update(agreed=False)
    elif how == "raw update":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE interviews_consentresponse SET agreed = %s WHERE id = %s",
                [False, consent.get().pk],
            )
    else:
        consent.delete()
    assert list(Exemplar.objects.values_list("quote_id", flat=True)) == [other.pk]


def test_another_consent_answer_changed_keeps_the_exemplars(data, analyst):
    q1 = data["quotes"][0]
    exemplar_choose(quote=q1, user=analyst)
    others = ConsentResponse.objects.filter(record__session=q1.session).exclude(
        statement__code="quotes"
    )
    others.update(agreed=True)
    ConsentResponse.objects.to_quotes().filter(record__session=q1.session).update(agreed=True)
    assert Exemplar.objects.count() == 1


# --- what removes them -----------------------------------------------------------------------


def test_untagging_a_quote_takes_its_choice_for_that_subtheme(data, analyst):
    q1 = data["quotes"][0]
    exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst)
    exemplar_choose(quote=q1, user=analyst)
    services.tags_set(quote=q1, subthemes=[subtheme("living_with_others")], user=analyst)
    assert list(Exemplar.objects.values_list("tag", flat=True)) == [None]
    assert Exemplar.history.filter(history_type="-").count() == 1


def test_a_merge_moves_the_choice_with_the_tag(data, analyst):
    q1, q2, *_ = data["quotes"]
    exemplar_choose(quote=q2, subtheme=subtheme("other_networks"), user=analyst)
    services.subtheme_merge(source=subtheme("other_networks"), target=subtheme("safe_spaces"))
    assert Exemplar.objects.get().tag.subtheme == subtheme("safe_spaces")
    # q1 has both living_with_others and safe_spaces: its duplicate tag goes, the choice stays.
    exemplar_choose(quote=q1, subtheme=subtheme("living_with_others"), user=analyst)
    services.subtheme_merge(source=subtheme("living_with_others"), target=subtheme("safe_spaces"))
    chosen = Exemplar.objects.get(quote=q1)
    assert chosen.tag.subtheme == subtheme("safe_spaces") and q1.tags.count() == 1


def test_a_withdrawal_takes_the_exemplars_and_their_history(analyst, coordinator):
    session = complete_session(status="verified", participant_code="LSI-091")
    quote = QuoteFactory(session=session)
    TagFactory(quote=quote, tagged_by=analyst)
    exemplar_choose(quote=quote, subtheme=subtheme("safe_spaces"), user=analyst)
    exemplar_choose(quote=quote, user=analyst)
    before = withdrawal_preview(session).history_rows
    assert Exemplar.history.filter(quote_id=quote.pk).count() == 2
    participant_withdraw(session=session, withdrawal_date=timezone.localdate(),
                         how_requested="phone", recorded_by=coordinator)  # fmt: skip
    assert not Exemplar.objects.exists()
    assert not Exemplar.history.filter(quote_id=quote.pk).exists()
    assert before >= 2


# --- selectors -------------------------------------------------------------------------------


def choose_many(data, analyst, n: int) -> None:
    """n more participants of loneliness-2018, each quote chosen for safe_spaces and its answer."""
    for i in range(n):
        session = complete_session(status="verified", participant_code=f"LSI-1{i:02d}")
        quote = QuoteFactory(session=session, item="companionship")
        TagFactory(quote=quote, tagged_by=analyst)
        exemplar_choose(quote=quote, subtheme=subtheme("safe_spaces"), user=analyst)
        exemplar_choose(quote=quote, user=analyst)


def test_counts_and_the_reports_exemplars_read_one_query_each(
    data, analyst, crisis_care, django_assert_num_queries
):
    q1, _, q3, *_ = data["quotes"]
    exemplar_choose(quote=q1, subtheme=subtheme("safe_spaces"), user=analyst)
    exemplar_choose(quote=q1, user=analyst)
    exemplar_choose(quote=q3, user=analyst)
    loneliness = q1.session.evaluation
    companionship = Question.objects.get(evaluation=loneliness, code="companionship")
    often = companionship.choice_list.options.get(code="often")
    some = companionship.choice_list.options.get(code="some_of_the_time")
    what_helped = Question.objects.get(evaluation=loneliness, code="what_helped")
    safe = ("subtheme", (subtheme("safe_spaces").pk,))
    with django_assert_num_queries(1):  # grouped by the database
        counts = exemplar_counts(loneliness)
    assert counts == {
        safe: 1,
        ("answer", (companionship.pk, often.pk)): 1,
        ("answer", (what_helped.pk, None)): 1,
    }
    choose_many(data, analyst, 3)  # complete sessions answer "some_of_the_time"
    with django_assert_num_queries(1):
        counts = exemplar_counts(loneliness)
    assert counts[safe] == 4 and counts[("answer", (companionship.pk, some.pk))] == 3
    with django_assert_num_queries(1):  # the quotes, their questions and tags joined
        found = exemplars_of(loneliness)
        texts = [e.quote.text for e in found[safe]] + [e.quote.question.label for e in found[safe]]
    assert found[safe][0].quote == q1 and len(texts) == 8
    assert exemplar_counts(crisis_care) == {} and exemplars_of(crisis_care) == {}
    # With the export's filters: another site has none.
    elsewhere = ExportFilters(evaluation=loneliness, where=(("site", "oremi_centre"),))
    assert exemplar_counts(loneliness, filters=elsewhere) == {}


def test_a_quote_no_longer_for_analysis_is_not_counted(data, analyst):
    q1 = data["quotes"][0]
    exemplar_choose(quote=q1, user=analyst)
    session = q1.session
    session.status = "submitted"  # reopened, not verified again yet
    session.save()
    assert exemplar_counts(session.evaluation) == {}
    assert Exemplar.objects.count() == 1  # kept for when it is verified again
