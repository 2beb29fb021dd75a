"""Stored predictions: every one keeps the model version that made it."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json


def insert_classifications(
    db: sqlite_utils.Database, letter_id: int, predictions: list[dict], created_at: str
) -> None:
    """Store the predictions made for a letter (one row per task and label)."""
    db["classifications"].insert_all(
        {
            "letter_id": letter_id,
            "task": p["task"],
            "label": p["label"],
            "confidence": p.get("confidence"),
            "alternatives": to_json(p.get("alternatives", [])),
            "evidence": to_json(p.get("evidence", [])),
            "model_version": p.get("model_version"),
            "auto_accepted": None if p.get("auto_accepted") is None else int(p["auto_accepted"]),
            "threshold": p.get("threshold"),
            "created_at": created_at,
        }
        for p in predictions
    )


def latest_classifications(db: sqlite_utils.Database, letter_id: int) -> list[dict]:
    """Return a letter's predictions, newest first."""
    rows = db["classifications"].rows_where("letter_id = ?", [letter_id], order_by="id DESC")
    return [decode(row, ("alternatives", "evidence"), ("auto_accepted",)) for row in rows]
