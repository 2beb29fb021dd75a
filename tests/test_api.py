"""The JSON API: bearer tokens, uploading letters, reading cases, and the OpenAPI document."""

from __future__ import annotations

import io
import json

import pytest
from click.testing import CliRunner

from app import store
from app.cases import case_view
from app.cli import Context
from app.tokens import TokenError, create_token, revoke_token, token_cli
from tests.conftest import SEED_LETTER
from tests.test_search import COURT_LETTER, PRISON_LETTER, add_case
from tests.web_helpers import sign_in

SECOND_LETTER = SEED_LETTER.with_name("01-mp-prison-release.txt")


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(app, trained_db):
    """A token for the officer and one for the drafter (the app fixture made the users)."""
    return {
        "officer": create_token(trained_db, "officer", "case system").token,
        "drafter": create_token(trained_db, "drafter").token,
    }


def upload(client, token: str, files: list[tuple[str, bytes]], **form):
    data = {"letters": [(io.BytesIO(content), name) for name, content in files], **form}
    return client.post(
        "/api/v1/letters", data=data, headers=bearer(token), content_type="multipart/form-data"
    )


def test_requests_without_a_valid_token_are_refused(client, trained_db, tokens):
    revoked = create_token(trained_db, "officer", "old laptop")
    revoke_token(trained_db, revoked.id)
    for headers in (
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer mincorr_not-a-real-token"},
        {"Authorization": f"Basic {tokens['officer']}"},
        bearer(revoked.token),
    ):
        response = client.get("/api/v1/cases", headers=headers)
        assert response.status_code == 401, headers
        assert response.is_json and "error" in response.get_json()
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    response = client.post("/api/v1/letters", data={"letters": [(io.BytesIO(b"x"), "a.txt")]})
    assert response.status_code == 401

    # A browser session is not a token: a signed-in user's cookie does not open the API.
    sign_in(client, "officer")
    assert client.get("/api/v1/cases").status_code == 401


def test_officer_uploads_the_seed_letter_and_gets_the_case_as_show_json_prints_it(
    client, trained_db, tokens, run_cli
):
    response = upload(
        client, tokens["officer"], [("lucas.txt", SEED_LETTER.read_bytes())], received="2009-04-16"
    )
    assert response.status_code == 201
    [result] = response.get_json()["results"]
    assert result["status"] == "created"
    assert result["file"] == "lucas.txt"
    reference = result["reference"]
    shown = json.loads(run_cli("show", reference, "--json").output)
    assert result["case"] == shown
    assert shown["correspondent"]["name"] == "Dr Caroline Lucas MEP"
    assert shown["received"] == "2009-04-16"

    read = client.get(f"/api/v1/cases/{reference.lower()}", headers=bearer(tokens["drafter"]))
    assert read.status_code == 200
    assert read.get_json() == shown

    again = upload(client, tokens["officer"], [("copy.txt", SEED_LETTER.read_bytes())])
    assert again.status_code == 200
    [duplicate] = again.get_json()["results"]
    assert (duplicate["status"], duplicate["reference"]) == ("duplicate", reference)
    assert duplicate["case"] == shown

    case = store.get_case_by_reference(trained_db, reference)
    actions = [(e["action"], e["actor"]) for e in store.events_for_case(trained_db, case["id"])]
    assert ("case opened", "api:officer") in actions
    assert actions.count(("case viewed", "api:officer")) == 2
    assert ("case viewed", "api:drafter") in actions


def test_upload_refusals_say_why(client, tokens):
    refused = upload(client, tokens["officer"], [("bad.pdf", b"not a pdf"), ("notes.xyz", b"hello")])
    assert refused.status_code == 400
    body = refused.get_json()
    assert [r["status"] for r in body["results"]] == ["refused", "refused"]
    assert all(r["reason"] and r["case"] is None for r in body["results"])

    mixed = upload(
        client, tokens["officer"], [("bad.pdf", b"not a pdf"), ("sanders.txt", SECOND_LETTER.read_bytes())]
    )
    assert mixed.status_code == 201
    assert [r["status"] for r in mixed.get_json()["results"]] == ["refused", "created"]

    assert upload(client, tokens["officer"], []).status_code == 400
    bad_date = upload(client, tokens["officer"], [("a.txt", b"Dear Minister")], received="16/04/2009")
    assert bad_date.status_code == 400
    assert "YYYY-MM-DD" in bad_date.get_json()["error"]


