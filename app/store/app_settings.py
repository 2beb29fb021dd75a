"""The department's settings changed in the app (targets, bank-holiday region): key, value, who, when."""

from __future__ import annotations

import sqlite_utils


def get_setting_row(db: sqlite_utils.Database, key: str) -> dict | None:
    """Return the setting stored under `key` with who changed it and when, or None if it is not set."""
    rows = list(db["app_settings"].rows_where("key = ?", [key], limit=1))
    return rows[0] if rows else None


def get_setting(db: sqlite_utils.Database, key: str) -> str | None:
    """Return the value stored under `key`, or None if it has never been set (or was cleared)."""
    row = get_setting_row(db, key)
    return row["value"] if row else None


def settings_with_prefix(db: sqlite_utils.Database, prefix: str) -> dict[str, dict]:
    """Return every stored setting whose key starts with `prefix`, keyed by key, with who and when."""
    rows = db["app_settings"].rows_where("key >= ? AND key < ?", [prefix, prefix + "\uffff"], order_by="key")
    return {row["key"]: row for row in rows}


def set_setting(db: sqlite_utils.Database, key: str, value: str, *, changed_by: str, changed_at: str) -> None:
    """Store `value` under `key`, recording who changed it and when."""
    db["app_settings"].upsert(
        {"key": key, "value": value, "changed_by": changed_by, "changed_at": changed_at}, pk="key"
    )


def clear_setting(db: sqlite_utils.Database, key: str) -> None:
    """Remove `key`, so that the default (taxonomy or environment) applies again."""
    db.execute("DELETE FROM app_settings WHERE key = ?", [key])
