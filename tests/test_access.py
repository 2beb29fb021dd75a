"""Every route, visited as every role and as nobody: who gets in.

The table below is the access policy written out by hand. A route the table does not name fails
the test, so a new page cannot be added without deciding who may use it.
"""

from __future__ import annotations

import pytest

from app import store
from app.users import add_user
from tests.conftest import SEED_LETTER
from tests.web_helpers import USERS, csrf_token, sign_in, upload

EVERYONE = frozenset(USERS.values())
OFFICERS = frozenset({"correspondence-officer", "unit-manager", "admin"})
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"unit-manager", "admin"})
REPORT_READERS = frozenset({"unit-manager", "private-office", "minister", "admin"})

# (method, endpoint) -> the roles that get in. Drafting actions are open to every signed-in user
# because which role may make which move is decided per stage (tests/test_workflow.py).
POLICY = {
    ("GET", "index"): EVERYONE,
    ("GET", "cases.inbox"): EVERYONE,
    ("GET", "cases.case_page"): EVERYONE,
    ("GET", "cases.original"): EVERYONE,
    ("GET", "cases.draft_docx"): EVERYONE,
    ("POST", "cases.correct_classification"): OFFICERS,
    ("POST", "cases.correct_details_view"): OFFICERS,
    ("POST", "cases.choose_line_view"): frozenset(
        {"correspondence-officer", "drafter", "unit-manager", "admin"}
    ),
    ("GET", "drafting.version"): EVERYONE,
    ("GET", "drafting.compare"): EVERYONE,
    ("GET", "drafting.signed_reply"): EVERYONE,
    ("POST", "drafting.save"): EVERYONE,
    ("POST", "drafting.comment"): EVERYONE,
    ("POST", "drafting.move"): EVERYONE,
    ("POST", "drafting.transfer"): EVERYONE,
    ("POST", "drafting.holding"): EVERYONE,
    ("GET", "triage.queue"): OFFICERS,
    ("POST", "triage.accept"): OFFICERS,
    ("GET", "intake.upload"): OFFICERS,
    ("POST", "intake.upload"): OFFICERS,
    ("GET", "intake.batch"): OFFICERS,
    ("GET", "intake.batch_json"): OFFICERS,
    ("GET", "deadlines.deadlines_page"): EVERYONE,
    ("POST", "deadlines.digest"): MANAGERS,
    ("POST", "deadlines.clock_stop"): OFFICERS,
    ("POST", "deadlines.clock_restart"): OFFICERS,
    ("POST", "deadlines.received_date"): OFFICERS,
    ("GET", "reports.reports_page"): REPORT_READERS,
    ("GET", "reports.reports_csv"): REPORT_READERS,
    ("GET", "search.search"): EVERYONE,
    ("GET", "campaigns.index"): EVERYONE,
    ("GET", "campaigns.campaign"): EVERYONE,
    ("GET", "campaigns.replies"): EVERYONE,
    ("POST", "campaigns.accept"): OFFICERS,
    ("POST", "campaigns.apply"): OFFICERS,
    ("POST", "campaigns.remove"): OFFICERS,
    ("GET", "members.members"): EVERYONE,
    ("GET", "members.member"): EVERYONE,
    ("GET", "admin.index"): MANAGERS,
    ("GET", "admin.targets"): MANAGERS,
    ("POST", "admin.targets_save"): ADMIN,
    ("GET", "admin.users"): ADMIN,
    ("POST", "admin.users"): ADMIN,
    ("GET", "admin.user"): ADMIN,
    ("POST", "admin.user_role"): ADMIN,
    ("POST", "admin.user_active"): ADMIN,
    ("POST", "admin.user_password"): ADMIN,
    ("GET", "admin.taxonomy"): ADMIN,
    ("GET", "admin.lines"): ADMIN,
    ("GET", "admin.line"): ADMIN,
    ("POST", "admin.line"): ADMIN,
    ("POST", "admin.line_version"): ADMIN,
    ("GET", "admin.templates"): ADMIN,
    ("GET", "admin.template"): ADMIN,
    ("POST", "admin.template"): ADMIN,
    ("POST", "admin.template_remove"): ADMIN,
    ("GET", "admin.ministers"): ADMIN,
    ("POST", "admin.appointment_add"): ADMIN,
    ("POST", "admin.appointment_end"): ADMIN,
    ("GET", "admin.bills"): ADMIN,
    ("POST", "admin.bill_stage"): ADMIN,
    ("POST", "admin.clause_status"): ADMIN,
}
# Open to anyone: signing in, and the design system's and mincorr's static files.
PUBLIC = {"auth.login", "govuk_assets", "govuk_dist", "static"}
# The JSON API authenticates by token, not by session (tests/test_api.py); without one it answers 401.
API_PREFIX = "api."


@pytest.fixture
def world(app, client, trained_db):
    """A case, an upload batch and a user to act on, with real ids for every URL."""
    sign_in(client, "officer")
    batch = upload(client, [("lucas.txt", SEED_LETTER.read_bytes())])
    reference = batch["files"][0]["reference"]
    add_user(trained_db, "someone", "someone-password", "drafter")
    clause = next(iter(trained_db["clauses"].rows))
    return {
        "reference": reference,
        "version": 1,
        "fmt": "docx",
        "batch_id": batch["id"],
        "member_id": next(iter(trained_db["members"].rows))["id"],
        "user_id": store.get_user_by_username(trained_db, "someone")["id"],
        "line_id": next(iter(trained_db["lines_to_take"].rows))["id"],
        "change": "approve",
        "name": "reply_parliamentarian.txt.j2",
        "appointment_id": next(iter(trained_db["appointments"].rows))["id"],
        "bill_id": clause["bill_id"],
        "number": clause["number"],
        "campaign_id": 1,
    }


def routes(app):
    """Every (method, endpoint, rule) the app serves, apart from the public ones."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, rule.endpoint, rule


def url(app, rule, world) -> str:
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{name: world[name] for name in rule.arguments})


def test_every_route_is_in_the_access_policy(app):
    served = {(m, endpoint) for m, endpoint, _ in routes(app) if not endpoint.startswith(API_PREFIX)}
    served.discard(("POST", "auth.logout"))
    assert served == set(POLICY), "routes and the access policy differ"


def test_nobody_signed_in_gets_nothing_but_the_sign_in_page(app, world):
    client = app.test_client()
    for method, endpoint, rule in routes(app):
        response = client.open(url(app, rule, world), method=method)
        if endpoint.startswith(API_PREFIX):
            expected = 200 if endpoint == "api.openapi" else 401
            assert response.status_code == expected, f"{method} {rule.rule}"
        elif method == "GET":
            assert response.status_code == 302, f"{method} {rule.rule}"
            assert "/login" in response.headers["Location"]
        else:
            assert response.status_code in (302, 400), f"{method} {rule.rule}"


@pytest.mark.parametrize("username", list(USERS))
def test_each_role_gets_into_its_own_pages_only(app, world, username):
    role = USERS[username]
    client = app.test_client()
    sign_in(client, username)
    token = csrf_token(client.get("/cases").get_data(as_text=True))
    for (method, endpoint), allowed in sorted(POLICY.items()):
        rule = next(r for m, e, r in routes(app) if (m, e) == (method, endpoint))
        if method == "GET":
            response = client.get(url(app, rule, world))
        else:
            response = client.post(url(app, rule, world), data={"csrf_token": token})
        where = f"{method} {rule.rule} as {role}"
        assert response.status_code < 500, where
        if role in allowed:
            assert response.status_code != 403, where
        else:
            assert response.status_code == 403, where
