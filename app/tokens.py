"""API tokens: created for a user, shown once, stored only as a hash, revoked when no longer needed.

A token acts for its user with the user's role: a drafter's token reads cases but cannot upload
letters. `mincorr token create USERNAME` prints a new token; `mincorr token revoke ID` ends it.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import NamedTuple

import click
import sqlite_utils

from app import store
from app.store.tokens import get_token, insert_token, list_tokens, mark_token, token_user

TOKEN_PREFIX = "mincorr_"


class TokenError(ValueError):
    """A token cannot be created or revoked as asked; the message says why."""


class IssuedToken(NamedTuple):
    """A new token: its id (to revoke it by) and the token itself, which is never shown again."""

    id: int
    token: str


def token_hash(token: str) -> str:
    """The SHA-256 hash of a token, the only form in which it is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    db: sqlite_utils.Database, username: str, label: str | None = None, *, actor: str = "mincorr"
) -> IssuedToken:
    """Create a token for an active user; return it with its id. Only its hash is kept."""
    user = store.get_user_by_username(db, username.strip())
    if user is None or not user["active"]:
        raise TokenError(f"No active user {username!r}; add one with `mincorr user add`")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = store.utc_now()
    with db.atomic():
        token_id = insert_token(
            db, user_id=user["id"], token_hash=token_hash(token), label=label or None, created_at=now
        )
        store.record_event(db, at=now, actor=actor, action="API token created", detail={"token_id": token_id})
    return IssuedToken(token_id, token)


def revoke_token(db: sqlite_utils.Database, token_id: int, *, actor: str = "mincorr") -> dict:
    """Revoke a token at once; return its record. Revoking twice, or an unknown id, is an error."""
    token = get_token(db, token_id)
    if token is None:
        raise TokenError(f"No API token {token_id}; `mincorr token list` shows them")
    if token["revoked_at"]:
        raise TokenError(f"API token {token_id} was already revoked on {token['revoked_at']}")
    now = store.utc_now()
    with db.atomic():
        mark_token(db, token_id, "revoked_at", now)
        store.record_event(db, at=now, actor=actor, action="API token revoked", detail={"token_id": token_id})
    return {**token, "revoked_at": now}


def authenticate_token(db: sqlite_utils.Database, presented: str) -> dict | None:
    """The user a presented token acts for, or None if it is unknown, revoked or the user inactive."""
    if not presented.startswith(TOKEN_PREFIX):
        return None
    found = token_user(db, token_hash(presented))
    if found is None or found["revoked_at"] or not found["user"]["active"]:
        return None
    mark_token(db, found["id"], "last_used_at", store.utc_now())
    return found["user"]


def _cli_actor() -> str:
    """Who is at the terminal, for the audit log (as app.cli records it)."""
    # Imported here because app.cli imports this module to register the `token` commands.
    from app.cli import cli_actor

    return cli_actor()


@click.group(name="token")
def token_cli() -> None:
    """Create, list and revoke API tokens (for /api/v1)."""


@token_cli.command(name="create")
@click.argument("username")
@click.option("--label", help="What the token is for, e.g. the system that will use it.")
@click.pass_obj
def token_create(obj, username: str, label: str | None) -> None:
    """Create an API token for USERNAME and print it; it is shown only this once."""
    try:
        issued = create_token(obj.db, username, label, actor=_cli_actor())
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(issued.token)
    click.echo(
        f"API token {issued.id} for {username}: keep it secret, it is not shown again. "
        f"Revoke it with `mincorr token revoke {issued.id}`.",
        err=True,
    )


@token_cli.command(name="revoke")
@click.argument("token_id", metavar="ID", type=int)
@click.pass_obj
def token_revoke(obj, token_id: int) -> None:
    """Revoke the API token with this ID; requests carrying it are refused from now on."""
    try:
        revoke_token(obj.db, token_id, actor=_cli_actor())
    except TokenError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"API token {token_id} revoked.")


@token_cli.command(name="list")
@click.pass_obj
def token_list(obj) -> None:
    """List the API tokens: id, user, label, when created, last used and revoked (never the token)."""
    tokens = list_tokens(obj.db)
    if not tokens:
        click.echo("No API tokens.")
        return
    click.echo(f"{'ID':>4}  {'User':<15} {'Created':<21} {'Last used':<21} {'Revoked':<21} Label")
    for t in tokens:
        click.echo(
            f"{t['id']:>4}  {t['username']:<15} {t['created_at']:<21} {t['last_used_at'] or '-':<21} "
            f"{t['revoked_at'] or '-':<21} {t['label'] or ''}"
        )
