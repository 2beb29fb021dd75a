"""Opening a case for a letter, and the case as users and the CLI see it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from app import store
from app.deadlines import add_working_days
from app.taxonomy import Taxonomy


@dataclass(frozen=True)
class CaseDates:
    """When a case was received, when the draft is wanted, and when the reply is due."""

    received: dt.date
    draft_due: dt.date
    due: dt.date


def case_dates(received: dt.date, case_type: dict, region: str) -> CaseDates:
    """Due dates by the Day-1 rule: day 1 is the first working day after receipt."""
    return CaseDates(
        received=received,
        draft_due=add_working_days(received, int(case_type.get("draft_working_days", 10)), region),
        due=add_working_days(received, int(case_type.get("target_working_days", 20)), region),
    )


def open_case(
    db: sqlite_utils.Database,
    *,
    letter_id: int,
    correspondent_id: int,
    case_type: dict,
    dates: CaseDates,
    fields: dict,
    reference_start: int,
    now: str,
) -> tuple[int, str]:
    """Create the case record with a freshly allocated reference; return (case id, reference).

    Call inside the transaction that stores the letter, so a reference is only ever taken by a
    case that exists.
    """
    reference = store.allocate_reference(db, case_type["id"], reference_start)
    case_id = store.insert_case(
        db,
        {
            "reference": reference,
            "case_type": case_type["id"],
            "letter_id": letter_id,
            "correspondent_id": correspondent_id,
            "received": dates.received.isoformat(),
            "draft_due": dates.draft_due.isoformat(),
            "due": dates.due.isoformat(),
            "created_at": now,
            "updated_at": now,
            **fields,
        },
    )
    return case_id, reference


def case_view(db: sqlite_utils.Database, case: dict, taxonomy: Taxonomy) -> dict:
    """The case as `mincorr show --json` prints it and the API returns it."""
    correspondent = store.get_correspondent(db, case["correspondent_id"]) or {}
    minister = store.minister(db, case["answering_minister_id"]) if case["answering_minister_id"] else None
    classifications = store.latest_classifications(db, case["letter_id"])

    def label(task: str, value: str | None, confidence: float | None) -> dict | None:
        if value is None:
            return None
        stored = next((c for c in classifications if c["task"] == task), None)
        corrected = bool(stored) and stored["label"] != value
        return {
            "label": value,
            "name": (taxonomy.label(task + "s", value) or {}).get("name"),
            "confidence": None if confidence is None else round(confidence, 4),
            "auto_accepted": stored["auto_accepted"] if stored else None,
            "threshold": stored["threshold"] if stored else None,
            "corrected": corrected,
            "alternatives": stored["alternatives"] if stored else [],
            "evidence": stored["evidence"] if stored else [],
            "model_version": stored["model_version"] if stored else None,
        }

    bill = None
    bill_row = store.get_bill(db, case["bill_id"]) if case["bill_id"] else None
    if bill_row:
        bill = {"id": bill_row["id"], "title": bill_row["title"], "session": bill_row["session"]}
    clause = None
    clause_row = (
        store.get_clause(db, case["bill_id"], case["clause_number"]) if case["clause_number"] else None
    )
    if clause_row:
        clause = {
            "number": clause_row["number"],
            "title": clause_row["title"],
            "status": clause_row["status"],
            "status_date": clause_row["status_date"],
        }
    return {
        "reference": case["reference"],
        "case_type": case["case_type"],
        "received": case["received"],
        "due": case["due"],
        "draft_due": case["draft_due"],
        "correspondent": {
            "name": correspondent.get("name"),
            "type": correspondent.get("type"),
            "constituency": correspondent.get("constituency") or None,
        },
        "on_behalf_of_constituents": bool(case["on_behalf_of_constituents"]),
        "constituents": case["constituents"] or [],
        "addressed_to": case["addressed_to"],
        "letter_date": case["letter_date"],
        "their_reference": case["their_reference"],
        "topic": label("topic", case["topic"], case["topic_confidence"]),
        "concern": label("concern", case["concern"], case["concern_confidence"]),
        "flags": case["flags"] or [],
        "flag_details": [
            {
                "flag": c["label"],
                "confidence": c["confidence"],
                "raised_by": c["model_version"],
                "evidence": c["evidence"] or [],
            }
            for c in classifications
            if c["task"] == "flag" and c["label"] in (case["flags"] or [])
        ],
        "bill": bill,
        "clause": clause,
        "line_to_take": {"id": case["line_id"], "version": case["line_version"]} if case["line_id"] else None,
        "campaign": case["campaign_id"],
        "answering_minister": ({"id": minister["id"], "name": minister["name"]} if minister else None),
        "status": case["status"],
    }
