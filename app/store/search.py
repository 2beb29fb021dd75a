"""Finding cases: full-text search with filters, a member's cases, and a correspondent's earlier cases.

Every query here is shaped to answer in a few milliseconds at 100,000 cases and more:
- the full-text match always drives a search with words (FTS5 hands back only the matching
  letters, each then found in `cases` through its unique letter_id index; CROSS JOIN keeps SQLite
  from probing the full-text index once per case instead), so the cost follows the number of
  letters matched, never the number of cases; without words the filters use the indexes on cases
  (topic, status and due, received, correspondent_id);
- a page is found in two steps: first the ids of the page's cases (sorting keys only), then the
  full rows and the snippets of those 50 or 100 cases alone, so that a word that is in every
  letter does not make SQLite build a snippet or carry a whole row for each of them;
- totals are counted up to a cap, so "the" does not count 100,000 rows on every page.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from app.store.cases import CASE_BOOL, CASE_JSON
from app.store.reference import MEMBERSHIP_JSON
from app.store.rows import decode
from app.workflow import OPEN_STAGES, stage_name

COUNT_CAP = 20_000
# Private-use characters mark the matched words in a snippet; the web page turns them into <mark>.
MATCH_START, MATCH_END = "\ue000", "\ue001"
_TERM_RE = re.compile(r'"([^"]*)"|(\S+)')
_WORD_RE = re.compile(r"\w", re.UNICODE)
ORDERS = {
    "newest": "cases.received DESC, cases.id DESC",
    "due": "cases.due, cases.reference",
    "rank": "letters_fts.rank",
}


def fts_query(words: str | None) -> str | None:
    """Turn what a person typed into a safe FTS5 query, or None if it holds no word.

    Every word must appear (in any form the porter stemmer joins: "prisons" finds "prison").
    "Quoted words" must appear together as a phrase, and a word ending in * matches any word it
    starts. Everything else is taken literally: quotes are balanced or dropped, and AND, OR, NOT,
    NEAR, brackets, colons and minus signs are searched for as words, never read as operators.
    """
    terms = []
    for phrase, word in _TERM_RE.findall((words or "").replace("\x00", " ")):
        text = (phrase if phrase else word).replace('"', " ")
        prefix = not phrase and text.endswith("*")
        text = text.rstrip("*").strip()
        if _WORD_RE.search(text):
            terms.append(f'"{text}"' + ("*" if prefix else ""))
    return " ".join(terms) or None


@dataclass(frozen=True)
class CaseFilters:
    """What to look for; every field is optional and the fields combine (all must hold)."""

    words: str | None = None  # as typed: see fts_query
    correspondent: str | None = None  # part of the correspondent's name, any case
    constituency: str | None = None  # part of the constituency, any case
    topic: str | None = None
    concern: str | None = None
    stages: tuple[str, ...] = ()  # any of these stages (cases.status)
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    member_id: str | None = None  # letters from this member of the register
    overdue_on: dt.date | None = None  # open, clock running and due before this date

    @property
    def match(self) -> str | None:
        """The FTS5 query for `words`, if there are any words."""
        return fts_query(self.words)


def _like(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, with % and _ in it taken literally."""
    escaped = text.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _from_where(filters: CaseFilters) -> tuple[str, list]:
    """The FROM and WHERE clauses that find the cases `filters` describe, with their parameters."""
    match = filters.match
    source = "letters_fts CROSS JOIN cases ON cases.letter_id = letters_fts.rowid" if match else "cases"
    conditions, params = [], []
    if match:
        conditions.append("letters_fts MATCH ?")
        params.append(match)
    for column, value in (("name", filters.correspondent), ("constituency", filters.constituency)):
        if value and value.strip():
            conditions.append(
                f"cases.correspondent_id IN (SELECT id FROM correspondents WHERE {column} LIKE ? ESCAPE '\\')"
            )
            params.append(_like(value))
    if filters.member_id:
        conditions.append("cases.correspondent_id IN (SELECT id FROM correspondents WHERE member_id = ?)")
        params.append(filters.member_id)
    for column, value in (("topic", filters.topic), ("concern", filters.concern)):
        if value:
            conditions.append(f"cases.{column} = ?")
            params.append(value)
    if filters.stages:
        conditions.append(f"cases.status IN ({', '.join('?' for _ in filters.stages)})")
        params.extend(filters.stages)
    if filters.received_from:
        conditions.append("cases.received >= ?")
        params.append(filters.received_from.isoformat())
    if filters.received_to:
        conditions.append("cases.received <= ?")
        params.append(filters.received_to.isoformat())
    if filters.overdue_on:
        conditions.append(
            f"cases.status IN ({', '.join('?' for _ in OPEN_STAGES)}) "
            "AND cases.due < ? AND +cases.clock_stopped_since IS NULL"  # + : that index never narrows
        )
        params.extend([*OPEN_STAGES, filters.overdue_on.isoformat()])
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"FROM {source} {where}", params


