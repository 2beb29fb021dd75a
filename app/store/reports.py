"""Timeliness figures: cases received in a period, answered, and answered by their due date."""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils


def timeliness_counts(
    db: sqlite_utils.Database, *, start: str, end: str, excluded_stages: Sequence[str]
) -> list[dict]:
    """Cases received from `start` to `end` (inclusive), answered, and answered within target.

    One row per month of receipt, answering minister, topic and case type together, so that one
    pass over the `idx_cases_timeliness` index (which holds every column read) serves every
    grouping of the report. A case is answered when `answered_on` is set, and within target when
    it was answered on or before its due date. Cases in `excluded_stages` are not counted at all.
    """
    marks = ", ".join("?" for _ in excluded_stages)
    sql = f"""
        SELECT substr(received, 1, 7) AS month, answering_minister_id AS minister, topic, case_type,
               count(*) AS received,
               coalesce(sum(answered_on IS NOT NULL), 0) AS answered,
               coalesce(sum(substr(answered_on, 1, 10) <= due), 0) AS within_target
        FROM cases INDEXED BY idx_cases_timeliness
        WHERE received BETWEEN ? AND ? AND status NOT IN ({marks})
        GROUP BY month, minister, topic, case_type
    """
    return list(db.query(sql, [start, end, *excluded_stages]))
