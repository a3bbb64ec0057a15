"""The report's files: the web page on its own (.html, the command's), the zip of every chart
(SVG, PNG and the numbers as CSV), and the one function that makes any of them and records it
in ExportRecord (the audit of every download and command)."""

from __future__ import annotations

import base64
import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from themes.export_filters import ExportFilters
from themes.models import ExportRecord
from themes.report.build import report_build
from themes.report.charts import chart_csv, chart_png, chart_svg
from themes.report.content import Chart, Report
from themes.report.word import CONTENT_TYPE as DOCX_TYPE
from themes.report.word import report_docx

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "report.css"

# kind: (file name, format recorded, content type)
FILES = {
    "docx": ("report.docx", ExportRecord.Format.DOCX, DOCX_TYPE),
    "html": ("report.html", ExportRecord.Format.HTML, "text/html; charset=utf-8"),
    "charts": ("report-charts.zip", ExportRecord.Format.ZIP, "application/zip"),
}


def chart_src(chart: Chart) -> str:
    """The chart's SVG as a data: address for an <img> (the page's CSP allows data: images,
    and an image's own styles are its own)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg(chart).encode()).decode()


def report_html(report: Report) -> str:
    """The report as one HTML file, its stylesheet inside (it is opened from a disk)."""
    return render_to_string(
        "themes/report_file.html",
        {"report": report, "stylesheet": STYLESHEET.read_text(encoding="utf-8")},
    )


def charts_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, chart in enumerate(report.charts, start=1):
            stem = f"{number:02d}-{chart.key}"
            archive.writestr(f"{stem}.svg", chart_svg(chart))
            archive.writestr(f"{stem}.png", chart_png(chart))
            archive.writestr(f"{stem}.csv", chart_csv(chart))
    return buffer.getvalue()


RENDERERS = {
    "docx": report_docx,
    "html": lambda report: report_html(report).encode("utf-8"),
    "charts": charts_zip,
}


def report_file(*, kind: str, filters: ExportFilters, user, channel: str) -> tuple[bytes, str]:
    """The bytes and file name of the report as ``kind`` (docx, html, charts), recorded."""
    name, format_, _ = FILES[kind]
    report = report_build(filters=filters)
    content = RENDERERS[kind](report)
    ExportRecord.objects.create(
        file=name,
        made_by=user if user is not None and user.is_authenticated else None,
        channel=channel,
        filters={**filters.as_json(), "include_unverified": False},
        format=format_,
    )
    return content, name