def find_cases(
    db: sqlite_utils.Database,
    filters: CaseFilters,
    *,
    order: str = "newest",
    limit: int = 50,
    offset: int = 0,
) -> list[dict]:
    """One page of the cases `filters` describe, as stored case rows with the correspondent joined in.

    `order` is "newest" (received, latest first), "due" (soonest due first) or "rank" (best match
    first; needs words). Each row also has `correspondent_name`, `correspondent_type`,
    `correspondent_constituency` and `member_id`.
    """
    if order not in ORDERS or (order == "rank" and not filters.match):
        raise ValueError(f"unsupported order {order!r}")
    clauses, params = _from_where(filters)
    page_ids = [
        row[0]
        for row in db.execute(
            f"SELECT cases.id {clauses} ORDER BY {ORDERS[order]} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        ).fetchall()
    ]
    return _case_rows(db, page_ids)


def _case_rows(db: sqlite_utils.Database, case_ids: list[int]) -> list[dict]:
    """The stored rows of `case_ids`, in that order, with the correspondent's name and type."""
    if not case_ids:
        return []
    sql = f"""
        SELECT cases.*, correspondents.name AS correspondent_name,
               correspondents.type AS correspondent_type,
               correspondents.constituency AS correspondent_constituency,
               correspondents.member_id AS member_id
        FROM cases LEFT JOIN correspondents ON correspondents.id = cases.correspondent_id
        WHERE cases.id IN ({", ".join("?" for _ in case_ids)})
    """
    rows = {row["id"]: decode(row, CASE_JSON, CASE_BOOL) for row in db.query(sql, case_ids)}
    return [rows[case_id] for case_id in case_ids]


def count_cases(db: sqlite_utils.Database, filters: CaseFilters, cap: int = COUNT_CAP) -> int:
    """How many cases `filters` find, counting no further than `cap` (more is reported as `cap`)."""
    clauses, params = _from_where(filters)
    row = db.execute(f"SELECT count(*) FROM (SELECT 1 {clauses} LIMIT ?)", [*params, cap]).fetchone()
    return row[0]


def match_snippets(db: sqlite_utils.Database, words: str, letter_ids: Sequence[int]) -> dict[int, str]:
    """A short extract of each letter around the words found, the words between MATCH_START and
    MATCH_END; keyed by letter id. Letters the words do not match are left out."""
    match = fts_query(words)
    if not match or not letter_ids:
        return {}
    sql = f"""
        SELECT rowid, snippet(letters_fts, 0, ?, ?, ' … ', 16) FROM letters_fts
        WHERE letters_fts MATCH ? AND rowid IN ({", ".join("?" for _ in letter_ids)})
    """
    return dict(db.execute(sql, [MATCH_START, MATCH_END, match, *letter_ids]).fetchall())


def earlier_cases(db: sqlite_utils.Database, case: dict, limit: int = 5) -> list[dict]:
    """Earlier cases from the same correspondent on the same topic as `case`, latest first.

    `case` is a stored case row (as store.get_case_by_reference returns). The same correspondent
    means the same member of the register when the writer is a member (each letter has its own
    correspondent record, joined through member_id), else the same correspondent record. Each
    item: reference, received, stage, stage_name, answered_on and replied (True once answered).
    """
    if not case.get("topic"):
        return []
    member = db.execute("SELECT member_id FROM correspondents WHERE id = ?", [case["correspondent_id"]])
    member_id = (member.fetchone() or [None])[0]
    if member_id:
        who = "cases.correspondent_id IN (SELECT id FROM correspondents WHERE member_id = ?)"
        params = [member_id]
    else:
        who, params = "cases.correspondent_id = ?", [case["correspondent_id"]]
    sql = f"""
        SELECT reference, received, status, answered_on FROM cases
        WHERE {who} AND cases.topic = ? AND cases.id != ?
          AND (cases.received < ? OR (cases.received = ? AND cases.id < ?))
        ORDER BY cases.received DESC, cases.id DESC LIMIT ?
    """
    rows = db.execute(
        sql, [*params, case["topic"], case["id"], case["received"], case["received"], case["id"], limit]
    ).fetchall()
    return [
        {
            "reference": reference,
            "received": received,
            "stage": status,
            "stage_name": stage_name(status),
            "answered_on": answered_on,
            "replied": bool(answered_on),
        }
        for reference, received, status, answered_on in rows
    ]


def get_member(db: sqlite_utils.Database, member_id: str) -> dict | None:
    """One member of the register with their seats (`memberships`, latest first)."""
    row = db.execute("SELECT id, name FROM members WHERE id = ?", [member_id]).fetchone()
    if row is None:
        return None
    seats = db["memberships"].rows_where("member_id = ?", [member_id], order_by="start DESC")
    return {"id": row[0], "name": row[1], "memberships": [decode(s, MEMBERSHIP_JSON) for s in seats]}


def member_case_counts(db: sqlite_utils.Database, member_id: str, today: dt.date) -> dict[str, int]:
    """How many cases a member has: in all, still open, and overdue on `today` (open, clock running)."""
    marks = ", ".join("?" for _ in OPEN_STAGES)
    sql = f"""
        SELECT count(*),
               coalesce(sum(status IN ({marks})), 0),
               coalesce(sum(status IN ({marks}) AND due < ? AND clock_stopped_since IS NULL), 0)
        FROM cases WHERE correspondent_id IN (SELECT id FROM correspondents WHERE member_id = ?)
    """
    total, still_open, overdue = db.execute(
        sql, [*OPEN_STAGES, *OPEN_STAGES, today.isoformat(), member_id]
    ).fetchone()
    return {"total": total, "open": still_open, "overdue": overdue}


def member_topics(db: sqlite_utils.Database, member_id: str) -> list[dict]:
    """A member's cases by topic: how many, and how many have been replied to; most first."""
    sql = """
        SELECT topic, count(*) AS cases, count(answered_on) AS replied, max(received) AS latest
        FROM cases WHERE correspondent_id IN (SELECT id FROM correspondents WHERE member_id = ?)
        GROUP BY topic ORDER BY cases DESC, topic
    """
    return [dict(row) for row in db.query(sql, [member_id])]


def find_members(
    db: sqlite_utils.Database, name: str | None, today: dt.date, *, limit: int = 100, offset: int = 0
) -> list[dict]:
    """Members of the register whose name (or another name they use) holds `name`, by surname, with
    how many cases each has in all (`total`), `open`, and `overdue` on `today`."""
    where, params = "", []
    if name and name.strip():
        where = "WHERE name LIKE ? ESCAPE '\\' OR aliases LIKE ? ESCAPE '\\'"
        params = [_like(name), _like(name)]
    members = [
        dict(row)
        for row in db.query(
            f"SELECT id, name FROM members {where} ORDER BY surname, name LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
    ]
    if members:
        _add_member_counts(db, members, today)
    return members


def _add_member_counts(db: sqlite_utils.Database, members: list[dict], today: dt.date) -> None:
    """Set total, open and overdue on each member: the totals come from indexes alone, and only the
    open cases (a small part of all) are read for the other two."""
    ids = [m["id"] for m in members]
    member_marks = ", ".join("?" for _ in ids)
    totals = dict(
        db.execute(
            f"""SELECT correspondents.member_id, count(*)
                FROM correspondents JOIN cases ON cases.correspondent_id = correspondents.id
                WHERE correspondents.member_id IN ({member_marks}) GROUP BY correspondents.member_id""",
            ids,
        ).fetchall()
    )
    open_counts = {
        row[0]: row[1:]
        for row in db.execute(
            f"""SELECT correspondents.member_id, count(*),
                       sum(cases.due < ? AND cases.clock_stopped_since IS NULL)
                FROM cases JOIN correspondents ON correspondents.id = cases.correspondent_id
                WHERE cases.status IN ({", ".join("?" for _ in OPEN_STAGES)})
                  AND correspondents.member_id IN ({member_marks})
                GROUP BY correspondents.member_id""",
            [today.isoformat(), *OPEN_STAGES, *ids],
        ).fetchall()
    }
    for member in members:
        member["total"] = totals.get(member["id"], 0)
        member["open"], member["overdue"] = open_counts.get(member["id"], (0, 0))
