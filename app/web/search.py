"""Search: the words of letters, with filters (reference, correspondent, constituency, topic, concern,
stage, dates received).

Everyone signed in may search (officers, drafters, private offices, ministers, managers and
admins all look cases up); the page shows what the inbox shows, plus a few words of each letter
around the words found. A search is audited as "cases searched" with the number found only:
what was searched for may hold a correspondent's name, so it is never recorded.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from app import store
from app.store.search import (
    COUNT_CAP,
    MATCH_END,
    MATCH_START,
    CaseFilters,
    count_cases,
    find_cases,
    fts_query,
    match_snippets,
)
from app.taxonomy import load_taxonomy
from app.web.auth import actor
from app.workflow import STAGE_NAMES, STAGES

bp = Blueprint("search", __name__)
PAGE_SIZE = 50
REFERENCE_RE = re.compile(r"^\s*[A-Za-z]{2}\d{6}\s*$")
FIELDS = (
    "q",
    "reference",
    "correspondent",
    "constituency",
    "topic",
    "concern",
    "stage",
    "received_from",
    "received_to",
)
ORDER_NAMES = {"newest": "Newest first", "rank": "Best match first"}


def _taxonomy():
    """The department's taxonomy (read once, then cached)."""
    return load_taxonomy(current_app.config["MINCORR_SETTINGS"].corpus_dir / "taxonomy.yaml")


def marked_snippet(snippet: str | None) -> Markup:
    """A snippet made safe for the page, with the words found in <mark>."""
    if not snippet:
        return Markup("")
    return Markup(str(escape(snippet)).replace(MATCH_START, "<mark>").replace(MATCH_END, "</mark>"))


def _date(form: dict, field: str, errors: dict) -> dt.date | None:
    """A YYYY-MM-DD date from the form, or None; a bad one is reported in `errors`."""
    if not form[field]:
        return None
    try:
        return dt.date.fromisoformat(form[field])
    except ValueError:
        errors[field] = "Enter the date as YYYY-MM-DD, for example 2026-11-24"
        return None


def read_search(args, taxonomy) -> tuple[dict, CaseFilters | None, dict]:
    """The form as typed, the filters it asks for (None if nothing was asked), and any errors."""
    form = {field: args.get(field, "").strip() for field in FIELDS}
    errors: dict[str, str] = {}
    choices = (
        ("topic", taxonomy.ids("topics")),
        ("concern", taxonomy.ids("concerns")),
        ("stage", list(STAGE_NAMES)),
    )
    for field, allowed in choices:
        if form[field] and form[field] not in allowed:
            errors[field] = f"Choose a {field} from the list"
    received_from, received_to = _date(form, "received_from", errors), _date(form, "received_to", errors)
    if received_from and received_to and received_from > received_to:
        errors["received_to"] = "The second date must be the same as or after the first"
    if form["q"] and not fts_query(form["q"]) and not errors:
        errors["q"] = "Enter words to search for, using letters or numbers"
    if errors or form["reference"] or not any(form.values()):
        return form, None, errors
    filters = CaseFilters(
        words=form["q"] or None,
        correspondent=form["correspondent"] or None,
        constituency=form["constituency"] or None,
        topic=form["topic"] or None,
        concern=form["concern"] or None,
        stages=(form["stage"],) if form["stage"] else (),
        received_from=received_from,
        received_to=received_to,
    )
    return form, filters, errors


def _page_number() -> int:
    """The page asked for (from 1); anything else is page 1."""
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and int(page) >= 1 else 1


def _audit_search(found: int) -> None:
    """Record a search with the number of cases found, never what was searched for."""
    store.record_event(
        g.db, at=store.utc_now(), actor=actor(), action="cases searched", detail={"count": found}
    )


@bp.route("/search")
def search():
    """Find cases by the words of their letter and by filters; a known reference opens its case."""
    taxonomy = _taxonomy()
    form, filters, errors = read_search(request.args, taxonomy)
    reference = form["reference"] or (form["q"] if REFERENCE_RE.match(form["q"]) else "")
    case = store.get_case_by_reference(g.db, reference) if reference else None
    if case is not None:
        return redirect(url_for("cases.case_page", reference=case["reference"]))
    context = {
        "form": form,
        "errors": errors,
        "taxonomy": taxonomy,
        "options": {
            "topic": [(t["id"], t["name"]) for t in taxonomy.topics],
            "concern": [(c["id"], c["name"]) for c in taxonomy.concerns],
            "stage": list(STAGES),
        },
        "stage_names": STAGE_NAMES,
        "orders": ORDER_NAMES,
    }
    if errors:
        return render_template("search/search.html", **context), 400
    if form["reference"]:  # an exact reference that no case has: nothing else can match
        _audit_search(0)
        return render_template("search/search.html", **context, unknown_reference=form["reference"].upper())
    if filters is None:
        return render_template("search/search.html", **context)

    return render_template("search/search.html", **context, **_results(filters, form))


def _results(filters: CaseFilters, form: dict) -> dict:
    """One page of the cases found, newest first or best match first, with what the page needs."""
    total = count_cases(g.db, filters)
    order = request.args.get("order", "newest")
    # Ranking reads every letter matched: past COUNT_CAP of them it is too slow to be worth it.
    rank_refused = order == "rank" and bool(filters.match) and total >= COUNT_CAP
    if order not in ORDER_NAMES or not filters.match or rank_refused:
        order = "newest"
    page = _page_number()
    cases = find_cases(g.db, filters, order=order, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    snippets = match_snippets(g.db, filters.words, [c["letter_id"] for c in cases]) if filters.match else {}
    _audit_search(total)
    query = {k: v for k, v in form.items() if v}

    def page_url(number: int) -> str:
        """The same search, another page."""
        return url_for("search.search", **query, order=order, page=number)

    return {
        "cases": cases,
        "snippets": {letter_id: marked_snippet(s) for letter_id, s in snippets.items()},
        "total": total,
        "capped": total >= COUNT_CAP,
        "rank_refused": rank_refused,
        "order": order,
        "order_urls": {o: url_for("search.search", **query, order=o) for o in ORDER_NAMES}
        if filters.match
        else {},
        "first": (page - 1) * PAGE_SIZE + 1,
        "previous_url": page_url(page - 1) if page > 1 else None,
        "next_url": page_url(page + 1) if page * PAGE_SIZE < total else None,
    }
