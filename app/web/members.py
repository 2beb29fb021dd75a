"""The parliamentarian view: every letter from one MP, peer or other member, open and overdue.

Everyone signed in may use these pages: officers and managers answer a member's chasers, drafters
look at what the member was told before, private offices and ministers prepare to meet them.
Members are the people in the members register (reference data); a letter is theirs when its
correspondent was matched to them (correspondents.member_id). Listing a member's cases is audited
as "member cases listed" with the number shown only.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, g, render_template, request, url_for

from app import store
from app.store.search import (
    CaseFilters,
    find_cases,
    find_members,
    get_member,
    member_case_counts,
    member_topics,
)
from app.taxonomy import load_taxonomy
from app.web.auth import actor
from app.workflow import OPEN_STAGES, STAGE_NAMES

bp = Blueprint("members", __name__)
PAGE_SIZE = 100
SHOW = {"all": "All letters", "open": "Open", "overdue": "Overdue"}


def _page_number() -> int:
    """The page asked for (from 1); anything else is page 1."""
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and int(page) >= 1 else 1


def _today():
    """The working date (fixed in tests and replays by the settings)."""
    return current_app.config["MINCORR_SETTINGS"].today()


@bp.route("/members")
def members():
    """The members of the register, by surname, with their letters in all, open and overdue."""
    name = request.args.get("name", "").strip()
    page = _page_number()
    rows = find_members(g.db, name, _today(), limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    return render_template(
        "members/members.html",
        name=name,
        members=rows,
        previous_url=url_for("members.members", name=name or None, page=page - 1) if page > 1 else None,
        next_url=url_for("members.members", name=name or None, page=page + 1) if more else None,
    )


@bp.route("/members/<member_id>")
def member(member_id: str):
    """One member: their seats, how many letters are open and overdue, their subjects, and the letters."""
    person = get_member(g.db, member_id)
    if person is None:
        abort(404)
    taxonomy = load_taxonomy(current_app.config["MINCORR_SETTINGS"].corpus_dir / "taxonomy.yaml")
    today = _today()
    show = request.args.get("show", "all")
    show = show if show in SHOW else "all"
    topic = request.args.get("topic", "")
    topic = topic if topic in taxonomy.ids("topics") else ""
    filters = CaseFilters(
        member_id=member_id,
        topic=topic or None,
        stages=OPEN_STAGES if show == "open" else (),
        overdue_on=today if show == "overdue" else None,
    )
    page = _page_number()
    cases = find_cases(g.db, filters, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    more, cases = len(cases) > PAGE_SIZE, cases[:PAGE_SIZE]
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="member cases listed", detail={"count": len(cases)}
    )

    def page_url(number: int) -> str:
        """The same list, another page."""
        return url_for("members.member", member_id=member_id, show=show, topic=topic or None, page=number)

    return render_template(
        "members/member.html",
        member=person,
        counts=member_case_counts(g.db, member_id, today),
        topics=member_topics(g.db, member_id),
        cases=cases,
        show=show,
        shows=SHOW,
        topic=topic,
        today=today.isoformat(),
        taxonomy=taxonomy,
        stage_names=STAGE_NAMES,
        open_stages=OPEN_STAGES,
        previous_url=page_url(page - 1) if page > 1 else None,
        next_url=page_url(page + 1) if more else None,
    )
