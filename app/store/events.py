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


def record_events(db: sqlite_utils.Database, events: list[dict]) -> None:
    """Append many events at once (each a dict of record_event's arguments), in one transaction."""
    with db.atomic():
        db["events"].insert_all(
            {
                "at": e["at"],
                "actor": e["actor"],
                "case_id": e.get("case_id"),
                "action": e["action"],
                "detail": to_json(e.get("detail") or {}),
            }
            for e in events
        )


def events_for_case(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Return a case's events, oldest first."""
    rows = db["events"].rows_where("case_id = ?", [case_id], order_by="id")
    return [decode(row, ("detail",)) for row in rows]
