"""The inbox of cases and the case page."""

from __future__ import annotations

import datetime as dt
import io

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from markupsafe import Markup, escape

from app import store
from app.campaigns import writer_additions
from app.cases import case_view
from app.cases.actions import LINE_CHOOSERS, choose_case_line, correct_details, line_in_force
from app.clock import clock_status
from app.deadlines import working_days_between
from app.department_settings import holiday_region
from app.drafting import DOCX_MEDIA_TYPE, export_draft
from app.linking import Registers
from app.linking.lines import rank_lines
from app.store.campaigns import get_campaign
from app.store.search import earlier_cases
from app.taxonomy import load_taxonomy
from app.triage import CorrectionError, correct_case
from app.web.auth import actor, roles_required
from app.workflow import (
    OFFICERS,
    OPEN_STAGES,
    STAGE_NAMES,
    STAGES,
    TRANSFER_ROLES,
    TRANSFER_STAGES,
    MoveRefused,
    allows,
    can_edit_draft,
    moves_for,
    stage_name,
)

bp = Blueprint("cases", __name__)
PAGE_SIZE = 100
HIGHLIGHT_LABELS = {
    "SENDER": "sender",
    "RECIPIENT": "addressee",
    "DATE": "date",
    "THEIR_REF": "their reference",
    "SALUTATION": "salutation",
    "SUBJECT": "subject",
    "SIGNATURE": "signature",
    "BILL": "bill",
    "ACT": "act",
    "CLAUSE": "clause",
    "PART": "part",
    "SCHEDULE": "schedule",
    "CONSTITUENT": "constituent",
    "CONSTITUENTS": "constituents",
    "ADDITION": "added by this writer to the campaign's letter",
}


def taxonomy():
    return load_taxonomy(current_app.config["MINCORR_SETTINGS"].corpus_dir / "taxonomy.yaml")


def case_or_404(reference: str) -> dict:
    case = store.get_case_by_reference(g.db, reference)
    if case is None:
        abort(404)
    return case


def back_to_case(case: dict, anchor: str = ""):
    """Redirect to the case page (at `anchor`), where the outcome of an action is shown."""
    return redirect(url_for("cases.case_page", reference=case["reference"]) + anchor)


def download(content: bytes, media_type: str, filename: str):
    """A file for the browser to save (a letter as received, a draft, a signed reply)."""
    return send_file(io.BytesIO(content), mimetype=media_type, as_attachment=True, download_name=filename)


def case_action(action, case: dict, **kwargs):
    """Run one of app.cases.actions on `case` as the signed-in user, with the app's settings and labels."""
    return action(
        g.db,
        case,
        role=g.user["role"],
        actor=actor(),
        settings=current_app.config["MINCORR_SETTINGS"],
        taxonomy=taxonomy(),
        **kwargs,
    )


def highlight(text: str, evidence: list[dict]) -> Markup:
    """The letter's text with what was extracted marked, each mark saying what it is."""
    spans = sorted(
        (e for e in evidence if e["label"] in HIGHLIGHT_LABELS),
        key=lambda e: (e["start"], -(e["end"] - e["start"])),
    )
    out, position = [], 0
    for span in spans:
        if span["start"] < position:
            continue
        name = HIGHLIGHT_LABELS[span["label"]]
        out.append(escape(text[position : span["start"]]))
        out.append(
            Markup(
                '<mark class="mincorr-mark{2}" title="{0}">{1}'
                '<span class="govuk-visually-hidden"> ({0})</span></mark>'
            ).format(
                name,
                text[span["start"] : span["end"]],
                " mincorr-mark--addition" if span["label"] == "ADDITION" else "",
            )
        )
        position = span["end"]
    out.append(escape(text[position:]))
    return Markup("").join(out)


@bp.route("/cases")
def inbox():
    """Cases soonest due first: open ones by default, or those at one stage, or all; 100 to a page."""
    stage = request.args.get("stage", "open")
    if stage not in ("open", "all", *STAGE_NAMES):
        abort(404)
    filters = {"statuses": OPEN_STAGES} if stage == "open" else {} if stage == "all" else {"status": stage}
    total = store.count_cases(g.db, **filters)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    page = min(max(request.args.get("page", 1, type=int), 1), pages)
    cases = store.list_cases(g.db, **filters, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="cases listed", detail={"count": len(cases)}
    )
    return render_template(
        "cases/inbox.html",
        cases=cases,
        total=total,
        page=page,
        pages=pages,
        stage=stage,
        stages=STAGES,
        stage_name=stage_name,
        taxonomy=taxonomy(),
    )


