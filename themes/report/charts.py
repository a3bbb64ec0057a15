"""The report's charts drawn by matplotlib (PSF-based licence; a well-kept library rather than
SVG by hand): horizontal bars in the answers' order, each labelled with its count and
percentage, so that no meaning rests on colour; one colour of the Okabe–Ito palette (safe for
colour-blind readers). SVG keeps its text as text (``svg.fonttype`` none) and says what it
shows in a <title> and <desc>; PNG for the Word document. Also each chart's numbers as CSV.

A chart is its content (a frozen dataclass): the same figures draw the same file, so the
drawings are kept in memory by content and the page, the Word file and the zip share them."""

from __future__ import annotations

import csv
import io
import re
import textwrap
from functools import lru_cache
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape, quoteattr

from themes.report.content import Chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

BAR_COLOUR = "#0072B2"  # Okabe–Ito blue: dark enough for its white background (4.5:1 and more)
TEXT_COLOUR = "#1a1a1a"
LABEL_WIDTH = 30  # characters before an answer's label wraps
RC = {
    "svg.fonttype": "none",  # text stays text: searchable, read by screen readers, scalable
    "svg.hashsalt": "ufm-report",  # the same chart gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 10,
}


def _figure(chart: Chart) -> Figure:
    # Imported when used: at start-up it would slow every command and worker.
    from matplotlib.figure import Figure

    bars = chart.bars
    height = 1.1 + 0.42 * len(bars)
    figure = Figure(figsize=(7.0, height))
    # Fixed margins (room for wrapped answer labels on the left): a layout engine would
    # measure every text again, and cost more than drawing.
    figure.subplots_adjust(left=0.34, right=0.98, top=1 - 0.62 / height, bottom=0.45 / height)
    axes = figure.subplots()
    positions = list(range(len(bars)))[::-1]  # the first answer at the top
    values = [bar.value for bar in bars]
    axes.barh(positions, values, color=BAR_COLOUR, height=0.65)
    axes.set_yticks(positions, ["\n".join(textwrap.wrap(b.label, LABEL_WIDTH)) for b in bars])
    top = max(values, default=0) or 1
    for position, bar in zip(positions, bars, strict=True):
        axes.text(bar.value + top * 0.01, position, bar.words, va="center", color=TEXT_COLOUR)
    axes.set_xlim(0, top * 1.35)  # room for the labels past the longest bar
    axes.set_xticks([])  # every bar says its number: a scale would only repeat it
    axes.set_xlabel(f"Number of people ({chart.base_text})", color=TEXT_COLOUR)
    axes.set_title("\n".join(textwrap.wrap(chart.title, 48)), loc="left", color=TEXT_COLOUR)
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=TEXT_COLOUR)
    return figure


@lru_cache(maxsize=256)
def chart_svg(chart: Chart) -> str:
    """The chart as SVG text, with its <title> and <desc> (what it shows, bar by bar)."""
    from matplotlib import rc_context

    buffer = io.StringIO()
    with rc_context(RC):
        _figure(chart).savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    ids = f"chart-{chart.key}"
    said = (
        f'<title id="{ids}-title">{escape(chart.title)}</title>'
        f'<desc id="{ids}-desc">{escape(chart.description)}</desc>'
    )
    # Into the opening <svg> tag: a role and the names, then the title and desc first inside.
    return re.sub(
        r"<svg\b([^>]*)>",
        lambda m: (
            f'<svg{m[1]} role="img" aria-labelledby={quoteattr(f"{ids}-title {ids}-desc")}>' + said
        ),
        svg,
        count=1,
    )


@lru_cache(maxsize=256)
def chart_png(chart: Chart, dpi: int = 120) -> bytes:
    from matplotlib import rc_context

    buffer = io.BytesIO()
    with rc_context(RC):
        _figure(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


CSV_COLUMNS = ("value", "label", "n", "percent", "base")
SHARE_PREFIX = "up_to:"


def chart_csv(chart: Chart) -> str:
    """The numbers behind the chart as published (suppressed counts in words), then the
    shares stated under it."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for bar in chart.bars:
        writer.writerow([bar.code, bar.label, bar.text, bar.percent, chart.base])
    for share in chart.shares:  # "up_to:1-2": the answers up to and including 1-2 together
        writer.writerow(
            [f"{SHARE_PREFIX}{share.up_to}", share.meaning, share.text, share.percent, chart.base]
        )
    return buffer.getvalue()
