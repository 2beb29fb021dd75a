"""Lines to take by meaning: which approved lines a letter is closest to, with a score for each.

A letter that names its bill or clause is linked to that line (registers.choose_line); one that
names nothing is matched by meaning, so that a person sees the ranked lines and can choose another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from app.linking.registers import Registers, current_version

MIN_SCORE = 0.05


@dataclass(frozen=True)
class RankedLine:
    """A line to take in force, how close a letter is to it (0 to 1), and the version that would be used."""

    line_id: str
    version: int
    subject: str
    topic: str
    score: float


def line_text(line: dict, version: dict) -> str:
    """What a line says, for matching: its subject, what it is about and its paragraphs."""
    return "\n".join([line.get("subject") or "", line.get("about") or "", *version["paragraphs"]])


def rank_lines(registers: Registers, text: str, on: str, limit: int = 3) -> list[RankedLine]:
    """The approved lines in force on `on` that are closest in meaning to `text`, best first."""
    in_force = tuple(
        RankedLine(line["id"], version["version"], line.get("subject") or line["id"], line["topic"], 0.0)
        for line in registers.lines
        if (version := current_version(line, on))
    )
    if not in_force or not text.strip():
        return []
    texts = tuple(line_text(registers.line(r.line_id), _version(registers, r)) for r in in_force)
    vectorizer, matrix = _line_index(texts)
    scores = linear_kernel(vectorizer.transform([text]), matrix).ravel()
    ranked = sorted(zip(scores, in_force, strict=True), key=lambda item: -item[0])
    return [replace(line, score=round(float(s), 3)) for s, line in ranked[:limit] if s >= MIN_SCORE]


def _version(registers: Registers, ranked: RankedLine) -> dict:
    return next(v for v in registers.line(ranked.line_id)["versions"] if v["version"] == ranked.version)


@lru_cache(maxsize=16)
def _line_index(texts: tuple[str, ...]):
    """The TF-IDF of the lines in force, fitted once for each set of lines rather than per letter."""
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", ngram_range=(1, 2), min_df=1)
    return vectorizer, vectorizer.fit_transform(texts)
