"""The exports of an evaluation other than loneliness-2018: the crisis-care example's columns,
rows, score and filters follow its own schedule (evaluation.md, "Files of an evaluation"), and
the command's --evaluation says which one is exported."""

import csv
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interviews.models import Evaluation
from interviews.schedules import schedule_of
from tests.analysis_data import build
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    TickFactory,
)
from themes.export_filters import ExportFilters, FilterError
from themes.exports import export_stream
from themes.exports_xlsx import export_workbook
from themes.models import ExportRecord, SubTheme

pytestmark = pytest.mark.django_db

CRISIS = "crisis-care-2026"
SESSION_HEADER = (
    "participant_code,interview_date,site,interviewer_1,interviewer_2,"
    "consent_form_version,consent_date,consent_method,consent_quotes"
)


@pytest.fixture
def crisis(crisis_care) -> Evaluation:
    return crisis_care


def crisis_subtheme(evaluation, code: str) -> SubTheme:
    return SubTheme.objects.of(evaluation).get(code=code)


def crisis_interview(evaluation, code: str, *, pair, answers: dict, ticks=(), quotes=()):
    session = InterviewSessionFactory(
        evaluation=evaluation, participant_code=code, status="verified",
        interviewer_1=pair[0], interviewer_2=pair[1],
    )  # fmt: skip
    ConsentRecordFactory(session=session)
    for item, answer in answers.items():
        ItemAnswerFactory(session=session, item=item, answer=answer)
    for tick in ticks:
        TickFactory(session=session, item="contacted", answer=tick)
    return session, [
        QuoteFactory(session=session, item=item, text=text, position=i)
        for i, (item, text) in enumerate(quotes)
    ]


@pytest.fixture
def data(crisis, analyst):
    build(analyst)  # loneliness-2018's interviews, never in an export of crisis care
    pair = (InterviewerFactory(username="cc_a"), InterviewerFactory(username="cc_b"))
    one, (q1, q2) = crisis_interview(
        crisis,
        "CC-001",
        pair=pair,
        answers={"seen_quickly": "agree", "listened_to": "partly", "felt_safe": "agree",
                 "age_band": "18-34", "first_contact": "yes"},
        ticks=["police", "crisis_line"],
        quotes=[("helped_most", "A nurse who stayed."), ("seen_quickly", "Within the hour.")],
    )  # fmt: skip
    two, _ = crisis_interview(
        crisis,
        "CC-002",
        pair=pair,
        answers={"seen_quickly": "disagree", "felt_safe": "not_sure", "age_band": "55+",
                 "first_contact": "no"},
    )  # fmt: skip
    TagFactory(quote=q2, subtheme=crisis_subtheme(crisis, "speed"), tagged_by=analyst)
    return {"one": one, "two": two, "quotes": [q1, q2]}


def export(kind: str, filters: ExportFilters) -> str:
    pieces = export_stream(
        kind=kind, filters=filters, excel=False, user=None, channel=ExportRecord.Channel.COMMAND
    )
    return b"".join(pieces).decode("utf-8")


def of(evaluation, **options) -> ExportFilters:
    return ExportFilters(evaluation=evaluation, **options)


def rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_interviews_csv_has_the_evaluations_columns_in_survey_order(crisis, data):
    text = export("interviews", of(crisis))
    header, *lines = text.splitlines()
    assert header == (
        f"{SESSION_HEADER},seen_quickly,seen_quickly_quotes,listened_to,listened_to_quotes,"
        "felt_safe,contacted,helped_most_quotes,age_band,first_contact,status,care_score_score"
    )
    assert lines == [
        "CC-001,2018-04-12,pall_mall,cc_a,cc_b,v1.0,2018-04-12,signed,yes,"
        "agree,Within the hour.,partly,,agree,police;crisis_line,A nurse who stayed.,18-34,yes,"
        "verified,5",
        # A term without a score (not_sure) or unanswered (listened_to): the score is blank.
        "CC-002,2018-04-12,pall_mall,cc_a,cc_b,v1.0,2018-04-12,signed,yes,"
        "disagree,,,,not_sure,,,55+,no,verified,",
    ]


def test_quotes_csv_lists_the_evaluations_quotes_in_survey_order(crisis, data):
    q1, q2 = (q.pk for q in data["quotes"])
    assert export("quotes", of(crisis)) == (
        "quote_id,participant_code,item,answer,text,tags\n"
        f"{q2},CC-001,seen_quickly,agree,Within the hour.,speed\n"
        f"{q1},CC-001,helped_most,,A nurse who stayed.,\n"
    )


