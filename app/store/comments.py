"""Comments on a case and its draft, including the reasons given when a draft is returned."""

from __future__ import annotations

import sqlite_utils


def insert_comment(
    db: sqlite_utils.Database,
    case_id: int,
    *,
    kind: str,
    text: str,
    author: str,
    at: str,
    stage: str | None,
    draft_version: int | None,
) -> int:
    """Store a comment ('comment', 'return' or 'note'); return its id."""
    return (
        db["comments"]
        .insert(
            {
                "case_id": case_id,
                "kind": kind,
                "text": text,
                "author": author,
                "at": at,
                "stage": stage,
                "draft_version": draft_version,
            }
        )
        .last_pk
    )


def comments_for_case(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Return a case's comments, oldest first."""
    return list(db["comments"].rows_where("case_id = ?", [case_id], order_by="id"))
