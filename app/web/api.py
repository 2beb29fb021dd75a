"""The JSON API under /api/v1, for other systems; each request carries "Authorization: Bearer TOKEN".

A token (see app/tokens.py, `mincorr token create USERNAME`) acts for its user with the user's
role, as in the web app:
- POST /api/v1/letters: correspondence officers, unit managers and admins (those who may upload
  on /upload);
- GET /api/v1/cases and /api/v1/cases/REFERENCE: every role (everyone signed in reads cases);
- GET /api/v1/openapi.json: anyone, without a token (it describes the API and holds no data).

The session cookie is never read here: only the token identifies the caller, which is why the
blueprint can be exempt from CSRF (a browser cannot be tricked into sending a bearer token).
Every case returned is audited as "case viewed" by "api:USERNAME", like a view in the web app.
"""

from __future__ import annotations

import datetime as dt
import functools

from flask import Blueprint, current_app, g, jsonify, request, url_for

from app import store
from app.cases import case_view
from app.importing import Importer
from app.models import ModelUnusable
from app.store.search import CaseFilters, find_cases
from app.taxonomy import load_taxonomy
from app.tokens import authenticate_token
from app.web import csrf
from app.web.intake import UPLOAD_ROLES
from app.web.openapi import openapi_document
from app.workflow import STAGE_NAMES

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PAGE_SIZE = 100
OPEN_ENDPOINTS = {"api.openapi"}


def error(status: int, message: str, **extra):
    """A JSON error response: {"error": message, ...}."""
    return jsonify({"error": message, **extra}), status


@bp.before_request
def authenticate():
    """Identify the caller by bearer token; refuse with 401 if there is none or it is not valid."""
    g.user = None
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    user = authenticate_token(g.db, token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        response, status = error(401, "send a valid API token: Authorization: Bearer <token>")
        response.headers["WWW-Authenticate"] = 'Bearer realm="mincorr"'
        return response, status
    g.user = user
    return None


def api_actor() -> str:
    """The token's user, for the audit log."""
    return f"api:{g.user['username']}"


def roles_allowed(*roles: str):
    """Allow an endpoint only to tokens whose user has one of `roles` (admin always passes)."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if g.user["role"] not in roles and g.user["role"] != "admin":
                return error(403, f"the role {g.user['role']} may not do this")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _taxonomy():
    """The department's taxonomy (read once, then cached)."""
    return load_taxonomy(current_app.config["MINCORR_SETTINGS"].corpus_dir / "taxonomy.yaml")


def _viewed(cases: list[dict]) -> None:
    """Record that each case was read through the API."""
    now, who = store.utc_now(), api_actor()
    store.record_events(
        g.db, [{"at": now, "actor": who, "action": "case viewed", "case_id": c["id"]} for c in cases]
    )


@bp.route("/letters", methods=["POST"])
@roles_allowed(*UPLOAD_ROLES)
def upload_letters():
    """Import the files sent under "letters"; 201 if a case was opened, 400 if every file was refused."""
    files = [f for f in request.files.getlist("letters") if f and f.filename]
    if not files:
        return error(400, 'send one or more files as multipart/form-data, each in the field "letters"')
    received = None
    if request.form.get("received"):
        try:
            received = dt.date.fromisoformat(request.form["received"].strip())
        except ValueError:
            return error(400, "received must be a date in the form YYYY-MM-DD")
    try:
        importer = Importer(g.db, current_app.config["MINCORR_SETTINGS"], actor=api_actor(), source="api")
    except ModelUnusable as problem:
        return error(503, f"letters cannot be read at the moment: {problem}")
    results = [importer.import_upload(f.filename, f.read(), received=received) for f in files]
    taxonomy, cases, out = _taxonomy(), [], []
    for result in results:
        item = {**result.as_dict(), "case": None}
        case = store.get_case_by_reference(g.db, result.reference) if result.reference else None
        if case is not None:
            item["case"] = case_view(g.db, case, taxonomy)
            cases.append(case)
        out.append(item)
    _viewed(cases)
    if any(r.status == "created" for r in results):
        return jsonify({"results": out}), 201
    if all(r.status == "refused" for r in results):
        return jsonify({"error": "no file could be imported; each result says why", "results": out}), 400
    return jsonify({"results": out}), 200


@bp.route("/cases/<reference>")
def get_case(reference: str):
    """One case, exactly as `mincorr show --json` prints it."""
    case = store.get_case_by_reference(g.db, reference)
    if case is None:
        return error(404, f"no case with reference {reference.strip().upper()}")
    view = case_view(g.db, case, _taxonomy())
    _viewed([case])
    return jsonify(view)


@bp.route("/cases")
def list_cases():
    """Cases soonest due first, 100 a page, optionally of one status (stage) and one topic."""
    status = request.args.get("status") or None
    topic = request.args.get("topic") or None
    taxonomy = _taxonomy()
    if status and status not in STAGE_NAMES:
        return error(400, f"unknown status {status!r}; use one of {', '.join(STAGE_NAMES)}")
    if topic and topic not in taxonomy.ids("topics"):
        return error(400, f"unknown topic {topic!r}")
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        return error(400, "page must be a whole number from 1")
    page = int(page)
    filters = CaseFilters(topic=topic, stages=(status,) if status else ())
    rows = find_cases(g.db, filters, order="due", limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    views = [case_view(g.db, case, taxonomy) for case in rows]
    _viewed(rows)
    query = {k: v for k, v in (("status", status), ("topic", topic)) if v}
    return jsonify(
        {
            "cases": views,
            "page": page,
            "next": url_for("api.list_cases", page=page + 1, **query) if more else None,
            "previous": url_for("api.list_cases", page=page - 1, **query) if page > 1 else None,
        }
    )


@bp.route("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API (no token needed)."""
    return jsonify(openapi_document(_taxonomy()))
