"""Coding rounds: starting one, blind codings, the figures from the database, closing, settling
disagreements into the project's tags, withdrawals, and the closed rounds' kept figures."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError

from interviews.models import Evaluation
from interviews.services.withdrawal import participant_withdraw
from tests.analysis_data import subtheme
from tests.factories import AnalystFactory, CoordinatorFactory, TagFactory
from tests.round_data import hand_case_round, readable_quotes
from themes.agreement import NO_VARIATION, NOT_TWO_CODERS
from themes.export_filters import ExportFilters
from themes.models import CodingRound, RoundCoding, RoundTag, Tag
from themes.rounds import selection, services
from themes.rounds.figures import round_table
from themes.rounds.selectors import rounds_closed

pytestmark = pytest.mark.django_db


def loneliness():
    return Evaluation.objects.get(code="loneliness-2018")


def row_of(rows, level: str, code: str = ""):
    return next(r for r in rows if r.level == level and (r.subtheme or r.theme) == code)


def test_the_hand_case_through_the_database_gives_the_worked_figures():
    rows = round_table(hand_case_round()["round"])
    safe = row_of(rows, "subtheme", "safe_spaces")
    assert (safe.coders, safe.quotes) == (2, 20)
    assert safe.kappa.value == Fraction(29, 44)
    assert safe.alpha.value == Fraction(2, 3)
    assert safe.agreement.value == 85
    # Nobody used another sub-theme: undefined, with the reason, never NaN.
    other = row_of(rows, "subtheme", "diverse_groups")
    assert other.kappa.value is None and other.kappa.reason == NO_VARIATION
    assert other.agreement.value == 100
    # The theme of safe_spaces is applied exactly where safe_spaces is.
    assert row_of(rows, "theme", "settings").kappa.value == Fraction(29, 44)
    # Overall pools every sub-theme decision: 12 x 20, of which 3 disagree.
    overall = rows[-1]
    assert overall.level == "overall" and overall.agreement.value == Fraction(100 * 237, 240)


def test_rows_come_subthemes_in_codebook_order_then_themes_then_overall():
    rows = round_table(hand_case_round()["round"])
    levels = [r.level for r in rows]
    assert levels == ["subtheme"] * 12 + ["theme"] * 4 + ["overall"]
    assert rows[0].subtheme == "safe_spaces" and rows[12].theme == "settings"


def test_a_quote_a_coder_has_not_coded_is_missing_not_no():
    quotes = readable_quotes(4)
    a, b = AnalystFactory(), AnalystFactory()
    coding_round = services.round_start(
        evaluation=loneliness(), name="R", coders=[a, b], quote_ids=[q.pk for q in quotes], user=a
    )
    safe = subtheme("safe_spaces")
    for quote in quotes:
        services.round_code(coding_round=coding_round, coder=a, quote=quote, subthemes=[safe])
    services.round_code(coding_round=coding_round, coder=b, quote=quotes[0], subthemes=[safe])
    row = row_of(round_table(coding_round), "subtheme", "safe_spaces")
    # Only quote 1 was coded by both; B's three uncoded quotes are not "no".
    assert row.quotes == 1 and row.agreement.value == 100


def test_three_coders_have_alpha_but_no_kappa():
    quotes = readable_quotes(3)
    coders = [AnalystFactory() for _ in range(3)]
    coding_round = services.round_start(
        evaluation=loneliness(), name="Three", coders=coders, quote_ids=[q.pk for q in quotes],
        user=coders[0],
    )  # fmt: skip
    for coder in coders:
        for number, quote in enumerate(quotes):
            chosen = [subtheme("safe_spaces")] if number == 0 else []
            services.round_code(
                coding_round=coding_round, coder=coder, quote=quote, subthemes=chosen
            )
    row = row_of(round_table(coding_round), "subtheme", "safe_spaces")
    assert row.coders == 3 and row.kappa.reason == NOT_TWO_CODERS and row.alpha.value == 1


def test_a_round_needs_two_analysts_quotes_and_a_name_of_its_own():
    quotes = readable_quotes(2)
    a = AnalystFactory()
    ids = [q.pk for q in quotes]
    with pytest.raises(ValidationError, match="at least 2 coders"):
        services.round_start(evaluation=loneliness(), name="X", coders=[a], quote_ids=ids, user=a)
    with pytest.raises(ValidationError, match="may not code"):
        services.round_start(
            evaluation=loneliness(), name="X", coders=[a, CoordinatorFactory()], quote_ids=ids,
            user=a,
        )  # fmt: skip
    b = AnalystFactory()
    with pytest.raises(ValidationError, match="no quotes"):
        services.round_start(evaluation=loneliness(), name="X", coders=[a, b], quote_ids=[], user=a)
    services.round_start(evaluation=loneliness(), name="X", coders=[a, b], quote_ids=ids, user=a)
    with pytest.raises(ValidationError, match="already a round of that name"):
        services.round_start(
            evaluation=loneliness(), name="X", coders=[a, b], quote_ids=ids, user=a
        )
    assert CodingRound.objects.count() == 1


def test_coding_in_a_round_never_touches_the_project_tags():
    data = hand_case_round()
    assert not Tag.objects.exists()
    assert RoundTag.objects.filter(coder=data["a"]).count() == 7
    # "None of these" is a coding without tags.
    assert RoundCoding.objects.filter(coder=data["a"]).count() == 20


def test_only_the_rounds_coders_code_its_quotes_and_only_while_open():
    data = hand_case_round()
    coding_round, quote = data["round"], data["quotes"][0]
    with pytest.raises(ValidationError, match="not one of the coders"):
        services.round_code(
            coding_round=coding_round, coder=AnalystFactory(), quote=quote, subthemes=[]
        )
    services.round_close(coding_round=coding_round, user=data["a"])
    with pytest.raises(ValidationError, match="is closed"):
        services.round_code(coding_round=coding_round, coder=data["a"], quote=quote, subthemes=[])


def test_closing_keeps_the_figures_which_a_withdrawal_does_not_change():
    data = hand_case_round()
    coding_round = services.round_close(coding_round=data["round"], user=data["a"])
    kept = coding_round.figures["rows"]
    safe = next(r for r in kept if r["subtheme"] == "safe_spaces")
    assert (safe["kappa"], safe["kappa_exact"], safe["alpha"]) == ("0.659", "29/44", "0.667")
    assert safe["agreement"] == "85.0"
    session = data["quotes"][0].session
    participant_withdraw(
        session=session, withdrawal_date=session.interview_date, how_requested="phone",
        recorded_by=CoordinatorFactory(),
    )  # fmt: skip
    # The round's rows of the withdrawn participant's quotes went, with their history...
    assert not RoundCoding.objects.exists() and not RoundTag.objects.exists()
    assert not RoundTag.history.exists() and not RoundCoding.history.exists()
    # ...the kept figures stay, numbers only.
    coding_round.refresh_from_db()
    assert coding_round.figures["rows"] == kept
    [closed] = rounds_closed(loneliness())
    assert closed.name == "Pilot" and closed.closed_at == coding_round.closed_at
    assert closed.overall["level"] == "overall"
    assert closed.subthemes[0]["subtheme"] == "safe_spaces"
    assert len(closed.themes) == 4


def test_settling_makes_the_project_tags_and_history_names_the_round_and_who_agreed():
    data = hand_case_round()
    coding_round, quote = data["round"], data["quotes"][6]  # tagged by A only
    TagFactory(quote=quote, subtheme=subtheme("other_networks"), tagged_by=data["a"])
    with pytest.raises(ValidationError, match="Close the round first"):
        services.round_settle(
            coding_round=coding_round, quote=quote, subthemes=[], agreed_by=[data["a"]],
            user=data["a"],
        )  # fmt: skip
    services.round_close(coding_round=coding_round, user=data["a"])
    added, removed = services.round_settle(
        coding_round=coding_round, quote=quote, subthemes=[subtheme("safe_spaces")],
        agreed_by=[data["a"], data["b"]], user=data["b"],
    )  # fmt: skip
    assert (added, removed) == (1, 1)
    assert list(quote.tags.values_list("subtheme__code", flat=True)) == ["safe_spaces"]
    reasons = set(Tag.history.filter(quote_id=quote.pk).values_list("history_change_reason"))
    assert ("From coding round 'Pilot', agreed by Ash, Bo",) in reasons
    made = Tag.history.filter(quote_id=quote.pk, history_type="+").latest("history_date")
    assert made.history_user == data["b"]
    assert made.history_change_reason == "From coding round 'Pilot', agreed by Ash, Bo"


def test_a_random_sample_is_reproducible_from_its_seed():
    quotes = readable_quotes(30)
    filters = ExportFilters(evaluation=loneliness())
    choice = selection.Choice(filters=filters, how=selection.SIZE, size=10, seed=42)
    first, described = selection.chosen_ids(choice)
    again, _ = selection.chosen_ids(choice)
    assert first == again and len(first) == 10 and first == sorted(first)
    assert set(first) <= {q.pk for q in quotes}
    assert "seed 42" in described and "10 of the 30" in described
    other, _ = selection.chosen_ids(selection.Choice(filters=filters, how="size", size=10, seed=7))
    assert other != first
    share, _ = selection.chosen_ids(
        selection.Choice(filters=filters, how="share", share=25, seed=1)
    )
    assert len(share) == 8  # 7.5 rounds half up
    with pytest.raises(selection.SelectionError, match="at most 30"):
        selection.chosen_ids(selection.Choice(filters=filters, how="size", size=31, seed=1))


def test_quotes_by_question_and_answer_and_only_those_analysts_may_read():
    often = readable_quotes(2, code="LSI-R01", companionship="often")
    readable_quotes(3, code="LSI-R02", companionship="hardly_ever")
    filters = ExportFilters(evaluation=loneliness())
    choice = selection.Choice(filters=filters, question="companionship", answer="often")
    ids, described = selection.chosen_ids(choice)
    assert ids == [q.pk for q in often]
    assert "companionship" not in described.split("“")[0]  # labels, not codes
    assert selection.matching(selection.Choice(filters=filters, question="nope")).count() == 0


def test_a_round_of_another_evaluation_uses_its_own_codebook(crisis_care):
    coding_round = CodingRound.objects.create(evaluation=crisis_care, name="Crisis pilot")
    own = {r.subtheme for r in round_table(coding_round) if r.level == "subtheme"}
    assert own and "safe_spaces" not in own
