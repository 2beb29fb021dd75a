"""What people do to a case after triage: edit the draft, comment, move it between stages, transfer it.

Each action checks the person's role and the case's stage (app.workflow), changes the case in one
transaction, and records an event. Nothing personal goes into an event's detail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlite_utils

from app import store
from app.config import Settings
from app.drafting import compose_draft, templates_for
from app.drafting.for_case import case_reply_context, redraft
from app.linking import Registers
from app.linking.registers import current_version
from app.taxonomy import Taxonomy
from app.workflow import (
    TRANSFER_ROLES,
    TRANSFER_STAGES,
    MoveRefused,
    allows,
    can_edit_draft,
    check_move,
    stage_name,
)

MAX_DRAFT_CHARS = 200_000
MAX_COMMENT_CHARS = 5_000


@dataclass(frozen=True)
class SavedDraft:
    """The outcome of saving a draft: the new version, and the version it clashed with, if any."""

    version: int | None
    conflict_with: int | None = None

    @property
    def unchanged(self) -> bool:
        return self.version is None


def normalise_text(text: str) -> str:
    """A draft as typed in a browser, with Windows line endings and trailing spaces tidied."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip() + "\n"


def save_draft(
    db: sqlite_utils.Database, case: dict, *, text: str, based_on: int, role: str, actor: str
) -> SavedDraft:
    """Save an edited draft as the next version.

    `based_on` is the version the writer opened. If someone else saved a newer version meanwhile,
    both texts are kept: this one is saved as a further version marked as a clash, and the result
    names the version it clashed with so the writer can be shown both.
    """
    if not can_edit_draft(case, role):
        raise MoveRefused(
            f"Your role cannot edit the draft while the case is at {stage_name(case['status'])}"
        )
    text = normalise_text(text)
    if not text.strip():
        raise MoveRefused("The draft is empty: write the reply before saving")
    if len(text) > MAX_DRAFT_CHARS:
        raise MoveRefused(f"The draft is longer than {MAX_DRAFT_CHARS:,} characters")
    latest = store.latest_draft(db, case["id"])
    conflict = latest is not None and latest["version"] != based_on
    if not conflict and latest is not None and latest["text"] == text:
        return SavedDraft(version=None)
    now = store.utc_now()
    with db.atomic():
        version = store.insert_draft(
            db,
            case["id"],
            text=text,
            template=latest["template"] if latest else "",
            reply_date=latest["reply_date"] if latest else "",
            citations=latest["citations"] if latest else [],
            created_at=now,
            created_by=actor,
            stage=case["status"],
            based_on=based_on,
            note=f"saved while version {latest['version']} was being saved by someone else"
            if conflict
            else None,
        )
        store.update_case(db, case["id"], {"updated_at": now})
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="draft edited",
            case_id=case["id"],
            detail={
                "version": version,
                "based_on": based_on,
                "clash_with": latest["version"] if conflict else None,
            },
        )
    return SavedDraft(version=version, conflict_with=latest["version"] if conflict else None)


def keep_reason(
    db: sqlite_utils.Database, case: dict, text: str, *, actor: str, at: str, kind: str = "note"
) -> int:
    """Keep a person's words on the case as a comment, tied to the stage and the draft version they
    were written against; return the comment's id."""
    latest = store.latest_draft(db, case["id"])
    return store.insert_comment(
        db,
        case["id"],
        kind=kind,
        text=text.strip(),
        author=actor,
        at=at,
        stage=case["status"],
        draft_version=latest["version"] if latest else None,
    )


def add_comment(
    db: sqlite_utils.Database, case: dict, *, text: str, actor: str, kind: str = "comment"
) -> int:
    """Add a comment to the case, tied to the draft version and stage it was made at."""
    text = text.strip()
    if not text:
        raise MoveRefused("Write a comment before adding it")
    if len(text) > MAX_COMMENT_CHARS:
        raise MoveRefused(f"A comment is at most {MAX_COMMENT_CHARS:,} characters")
    now = store.utc_now()
    with db.atomic():
        comment_id = keep_reason(db, case, text, actor=actor, at=now, kind=kind)
        store.record_event(db, at=now, actor=actor, action="comment added", case_id=case["id"])
    return comment_id


