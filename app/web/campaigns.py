"""Campaigns: the letters of one write-in campaign, handled together.

Every signed-in role may read campaigns. Correspondence officers and unit managers (and admins)
accept a whole campaign's triage at once and take a letter out of its campaign when its writer
asked for something of their own.
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
from app.campaigns import CampaignError, apply_campaign_reply, take_out_of_campaign
from app.drafting import draft_to_pdf, letterhead
from app.store.campaigns import (
    campaign_cases,
    get_campaign,
    list_campaigns,
)
from app.triage import confirm_triage
from app.web.auth import actor, roles_required
from app.web.cases import back_to_case, case_or_404, download, taxonomy
from app.workflow import OFFICERS, stage_name

bp = Blueprint("campaigns", __name__)
PAGE_SIZE = 100
# A merged PDF holds at most this many letters; a larger campaign is downloaded page by page.
MERGE_LIMIT = 500


def _campaign_or_404(campaign_id: int) -> dict:
    campaign = get_campaign(g.db, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/campaigns")
def index():
    """Every campaign, the most recently active first."""
    campaigns = list_campaigns(g.db, limit=PAGE_SIZE)
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="campaigns listed", detail={"count": len(campaigns)}
    )
    return render_template("campaigns/index.html", campaigns=campaigns, taxonomy=taxonomy())


@bp.route("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int):
    """One campaign: its template, its letters (100 to a page) and what can be done to all of them."""
    record = _campaign_or_404(campaign_id)
    page = max(request.args.get("page", 1, type=int), 1)
    cases = campaign_cases(g.db, campaign_id, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    template = store.get_letter(g.db, record["template_letter_id"])
    template_case = store.case_by_letter(g.db, record["template_letter_id"])
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="campaign viewed", detail={"campaign": campaign_id}
    )
    return render_template(
        "campaigns/campaign.html",
        campaign=record,
        cases=cases,
        template=template,
        template_case=template_case,
        page=page,
        pages=max((record["size"] + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        waiting=sum(1 for c in cases if c["status"] == "triage" and not c["campaign_excluded"]),
        can_act=g.user["role"] in (*OFFICERS, "admin"),
        taxonomy=taxonomy(),
        stage_name=stage_name,
    )


@bp.route("/campaigns/<int:campaign_id>/accept", methods=["POST"])
@roles_required(*OFFICERS)
def accept(campaign_id: int):
    """Accept the triage of every letter of the campaign still waiting (letters taken out are left)."""
    _campaign_or_404(campaign_id)
    waiting, offset = [], 0
    while batch := campaign_cases(g.db, campaign_id, limit=PAGE_SIZE, offset=offset):
        waiting += [case for case in batch if case["status"] == "triage" and not case["campaign_excluded"]]
        offset += PAGE_SIZE
    accepted, problems = confirm_triage(
        g.db, waiting, settings=current_app.config["MINCORR_SETTINGS"], taxonomy=taxonomy(), actor=actor()
    )
    for problem in problems:
        flash(problem, "error")
    flash(f"Accepted the triage of {len(accepted)} letter{'s' if len(accepted) != 1 else ''} of the campaign")
    return redirect(url_for("campaigns.campaign", campaign_id=campaign_id))


@bp.route("/campaigns/<int:campaign_id>/apply", methods=["POST"])
@roles_required(*OFFICERS)
def apply(campaign_id: int):
    """Give every waiting letter the approved campaign reply, each with its own address and salutation."""
    _campaign_or_404(campaign_id)
    try:
        answered = apply_campaign_reply(g.db, campaign_id, actor=actor())
    except CampaignError as error:
        flash(str(error), "error")
        return redirect(url_for("campaigns.campaign", campaign_id=campaign_id))
    flash(f"{len(answered)} letter{'s' if len(answered) != 1 else ''} given the campaign reply, to dispatch")
    return redirect(url_for("campaigns.campaign", campaign_id=campaign_id))


@bp.route("/campaigns/<int:campaign_id>/replies.pdf")
def replies(campaign_id: int):
    """The campaign's approved replies merged into one PDF, one letter per page, each with its own address."""
    _campaign_or_404(campaign_id)
    page = max(request.args.get("page", 1, type=int), 1)
    cases = campaign_cases(g.db, campaign_id, limit=MERGE_LIMIT, offset=(page - 1) * MERGE_LIMIT)
    texts = []
    for case in cases:
        if case["campaign_excluded"] or case["status"] not in ("dispatch", "closed"):
            continue
        draft = store.latest_draft(g.db, case["id"])
        if draft:
            texts.append(draft["text"])
    if not texts:
        flash("No reply of this campaign has been approved yet", "error")
        return redirect(url_for("campaigns.campaign", campaign_id=campaign_id))
    store.record_event(
        g.db,
        at=store.utc_now(),
        actor=actor(),
        action="campaign replies downloaded",
        detail={"campaign": campaign_id, "letters": len(texts)},
    )
    return download(
        draft_to_pdf(texts, letterhead(g.db)), "application/pdf", f"campaign-{campaign_id}-replies-{page}.pdf"
    )


@bp.route("/cases/<reference>/campaign/remove", methods=["POST"])
@roles_required(*OFFICERS)
def remove(reference: str):
    """Take a letter out of its campaign: the writer asked for something the campaign reply lacks."""
    case = case_or_404(reference)
    try:
        take_out_of_campaign(g.db, case, reason=request.form.get("reason", ""), actor=actor())
    except CampaignError as error:
        flash(str(error), "error")
        return back_to_case(case, "#campaign")
    flash(f"{case['reference']} was taken out of the campaign and will be answered on its own")
    return back_to_case(case)
