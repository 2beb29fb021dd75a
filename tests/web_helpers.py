"""Helpers for tests that drive the web app through Flask's test client."""

from __future__ import annotations

import re

# One user per role; each signs in with "<username>-password".
USERS = {
    "officer": "correspondence-officer",
    "drafter": "drafter",
    "private-office": "private-office",
    "minister": "minister",
    "manager": "unit-manager",
    "admin": "admin",
}


def csrf_token(html: str) -> str:
    """The CSRF token from a page's form."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def sign_in(client, username: str, password: str | None = None):
    """Sign `username` in (password defaults to '<username>-password'); returns the response."""
    token = csrf_token(client.get("/login").get_data(as_text=True))
    return client.post(
        "/login",
        data={"username": username, "password": password or f"{username}-password", "csrf_token": token},
    )


def post_form(client, page: str, action: str, data: dict, **kwargs):
    """Post `data` to `action` with the CSRF token taken from `page`, as a browser would."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(action, data={"csrf_token": token, **data}, **kwargs)


def upload(
    client, files: list[tuple[str, bytes]], received: str = "2009-04-16", timeout: float = 60.0
) -> dict:
    """Upload files as the upload page does and wait for the background import; returns the batch."""
    import io
    import time

    token = csrf_token(client.get("/upload").get_data(as_text=True))
    data = {"csrf_token": token, "received": received, "letters": [(io.BytesIO(c), n) for n, c in files]}
    response = client.post("/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    batch_page = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = client.get(batch_page + ".json").get_json()
        if batch["status"] == "done":
            batch["page"] = client.get(batch_page).get_data(as_text=True)
            return batch
        time.sleep(0.05)
    raise AssertionError(f"the upload was not imported within {timeout} s")