def move_case(
    db: sqlite_utils.Database,
    case: dict,
    *,
    move_id: str,
    case_type: dict,
    role: str,
    actor: str,
    reason: str = "",
    today: dt.date,
) -> dict:
    """Move `case` to the next stage (or back, with a reason); return the case as it now is."""
    move = check_move(case, case_type, role, move_id, reason)
    if move.id == "pass-qa" or move.id == "pass-qa-official":
        _check_second_pair_of_eyes(db, case, actor)
    if (
        move.target in ("qa", "private-office", "minister", "dispatch")
        and store.latest_draft(db, case["id"]) is None
    ):
        raise MoveRefused("There is no draft yet: write one before sending the case on")
    now = store.utc_now()
    changes: dict = {"status": move.target, "stage_changed_at": now, "updated_at": now}
    if move.target == "closed":
        changes["answered_on"] = today.isoformat()
    if move.target == "no-reply":
        changes["closed_reason"] = reason.strip()
    if move.id == "reopen":
        changes.update(answered_on=None, closed_reason=None)
    with db.atomic():
        store.update_case(db, case["id"], changes)
        if reason.strip():
            keep_reason(
                db,
                case,
                reason,
                actor=actor,
                at=now,
                kind="return" if move.id.startswith("return") else "note",
            )
        store.record_event(
            db,
            at=now,
            actor=actor,
            action=f"moved to {stage_name(move.target).lower()}",
            case_id=case["id"],
            detail={"from": case["status"], "to": move.target, "action": move.id},
        )
    return store.get_case(db, case["id"])


def _check_second_pair_of_eyes(db: sqlite_utils.Database, case: dict, actor: str) -> None:
    """Quality check is done by someone other than the last person to write the draft."""
    latest = store.latest_draft(db, case["id"])
    if latest and latest["created_by"] == actor:
        raise MoveRefused("You wrote the latest version: quality check must be done by someone else")


def transfer_case(
    db: sqlite_utils.Database,
    case: dict,
    *,
    department_code: str,
    reason: str,
    role: str,
    actor: str,
    settings: Settings,
    taxonomy: Taxonomy,
) -> dict:
    """Transfer the case to the department responsible, with a letter telling the writer so."""
    if not allows(role, TRANSFER_ROLES):
        raise MoveRefused("Your role cannot transfer cases")
    if case["status"] not in TRANSFER_STAGES:
        raise MoveRefused(f"A case at {stage_name(case['status'])} cannot be transferred")
    if not reason.strip():
        raise MoveRefused("Give a reason for the transfer")
    registers = Registers.load(db)
    department = store.department(db, department_code)
    if department is None or department_code == registers.own_department["code"]:
        raise MoveRefused("Choose another department to transfer the case to")
    now = store.utc_now()
    with db.atomic():
        store.update_case(
            db,
            case["id"],
            {
                "status": "transferred",
                "transferred_to": department_code,
                "stage_changed_at": now,
                "updated_at": now,
            },
        )
        redraft(
            db,
            case["id"],
            settings=settings,
            taxonomy=taxonomy,
            actor=actor,
            registers=registers,
            template="transfer.txt.j2",
            extra={"transfer_to": {"name": department["name"], "address": department["address"] or []}},
        )
        keep_reason(db, case, reason, actor=actor, at=now)
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="transferred",
            case_id=case["id"],
            detail={"from": case["status"], "to": "transferred", "department": department_code},
        )
    return store.get_case(db, case["id"])


def holding_reply(
    db: sqlite_utils.Database, case: dict, *, role: str, actor: str, settings: Settings, taxonomy: Taxonomy
) -> str:
    """Compose a holding reply for a case whose full reply is late or at risk, and record that it went."""
    if not allows(role, TRANSFER_ROLES):
        raise MoveRefused("Your role cannot send holding replies")
    if case["status"] not in ("triage", "draft", "qa", "private-office", "minister"):
        raise MoveRefused(f"A case at {stage_name(case['status'])} does not need a holding reply")
    registers = Registers.load(db)
    context = case_reply_context(
        db, case, registers=registers, taxonomy=taxonomy, reply_date=settings.today()
    )
    context["case_type_signed_by_minister"] = (
        taxonomy.case_type(case["case_type"]).get("signed_by") == "minister"
    )
    text = compose_draft(templates_for(settings), "holding_reply.txt.j2", context).text
    now = store.utc_now()
    with db.atomic():
        store.update_case(
            db, case["id"], {"holding_reply_sent_on": settings.today().isoformat(), "updated_at": now}
        )
        store.record_event(db, at=now, actor=actor, action="holding reply sent", case_id=case["id"])
    return text


# What a person may correct about a case besides its classification, and where each field lives.
DETAIL_FIELDS = {
    "correspondent_name": ("correspondent", "name"),
    "correspondent_type": ("correspondent", "type"),
    "constituency": ("correspondent", "constituency"),
    "address": ("correspondent", "address"),
    "answering_minister_id": ("case", "answering_minister_id"),
    "letter_date": ("case", "letter_date"),
    "their_reference": ("case", "their_reference"),
}


