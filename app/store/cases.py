"""Cases: references, the case record and the inbox listing."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, encode

CASE_JSON = ("addressed_to", "constituents", "flags", "link_evidence")
CASE_BOOL = ("on_behalf_of_constituents",)


def allocate_reference(db: sqlite_utils.Database, case_type: str, start: int) -> str:
    """Take the next reference for `case_type` (e.g. MC238555); call inside the case's transaction.

    The counter lives in its own table so that a number is never reused, even when a case is
    later deleted, and never derived from a row id.
    """
    row = db.execute("SELECT next_number FROM reference_counters WHERE case_type = ?", [case_type]).fetchone()
    number = row[0] if row else start
    if number > 999_999:
        raise ValueError(f"{case_type} references are exhausted (six digits)")
    db.execute(
        "INSERT INTO reference_counters (case_type, next_number) VALUES (?, ?) "
        "ON CONFLICT(case_type) DO UPDATE SET next_number = excluded.next_number",
        [case_type, number + 1],
    )
    return f"{case_type}{number:06d}"


def insert_case(db: sqlite_utils.Database, case: dict) -> int:
    """Store a new case; return its id."""
    return db["cases"].insert(encode(case, CASE_JSON, CASE_BOOL)).last_pk


def update_case(db: sqlite_utils.Database, case_id: int, changes: dict) -> None:
    """Change fields of a case."""
    db["cases"].update(case_id, encode(changes, CASE_JSON, CASE_BOOL))


def get_case(db: sqlite_utils.Database, case_id: int) -> dict | None:
    """Return one case by id."""
    rows = list(db["cases"].rows_where("id = ?", [case_id], limit=1))
    return decode(rows[0], CASE_JSON, CASE_BOOL) if rows else None


def get_case_by_reference(db: sqlite_utils.Database, reference: str) -> dict | None:
    """Return one case by its reference (case-insensitive, e.g. mc238555)."""
    rows = list(db["cases"].rows_where("reference = ?", [reference.strip().upper()], limit=1))
    return decode(rows[0], CASE_JSON, CASE_BOOL) if rows else None


def case_by_letter(db: sqlite_utils.Database, letter_id: int) -> dict | None:
    """Return the case opened for a letter."""
    rows = list(db["cases"].rows_where("letter_id = ?", [letter_id], limit=1))
    return decode(rows[0], CASE_JSON, CASE_BOOL) if rows else None


def list_cases(
    db: sqlite_utils.Database,
    *,
    status: str | None = None,
    statuses: tuple[str, ...] | None = None,
    order_by: str = "due, reference",
    limit: int | None = None,
    offset: int | None = None,
) -> list[dict]:
    """Return cases, soonest due first, with the correspondent's name and type joined in."""
    where, params = _status_filter(status, statuses)
    allowed_orders = {"due, reference", "reference", "received DESC, reference"}
    if order_by not in allowed_orders:
        raise ValueError(f"unsupported order {order_by!r}")
    order = ", ".join(f"cases.{part.strip()}" for part in order_by.split(","))
    if limit is not None:
        # Page through the index first and join only the page's rows: a deep page then costs an
        # index walk rather than building (and throwing away) every row before it.
        where = f"WHERE cases.id IN (SELECT cases.id FROM cases {where} ORDER BY {order} LIMIT ? OFFSET ?)"
        params = [*params, limit, offset or 0]
    sql = f"""
        SELECT cases.*, correspondents.name AS correspondent_name,
               correspondents.type AS correspondent_type
        FROM cases LEFT JOIN correspondents ON correspondents.id = cases.correspondent_id
        {where}
        ORDER BY {order}
    """
    return [decode(row, CASE_JSON, CASE_BOOL) for row in db.query(sql, params)]


def triage_queue(db: sqlite_utils.Database, *, limit: int, offset: int = 0) -> tuple[list[dict], int]:
    """Cases waiting for a person to check their triage, least sure first; and how many there are."""
    sql = """
        SELECT cases.*, correspondents.name AS correspondent_name,
               correspondents.type AS correspondent_type,
               MIN(COALESCE(cases.topic_confidence, 0), COALESCE(cases.concern_confidence, 0)) AS sureness
        FROM cases LEFT JOIN correspondents ON correspondents.id = cases.correspondent_id
        WHERE cases.status = 'triage'
        ORDER BY sureness, cases.due, cases.reference
        LIMIT ? OFFSET ?
    """
    rows = [decode(row, CASE_JSON, CASE_BOOL) for row in db.query(sql, [limit, offset])]
    total = db.execute("SELECT COUNT(*) FROM cases WHERE status = 'triage'").fetchone()[0]
    return rows, total


def _status_filter(status: str | None, statuses: tuple[str, ...] | None) -> tuple[str, list]:
    if status:
        return "WHERE cases.status = ?", [status]
    if statuses:
        return f"WHERE cases.status IN ({', '.join('?' * len(statuses))})", list(statuses)
    return "", []


def count_cases(
    db: sqlite_utils.Database, *, status: str | None = None, statuses: tuple[str, ...] | None = None
) -> int:
    """How many cases there are (at one stage, or at any of several)."""
    where, params = _status_filter(status, statuses)
    return db.execute(f"SELECT COUNT(*) FROM cases {where}", params).fetchone()[0]


def cases_citing_stale_lines(
    db: sqlite_utils.Database, *, today: str, stages: tuple[str, ...], limit: int = 500
) -> list[dict]:
    """Open cases whose draft cites a line version no longer to be used: expired, withdrawn from
    approval, past its end date, or replaced by a newer approved version in force today."""
    marks = ", ".join("?" * len(stages))
    sql = f"""
        SELECT cases.reference, cases.status, cases.due, cases.line_id, cases.line_version,
               cited.status AS cited_status, cited.effective_to AS cited_effective_to
        FROM cases JOIN line_versions AS cited
          ON cited.line_id = cases.line_id AND cited.version = cases.line_version
        WHERE cases.status IN ({marks})
          AND (cited.status != 'approved'
               OR (cited.effective_to IS NOT NULL AND cited.effective_to != '' AND cited.effective_to < ?)
               OR EXISTS (SELECT 1 FROM line_versions AS newer
                          WHERE newer.line_id = cases.line_id AND newer.version > cited.version
                            AND newer.status = 'approved'
                            AND (newer.effective_from IS NULL OR newer.effective_from <= ?)))
        ORDER BY cases.due, cases.reference
        LIMIT ?
    """
    return list(db.query(sql, [*stages, today, today, limit]))
