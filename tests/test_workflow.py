"""Drafting and approval: versions, redlines, comments, stages by role, transfers and holding replies."""

from __future__ import annotations

import io

import docx
import pypdf
import pytest

from app import store
from app.drafting.redline import redline
from tests.conftest import SEED_LETTER
from tests.web_helpers import csrf_token, sign_in, upload


def sign_out(client):
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/cases").get_data(as_text=True))})


def as_user(client, username):
    sign_out(client)
    sign_in(client, username)


def case_page(client, reference):
    return client.get(f"/cases/{reference}").get_data(as_text=True)


def act(client, reference, action, reason=""):
    page = case_page(client, reference)
    return client.post(
        f"/cases/{reference}/move", data={"csrf_token": csrf_token(page), "action": action, "reason": reason}
    )


def save(client, reference, text, based_on):
    page = case_page(client, reference)
    return client.post(
        f"/cases/{reference}/draft", data={"csrf_token": csrf_token(page), "text": text, "based_on": based_on}
    )


@pytest.fixture
def seed_case(client, trained_db):
    """The seed letter uploaded by the officer and accepted from triage; returns its reference."""
    sign_in(client, "officer")
    reference = upload(client, [("lucas.txt", SEED_LETTER.read_bytes())])["files"][0]["reference"]
    case = store.get_case_by_reference(trained_db, reference)
    if case["status"] == "triage":
        page = client.get("/triage").get_data(as_text=True)
        assert reference in page
        client.post("/triage/accept", data={"csrf_token": csrf_token(page), "reference": [reference]})
    assert store.get_case_by_reference(trained_db, reference)["status"] == "draft"
    return reference


def stage(db, reference):
    return store.get_case_by_reference(db, reference)["status"]


def test_the_whole_approval_journey(client, trained_db, seed_case):
    reference = seed_case
    as_user(client, "drafter")
    first = store.latest_draft(trained_db, store.get_case_by_reference(trained_db, reference)["id"])
    edited = first["text"].replace("I hope this information is useful.", "I hope this reply is helpful.")
    assert save(client, reference, edited, first["version"]).status_code == 302
    assert act(client, reference, "send-to-qa").status_code == 302
    assert stage(trained_db, reference) == "qa"

    # The drafter wrote the latest version, so someone else must pass quality check.
    act(client, reference, "pass-qa")
    assert stage(trained_db, reference) == "qa"
    assert "quality check must be done by someone else" in case_page(client, reference)
    as_user(client, "manager")
    act(client, reference, "pass-qa")
    assert stage(trained_db, reference) == "private-office"

    as_user(client, "private-office")
    assert act(client, reference, "return-from-private-office").status_code == 302
    assert stage(trained_db, reference) == "private-office"  # a return needs a reason
    act(client, reference, "return-from-private-office", "Please name the clause in the first paragraph.")
    assert stage(trained_db, reference) == "draft"

    as_user(client, "drafter")
    page = case_page(client, reference)
    assert "Please name the clause in the first paragraph." in page
    assert "Returned" in page
    latest = store.latest_draft(trained_db, store.get_case_by_reference(trained_db, reference)["id"])
    fixed = latest["text"].replace("Thank you for your letter", "Thank you for your letter about clause 152")
    save(client, reference, fixed, latest["version"])
    act(client, reference, "send-to-qa")
    as_user(client, "manager")
    act(client, reference, "pass-qa")
    as_user(client, "private-office")
    act(client, reference, "submit-to-minister")
    as_user(client, "minister")
    assert "Save draft" not in case_page(client, reference)  # the minister signs; the office edits
    act(client, reference, "approve")
    assert stage(trained_db, reference) == "dispatch"

    as_user(client, "officer")
    pdf = client.get(f"/cases/{reference}/reply.pdf")
    assert pdf.status_code == 200
    text = pypdf.PdfReader(io.BytesIO(pdf.data)).pages[0].extract_text()
    assert "Ministry of Justice" in text and "about clause 152" in text
    word = docx.Document(io.BytesIO(client.get(f"/cases/{reference}/reply.docx").data))
    assert any("MICHAEL WILLS" in p.text for p in word.paragraphs)
    act(client, reference, "dispatch")
    case = store.get_case_by_reference(trained_db, reference)
    assert case["status"] == "closed"
    assert case["answered_on"] is not None

    actions = [e["action"] for e in store.events_for_case(trained_db, case["id"])]
    for expected in (
        "draft edited",
        "moved to quality check",
        "moved to private office",
        "moved to drafting",
        "moved to minister sign-off",
        "moved to ready to dispatch",
        "moved to replied",
    ):
        assert expected in actions
    history = case_page(client, reference)
    assert "returned with a reason by web:private-office" in history


def test_roles_decide_who_moves_a_case(client, trained_db, seed_case):
    reference = seed_case
    act(client, reference, "send-to-qa")  # the officer is not a drafter
    assert stage(trained_db, reference) == "draft"
    assert "Your role cannot" in case_page(client, reference)
    as_user(client, "minister")
    response = save(client, reference, "Dear Caroline\n\nA minister's own words.\n", 1)
    assert response.status_code == 302
    assert (
        store.latest_draft(trained_db, store.get_case_by_reference(trained_db, reference)["id"])["version"]
        == 1
    )


