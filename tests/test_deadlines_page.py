"""The deadlines page: buckets, red/amber/green in words, filters, pages, and the digest."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import hashlib
import re

import pytest
from click.testing import CliRunner

from app import store
from app.cli import Context
from app.config import Settings
from app.digest import digest_command
from tests.web_helpers import USERS, post_form, sign_in

# Thursday 22 May 2025. "This week" runs to Friday 30 May (Monday 26 May is a bank holiday);
# amber covers the next three working days: Friday 23, Tuesday 27 and Wednesday 28 May.
TODAY = dt.date(2025, 5, 22)
CORRESPONDENT = "Jane Correspondent"


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db_path=tmp_path / "mincorr.db", today_override=TODAY)


@pytest.fixture
def trained_db(db):
    """Deadlines need no classifier: the web app runs on the database without training one."""
    return db


def add_case(db, reference: str, due: str, **fields) -> int:
    """Store a case (with a letter and a correspondent) due on `due`; `fields` override the defaults."""
    text = f"Letter for {reference} from {CORRESPONDENT}"
    now = store.utc_now()
    letter_id = store.insert_letter(
        db,
        filename=f"{reference}.txt",
        media_type="text/plain",
        content=text.encode(),
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        text=text,
        received=fields.get("received", "2025-04-01"),
        letter_date=None,
        source="test",
        imported_at=now,
        imported_by="pytest",
        language="en",
        metadata={},
        extraction={},
    )
    correspondent_id = store.insert_correspondent(db, {"name": CORRESPONDENT, "type": "mp"}, now)
    return store.insert_case(
        db,
        {
            "reference": reference,
            "case_type": reference[:2],
            "letter_id": letter_id,
            "correspondent_id": correspondent_id,
            "received": "2025-04-01",
            "due": due,
            "draft_due": due,
            "status": "draft",
            "topic": "courts-and-tribunals",
            "topic_confidence": 0.99,
            "answering_minister_id": "sarah-sackman",
            "created_at": now,
            "updated_at": now,
            **fields,
        },
    )


@pytest.fixture
def cases(db):
    add_case(db, "MC100001", "2025-05-20", status="draft")
    add_case(db, "MC100002", "2025-05-22", status="qa", topic="prisons-and-probation")
    add_case(db, "TO100003", "2025-05-28", status="triage", answering_minister_id="shabana-mahmood")
    add_case(db, "MC100004", "2025-05-30", status="private-office", topic="family-justice")
    add_case(db, "MC100005", "2025-06-10")  # later than this week
    add_case(db, "MC100006", "2025-05-01", status="closed", answered_on="2025-04-30")
    add_case(db, "MC100007", "2025-05-15", clock_stopped_since="2025-05-19")
    add_case(db, "MC100008", "2025-05-20", status="closed", answered_on="2025-05-19")  # replied in time
    add_case(db, "MC100009", "2025-05-09", status="closed", answered_on="2025-05-12")  # replied late
    return db


def rows(html: str) -> dict[str, str]:
    """The deadlines table's rows by reference."""
    body = (
        html.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
        if "<tbody" in html
        else ""
    )
    return {re.search(r"[A-Z]{2}\d{6}", row).group(0): row for row in body.split("<tr ")[1:]}


def count(html: str, bucket: str) -> int:
    return int(re.search(rf'data-count="{bucket}">(\d+)<', html).group(1))


def test_buckets_and_rag_words_with_a_fixed_today(client, cases):
    sign_in(client, "drafter")
    html = client.get("/deadlines").get_data(as_text=True)
    assert (count(html, "overdue"), count(html, "today"), count(html, "week"), count(html, "stopped")) == (
        1,
        1,
        2,
        1,
    )
    shown = rows(html)
    assert list(shown) == ["MC100007", "MC100001", "MC100002", "TO100003", "MC100004"]  # soonest due first
    assert 'href="/cases/MC100001"' in shown["MC100001"]
    assert 'govuk-tag--red">Overdue<' in shown["MC100001"]
    assert "Due within 3 working days" in shown["MC100002"]  # due today
    assert "Due within 3 working days" in shown["TO100003"]
    assert 'govuk-tag--green">On track<' in shown["MC100004"]
    assert "Clock stopped since 19 May 2025" in shown["MC100007"]
    assert "Overdue" not in shown["MC100007"]
    assert "Courts and Tribunals Policy" in shown["MC100001"]
    assert "Sarah Sackman" in shown["MC100001"]
    assert CORRESPONDENT not in html
    assert re.search(r'Replied within target</dt><dd [^>]*data-replied="within-target">1<', html)
    assert re.search(r'Replied late</dt><dd [^>]*data-replied="late">1<', html)
    assert "Replied this month (from 1 May 2025)" in html

    overdue = rows(client.get("/deadlines?show=overdue").get_data(as_text=True))
    assert list(overdue) == ["MC100001"]
    assert list(rows(client.get("/deadlines?show=today").get_data(as_text=True))) == ["MC100002"]
    assert list(rows(client.get("/deadlines?show=week").get_data(as_text=True))) == ["TO100003", "MC100004"]
    assert list(rows(client.get("/deadlines?show=stopped").get_data(as_text=True))) == ["MC100007"]


