"""The timeliness report: figures on a small set of cases, the page, the SVG chart and the CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET

import pytest

from app import store
from app.reports import bar_chart_svg, timeliness_report
from tests.test_deadlines_page import add_case
from tests.web_helpers import USERS, sign_in

PERIOD = "from-day=1&from-month=1&from-year=2025&to-day=31&to-month=3&to-year=2025"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def trained_db(db):
    """Reports need no classifier: the web app runs on the database without training one."""
    return db


@pytest.fixture
def cases(db):
    """Six cases received in the first quarter of 2025, one before it and one transferred."""

    def case(reference, received, due, answered_on=None, status="draft", **fields):
        case_id = add_case(db, reference, due, received=received, **fields)
        if answered_on:
            store.update_case(db, case_id, {"answered_on": answered_on, "status": "closed"})
        elif status != "draft":
            store.update_case(db, case_id, {"status": status})

    mahmood, sackman = "shabana-mahmood", "sarah-sackman"
    case("MC100001", "2025-01-10", "2025-02-07", "2025-02-05", answering_minister_id=mahmood)  # in time
    case("MC100002", "2025-01-20", "2025-02-17", "2025-02-20", answering_minister_id=mahmood)  # late
    case("TO100003", "2025-02-03", "2025-03-03", topic="family-justice")  # not answered yet
    case("TO100004", "2025-02-10", "2025-03-10", "2025-03-10", topic="family-justice")  # on the due date
    case("MC100005", "2025-03-31", "2025-04-29", "2025-04-01", answering_minister_id=None)  # in time
    case("MC100006", "2025-02-12", "2025-03-12", status="transferred")  # another department answers
    case("MC100007", "2024-12-20", "2025-01-22", "2025-01-10")  # received before the period
    case("TO100008", "2025-03-03", "2025-03-31", status="no-reply", answering_minister_id=sackman)
    return db


def figures(row) -> tuple:
    return (row.label, row.received, row.answered, row.within_target, row.percent)


def test_figures_by_month_minister_topic_and_case_type(cases, taxonomy):
    report = timeliness_report(cases, dt.date(2025, 1, 1), dt.date(2025, 3, 31), taxonomy)
    assert figures(report.total) == ("All cases", 6, 4, 3, 50.0)
    assert [figures(r) for r in report.groups["month"]] == [
        ("January 2025", 2, 2, 1, 50.0),
        ("February 2025", 2, 1, 1, 50.0),
        ("March 2025", 2, 1, 1, 50.0),
    ]
    assert sorted(figures(r) for r in report.groups["case_type"]) == [
        ("Ministerial correspondence (MC)", 3, 3, 2, 66.7),
        ("Treat official (TO)", 3, 1, 1, 33.3),
    ]
    assert sorted(figures(r) for r in report.groups["topic"]) == [
        ("Courts and tribunals", 4, 3, 2, 50.0),
        ("Family justice", 2, 1, 1, 50.0),
    ]
    assert sorted(figures(r) for r in report.groups["minister"]) == [
        ("No answering minister", 1, 1, 1, 100.0),
        ("Sarah Sackman", 3, 1, 1, 33.3),
        ("Shabana Mahmood", 2, 2, 1, 50.0),
    ]
    empty = timeliness_report(cases, dt.date(2023, 1, 1), dt.date(2023, 2, 28), taxonomy)
    assert [figures(r) for r in empty.groups["month"]] == [
        ("January 2023", 0, 0, 0, None),
        ("February 2023", 0, 0, 0, None),
    ]


def test_the_page_shows_the_figures_a_chart_and_the_exclusion(client, cases):
    sign_in(client, "manager")
    html = client.get(f"/reports?{PERIOD}").get_data(as_text=True)
    assert re.search(r'data-figure="received">6<', html)
    assert re.search(r'data-figure="within-target">3<', html)
    assert re.search(r'data-figure="percent">50%<', html)
    assert "Transferred cases are not counted" in html
    assert "Cases received from 1 January 2025 to 31 March 2025" in html
    assert '<th scope="row" class="govuk-table__header">Shabana Mahmood</th>' in html
    svg = ET.fromstring(re.search(r"<svg.*?</svg>", html, re.S).group(0))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Percentage of cases answered within target, by month received"
    assert "January 2025: 50%" in svg.find(f"{SVG}desc").text
    assert len(svg.findall(f".//{SVG}rect")) == 3
    assert f'href="/reports.csv?{PERIOD}"' in html.replace("&amp;", "&")
    assert cases["events"].count_where("action = 'timeliness report viewed'") == 1


def test_the_period_may_also_be_given_as_iso_dates(client, cases):
    sign_in(client, "private-office")
    html = client.get("/reports?from=2025-01-01&to=2025-03-31").get_data(as_text=True)
    assert re.search(r'data-figure="received">6<', html)
    assert re.search(
        r'<th scope="row" class="govuk-table__header">January 2025</th>\s*'
        r"(<td [^>]*>2</td>\s*){2}<td [^>]*>1</td>\s*<td [^>]*>50%</td>",
        html,
    )
    assert re.search(r'name="from-year"[^>]*value="2025"', html)
    assert "Enter a real date" in client.get("/reports?from=2025-02-30").get_data(as_text=True)


def test_csv_has_one_row_per_group_with_the_same_columns(client, cases):
    sign_in(client, "minister")
    response = client.get(f"/reports.csv?{PERIOD}")
    assert response.mimetype == "text/csv"
    assert "timeliness-2025-01-01-to-2025-03-31.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == [
        "grouping",
        "group",
        "received",
        "answered",
        "answered_within_target",
        "percent_within_target",
    ]
    assert ["month", "January 2025", "2", "2", "1", "50.0"] in rows
    assert ["case_type", "Treat official (TO)", "3", "1", "1", "33.3"] in rows
    assert rows[-1] == ["all", "All cases", "6", "4", "3", "50.0"]
    assert len(rows) == 1 + 3 + 3 + 2 + 2 + 1  # header, months, ministers, topics, case types, total


def test_who_may_see_the_report(client, cases):
    allowed = {"manager", "private-office", "minister", "admin"}
    for username in USERS:
        sign_in(client, username)
        expected = 200 if username in allowed else 403
        assert client.get("/reports").status_code == expected, username
        assert client.get("/reports.csv").status_code == expected, username


def test_a_wrong_period_is_explained(client, cases):
    sign_in(client, "manager")
    response = client.get("/reports?from-day=31&from-month=2&from-year=2025")
    assert response.status_code == 400
    assert "Enter a real date" in response.get_data(as_text=True)
    backwards = client.get("/reports?from-day=1&from-month=3&from-year=2025&to-day=1&to-month=1&to-year=2025")
    assert "The end of the period must be on or after its start" in backwards.get_data(as_text=True)
    assert client.get("/reports.csv?from-day=x&from-month=1&from-year=2025").status_code == 400


def test_chart_builder_escapes_and_describes():
    svg = ET.fromstring(
        bar_chart_svg("A <title>", "Figures & more", [("May 2025", 80.0), ("June 2025", None)], "c")
    )
    assert svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.find(f"{SVG}title").text == "A <title>"
    assert svg.find(f"{SVG}desc").text == "Figures & more"
    assert [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g")] == [
        "May 2025: 80%",
        "June 2025: no cases",
    ]
