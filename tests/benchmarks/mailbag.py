"""A synthetic mailbag for benchmarks: the corpus letters, varied so no two are the same.

Each letter keeps its labels; its names, dates, reference numbers, spelling, case and paragraph
order are changed at random, and some letters lose or repeat a sentence. The variation is for
measuring speed and memory at volume, not accuracy.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

FIRST = [
    "Amira",
    "Tom",
    "Grace",
    "Dylan",
    "Priya",
    "Owen",
    "Siobhan",
    "Marek",
    "Ruth",
    "Kwame",
    "Nia",
    "Harvey",
]
LAST = [
    "Patel",
    "Jones",
    "O'Neill",
    "Nowak",
    "Hughes",
    "Begum",
    "Clarke",
    "Mensah",
    "Evans",
    "Walsh",
    "Price",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October"]
NAME_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr) [A-Z][a-z]+\b")
MONTH_NAMES = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_RE = re.compile(rf"\b\d{{1,2}} ({MONTH_NAMES}) (20\d\d)\b")


def corpus_letters(corpus_dir: Path) -> list[dict]:
    """Every labelled letter of the corpus."""
    return [
        json.loads(line)
        for path in sorted(Path(corpus_dir).glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def vary(text: str, rng: random.Random) -> str:
    """One plausible variant of a letter."""
    text = NAME_RE.sub(lambda m: f"{m.group(1)} {rng.choice(LAST)}", text)
    text = DATE_RE.sub(lambda m: f"{rng.randint(1, 28)} {rng.choice(MONTHS)} {m.group(2)}", text)
    text = re.sub(r"\d{3,}", lambda m: str(rng.randint(100, 99999)), text)
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 4 and rng.random() < 0.3:
        middle = paragraphs[2:-2]
        rng.shuffle(middle)
        paragraphs = paragraphs[:2] + middle + paragraphs[-2:]
    if rng.random() < 0.2:
        paragraphs.insert(
            min(2, len(paragraphs)), f"I am writing as {rng.choice(FIRST)} {rng.choice(LAST)}'s neighbour."
        )
    text = "\n\n".join(paragraphs)
    if rng.random() < 0.1:
        text = text.upper()
    if rng.random() < 0.3:  # a few typos
        chars = list(text)
        for _ in range(rng.randint(1, 6)):
            i = rng.randrange(1, len(chars) - 1)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        text = "".join(chars)
    return text


def mailbag(letters: list[dict], size: int, seed: int = 7) -> Iterator[dict]:
    """Yield `size` varied letters (with their labels), lazily, so a large bag costs no memory."""
    rng = random.Random(seed)
    for number in range(size):
        letter = letters[number % len(letters)]
        yield {**letter, "id": f"bench-{number}", "text": vary(letter["text"], rng)}