def correct_details(
    db: sqlite_utils.Database,
    case: dict,
    *,
    values: dict,
    reason: str,
    role: str,
    actor: str,
    settings: Settings,
    taxonomy: Taxonomy,
) -> list[str]:
    """Correct what was read from the letter (writer, minister, date, reference); return the fields changed.

    A reason is required. While nobody has edited the draft yet, it is made again from the
    corrected details; once a person has, their text is left alone and the case page says so.
    """
    if not allows(role, TRANSFER_ROLES):
        raise MoveRefused("Your role cannot correct a case's details")
    if not reason.strip():
        raise MoveRefused("Give a reason for the correction")
    correspondent = store.get_correspondent(db, case["correspondent_id"]) or {}
    current = {
        "correspondent_name": correspondent.get("name"),
        "correspondent_type": correspondent.get("type"),
        "constituency": correspondent.get("constituency"),
        "address": correspondent.get("address") or [],
        "answering_minister_id": case["answering_minister_id"],
        "letter_date": case["letter_date"],
        "their_reference": case["their_reference"],
    }
    wanted = _checked_details(db, values, taxonomy)
    changed = [name for name, value in wanted.items() if value != current[name]]
    if not changed:
        raise MoveRefused("Nothing was changed")
    now = store.utc_now()
    with db.atomic():
        people = {DETAIL_FIELDS[n][1]: wanted[n] for n in changed if DETAIL_FIELDS[n][0] == "correspondent"}
        if people:
            store.update_correspondent(db, case["correspondent_id"], people)
        fields = {DETAIL_FIELDS[n][1]: wanted[n] for n in changed if DETAIL_FIELDS[n][0] == "case"}
        store.update_case(db, case["id"], {**fields, "updated_at": now})
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="details corrected",
            case_id=case["id"],
            detail={"fields": changed},
        )
        keep_reason(db, case, reason, actor=actor, at=now)
        latest = store.latest_draft(db, case["id"])
        if latest is None or latest["created_by"] == "mincorr":
            redraft(db, case["id"], settings=settings, taxonomy=taxonomy, actor=actor)
    return changed


def _checked_details(db: sqlite_utils.Database, values: dict, taxonomy: Taxonomy) -> dict:
    """The submitted details, tidied and checked; raises MoveRefused naming what is wrong."""
    wanted = {name: (values.get(name) or "").strip() or None for name in DETAIL_FIELDS if name in values}
    if "address" in wanted:
        wanted["address"] = [
            line.strip() for line in (values.get("address") or "").splitlines() if line.strip()
        ]
    if "correspondent_name" in wanted and not wanted["correspondent_name"]:
        raise MoveRefused("The correspondent needs a name")
    if wanted.get("correspondent_type") and wanted["correspondent_type"] not in taxonomy.ids(
        "correspondent_types"
    ):
        raise MoveRefused("Choose a correspondent type from the list")
    if wanted.get("answering_minister_id") and store.minister(db, wanted["answering_minister_id"]) is None:
        raise MoveRefused("Choose a minister from the list")
    if wanted.get("letter_date"):
        try:
            dt.date.fromisoformat(wanted["letter_date"])
        except ValueError:
            raise MoveRefused("Enter the letter's date as YYYY-MM-DD, for example 2009-04-14") from None
    return wanted


LINE_CHOOSERS = ("correspondence-officer", "drafter", "unit-manager")


def choose_case_line(
    db: sqlite_utils.Database,
    case: dict,
    *,
    line_id: str,
    role: str,
    actor: str,
    settings: Settings,
    taxonomy: Taxonomy,
) -> int:
    """Answer the case from another line to take (its version in force today); return the new draft version.

    The draft is made again from the chosen line; the earlier versions stay, so a person's edits
    can be carried over by comparing them.
    """
    if not allows(role, LINE_CHOOSERS):
        raise MoveRefused("Your role cannot choose the line to take")
    if case["status"] not in ("triage", "draft", "qa"):
        raise MoveRefused(f"The line cannot be changed while the case is at {stage_name(case['status'])}")
    registers = Registers.load(db)
    line = registers.line(line_id)
    version = current_version(line, settings.today().isoformat()) if line else None
    if version is None:
        raise MoveRefused("Choose a line to take that is approved and in force")
    now = store.utc_now()
    with db.atomic():
        store.update_case(
            db, case["id"], {"line_id": line_id, "line_version": version["version"], "updated_at": now}
        )
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="line to take chosen",
            case_id=case["id"],
            detail={"from": [case["line_id"], case["line_version"]], "to": [line_id, version["version"]]},
        )
        return redraft(db, case["id"], settings=settings, taxonomy=taxonomy, actor=actor, registers=registers)


def line_in_force(registers: Registers, case: dict, on: str) -> dict | None:
    """Why the line version a case's draft cites is no longer to be used, or None if it still is."""
    if not case["line_id"]:
        return None
    line = registers.line(case["line_id"])
    cited = next((v for v in (line or {}).get("versions", []) if v["version"] == case["line_version"]), None)
    current = current_version(line, on) if line else None
    if cited and current and current["version"] == cited["version"]:
        return None
    return {
        "cited": case["line_version"],
        "status": (cited or {}).get("status", "missing"),
        "effective_to": (cited or {}).get("effective_to"),
        "replaced_by": current["version"] if current else None,
    }
