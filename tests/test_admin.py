"""The admin pages: users, taxonomy, lines to take, templates, ministers, bills, targets and region."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app import store
from app.config import Settings
from app.department_settings import case_type_target, holiday_region
from app.importing import Importer
from app.linking import Registers, answering_minister, choose_line
from app.store.admin import get_line
from app.web import create_app
from tests.conftest import SEED_LETTER
from tests.web_helpers import USERS, post_form, sign_in

TODAY = dt.date(2009, 5, 1)
SEED_LINE = "cj-bill-information-sharing"


@pytest.fixture
def settings(tmp_path) -> Settings:
    """The working date is fixed, and the department has a folder for its own templates."""
    return Settings(
        db_path=tmp_path / "mincorr.db", today_override=TODAY, override_templates_dir=tmp_path / "templates"
    )


@pytest.fixture
def admin_client(client):
    assert sign_in(client, "admin").status_code == 302
    return client


def user_id(db, username: str) -> int:
    return store.get_user_by_username(db, username)["id"]


def events(db, action: str) -> list[dict]:
    return [dict(row) for row in db["events"].rows_where("action = ?", [action], order_by="id")]


def page_text(response) -> str:
    return response.get_data(as_text=True)


def import_seed_letter(db, settings) -> str:
    importer = Importer(db, settings, actor="test", source="test")
    (result,) = importer.import_paths([SEED_LETTER], received=dt.date(2009, 4, 16))
    return result.reference


def test_admin_pages_are_for_admins_and_targets_readable_by_unit_managers(app, trained_db):
    officer_id = user_id(trained_db, "officer")
    pages = [
        "/admin/users",
        f"/admin/users/{officer_id}",
        "/admin/taxonomy",
        "/admin/lines",
        f"/admin/lines/{SEED_LINE}",
        "/admin/templates",
        "/admin/templates/reply_public.txt.j2",
        "/admin/ministers",
        "/admin/bills",
    ]
    for username, role in USERS.items():
        client = app.test_client()
        sign_in(client, username)
        for path in pages:
            assert client.get(path).status_code == (200 if role == "admin" else 403), (role, path)
        reader = role in ("admin", "unit-manager")
        for path in ("/admin", "/admin/targets"):
            assert client.get(path).status_code == (200 if reader else 403), (role, path)
        changes = [
            ("/admin/users", {"username": "x"}),
            (f"/admin/users/{officer_id}/active", {"active": "0"}),
            (f"/admin/lines/{SEED_LINE}/versions/2/expire", {}),
            ("/admin/targets", {"region": "SCT"}),
        ]
        if role != "admin":
            for action, data in changes:
                assert post_form(client, "/login", action, data).status_code == 403, (role, action)
    assert store.get_user(trained_db, officer_id)["active"]
    admin_client = app.test_client()
    sign_in(admin_client, "admin")
    index = page_text(admin_client.get("/admin"))
    for section in ("users", "taxonomy", "lines", "templates", "ministers", "bills", "targets"):
        assert f'href="/admin/{section}"' in index


def test_admin_adds_a_user_who_can_then_sign_in(app, admin_client, trained_db):
    form = {"username": "new.drafter", "role": "drafter", "password": "a-long-password"}
    mismatch = post_form(
        admin_client, "/admin/users", "/admin/users", {**form, "password_again": "other-pass"}
    )
    assert mismatch.status_code == 400
    assert "The two passwords do not match" in page_text(mismatch)
    assert store.get_user_by_username(trained_db, "new.drafter") is None

    added = post_form(
        admin_client, "/admin/users", "/admin/users", {**form, "password_again": form["password"]}
    )
    assert added.status_code == 302
    listing = page_text(admin_client.get("/admin/users"))
    assert "new.drafter" in listing
    assert "User new.drafter added" in listing

    again = post_form(
        admin_client, "/admin/users", "/admin/users", {**form, "password_again": form["password"]}
    )
    assert again.status_code == 400
    assert "There is already a user with that username" in page_text(again)

    newcomer = app.test_client()
    assert sign_in(newcomer, "new.drafter", "a-long-password").status_code == 302
    assert "Signed in as new.drafter (drafter)" in page_text(newcomer.get("/cases"))
    user = store.get_user_by_username(trained_db, "new.drafter")
    assert user["password_hash"] != "a-long-password"
    (event,) = events(trained_db, "user added")
    assert event["actor"] == "web:admin"
    assert "new.drafter" not in event["detail"]


def test_role_change_and_deactivation_take_effect_at_once_but_not_on_oneself(app, admin_client, trained_db):
    officer = app.test_client()
    assert sign_in(officer, "officer").status_code == 302
    officer_id = user_id(trained_db, "officer")
    page = f"/admin/users/{officer_id}"

    post_form(admin_client, page, f"{page}/role", {"role": "drafter"})
    assert store.get_user(trained_db, officer_id)["role"] == "drafter"

    done = post_form(admin_client, page, f"{page}/active", {"active": "0"}, follow_redirects=True)
    assert "officer can no longer sign in" in page_text(done)
    assert "Deactivated" in page_text(admin_client.get("/admin/users"))
    assert officer.get("/cases").status_code == 302  # signed out at their next request
    assert sign_in(app.test_client(), "officer").status_code == 400

    post_form(admin_client, page, f"{page}/active", {"active": "1"})
    assert sign_in(app.test_client(), "officer").status_code == 302
    assert [e["detail"] for e in events(trained_db, "user deactivated")] == [f'{{"user_id": {officer_id}}}']

    own = f"/admin/users/{user_id(trained_db, 'admin')}"
    refused = post_form(admin_client, own, f"{own}/active", {"active": "0"}, follow_redirects=True)
    assert "You cannot deactivate yourself" in page_text(refused)
    assert store.get_user_by_username(trained_db, "admin")["active"]


def test_taxonomy_is_shown_read_only_with_how_to_change_it(admin_client, taxonomy):
    page = page_text(admin_client.get("/admin/taxonomy"))
    for kind in ("topics", "concerns", "flags"):
        for item in getattr(taxonomy, kind):
            assert item["name"] in page
    assert "Ministerial correspondence" in page
    assert "taxonomy.yaml" in page
    assert "mincorr train" in page
    assert "<form" not in page.split('id="main-content"')[1]


def test_a_new_line_version_goes_from_draft_to_approved_to_expired(admin_client, trained_db, reference_data):
    line_page = f"/admin/lines/{SEED_LINE}"
    empty = post_form(admin_client, line_page, line_page, {"paragraphs": "  \n\n ", "effective_from": ""})
    assert empty.status_code == 400
    assert "Enter the text of the line" in page_text(empty)
    past = post_form(
        admin_client, line_page, line_page, {"paragraphs": "Text.", "effective_from": "2009-04-01"}
    )
    assert past.status_code == 400
    assert "cannot take effect before today" in page_text(past)

    text = "The clause was withdrawn.\nIt will not return.\n\n  A second paragraph.  \n"
    created = post_form(admin_client, line_page, line_page, {"paragraphs": text, "effective_from": ""})
    assert created.status_code == 302
    draft = get_line(trained_db, SEED_LINE)["versions"][-1]
    assert (draft["version"], draft["status"]) == (3, "draft")
    assert draft["paragraphs"] == ["The clause was withdrawn. It will not return.", "A second paragraph."]
    assert not draft["approved_by"] and not draft["approved_on"] and not draft["effective_from"]
    registers = Registers.load(trained_db)
    assert (
        choose_line(registers, None, "coroners-and-justice-bill-2008-09", "152", "2009-05-01")[1]["version"]
        == 2
    )

    post_form(admin_client, line_page, f"{line_page}/versions/3/approve", {})
    versions = {v["version"]: v for v in get_line(trained_db, SEED_LINE)["versions"]}
    assert versions[3]["status"] == "approved"
    assert versions[3]["approved_by"] == "admin"
    assert versions[3]["approved_on"] == "2009-05-01"
    assert versions[3]["effective_from"] == "2009-05-01"
    assert (versions[2]["status"], versions[2]["effective_to"]) == ("expired", "2009-04-30")
    registers = Registers.load(trained_db)
    chosen = choose_line(registers, None, "coroners-and-justice-bill-2008-09", "152", "2009-05-01")
    assert chosen[1]["paragraphs"][1] == "A second paragraph."

    store.load_reference_data(trained_db, reference_data)  # `mincorr init` run again
    assert get_line(trained_db, SEED_LINE)["versions"][2]["paragraphs"][1] == "A second paragraph."

    page = post_form(admin_client, line_page, f"{line_page}/versions/3/expire", {}, follow_redirects=True)
    assert "Version 3 expired" in page_text(page)
    versions = {v["version"]: v for v in get_line(trained_db, SEED_LINE)["versions"]}
    assert (versions[3]["status"], versions[3]["effective_to"]) == ("expired", "2009-05-01")
    refused = post_form(admin_client, line_page, f"{line_page}/versions/3/approve", {}, follow_redirects=True)
    assert "only a draft can be approved" in page_text(refused)
    actions = [e["action"] for e in trained_db["events"].rows_where("action LIKE 'line version%'")]
    assert actions == ["line version drafted", "line version approved", "line version expired"]


def test_template_preview_renders_the_seed_case_and_stores_nothing(admin_client, trained_db, settings):
    reference = import_seed_letter(trained_db, settings)
    case = store.get_case_by_reference(trained_db, reference)
    drafts_before = len(store.list_drafts(trained_db, case["id"]))
    page = page_text(admin_client.get(f"/admin/templates/reply_parliamentarian.txt.j2?reference={reference}"))
    assert "Dear Caroline" in page
    assert "CORONERS AND JUSTICE BILL" in page
    assert "MICHAEL WILLS MP" in page
    assert f"reply_parliamentarian.txt.j2 drafted for {reference}" in page
    parts = page_text(admin_client.get(f"/admin/templates/_reply_parts.j2?reference={reference}"))
    assert f"reply_parliamentarian.txt.j2, which uses _reply_parts.j2, drafted for {reference}" in parts
    assert "Dear Caroline" in parts

    shipped = (settings.templates_dir / "reply_parliamentarian.txt.j2").read_text(encoding="utf-8")
    edited = shipped.replace("I hope this information is useful.", "With best wishes from the preview.")
    template_page = "/admin/templates/reply_parliamentarian.txt.j2"
    data = {"reference": reference, "source": edited, "action": "preview"}
    preview = page_text(post_form(admin_client, template_page, template_page, data))
    assert "With best wishes from the preview." in preview
    assert not (settings.override_templates_dir / "reply_parliamentarian.txt.j2").exists()
    assert len(store.list_drafts(trained_db, case["id"])) == drafts_before
    previewed = events(trained_db, "template previewed")
    assert [e["case_id"] for e in previewed] == [case["id"]] * 3
    assert not events(trained_db, "template saved")


def test_a_saved_template_overrides_the_shipped_one_until_removed(admin_client, trained_db, settings):
    template_page = "/admin/templates/reply_public.txt.j2"
    shipped = (settings.templates_dir / "reply_public.txt.j2").read_text(encoding="utf-8")
    edited = shipped.replace("Yours sincerely", "Yours faithfully")
    saved = post_form(admin_client, template_page, template_page, {"source": edited, "action": "save"})
    assert saved.status_code == 302
    override = settings.override_templates_dir / "reply_public.txt.j2"
    assert "Yours faithfully" in override.read_text(encoding="utf-8")
    assert "Department's version" in page_text(admin_client.get("/admin/templates"))
    post_form(admin_client, template_page, f"{template_page}/remove", {})
    assert not override.exists()
    assert [e["action"] for e in trained_db["events"].rows_where("action LIKE 'template %'")] == [
        "template saved",
        "template override removed",
    ]


def test_a_template_with_a_syntax_error_is_refused_with_its_line(admin_client, settings):
    template_page = "/admin/templates/reply_public.txt.j2"
    broken = (
        "{{ reply_date }}\n\nDear {{ correspondent.salutation }}\n{% for p in line.paragraphs %}\n{{ p }\n"
    )
    refused = post_form(admin_client, template_page, template_page, {"source": broken, "action": "save"})
    assert refused.status_code == 400
    page = page_text(refused)
    assert re.search(r"Line 5: unexpected &#39;}&#39;", page)
    assert "{{ p }" in page  # what was typed is kept to be fixed
    assert not (settings.override_templates_dir / "reply_public.txt.j2").exists()


def test_without_an_override_folder_templates_say_where_to_put_overrides(app, settings):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "test-secret"},
        settings=Settings(db_path=settings.db_path, today_override=TODAY),
    )
    client = app.test_client()
    sign_in(client, "admin")
    page = page_text(client.get("/admin/templates/reply_public.txt.j2"))
    assert "MINCORR_TEMPLATES" in page
    assert 'name="source"' not in page
    refused = post_form(
        client, "/admin/templates", "/admin/templates/reply_public.txt.j2", {"source": "x", "action": "save"}
    )
    assert refused.status_code == 400
    assert "Templates can only be saved when a folder" in page_text(refused)


def test_targets_and_region_are_saved_and_read_back(app, admin_client, trained_db, taxonomy, settings):
    mc, to = taxonomy.case_type("MC"), taxonomy.case_type("TO")
    assert case_type_target(trained_db, mc)["target_working_days"] == 20
    assert holiday_region(trained_db, settings) == "ENG"
    form = {
        "target_working_days-MC": "15",
        "draft_working_days-MC": "8",
        "target_working_days-TO": "",
        "draft_working_days-TO": "",
        "region": "SCT",
    }
    saved = post_form(admin_client, "/admin/targets", "/admin/targets", form, follow_redirects=True)
    assert "they apply to cases opened from now on" in page_text(saved)
    target = case_type_target(trained_db, mc)
    assert (target["target_working_days"], target["draft_working_days"], target["name"]) == (
        15,
        8,
        "Ministerial correspondence",
    )
    assert case_type_target(trained_db, to) == to
    assert holiday_region(trained_db, settings) == "SCT"
    assert [e["action"] for e in events(trained_db, "targets changed")] == ["targets changed"]

    bad = {**form, "draft_working_days-MC": "16", "region": "WLS"}
    refused = post_form(admin_client, "/admin/targets", "/admin/targets", bad)
    assert refused.status_code == 400
    assert "must not be later than its reply target" in page_text(refused)
    assert "Choose a bank-holiday region" in page_text(refused)
    assert case_type_target(trained_db, mc)["draft_working_days"] == 8

    cleared = {**form, "target_working_days-MC": "", "draft_working_days-MC": ""}
    post_form(admin_client, "/admin/targets", "/admin/targets", cleared)
    assert case_type_target(trained_db, mc) == mc

    manager = app.test_client()
    sign_in(manager, "manager")
    page = page_text(manager.get("/admin/targets"))
    assert 'value="SCT" checked' in page
    assert "Only an admin can change these" in page


MINISTERS = "/admin/ministers"
INFORMATION_RIGHTS = "data-protection-and-information-rights"


def hand_information_rights_to_michael_wills(client, post: dict):
    """End `post` on 27 February 2026 and give information rights to a new post from the 28th."""
    post_form(client, MINISTERS, f"{MINISTERS}/appointments/{post['id']}/end", {"end": "2026-02-27"})
    form = {
        "minister_id": "michael-wills",
        "department": "MOJ",
        "role": "Minister of State for Information Rights",
        "topics": [INFORMATION_RIGHTS],
        "responsibilities": "data protection\n\n",
        "start": "2026-02-28",
    }
    return post_form(client, MINISTERS, f"{MINISTERS}/appointments", form, follow_redirects=True)


def test_ending_an_appointment_and_adding_one_changes_who_answers(admin_client, trained_db):
    topic, ministers = INFORMATION_RIGHTS, MINISTERS
    holder, post = answering_minister(Registers.load(trained_db), topic, "2026-03-02")
    assert post["end"] is None

    added = hand_information_rights_to_michael_wills(admin_client, post)
    assert "Appointment added" in page_text(added)
    after = answering_minister(Registers.load(trained_db), topic, "2026-03-02")
    assert (after[0]["id"], after[1]["responsibilities"]) == ("michael-wills", ["data protection"])
    assert answering_minister(Registers.load(trained_db), topic, "2026-02-27")[0]["id"] == holder["id"]
    again = post_form(
        admin_client, ministers, f"{ministers}/appointments/{post['id']}/end", {"end": "2026-03-01"}
    )
    assert "already ended" in page_text(admin_client.get(again.headers["Location"]))
    assert len(events(trained_db, "appointment ended")) == len(events(trained_db, "appointment added")) == 1


def test_a_clause_status_change_is_recorded(admin_client, trained_db):
    bill = "coroners-and-justice-bill-2008-09"
    action = f"/admin/bills/{bill}/clauses/153/status"
    undated = post_form(admin_client, "/admin/bills", action, {"status": "withdrawn", "status_date": ""})
    assert store.get_clause(trained_db, bill, "153")["status"] != "withdrawn"
    assert undated.status_code == 302
    form = {"status": "withdrawn", "status_date": "2009-04-20", "note": "Withdrawn at Report stage"}
    page = post_form(admin_client, "/admin/bills", action, form, follow_redirects=True)
    assert "Status of clause 153 saved" in page_text(page)
    clause = store.get_clause(trained_db, bill, "153")
    assert (clause["status"], clause["status_date"], clause["status_note"]) == (
        "withdrawn",
        "2009-04-20",
        "Withdrawn at Report stage",
    )
    assert events(trained_db, "clause status changed")[0]["detail"] == (
        f'{{"bill_id": "{bill}", "clause": "153", "status": "withdrawn"}}'
    )


def test_reloading_the_registers_keeps_what_an_admin_changed_in_the_app(
    admin_client, trained_db, reference_data
):
    bill, topic = "coroners-and-justice-bill-2008-09", INFORMATION_RIGHTS
    _, post = answering_minister(Registers.load(trained_db), topic, "2026-03-02")
    hand_information_rights_to_michael_wills(admin_client, post)
    status = {"status": "withdrawn", "status_date": "2009-04-20", "note": "Withdrawn at Report stage"}
    post_form(admin_client, "/admin/bills", f"/admin/bills/{bill}/clauses/153/status", status)
    post_form(
        admin_client,
        "/admin/bills",
        f"/admin/bills/{bill}/stage",
        {"stage": "Royal Assent on 12 November 2009"},
    )
    appointments_before = trained_db["appointments"].count

    store.load_reference_data(trained_db, reference_data)  # what `mincorr init` does

    clause = store.get_clause(trained_db, bill, "153")
    assert (clause["status"], clause["status_note"]) == ("withdrawn", "Withdrawn at Report stage")
    assert store.get_bill(trained_db, bill)["stage"] == "Royal Assent on 12 November 2009"
    assert trained_db["appointments"].count == appointments_before
    holder, kept = answering_minister(Registers.load(trained_db), topic, "2026-03-02")
    assert (holder["id"], kept["role"]) == ("michael-wills", "Minister of State for Information Rights")
    assert answering_minister(Registers.load(trained_db), topic, "2026-02-27")[1]["end"] == "2026-02-27"
    # What the app did not touch still follows the file.
    untouched = store.get_clause(trained_db, bill, "152")
    assert untouched["status"] == next(
        str(c.get("status", ""))
        for b in reference_data["bills"]
        if b["id"] == bill
        for c in b["clauses"]
        if str(c["number"]) == "152"
    )
