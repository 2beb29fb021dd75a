"""Open cases by due date (the deadlines page and the digest) and the clock-stop records.

Cases whose clock runs are found through the `idx_cases_deadlines` index (status, due,
clock_stopped_since, topic, answering_minister_id), so counting and paging read only the open
cases' index entries and never the case rows; only the 100 rows shown are fetched. Cases whose
clock is stopped (few) are found through `idx_cases_clock_stopped`. Both are named with INDEXED BY:
without statistics on how few cases are open, SQLite would rather walk every case in due order.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import sqlite_utils

LISTED_COLUMNS = (
    "id, reference, case_type, topic, answering_minister_id, status, received, due, draft_due, "
    "clock_stopped_since"
)
RUNNING = "clock_stopped_since IS NULL"
STOPPED = "clock_stopped_since IS NOT NULL"
BY_DUE = "cases INDEXED BY idx_cases_deadlines"
BY_STOP = "cases INDEXED BY idx_cases_clock_stopped"


def _marks(values: Sequence) -> str:
    return ", ".join("?" for _ in values)


def _filter_terms(topics: Sequence[str] | None, minister_id: str | None) -> tuple[list[str], list]:
    """The WHERE terms of the topic (a team is a list of topics) and minister filters."""
    terms, params = [], []
    if topics is not None:
        terms.append(f"topic IN ({_marks(topics)})")
        params += list(topics)
    if minister_id:
        terms.append("answering_minister_id = ?")
        params.append(minister_id)
    return terms, params


def _scope(stages: Sequence[str], topics: Sequence[str] | None, minister_id: str | None) -> tuple[str, list]:
    """The WHERE terms shared by every deadlines query: stage, topic and minister filters."""
    terms, params = _filter_terms(topics, minister_id)
    return " AND ".join([f"status IN ({_marks(stages)})", *terms]), [*stages, *params]


def _bucket_terms(bucket: str, today: str, week_end: str) -> list[tuple[str, str, list]]:
    """The (table and index, condition, parameters) of each UNION ALL part that picks a bucket's cases."""
    stopped = (BY_STOP, STOPPED, [])
    parts = {
        "overdue": [(BY_DUE, f"{RUNNING} AND due < ?", [today])],
        "today": [(BY_DUE, f"{RUNNING} AND due = ?", [today])],
        "week": [(BY_DUE, f"{RUNNING} AND due > ? AND due <= ?", [today, week_end])],
        "stopped": [stopped],
        "all": [(BY_DUE, f"{RUNNING} AND due <= ?", [week_end]), stopped],
    }
    if bucket not in parts:
        raise ValueError(f"unknown deadlines bucket {bucket!r}")
    return parts[bucket]


def deadline_counts(
    db: sqlite_utils.Database,
    *,
    today: str,
    week_end: str,
    stages: Sequence[str],
    topics: Sequence[str] | None = None,
    minister_id: str | None = None,
) -> dict[str, int]:
    """How many open cases are overdue, due today, due by `week_end`, and have their clock stopped."""
    scope, params = _scope(stages, topics, minister_id)
    overdue, due_today, week = db.execute(
        f"SELECT coalesce(sum(due < ?), 0), coalesce(sum(due = ?), 0), coalesce(sum(due > ?), 0) "
        f"FROM {BY_DUE} WHERE {scope} AND {RUNNING} AND due <= ?",
        [today, today, today, *params, week_end],
    ).fetchone()
    stopped = db.execute(f"SELECT count(*) FROM {BY_STOP} WHERE {scope} AND {STOPPED}", params).fetchone()[0]
    return {"overdue": overdue, "today": due_today, "week": week, "stopped": stopped}


def deadline_cases(
    db: sqlite_utils.Database,
    *,
    bucket: str,
    today: str,
    week_end: str,
    stages: Sequence[str],
    topics: Sequence[str] | None = None,
    minister_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict]:
    """One page of a bucket's cases ('overdue', 'today', 'week', 'stopped' or 'all'), soonest due first."""
    scope, scope_params = _scope(stages, topics, minister_id)
    selects, params = [], []
    for table, condition, condition_params in _bucket_terms(bucket, today, week_end):
        selects.append(f"SELECT id, due FROM {table} WHERE {scope} AND {condition}")
        params += scope_params + condition_params
    ids = [
        row[0]
        for row in db.execute(
            " UNION ALL ".join(selects) + " ORDER BY due, id LIMIT ? OFFSET ?", [*params, limit, offset]
        )
    ]
    return cases_by_ids(db, ids)


