"""What a unit's admin changes: users, lines to take, reply templates, ministers' posts and bills.

Each function checks what a person typed, makes the change and records it in the event log
(ids and statuses only, never names or text). A change that cannot be made raises AdminError
with a message written for the person who asked, and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.meta
import sqlite_utils

from app import store
from app.config import Settings
from app.drafting import compose_draft, templates_for
from app.drafting.for_case import case_reply_context, reply_template
from app.linking import Registers
from app.store.admin import (
    end_appointment,
    get_appointment,
    get_line,
    insert_appointment,
    insert_line_version,
    minister_ids,
    set_user_active,
    set_user_role,
    update_bill_stage,
    update_clause_status,
    update_line_version,
)
from app.taxonomy import Taxonomy
from app.users import ROLES, UserError, add_user

# Where a clause of a bill can stand; the empty status is a clause still in the bill as introduced.
CLAUSE_STATUSES = {
    "": "In the bill",
    "amended": "Amended",
    "withdrawn": "Withdrawn",
    "defeated": "Defeated",
    "enacted": "Enacted",
}
TEMPLATE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*\.j2$")


class AdminError(ValueError):
    """A change cannot be made as asked; the message says why, for the person who asked, and
    `field` names the form field at fault when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:]


def _audit(db: sqlite_utils.Database, actor: str, action: str, detail: dict, case_id: int | None = None):
    store.record_event(db, at=store.utc_now(), actor=actor, action=action, case_id=case_id, detail=detail)


def parse_date(text: str, what: str, field: str | None = None) -> dt.date:
    """Read a date typed as YYYY-MM-DD; raises AdminError naming `what` otherwise."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise AdminError(f"Enter {what} as a date like 2026-03-24", field) from None


# --- users ---


def add_account(
    db: sqlite_utils.Database, username: str, role: str, password: str, again: str, *, actor: str
) -> int:
    """Add a user who can sign in at once; the password is typed twice and stored hashed."""
    if store.get_user_by_username(db, username.strip()):
        raise AdminError("There is already a user with that username", "username")
    if password != again:
        raise AdminError("The two passwords do not match", "password")
    try:
        user_id = add_user(db, username, password, role)
    except UserError as error:
        field = next((f for f in ("password", "role") if f in str(error)), "username")
        raise AdminError(_sentence(error), field) from None
    _audit(db, actor, "user added", {"user_id": user_id, "role": role})
    return user_id


def change_role(db: sqlite_utils.Database, user: dict, role: str, *, by: dict, actor: str) -> None:
    """Give a user another role; an admin cannot change their own (they would lock themselves out)."""
    if role not in ROLES:
        raise AdminError("Choose one of the roles listed")
    if user["id"] == by["id"]:
        raise AdminError("You cannot change your own role: ask another admin")
    set_user_role(db, user["id"], role)
    _audit(db, actor, "user role changed", {"user_id": user["id"], "from": user["role"], "to": role})


def set_active(db: sqlite_utils.Database, user: dict, active: bool, *, by: dict, actor: str) -> None:
    """Stop a user signing in (deactivate) or let them again; an admin cannot deactivate themselves."""
    if not active and user["id"] == by["id"]:
        raise AdminError("You cannot deactivate yourself: ask another admin")
    set_user_active(db, user["id"], active)
    _audit(db, actor, "user reactivated" if active else "user deactivated", {"user_id": user["id"]})


def reset_password(db: sqlite_utils.Database, user: dict, password: str, again: str, *, actor: str) -> None:
    """Give an active user a new password, typed twice."""
    if not user["active"]:
        raise AdminError("Reactivate the user before giving them a new password")
    if password != again:
        raise AdminError("The two passwords do not match")
    try:
        add_user(db, user["username"], password, user["role"])
    except UserError as error:
        raise AdminError(_sentence(error)) from None
    _audit(db, actor, "user password reset", {"user_id": user["id"]})


# --- lines to take ---


def parse_paragraphs(text: str) -> list[str]:
    """Paragraphs typed in a text box, one blank line between them; each is joined onto one line."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _line_and_version(db: sqlite_utils.Database, line_id: str, version: int) -> tuple[dict, dict]:
    line = get_line(db, line_id)
    found = next((v for v in (line or {}).get("versions", []) if v["version"] == version), None)
    if found is None:
        raise AdminError(f"There is no version {version} of that line to take")
    return line, found


def new_line_version(
    db: sqlite_utils.Database, line_id: str, text: str, effective_from: str, *, today: dt.date, actor: str
) -> int:
    """Add a draft version of a line; it is not used in replies until it is approved."""
    if get_line(db, line_id) is None:
        raise AdminError("There is no such line to take")
    paragraphs = parse_paragraphs(text)
    if not paragraphs:
        raise AdminError("Enter the text of the line, with a blank line between paragraphs", "paragraphs")
    start = None
    if effective_from.strip():
        start = parse_date(effective_from, "the date it takes effect", "effective_from")
        if start < today:
            raise AdminError("A new version cannot take effect before today", "effective_from")
    version = insert_line_version(
        db,
        line_id,
        {
            "status": "draft",
            "effective_from": start.isoformat() if start else None,
            "effective_to": None,
            "approved_by": "",
            "approved_on": None,
            "paragraphs": paragraphs,
        },
    )
    _audit(db, actor, "line version drafted", {"line_id": line_id, "version": version})
    return version


