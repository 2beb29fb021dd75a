"""The case clock: stopping and restarting it, and recalculating due dates when the received date changes.

While a case waits on something outside the unit (information from the correspondent, another
department), its clock may be stopped with a reason. On restart, the working days it stood still
are added to the case's total and its due dates move forward by as many working days. Changing
the received date recalculates both due dates by the Day-1 rule, plus the days already stopped.
Every change is one transaction with its audit event, which holds the old and new dates.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from app import store
from app.cases.opening import case_dates
from app.config import Settings
from app.deadlines import add_working_days, working_days_between
from app.department_settings import holiday_region
from app.store.deadlines import (
    clock_stops_for_case,
    insert_clock_stop,
    open_clock_stop,
    set_clock_stopped_since,
    update_clock_stop,
)
from app.taxonomy import Taxonomy
from app.workflow import OPEN_STAGES


class ClockError(ValueError):
    """A clock change that cannot be made; the message says why, for the person who asked."""


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ClockError("Enter a reason")
    return reason


def shift_working_days(day: str | None, days: int, region: str) -> str | None:
    """Move an ISO date forward by `days` working days (unchanged for 0 days or no date)."""
    if day is None or days <= 0:
        return day
    return add_working_days(dt.date.fromisoformat(day), days, region).isoformat()


def clock_status(db: sqlite_utils.Database, case: dict) -> dict:
    """Whether a case is open and its clock stopped (since when), the working days stopped, and its stops."""
    return {
        "open": case["status"] in OPEN_STAGES,
        "stopped_since": case["clock_stopped_since"],
        "stopped_days": case["clock_stopped_days"] or 0,
        "stops": clock_stops_for_case(db, case["id"]),
    }


def stop_clock(db: sqlite_utils.Database, case: dict, reason: str, actor: str, settings: Settings) -> str:
    """Stop an open case's clock from the working date; return that date (ISO)."""
    reason = _require_reason(reason)
    if case["status"] not in OPEN_STAGES:
        raise ClockError(f"{case['reference']} is closed: its clock cannot be stopped")
    if case["clock_stopped_since"]:
        raise ClockError(f"The clock of {case['reference']} is already stopped")
    today, now = settings.today().isoformat(), store.utc_now()
    with db.atomic():
        if not set_clock_stopped_since(
            db, case["id"], expected=None, since=today, changes={"updated_at": now}
        ):
            raise ClockError(f"The clock of {case['reference']} is already stopped")
        stop_id = insert_clock_stop(
            db, {"case_id": case["id"], "stopped_on": today, "stopped_by": actor, "reason": reason}
        )
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="clock stopped",
            case_id=case["id"],
            detail={"clock_stop": stop_id, "stopped_on": today, "due": case["due"], "reason": reason},
        )
    return today


def restart_clock(db: sqlite_utils.Database, case: dict, reason: str, actor: str, settings: Settings) -> int:
    """Restart a stopped clock; move the due dates forward by the working days it stood still; return them."""
    reason = _require_reason(reason)
    stop = open_clock_stop(db, case["id"])
    if stop is None or not case["clock_stopped_since"]:
        raise ClockError(f"The clock of {case['reference']} is not stopped")
    today, now, region = settings.today(), store.utc_now(), holiday_region(db, settings)
    days = max(0, working_days_between(dt.date.fromisoformat(stop["stopped_on"]), today, region))
    due = shift_working_days(case["due"], days, region)
    draft_due = shift_working_days(case["draft_due"], days, region)
    changes = {
        "clock_stopped_days": (case["clock_stopped_days"] or 0) + days,
        "due": due,
        "draft_due": draft_due,
        "updated_at": now,
    }
    with db.atomic():
        if not set_clock_stopped_since(
            db, case["id"], expected=case["clock_stopped_since"], since=None, changes=changes
        ):
            raise ClockError(f"The clock of {case['reference']} has just been restarted by someone else")
        update_clock_stop(
            db,
            stop["id"],
            {
                "restarted_on": today.isoformat(),
                "restarted_by": actor,
                "working_days": days,
                "restart_reason": reason,
            },
        )
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="clock restarted",
            case_id=case["id"],
            detail={
                "clock_stop": stop["id"],
                "stopped_on": stop["stopped_on"],
                "restarted_on": today.isoformat(),
                "working_days": days,
                "due": [case["due"], due],
                "draft_due": [case["draft_due"], draft_due],
                "reason": reason,
            },
        )
    return days


def change_received_date(
    db: sqlite_utils.Database,
    case: dict,
    new_date: dt.date,
    reason: str,
    actor: str,
    settings: Settings,
    taxonomy: Taxonomy,
) -> dict:
    """Set a case's received date and recalculate its due dates; return the new dates (ISO).

    The dates follow the Day-1 rule for the case's type, then move forward by the working days
    the clock has already been stopped (a stop still running is added when it is restarted).
    """
    reason = _require_reason(reason)
    if new_date > settings.today():
        raise ClockError("The received date must be today or in the past")
    region = holiday_region(db, settings)
    dates = case_dates(new_date, taxonomy.case_type(case["case_type"]), region)
    stopped = case["clock_stopped_days"] or 0
    new = {
        "received": new_date.isoformat(),
        "draft_due": shift_working_days(dates.draft_due.isoformat(), stopped, region),
        "due": shift_working_days(dates.due.isoformat(), stopped, region),
    }
    now = store.utc_now()
    with db.atomic():
        store.update_case(db, case["id"], {**new, "updated_at": now})
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="received date changed",
            case_id=case["id"],
            detail={
                **{field: [case[field], value] for field, value in new.items()},
                "clock_stopped_days": stopped,
                "reason": reason,
            },
        )
    return new
