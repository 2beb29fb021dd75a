"""What a letter mentions: bills and Acts, clauses, Parts and Schedules, and constituents."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TITLE_WORD = r"(?:[A-Z][\w'’&-]*|\([A-Za-z ]+\))"
_JOINER = r"(?:and|of|the|for|on|in|to|&|etc\.?)"
# Between the words of a title: spaces, a comma, or one line break (a title wrapped in a paragraph).
_GAP = r"(?:,[ \t]+|[ \t]+|[ \t]*\n[ \t]*)"
BILL_RE = re.compile(
    rf"\b(?P<title>{_TITLE_WORD}(?:{_GAP}(?:{_TITLE_WORD}|{_JOINER}))*?){_GAP}(?P<kind>Bill|Act)"
    rf"(?:\s+(?P<year>(?:19|20)\d\d))?(?:\s*\[HL\])?",
)
CLAUSE_RE = re.compile(
    r"\b(?P<word>clauses?|cl\.)\s*(?P<first>\d{1,3}[A-Z]?)"
    r"(?:\s*(?:,|and|to|-|–|&)\s*(?P<second>\d{1,3}[A-Z]?))?",
    re.I,
)
PART_RE = re.compile(r"\bPart\s+(?P<number>\d{1,2}[A-Z]?|[IVXL]{1,5})\b")
SCHEDULE_RE = re.compile(r"\bSchedule\s+(?P<number>\d{1,2}[A-Z]?)\b")

_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Revd|Rev)\.?"
_NAME = r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2}"
NAMED_CONSTITUENT_RE = re.compile(
    rf"\bconstituents?,?\s+(?P<name>{_TITLE}\s+(?:and\s+{_TITLE}\s+)?{_NAME}|{_NAME})"
    r"(?:,?\s+(?:of|who lives at|living at)\s+(?P<address>[^.;:\n]{3,80}?\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b))?"
)
PLURAL_CONSTITUENTS_RE = re.compile(
    r"\b(?P<quantity>several|a number of|many|numerous|some|a few|various|a group of|hundreds of"
    r"|dozens of|two|three|four|five|six|a large number of)\s+(?:of\s+my\s+)?constituents\b"
    r"|\bon behalf of (?:my |local )?constituents\b|\bconstituents have (?:contacted|written|been in touch|raised)",
    re.I,
)
SINGLE_CONSTITUENT_RE = re.compile(
    r"\b(?:on behalf of (?:a|my|one of my) constituent|(?:a|my|one of my) constituent)\b(?!s)", re.I
)
# Words after "constituent" that are not a name even though capitalised at a sentence start.
_NOT_NAMES = {"I", "The", "He", "She", "They", "This", "Who", "Her", "His", "We", "It", "In", "On", "As"}
_QUANTITY_IN_REPLY = {
    "a number of": "a number of",
    "many": "many",
    "numerous": "many",
    "a large number of": "a large number of",
}


@dataclass(frozen=True)
class Mention:
    """A piece of text that names something, with its position."""

    kind: str
    text: str
    start: int
    end: int
    value: str


def find_legislation(text: str) -> list[Mention]:
    """Return the bills, Acts, clauses, Parts and Schedules a text names."""
    found: list[Mention] = []
    titled = "Bill" in text or "Act" in text  # the title pattern is costly; most letters name neither
    for match in BILL_RE.finditer(text) if titled else ():
        words = match.group("title").split()
        while words and (
            words[0].lower() in {"the", "and", "of", "this", "a", "an", "new"}
            or words[0] in {"Dear", "Re:", "RE:"}
        ):
            words.pop(0)
        if not words:
            continue
        title = " ".join(words) + " " + match.group("kind")
        year = match.group("year")
        if year:
            title += f" {year}"
        start = match.start("title") + match.group("title").find(words[0])
        found.append(
            Mention(match.group("kind").lower(), text[start : match.end()], start, match.end(), title)
        )
    # Each pattern runs only where its key word appears: most letters name no clause, Part or Schedule.
    for match in CLAUSE_RE.finditer(text) if ("lause" in text or "LAUSE" in text or "cl." in text) else ():
        numbers = [match.group("first")] + ([match.group("second")] if match.group("second") else [])
        for number in numbers:
            found.append(Mention("clause", match.group(0), match.start(), match.end(), number.upper()))
    for match in PART_RE.finditer(text) if "Part " in text else ():
        found.append(Mention("part", match.group(0), match.start(), match.end(), match.group("number")))
    for match in SCHEDULE_RE.finditer(text) if "Schedule " in text else ():
        found.append(Mention("schedule", match.group(0), match.start(), match.end(), match.group("number")))
    return sorted(found, key=lambda m: (m.start, m.kind))


@dataclass(frozen=True)
class Constituents:
    """Who a parliamentarian writes for: named constituents or an unnamed group."""

    on_behalf: bool
    names: tuple[dict, ...]
    phrase: str
    evidence: tuple[Mention, ...]


def find_constituents(text: str) -> Constituents:
    """Say whether a letter is written on behalf of constituents, and name them where it does."""
    names: list[dict] = []
    evidence: list[Mention] = []
    if "onstituent" not in text and "ONSTITUENT" not in text:
        return Constituents(False, (), "", ())
    for match in NAMED_CONSTITUENT_RE.finditer(text):
        name = match.group("name").strip()
        if name.split()[0] in _NOT_NAMES:
            continue
        if any(existing["name"] == name for existing in names):
            continue
        names.append({"name": name, "address": (match.group("address") or "").strip() or None})
        evidence.append(Mention("constituent", match.group(0), match.start(), match.end(), name))
    plural = PLURAL_CONSTITUENTS_RE.search(text)
    if names:
        if len(names) == 1:
            person = names[0]
            phrase = f"your constituent {person['name']}"
            if person["address"]:
                phrase += f" of {person['address']}"
        else:
            phrase = (
                "your constituents " + ", ".join(p["name"] for p in names[:-1]) + f" and {names[-1]['name']}"
            )
        return Constituents(True, tuple(names), phrase, tuple(evidence))
    if plural:
        quantity = (plural.group("quantity") or "").lower()
        phrase = f"{_QUANTITY_IN_REPLY.get(quantity, 'several')} constituents"
        evidence.append(Mention("constituents", plural.group(0), plural.start(), plural.end(), phrase))
        return Constituents(True, (), phrase, tuple(evidence))
    single = SINGLE_CONSTITUENT_RE.search(text)
    if single:
        evidence.append(
            Mention("constituent", single.group(0), single.start(), single.end(), "a constituent")
        )
        return Constituents(True, (), "a constituent", tuple(evidence))
    return Constituents(False, (), "", ())
