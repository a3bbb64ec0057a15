"""The whole path of a second evaluation, through the commands and services every page uses:
its workbook imported, a practice interview pre-tested, then published (the practice one goes),
an interview entered, submitted and verified, interviews.csv imported, its quotes tagged from its
own codebook, and the four files exported; the loneliness study meanwhile exports as before.
(The pages of each step have their own tests, the browser's among them.)"""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.management import call_command

from interviews.models import Evaluation, InterviewSession, Quote
from interviews.services import sessions as services
from interviews.services.consent import consent_record
from interviews.services.consent_versions import consent_version_current
from tests.factories import InterviewerFactory, site
from tests.test_import_second_evaluation import ROW, as_csv
from tests.workbook_examples import EXAMPLE
from themes import services as tagging
from themes.models import SubTheme

pytestmark = pytest.mark.django_db
CODE = "crisis-care-2026"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def exported(kind: str, *extra: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(run("export", kind, "--evaluation", CODE, *extra))))


def interview(evaluation, code: str, first, second) -> InterviewSession:
    """An interview as the pages run it: started, consented, answered, submitted, verified."""
    session = services.session_start(
        participant_code=code,
        interview_date=datetime.date(2026, 10, 1),
        site=site(),
        interviewer=first,
        partner=second,
        evaluation=evaluation,
    )
    form = consent_version_current(evaluation)
    consent_record(
        session=session,
        recorded_by=first,
        form_version=form,
        consent_date=datetime.date(2026, 10, 1),
        method="signed",
        answers={s.code: True for s in form.statements.all()},
    )
    values = {
        "answer:seen_quickly": "agree",
        "quotes:seen_quickly": ["Someone came within the hour."],
        "answer:listened_to": "partly",
        "answer:felt_safe": "agree",
        "ticks:contacted": ["crisis_line", "police"],
        "quotes:helped_most": ["A calm voice on the phone."],
        "demo:age_band": "55+",
        "demo:first_contact": "yes",
    }
    services.answers_save(
        session=session,
        user=first,
        version=session.version,
        changes={key: {"old": None, "new": value} for key, value in values.items()},
    )
    services.session_submit(session=session, user=first)
    return services.session_verify(session=session, user=second)


def test_a_second_evaluation_from_workbook_to_exports(coordinator, analyst, tmp_path):
    loneliness_before = run("export", "interviews", "--evaluation", "loneliness-2018")
    first, second = InterviewerFactory(), InterviewerFactory()
    InterviewerFactory(username="interviewer_a")
    InterviewerFactory(username="interviewer_b")

    run("evaluation_import", str(EXAMPLE), "--user", coordinator.username)
    evaluation = Evaluation.objects.get(code=CODE)
    practice = interview(evaluation, "CC-900", first, second)
    assert practice.practice
    assert exported("interviews")[1:] == []  # never exported

    run("evaluation_publish", CODE, "--user", coordinator.username)
    assert not InterviewSession.objects.filter(pk=practice.pk).exists()
    evaluation.refresh_from_db()
    entered = interview(evaluation, "CC-002", first, second)
    assert not entered.practice and entered.status == InterviewSession.Status.VERIFIED

    path = tmp_path / "interviews.csv"
    path.write_text(as_csv([ROW]), encoding="utf-8")
    run("import_interviews", str(path), "--evaluation", CODE)

    quotes = exported("quotes")
    assert quotes[0] == ["quote_id", "participant_code", "item", "answer", "text", "tags"]
    words = {row[4]: row for row in quotes[1:]}
    chosen = words["A calm voice on the phone."]
    speed = SubTheme.objects.of(evaluation).get(code="speed")
    quote = Quote.objects.get(pk=int(chosen[0]))
    tagging.tags_add(quotes=[quote], subthemes=[speed], user=analyst)

    rows = exported("interviews")
    header = rows[0]
    assert header[9:] == [
        "seen_quickly",
        "seen_quickly_quotes",
        "listened_to",
        "listened_to_quotes",
        "felt_safe",
        "contacted",
        "helped_most_quotes",
        "age_band",
        "first_contact",
        "status",
        "care_score_score",  # NAME_score of the calculate row care_score
    ]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert sorted(by_code) == ["CC-001", "CC-002"]
    assert by_code["CC-002"]["contacted"] == "crisis_line;police"
    assert by_code["CC-002"]["care_score_score"] == "5"
    assert by_code["CC-001"]["care_score_score"] == ""  # not_sure has no score
    # CC-001 did not know whether they felt safe (no score): its care score is missing.
    scores = [row for row in exported("counts") if row[0] == "score"]
    assert [row[2] for row in scores] == ["0", "1", "2", "3", "4", "5", "6", "missing"]
    assert scores[5][4:] == ["1", "2", "50.0"]
    assert scores[7][4:] == ["1", "2", "50.0"]
    themed = exported("theme_counts")
    assert ["all", "", "access", "speed", "1", "1"] in themed
    assert [row[1] for row in exported("quotes")[1:] if row[5] == "speed"] == ["CC-002"]
    # The loneliness study is untouched.
    assert run("export", "interviews", "--evaluation", "loneliness-2018") == loneliness_before
