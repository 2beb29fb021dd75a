"""Users who sign in to the web app."""

from __future__ import annotations

import sqlite_utils


def create_user(
    db: sqlite_utils.Database, username: str, password_hash: str, role: str, created_at: str
) -> int:
    """Add a user, or replace the password and role of an existing one; return the id."""
    existing = get_user_by_username(db, username)
    record = {
        "username": username,
        "password_hash": password_hash,
        "role": role,
        "active": 1,
        "created_at": created_at,
    }
    if existing:
        record.pop("created_at")
        db["users"].update(existing["id"], record)
        return existing["id"]
    return db["users"].insert(record).last_pk


def get_user(db: sqlite_utils.Database, user_id: int) -> dict | None:
    """Return a user by id."""
    rows = list(db["users"].rows_where("id = ?", [user_id], limit=1))
    return rows[0] if rows else None


def get_user_by_username(db: sqlite_utils.Database, username: str) -> dict | None:
    """Return a user by username."""
    rows = list(db["users"].rows_where("username = ?", [username], limit=1))
    return rows[0] if rows else None
