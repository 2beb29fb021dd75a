"""Correspondents: the people and organisations who write in."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json


def insert_correspondent(db: sqlite_utils.Database, correspondent: dict, created_at: str) -> int:
    """Store a correspondent as read from a letter; return its id."""
    record = dict(correspondent)
    record["address"] = to_json(record.get("address") or [])
    record["created_at"] = created_at
    return db["correspondents"].insert(record).last_pk


def get_correspondent(db: sqlite_utils.Database, correspondent_id: int) -> dict | None:
    """Return one correspondent with the address as a list of lines."""
    rows = list(db["correspondents"].rows_where("id = ?", [correspondent_id], limit=1))
    return decode(rows[0], ("address",)) if rows else None


def update_correspondent(db: sqlite_utils.Database, correspondent_id: int, changes: dict) -> None:
    """Change fields of a correspondent (the address as a list of lines)."""
    record = dict(changes)
    if "address" in record:
        record["address"] = to_json(record["address"] or [])
    db["correspondents"].update(correspondent_id, record)
