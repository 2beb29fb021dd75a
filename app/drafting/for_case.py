"""Drafting a stored case: gather its facts from the store and registers, compose, save a version."""

from __future__ import annotations

import datetime as dt

import jinja2
import sqlite_utils

from app import store
from app.drafting.compose import compose_draft, templates_for
from app.drafting.context import reply_context
from app.linking import Registers, answering_minister
from app.linking.registers import chosen_minister
from app.taxonomy import Taxonomy


def case_reply_context(
    db: sqlite_utils.Database,
    case: dict,
    *,
    registers: Registers,
    taxonomy: Taxonomy,
    reply_date: dt.date,
) -> dict:
    """Everything a reply template may use for `case` as it now stands."""
    letter = store.get_letter(db, case["letter_id"])
    line = registers.line(case["line_id"])
    line_version = next(
        (v for v in (line or {}).get("versions", []) if v["version"] == case["line_version"]), None
    )
    return reply_context(
        reference=case["reference"],
        case_type=taxonomy.case_type(case["case_type"]),
        correspondent=store.get_correspondent(db, case["correspondent_id"]),
        # What a person corrected on the case wins over what was read from the letter.
        extraction={
            **letter["extraction"],
            "letter_date": case["letter_date"],
            "their_reference": case["their_reference"],
        },
        received=dt.date.fromisoformat(case["received"]),
        reply_date=reply_date,
        addressed_to=case["addressed_to"] or {},
        answering=(
            chosen_minister(registers, case["answering_minister_id"], case["topic"], case["received"])
            if case["answering_minister_id"]
            else answering_minister(registers, case["topic"], case["received"])
        ),
        own_department=registers.own_department,
        topic=case["topic"],
        concern=case["concern"],
        bill=registers.bill(case["bill_id"]),
        clause=registers.clause(case["bill_id"], case["clause_number"]),
        line=line if line_version else None,
        line_version=line_version,
        taxonomy=taxonomy,
    )


def reply_template(case_type: dict) -> str:
    """The template for a case type's reply: the minister's letter, or an official's."""
    if case_type.get("signed_by") == "minister":
        return "reply_parliamentarian.txt.j2"
    return "reply_public.txt.j2"


def draft_case(
    db: sqlite_utils.Database,
    case: dict,
    *,
    registers: Registers,
    taxonomy: Taxonomy,
    templates: jinja2.Environment,
    reply_date: dt.date,
    actor: str,
    template: str | None = None,
    extra: dict | None = None,
) -> int:
    """Compose a letter for `case` as it now stands and store it as the next draft version.

    The letter is the reply unless `template` names another (a transfer letter); `extra` adds
    to what the template may use.
    """
    context = case_reply_context(db, case, registers=registers, taxonomy=taxonomy, reply_date=reply_date)
    context.update(extra or {})
    template = template or reply_template(taxonomy.case_type(case["case_type"]))
    draft = compose_draft(templates, template, context)
    now = store.utc_now()
    version = store.insert_draft(
        db,
        case["id"],
        text=draft.text,
        template=draft.template,
        reply_date=reply_date.isoformat(),
        citations=draft.citations,
        created_at=now,
        created_by="mincorr",
        stage=case["status"],
    )
    store.record_event(
        db,
        at=now,
        actor=actor,
        action="draft created",
        case_id=case["id"],
        detail={"version": version, "template": draft.template, "citations": draft.citations},
    )
    return version


def redraft(
    db: sqlite_utils.Database,
    case_id: int,
    *,
    settings,
    taxonomy: Taxonomy,
    actor: str,
    registers: Registers | None = None,
    template: str | None = None,
    extra: dict | None = None,
) -> int:
    """Draft a stored case again as it now stands, dated the working day; return the new version."""
    return draft_case(
        db,
        store.get_case(db, case_id),
        registers=registers or Registers.load(db),
        taxonomy=taxonomy,
        templates=templates_for(settings),
        reply_date=settings.today(),
        actor=actor,
        template=template,
        extra=extra,
    )
