"""Timeliness as the Cabinet Office publishes it, with a bar chart drawn as SVG on the server.

For a period of receipt: cases received, cases answered, cases answered within target (on or
before their due date) and the percentage of received cases answered within target, in total and
by month of receipt, answering minister, topic and case type. Transferred cases are left out of
every figure: another department answers them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import sqlite_utils
from markupsafe import Markup, escape

from app.drafting import format_long_date
from app.store.deadlines import minister_names
from app.store.reports import timeliness_counts
from app.taxonomy import Taxonomy

EXCLUDED_STAGES = ("transferred",)
GROUPINGS = (
    ("month", "Month received"),
    ("minister", "Answering minister"),
    ("topic", "Topic"),
    ("case_type", "Case type"),
)
CSV_COLUMNS = (
    "grouping",
    "group",
    "received",
    "answered",
    "answered_within_target",
    "percent_within_target",
)


@dataclass(frozen=True)
class TimelinessRow:
    """One group's figures."""

    label: str
    received: int
    answered: int
    within_target: int

    @property
    def percent(self) -> float | None:
        """Percentage of received cases answered within target, to one decimal (None if none received)."""
        return round(100 * self.within_target / self.received, 1) if self.received else None


@dataclass(frozen=True)
class TimelinessReport:
    """The figures for a period: the total, and the rows of each grouping."""

    start: dt.date
    end: dt.date
    total: TimelinessRow
    groups: dict[str, list[TimelinessRow]]


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Every month ('2009-04') from the month of `start` to the month of `end`."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_label(month: str) -> str:
    """'2009-04' as 'April 2009'."""
    return dt.date.fromisoformat(f"{month}-01").strftime("%B %Y")


def _labels(db: sqlite_utils.Database, grouping: str, keys: list, taxonomy: Taxonomy) -> dict:
    """The names people read for each group key of a grouping."""
    if grouping == "month":
        return {key: month_label(key) for key in keys}
    if grouping == "minister":
        names = minister_names(db, keys)
        return {key: names.get(key, key) if key else "No answering minister" for key in keys}
    if grouping == "topic":
        return {
            key: (taxonomy.label("topics", key) or {}).get("name", key or "Not classified") for key in keys
        }
    return {key: f"{(taxonomy.label('case_types', key) or {}).get('name', key)} ({key})" for key in keys}


def _rows(
    db: sqlite_utils.Database,
    grouping: str,
    counts: list[dict],
    keys: list,
    taxonomy: Taxonomy,
) -> list[TimelinessRow]:
    """The rows of one grouping, summed from the counts; each key in `keys` gets a row, even with none."""
    sums = {key: [0, 0, 0] for key in keys}
    for count in counts:
        figures = sums.setdefault(count[grouping], [0, 0, 0])
        for index, column in enumerate(("received", "answered", "within_target")):
            figures[index] += count[column]
    labels = _labels(db, grouping, list(sums), taxonomy)
    ordered = keys + sorted((k for k in sums if k not in keys), key=lambda k: (k is None, labels[k]))
    return [TimelinessRow(labels[key], *sums[key]) for key in ordered]


def timeliness_report(
    db: sqlite_utils.Database, start: dt.date, end: dt.date, taxonomy: Taxonomy
) -> TimelinessReport:
    """The timeliness figures for cases received from `start` to `end` (both included)."""
    if end < start:
        raise ValueError("The end of the period must be on or after its start")
    counts = timeliness_counts(
        db, start=start.isoformat(), end=end.isoformat(), excluded_stages=EXCLUDED_STAGES
    )
    groups = {
        grouping: _rows(
            db, grouping, counts, months_between(start, end) if grouping == "month" else [], taxonomy
        )
        for grouping, _ in GROUPINGS
    }
    months = groups["month"]
    total = TimelinessRow(
        label="All cases",
        received=sum(r.received for r in months),
        answered=sum(r.answered for r in months),
        within_target=sum(r.within_target for r in months),
    )
    return TimelinessReport(start=start, end=end, total=total, groups=groups)


