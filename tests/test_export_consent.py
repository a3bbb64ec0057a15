"""Exports and consent: a refused consent is in no export, and the consent columns of
interviews.csv say only what was recorded, so no row passes for a full paper consent that was
never given (exchange.md: an imported consent stands for one)."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection

from interviews.interview_import import interviews_import
from interviews.models import ConsentResponse, InterviewSession
from interviews.services.consent_gate import REFUSED, consent_problem
from tests.analysis_data import interview, subtheme
from tests.factories import (
    ConsentRecordFactory,
    InterviewerFactory,
    InterviewSessionFactory,
    QuoteFactory,
    TagFactory,
)
from themes import export_counts, exports
from themes.export_filters import ExportFilters
from themes.exports import export_stream
from themes.exports_xlsx import export_workbook
from themes.models import ExportRecord
from ufm.import_rows import ImportFailed

pytestmark = pytest.mark.django_db

KINDS = ["interviews", "quotes", "counts", "theme_counts"]
ANSWERS = {"companionship": "often", "isolation": "often", "left_out": "often"}


@pytest.fixture(params=["as configured", "python"])
def path(request, monkeypatch):
    """Every test runs on the database's own path; on PostgreSQL also on the Python one."""
    if request.param == "python":
        if connection.vendor != "postgresql":
            pytest.skip("without PostgreSQL there is only the Python path")
        not_postgres = type("NotPostgres", (), {"vendor": "sqlite"})
        monkeypatch.setattr(exports, "connection", not_postgres)
        monkeypatch.setattr(export_counts, "connection", not_postgres)
    return request.param


def export(kind: str, *, include_unverified: bool) -> bytes:
    pieces = export_stream(
        kind=kind,
        filters=ExportFilters(include_unverified=include_unverified),
        excel=False,
        user=None,
        channel=ExportRecord.Channel.COMMAND,
    )
    return b"".join(pieces)


def rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def drop_response(session: InterviewSession, code: str) -> None:
    ConsentResponse.objects.filter(record__session=session, statement__code=code).delete()


@pytest.fixture
def sessions(analyst):
    """One counted interview and one of every consent that is not a full one. The factories
    write past the consent gate, as a fault or an old bug might have: the exports must hold
    the line on their own."""
    pair = (InterviewerFactory(), InterviewerFactory())
    counted = interview("OK-001", pair=pair, answers=ANSWERS)
    TagFactory(
        quote=QuoteFactory(session=counted, item="isolation", text="Counted words."),
        subtheme=subtheme("safe_spaces"),
        tagged_by=analyst,
    )
    made = {"counted": counted}
    # A "no" to a statement needed to take part, with a "yes" to quotes: refused, whatever
    # its status says.
    for name, status, statement in [
        ("refused_verified", "verified", "voluntary"),
        ("refused_draft", "draft", "information"),
    ]:
        session = InterviewSessionFactory(
            participant_code=f"NO-{status.upper()}", status=status, interviewer_1=pair[0],
            interviewer_2=pair[1],
        )  # fmt: skip
        ConsentRecordFactory(session=session, answers={statement: False})
        interview_data(session, analyst, words=f"REFUSED words of {status}.")
        made[name] = session
    # A statement needed to take part with no answer at all (no path of the app records
    # that): not a full consent, though nobody said no.
    unanswered = interview("GAP-001", pair=pair, status="submitted", answers=ANSWERS)
    drop_response(unanswered, "storage")
    made["unanswered"] = unanswered
    # Consent to take part, but the quotes statement never answered.
    quotes_unanswered = interview("QUO-001", pair=pair, status="submitted", answers=ANSWERS)
    drop_response(quotes_unanswered, "quotes")
    made["quotes_unanswered"] = quotes_unanswered
    # A draft that has not reached the consent step.
    made["no_record"] = InterviewSessionFactory(
        participant_code="NOREC-001", interviewer_1=pair[0], interviewer_2=pair[1]
    )
    return made