def test_roles_apply_to_tokens_as_to_the_web_app(client, tokens):
    response = upload(client, tokens["drafter"], [("lucas.txt", SEED_LETTER.read_bytes())])
    assert response.status_code == 403
    assert response.get_json() == {"error": "the role drafter may not do this"}
    assert client.get("/api/v1/cases", headers=bearer(tokens["drafter"])).status_code == 200


def test_cases_list_by_status_and_topic_a_page_at_a_time(client, trained_db, tokens, taxonomy):
    draft = add_case(
        trained_db, PRISON_LETTER, topic="prisons-and-probation", stage="draft", due="2026-02-01"
    )
    qa = add_case(trained_db, COURT_LETTER, topic="courts-and-tribunals", stage="qa", due="2026-01-20")
    headers = bearer(tokens["officer"])

    everything = client.get("/api/v1/cases", headers=headers).get_json()
    assert [c["reference"] for c in everything["cases"]] == [
        qa["reference"],
        draft["reference"],
    ]  # soonest due
    assert everything["cases"][0] == case_view(trained_db, qa, taxonomy)
    assert (everything["page"], everything["next"], everything["previous"]) == (1, None, None)

    drafts = client.get("/api/v1/cases?status=draft", headers=headers).get_json()
    assert [c["reference"] for c in drafts["cases"]] == [draft["reference"]]
    on_courts = client.get("/api/v1/cases?topic=courts-and-tribunals", headers=headers).get_json()
    assert [c["reference"] for c in on_courts["cases"]] == [qa["reference"]]
    assert (
        client.get("/api/v1/cases?status=draft&topic=courts-and-tribunals", headers=headers).get_json()[
            "cases"
        ]
        == []
    )

    for _ in range(100):
        add_case(trained_db, f"Letter {_} about prisons.", stage="draft", due="2026-03-01")
    first = client.get("/api/v1/cases?status=draft", headers=headers).get_json()
    assert len(first["cases"]) == 100
    assert first["next"] == "/api/v1/cases?page=2&status=draft"
    second = client.get(first["next"], headers=headers).get_json()
    assert len(second["cases"]) == 1
    assert (second["next"], second["previous"]) == (None, "/api/v1/cases?page=1&status=draft")

    for query in ("status=lost", "topic=astrology", "page=0", "page=two"):
        response = client.get(f"/api/v1/cases?{query}", headers=headers)
        assert response.status_code == 400, query
        assert "error" in response.get_json()
    unknown = client.get("/api/v1/cases/MC999999", headers=headers)
    assert unknown.status_code == 404
    assert unknown.get_json() == {"error": "no case with reference MC999999"}


def test_openapi_document_is_public_and_describes_the_case_object(client, trained_db, taxonomy):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.get_data(as_text=True))
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == {"/letters", "/cases", "/cases/{reference}", "/openapi.json"}
    assert "post" in document["paths"]["/letters"] and "get" in document["paths"]["/cases/{reference}"]
    case = add_case(trained_db, PRISON_LETTER, topic="prisons-and-probation")
    view = case_view(trained_db, case, taxonomy)
    schema = document["components"]["schemas"]["Case"]
    assert set(schema["properties"]) == set(view) == set(schema["required"])
    assert set(document["components"]["schemas"]["ImportResult"]["properties"]) >= {"file", "status", "case"}


def test_token_commands_create_list_and_revoke(app, client, trained_db, settings):
    runner = CliRunner()

    def token(*args: str):
        return runner.invoke(token_cli, list(args), obj=Context(settings), catch_exceptions=False)

    created = token("create", "manager", "--label", "reporting")
    assert created.exit_code == 0
    plain = created.stdout.strip()
    assert plain.startswith("mincorr_")
    assert "API token 1 for manager" in created.stderr
    stored = trained_db.execute("SELECT token_hash, label FROM api_tokens").fetchall()
    assert plain not in json.dumps(stored) and stored[0][1] == "reporting"
    assert client.get("/api/v1/cases", headers=bearer(plain)).status_code == 200

    listing = token("list").output
    assert "manager" in listing and "reporting" in listing and plain not in listing

    assert token("revoke", "1").output.strip() == "API token 1 revoked."
    assert client.get("/api/v1/cases", headers=bearer(plain)).status_code == 401
    again = runner.invoke(token_cli, ["revoke", "1"], obj=Context(settings))
    assert again.exit_code == 1 and "already revoked" in again.output
    assert runner.invoke(token_cli, ["create", "nobody"], obj=Context(settings)).exit_code == 1
    with pytest.raises(TokenError):
        revoke_token(trained_db, 99)

    actions = [e["action"] for e in trained_db["events"].rows_where("action LIKE 'API token%'")]
    assert actions == ["API token created", "API token revoked"]
