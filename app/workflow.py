"""The stages a case moves through, from triage to dispatch, and who may move it where."""

from __future__ import annotations

from dataclasses import dataclass

# (id, name people read) in the order a case normally moves.
STAGES: tuple[tuple[str, str], ...] = (
    ("triage", "Needs triage"),
    ("draft", "Drafting"),
    ("qa", "Quality check"),
    ("private-office", "Private office"),
    ("minister", "Minister sign-off"),
    ("dispatch", "Ready to dispatch"),
    ("closed", "Replied"),
    ("transferred", "Transferred"),
    ("no-reply", "No reply needed"),
)
STAGE_NAMES = dict(STAGES)
OPEN_STAGES = ("triage", "draft", "qa", "private-office", "minister", "dispatch")
CLOSED_STAGES = ("closed", "transferred", "no-reply")


def stage_name(stage: str | None) -> str:
    """The name of a stage as the unit reads it ('private-office' -> 'Private office')."""
    return STAGE_NAMES.get(stage or "", (stage or "").replace("-", " ").capitalize())


class MoveRefused(ValueError):
    """A case cannot be moved as asked; the message says why, in words for the person who asked."""


@dataclass(frozen=True)
class Move:
    """One way a case may move between stages, and who may make it."""

    id: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    needs_reason: bool = False
    # Only for case types whose replies the minister signs (MC), or only for the others (TO).
    signed_by: str | None = None


OFFICERS = ("correspondence-officer", "unit-manager")
DRAFTERS = ("drafter", "unit-manager")
MOVES: tuple[Move, ...] = (
    Move("send-to-qa", "Send for quality check", ("draft",), "qa", DRAFTERS),
    Move(
        "pass-qa",
        "Pass quality check and send to private office",
        ("qa",),
        "private-office",
        DRAFTERS,
        signed_by="minister",
    ),
    Move(
        "pass-qa-official",
        "Pass quality check: ready to dispatch",
        ("qa",),
        "dispatch",
        DRAFTERS,
        signed_by="official",
    ),
    Move("return-from-qa", "Return to the drafter", ("qa",), "draft", DRAFTERS, needs_reason=True),
    Move(
        "submit-to-minister", "Submit to the minister", ("private-office",), "minister", ("private-office",)
    ),
    Move(
        "return-from-private-office",
        "Return to the drafter",
        ("private-office",),
        "draft",
        ("private-office",),
        needs_reason=True,
    ),
    Move("approve", "Approve and sign", ("minister",), "dispatch", ("minister", "private-office")),
    Move(
        "return-from-minister",
        "Return to private office",
        ("minister",),
        "private-office",
        ("minister", "private-office"),
        needs_reason=True,
    ),
    Move("dispatch", "Dispatch the reply", ("dispatch",), "closed", OFFICERS),
    Move(
        "return-from-dispatch", "Return to the drafter", ("dispatch",), "draft", OFFICERS, needs_reason=True
    ),
    Move("no-reply", "No reply needed", ("triage", "draft"), "no-reply", OFFICERS, needs_reason=True),
    Move("reopen", "Reopen the case", CLOSED_STAGES, "draft", ("unit-manager",), needs_reason=True),
)
MOVES_BY_ID = {move.id: move for move in MOVES}
# Stages at which the draft may be edited, and by whom.
EDITORS = {
    "triage": DRAFTERS,
    "draft": DRAFTERS,
    "qa": DRAFTERS,
    "private-office": ("private-office",),
}
TRANSFER_ROLES = OFFICERS
TRANSFER_STAGES = ("triage", "draft")


def allows(role: str, roles: tuple[str, ...]) -> bool:
    """Whether a user with `role` may do what `roles` may do (an admin may do anything)."""
    return role == "admin" or role in roles


def moves_for(case: dict, case_type: dict, role: str) -> list[Move]:
    """The moves `role` may make on `case` where it stands now."""
    signed_by = case_type.get("signed_by", "minister")
    return [
        move
        for move in MOVES
        if case["status"] in move.sources and move.signed_by in (None, signed_by) and allows(role, move.roles)
    ]


def can_edit_draft(case: dict, role: str) -> bool:
    """Whether `role` may save a new version of the draft at the case's stage."""
    return allows(role, EDITORS.get(case["status"], ()))


def check_move(case: dict, case_type: dict, role: str, move_id: str, reason: str) -> Move:
    """Return the move if `role` may make it on `case` now, else raise MoveRefused saying why."""
    move = MOVES_BY_ID.get(move_id)
    if move is None:
        raise MoveRefused(f"There is no action called {move_id!r}")
    if case["status"] not in move.sources:
        raise MoveRefused(f"“{move.label}” cannot be done while the case is at {stage_name(case['status'])}")
    if move.signed_by not in (None, case_type.get("signed_by", "minister")):
        raise MoveRefused(f"“{move.label}” does not apply to {case_type.get('name', 'this case type')}")
    if not allows(role, move.roles):
        raise MoveRefused(f"Your role cannot “{move.label.lower()}”")
    if move.needs_reason and not reason.strip():
        raise MoveRefused("Give a reason: the next person needs to know why")
    return move