def approve_line_version(
    db: sqlite_utils.Database, line_id: str, version: int, *, approver: str, today: dt.date, actor: str
) -> None:
    """Approve a draft version: it is used from its effective date (today if none, or if that has
    passed), and the version it replaces ends the day before (expired at once if that is today)."""
    line, found = _line_and_version(db, line_id, version)
    if found["status"] != "draft":
        raise AdminError(f"Version {version} is {found['status']}: only a draft can be approved")
    start = max(found["effective_from"] or "", today.isoformat())
    previous_day = (dt.date.fromisoformat(start) - dt.timedelta(days=1)).isoformat()
    superseded = [
        v["version"]
        for v in line["versions"]
        if v["status"] == "approved" and (not v["effective_to"] or v["effective_to"] >= start)
    ]
    with db.atomic():
        update_line_version(
            db,
            line_id,
            version,
            {
                "status": "approved",
                "approved_by": approver,
                "approved_on": today.isoformat(),
                "effective_from": start,
            },
        )
        for old in superseded:
            fields = {"effective_to": previous_day}
            if start <= today.isoformat():
                fields["status"] = "expired"
            update_line_version(db, line_id, old, fields)
        _audit(
            db,
            actor,
            "line version approved",
            {"line_id": line_id, "version": version, "effective_from": start, "superseded": superseded},
        )


def expire_line_version(
    db: sqlite_utils.Database, line_id: str, version: int, *, today: dt.date, actor: str
) -> None:
    """Stop using a version (or drop a draft): today is its last day, and replies no longer quote it."""
    _line, found = _line_and_version(db, line_id, version)
    if found["status"] == "expired":
        raise AdminError(f"Version {version} has already expired")
    update_line_version(db, line_id, version, {"status": "expired", "effective_to": today.isoformat()})
    _audit(db, actor, "line version expired", {"line_id": line_id, "version": version})


# --- reply templates ---


@dataclass(frozen=True)
class TemplateFile:
    """A reply template: its name, whether it is shipped, the department's override or its own, and
    the file drafting reads it from."""

    name: str
    origin: str  # "shipped", "overridden" or "department"
    path: Path


@dataclass(frozen=True)
class Preview:
    """A template composed for one case as drafting would now, or the error that stopped it."""

    text: str | None
    rendered: str  # the template rendered: the one asked about, or the reply that imports it
    case_template: str  # the template the case's replies are drafted from
    error: str | None


class TemplateCheckError(AdminError):
    """A template cannot be used; `line` is the line of the mistake, when Jinja knows it."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message, "source")
        self.line = line


def _names(folder: Path | None) -> set[str]:
    if not folder or not Path(folder).is_dir():
        return set()
    return {p.name for p in Path(folder).glob("*.j2") if TEMPLATE_NAME.match(p.name)}


def list_templates(settings: Settings) -> list[TemplateFile]:
    """Every reply template drafting can use, the department's own folder taking precedence."""
    shipped, overrides = _names(settings.templates_dir), _names(settings.override_templates_dir)
    result = []
    for name in sorted(shipped | overrides):
        if name in overrides:
            origin = "overridden" if name in shipped else "department"
            result.append(TemplateFile(name, origin, Path(settings.override_templates_dir) / name))
        else:
            result.append(TemplateFile(name, "shipped", Path(settings.templates_dir) / name))
    return result


def find_template(settings: Settings, name: str) -> TemplateFile | None:
    """The template called `name`, if drafting has one (names are never taken as paths)."""
    return next((t for t in list_templates(settings) if t.name == name), None)


def check_template(settings: Settings, name: str, source: str) -> None:
    """Raise TemplateCheckError if `source` is not valid Jinja or imports a template that is not there."""
    environment = templates_for(settings)
    try:
        tree = environment.parse(source, name=name)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateCheckError(f"Line {error.lineno}: {error.message}", error.lineno) from None
    known = {t.name for t in list_templates(settings)}
    for referenced in jinja2.meta.find_referenced_templates(tree):
        if referenced is not None and referenced not in known:
            raise TemplateCheckError(f"It uses the template {referenced}, which does not exist")


