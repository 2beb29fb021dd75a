"""Targets per case type and the bank-holiday region, as changed by an admin in the app.

The taxonomy file gives each case type its targets and the environment gives the region; a
value an admin saves in the app (the app_settings table) wins over both. Opening a case reads
them through `case_type_target` and `holiday_region`, so a change applies to cases opened
afterwards; cases already open keep the dates they were given.
"""

from __future__ import annotations

import sqlite_utils

from app import store
from app.config import Settings
from app.store.app_settings import (
    clear_setting,
    get_setting,
    get_setting_row,
    set_setting,
    settings_with_prefix,
)

# The regions a unit may follow (codes of the `holidays` package), with the names people read.
HOLIDAY_REGIONS = {"ENG": "England and Wales", "SCT": "Scotland", "NIR": "Northern Ireland"}
# The targets a case type has, and what people call them.
TARGET_FIELDS = {"target_working_days": "reply", "draft_working_days": "draft"}
REGION_KEY = "holiday_region"
MAX_WORKING_DAYS = 100


class SettingError(ValueError):
    """A setting cannot be saved as asked; the message says why, for the person who asked."""


def _target_key(field: str, case_type_id: str) -> str:
    return f"{field}:{case_type_id}"


def case_type_target(db: sqlite_utils.Database, case_type: dict) -> dict:
    """The case type (as in the taxonomy) with its working-day targets as the admin last set them."""
    result = dict(case_type)
    for field in TARGET_FIELDS:
        value = get_setting(db, _target_key(field, case_type["id"]))
        if value is not None:
            result[field] = int(value)
    return result


def holiday_region(db: sqlite_utils.Database, settings: Settings) -> str:
    """The bank-holiday region to count working days in: the admin's choice, else the settings'."""
    return get_setting(db, REGION_KEY) or settings.holiday_region


def target_changes(db: sqlite_utils.Database) -> dict[str, dict]:
    """Who last set each target and when, keyed by '<field>:<case type>'."""
    return {key: row for field in TARGET_FIELDS for key, row in settings_with_prefix(db, f"{field}:").items()}


def region_change(db: sqlite_utils.Database) -> dict | None:
    """Who last set the region and when, if it has been set in the app."""
    return get_setting_row(db, REGION_KEY)


def _working_days(text: str, what: str) -> int | None:
    """Read a number of working days typed by a person; blank means 'use the taxonomy's'."""
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKING_DAYS:
        raise SettingError(f"{what} must be a whole number of working days from 1 to {MAX_WORKING_DAYS}")
    return int(text)


def _parse_targets(case_type: dict, values: dict[str, str]) -> dict[str, int | None]:
    """The targets typed for one case type (None where blank); raises SettingError if they make no sense."""
    parsed = {
        field: _working_days(values.get(field, ""), f"The {name} target for {case_type['id']}")
        for field, name in TARGET_FIELDS.items()
    }
    effective = {field: parsed[field] or int(case_type.get(field, 0)) for field in TARGET_FIELDS}
    if effective["draft_working_days"] > effective["target_working_days"]:
        raise SettingError(
            f"The draft target for {case_type['id']} must not be later than its reply target "
            f"({effective['target_working_days']} working days)"
        )
    return parsed


def save_department_settings(
    db: sqlite_utils.Database,
    case_types: list[dict],
    targets: dict[str, dict[str, str]],
    region: str,
    *,
    actor: str,
    now: str,
) -> dict[str, str]:
    """Save the targets typed per case type id (blank restores the taxonomy's) and the region.

    Returns the problems keyed by case type id or "region"; if there is any, nothing is saved.
    Each change is recorded in the event log.
    """
    errors, parsed = {}, {}
    for case_type in case_types:
        try:
            parsed[case_type["id"]] = _parse_targets(case_type, targets.get(case_type["id"], {}))
        except SettingError as error:
            errors[case_type["id"]] = str(error)
    if region not in HOLIDAY_REGIONS:
        errors["region"] = f"Choose a bank-holiday region: {', '.join(HOLIDAY_REGIONS.values())}"
    if errors:
        return errors
    with db.atomic():
        for case_type_id, values in parsed.items():
            _save_targets(db, case_type_id, values, actor=actor, now=now)
        if get_setting(db, REGION_KEY) != region:
            set_setting(db, REGION_KEY, region, changed_by=actor, changed_at=now)
            store.record_event(
                db, at=now, actor=actor, action="holiday region changed", detail={"region": region}
            )
    return {}


def _save_targets(
    db: sqlite_utils.Database, case_type_id: str, values: dict, *, actor: str, now: str
) -> None:
    """Store one case type's targets where they changed, and record the change."""
    before = {field: get_setting(db, _target_key(field, case_type_id)) for field in TARGET_FIELDS}
    after = {field: None if value is None else str(value) for field, value in values.items()}
    if before == after:
        return
    for field, value in after.items():
        if value is None:
            clear_setting(db, _target_key(field, case_type_id))
        else:
            set_setting(db, _target_key(field, case_type_id), value, changed_by=actor, changed_at=now)
    store.record_event(
        db, at=now, actor=actor, action="targets changed", detail={"case_type": case_type_id, **values}
    )
