"""Trained model versions, kept in the database so one file is the whole state."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json

MODEL_JSON = ("metrics", "library_versions")


def next_model_version(db: sqlite_utils.Database) -> str:
    """Return the next version name: v1, v2, ..."""
    numbers = [
        int(row[0][1:])
        for row in db.execute("SELECT version FROM models").fetchall()
        if row[0].startswith("v") and row[0][1:].isdigit()
    ]
    return f"v{max(numbers, default=0) + 1}"


def insert_model(
    db: sqlite_utils.Database,
    *,
    version: str,
    artefact: bytes,
    card: str,
    metrics: dict,
    library_versions: dict,
    created_at: str,
    created_by: str,
    activate: bool = True,
) -> None:
    """Store a trained model version, making it the one in use unless told otherwise."""
    with db.atomic():
        db["models"].insert(
            {
                "version": version,
                "created_at": created_at,
                "created_by": created_by,
                "active": 0,
                "artefact": artefact,
                "card": card,
                "metrics": to_json(metrics),
                "library_versions": to_json(library_versions),
            }
        )
        if activate:
            activate_model(db, version)


def activate_model(db: sqlite_utils.Database, version: str) -> None:
    """Make `version` the model in use (and no other)."""
    if not db["models"].count_where("version = ?", [version]):
        raise KeyError(version)
    with db.atomic():
        db.execute("UPDATE models SET active = (version = ?)", [version])


def active_model(db: sqlite_utils.Database) -> dict | None:
    """Return the model version in use, with its artefact bytes."""
    rows = list(db["models"].rows_where("active = 1", limit=1))
    return decode(rows[0], MODEL_JSON) if rows else None


def get_model(db: sqlite_utils.Database, version: str) -> dict | None:
    """Return one model version."""
    rows = list(db["models"].rows_where("version = ?", [version], limit=1))
    return decode(rows[0], MODEL_JSON) if rows else None


def list_models(db: sqlite_utils.Database) -> list[dict]:
    """Return every model version (without artefacts), newest first."""
    rows = db.query(
        "SELECT version, created_at, created_by, active, metrics, library_versions "
        "FROM models ORDER BY created_at DESC, version DESC"
    )
    return [decode(row, MODEL_JSON, ("active",)) for row in rows]
