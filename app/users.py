"""Users and roles of the web app."""

from __future__ import annotations

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from app import store

ROLES = ("correspondence-officer", "drafter", "private-office", "minister", "unit-manager", "admin")
MIN_PASSWORD_LENGTH = 10


class UserError(ValueError):
    """A user cannot be added as asked; the message says why."""


def add_user(db: sqlite_utils.Database, username: str, password: str, role: str) -> int:
    """Add a user with a hashed password, or reset an existing user's password and role."""
    username = username.strip()
    if not username or not username.replace("-", "").replace("_", "").replace(".", "").isalnum():
        raise UserError("A username is letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise UserError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters")
    return store.create_user(db, username, generate_password_hash(password), role, store.utc_now())


def authenticate(db: sqlite_utils.Database, username: str, password: str) -> dict | None:
    """Return the user if the password is right and the account active, else None."""
    user = store.get_user_by_username(db, username.strip())
    if user and user["active"] and check_password_hash(user["password_hash"], password):
        return user
    return None
