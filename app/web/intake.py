"""Uploading letters."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, g, render_template, request

from app.importing import Importer
from app.models import ModelUnusable
from app.web.auth import actor, roles_required

bp = Blueprint("intake", __name__)
UPLOAD_ROLES = ("correspondence-officer", "unit-manager")


@bp.route("/upload", methods=["GET", "POST"])
@roles_required(*UPLOAD_ROLES)
def upload():
    """Upload one or more letters; each gets a new case, is recognised as a duplicate, or is refused."""
    if request.method == "GET":
        return render_template("intake/upload.html", errors={})
    files = [f for f in request.files.getlist("letters") if f and f.filename]
    errors = {}
    received = None
    if request.form.get("received"):
        try:
            received = dt.date.fromisoformat(request.form["received"])
        except ValueError:
            errors["received"] = "Enter the date received as YYYY-MM-DD, for example 2026-11-24"
    if not files:
        errors["letters"] = "Select at least one letter to upload"
    if errors:
        return render_template("intake/upload.html", errors=errors), 400
    try:
        importer = Importer(g.db, current_app.config["MINCORR_SETTINGS"], actor=actor(), source="web")
    except ModelUnusable as error:
        errors["letters"] = f"Letters cannot be read at the moment: {error}. Ask your administrator."
        return render_template("intake/upload.html", errors=errors), 503
    results = [importer.import_upload(f.filename, f.read(), received=received) for f in files]
    return render_template("intake/results.html", results=results)
