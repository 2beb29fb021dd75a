"""Opening the database: WAL, a busy timeout, foreign keys, and migrations brought up to date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlite_utils

from app.store.migrations import migrate

BUSY_TIMEOUT_MS = 5000


def utc_now() -> str:
    """Return the current time as ISO-8601 UTC text, the form every timestamp is stored in."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def open_db(path: str | Path, *, migrate_schema: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the mincorr database at `path`, ready for use.

    `path` may be ":memory:" for tests. The parent folder is created so that a fresh
    instance/ works without a separate setup step.
    """
    if str(path) == ":memory:":
        db = sqlite_utils.Database(memory=True)
    else:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.enable_wal()
        # With WAL, NORMAL keeps every committed transaction through an application crash and
        # skips a sync per commit (a power cut may lose only the last moments' commits).
        db.execute("PRAGMA synchronous = NORMAL")
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys = ON")
    if migrate_schema:
        migrate(db)
    return db
