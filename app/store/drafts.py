"""Reply drafts: every save is a new version."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json


def insert_draft(
    db: sqlite_utils.Database,
    case_id: int,
    *,
    text: str,
    template: str,
    reply_date: str,
    citations: list[dict],
    created_at: str,
    created_by: str,
    stage: str | None = None,
    based_on: int | None = None,
    note: str | None = None,
) -> int:
    """Store a new version of a case's draft; return the version number.

    `stage` is where the case stood when it was saved, `based_on` the version the writer started
    from, and `note` says why it exists when that is not obvious (e.g. saved beside another).
    """
    row = db.execute("SELECT COALESCE(MAX(version), 0) FROM drafts WHERE case_id = ?", [case_id]).fetchone()
    version = row[0] + 1
    db["drafts"].insert(
        {
            "case_id": case_id,
            "version": version,
            "template": template,
            "reply_date": reply_date,
            "text": text,
            "citations": to_json(citations),
            "created_at": created_at,
            "created_by": created_by,
            "stage": stage,
            "based_on": based_on,
            "note": note,
        }
    )
    return version


def latest_draft(db: sqlite_utils.Database, case_id: int) -> dict | None:
    """Return the newest draft of a case."""
    rows = list(db["drafts"].rows_where("case_id = ?", [case_id], order_by="version DESC", limit=1))
    return decode(rows[0], ("citations",)) if rows else None


def list_drafts(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Return every version of a case's draft, oldest first."""
    rows = db["drafts"].rows_where("case_id = ?", [case_id], order_by="version")
    return [decode(row, ("citations",)) for row in rows]


def get_draft(db: sqlite_utils.Database, case_id: int, version: int) -> dict | None:
    """Return one version of a case's draft."""
    rows = list(db["drafts"].rows_where("case_id = ? AND version = ?", [case_id, version], limit=1))
    return decode(rows[0], ("citations",)) if rows else None
