"""Triage: a person confirms or corrects what the classifier said, and the case follows.

A correction is stored with who made it and when (it is training data for the next model),
the case takes the new labels, its line to take and answering minister are worked out again,
and a new draft version is made.
"""

from __future__ import annotations

import sqlite_utils

from app import store
from app.config import Settings
from app.drafting.for_case import redraft
from app.intake.ocr import POOR_SCAN_CONFIDENCE
from app.linking import Registers, answering_minister, choose_line
from app.taxonomy import Taxonomy


class CorrectionError(ValueError):
    """A correction names a label the taxonomy does not have."""


def correct_case(
    db: sqlite_utils.Database,
    case: dict,
    *,
    settings: Settings,
    taxonomy: Taxonomy,
    actor: str,
    topic: str | None = None,
    concern: str | None = None,
    flags: list[str] | None = None,
    reason: str = "",
    registers: Registers | None = None,
) -> dict:
    """Set a case's topic, concern and flags as a person says; omitted values are confirmed as they are.

    Pass `registers` when confirming many cases at once, so they are read once.
    """
    new_topic = topic or case["topic"]
    new_concern = concern or case["concern"]
    new_flags = sorted(set(case["flags"] or [])) if flags is None else sorted(set(flags))
    for kind, value in (("topics", new_topic), ("concerns", new_concern)):
        if value is not None and value not in taxonomy.ids(kind):
            raise CorrectionError(
                f"Unknown {kind[:-1]} {value!r}; use one of {', '.join(taxonomy.ids(kind))}"
            )
    unknown = set(new_flags) - set(taxonomy.ids("flags"))
    if unknown:
        raise CorrectionError(
            f"Unknown flags {sorted(unknown)}; use any of {', '.join(taxonomy.ids('flags'))}"
        )
    if not new_topic or not new_concern:
        raise CorrectionError("Give both a topic and a concern: the case has none yet")

    now = store.utc_now()
    registers = registers or Registers.load(db)
    changes: dict = {
        "topic": new_topic,
        "concern": new_concern,
        "flags": new_flags,
        "updated_at": now,
        "status": "draft" if case["status"] == "triage" else case["status"],
    }
    topic_changed = new_topic != case["topic"]
    if topic_changed:
        choice = choose_line(
            registers, new_topic, case["bill_id"], case["clause_number"], settings.today().isoformat()
        )
        line, version = choice if choice else (None, None)
        answering = answering_minister(registers, new_topic, case["received"])
        changes.update(
            line_id=line["id"] if line else None,
            line_version=version["version"] if version else None,
            answering_minister_id=answering[0]["id"] if answering else None,
        )
    with db.atomic():
        store.insert_correction(
            db,
            {
                "case_id": case["id"],
                "letter_id": case["letter_id"],
                "topic_before": case["topic"],
                "topic": new_topic,
                "concern_before": case["concern"],
                "concern": new_concern,
                "flags_before": case["flags"] or [],
                "flags": new_flags,
                "reason": reason,
                "corrected_by": actor,
                "corrected_at": now,
            },
        )
        store.update_case(db, case["id"], changes)
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="classification corrected" if _changed(case, changes) else "classification confirmed",
            case_id=case["id"],
            detail={
                "topic": [case["topic"], new_topic],
                "concern": [case["concern"], new_concern],
                "flags": [case["flags"] or [], new_flags],
                "reason": reason,
            },
        )
        updated = store.get_case(db, case["id"])
        if topic_changed or new_concern != case["concern"]:
            redraft(
                db, case["id"], settings=settings, taxonomy=taxonomy, actor="mincorr", registers=registers
            )
    return updated


def _changed(case: dict, changes: dict) -> bool:
    return (
        case["topic"] != changes["topic"]
        or case["concern"] != changes["concern"]
        or sorted(case["flags"] or []) != changes["flags"]
    )


def triage_reasons(db: sqlite_utils.Database, case: dict) -> list[str]:
    """Why a case is waiting for a person, in words: which labels the classifier was unsure of."""
    reasons = []
    for prediction in store.latest_classifications(db, case["letter_id"]):
        if prediction["task"] in ("topic", "concern") and not prediction["auto_accepted"]:
            reasons.append(f"{prediction['task'].capitalize()} only {prediction['confidence']:.0%} sure")
    ocr = store.letter_metadata(db, case["letter_id"]).get("ocr")
    if ocr and ocr.get("mean_confidence", 100) < POOR_SCAN_CONFIDENCE:
        reasons.append(f"Poor scan: text read with {ocr['mean_confidence']:.0f}% OCR confidence")
    if not case["topic"]:
        reasons.append("Not classified: no model was in use")
    return sorted(set(reasons), key=reasons.index)


def confirm_triage(
    db: sqlite_utils.Database, cases: list[dict], *, settings: Settings, taxonomy: Taxonomy, actor: str
) -> tuple[list[str], list[str]]:
    """Accept the classifier's labels for many cases waiting for triage (the registers read once).

    Returns the references accepted and, for each case that could not be, a sentence saying why.
    """
    registers = Registers.load(db)
    accepted, problems = [], []
    for case in cases:
        if case["status"] != "triage":
            problems.append(f"{case['reference']} is no longer waiting for triage")
            continue
        try:
            correct_case(db, case, settings=settings, taxonomy=taxonomy, actor=actor, registers=registers)
        except CorrectionError as error:
            problems.append(f"{case['reference']}: {error}")
            continue
        accepted.append(case["reference"])
    return accepted, problems
