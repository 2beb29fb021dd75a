"""Signing in and out; every other page needs a signed-in user."""

from __future__ import annotations

import functools

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for

from app import store
from app.users import authenticate

bp = Blueprint("auth", __name__)
PUBLIC_ENDPOINTS = {"auth.login", "govuk_assets", "govuk_dist", "static"}
# Blueprints that identify the caller themselves, never by the session: the JSON API checks a
# bearer token in its own before_request (app/web/api.py) and answers 401 without one. A browser's
# session cookie therefore never opens the API, which is why the API may be exempt from CSRF.
TOKEN_BLUEPRINTS = {"api"}


def install(app: Flask) -> None:
    """Require a signed-in user for every page but the sign-in page and the assets."""

    @app.before_request
    def load_user():
        g.user = None
        if request.blueprint in TOKEN_BLUEPRINTS:
            return None
        user_id = session.get("user_id")
        if user_id is not None:
            user = store.get_user(g.db, user_id)
            if user and user["active"]:
                g.user = user
        if g.user is None and request.endpoint not in PUBLIC_ENDPOINTS and request.endpoint is not None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return None

    @app.context_processor
    def inject_user():
        return {"current_user": g.get("user")}


def actor() -> str:
    """The signed-in user, for the audit log."""
    return f"web:{g.user['username']}"


def roles_required(*roles: str):
    """Allow a view only to users with one of `roles`."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user["role"] not in roles and g.user["role"] != "admin":
                return render_template("forbidden.html"), 403
            return view(*args, **kwargs)

        return wrapped

    return decorator


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    error = None
    if request.method == "POST":
        user = authenticate(g.db, request.form.get("username", ""), request.form.get("password", ""))
        if user is None:
            error = "Enter a correct username and password"
        else:
            session.clear()
            session.permanent = True
            session["user_id"] = user["id"]
            store.record_event(g.db, at=store.utc_now(), actor=f"web:{user['username']}", action="signed in")
            target = request.args.get("next", "")
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("cases.inbox")
            return redirect(target)
    return render_template("auth/login.html", error=error), (400 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out."""
    if g.user:
        store.record_event(g.db, at=store.utc_now(), actor=actor(), action="signed out")
    session.clear()
    flash("You have signed out")
    return redirect(url_for("auth.login"))
