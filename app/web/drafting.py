"""Drafting and approval in the browser: edit, compare versions, comment, move between stages, dispatch.

Who may do what is decided in app.workflow by role and stage; every route here is open to any
signed-in user and the action itself is refused (with the reason) when the role may not do it.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)

from app import store
from app.cases.actions import add_comment, holding_reply, move_case, save_draft, transfer_case
from app.drafting import DOCX_MEDIA_TYPE, draft_to_docx, draft_to_pdf, letterhead
from app.drafting.redline import change_counts, redline
from app.web.auth import actor
from app.web.cases import back_to_case, case_action, case_or_404, download, taxonomy
from app.workflow import MoveRefused, can_edit_draft, stage_name

bp = Blueprint("drafting", __name__)


def _version_or_404(case: dict, version: int) -> dict:
    draft = store.get_draft(g.db, case["id"], version)
    if draft is None:
        abort(404)
    return draft


@bp.route("/cases/<reference>/draft", methods=["POST"])
def save(reference: str):
    """Save the edited draft as a new version; a clash with someone else's save keeps both."""
    case = case_or_404(reference)
    try:
        based_on = int(request.form.get("based_on", "0"))
        saved = save_draft(
            g.db,
            case,
            text=request.form.get("text", ""),
            based_on=based_on,
            role=g.user["role"],
            actor=actor(),
        )
    except ValueError as error:  # MoveRefused is a ValueError, as is a bad version number
        flash(
            str(error) if isinstance(error, MoveRefused) else "The form was damaged: reload the page", "error"
        )
        return back_to_case(case, "#draft")
    if saved.conflict_with:
        flash(
            f"Someone else saved version {saved.conflict_with} while you were editing. Nothing is lost: "
            f"your text is version {saved.version}. Compare the two below and save the text you want.",
            "error",
        )
        return redirect(
            url_for(
                "drafting.compare",
                reference=case["reference"],
                a=saved.conflict_with,
                b=saved.version,
                clash=1,
            )
        )
    flash("No changes to save" if saved.unchanged else f"Draft saved as version {saved.version}")
    return back_to_case(case, "#draft")


@bp.route("/cases/<reference>/draft/versions/<int:version>")
def version(reference: str, version: int):
    """One version of the draft as it was saved."""
    case = case_or_404(reference)
    draft = _version_or_404(case, version)
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="draft version viewed",
        case_id=case["id"],
        detail={"version": version},
    )
    return render_template("drafting/version.html", case=case, draft=draft, stage_name=stage_name)


@bp.route("/cases/<reference>/draft/compare")
def compare(reference: str):
    """A redline between any two versions (by default the two newest)."""
    case = case_or_404(reference)
    versions = store.list_drafts(g.db, case["id"])
    if not versions:
        abort(404)
    numbers = [v["version"] for v in versions]
    try:
        a = int(request.args.get("a", numbers[-2] if len(numbers) > 1 else numbers[-1]))
        b = int(request.args.get("b", numbers[-1]))
    except ValueError:
        abort(400)
    first, second = _version_or_404(case, a), _version_or_404(case, b)
    changes = redline(first["text"], second["text"])
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="draft versions compared",
        case_id=case["id"],
        detail={"a": a, "b": b},
    )
    latest = versions[-1]
    return render_template(
        "drafting/compare.html",
        case=case,
        versions=versions,
        first=first,
        second=second,
        changes=changes,
        counts=change_counts(changes),
        latest=latest,
        can_edit=can_edit_draft(case, g.user["role"]),
        clash=request.args.get("clash") == "1",
        stage_name=stage_name,
    )


@bp.route("/cases/<reference>/comments", methods=["POST"])
def comment(reference: str):
    """Add a comment on the case and its draft."""
    case = case_or_404(reference)
    try:
        add_comment(g.db, case, text=request.form.get("text", ""), actor=actor())
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case, "#comments")
    flash("Comment added")
    return back_to_case(case, "#comments")


@bp.route("/cases/<reference>/move", methods=["POST"])
def move(reference: str):
    """Move the case to another stage: send on, return with a reason, approve, dispatch, close."""
    case = case_or_404(reference)
    settings = current_app.config["MINCORR_SETTINGS"]
    try:
        moved = move_case(
            g.db,
            case,
            move_id=request.form.get("action", ""),
            case_type=taxonomy().case_type(case["case_type"]),
            role=g.user["role"],
            actor=actor(),
            reason=request.form.get("reason", ""),
            today=settings.today(),
        )
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case)
    flash(f"{case['reference']} is now at: {stage_name(moved['status'])}")
    return back_to_case(moved)


@bp.route("/cases/<reference>/transfer", methods=["POST"])
def transfer(reference: str):
    """Transfer the case to another department; a letter to the writer is drafted."""
    case = case_or_404(reference)
    try:
        case_action(
            transfer_case,
            case,
            department_code=request.form.get("department", ""),
            reason=request.form.get("reason", ""),
        )
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case)
    flash(f"{case['reference']} transferred; the letter telling the writer is the latest draft")
    return back_to_case(case, "#draft")


@bp.route("/cases/<reference>/holding-reply", methods=["POST"])
def holding(reference: str):
    """Send a holding reply: the letter is downloaded as a Word document and the case records it."""
    case = case_or_404(reference)
    try:
        text = case_action(holding_reply, case)
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case)
    return download(
        draft_to_docx(text, letterhead(g.db)), DOCX_MEDIA_TYPE, f"{case['reference']}-holding-reply.docx"
    )


@bp.route("/cases/<reference>/reply.<fmt>")
def signed_reply(reference: str, fmt: str):
    """The approved reply on the letterhead, as Word or PDF, once the minister (or QA) has signed it off."""
    case = case_or_404(reference)
    if fmt not in ("docx", "pdf"):
        abort(404)
    if case["status"] not in ("dispatch", "closed", "transferred"):
        flash("The reply can be downloaded for dispatch once it has been approved", "error")
        return back_to_case(case)
    draft = store.latest_draft(g.db, case["id"])
    if draft is None:
        abort(404)
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="reply downloaded",
        case_id=case["id"],
        detail={"version": draft["version"], "format": fmt},
    )
    if fmt == "pdf":
        data, mimetype = draft_to_pdf([draft["text"]], letterhead(g.db)), "application/pdf"
    else:
        data, mimetype = draft_to_docx(draft["text"], letterhead(g.db)), DOCX_MEDIA_TYPE
    return download(data, mimetype, f"{case['reference']}-reply.{fmt}")
