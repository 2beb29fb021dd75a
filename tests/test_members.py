"""The parliamentarian view: a member's letters, open and overdue, and earlier replies on a subject."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.config import Settings
from app.store.search import earlier_cases
from tests.test_search import COURT_LETTER, PRISON_LETTER, add_case
from tests.web_helpers import USERS, sign_in

TODAY = dt.date(2026, 3, 2)


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The working date is fixed, so that what is overdue does not change with the calendar."""
    return Settings(db_path=tmp_path / "mincorr.db", today_override=TODAY)


@pytest.fixture
def letters(trained_db):
    """Four letters from Adrian Sanders MP (two on prisons), one from another MP, one from the public."""
    sanders = {"name": "Adrian Sanders MP", "member_id": "adrian-sanders", "constituency": "Torbay"}
    cases = {
        "replied": add_case(
            trained_db,
            PRISON_LETTER + " (first)",
            **sanders,
            topic="prisons-and-probation",
            stage="closed",
            received="2025-06-02",
            due="2025-06-30",
            answered_on="2025-06-20",
        ),
        "overdue": add_case(
            trained_db,
            PRISON_LETTER + " (second)",
            **sanders,
            topic="prisons-and-probation",
            stage="qa",
            received="2026-01-12",
            due="2026-02-09",
        ),
        "open": add_case(
            trained_db,
            COURT_LETTER + " (Torbay)",
            **sanders,
            topic="courts-and-tribunals",
            stage="draft",
            received="2026-02-23",
            due="2026-03-23",
        ),
        "latest": add_case(
            trained_db,
            PRISON_LETTER + " (third)",
            **sanders,
            topic="prisons-and-probation",
            stage="triage",
            received="2026-02-27",
            due="2026-03-27",
        ),
        "other_member": add_case(
            trained_db,
            PRISON_LETTER + " (Lucas)",
            name="Dr Caroline Lucas MEP",
            member_id="caroline-lucas",
            topic="prisons-and-probation",
            received="2026-01-05",
        ),
        "public": add_case(trained_db, COURT_LETTER, topic="prisons-and-probation", received="2025-12-01"),
    }
    return cases


def references(page: str) -> list[str]:
    return re.findall(r'href="/cases/([A-Z]{2}\d{6})"', page)


def test_member_page_lists_every_letter_with_open_and_overdue_counts(client, trained_db, letters):
    sign_in(client, "minister")
    response = client.get("/members/adrian-sanders")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Adrian Sanders</h1>' in page
    assert "Member of Parliament for Torbay" in page
    sanders = [letters[k]["reference"] for k in ("latest", "open", "overdue", "replied")]
    assert references(page) == sanders  # newest first, nobody else's
    counts = re.findall(r'summary-list__key">(\w+)</dt><dd class="govuk-summary-list__value">([^<]+)<', page)
    assert counts == [("Letters", "4"), ("Open", "3")]
    assert "1 overdue</strong>" in page
    assert page.count('govuk-tag--red">Overdue</strong>') == 1
    assert "20 June 2025" in page  # when the first letter was replied to

    overdue = client.get("/members/adrian-sanders?show=overdue").get_data(as_text=True)
    assert references(overdue) == [letters["overdue"]["reference"]]
    still_open = client.get("/members/adrian-sanders?show=open").get_data(as_text=True)
    assert references(still_open) == sanders[:3]
    on_courts = client.get("/members/adrian-sanders?topic=courts-and-tribunals").get_data(as_text=True)
    assert references(on_courts) == [letters["open"]["reference"]]

    listed = [e["detail"] for e in trained_db["events"].rows_where("action = 'member cases listed'")]
    assert listed == ['{"count": 4}', '{"count": 1}', '{"count": 3}', '{"count": 1}']


def test_unknown_member_is_not_found(client):
    sign_in(client, "officer")
    assert client.get("/members/nobody-at-all").status_code == 404


def test_members_list_finds_members_by_name_with_their_counts(client, letters):
    sign_in(client, "drafter")
    everyone = client.get("/members").get_data(as_text=True)
    assert "Adrian Sanders" in everyone and "Caroline Lucas" in everyone
    found = client.get("/members?name=sand").get_data(as_text=True)
    assert 'href="/members/adrian-sanders">Adrian Sanders</a>' in found
    assert "Caroline Lucas" not in found
    cells = re.findall(r'cell--numeric">(\d+)<', found)
    assert cells == ["4", "3", "1"]
    assert "No member's name holds" in client.get("/members?name=zzzz").get_data(as_text=True)


def test_every_role_may_see_a_member(client, letters):
    for username in USERS:
        sign_in(client, username)
        assert client.get("/members/adrian-sanders").status_code == 200, username
        assert client.get("/members").status_code == 200, username


def test_earlier_cases_are_the_same_members_on_the_same_topic(trained_db, letters):
    earlier = earlier_cases(trained_db, letters["latest"])
    assert earlier == [
        {
            "reference": letters["overdue"]["reference"],
            "received": "2026-01-12",
            "stage": "qa",
            "stage_name": "Quality check",
            "answered_on": None,
            "replied": False,
        },
        {
            "reference": letters["replied"]["reference"],
            "received": "2025-06-02",
            "stage": "closed",
            "stage_name": "Replied",
            "answered_on": "2025-06-20",
            "replied": True,
        },
    ]
    assert [c["reference"] for c in earlier_cases(trained_db, letters["latest"], limit=1)] == [
        letters["overdue"]["reference"]
    ]
    # Nothing came before the first letter; another topic has no earlier letter.
    assert earlier_cases(trained_db, letters["replied"]) == []
    assert earlier_cases(trained_db, letters["open"]) == []


def test_earlier_cases_of_the_public_are_those_of_the_same_correspondent(trained_db, letters):
    public = letters["public"]
    again = add_case(
        trained_db,
        COURT_LETTER + " I wrote before.",
        correspondent_id=public["correspondent_id"],
        topic="prisons-and-probation",
        received="2026-02-02",
    )
    stranger = add_case(
        trained_db, COURT_LETTER + " (stranger)", topic="prisons-and-probation", received="2026-02-03"
    )
    assert [c["reference"] for c in earlier_cases(trained_db, again)] == [public["reference"]]
    assert earlier_cases(trained_db, stranger) == []
    assert earlier_cases(trained_db, {**again, "topic": None}) == []
