"""Uploading letters: many files at once, imported in the background with a page that shows progress.

Correspondence officers and unit managers (and admins) upload; a batch is visible to them only.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, url_for

from app import store
from app.store.batches import get_batch, insert_batch
from app.web.auth import actor, roles_required
from app.workflow import OFFICERS

bp = Blueprint("intake", __name__)
UPLOAD_ROLES = OFFICERS
ACCEPTED = ".txt,.eml,.msg,.docx,.pdf,.png,.jpg,.jpeg,.tif,.tiff"


@bp.route("/upload", methods=["GET", "POST"])
@roles_required(*UPLOAD_ROLES)
def upload():
    """Upload one or more letters; they are stored at once and imported in the background."""
    if request.method == "GET":
        return render_template("intake/upload.html", errors={}, accepted=ACCEPTED)
    files = [f for f in request.files.getlist("letters") if f and f.filename]
    errors = {}
    received = None
    if request.form.get("received"):
        try:
            received = dt.date.fromisoformat(request.form["received"].strip())
        except ValueError:
            errors["received"] = "Enter the date received as YYYY-MM-DD, for example 2026-11-24"
    if not files:
        errors["letters"] = "Select at least one letter to upload"
    if errors:
        return render_template("intake/upload.html", errors=errors, accepted=ACCEPTED), 400
    batch_id = insert_batch(
        g.db,
        files=[(f.filename, f.read()) for f in files],
        received=received.isoformat() if received else None,
        created_by=actor(),
        at=store.utc_now(),
    )
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="letters uploaded",
        detail={"batch": batch_id, "files": len(files)},
    )
    current_app.extensions["mincorr_batches"].submit(batch_id)
    return redirect(url_for("intake.batch", batch_id=batch_id))


def _batch_or_404(batch_id: int) -> dict:
    batch = get_batch(g.db, batch_id)
    if batch is None:
        abort(404)
    return batch


@bp.route("/upload/batches/<int:batch_id>")
@roles_required(*UPLOAD_ROLES)
def batch(batch_id: int):
    """How far an upload has got, with each file's result: new case, duplicate, or refused and why."""
    return render_template("intake/batch.html", batch=_batch_or_404(batch_id))


@bp.route("/upload/batches/<int:batch_id>.json")
@roles_required(*UPLOAD_ROLES)
def batch_json(batch_id: int):
    """The same as JSON, for the page's progress bar to follow without reloading."""
    batch = _batch_or_404(batch_id)
    return jsonify({key: batch[key] for key in ("id", "status", "total", "done", "files")})