@bp.route("/cases/<reference>")
def case_page(reference: str):
    """One case: the letter, what was read from it, its classification, the draft and its history."""
    case = case_or_404(reference)
    letter = store.get_letter(g.db, case["letter_id"])
    labels = taxonomy()
    settings = current_app.config["MINCORR_SETTINGS"]
    role = g.user["role"]
    drafts = store.list_drafts(g.db, case["id"])
    added = writer_additions(g.db, case)
    comments = store.comments_for_case(g.db, case["id"])
    registers = Registers.load(g.db)
    today = settings.today().isoformat()
    store.record_event(g.db, at=store.utc_now(), actor=actor(), action="case viewed", case_id=case["id"])
    return render_template(
        "cases/case.html",
        case=case_view(g.db, case, labels),
        record=case,
        letter=letter,
        extraction=letter["extraction"],
        letter_html=highlight(
            letter["text"],
            [
                *letter["extraction"].get("evidence", []),
                *({"label": "ADDITION", "start": a.start, "end": a.end} for a in added),
            ],
        ),
        campaign=get_campaign(g.db, case["campaign_id"]) if case["campaign_id"] else None,
        additions=added,
        ranked_lines=rank_lines(registers, letter["text"], today),
        stale_line=line_in_force(registers, case, today) if case["status"] in OPEN_STAGES else None,
        can_choose_line=allows(role, LINE_CHOOSERS) and case["status"] in ("triage", "draft", "qa"),
        draft=drafts[-1] if drafts else None,
        drafts=drafts,
        timeline=timeline(store.events_for_case(g.db, case["id"]), comments),
        comments=comments,
        moves=moves_for(case, labels.case_type(case["case_type"]), role),
        can_edit=can_edit_draft(case, role),
        can_triage=allows(role, TRIAGE_ROLES),
        can_transfer=allows(role, TRANSFER_ROLES) and case["status"] in TRANSFER_STAGES,
        departments=[d for d in store.departments(g.db) if not d["own"]],
        correspondent=store.get_correspondent(g.db, case["correspondent_id"]) or {},
        ministers=store.ministers_with_appointments(g.db),
        at_risk=due_at_risk(case, settings),
        clock=clock_status(g.db, case),
        can_manage_dates=allows(role, OFFICERS),
        earlier=earlier_cases(g.db, case),
        taxonomy=labels,
        stage_name=stage_name,
    )


def due_at_risk(case: dict, settings) -> bool:
    """Whether the reply is late or due within three working days and not yet approved."""
    if case["status"] not in ("triage", "draft", "qa", "private-office", "minister"):
        return False
    today = settings.today()
    due = dt.date.fromisoformat(case["due"])
    region = holiday_region(g.db, settings)
    return due < today or working_days_between(today, due, region) <= AT_RISK_WORKING_DAYS


def timeline(events: list[dict], comments: list[dict]) -> list[dict]:
    """Events and comments together, oldest first, as the case's history."""
    items = [{"at": e["at"], "who": e["actor"], "what": e["action"], "text": None} for e in events]
    items += [
        {
            "at": c["at"],
            "who": c["author"],
            "what": COMMENT_KINDS.get(c["kind"], c["kind"]),
            "text": c["text"],
        }
        for c in comments
    ]
    return sorted(items, key=lambda item: item["at"])


AT_RISK_WORKING_DAYS = 3
COMMENT_KINDS = {"comment": "comment", "return": "returned with a reason", "note": "note"}
TRIAGE_ROLES = OFFICERS


@bp.route("/cases/<reference>/classification", methods=["POST"])
@roles_required(*TRIAGE_ROLES)
def correct_classification(reference: str):
    """Confirm or correct the topic, concern and flags; the correction is kept for retraining."""
    case = case_or_404(reference)
    try:
        correct_case(
            g.db,
            case,
            settings=current_app.config["MINCORR_SETTINGS"],
            taxonomy=taxonomy(),
            actor=actor(),
            topic=request.form.get("topic") or None,
            concern=request.form.get("concern") or None,
            flags=request.form.getlist("flags"),
            reason=request.form.get("reason", "").strip(),
        )
    except CorrectionError as error:
        flash(str(error), "error")
        return back_to_case(case)
    flash(f"Classification of {case['reference']} saved")
    return back_to_case(case)


@bp.route("/cases/<reference>/original")
def original(reference: str):
    """The file the letter came in, as it was received."""
    case = case_or_404(reference)
    letter = store.get_letter(g.db, case["letter_id"])
    stored = store.get_original(g.db, letter["sha256"])
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="original downloaded", case_id=case["id"]
    )
    return download(stored["content"], stored["media_type"], stored["filename"])


@bp.route("/cases/<reference>/draft.docx")
def draft_docx(reference: str):
    """The latest draft as a Word document."""
    case = case_or_404(reference)
    try:
        draft, data = export_draft(g.db, case, "docx", actor())
    except LookupError:
        abort(404)
    return download(data, DOCX_MEDIA_TYPE, f"{case['reference']}-draft-v{draft['version']}.docx")


@bp.route("/cases/<reference>/details", methods=["POST"])
@roles_required(*OFFICERS)
def correct_details_view(reference: str):
    """Correct what was read from the letter: the writer, the answering minister, the date, the reference."""
    case = case_or_404(reference)
    try:
        changed = case_action(
            correct_details, case, values=request.form.to_dict(), reason=request.form.get("reason", "")
        )
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case, "#details")
    flash(f"Details of {case['reference']} corrected: {', '.join(n.replace('_', ' ') for n in changed)}")
    return back_to_case(case)


@bp.route("/cases/<reference>/line", methods=["POST"])
@roles_required(*LINE_CHOOSERS)
def choose_line_view(reference: str):
    """Answer the case from another line to take; the draft is made again from it."""
    case = case_or_404(reference)
    try:
        version = case_action(choose_case_line, case, line_id=request.form.get("line_id", ""))
    except MoveRefused as error:
        flash(str(error), "error")
        return back_to_case(case, "#line")
    flash(
        f"Draft version {version} made from the chosen line; compare it with the last one to keep any edits"
    )
    return back_to_case(case, "#draft")
