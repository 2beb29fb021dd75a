"""The stages a case moves through, from triage to dispatch, and who may move it where."""

from __future__ import annotations

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
