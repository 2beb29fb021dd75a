"""The web app: a Flask app factory with one blueprint per area."""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path

from flask import Flask, g, redirect, send_from_directory, url_for
from flask_wtf.csrf import CSRFProtect

from app import store
from app.config import PROJECT_ROOT, Settings, settings_from_env
from app.drafting import format_long_date

GOVUK_DIST = PROJECT_ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
csrf = CSRFProtect()


def _secret_key(settings: Settings) -> str:
    """A stable secret for signing sessions, kept beside the database (never in the repository)."""
    path = Path(settings.db_path).with_name("secret_key")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(test_config: dict | None = None, settings: Settings | None = None) -> Flask:
    """Build the app: defaults, then MINCORR_* settings, then `test_config`."""
    app = Flask(__name__, template_folder=str(Path(__file__).parent.parent / "templates"))
    settings = settings or settings_from_env()
    app.config.from_mapping(
        MINCORR_SETTINGS=settings,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=8),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=100 * 1024 * 1024,
        SERVICE_NAME="mincorr",
    )
    if test_config:
        app.config.from_mapping(test_config)
    settings = app.config["MINCORR_SETTINGS"]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(settings)
    store.open_db(settings.db_path).close()  # create or migrate once, before the first request
    csrf.init_app(app)
    from app.batches import BatchWorker

    app.extensions["mincorr_batches"] = worker = BatchWorker(settings)
    worker.resume()

    @app.before_request
    def open_database():
        g.db = store.open_db(settings.db_path, migrate_schema=False)

    @app.teardown_request
    def close_database(_error):
        db = g.pop("db", None)
        if db is not None:
            db.close()

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str):
        return send_from_directory(GOVUK_DIST / "assets", filename, max_age=86400)

    @app.route("/govuk/<path:filename>")
    def govuk_dist(filename: str):
        if not filename.startswith("govuk-frontend.min."):
            return "Not found", 404
        return send_from_directory(GOVUK_DIST, filename, max_age=86400)

    @app.template_filter("long_date")
    def long_date(value: str | None) -> str:
        """'2009-05-15' as '15 May 2009', the form people in the unit read dates in."""
        if not value:
            return ""
        return format_long_date(dt.date.fromisoformat(str(value)[:10]))

    @app.route("/")
    def index():
        return redirect(url_for("cases.inbox"))

    from app.web import (
        admin,
        api,
        auth,
        campaigns,
        cases,
        deadlines,
        drafting,
        intake,
        members,
        reports,
        search,
        triage,
    )

    for module in (
        auth,
        cases,
        drafting,
        triage,
        intake,
        deadlines,
        reports,
        search,
        members,
        campaigns,
        admin,
        api,
    ):
        app.register_blueprint(module.bp)
    auth.install(app)
    return app
