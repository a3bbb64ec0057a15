"""The report as a Word document (python-docx): Word's own heading styles (so a table of
contents works), the participants' words verbatim in italics, every chart a picture with alt
text, and its numbers as a real table beside it."""

from __future__ import annotations

import io

from themes.report.charts import chart_png
from themes.report.content import Chart, QuoteGroup, Report, ThemeFinding

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CHART_INCHES = 6.0


def report_docx(report: Report) -> bytes:
    """The .docx file's bytes."""
    # Imported when used: at start-up it would slow every command and worker.
    from docx import Document

    document = Document()
    document.core_properties.title = report.title
    document.add_heading(report.title, level=0)
    for line in report.details:
        document.add_paragraph(line)
    if report.filters:
        document.add_paragraph("Only interviews where: " + "; ".join(report.filters) + ".")
    if report.introduction:
        document.add_heading("Introduction", level=1)
        for paragraph in report.introduction:
            document.add_paragraph(paragraph)

    document.add_heading("Methodology", level=1)
    for line in report.methodology:
        document.add_paragraph(line)
    document.add_paragraph(report.suppression_note)
    if report.refusal:
        document.add_paragraph(report.refusal)

    document.add_heading("Findings", level=1)
    for finding in report.findings:
        document.add_heading(finding.question, level=2)
        if finding.chart:
            _chart(document, finding.chart)
        for group in finding.groups:
            _quote_group(document, group)

    if report.demographics or report.scores:
        document.add_heading("About the people we interviewed", level=1)
        for finding in report.demographics:
            document.add_heading(finding.question, level=2)
            _chart(document, finding.chart)
        for score in report.scores:
            document.add_heading(score.chart.title, level=2)
            _chart(document, score.chart)
            document.add_paragraph(score.cutoff)

    document.add_heading("Key themes", level=1)
    for theme in report.themes:
        _theme(document, theme, level=2)

    if report.recommendations:
        document.add_heading("Recommendations", level=1)
        for recommendation in report.recommendations:
            paragraph = document.add_paragraph(recommendation.text, style="List Number")
            if recommendation.themes:
                paragraph.add_run(f" (Key themes: {', '.join(recommendation.themes)})")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _chart(document, chart: Chart) -> None:
    from docx.shared import Inches

    paragraph = document.add_paragraph()
    picture = paragraph.add_run().add_picture(
        io.BytesIO(chart_png(chart)), width=Inches(CHART_INCHES)
    )
    # python-docx writes no alt text: Word reads it from the picture's docPr descr (and title).
    properties = picture._inline.docPr
    properties.set("descr", chart.description)
    properties.set("title", chart.title)
    if chart.note:
        document.add_paragraph(chart.note)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    header = table.rows[0]
    for cell, text in zip(header.cells, ("Answer", "Number", "Percent"), strict=True):
        cell.text = text
    _repeat_as_header(header)
    for bar in chart.bars:
        cells = table.add_row().cells
        cells[0].text = bar.label
        cells[1].text = bar.text
        cells[2].text = f"{bar.percent}%" if bar.percent else ""
    document.add_paragraph(chart.base_text)
    for share in chart.shares:
        document.add_paragraph(share.sentence)


def _repeat_as_header(row) -> None:
    """Marks the table's first row as its header (read as such, repeated on each page)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)


def _quote(document, text: str) -> None:
    """The participant's words, exactly as typed, in italics."""
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(text).italic = True


def _quote_group(document, group: QuoteGroup) -> None:
    document.add_heading(group.label, level=3)
    if group.memo:
        document.add_paragraph(group.memo)
    for text in (*group.chosen, *group.others):
        _quote(document, text)
    if group.more:
        document.add_paragraph(group.more_text.capitalize() + ".")


def _theme(document, theme: ThemeFinding, level: int) -> None:
    document.add_heading(theme.label, level=level)
    if theme.participants:
        document.add_paragraph(f"Participants: {theme.participants}; quotes: {theme.quotes}.")
    if theme.memo:
        document.add_paragraph(theme.memo)
    for text in theme.chosen:
        _quote(document, text)
    for sub in theme.subthemes:
        _theme(document, sub, level=level + 1)