def report_csv(report: TimelinessReport) -> str:
    """The report as CSV: one row per group of each grouping, then the total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    rows = [(grouping, row) for grouping, _ in GROUPINGS for row in report.groups[grouping]]
    for grouping, row in [*rows, ("all", report.total)]:
        percent = "" if row.percent is None else f"{row.percent:.1f}"
        writer.writerow((grouping, row.label, row.received, row.answered, row.within_target, percent))
    return out.getvalue()


# --- a small SVG bar chart builder ---------------------------------------------------------------

CHART_HEIGHT = 160
CHART_TOP = 24
CHART_LEFT = 48
BAR_STEP = 56
BAR_WIDTH = 36
LABEL_SPACE = 48
BAR_COLOUR = "#1d70b8"
GRID_COLOUR = "#b1b4b6"
TEXT_STYLE = 'font-family="Arial, sans-serif" font-size="12" fill="#0b0c0c"'


def _gridlines(width: int) -> list[str]:
    """Horizontal lines at 0, 25, 50, 75 and 100%, each with its label."""
    parts = []
    for percent in (0, 25, 50, 75, 100):
        y = CHART_TOP + CHART_HEIGHT - percent * CHART_HEIGHT / 100
        parts.append(
            f'<line x1="{CHART_LEFT}" y1="{y:g}" x2="{width - 8}" y2="{y:g}" stroke="{GRID_COLOUR}"/>'
            f'<text x="{CHART_LEFT - 6}" y="{y + 4:g}" text-anchor="end" {TEXT_STYLE}>{percent}%</text>'
        )
    return parts


def _bar(index: int, label: str, value: float | None) -> str:
    """One bar with its value above and its label (split at the first space onto two lines) below."""
    x = CHART_LEFT + 10 + index * BAR_STEP
    centre, base = x + BAR_WIDTH / 2, CHART_TOP + CHART_HEIGHT
    first, _, second = label.partition(" ")
    parts = ["<g>", f"<title>{escape(label)}: {'no cases' if value is None else f'{value:g}%'}</title>"]
    if value is None:
        parts.append(f'<text x="{centre:g}" y="{base - 6:g}" text-anchor="middle" {TEXT_STYLE}>none</text>')
    else:
        top = base - value * CHART_HEIGHT / 100
        parts.append(
            f'<rect x="{x}" y="{top:g}" width="{BAR_WIDTH}" height="{base - top:g}" fill="{BAR_COLOUR}"/>'
            f'<text x="{centre:g}" y="{top - 5:g}" text-anchor="middle" {TEXT_STYLE}>{value:g}%</text>'
        )
    parts.append(
        f'<text x="{centre:g}" y="{base + 16:g}" text-anchor="middle" {TEXT_STYLE}>{escape(first[:3])}'
        f'<tspan x="{centre:g}" dy="14">{escape(second)}</tspan></text></g>'
    )
    return "".join(parts)


def bar_chart_svg(
    title: str, description: str, bars: list[tuple[str, float | None]], chart_id: str
) -> Markup:
    """A bar chart of percentages (0 to 100) as inline SVG, titled and described for screen readers."""
    width = CHART_LEFT + 10 + max(len(bars), 1) * BAR_STEP + 8
    height = CHART_TOP + CHART_HEIGHT + LABEL_SPACE
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" style="max-width: 100%; height: auto" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        *_gridlines(width),
        *(_bar(index, label, value) for index, (label, value) in enumerate(bars)),
        "</svg>",
    ]
    return Markup("".join(parts))


def timeliness_chart(report: TimelinessReport) -> Markup:
    """The percentage answered within target for each month of receipt, as a bar chart."""
    months = report.groups["month"]
    described = "; ".join(
        f"{row.label}: {'no cases' if row.percent is None else f'{row.percent:g}%'}" for row in months
    )
    return bar_chart_svg(
        title="Percentage of cases answered within target, by month received",
        description=(
            f"Cases received from {format_long_date(report.start)} to {format_long_date(report.end)}. "
            f"{described}."
        ),
        bars=[(row.label, row.percent) for row in months],
        chart_id="timeliness-chart",
    )
