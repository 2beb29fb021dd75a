"""The deadlines digest: an email file (RFC 5322, plain text) of what is overdue, due today and this week.

The digest is written to an outbox folder for the department's mail system to send, so it leaves
mincorr: it holds references, due dates, stages and teams only, never a correspondent's name or
anything from the letter. Cases whose clock is stopped are left out (they are not overdue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import click
import sqlite_utils

from app import store
from app.config import Settings
from app.deadlines import week_end
from app.department_settings import holiday_region
from app.drafting import format_long_date
from app.store.deadlines import running_cases_due_by
from app.taxonomy import Taxonomy
from app.workflow import OPEN_STAGES, stage_name

SENDER = "mincorr <mincorr@localhost>"
NO_TEAM = "No team yet (topic not classified)"
SECTIONS = (("overdue", "Overdue"), ("today", "Due today"), ("week", "Due this week"))


@dataclass
class Digest:
    """The cases of each section, grouped by team: {section: {team: [lines]}}, and the dates."""

    today: dt.date
    week_end: dt.date
    sections: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def count(self, section: str) -> int:
        return sum(len(lines) for lines in self.sections.get(section, {}).values())


def default_outbox(settings: Settings) -> Path:
    """Where digests go unless told otherwise: MINCORR_OUTBOX, else an `outbox` folder beside the database."""
    return settings.outbox_dir or Path(settings.db_path).parent / "outbox"


def _section(due: str, today: str) -> str:
    if due < today:
        return "overdue"
    return "today" if due == today else "week"


def build_digest(db: sqlite_utils.Database, settings: Settings, taxonomy: Taxonomy) -> Digest:
    """Collect the open, running cases due by the end of this week, by section and team."""
    today = settings.today()
    digest = Digest(today=today, week_end=week_end(today, holiday_region(db, settings)))
    teams = [*taxonomy.teams(), NO_TEAM]
    for section, _ in SECTIONS:
        digest.sections[section] = {team: [] for team in teams}
    for case in running_cases_due_by(db, week_end=digest.week_end.isoformat(), stages=OPEN_STAGES):
        team = taxonomy.team_of(case["topic"]) or NO_TEAM
        line = (
            f"{case['reference']}  due {format_long_date(dt.date.fromisoformat(case['due']))}"
            f"  {stage_name(case['status'])}"
        )
        digest.sections[_section(case["due"], today.isoformat())][team].append(line)
    return digest


def digest_text(digest: Digest) -> str:
    """The plain-text body: the counts, then each section's cases under their teams."""
    lines = [
        f"Deadlines for {format_long_date(digest.today)}",
        "",
        f"Overdue: {digest.count('overdue')}",
        f"Due today: {digest.count('today')}",
        f"Due this week (by {format_long_date(digest.week_end)}): {digest.count('week')}",
        "",
        "Cases whose clock is stopped are not listed.",
        "Open a case in mincorr by its reference.",
    ]
    for section, title in SECTIONS:
        lines += ["", title.upper(), ""]
        teams = {team: cases for team, cases in digest.sections[section].items() if cases}
        if not teams:
            lines.append("None.")
        for team, cases in teams.items():
            lines += [f"{team} ({len(cases)})", *(f"  {case}" for case in cases), ""]
    return "\n".join(lines).rstrip() + "\n"


def digest_message(digest: Digest, recipients: tuple[str, ...] = ()) -> EmailMessage:
    """The digest as an email message, plain text in UTF-8."""
    message = EmailMessage()
    message["From"] = SENDER
    if recipients:
        message["To"] = ", ".join(recipients)
    message["Subject"] = (
        f"mincorr deadlines {digest.today.isoformat()}: {digest.count('overdue')} overdue, "
        f"{digest.count('today')} due today, {digest.count('week')} due this week"
    )
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(domain="mincorr.localhost")
    message.set_content(digest_text(digest))
    return message


def _new_file(outbox: Path, today: dt.date) -> Path:
    """A file name in the outbox that no earlier digest has taken."""
    outbox.mkdir(parents=True, exist_ok=True)
    number = 1
    while (outbox / f"deadlines-{today.isoformat()}-{number:03d}.eml").exists():
        number += 1
    return outbox / f"deadlines-{today.isoformat()}-{number:03d}.eml"


def write_digest(
    db: sqlite_utils.Database,
    outbox: Path,
    settings: Settings,
    taxonomy: Taxonomy,
    actor: str,
    recipients: tuple[str, ...] = (),
) -> Path:
    """Write the digest as an .eml file in `outbox`, record that it was written, and return its path."""
    digest = build_digest(db, settings, taxonomy)
    path = _new_file(Path(outbox), digest.today)
    path.write_bytes(digest_message(digest, recipients).as_bytes())
    store.record_event(
        db,
        at=store.utc_now(),
        actor=actor,
        action="deadlines digest written",
        detail={"file": path.name, **{section: digest.count(section) for section, _ in SECTIONS}},
    )
    return path


@click.command("digest")
@click.option(
    "--outbox",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the digest to (default: outbox/ beside the database).",
)
@click.option("--to", "recipients", multiple=True, help="An address to put in To: (repeat for more).")
@click.pass_obj
def digest_command(obj, outbox: Path | None, recipients: tuple[str, ...]) -> None:
    """Write the deadlines digest (overdue, due today, due this week, by team) as an email file."""
    from app.cli import cli_actor

    obj.require_reference_data()
    path = write_digest(
        obj.db, outbox or default_outbox(obj.settings), obj.settings, obj.taxonomy, cli_actor(), recipients
    )
    click.echo(f"Digest written to {path}")
