"""Reading the department's reference data from corpus/reference/ and checking it hangs together."""

from __future__ import annotations

from pathlib import Path

import yaml

from app.taxonomy import Taxonomy

FILES = ("departments", "ministers", "members", "bills", "lines_to_take")
LINE_STATUSES = {"draft", "approved", "expired"}


class ReferenceDataError(ValueError):
    """The reference data is inconsistent; the message says which file and entry."""


def read_reference_data(reference_dir: Path, taxonomy: Taxonomy) -> dict[str, list[dict]]:
    """Read every reference file, with dates as ISO text, and check it against the taxonomy."""
    data: dict[str, list[dict]] = {}
    for name in FILES:
        path = Path(reference_dir) / f"{name}.yaml"
        if not path.exists():
            raise ReferenceDataError(f"{path} is missing")
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(loaded, list):
            raise ReferenceDataError(f"{path} must be a list of entries")
        data[name] = _dates_to_text(loaded)
    _check(data, taxonomy)
    return data


def _dates_to_text(value):
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _check(data: dict[str, list[dict]], taxonomy: Taxonomy) -> None:
    topics = set(taxonomy.ids("topics"))
    departments = {d["code"] for d in data["departments"]}
    if sum(bool(d.get("own")) for d in data["departments"]) != 1:
        raise ReferenceDataError("departments.yaml must mark exactly one department as own: true")
    for kind in FILES:
        key = "code" if kind == "departments" else "id"
        ids = [entry[key] for entry in data[kind]]
        duplicates = {i for i in ids if ids.count(i) > 1}
        if duplicates:
            raise ReferenceDataError(f"{kind}.yaml has duplicate ids: {sorted(duplicates)}")
    for minister in data["ministers"]:
        for appointment in minister.get("appointments", []):
            if appointment["department"] not in departments:
                raise ReferenceDataError(
                    f"ministers.yaml: {minister['id']} has an appointment in unknown department "
                    f"{appointment['department']}"
                )
            unknown = set(appointment.get("topics") or []) - topics
            if unknown:
                raise ReferenceDataError(
                    f"ministers.yaml: {minister['id']} names unknown topics {sorted(unknown)}"
                )
    bills = {b["id"]: {str(c["number"]) for c in b.get("clauses", [])} for b in data["bills"]}
    for line in data["lines_to_take"]:
        if line["topic"] not in topics:
            raise ReferenceDataError(f"lines_to_take.yaml: {line['id']} has unknown topic {line['topic']}")
        if line.get("bill") and line["bill"] not in bills:
            raise ReferenceDataError(f"lines_to_take.yaml: {line['id']} names unknown bill {line['bill']}")
        if line.get("clause") and str(line["clause"]) not in bills.get(line.get("bill"), set()):
            raise ReferenceDataError(
                f"lines_to_take.yaml: {line['id']} names unknown clause {line['clause']}"
            )
        for version in line.get("versions", []):
            if version.get("status") not in LINE_STATUSES:
                raise ReferenceDataError(
                    f"lines_to_take.yaml: {line['id']} v{version.get('version')} has status "
                    f"{version.get('status')!r}; use one of {sorted(LINE_STATUSES)}"
                )
            if not version.get("paragraphs"):
                raise ReferenceDataError(
                    f"lines_to_take.yaml: {line['id']} v{version['version']} has no paragraphs"
                )
