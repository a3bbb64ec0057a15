"""PostgreSQL's export SQL follows the evaluation's schedule (``themes.exports_pg``): the COPY
rows of interviews.csv and quotes.csv and the theme-count tables of a second evaluation, the
crisis-care example, whose questions, lists and score are none of loneliness's."""

import csv
import io
from dataclasses import dataclass

import pytest
from django.db import connection

from interviews.models import Evaluation, InterviewSession, Quote
from interviews.schedules import schedule_of
from interviews.services.evaluations import evaluation_import
from interviews.workbooks import read_workbook
from tests.analysis_data import subtheme
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    ItemAnswerFactory,
    QuoteFactory,
    TagFactory,
    TickFactory,
)
from tests.workbook_examples import EXAMPLE
from themes import exports_pg

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the COPY path is PostgreSQL's"),
]


@dataclass(frozen=True)
class CrisisFilters:
    """What the exports ask of their filters (``ExportFilters``): the evaluation's schedule,
    its sessions and quotes; unverified ones included."""

    evaluation: Evaluation

    @property
    def schedule(self):
        return schedule_of(self.evaluation)

    def sessions(self):
        return (
            InterviewSession.objects.for_analysis(include_unverified=True)
            .without_refused_consent()
            .filter(evaluation=self.evaluation)
        )

    def quotes(self):
        return Quote.objects.for_analysis(include_unverified=True).filter(
            session__in=self.sessions().values("pk")
        )


def copied(kind: str, filters) -> list[list[str]]:
    data = b"".join(exports_pg.copy_csv(exports_pg.select_for(kind, filters), ["header"]))
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))[1:]


@pytest.fixture
def crisis(analyst):
    evaluation = evaluation_import(read_workbook(EXAMPLE.read_bytes()), dry_run=False).evaluation
    pair = (InterviewerFactory(username="int_a"), InterviewerFactory(username="int_b"))

    def session(code: str, *, quotes_consent: bool = True) -> InterviewSession:
        made = InterviewSessionFactory(
            evaluation=evaluation,
            participant_code=code,
            interviewer_1=pair[0],
            interviewer_2=pair[1],
        )
        ConsentRecordFactory(session=made, answers={} if quotes_consent else {"quotes": False})
        return made

    one = session("CC-001")
    answers = {
        "seen_quickly": "agree",
        "listened_to": "partly",
        "felt_safe": "disagree",
        "age_band": "18-34",
        "first_contact": "yes",
    }
    for code, value in answers.items():
        ItemAnswerFactory(session=one, item=code, answer=value)
    for code in ("police", "crisis_line"):  # entered in this order, exported in this order
        TickFactory(session=one, item="contacted", answer=code)
    q1 = QuoteFactory(session=one, item="seen_quickly", position=0, text="Quick, for once.")
    q2 = QuoteFactory(session=one, item="seen_quickly", position=1, text='They said "wait".')
    q3 = QuoteFactory(session=one, item="helped_most", position=0, text="The £1 tea, honestly")
    for quote, codes in ((q1, ["safe_spaces"]), (q2, ["other_networks", "safe_spaces"])):
        for code in codes:
            TagFactory(quote=quote, subtheme=subtheme(code), tagged_by=analyst)
    TagFactory(quote=q3, subtheme=subtheme("safe_spaces"), tagged_by=analyst)

    two = session("CC-002", quotes_consent=False)
    # An answer without a score blanks the score; felt_safe unanswered too.
    ItemAnswerFactory(session=two, item="seen_quickly", answer="not_sure")
    ItemAnswerFactory(session=two, item="listened_to", answer="agree")
    QuoteFactory(session=two, item="helped_most", text="SECRET: never to be exported.")
    return {"evaluation": evaluation, "quotes": [q1, q2, q3]}


def test_interviews_rows_follow_the_schedule_in_survey_order(crisis):
    consent = ["v1.0", "2018-04-12", "signed"]  # the evaluation's own form
    assert copied("interviews", CrisisFilters(crisis["evaluation"])) == [
        [
            "CC-001", "2018-04-12", "pall_mall", "int_a", "int_b", *consent, "yes",
            "agree", "Quick, for once.\nThey said \"wait\".",
            "partly", "",
            "disagree",
            "police;crisis_line",
            "The £1 tea, honestly",
            "18-34", "yes",
            "draft", "3",
        ],
        [
            "CC-002", "2018-04-12", "pall_mall", "int_a", "int_b", *consent, "no",
            "not_sure", "", "agree", "", "", "", "", "", "", "draft", "",
        ],
    ]  # fmt: skip


def test_quotes_rows_have_their_questions_code_and_coded_answer(crisis):
    q1, q2, q3 = (q.pk for q in crisis["quotes"])
    assert copied("quotes", CrisisFilters(crisis["evaluation"])) == [
        [str(q1), "CC-001", "seen_quickly", "agree", "Quick, for once.", "safe_spaces"],
        [str(q2), "CC-001", "seen_quickly", "agree", 'They said "wait".',
         "safe_spaces;other_networks"],
        [str(q3), "CC-001", "helped_most", "", "The £1 tea, honestly", "safe_spaces"],
    ]  # fmt: skip


def test_theme_count_tables_group_by_its_questions_answers_and_variables(crisis):
    tables = exports_pg.theme_counts_tables(CrisisFilters(crisis["evaluation"]))
    schedule = schedule_of(crisis["evaluation"])
    assert set(tables) == {"all", "item", "answer", *(q.code for q in schedule.variables)}
    assert {q.code for q in schedule.variables} == {"age_band", "first_contact"}
    safe, other = subtheme("safe_spaces").pk, subtheme("other_networks").pk
    by_subtheme = {by: subthemes for by, (_, subthemes) in tables.items()}
    assert by_subtheme["all"] == {((), safe): (3, 1), ((), other): (1, 1)}
    assert by_subtheme["item"] == {
        (("seen_quickly",), safe): (2, 1),
        (("seen_quickly",), other): (1, 1),
        (("helped_most",), safe): (1, 1),
    }
    # An open question has no coded answer: it is in no answer's group.
    assert by_subtheme["answer"] == {
        (("seen_quickly", "agree"), safe): (2, 1),
        (("seen_quickly", "agree"), other): (1, 1),
    }
    assert by_subtheme["age_band"] == {(("18-34",), safe): (3, 1), (("18-34",), other): (1, 1)}
    assert by_subtheme["first_contact"] == {(("yes",), safe): (3, 1), (("yes",), other): (1, 1)}
    theme = subtheme("safe_spaces").theme_id
    assert tables["all"][0][((), theme)][0] == 3


def test_the_summary_rows_are_per_quote_question(crisis):
    one = crisis["quotes"][0].session
    schedule = schedule_of(crisis["evaluation"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT question_id, answer FROM themes_theme_count_summary WHERE session_id = %s "
            "ORDER BY question_id",
            [one.pk],
        )
        rows = cursor.fetchall()
    assert rows == sorted(
        [
            (0, None),
            (schedule.question("seen_quickly").id, "agree"),
            (schedule.question("helped_most").id, None),
        ]
    )
