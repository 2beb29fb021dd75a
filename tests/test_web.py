"""The web app: sign-in, upload, inbox and case page, with every view audited."""

from app import store
from tests.conftest import SEED_LETTER
from tests.web_helpers import csrf_token, sign_in, upload


def test_pages_need_a_signed_in_user(client):
    for path in ("/", "/cases", "/upload", "/cases/MC100001"):
        response = client.get(path)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def test_wrong_password_is_refused_with_an_error(client):
    response = sign_in(client, "officer", "not-the-password")
    assert response.status_code == 400
    assert "Enter a correct username and password" in response.get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(client):
    response = client.post("/login", data={"username": "officer", "password": "officer-password"})
    assert response.status_code == 400


def test_officer_uploads_the_seed_letter_and_reads_the_case(client, trained_db):
    assert sign_in(client, "officer").status_code == 302
    batch = upload(client, [("lucas.txt", SEED_LETTER.read_bytes()), ("bad.pdf", b"not a pdf")])
    assert [f["status"] for f in batch["files"]] == ["created", "refused"]
    reference = batch["files"][0]["reference"]
    assert f'New case <a class="govuk-link" href="/cases/{reference}">{reference}</a>' in batch["page"]
    assert "not a PDF" in batch["page"]

    inbox = client.get("/cases").get_data(as_text=True)
    assert reference in inbox
    assert "15 May 2009" in inbox

    case_page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Dr Caroline Lucas MEP" in case_page
    assert "Coroners and Justice Bill" in case_page
    assert "Michael Wills" in case_page
    assert "Dear Caroline" in case_page
    assert '<mark class="mincorr-mark" title="clause">clause 152' in case_page

    original = client.get(f"/cases/{reference}/original")
    assert original.data == SEED_LETTER.read_bytes()
    docx = client.get(f"/cases/{reference}/draft.docx")
    assert docx.data[:2] == b"PK"

    case = store.get_case_by_reference(trained_db, reference)
    actions = [(e["action"], e["actor"]) for e in store.events_for_case(trained_db, case["id"])]
    assert ("case viewed", "web:officer") in actions
    assert ("original downloaded", "web:officer") in actions
    assert ("draft exported", "web:officer") in actions


def test_upload_without_files_says_what_to_do(client):
    sign_in(client, "officer")
    token = csrf_token(client.get("/upload").get_data(as_text=True))
    response = client.post("/upload", data={"csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Select at least one letter to upload" in response.get_data(as_text=True)


def test_drafters_cannot_upload(client):
    sign_in(client, "drafter")
    assert client.get("/upload").status_code == 403


def test_unknown_case_is_not_found(client):
    sign_in(client, "officer")
    assert client.get("/cases/MC000000").status_code == 404


def test_sign_out(client):
    sign_in(client, "officer")
    token = csrf_token(client.get("/cases").get_data(as_text=True))
    client.post("/logout", data={"csrf_token": token})
    assert client.get("/cases").status_code == 302


def test_officer_corrects_the_classification_in_the_browser(client, trained_db):
    sign_in(client, "officer")
    reference = upload(client, [("lucas.txt", SEED_LETTER.read_bytes())])["files"][0]["reference"]
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Confirm or correct the classification" in page
    response = client.post(
        f"/cases/{reference}/classification",
        data={
            "csrf_token": csrf_token(page),
            "topic": "data-protection-and-information-rights",
            "concern": "opposes-policy",
            "flags": ["media-or-legal-risk"],
            "reason": "checked",
        },
    )
    assert response.status_code == 302
    case = store.get_case_by_reference(trained_db, reference)
    assert case["status"] == "draft"
    assert case["flags"] == ["media-or-legal-risk"]
    [correction] = store.corrections_for_case(trained_db, case["id"])
    assert correction["corrected_by"] == "web:officer"
    assert "Classification of" in client.get(f"/cases/{reference}").get_data(as_text=True)


def test_drafters_cannot_correct_the_classification(client, trained_db):
    sign_in(client, "officer")
    reference = upload(client, [("lucas.txt", SEED_LETTER.read_bytes())])["files"][0]["reference"]
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/cases").get_data(as_text=True))})
    sign_in(client, "drafter")
    page = client.get(f"/cases/{reference}").get_data(as_text=True)
    assert "Confirm or correct the classification" not in page
    response = client.post(
        f"/cases/{reference}/classification", data={"csrf_token": csrf_token(page), "topic": "youth-justice"}
    )
    assert response.status_code == 403
