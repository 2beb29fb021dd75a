"""Corrections people make to a case's classification: the training signal for the next model."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json


def insert_correction(db: sqlite_utils.Database, correction: dict) -> int:
    """Store one correction (before and after values, who, when, why)."""
    record = dict(correction)
    for column in ("flags_before", "flags"):
        record[column] = to_json(record.get(column))
    return db["corrections"].insert(record).last_pk


def corrected_letters(db: sqlite_utils.Database) -> list[dict]:
    """The latest corrected labels of every corrected letter, with its text, oldest first."""
    rows = db.query(
        """
        SELECT letters.id AS letter_id, letters.text, c.topic, c.concern, c.flags, c.corrected_at
        FROM corrections AS c JOIN letters ON letters.id = c.letter_id
        WHERE c.id = (SELECT MAX(id) FROM corrections WHERE letter_id = c.letter_id)
        ORDER BY c.id
        """
    )
    return [decode(row, ("flags",)) for row in rows]


def corrections_for_case(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """A case's corrections, oldest first."""
    rows = db["corrections"].rows_where("case_id = ?", [case_id], order_by="id")
    return [decode(row, ("flags_before", "flags")) for row in rows]
