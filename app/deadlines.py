"""Working days and due dates.

A working day is Monday to Friday and not a bank holiday of the configured UK region.
Day 1 is the first working day after the day a letter is received; a reply is due on
day N (20 by default). Dates in, dates out: nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

# The holidays package names the UK regions by these subdivision codes.
REGIONS = {
    "ENG": "England and Wales",
    "WLS": "England and Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}


@lru_cache(maxsize=64)
def _bank_holidays(region: str, year: int) -> frozenset[dt.date]:
    if region not in REGIONS:
        raise ValueError(f"unknown bank-holiday region {region!r}; use one of {sorted(REGIONS)}")
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year).keys())


def is_working_day(day: dt.date, region: str = "ENG") -> bool:
    """Tell whether `day` is a working day: a weekday that is not a bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(region, day.year)


def add_working_days(received: dt.date, days: int, region: str = "ENG") -> dt.date:
    """Return working day number `days` counting day 1 as the first working day after `received`."""
    if days < 1:
        raise ValueError("a target is at least one working day")
    day, counted = received, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if is_working_day(day, region):
            counted += 1
    return day


def working_days_between(start: dt.date, end: dt.date, region: str = "ENG") -> int:
    """Count the working days after `start` up to and including `end` (negative if end is earlier)."""
    if end < start:
        return -working_days_between(end, start, region)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if is_working_day(day, region):
            count += 1
    return count


# The deadlines page's windows, in working days after the working date.
THIS_WEEK_WORKING_DAYS = 5
AMBER_WORKING_DAYS = 3
RAG_WORDS = {
    "red": "Overdue",
    "amber": f"Due within {AMBER_WORKING_DAYS} working days",
    "green": "On track",
}


def week_end(today: dt.date, region: str = "ENG") -> dt.date:
    """The last day of 'due this week': the fifth working day after `today`."""
    return add_working_days(today, THIS_WEEK_WORKING_DAYS, region)


def rag_status(due: dt.date, today: dt.date, region: str = "ENG") -> str:
    """Red when overdue, amber when due within 3 working days (today included), green otherwise."""
    if due < today:
        return "red"
    if due <= add_working_days(today, AMBER_WORKING_DAYS, region):
        return "amber"
    return "green"
