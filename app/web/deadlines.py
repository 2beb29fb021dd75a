"""The deadlines page, the case clock, the received date and the deadlines digest.

Who may use each route, and why:
- GET /deadlines: every signed-in role. The whole unit, drafters, private offices and ministers
  all need to see what is overdue and what falls due this week (and what was replied this month).
- POST /cases/<reference>/clock/stop, /cases/<reference>/clock/restart and
  /cases/<reference>/received: correspondence officers and unit managers (and admin), who own a
  case's dates. Each change needs a reason and is audited with the old and new dates.
- POST /deadlines/digest: unit managers (and admin), who send the unit its deadlines digest.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from app import store
from app.clock import ClockError, change_received_date, restart_clock, stop_clock
from app.deadlines import RAG_WORDS, rag_status, week_end
from app.department_settings import holiday_region
from app.digest import default_outbox, write_digest
from app.drafting import format_long_date
from app.store.deadlines import (
    deadline_cases,
    deadline_counts,
    minister_names,
    own_department_ministers,
    replied_counts,
)
from app.taxonomy import load_taxonomy
from app.web.auth import actor, roles_required
from app.workflow import OPEN_STAGES, STAGE_NAMES, stage_name

bp = Blueprint("deadlines", __name__)
PAGE_SIZE = 100
CLOCK_ROLES = ("correspondence-officer", "unit-manager")
DIGEST_ROLES = ("unit-manager",)
# (bucket id, what the page calls it), in the order the page shows them.
BUCKETS = (
    ("all", "All listed"),
    ("overdue", "Overdue"),
    ("today", "Due today"),
    ("week", "Due this week"),
    ("stopped", "Clock stopped"),
)
FILTERS = ("team", "minister", "topic", "stage")


def _settings():
    return current_app.config["MINCORR_SETTINGS"]


def _taxonomy():
    return load_taxonomy(_settings().corpus_dir / "taxonomy.yaml")


def _case_or_404(reference: str) -> dict:
    case = store.get_case_by_reference(g.db, reference)
    if case is None:
        abort(404)
    return case


def date_from_fields(fields, name: str) -> dt.date:
    """A date from a GOV.UK date input's three fields (`name`-day, -month, -year); ValueError says why."""
    parts = [fields.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")]
    if not all(parts):
        raise ValueError("Enter a date with a day, month and year")
    try:
        day, month, year = (int(part) for part in parts)
        return dt.date(year, month, day)
    except ValueError as error:
        raise ValueError("Enter a real date, for example 27 3 2025") from error


def _filters(taxonomy, ministers: list[dict]) -> dict:
    """The page's filters from the query string, each kept only if it names a known value."""
    known = {
        "team": set(taxonomy.teams()),
        "minister": {m["id"] for m in ministers},
        "topic": set(taxonomy.ids("topics")),
        "stage": set(OPEN_STAGES),
    }
    return {name: value for name in FILTERS if (value := request.args.get(name, "")) in known[name]}


def _topics(filters: dict, taxonomy) -> list[str] | None:
    """The topics a team and topic filter leave (None when neither is set)."""
    topics = taxonomy.topics_of_team(filters["team"]) if "team" in filters else None
    if "topic" in filters:
        topics = [filters["topic"]] if topics is None or filters["topic"] in topics else []
    return topics


def _row(case: dict, today: dt.date, region: str, taxonomy, names: dict) -> dict:
    """A case as the deadlines table shows it, with its red/amber/green status in words."""
    topic = taxonomy.label("topics", case["topic"]) or {}
    rag = (
        None if case["clock_stopped_since"] else rag_status(dt.date.fromisoformat(case["due"]), today, region)
    )
    return {
        "reference": case["reference"],
        "topic": topic.get("name", "Not classified"),
        "team": topic.get("team", "No team yet"),
        "minister": names.get(case["answering_minister_id"], "None found"),
        "stage": stage_name(case["status"]),
        "due": case["due"],
        "rag": rag,
        "rag_words": RAG_WORDS.get(rag),
        "stopped_since": case["clock_stopped_since"],
    }


@bp.route("/deadlines")
def deadlines_page():
    """Open cases overdue, due today and due this week (and those with the clock stopped), filtered."""
    settings, taxonomy = _settings(), _taxonomy()
    today, region = settings.today(), holiday_region(g.db, settings)
    ministers = own_department_ministers(g.db)
    filters = _filters(taxonomy, ministers)
    bucket = request.args.get("show", "all")
    bucket = bucket if bucket in dict(BUCKETS) else "all"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    scope = {
        "today": today.isoformat(),
        "week_end": week_end(today, region).isoformat(),
        "stages": (filters["stage"],) if "stage" in filters else OPEN_STAGES,
        "topics": _topics(filters, taxonomy),
        "minister_id": filters.get("minister"),
    }
    counts = deadline_counts(g.db, **scope)
    counts["all"] = sum(counts.values())
    replied = replied_counts(
        g.db,
        start=today.replace(day=1).isoformat(),
        before=(today + dt.timedelta(days=1)).isoformat(),
        topics=scope["topics"],
        minister_id=scope["minister_id"],
    )
    cases = deadline_cases(g.db, bucket=bucket, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **scope)
    names = minister_names(g.db, [c["answering_minister_id"] for c in cases])
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="deadlines listed",
        detail={"show": bucket, "page": page, "count": len(cases), "filters": filters},
    )
    return render_template(
        "deadlines/index.html",
        rows=[_row(case, today, region, taxonomy, names) for case in cases],
        counts=counts,
        replied=replied,
        month_start=today.replace(day=1),
        buckets=BUCKETS,
        bucket=bucket,
        bucket_name=dict(BUCKETS)[bucket],
        filters=filters,
        query=lambda **changes: urlencode({**filters, "show": bucket, **changes}),
        page=page,
        pages=max(1, -(-counts[bucket] // PAGE_SIZE)),
        today=today,
        week_end=scope["week_end"],
        teams=taxonomy.teams(),
        topics=taxonomy.topics,
        ministers=ministers,
        stages=[(stage, STAGE_NAMES[stage]) for stage in OPEN_STAGES],
        can_write_digest=g.user["role"] in (*DIGEST_ROLES, "admin"),
    )


@bp.route("/deadlines/digest", methods=["POST"])
@roles_required(*DIGEST_ROLES)
def digest():
    """Write the deadlines digest email file to the outbox and say where it is."""
    settings = _settings()
    path = write_digest(g.db, default_outbox(settings), settings, _taxonomy(), actor())
    flash(f"Deadlines digest written to {path}")
    return redirect(url_for("deadlines.deadlines_page"))


def _long(day: str) -> str:
    return format_long_date(dt.date.fromisoformat(day))


def _clock_change(reference: str, change) -> Response:
    """Run a clock or date change on a case, then go back to the case page with what happened."""
    case = _case_or_404(reference)
    try:
        message = change(case)
    except (ClockError, ValueError) as error:
        flash(str(error), "error")
    else:
        flash(message)
    return redirect(url_for("cases.case_page", reference=case["reference"]))


@bp.route("/cases/<reference>/clock/stop", methods=["POST"])
@roles_required(*CLOCK_ROLES)
def clock_stop(reference: str):
    """Stop a case's clock, with a reason."""

    def stop(case):
        since = stop_clock(g.db, case, request.form.get("reason", ""), actor(), _settings())
        return f"The clock of {case['reference']} is stopped from {_long(since)}"

    return _clock_change(reference, stop)


@bp.route("/cases/<reference>/clock/restart", methods=["POST"])
@roles_required(*CLOCK_ROLES)
def clock_restart(reference: str):
    """Restart a case's clock, with a reason; its due dates move on by the working days it stood still."""

    def restart(case):
        days = restart_clock(g.db, case, request.form.get("reason", ""), actor(), _settings())
        due = _long(store.get_case(g.db, case["id"])["due"])
        return (
            f"The clock of {case['reference']} is running again: {days} working days added, reply due {due}"
        )

    return _clock_change(reference, restart)


@bp.route("/cases/<reference>/received", methods=["POST"])
@roles_required(*CLOCK_ROLES)
def received_date(reference: str):
    """Change a case's received date, with a reason; its due dates are recalculated."""

    def change(case):
        new_date = date_from_fields(request.form, "received")
        dates = change_received_date(
            g.db, case, new_date, request.form.get("reason", ""), actor(), _settings(), _taxonomy()
        )
        return f"Received date of {case['reference']} changed: reply now due {_long(dates['due'])}"

    return _clock_change(reference, change)
