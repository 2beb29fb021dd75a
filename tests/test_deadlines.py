"""Due dates by the Day-1 rule, checked against a table of dates around weekends and bank holidays."""

import datetime as dt

import pytest

from app.deadlines import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        (D(2025, 6, 7), 20, D(2025, 7, 4)),  # received Saturday 7 June 2025: due Friday 4 July
        (D(2009, 4, 16), 20, D(2009, 5, 15)),  # the seed letter: Early May bank holiday (4 May) skipped
        (D(2009, 4, 16), 10, D(2009, 4, 30)),  # the seed's internal draft deadline
        (D(2025, 6, 6), 1, D(2025, 6, 9)),  # received Friday: day 1 is Monday
        (D(2025, 6, 8), 1, D(2025, 6, 9)),  # received Sunday: day 1 is Monday
        (D(2025, 6, 9), 1, D(2025, 6, 10)),  # received Monday: day 1 is Tuesday, not the same day
        (D(2025, 4, 17), 1, D(2025, 4, 22)),  # Thursday before Easter: Good Friday and Easter Monday skipped
        (D(2025, 4, 17), 20, D(2025, 5, 20)),  # ... and the Early May bank holiday (5 May 2025) too
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Good Friday 29 March and Easter Monday 1 April 2024
        (D(2025, 12, 24), 1, D(2025, 12, 29)),  # Christmas Day and Boxing Day, then the weekend
        (D(2020, 12, 24), 1, D(2020, 12, 29)),  # Boxing Day on a Saturday: substitute Monday 28th
        (D(2021, 12, 24), 1, D(2021, 12, 29)),  # Christmas on Saturday: substitutes Mon 27 and Tue 28
        (D(2022, 12, 23), 1, D(2022, 12, 28)),  # Christmas on Sunday: substitute Tuesday 27th
        (D(2021, 12, 31), 1, D(2022, 1, 4)),  # New Year's Day on Saturday: substitute Monday 3 January
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # the Queen's state funeral, Monday 19 September 2022
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # the coronation bank holiday, Monday 8 May 2023
    ],
)
def test_due_date_by_day_one_rule(received, days, due):
    assert add_working_days(received, days) == due


def test_scotland_keeps_its_own_bank_holidays():
    # 2 January is a bank holiday in Scotland but not in England and Wales.
    assert not is_working_day(D(2025, 1, 2), region="SCT")
    assert is_working_day(D(2025, 1, 2), region="ENG")


def test_working_days_between_counts_after_the_start():
    assert working_days_between(D(2025, 6, 7), D(2025, 7, 4)) == 20
    assert working_days_between(D(2025, 7, 4), D(2025, 6, 7)) == -20


def test_unknown_region_is_refused():
    with pytest.raises(ValueError, match="unknown bank-holiday region"):
        add_working_days(D(2025, 1, 1), 5, region="XYZ")


def test_a_target_is_at_least_one_day():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), 0)
