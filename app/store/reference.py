"""Reference data: departments, ministers, members, bills and clauses, lines to take."""

from __future__ import annotations

import sqlite_utils

from app.store.rows import decode, to_json

MINISTER_JSON = ("aliases",)
APPOINTMENT_JSON = ("responsibilities", "topics")
MEMBERSHIP_JSON = ("address",)
BILL_JSON = ("aliases", "topics", "parts")
CLAUSE_JSON = ("aliases",)


def load_reference_data(db: sqlite_utils.Database, data: dict) -> dict[str, int]:
    """Bring the reference tables up to date with `data` (as read from corpus/), in one transaction.

    Rows are upserted, never deleted, so cases that point at a bill, clause, minister or line
    stay valid. Memberships of the people in `data` are replaced whole.
    What an admin changed in the app is kept over the file: a bill's stage, a clause's status,
    and appointments added or ended there (see `_keep_app_edits`). Line versions are only ever
    added: one already stored (from the file or made in the app) is kept as it is.
    Returns the number of rows loaded per table.
    """
    counts: dict[str, int] = {}
    with db.atomic():
        departments_rows = [
            {
                "code": d["code"],
                "name": d["name"],
                "own": int(bool(d.get("own"))),
                "address": to_json(d.get("address", [])),
                "aliases": to_json(d.get("aliases", [])),
                "covers": to_json(d.get("covers", [])),
            }
            for d in data["departments"]
        ]
        db["departments"].upsert_all(departments_rows, pk="code")
        counts["departments"] = len(departments_rows)

        ministers_rows, appointments_rows = [], []
        for m in data["ministers"]:
            ministers_rows.append(
                {
                    "id": m["id"],
                    "name": m["name"],
                    "given_name": m.get("given_name", ""),
                    "surname": m.get("surname", ""),
                    "honorific": m.get("honorific") or "",
                    "post_nominal": m.get("post_nominal") or "",
                    "peerage": m.get("peerage") or "",
                    "aliases": to_json(m.get("aliases", [])),
                }
            )
            for a in m.get("appointments", []):
                appointments_rows.append(
                    {
                        "minister_id": m["id"],
                        "department": a["department"],
                        "role": a["role"],
                        "start": a.get("start"),
                        "end": a.get("end"),
                        "lead": int(bool(a.get("lead"))),
                        "responsibilities": to_json(a.get("responsibilities", [])),
                        "topics": to_json(a.get("topics", [])),
                    }
                )
        db["ministers"].upsert_all(ministers_rows, pk="id")
        _replace_appointments(db, ministers_rows, appointments_rows)
        counts["ministers"] = len(ministers_rows)
        counts["appointments"] = len(appointments_rows)

        members_rows, memberships_rows = [], []
        for m in data["members"]:
            members_rows.append(
                {
                    "id": m["id"],
                    "name": m["name"],
                    "given_name": m.get("given_name", ""),
                    "surname": m.get("surname", ""),
                    "honorific": m.get("honorific") or "",
                    "peerage": m.get("peerage") or "",
                    "aliases": to_json(m.get("aliases", [])),
                }
            )
            for s in m.get("memberships", []):
                memberships_rows.append(
                    {
                        "member_id": m["id"],
                        "type": s["type"],
                        "legislature": s.get("legislature", ""),
                        "post_nominal": s.get("post_nominal") or "",
                        "constituency": s.get("constituency") or "",
                        "party": s.get("party") or "",
                        "start": s.get("start"),
                        "end": s.get("end"),
                        "address": to_json(s.get("address", [])),
                    }
                )
        db["members"].upsert_all(members_rows, pk="id")
        _replace_children(db, "memberships", "member_id", members_rows, memberships_rows)
        counts["members"] = len(members_rows)
        counts["memberships"] = len(memberships_rows)

        bills_rows, clauses_rows = [], []
        for b in data["bills"]:
            bills_rows.append(
                {
                    "id": b["id"],
                    "title": b["title"],
                    "session": b.get("session", ""),
                    "department": b.get("department", ""),
                    "introduced": b.get("introduced"),
                    "stage": b.get("stage", ""),
                    "aliases": to_json(b.get("aliases", [])),
                    "topics": to_json(b.get("topics", [])),
                    "parts": to_json(b.get("parts", [])),
                }
            )
            for c in b.get("clauses", []):
                clauses_rows.append(
                    {
                        "bill_id": b["id"],
                        "number": str(c["number"]),
                        "part": str(c.get("part") or ""),
                        "title": c.get("title", ""),
                        "short_title": c.get("short_title") or c.get("title", ""),
                        "aliases": to_json(c.get("aliases", [])),
                        "topic": c.get("topic"),
                        "status": c.get("status", ""),
                        "status_date": c.get("status_date"),
                        "status_note": c.get("status_note", ""),
                    }
                )
        _keep_app_edits(db, "bills", ("id",), "stage_set_in_app", ("stage",), bills_rows)
        _keep_app_edits(
            db,
            "clauses",
            ("bill_id", "number"),
            "status_set_in_app",
            ("status", "status_date", "status_note"),
            clauses_rows,
        )
        db["bills"].upsert_all(bills_rows, pk="id")
        db["clauses"].upsert_all(clauses_rows, pk=("bill_id", "number"))
        counts["bills"] = len(bills_rows)
        counts["clauses"] = len(clauses_rows)

        lines_rows, versions_rows = [], []
        for line in data["lines_to_take"]:
            lines_rows.append(
                {
                    "id": line["id"],
                    "topic": line["topic"],
                    "bill_id": line.get("bill"),
                    "clause_number": str(line["clause"]) if line.get("clause") else None,
                    "subject": line.get("subject", ""),
                    "about": line.get("about", ""),
                }
            )
            for v in line.get("versions", []):
                versions_rows.append(
                    {
                        "line_id": line["id"],
                        "version": int(v["version"]),
                        "status": v["status"],
                        "effective_from": v.get("effective_from"),
                        "effective_to": v.get("effective_to"),
                        "approved_by": v.get("approved_by", ""),
                        "approved_on": v.get("approved_on"),
                        "paragraphs": to_json(v["paragraphs"]),
                    }
                )
        db["lines_to_take"].upsert_all(lines_rows, pk="id")
        # A version is never rewritten once it exists (drafts cite it, and an admin may have
        # approved or expired it in the app): the file can only add new version numbers.
        db["line_versions"].insert_all(versions_rows, pk=("line_id", "version"), ignore=True)
        counts["lines_to_take"] = len(lines_rows)
        counts["line_versions"] = len(versions_rows)
    return counts


