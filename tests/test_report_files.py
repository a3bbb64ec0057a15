"""The report's files: the Word document's structure (Word headings, quotes in italics, alt
text on every picture, real tables), the charts zip, the SVG's text and title, the command,
and LibreOffice opening the document where it is installed."""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import zipfile

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from interviews.models import Evaluation
from tests.factories import InterviewerFactory, QuoteFactory, TagFactory, complete_session
from themes.export_filters import ExportFilters
from themes.models import ExportRecord
from themes.report.build import report_build
from themes.report.charts import chart_svg
from themes.report.files import charts_zip, report_html
from themes.report.word import report_docx

pytestmark = pytest.mark.django_db
_NUMBERS = itertools.count(1)


@pytest.fixture
def report(analyst):
    pair = {"interviewer_1": InterviewerFactory(), "interviewer_2": InterviewerFactory()}
    for number in range(6):
        session = complete_session(
            status="verified", participant_code=f"DOC-{next(_NUMBERS)}", **pair
        )
        quote = QuoteFactory(session=session, text=f"I said it, {number} = yes.")
        TagFactory(quote=quote, tagged_by=analyst)
    evaluation = Evaluation.objects.get(code="loneliness-2018")
    return report_build(filters=ExportFilters(evaluation=evaluation))


def test_the_word_document_has_word_headings(report):
    document = Document(io.BytesIO(report_docx(report)))
    headings = [
        (p.style.name, p.text)
        for p in document.paragraphs
        if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0] == ("Title", report.title)
    top = [text for style, text in headings if style == "Heading 1"]
    assert top == [
        "Methodology",
        "Findings",
        "About the people we interviewed",
        "Key themes",
        "Recommendations",
    ]
    assert ("Heading 2", "How often do you feel that you lack companionship?") in headings
    assert ("Heading 3", "People who answered “Some of the time”") in headings


def test_quotes_are_verbatim_in_italics(report):
    document = Document(io.BytesIO(report_docx(report)))
    quotes = [p for p in document.paragraphs if p.text.startswith("I said it")]
    assert len(quotes) == 5  # the limit; "and 1 more" follows
    assert all(run.italic for p in quotes for run in p.runs)
    assert "I said it, 0 = yes." in [p.text for p in quotes]
    assert "And 1 more." in [p.text for p in document.paragraphs]


def test_every_picture_has_alt_text(report):
    data = report_docx(report)
    document = Document(io.BytesIO(data))
    pictures = document.inline_shapes
    assert len(pictures) == len(report.charts) > 10
    for picture in pictures:
        described = picture._inline.docPr.get("descr")
        assert described and described.startswith("Bar chart of ")


def test_every_chart_has_a_real_table(report):
    document = Document(io.BytesIO(report_docx(report)))
    assert len(document.tables) == len(report.charts)
    first = document.tables[0]
    assert [c.text for c in first.rows[0].cells] == ["Answer", "Number", "Percent"]
    assert [c.text for c in first.rows[2].cells] == ["Some of the time", "6", "100.0%"]


def test_the_svg_keeps_its_text_and_says_what_it_shows(report):
    chart = report.charts[0]
    svg = chart_svg(chart)
    assert "<svg" in svg and 'role="img"' in svg
    assert f'<title id="chart-{chart.key}-title">{chart.title}</title>' in svg
    assert "<desc" in svg and "Some of the time: 6 (100.0%)" in svg
    assert "<text" in svg and "6 (100.0%)" in svg  # text, not paths
    assert svg == chart_svg(chart)  # the same chart gives the same file


def test_the_charts_zip_holds_svg_png_and_csv_for_each(report):
    archive = zipfile.ZipFile(io.BytesIO(charts_zip(report)))
    names = archive.namelist()
    assert len(names) == 3 * len(report.charts)
    assert names[:3] == ["01-companionship.svg", "01-companionship.png", "01-companionship.csv"]
    assert archive.read("01-companionship.png").startswith(b"\x89PNG")
    rows = archive.read("01-companionship.csv").decode().splitlines()
    assert rows[0] == "value,label,n,percent,base"
    assert "some_of_the_time,Some of the time,6,100.0,6" in rows


def test_the_html_file_stands_alone(report):
    html = report_html(report)
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    assert "data:image/svg+xml;base64," in html
    assert "I said it, 0 = yes." in html


def test_the_command_writes_word_or_html_by_extension(report, tmp_path):
    out = tmp_path / "report.docx"
    call_command("report", "--out", str(out), "--where", "borough=westminster")
    assert Document(str(out)).paragraphs[0].text == report.title
    record = ExportRecord.objects.get()
    assert (record.file, record.format, record.channel) == ("report.docx", "docx", "command")
    assert record.filters["where"] == ["borough=westminster"]
    page = tmp_path / "report.html"
    call_command("report", "--out", str(page), "--from", "2018-01-01")
    assert '<h2 id="report-findings">Findings</h2>' in page.read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--out", "report.pdf"], "--out must end in .docx (Word) or .html"),
        (["--out", "r.docx", "--where", "borough=mars"], "'mars' is not a code of borough"),
        (["--out", "r.docx", "--from", "12/04/2018"], "--from needs a date as YYYY-MM-DD"),
        (["--out", "r.docx", "--evaluation", "nope"], "there is no evaluation 'nope'"),
    ],
)
def test_the_command_refuses_bad_input_with_the_reason(db, tmp_path, arguments, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("report", *arguments)
    assert not ExportRecord.objects.exists()


@pytest.mark.skipif(
    shutil.which("libreoffice") is None and shutil.which("soffice") is None,
    reason="LibreOffice is not installed (.ci/run installs libreoffice-writer-nogui)",
)
def test_libreoffice_opens_the_word_document(report, tmp_path):
    source = tmp_path / "report.docx"
    source.write_bytes(report_docx(report))
    office = shutil.which("libreoffice") or shutil.which("soffice")
    subprocess.run(
        [office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
    )
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")