def test_counts_csv_follows_the_schedule_with_the_score_range_then_missing(crisis, data):
    counted = rows(export("counts", of(crisis)))
    assert [(r["section"], r["variable"]) for r in counted[:4]] == [
        ("schedule", "seen_quickly")
    ] * 4
    variables = list(dict.fromkeys((r["section"], r["variable"]) for r in counted))
    assert variables == [
        ("schedule", "seen_quickly"), ("schedule", "listened_to"), ("schedule", "felt_safe"),
        ("schedule", "contacted"), ("demographics", "age_band"),
        ("demographics", "first_contact"), ("score", "care_score"),
    ]  # fmt: skip
    score = [(r["value"], r["n"]) for r in counted if r["variable"] == "care_score"]
    assert score == [
        ("0", "0"), ("1", "0"), ("2", "0"), ("3", "0"), ("4", "0"), ("5", "1"), ("6", "0"),
        ("missing", "1"),
    ]  # fmt: skip
    contacted = {r["value"]: (r["label"], r["n"]) for r in counted if r["variable"] == "contacted"}
    assert contacted["police"] == ("Police", "1") and contacted["a_and_e"] == ("A&E", "0")
    assert {r["base"] for r in counted} == {"2"}


def test_theme_counts_group_by_the_evaluations_questions_and_demographics(crisis, data):
    found = {
        (r["by"], r["group"], r["subtheme"]): (r["quotes"], r["participants"])
        for r in rows(export("theme_counts", of(crisis)))
    }
    assert found[("all", "", "speed")] == ("1", "1")
    assert found[("item", "seen_quickly", "speed")] == ("1", "1")
    assert found[("answer", "seen_quickly:agree", "speed")] == ("1", "1")
    assert found[("age_band", "18-34", "speed")] == ("1", "1")
    assert found[("first_contact", "yes", "speed")] == ("1", "1")
    # Its own codebook only, every sub-theme of it in the by=all rows.
    everyone = [(r["theme"], r["subtheme"]) for r in rows(export("theme_counts", of(crisis)))
                if r["by"] == "all"]  # fmt: skip
    assert everyone == [
        ("access", ""), ("access", "speed"), ("access", "right_place"),
        ("people", ""), ("people", "being_heard"), ("people", "continuity"),
    ]  # fmt: skip
    groupings = {by for by, _, _ in found}
    assert groupings == {"all", "item", "answer", "age_band", "first_contact"}


def test_where_takes_the_evaluations_variables_and_the_site(crisis, data):
    first = ExportFilters.parse(
        include_unverified=False, where=["first_contact=yes"], evaluation=crisis
    )
    assert [r["participant_code"] for r in rows(export("interviews", first))] == ["CC-001"]
    nobody = ExportFilters.parse(
        include_unverified=False, where=["site=oremi_centre"], evaluation=crisis
    )
    assert {r["base"] for r in rows(export("counts", nobody))} == {"0"}


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("borough=westminster", "'borough' is not a variable of crisis-care-2026; use one of: "
         "age_band, first_contact, site (got 'borough=westminster')"),
        ("age_band=45-54", "'45-54' is not a code of age_band; use one of: 18-34, 35-54, 55+"),
        ("first_contact", "--where needs VARIABLE=CODE, e.g. age_band=18-34 (got 'first_contact')"),
    ],
)  # fmt: skip
def test_a_wrong_where_is_refused_with_the_evaluations_choices(crisis, where, message):
    with pytest.raises(FilterError) as refused:
        ExportFilters.parse(include_unverified=False, where=[where], evaluation=crisis)
    assert str(refused.value).startswith(message)


def test_the_command_exports_the_evaluation_named(crisis, data, tmp_path):
    out = tmp_path / "counts.csv"
    call_command("export", "counts", "--evaluation", CRISIS, "--out", str(out))
    assert ExportRecord.objects.get().filters["evaluation"] == CRISIS
    assert out.read_text() == export("counts", of(crisis))


def test_the_command_asks_which_evaluation_when_there_are_two(crisis):
    with pytest.raises(CommandError, match="say which evaluation"):
        call_command("export", "counts", stdout=io.StringIO())
    with pytest.raises(CommandError, match="there is no evaluation 'nope'"):
        call_command("export", "counts", "--evaluation", "nope", stdout=io.StringIO())


def test_the_command_refuses_another_evaluations_variable(crisis):
    with pytest.raises(CommandError, match="'borough' is not a variable of crisis-care-2026"):
        call_command(
            "export", "counts", "--evaluation", CRISIS, "--where", "borough=westminster",
            stdout=io.StringIO(),
        )  # fmt: skip


def test_the_workbook_holds_the_score_as_a_number_and_labels_its_codes(crisis, data):
    target, _ = export_workbook(
        kind="interviews", filters=of(crisis), user=None, channel=ExportRecord.Channel.COMMAND
    )
    with target:
        book = openpyxl.load_workbook(target)
    header, first, second = book.worksheets[0].iter_rows(values_only=True)
    assert first[header.index("care_score_score")] == 5
    assert second[header.index("care_score_score")] is None
    labels = [list(r) for r in book["labels"].iter_rows(values_only=True)]
    assert ["contacted", "crisis_line", "Crisis line"] in labels
    assert ["age_band", "55+", "55 or over"] in labels