def _keep_app_edits(
    db, table: str, key: tuple[str, ...], marker: str, columns: tuple[str, ...], rows: list[dict]
) -> None:
    """Give the rows an admin has changed in the app (marked by `marker`) their stored values of
    `columns`, so the upsert that follows does not write the file's values over them."""
    if not db[table].exists():
        return
    stored = {
        tuple(row[: len(key)]): dict(zip(columns, row[len(key) :], strict=True))
        for row in db.execute(f"SELECT {', '.join(key + columns)} FROM {table} WHERE {marker} = 1").fetchall()
    }
    for row in rows:
        row.update(stored.get(tuple(row[k] for k in key), {}))


def _replace_appointments(db, ministers: list[dict], rows: list[dict]) -> None:
    """Replace the file's appointments of these ministers, keeping those added or ended in the app.

    A file appointment that an admin has since ended (same minister, department, role and start)
    is not loaded again beside the ended one.
    """
    ids = [m["id"] for m in ministers]
    kept: set[tuple] = set()
    if ids and db["appointments"].exists():
        marks = ", ".join("?" for _ in ids)
        db.execute(f"DELETE FROM appointments WHERE edited_in_app = 0 AND minister_id IN ({marks})", ids)
        kept = {
            tuple(row)
            for row in db.execute(
                "SELECT minister_id, department, role, start FROM appointments "
                f"WHERE edited_in_app = 1 AND minister_id IN ({marks})",
                ids,
            ).fetchall()
        }
    fresh = [r for r in rows if (r["minister_id"], r["department"], r["role"], r["start"]) not in kept]
    if fresh:
        db["appointments"].insert_all(fresh)


