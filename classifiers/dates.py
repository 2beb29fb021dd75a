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
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+|(?:dydd\s+\w+,?\s+))?"
PATTERNS = [
    re.compile(rf"\b{_WEEKDAY}{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<day>[0-3]?\d)[/.\-](?P<mon>[01]?\d)[/.\-](?P<year>(?:19|20)?\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mon>[01]\d)-(?P<day>[0-3]\d)\b"),
]


def find_dates(text: str) -> list[tuple[int, int, dt.date]]:
    """Return (start, end, date) for each valid date written in `text`, in order, without overlaps."""
    found: list[tuple[int, int, dt.date]] = []
    for pattern in PATTERNS:
        for match in pattern.finditer(text):
            value = _to_date(match)
            if value is None:
                continue
            if any(s < match.end() and match.start() < e for s, e, _ in found):
                continue
            found.append((match.start(), match.end(), value))
    return sorted(found)


def _to_date(match: re.Match) -> dt.date | None:
    groups = match.groupdict()
    month = MONTHS.get(groups["month"].lower()) if groups.get("month") else int(groups["mon"])
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
