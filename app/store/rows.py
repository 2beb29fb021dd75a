"""Turning Python values into stored columns and back (JSON columns, booleans)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def to_json(value: Any) -> str | None:
    """Serialise a value for a JSON text column; None stays NULL."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def from_json(text: str | None, default: Any = None) -> Any:
    """Read a JSON text column; NULL gives `default`."""
    if text is None or text == "":
        return default
    return json.loads(text)


def encode(record: dict, json_columns: Iterable[str], bool_columns: Iterable[str] = ()) -> dict:
    """Return a copy of `record` ready to store: JSON columns serialised, flags as 0 or 1."""
    record = dict(record)
    for column in json_columns:
        if column in record:
            record[column] = to_json(record[column])
    for column in bool_columns:
        if column in record and record[column] is not None:
            record[column] = int(bool(record[column]))
    return record


def decode(row: dict | None, json_columns: Iterable[str], bool_columns: Iterable[str] = ()) -> dict | None:
    """Return a copy of `row` with its JSON columns parsed and its flag columns as booleans."""
    if row is None:
        return None
    row = dict(row)
    for column in json_columns:
        if column in row:
            row[column] = from_json(row[column])
    for column in bool_columns:
        if column in row and row[column] is not None:
            row[column] = bool(row[column])
    return row