def cases_by_ids(db: sqlite_utils.Database, ids: Sequence[int]) -> list[dict]:
    """The listed columns of the cases with these ids, in the order given."""
    if not ids:
        return []
    rows = {
        row["id"]: row
        for row in db.query(f"SELECT {LISTED_COLUMNS} FROM cases WHERE id IN ({_marks(ids)})", list(ids))
    }
    return [rows[case_id] for case_id in ids]


def replied_counts(
    db: sqlite_utils.Database,
    *,
    start: str,
    before: str,
    topics: Sequence[str] | None = None,
    minister_id: str | None = None,
) -> dict[str, int]:
    """Cases answered on or after `start` and before `before`: how many by their due date, how many late."""
    terms, params = _filter_terms(topics, minister_id)
    within, late = db.execute(
        "SELECT coalesce(sum(substr(answered_on, 1, 10) <= due), 0), "
        "coalesce(sum(substr(answered_on, 1, 10) > due), 0) "
        "FROM cases WHERE " + " AND ".join(["answered_on >= ? AND answered_on < ?", *terms]),
        [start, before, *params],
    ).fetchone()
    return {"within_target": within, "late": late}


def running_cases_due_by(
    db: sqlite_utils.Database, *, week_end: str, stages: Sequence[str]
) -> Iterator[dict]:
    """Every open case whose clock runs and that is due by `week_end` (overdue included), soonest first."""
    return db.query(
        f"SELECT {LISTED_COLUMNS} FROM {BY_DUE} "
        f"WHERE status IN ({_marks(stages)}) AND {RUNNING} AND due <= ? ORDER BY due, reference",
        [*stages, week_end],
    )


def own_department_ministers(db: sqlite_utils.Database) -> list[dict]:
    """The id and name of every minister who has held a post in this installation's department."""
    return list(
        db.query(
            "SELECT DISTINCT ministers.id, ministers.name, ministers.surname FROM ministers "
            "JOIN appointments ON appointments.minister_id = ministers.id "
            "JOIN departments ON departments.code = appointments.department AND departments.own = 1 "
            "ORDER BY ministers.surname, ministers.name"
        )
    )


def minister_names(db: sqlite_utils.Database, ids: Sequence[str]) -> dict[str, str]:
    """Minister names by id, for the ids given."""
    wanted = sorted({i for i in ids if i})
    if not wanted:
        return {}
    sql = f"SELECT id, name FROM ministers WHERE id IN ({_marks(wanted)})"
    return {row[0]: row[1] for row in db.execute(sql, wanted)}


def set_clock_stopped_since(
    db: sqlite_utils.Database, case_id: int, *, expected: str | None, since: str | None, changes: dict
) -> bool:
    """Set when a case's clock stopped (None: running), only if it is still `expected`; say if it was.

    The check and the change are one statement, so two people pressing the same button at once
    cannot both stop (or both restart) the clock.
    """
    assignments = ", ".join(f"[{column}] = ?" for column in changes)
    cursor = db.execute(
        f"UPDATE cases SET clock_stopped_since = ?, {assignments} WHERE id = ? AND clock_stopped_since IS ?",
        [since, *changes.values(), case_id, expected],
    )
    return cursor.rowcount == 1


def insert_clock_stop(db: sqlite_utils.Database, stop: dict) -> int:
    """Store the start of a clock stop; return its id."""
    return db["clock_stops"].insert(stop).last_pk


def open_clock_stop(db: sqlite_utils.Database, case_id: int) -> dict | None:
    """The clock stop of a case that has not been restarted yet, if any."""
    rows = list(
        db["clock_stops"].rows_where(
            "case_id = ? AND restarted_on IS NULL", [case_id], order_by="id DESC", limit=1
        )
    )
    return rows[0] if rows else None


def update_clock_stop(db: sqlite_utils.Database, stop_id: int, changes: dict) -> None:
    """Change fields of a clock stop (its restart)."""
    db["clock_stops"].update(stop_id, changes)


def clock_stops_for_case(db: sqlite_utils.Database, case_id: int) -> list[dict]:
    """Every clock stop of a case, oldest first."""
    return list(db["clock_stops"].rows_where("case_id = ?", [case_id], order_by="id"))
