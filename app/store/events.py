"""The event log: who viewed or changed what, and when. Personal data stays out of `detail`."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json


def record_event(
    db: sqlite_utils.Database,
    *,
    at: str,
    actor: str,
    action: str,
    case_id: int | None = None,
    detail: dict | None = None,
) -> None:
    """Append one event to the log."""
    db["events"].insert(
        {
            "at": at,
            "actor": actor,
            "case_id": case_id,
            "action": action,
            "detail": to_json(detail or {}),
        }
    )


def events_for_case(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Return a case's events, oldest first."""
    rows = db["events"].rows_where("case_id = ?", [case_id], order_by="id")
    return [decode(row, ("detail",)) for row in rows]
