"""A redline between two texts of a draft: what was deleted and what was inserted, word by word."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TOKEN = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """A run of text that is the same in both versions ('equal'), or was 'delete'd or 'insert'ed."""

    op: str
    text: str


def redline(before: str, after: str) -> list[Change]:
    """The changes that turn `before` into `after`, at the level of words and punctuation."""
    old, new = TOKEN.findall(before), TOKEN.findall(after)
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    changes: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            changes.append(Change("equal", "".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            changes.append(Change("delete", "".join(old[i1:i2])))
        if op in ("insert", "replace"):
            changes.append(Change("insert", "".join(new[j1:j2])))
    return changes


def change_counts(changes: list[Change]) -> dict[str, int]:
    """How many words were deleted and inserted, for a one-line summary."""
    counts = {"delete": 0, "insert": 0}
    for change in changes:
        if change.op in counts:
            counts[change.op] += len(re.findall(r"\w+", change.text))
    return counts
