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
