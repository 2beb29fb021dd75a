"""Campaigns and the index of letter signatures that finds near-duplicate letters as they arrive."""

from __future__ import annotations

import sqlite_utils

from app.store.cases import CASE_BOOL, CASE_JSON
from app.store.rows import decode


def index_letter(db: sqlite_utils.Database, letter_id: int, signature: bytes, band_keys: list[int]) -> None:
    """Keep a letter's signature and its band keys, so later letters can find it."""
    db.execute(
        "INSERT OR REPLACE INTO letter_signatures (letter_id, signature) VALUES (?, ?)",
        [letter_id, signature],
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO campaign_bands (band_key, letter_id) VALUES (?, ?)",
        [(key, letter_id) for key in band_keys],
    )


def candidates(db: sqlite_utils.Database, band_keys: list[int], per_band: int) -> list[tuple[int, bytes]]:
    """Letters sharing a band with these keys (at most `per_band` from each), with their signatures."""
    found: dict[int, None] = {}
    for key in band_keys:
        rows = db.execute("SELECT letter_id FROM campaign_bands WHERE band_key = ? LIMIT ?", [key, per_band])
        found.update((row[0], None) for row in rows)
    if not found:
        return []
    marks = ", ".join("?" * len(found))
    return db.execute(
        f"SELECT letter_id, signature FROM letter_signatures WHERE letter_id IN ({marks})", list(found)
    ).fetchall()


def insert_campaign(db: sqlite_utils.Database, campaign: dict) -> int:
    """Store a new campaign; return its id."""
    return db["campaigns"].insert(campaign).last_pk


def get_campaign(db: sqlite_utils.Database, campaign_id: int) -> dict | None:
    """Return one campaign."""
    rows = list(db["campaigns"].rows_where("id = ?", [campaign_id], limit=1))
    return rows[0] if rows else None


def update_campaign(db: sqlite_utils.Database, campaign_id: int, changes: dict) -> None:
    """Change fields of a campaign."""
    db["campaigns"].update(campaign_id, changes)


def count_campaign_cases(db: sqlite_utils.Database, campaign_id: int) -> int:
    """How many cases are in a campaign (letters taken out of it are not)."""
    return db.execute(
        "SELECT COUNT(*) FROM cases WHERE campaign_id = ? AND COALESCE(campaign_excluded, 0) = 0",
        [campaign_id],
    ).fetchone()[0]


def list_campaigns(db: sqlite_utils.Database, *, limit: int = 100, offset: int = 0) -> list[dict]:
    """Campaigns, the most recently active first."""
    return list(db["campaigns"].rows_where(order_by="last_seen DESC, id DESC", limit=limit, offset=offset))


def campaign_cases(db: sqlite_utils.Database, campaign_id: int, *, limit: int, offset: int = 0) -> list[dict]:
    """The cases of a campaign (taken-out ones too, marked), oldest first, with the writer's name."""
    sql = """
        SELECT cases.*, correspondents.name AS correspondent_name
        FROM cases LEFT JOIN correspondents ON correspondents.id = cases.correspondent_id
        WHERE cases.campaign_id = ?
        ORDER BY cases.id LIMIT ? OFFSET ?
    """
    return [decode(row, CASE_JSON, CASE_BOOL) for row in db.query(sql, [campaign_id, limit, offset])]