def test_filters_by_team_minister_topic_and_stage(client, cases):
    sign_in(client, "officer")

    def shown(query: str) -> list[str]:
        return list(rows(client.get(f"/deadlines?{query}").get_data(as_text=True)))

    assert shown("team=Courts+and+Tribunals+Policy") == ["MC100007", "MC100001", "TO100003"]
    assert shown("team=Prisons+and+Probation+Policy") == ["MC100002"]
    assert shown("minister=shabana-mahmood") == ["TO100003"]
    assert shown("topic=family-justice") == ["MC100004"]
    assert shown("stage=qa") == ["MC100002"]
    assert shown("team=Courts+and+Tribunals+Policy&stage=triage") == ["TO100003"]
    assert shown("team=Prisons+and+Probation+Policy&topic=family-justice") == []
    html = client.get("/deadlines?show=overdue&stage=qa").get_data(as_text=True)
    assert count(html, "overdue") == 0
    assert count(html, "today") == 1
    assert 'name="stage"' in html and '<label class="govuk-label" for="stage">Stage</label>' in html


def test_rows_come_a_hundred_to_a_page(client, db):
    for number in range(101):
        add_case(db, f"MC{200000 + number}", "2025-05-01")
    sign_in(client, "manager")
    first = client.get("/deadlines?show=overdue").get_data(as_text=True)
    assert len(rows(first)) == 100
    assert "Page 1 of 2" in first
    second = client.get("/deadlines?show=overdue&page=2").get_data(as_text=True)
    assert list(rows(second)) == ["MC200100"]


def test_every_role_sees_deadlines_and_the_view_is_audited(client, cases):
    for username in USERS:
        sign_in(client, username)
        assert client.get("/deadlines").status_code == 200
    listed = [e for e in cases["events"].rows_where("action = 'deadlines listed'")]
    assert len(listed) == len(USERS)


def read_digest(path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)


def test_manager_writes_the_digest_from_the_page(client, cases, settings):
    sign_in(client, "officer")
    assert "Write the deadlines digest" not in client.get("/deadlines").get_data(as_text=True)
    assert post_form(client, "/deadlines", "/deadlines/digest", {}).status_code == 403

    sign_in(client, "manager")
    response = post_form(client, "/deadlines", "/deadlines/digest", {}, follow_redirects=True)
    written = re.search(r"Deadlines digest written to (\S+\.eml)", response.get_data(as_text=True)).group(1)
    message = read_digest(settings.db_path.parent / "outbox" / written.rsplit("/", 1)[1])
    assert message["Subject"] == "mincorr deadlines 2025-05-22: 1 overdue, 1 due today, 2 due this week"
    assert message["From"] and message["Date"] and message["Message-ID"]
    body = message.get_content()
    overdue, today, week = (body.split(title)[1] for title in ("OVERDUE", "DUE TODAY", "DUE THIS WEEK"))
    assert (
        "Courts and Tribunals Policy (1)\n  MC100001  due 20 May 2025  Drafting"
        in overdue.split("DUE TODAY")[0]
    )
    assert "Prisons and Probation Policy (1)\n  MC100002  due 22 May 2025  Quality check" in today
    assert "TO100003  due 28 May 2025  Needs triage" in week
    assert "Family Justice Policy (1)\n  MC100004  due 30 May 2025  Private office" in week
    for left_out in ("MC100005", "MC100006", "MC100007", CORRESPONDENT, "Letter for"):
        assert left_out not in body
    assert cases["events"].count_where("action = 'deadlines digest written'") == 1


def test_digest_command_writes_to_the_outbox_given(cases, settings, tmp_path):
    outbox = tmp_path / "mail-out"
    result = CliRunner().invoke(
        digest_command, ["--outbox", str(outbox), "--to", "unit@example.gov.uk"], obj=Context(settings)
    )
    assert result.exit_code == 0, result.output
    (path,) = outbox.glob("*.eml")
    assert f"Digest written to {path}" in result.output
    message = read_digest(path)
    assert message["To"] == "unit@example.gov.uk"
    assert "Overdue: 1\nDue today: 1\nDue this week (by 30 May 2025): 2" in message.get_content()
    second = CliRunner().invoke(digest_command, ["--outbox", str(outbox)], obj=Context(settings))
    assert second.exit_code == 0
    assert len(list(outbox.glob("*.eml"))) == 2