def _replace_children(db, table: str, parent_column: str, parents: list[dict], rows: list[dict]):
    ids = [p["id"] for p in parents]
    if ids:
        marks = ", ".join("?" for _ in ids)
        db.execute(f"DELETE FROM {table} WHERE {parent_column} IN ({marks})", ids)
    if rows:
        db[table].insert_all(rows)


def departments(db: sqlite_utils.Database) -> list[dict]:
    """Return every department."""
    return [
        decode(r, ("address", "aliases", "covers"), ("own",))
        for r in db["departments"].rows_where(order_by="name")
    ]


def department(db: sqlite_utils.Database, code: str) -> dict | None:
    """Return one department by code."""
    rows = list(db["departments"].rows_where("code = ?", [code], limit=1))
    return decode(rows[0], ("address", "aliases", "covers"), ("own",)) if rows else None


def own_department(db: sqlite_utils.Database) -> dict | None:
    """Return the department this installation serves."""
    rows = list(db["departments"].rows_where("own = 1", limit=1))
    return decode(rows[0], ("address", "aliases", "covers"), ("own",)) if rows else None


def minister(db: sqlite_utils.Database, minister_id: str) -> dict | None:
    """Return one minister (without appointments)."""
    rows = list(db["ministers"].rows_where("id = ?", [minister_id], limit=1))
    return decode(rows[0], MINISTER_JSON) if rows else None


def ministers_with_appointments(db: sqlite_utils.Database) -> list[dict]:
    """Return every minister with an `appointments` list."""
    appointments: dict[str, list[dict]] = {}
    for row in db["appointments"].rows_where(order_by="start"):
        appointments.setdefault(row["minister_id"], []).append(decode(row, APPOINTMENT_JSON, ("lead",)))
    result = []
    for row in db["ministers"].rows_where(order_by="id"):
        m = decode(row, MINISTER_JSON)
        m["appointments"] = appointments.get(m["id"], [])
        result.append(m)
    return result


def members_with_memberships(db: sqlite_utils.Database) -> list[dict]:
    """Return every member with a `memberships` list."""
    memberships: dict[str, list[dict]] = {}
    for row in db["memberships"].rows_where(order_by="start"):
        memberships.setdefault(row["member_id"], []).append(decode(row, MEMBERSHIP_JSON))
    result = []
    for row in db["members"].rows_where(order_by="id"):
        m = decode(row, MINISTER_JSON)
        m["memberships"] = memberships.get(m["id"], [])
        result.append(m)
    return result


def bills_with_clauses(db: sqlite_utils.Database) -> list[dict]:
    """Return every bill with a `clauses` list."""
    clauses: dict[str, list[dict]] = {}
    for row in db["clauses"].rows_where(order_by="bill_id, CAST(number AS INTEGER)"):
        clauses.setdefault(row["bill_id"], []).append(decode(row, CLAUSE_JSON))
    result = []
    for row in db["bills"].rows_where(order_by="id"):
        b = decode(row, BILL_JSON)
        b["clauses"] = clauses.get(b["id"], [])
        result.append(b)
    return result


def lines_to_take(db: sqlite_utils.Database) -> list[dict]:
    """Return every line to take with its `versions`, oldest version first."""
    versions: dict[str, list[dict]] = {}
    for row in db["line_versions"].rows_where(order_by="line_id, version"):
        versions.setdefault(row["line_id"], []).append(decode(row, ("paragraphs",)))
    result = []
    for row in db["lines_to_take"].rows_where(order_by="id"):
        line = dict(row)
        line["versions"] = versions.get(line["id"], [])
        result.append(line)
    return result


def get_bill(db: sqlite_utils.Database, bill_id: str) -> dict | None:
    """Return one bill (without clauses)."""
    rows = list(db["bills"].rows_where("id = ?", [bill_id], limit=1))
    return decode(rows[0], BILL_JSON) if rows else None


def get_clause(db: sqlite_utils.Database, bill_id: str, number: str) -> dict | None:
    """Return one clause of a bill."""
    rows = list(db["clauses"].rows_where("bill_id = ? AND number = ?", [bill_id, number], limit=1))
    return decode(rows[0], CLAUSE_JSON) if rows else None
