"""Dates as written in letters: '14 April 2009', '14th April, 2009', 'April 14, 2009', '14/04/2009'."""

from __future__ import annotations

import datetime as dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "ionawr"),
            ("february", "feb", "chwefror"),
            ("march", "mar", "mawrth"),
            ("april", "apr", "ebrill"),
            ("may", "mai"),
            ("june", "jun", "mehefin"),
            ("july", "jul", "gorffennaf"),
            ("august", "aug", "awst"),
            ("september", "sep", "sept", "medi"),
            ("october", "oct", "hydref"),
            ("november", "nov", "tachwedd"),
            ("december", "dec", "rhagfyr"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|af|ydd|fed|eg)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
# Day first ("14 April 2009", "14th of April, 2009"), numeric ("14/04/2009") and ISO ("2009-04-14")
# dates start with a digit: they are tried only where a run of digits begins, which is far quicker
# than scanning every position of a letter with case-insensitive month names.
DIGIT_FIRST = [
    re.compile(rf"{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(r"(?P<day>[0-3]?\d)[/.\-](?P<mon>[01]?\d)[/.\-](?P<year>(?:19|20)?\d\d)\b"),
]
DIGIT_START = re.compile(r"(?<![\w/.\-])\d")
# Month first ("April 14, 2009") is rare in British post; it is found with capitalised month names.
MONTH_FIRST = re.compile(
    r"\b(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*)\.?\s+"
    r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
)


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Return (start, end, date) for each valid date written in `text`, in order, without overlaps."""
    found: list[tuple[int, int, dt.date]] = []
    position = 0
    for anchor in DIGIT_START.finditer(text):
        if anchor.start() < position:
            continue
        for pattern in DIGIT_FIRST:
            match = pattern.match(text, anchor.start())
            if match and (value := _to_date(match)) is not None:
                found.append((match.start(), match.end(), value))
                position = match.end()
                break
    # "April 14, 2009": a month-first date nearly always has a comma before its year.
    for match in MONTH_FIRST.finditer(text) if (", 19" in text or ", 20" in text) else ():
        value = _to_date(match)
        if value is not None and not any(s < match.end() and match.start() < e for s, e, _ in found):
            found.append((match.start(), match.end(), value))
    return sorted(found)


def _to_date(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    month = MONTHS.get(groups["month"].lower().rstrip(".")) if groups.get("month") else int(groups["mon"])
    year = int(groups["year"])
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return dt.date(year, month, int(groups["day"]))
    except (TypeError, ValueError):
        return None


def parse_date(text: str) -> dt.date | None:
    """Return the first date written in `text`, if any."""
    found = find_dates(text)
    return found[0][2] if found else None