def test_two_people_saving_the_same_draft_lose_neither_text(client, trained_db, seed_case):
    reference = seed_case
    as_user(client, "drafter")
    base = store.latest_draft(trained_db, store.get_case_by_reference(trained_db, reference)["id"])
    save(client, reference, base["text"] + "\nFirst person's addition.\n", base["version"])
    response = save(client, reference, base["text"] + "\nSecond person's addition.\n", base["version"])
    assert "/draft/compare" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Someone else saved version 2 while you were editing" in page
    assert "First person&#39;s addition." in page and "Second person&#39;s addition." in page
    assert "<del>" in page and "<ins>" in page
    texts = [
        d["text"]
        for d in store.list_drafts(trained_db, store.get_case_by_reference(trained_db, reference)["id"])
    ]
    assert any("First person's addition." in t for t in texts)
    assert any("Second person's addition." in t for t in texts)


def test_transfer_drafts_a_letter_naming_the_department(client, trained_db, seed_case):
    reference = seed_case
    page = case_page(client, reference)
    response = client.post(
        f"/cases/{reference}/transfer",
        data={
            "csrf_token": csrf_token(page),
            "department": "HO",
            "reason": "Immigration detention is theirs",
        },
    )
    assert response.status_code == 302
    case = store.get_case_by_reference(trained_db, reference)
    assert case["status"] == "transferred" and case["transferred_to"] == "HO"
    draft = store.latest_draft(trained_db, case["id"])
    assert "responsibility of the Home Office" in draft["text"]
    assert "Dear Caroline" in draft["text"]


def test_a_late_case_is_offered_a_holding_reply(client, trained_db, seed_case):
    reference = seed_case  # received in 2009 and still open, so long overdue
    page = case_page(client, reference)
    assert "At risk" in page and "Send a holding reply" in page
    response = client.post(f"/cases/{reference}/holding-reply", data={"csrf_token": csrf_token(page)})
    letter = "\n".join(p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs)
    assert "not yet received a full reply" in letter
    assert store.get_case_by_reference(trained_db, reference)["holding_reply_sent_on"] is not None
    assert "Send a holding reply" not in case_page(client, reference)


def test_redline_marks_deleted_and_inserted_words():
    changes = redline("We will reply by Friday.", "We will reply in full by Monday.")
    assert [(c.op, c.text) for c in changes if c.op != "equal"] == [
        ("insert", "in full "),
        ("delete", "Friday"),
        ("insert", "Monday"),
    ]


def test_officer_corrects_the_details_with_a_reason_and_the_draft_follows(client, trained_db, seed_case):
    reference = seed_case
    page = case_page(client, reference)
    form = {"csrf_token": csrf_token(page), "their_reference": "CL/DP/0915", "letter_date": "2009-04-15"}
    client.post(f"/cases/{reference}/details", data=form)
    assert "Give a reason for the correction" in case_page(client, reference)
    form["reason"] = "Typed wrongly on the letter"
    response = client.post(f"/cases/{reference}/details", data=form)
    assert response.status_code == 302
    case = store.get_case_by_reference(trained_db, reference)
    assert (case["their_reference"], case["letter_date"]) == ("CL/DP/0915", "2009-04-15")
    draft = store.latest_draft(trained_db, case["id"])
    assert "Your reference: CL/DP/0915" in draft["text"]
    assert "letter of 15 April" in draft["text"]
    page = case_page(client, reference)
    assert "Details of" in page and "Typed wrongly on the letter" in page
    [event] = [e for e in store.events_for_case(trained_db, case["id"]) if e["action"] == "details corrected"]
    assert event["detail"] == {"fields": ["letter_date", "their_reference"]}


def test_lines_by_meaning_and_a_person_choosing_another(client, trained_db, seed_case):
    reference = seed_case
    page = case_page(client, reference)
    assert "What made the link: bill named: Coroners and Justice Bill" in page
    assert "Lines closest in meaning to the letter" in page
    assert "information-sharing clause of the Coroners and Justice Bill" in page
    case = store.get_case_by_reference(trained_db, reference)
    before = store.latest_draft(trained_db, case["id"])["version"]
    other = next(
        line["id"]
        for line in store.lines_to_take(trained_db)
        if line["id"] != case["line_id"]
        and any(v["status"] == "approved" and not v.get("effective_to") for v in line["versions"])
    )
    response = client.post(
        f"/cases/{reference}/line", data={"csrf_token": csrf_token(page), "line_id": other}
    )
    assert response.status_code == 302
    case = store.get_case_by_reference(trained_db, reference)
    assert case["line_id"] == other
    draft = store.latest_draft(trained_db, case["id"])
    assert draft["version"] == before + 1
    assert {c["line_id"] for c in draft["citations"]} == {other}


def test_a_draft_citing_an_expired_line_is_flagged(client, trained_db, seed_case):
    reference = seed_case
    case = store.get_case_by_reference(trained_db, reference)
    trained_db["line_versions"].update(
        (case["line_id"], case["line_version"]), {"status": "expired", "effective_to": "2009-04-17"}
    )
    page = case_page(client, reference)
    assert (
        f"The draft cites version {case['line_version']} of {case['line_id']}, which is no longer in force"
        in page
    )
    assert [
        c["reference"]
        for c in store.cases_citing_stale_lines(trained_db, today="2026-11-24", stages=("draft", "triage"))
    ] == [reference]
