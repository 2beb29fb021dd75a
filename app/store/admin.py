"""What the admin pages change: users, line-to-take versions, clause statuses, ministers' appointments."""

from __future__ import annotations

import sqlite_utils

from app.store.reference import APPOINTMENT_JSON
from app.store.rows import decode, encode

# --- users ---


def list_users(db: sqlite_utils.Database, *, limit: int, offset: int = 0) -> list[dict]:
    """Return users by username (without their password hashes), a page at a time."""
    return list(
        db.query(
            "SELECT id, username, role, active, created_at FROM users ORDER BY username LIMIT ? OFFSET ?",
            [limit, offset],
        )
    )


def count_users(db: sqlite_utils.Database) -> int:
    """Return how many users there are, active or not."""
    return db["users"].count


def set_user_role(db: sqlite_utils.Database, user_id: int, role: str) -> None:
    """Give a user another role."""
    db["users"].update(user_id, {"role": role})


def set_user_active(db: sqlite_utils.Database, user_id: int, active: bool) -> None:
    """Let a user sign in again (active) or stop them signing in (not active)."""
    db["users"].update(user_id, {"active": int(active)})


# --- lines to take ---


def get_line(db: sqlite_utils.Database, line_id: str) -> dict | None:
    """Return one line to take with its `versions`, oldest first."""
    rows = list(db["lines_to_take"].rows_where("id = ?", [line_id], limit=1))
    if not rows:
        return None
    line = dict(rows[0])
    line["versions"] = [
        decode(row, ("paragraphs",))
        for row in db["line_versions"].rows_where("line_id = ?", [line_id], order_by="version")
    ]
    return line


def insert_line_version(db: sqlite_utils.Database, line_id: str, record: dict) -> int:
    """Add the next version of a line (numbered after the highest so far); return its number."""
    with db.atomic():
        row = db.execute("SELECT MAX(version) FROM line_versions WHERE line_id = ?", [line_id]).fetchone()
        version = (row[0] or 0) + 1
        db["line_versions"].insert(
            encode({**record, "line_id": line_id, "version": version}, ("paragraphs",))
        )
    return version


def update_line_version(db: sqlite_utils.Database, line_id: str, version: int, fields: dict) -> None:
    """Change the status, dates or approval of one version of a line."""
    db["line_versions"].update((line_id, version), encode(fields, ("paragraphs",)))


# --- bills and clauses ---


def update_clause_status(
    db: sqlite_utils.Database, bill_id: str, number: str, *, status: str, status_date: str | None, note: str
) -> None:
    """Record where a clause now stands (withdrawn, amended ...), since when, with a short note."""
    db["clauses"].update(
        (bill_id, number),
        {"status": status, "status_date": status_date, "status_note": note, "status_set_in_app": 1},
    )


def update_bill_stage(db: sqlite_utils.Database, bill_id: str, stage: str) -> None:
    """Record the stage a bill has reached."""
    db["bills"].update(bill_id, {"stage": stage, "stage_set_in_app": 1})


# --- ministers' appointments ---


def get_appointment(db: sqlite_utils.Database, appointment_id: int) -> dict | None:
    """Return one appointment of a minister."""
    rows = list(db["appointments"].rows_where("id = ?", [appointment_id], limit=1))
    return decode(rows[0], APPOINTMENT_JSON, ("lead",)) if rows else None


def insert_appointment(db: sqlite_utils.Database, record: dict) -> int:
    """Add an appointment (minister, department, role, start, lead, responsibilities, topics)."""
    return (
        db["appointments"].insert({**encode(record, APPOINTMENT_JSON, ("lead",)), "edited_in_app": 1}).last_pk
    )


def end_appointment(db: sqlite_utils.Database, appointment_id: int, end: str) -> None:
    """Record the last day of an appointment."""
    db["appointments"].update(appointment_id, {"end": end, "edited_in_app": 1})


def minister_ids(db: sqlite_utils.Database) -> set[str]:
    """Return the ids of every minister in the register."""
    return {row[0] for row in db.execute("SELECT id FROM ministers").fetchall()}