def interview_data(session, analyst, *, words: str) -> None:
    from tests.factories import ItemAnswerFactory, demographics_answer

    for item, answer in ANSWERS.items():
        ItemAnswerFactory(session=session, item=item, answer=answer)
    demographics_answer(session, borough="kensington_and_chelsea")
    quote = QuoteFactory(session=session, item="isolation", text=words)
    TagFactory(quote=quote, subtheme=subtheme("safe_spaces"), tagged_by=analyst)


@pytest.mark.parametrize("include_unverified", [False, True])
def test_a_refused_consent_is_in_no_export(sessions, path, include_unverified):
    for kind in KINDS:
        out = export(kind, include_unverified=include_unverified)
        for hidden in (b"NO-VERIFIED", b"NO-DRAFT", b"REFUSED"):
            assert hidden not in out, (kind, hidden)
    counted = 4 if include_unverified else 1  # OK-001, then GAP-001, QUO-001, NOREC-001
    counts = rows(export("counts", include_unverified=include_unverified))
    assert {r["base"] for r in counts} == {str(counted)}
    borough = {r["value"]: r["n"] for r in counts if r["variable"] == "borough"}
    assert borough["kensington_and_chelsea"] == "0"
    themes = rows(export("theme_counts", include_unverified=include_unverified))
    safe_spaces = [r for r in themes if r["by"] == "all" and r["subtheme"] == "safe_spaces"]
    assert [(r["quotes"], r["participants"]) for r in safe_spaces] == [("1", "1")]


def test_a_refused_consent_is_left_out_by_the_command_too(sessions, tmp_path):
    for kind in KINDS:
        out = tmp_path / f"{kind}.csv"
        call_command("export", kind, "--include-unverified", "--out", str(out))
        assert b"NO-" not in out.read_bytes() and b"REFUSED" not in out.read_bytes()


@pytest.mark.parametrize("include_unverified", [False, True])
def test_a_refused_consent_is_in_no_workbook(sessions, include_unverified):
    for kind in KINDS:
        target, _ = export_workbook(
            kind=kind,
            filters=ExportFilters(include_unverified=include_unverified),
            user=None,
            channel=ExportRecord.Channel.COMMAND,
        )
        with target:
            book = openpyxl.load_workbook(target)
        cells = [str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row]
        assert not [c for c in cells if "NO-" in c or "REFUSED" in c], kind


def test_consent_columns_say_only_what_was_recorded(sessions, path):
    by_code = {
        r["participant_code"]: r for r in rows(export("interviews", include_unverified=True))
    }
    assert list(by_code) == ["OK-001", "GAP-001", "QUO-001", "NOREC-001"]
    consent = ["consent_form_version", "consent_date", "consent_method", "consent_quotes"]
    assert [by_code["OK-001"][c] for c in consent] == ["v1", "2018-04-12", "signed", "yes"]
    # These records hold a version, date and method, but a statement without an answer.
    for code in ("GAP-001", "QUO-001"):
        assert [by_code[code][c] for c in consent] == ["v1", "2018-04-12", "signed", ""]
    assert [by_code["NOREC-001"][c] for c in consent] == ["", "", "", ""]


def test_a_re_import_takes_no_row_without_a_full_consent_for_one(sessions, path):
    """exchange.md: an imported consent stands for a paper form with every required statement
    agreed. A row that cannot say so is refused by the import, not taken for consent."""
    data = rows(export("interviews", include_unverified=True))
    partial = [r for r in data if r["participant_code"] != "OK-001"]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(data[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(partial)
    with pytest.raises(ImportFailed) as failed:
        interviews_import(text=buffer.getvalue(), file_name="again.csv", dry_run=True)
    refused_lines = {
        p.line
        for p in failed.value.problems
        if p.column.startswith("consent") and "consent is required" in p.message
    }
    assert refused_lines == {2, 3, 4}


def test_whoever_the_exports_leave_out_for_refusing_the_consent_gate_refuses_too(sessions):
    kept = InterviewSession.objects.without_refused_consent()
    left_out = set(InterviewSession.objects.exclude(pk__in=kept).values_list("pk", flat=True))
    assert left_out == {sessions["refused_verified"].pk, sessions["refused_draft"].pk}
    for name in ("refused_verified", "refused_draft", "unanswered"):
        assert consent_problem(sessions[name]) == REFUSED
