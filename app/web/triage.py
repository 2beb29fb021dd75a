"""The triage queue: cases the classifier was unsure of, least sure first, accepted in a keystroke or two.

Correspondence officers and unit managers (and admins) work the queue; others cannot see it.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from app import store
from app.triage import confirm_triage, triage_reasons
from app.web.auth import actor, roles_required
from app.web.cases import taxonomy
from app.workflow import OFFICERS

bp = Blueprint("triage", __name__)
PAGE_SIZE = 50


@bp.route("/triage")
@roles_required(*OFFICERS)
def queue():
    """Cases waiting for triage, least sure first, with why each is waiting."""
    page = max(request.args.get("page", 1, type=int), 1)
    cases, total = store.triage_queue(g.db, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    for case in cases:
        case["reasons"] = triage_reasons(g.db, case)
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="triage queue listed", detail={"count": len(cases)}
    )
    return render_template(
        "triage/queue.html",
        cases=cases,
        total=total,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        taxonomy=taxonomy(),
    )


@bp.route("/triage/accept", methods=["POST"])
@roles_required(*OFFICERS)
def accept():
    """Accept the classifier's labels for the chosen cases and send them to drafting."""
    references = request.form.getlist("reference")
    if not references:
        flash("Choose at least one case to accept", "error")
        return redirect(url_for("triage.queue"))
    cases = [store.get_case_by_reference(g.db, reference) for reference in references]
    unknown = [r for r, case in zip(references, cases, strict=True) if case is None]
    accepted, problems = confirm_triage(
        g.db,
        [case for case in cases if case is not None],
        settings=current_app.config["MINCORR_SETTINGS"],
        taxonomy=taxonomy(),
        actor=actor(),
    )
    problems += [f"{reference} is not a case" for reference in unknown]
    if accepted:
        flash(f"Accepted {len(accepted)} case{'s' if len(accepted) != 1 else ''}: {', '.join(accepted)}")
    for problem in problems:
        flash(problem, "error")
    return redirect(url_for("triage.queue"))
