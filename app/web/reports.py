"""The timeliness report, as a page with a chart and as CSV.

Who may use each route, and why: GET /reports and GET /reports.csv are for unit managers, who
answer for the unit's performance, and for private offices and ministers, who are held to it
(and admin). Officers and drafters work from the deadlines page instead.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, current_app, g, render_template, request

from app import store
from app.reports import GROUPINGS, report_csv, timeliness_chart, timeliness_report
from app.taxonomy import load_taxonomy
from app.web.auth import actor, roles_required
from app.web.deadlines import date_from_fields

bp = Blueprint("reports", __name__)
REPORT_ROLES = ("unit-manager", "private-office", "minister")
PERIOD_FIELDS = ("from", "to")


def _default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The twelve months to today: from the first day of the month eleven months ago."""
    months_back = today.year * 12 + today.month - 1 - 11
    return dt.date(months_back // 12, months_back % 12 + 1, 1), today


def _date_param(name: str) -> dt.date | None:
    """A date given as NAME=YYYY-MM-DD or in a date input's three fields; None when not given."""
    if request.args.get(name):
        try:
            return dt.date.fromisoformat(request.args[name])
        except ValueError as error:
            raise ValueError("Enter a real date, for example 2025-03-27") from error
    if any(request.args.get(f"{name}-{part}") for part in ("day", "month", "year")):
        return date_from_fields(request.args, name)
    return None


def _period() -> tuple[dict[str, dt.date], dict[str, str]]:
    """The period from the query string (defaults for dates left out), and an error per wrong date."""
    today = current_app.config["MINCORR_SETTINGS"].today()
    default = dict(zip(PERIOD_FIELDS, _default_period(today), strict=True))
    period, errors = {}, {}
    for name in PERIOD_FIELDS:
        try:
            period[name] = _date_param(name) or default[name]
        except ValueError as error:
            errors[name] = str(error)
    if not errors and period["to"] < period["from"]:
        errors["to"] = "The end of the period must be on or after its start"
    return period, errors


def _report(action: str):
    """The report for the requested period (None if the period is wrong), audited as `action`."""
    period, errors = _period()
    if errors:
        return period, errors, None
    taxonomy = load_taxonomy(current_app.config["MINCORR_SETTINGS"].corpus_dir / "taxonomy.yaml")
    report = timeliness_report(g.db, period["from"], period["to"], taxonomy)
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action=action,
        detail={"from": period["from"].isoformat(), "to": period["to"].isoformat()},
    )
    return period, errors, report


def _fields(day: dt.date | None) -> dict | None:
    return {"day": day.day, "month": day.month, "year": day.year} if day else None


@bp.route("/reports")
@roles_required(*REPORT_ROLES)
def reports_page():
    """Timeliness for a period of receipt, in total and by month, minister, topic and case type."""
    period, errors, report = _report("timeliness report viewed")
    return render_template(
        "reports/index.html",
        report=report,
        chart=timeliness_chart(report) if report else None,
        groupings=GROUPINGS,
        errors=errors,
        values={name: _fields(period.get(name)) for name in PERIOD_FIELDS},
        query=request.query_string.decode(),
    ), (400 if errors else 200)


@bp.route("/reports.csv")
@roles_required(*REPORT_ROLES)
def reports_csv():
    """The same figures as CSV: one row per group, with the grouping named in the first column."""
    period, errors, report = _report("timeliness report downloaded")
    if errors:
        return Response("\n".join(errors.values()) + "\n", status=400, mimetype="text/plain")
    name = f"timeliness-{period['from'].isoformat()}-to-{period['to'].isoformat()}.csv"
    return Response(
        report_csv(report),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