def save_template(
    settings: Settings, name: str, source: str, *, db: sqlite_utils.Database, actor: str
) -> Path:
    """Save an edited template into the department's override folder, after checking it."""
    if settings.override_templates_dir is None:
        raise AdminError("Templates can only be saved when a folder for the department's templates is set")
    if find_template(settings, name) is None:
        raise AdminError("There is no such template")
    source = source.replace("\r\n", "\n")
    check_template(settings, name, source)
    folder = Path(settings.override_templates_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(source, encoding="utf-8")
    _audit(db, actor, "template saved", {"template": name})
    return path


def remove_override(settings: Settings, name: str, *, db: sqlite_utils.Database, actor: str) -> None:
    """Delete the department's copy of a shipped template, so that the shipped one is used again."""
    template = find_template(settings, name)
    if template is None or template.origin != "overridden":
        raise AdminError("Only a template that overrides a shipped one can be put back")
    template.path.unlink()
    _audit(db, actor, "template override removed", {"template": name})


def _imports(environment: jinja2.Environment, template: str) -> set[str]:
    """The templates that `template` imports or includes by name."""
    source = environment.loader.get_source(environment, template)[0]
    return set(jinja2.meta.find_referenced_templates(environment.parse(source))) - {None}


def preview_reply(
    db: sqlite_utils.Database,
    settings: Settings,
    case: dict,
    name: str,
    *,
    taxonomy: Taxonomy,
    source: str | None = None,
    actor: str,
) -> Preview:
    """Compose template `name` for `case` as drafting would today, with `source` in place of the
    saved template if given; nothing is stored but the audit event of the view.

    A template that the case's own reply template imports (shared pieces) is previewed through
    that reply template; any other is rendered itself with the case's facts.
    """
    environment = templates_for(settings)
    if source is not None:
        edited = jinja2.DictLoader({name: source.replace("\r\n", "\n")})
        environment.loader = jinja2.ChoiceLoader([edited, environment.loader])
    case_template = reply_template(taxonomy.case_type(case["case_type"]))
    rendered = name
    context = case_reply_context(
        db, case, registers=Registers.load(db), taxonomy=taxonomy, reply_date=settings.today()
    )
    _audit(db, actor, "template previewed", {"template": name}, case_id=case["id"])
    try:
        if name in _imports(environment, case_template):
            rendered = case_template
        draft = compose_draft(environment, rendered, context)
    except jinja2.TemplateError as error:
        return Preview(None, rendered, case_template, f"{type(error).__name__}: {error}")
    return Preview(draft.text, rendered, case_template, None)


# --- bills and clauses ---


def record_clause_status(
    db: sqlite_utils.Database,
    bill_id: str,
    number: str,
    status: str,
    status_date: str,
    note: str,
    *,
    actor: str,
) -> None:
    """Record that a clause was withdrawn, amended ... on a date (a clause back in the bill has none)."""
    if store.get_clause(db, bill_id, number) is None:
        raise AdminError("There is no such clause")
    if status not in CLAUSE_STATUSES:
        raise AdminError("Choose one of the statuses listed")
    day = parse_date(status_date, "the date of the change").isoformat() if status else None
    update_clause_status(db, bill_id, number, status=status, status_date=day, note=note.strip())
    _audit(db, actor, "clause status changed", {"bill_id": bill_id, "clause": number, "status": status})


def record_bill_stage(db: sqlite_utils.Database, bill_id: str, stage: str, *, actor: str) -> None:
    """Record the stage a bill has reached ('Report stage in the Commons', 'Royal Assent on ...')."""
    if store.get_bill(db, bill_id) is None:
        raise AdminError("There is no such bill")
    if not stage.strip():
        raise AdminError("Enter the stage the bill has reached")
    update_bill_stage(db, bill_id, " ".join(stage.split()))
    _audit(db, actor, "bill stage changed", {"bill_id": bill_id})


# --- ministers' appointments ---


def end_minister_appointment(db: sqlite_utils.Database, appointment_id: int, end: str, *, actor: str) -> None:
    """Record the last day a minister held a post; cases received after it go to whoever holds it next."""
    appointment = get_appointment(db, appointment_id)
    if appointment is None:
        raise AdminError("There is no such appointment")
    if appointment["end"]:
        raise AdminError(f"That appointment already ended on {appointment['end']}")
    last_day = parse_date(end, "the last day in post")
    if appointment["start"] and last_day.isoformat() < appointment["start"]:
        raise AdminError("The last day in post cannot be before the appointment started")
    end_appointment(db, appointment_id, last_day.isoformat())
    _audit(db, actor, "appointment ended", {"appointment_id": appointment_id, "end": last_day.isoformat()})


def add_minister_appointment(
    db: sqlite_utils.Database,
    *,
    minister_id: str,
    department: str,
    role: str,
    topics: list[str],
    responsibilities: str,
    start: str,
    lead: bool,
    taxonomy: Taxonomy,
    actor: str,
) -> int:
    """Record a minister's new post: the topics it answers for decide who answers which letters."""
    if minister_id not in minister_ids(db):
        raise AdminError("Choose a minister from the list")
    if store.department(db, department) is None:
        raise AdminError("Choose a department from the list")
    if not role.strip():
        raise AdminError("Enter the minister's role, for example Minister of State for Justice")
    unknown = set(topics) - set(taxonomy.ids("topics"))
    if unknown:
        raise AdminError("Choose topics from the list")
    first_day = parse_date(start, "the first day in post")
    appointment_id = insert_appointment(
        db,
        {
            "minister_id": minister_id,
            "department": department,
            "role": " ".join(role.split()),
            "start": first_day.isoformat(),
            "end": None,
            "lead": lead,
            "responsibilities": [line.strip() for line in responsibilities.splitlines() if line.strip()],
            "topics": topics,
        },
    )
    _audit(db, actor, "appointment added", {"appointment_id": appointment_id, "department": department})
    return appointment_id
