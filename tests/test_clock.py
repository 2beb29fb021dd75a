"""The case clock: stopping and restarting it, and recalculating due dates from a new received date."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from flask import render_template_string

from app import store
from app.clock import ClockError, change_received_date, clock_status, restart_clock, stop_clock
from app.config import Settings
from tests.test_deadlines_page import add_case
from tests.web_helpers import post_form, sign_in

D = dt.date


@pytest.fixture
def trained_db(db):
    """The clock needs no classifier: the web app runs on the database without training one."""
    return db


def on(settings: Settings, day: dt.date) -> Settings:
    return dataclasses.replace(settings, today_override=day)


def events(db, case_id: int, action: str) -> list[dict]:
    return [e for e in store.events_for_case(db, case_id) if e["action"] == action]


def test_restart_moves_due_dates_by_the_working_days_stopped_across_a_bank_holiday(db, settings):
    case_id = add_case(db, "MC100001", "2025-05-23", draft_due="2025-05-09")
    # Stopped on Friday 2 May 2025; restarted on Wednesday 7 May. Monday 5 May is the Early May
    # bank holiday, so the clock stood still for two working days (Tuesday 6 and Wednesday 7).
    assert (
        stop_clock(
            db,
            store.get_case(db, case_id),
            "Waiting for the prison's records",
            "web:officer",
            on(settings, D(2025, 5, 2)),
        )
        == "2025-05-02"
    )
    stopped = store.get_case(db, case_id)
    assert stopped["clock_stopped_since"] == "2025-05-02"

    days = restart_clock(db, stopped, "Records received", "web:manager", on(settings, D(2025, 5, 7)))
    assert days == 2
    case = store.get_case(db, case_id)
    # Friday 23 May + 2 working days skips the Spring bank holiday (Monday 26 May): Wednesday 28 May.
    assert case["due"] == "2025-05-28"
    assert case["draft_due"] == "2025-05-13"
    assert case["clock_stopped_since"] is None
    assert case["clock_stopped_days"] == 2
    (stop,) = db["clock_stops"].rows_where("case_id = ?", [case_id])
    assert (stop["stopped_on"], stop["restarted_on"], stop["working_days"]) == ("2025-05-02", "2025-05-07", 2)
    assert (stop["reason"], stop["restart_reason"]) == (
        "Waiting for the prison's records",
        "Records received",
    )
    (restarted,) = events(db, case_id, "clock restarted")
    assert restarted["detail"]["due"] == ["2025-05-23", "2025-05-28"]
    assert restarted["detail"]["draft_due"] == ["2025-05-09", "2025-05-13"]
    assert restarted["actor"] == "web:manager"
    assert events(db, case_id, "clock stopped")[0]["detail"]["stopped_on"] == "2025-05-02"


def test_clock_changes_are_refused_when_they_make_no_sense(db, settings):
    case_id = add_case(db, "MC100001", "2025-05-23")
    closed_id = add_case(db, "MC100002", "2025-05-23", status="closed")
    with pytest.raises(ClockError, match="Enter a reason"):
        stop_clock(db, store.get_case(db, case_id), "  ", "web:officer", settings)
    with pytest.raises(ClockError, match="is not stopped"):
        restart_clock(db, store.get_case(db, case_id), "Back", "web:officer", settings)
    with pytest.raises(ClockError, match="is closed"):
        stop_clock(db, store.get_case(db, closed_id), "Waiting", "web:officer", settings)
    stop_clock(db, store.get_case(db, case_id), "Waiting", "web:officer", settings)
    with pytest.raises(ClockError, match="already stopped"):
        stop_clock(db, store.get_case(db, case_id), "Waiting", "web:officer", settings)


def test_pressing_stop_or_restart_twice_at_once_changes_the_clock_once(db, settings):
    case_id = add_case(db, "MC100001", "2025-05-23")
    seen_by_both = store.get_case(db, case_id)  # two requests read the case before either writes
    stop_clock(db, seen_by_both, "Waiting", "web:officer", on(settings, D(2025, 5, 2)))
    with pytest.raises(ClockError, match="already stopped"):
        stop_clock(db, seen_by_both, "Waiting", "web:manager", on(settings, D(2025, 5, 2)))
    assert db["clock_stops"].count == 1

    stopped = store.get_case(db, case_id)
    restart_clock(db, stopped, "Back", "web:officer", on(settings, D(2025, 5, 7)))
    with pytest.raises(ClockError, match="is not stopped"):
        restart_clock(db, stopped, "Back", "web:manager", on(settings, D(2025, 5, 7)))
    case = store.get_case(db, case_id)
    assert (case["due"], case["clock_stopped_days"]) == ("2025-05-28", 2)


def test_changing_the_received_date_recalculates_both_due_dates(db, settings, taxonomy):
    case_id = add_case(db, "MC100001", "2025-05-15", received="2025-04-16", draft_due="2025-05-01")
    today = on(settings, D(2025, 6, 2))
    # Received Tuesday 22 April 2025: day 1 is 23 April, the Early May bank holiday is skipped.
    dates = change_received_date(
        db, store.get_case(db, case_id), D(2025, 4, 22), "Date stamp misread", "web:officer", today, taxonomy
    )
    assert dates == {"received": "2025-04-22", "draft_due": "2025-05-07", "due": "2025-05-21"}
    case = store.get_case(db, case_id)
    assert (case["received"], case["draft_due"], case["due"]) == ("2025-04-22", "2025-05-07", "2025-05-21")
    (changed,) = events(db, case_id, "received date changed")
    assert changed["detail"]["received"] == ["2025-04-16", "2025-04-22"]
    assert changed["detail"]["due"] == ["2025-05-15", "2025-05-21"]
    assert changed["detail"]["draft_due"] == ["2025-05-01", "2025-05-07"]

    store.update_case(db, case_id, {"clock_stopped_days": 2})
    dates = change_received_date(
        db, store.get_case(db, case_id), D(2025, 4, 22), "Again", "web:officer", today, taxonomy
    )
    assert (dates["draft_due"], dates["due"]) == ("2025-05-09", "2025-05-23")  # plus the 2 days stopped

    with pytest.raises(ClockError, match="today or in the past"):
        change_received_date(
            db, store.get_case(db, case_id), D(2025, 6, 3), "Typo", "web:officer", today, taxonomy
        )


def test_officer_stops_and_restarts_the_clock_on_the_web(client, app, db, settings):
    case_id = add_case(db, "MC100001", "2025-05-23", draft_due="2025-05-09")
    app.config["MINCORR_SETTINGS"] = on(settings, D(2025, 5, 2))
    sign_in(client, "officer")
    refused = post_form(
        client, "/deadlines", "/cases/MC100001/clock/stop", {"reason": ""}, follow_redirects=True
    )
    assert "Enter a reason" in refused.get_data(as_text=True)
    assert store.get_case(db, case_id)["clock_stopped_since"] is None

    response = post_form(
        client, "/deadlines", "/cases/MC100001/clock/stop", {"reason": "Waiting for records"}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/MC100001")
    stopped = client.get("/deadlines?show=stopped").get_data(as_text=True)
    assert "Clock stopped since 2 May 2025" in stopped

    app.config["MINCORR_SETTINGS"] = on(settings, D(2025, 5, 7))
    post_form(client, "/deadlines", "/cases/MC100001/clock/restart", {"reason": "Records came"})
    assert store.get_case(db, case_id)["due"] == "2025-05-28"
    assert events(db, case_id, "clock restarted")[0]["actor"] == "web:officer"


def test_received_date_form_on_the_web(client, app, db, settings):
    case_id = add_case(db, "MC100001", "2025-05-15", received="2025-04-16", draft_due="2025-05-01")
    app.config["MINCORR_SETTINGS"] = on(settings, D(2025, 6, 2))
    sign_in(client, "manager")
    form = {"received-day": "22", "received-month": "4", "received-year": "2025", "reason": "Misread stamp"}
    post_form(client, "/deadlines", "/cases/MC100001/received", form)
    assert store.get_case(db, case_id)["due"] == "2025-05-21"
    bad = post_form(
        client,
        "/deadlines",
        "/cases/MC100001/received",
        {**form, "received-month": "13"},
        follow_redirects=True,
    )
    assert "Enter a real date" in bad.get_data(as_text=True)

    sign_in(client, "drafter")
    assert post_form(client, "/deadlines", "/cases/MC100001/received", form).status_code == 403
    assert post_form(client, "/deadlines", "/cases/MC100001/clock/stop", {"reason": "x"}).status_code == 403


def test_case_clock_snippet_shows_the_right_form(app, db):
    case_id = add_case(db, "MC100001", "2025-05-23", received="2025-04-16")
    with app.test_request_context():
        template = '{% include "deadlines/_case_clock.html" %}'
        case = store.get_case(db, case_id)
        running = render_template_string(
            template, case=case, clock=clock_status(db, case), can_manage_dates=True
        )
        store.update_case(db, case_id, {"clock_stopped_since": "2025-05-02"})
        case = store.get_case(db, case_id)
        stopped = render_template_string(
            template, case=case, clock=clock_status(db, case), can_manage_dates=True
        )
        read_only = render_template_string(
            template, case=case, clock=clock_status(db, case), can_manage_dates=False
        )
    assert "Stop the clock" in running and 'action="/cases/MC100001/clock/stop"' in running
    assert re.search(r'name="received-day"[^>]*value="16"', running)
    assert "Clock stopped since 2 May 2025" in stopped and "Restart the clock" in stopped
    assert "Clock stopped since 2 May 2025" in read_only and "<form" not in read_only
