"""API tokens: only a SHA-256 hash of each token is stored, never the token itself."""

from __future__ import annotations

import sqlite_utils


def insert_token(
    db: sqlite_utils.Database, *, user_id: int, token_hash: str, label: str | None, created_at: str
) -> int:
    """Store a new token's hash for a user; return the token's id."""
    return (
        db["api_tokens"]
        .insert({"user_id": user_id, "token_hash": token_hash, "label": label, "created_at": created_at})
        .last_pk
    )


def token_user(db: sqlite_utils.Database, token_hash: str) -> dict | None:
    """The token with this hash: its `id`, `revoked_at`, and its `user` (the user's record)."""
    sql = """
        SELECT api_tokens.id AS token_id, api_tokens.revoked_at AS token_revoked_at, users.*
        FROM api_tokens JOIN users ON users.id = api_tokens.user_id
        WHERE api_tokens.token_hash = ?
    """
    for row in db.query(sql, [token_hash]):
        user = dict(row)
        return {"id": user.pop("token_id"), "revoked_at": user.pop("token_revoked_at"), "user": user}
    return None


def get_token(db: sqlite_utils.Database, token_id: int) -> dict | None:
    """One token's record (without its hash)."""
    rows = list(db["api_tokens"].rows_where("id = ?", [token_id], limit=1))
    if not rows:
        return None
    token = dict(rows[0])
    token.pop("token_hash")
    return token


def mark_token(db: sqlite_utils.Database, token_id: int, column: str, at: str) -> None:
    """Set when a token was last used or was revoked (`column` is last_used_at or revoked_at)."""
    if column not in ("last_used_at", "revoked_at"):
        raise ValueError(f"not a token time: {column!r}")
    db["api_tokens"].update(token_id, {column: at})


def list_tokens(db: sqlite_utils.Database) -> list[dict]:
    """Every token (without its hash) with its user's name, oldest first."""
    sql = """
        SELECT api_tokens.id, users.username, api_tokens.label, api_tokens.created_at,
               api_tokens.last_used_at, api_tokens.revoked_at
        FROM api_tokens JOIN users ON users.id = api_tokens.user_id ORDER BY api_tokens.id
    """
    return [dict(row) for row in db.query(sql)]
