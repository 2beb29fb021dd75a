"""Letters and the original files they came from."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json

LETTER_JSON = ("metadata", "extraction")


def find_letter_by_sha256(db: sqlite_utils.Database, sha256: str) -> dict | None:
    """Return the letter already imported from a file with this content hash, if any."""
    rows = list(db["letters"].rows_where("sha256 = ?", [sha256], limit=1))
    return decode(rows[0], LETTER_JSON) if rows else None


def insert_letter(
    db: sqlite_utils.Database,
    *,
    filename: str,
    media_type: str,
    content: bytes,
    sha256: str,
    text: str,
    received: str,
    letter_date: str | None,
    source: str,
    imported_at: str,
    imported_by: str,
    language: str | None,
    metadata: dict,
    extraction: dict,
) -> int:
    """Store an original file and the letter read from it; return the letter id."""
    db["originals"].insert(
        {
            "sha256": sha256,
            "filename": filename,
            "media_type": media_type,
            "size": len(content),
            "content": content,
        },
        ignore=True,
    )
    table = db["letters"].insert(
        {
            "sha256": sha256,
            "filename": filename,
            "source": source,
            "received": received,
            "letter_date": letter_date,
            "imported_at": imported_at,
            "imported_by": imported_by,
            "language": language,
            "text": text,
            "metadata": to_json(metadata),
            "extraction": to_json(extraction),
        }
    )
    return table.last_pk


def get_letter(db: sqlite_utils.Database, letter_id: int) -> dict | None:
    """Return one letter with its metadata and extraction parsed."""
    rows = list(db["letters"].rows_where("id = ?", [letter_id], limit=1))
    return decode(rows[0], LETTER_JSON) if rows else None


def letter_metadata(db: sqlite_utils.Database, letter_id: int) -> dict:
    """A letter's metadata alone (sender, OCR confidence ...), without reading its text."""
    row = db.execute("SELECT metadata FROM letters WHERE id = ?", [letter_id]).fetchone()
    return decode({"metadata": row[0]}, ("metadata",))["metadata"] or {} if row else {}


def get_original(db: sqlite_utils.Database, sha256: str) -> dict | None:
    """Return the original file (name, media type, bytes) of a letter."""
    rows = list(db["originals"].rows_where("sha256 = ?", [sha256], limit=1))
    return rows[0] if rows else None


def search_letters(db: sqlite_utils.Database, query: str, limit: int = 50) -> list[dict]:
    """Full-text search over letter text; returns letter ids with a highlighted snippet."""
    sql = """
        SELECT letters.id AS letter_id,
               snippet(letters_fts, 0, '[', ']', ' … ', 12) AS snippet
        FROM letters_fts JOIN letters ON letters.rowid = letters_fts.rowid
        WHERE letters_fts MATCH ?
        ORDER BY rank
        LIMIT ?
    """
    return [
        {"letter_id": row[0], "snippet": row[1]}
        for row in db.execute(sql, [db.quote_fts(query), limit]).fetchall()
    ]