def test_loneliness_exports_leave_the_other_evaluation_out(crisis, data):
    loneliness = Evaluation.objects.get(code="loneliness-2018")
    for kind in ("interviews", "quotes"):
        text = export(kind, of(loneliness))
        assert "CC-00" not in text and "LSI-001" in text


def many(evaluation, n: int, prefix: str, analyst) -> None:
    pair = (InterviewerFactory(), InterviewerFactory())
    for i in range(n):
        _, quotes = crisis_interview(
            evaluation,
            f"{prefix}-{i:03d}",
            pair=pair,
            answers={"seen_quickly": "agree", "age_band": "18-34"},
            ticks=["police", "other"],
            quotes=[("seen_quickly", "Quick."), ("helped_most", "Kindness.")],
        )
        for quote in quotes:
            TagFactory(quote=quote, subtheme=crisis_subtheme(evaluation, "speed"))


def queries_for(evaluation, kind: str) -> int:
    filters = of(evaluation)
    schedule_of(evaluation)  # read, as a running server keeps it
    with CaptureQueriesContext(connection) as ctx:
        export(kind, filters)
    return len(ctx.captured_queries)


# As for loneliness-2018 (tests/test_exports.py): the record (2), and interviews: sessions,
# answers, quotes, ticks; quotes: quotes, tags; counts: base, answers, ticks, the one score;
# theme_counts: themes, sub-themes, taggable, 2 per grouping (all, item, answer, demographics).
EXPECTED_QUERIES = {"interviews": 6, "quotes": 4, "counts": 6, "theme_counts": 13}
if connection.vendor == "postgresql":
    # The row exports' COPY runs on psycopg's own cursor, which Django does not see; the
    # theme counts are one statement in a savepoint with its planner settings (6).
    EXPECTED_QUERIES.update(interviews=2, quotes=2, theme_counts=11)


@pytest.mark.parametrize("kind", list(EXPECTED_QUERIES))
def test_query_counts_are_pinned_and_independent_of_rows(crisis, analyst, kind):
    many(crisis, 1, "CC-1", analyst)
    one = queries_for(crisis, kind)
    many(crisis, 6, "CC-2", analyst)
    assert len(rows(export(kind, of(crisis)))) >= 7
    assert queries_for(crisis, kind) == one == EXPECTED_QUERIES[kind]


def test_the_workbooks_labels_come_from_the_evaluations_own_codebook(crisis, data):
    target, _ = export_workbook(
        kind="quotes", filters=of(crisis), user=None, channel=ExportRecord.Channel.COMMAND
    )
    with target:
        labels = [
            list(r) for r in openpyxl.load_workbook(target)["labels"].iter_rows(values_only=True)
        ]
    assert ["subtheme", "speed", "Speed of response"] in labels
    assert ["item", "helped_most", "What helped most?"] in labels
    assert ["answer", "agree", "Agree"] in labels


EXPORTS = reverse("admin:themes_exports")


def test_the_page_exports_the_evaluation_chosen(client, analyst, crisis, data):
    client.force_login(analyst)
    page = client.get(EXPORTS).content.decode()
    assert "(loneliness-2018, collecting interviews)" in page
    assert f'href="?evaluation={CRISIS}"' in page and 'name="where_borough"' in page
    chosen = client.get(EXPORTS, {"evaluation": CRISIS}).content.decode()
    assert f'name="evaluation" value="{CRISIS}"' in chosen
    assert 'name="where_first_contact"' in chosen and 'name="where_borough"' not in chosen
    post = {"evaluation": CRISIS, "kind": "interviews", "format": "csv",
            "where_first_contact": "yes"}  # fmt: skip
    response = client.post(EXPORTS, post)
    assert rows(b"".join(response.streaming_content).decode()) == rows(
        export("interviews", ExportFilters(evaluation=crisis, where=(("first_contact", "yes"),)))
    )
    assert ExportRecord.objects.filter(channel="download").get().filters["evaluation"] == CRISIS


def test_an_unknown_evaluation_is_said_on_the_page_and_nothing_exported(client, analyst, data):
    client.force_login(analyst)
    post = {"evaluation": "nope", "kind": "interviews", "format": "csv"}
    for response in (client.get(EXPORTS, {"evaluation": "nope"}), client.post(EXPORTS, post)):
        assert response.status_code == 200
        assert "There is no evaluation &#x27;nope&#x27;" in response.content.decode()
    assert not ExportRecord.objects.exists()


def test_the_page_works_when_no_evaluation_is_collecting(client, analyst, crisis, data):
    Evaluation.objects.filter(code="loneliness-2018").update(status="analysing")
    client.force_login(analyst)
    page = client.get(EXPORTS).content.decode()
    assert "(loneliness-2018, being analysed)" in page
    changelist = client.get(reverse("admin:interviews_quote_changelist"))
    assert changelist.status_code == 200
