"""The department's labels (corpus/taxonomy.yaml): topics, concerns, flags, case types."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Taxonomy:
    """Labels and case rules of one department, as written in its taxonomy file."""

    department: dict
    topics: list[dict]
    concerns: list[dict]
    flags: list[dict]
    correspondent_types: list[dict]
    case_types: list[dict]

    def ids(self, kind: str) -> list[str]:
        return [item["id"] for item in getattr(self, kind)]

    def label(self, kind: str, label_id: str | None) -> dict | None:
        return next((item for item in getattr(self, kind) if item["id"] == label_id), None)

    def is_parliamentarian(self, correspondent_type: str) -> bool:
        entry = self.label("correspondent_types", correspondent_type)
        return bool(entry and entry.get("parliamentarian"))

    def case_type_for(self, correspondent_type: str) -> dict:
        """The case type (MC, TO ...) that a letter from this kind of correspondent opens."""
        for case_type in self.case_types:
            if correspondent_type in case_type["correspondent_types"]:
                return case_type
        return self.case_types[-1]

    def case_type(self, case_type_id: str) -> dict:
        return next(c for c in self.case_types if c["id"] == case_type_id)

    def teams(self) -> list[str]:
        """The policy teams that own the topics, in the taxonomy's order, each once."""
        return list(dict.fromkeys(topic["team"] for topic in self.topics if topic.get("team")))

    def team_of(self, topic_id: str | None) -> str | None:
        """The team that owns a topic (None for an unknown or unclassified topic)."""
        return (self.label("topics", topic_id) or {}).get("team")

    def topics_of_team(self, team: str) -> list[str]:
        """The ids of the topics a team owns."""
        return [topic["id"] for topic in self.topics if topic.get("team") == team]


class TaxonomyError(ValueError):
    """The taxonomy file is missing something mincorr needs."""


@lru_cache(maxsize=8)
def load_taxonomy(path: Path) -> Taxonomy:
    """Read and check a taxonomy file."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for key in ("department", "topics", "concerns", "flags", "correspondent_types", "case_types"):
        if not data.get(key):
            raise TaxonomyError(f"{path}: '{key}' is missing or empty")
    for kind in ("topics", "concerns", "flags", "correspondent_types", "case_types"):
        ids = [item["id"] for item in data[kind]]
        if len(ids) != len(set(ids)):
            raise TaxonomyError(f"{path}: duplicate ids in '{kind}'")
    types = {t["id"] for t in data["correspondent_types"]}
    for case_type in data["case_types"]:
        unknown = set(case_type["correspondent_types"]) - types
        if unknown:
            raise TaxonomyError(f"{path}: case type {case_type['id']} names unknown types {sorted(unknown)}")
    return Taxonomy(**{key: data[key] for key in Taxonomy.__dataclass_fields__})
