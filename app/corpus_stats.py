"""Counts of the labelled corpus, as a Markdown table: `python -m app.corpus_stats`."""

from __future__ import annotations

from collections import Counter

from app.config import PROJECT_ROOT
from app.models import read_labelled_letters
from app.taxonomy import load_taxonomy


def corpus_counts(letters: list[dict]) -> dict[str, Counter]:
    """Letters per topic, concern, flag, correspondent type and language."""
    return {
        "topic": Counter(letter["topic"] for letter in letters),
        "concern": Counter(letter["concern"] for letter in letters),
        "flag": Counter(flag for letter in letters for flag in letter.get("flags") or []),
        "correspondent type": Counter(letter.get("correspondent_type", "unknown") for letter in letters),
        "language": Counter(letter.get("language", "en") for letter in letters),
    }


def counts_markdown(letters: list[dict]) -> str:
    lines = [f"{len(letters)} letters.", ""]
    for kind, counts in corpus_counts(letters).items():
        lines += [f"| {kind} | letters |", "|---|---|"]
        lines += [f"| {label} | {n} |" for label, n in sorted(counts.items())]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    taxonomy = load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml")
    print(counts_markdown(read_labelled_letters(PROJECT_ROOT / "corpus" / "letters", taxonomy)))


if __name__ == "__main__":
    main()
