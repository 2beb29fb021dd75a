"""The `mincorr` command: a thin shell over the library (each command calls one function)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from pathlib import Path

import click

from app import store
from app.cases import case_view
from app.config import Settings, settings_from_env
from app.drafting import export_draft
from app.importing import Importer
from app.models import TrainingDataError, train_from_corpus
from app.reference import ReferenceDataError, read_reference_data
from app.taxonomy import TaxonomyError, load_taxonomy
from app.users import ROLES, UserError, add_user


class Context:
    """What every command needs: the settings, and the database opened on first use."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._db = None

    @property
    def db(self):
        if self._db is None:
            self._db = store.open_db(self.settings.db_path)
        return self._db

    @property
    def taxonomy(self):
        try:
            return load_taxonomy(self.settings.corpus_dir / "taxonomy.yaml")
        except (OSError, TaxonomyError) as error:
            raise click.ClickException(f"cannot read the taxonomy: {error}") from error

    def require_reference_data(self) -> None:
        if store.own_department(self.db) is None:
            raise click.ClickException(
                f"{self.settings.db_path} has no reference data; run `mincorr init` first"
            )


def cli_actor() -> str:
    """Who is at the terminal, for the audit log."""
    return f"cli:{getpass.getuser()}"


def _date(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise click.BadParameter(f"{value!r} is not a date in the form YYYY-MM-DD") from error


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Database file (default: $MINCORR_DB, else instance/mincorr.db).",
)
@click.version_option(package_name="mincorr")
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None) -> None:
    """mincorr: triage and drafting of ministerial and public correspondence."""
    ctx.obj = Context(settings_from_env(db_path))


@cli.command()
@click.pass_obj
def init(obj: Context) -> None:
    """Create the database (or bring it up to date) and load the reference data from corpus/."""
    try:
        data = read_reference_data(obj.settings.corpus_dir / "reference", obj.taxonomy)
    except (OSError, ReferenceDataError) as error:
        raise click.ClickException(str(error)) from error
    counts = store.load_reference_data(obj.db, data)
    click.echo(f"Database ready: {obj.settings.db_path}")
    click.echo("Reference data: " + ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items()))


@cli.command(name="import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--received", callback=_date, help="Date the post was received (YYYY-MM-DD); default: today.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per letter.")
@click.pass_obj
def import_(obj: Context, paths: tuple[Path, ...], received: dt.date | None, as_json: bool) -> None:
    """Import letters from files or folders (.txt, .eml, .docx, .pdf), opening a case for each."""
    obj.require_reference_data()
    importer = Importer(obj.db, obj.settings, actor=cli_actor(), source="cli")
    refused = 0
    for result in importer.import_paths(paths, received=received):
        refused += result.status == "refused"
        if as_json:
            click.echo(json.dumps(result.as_dict()))
        elif result.status == "created":
            click.echo(f"{result.file}: new case {result.reference} ({result.case_status})")
        elif result.status == "duplicate":
            click.echo(f"{result.file}: duplicate, {result.reason}")
        else:
            click.echo(f"{result.file}: refused, {result.reason}", err=True)
    if refused:
        sys.exit(1)


def _case_or_fail(obj: Context, reference: str) -> dict:
    case = store.get_case_by_reference(obj.db, reference)
    if case is None:
        raise click.ClickException(f"no case with reference {reference.upper()}")
    return case


@cli.command()
@click.argument("reference")
@click.option("--json", "as_json", is_flag=True, help="Print the case as JSON.")
@click.pass_obj
def show(obj: Context, reference: str, as_json: bool) -> None:
    """Show one case: who wrote, about what, how it was classified and linked, when it is due."""
    case = _case_or_fail(obj, reference)
    view = case_view(obj.db, case, obj.taxonomy)
    store.record_event(
        obj.db, at=store.utc_now(), actor=cli_actor(), action="case viewed", case_id=case["id"]
    )
    if as_json:
        click.echo(json.dumps(view, ensure_ascii=False))
        return
    correspondent = view["correspondent"]
    lines = [
        f"{view['reference']} ({view['case_type']}), {view['status']}",
        f"From:      {correspondent['name']} ({correspondent['type']}"
        + (f", {correspondent['constituency']})" if correspondent["constituency"] else ")"),
        f"To:        {(view['addressed_to'] or {}).get('name') or 'not stated'}",
        f"Dated:     {view['letter_date'] or 'not stated'}; received {view['received']}",
        f"Due:       {view['due']} (draft by {view['draft_due']})",
    ]
    for task in ("topic", "concern"):
        if view[task]:
            lines.append(
                f"{task.capitalize() + ':':<10} {view[task]['label']} ({view[task]['confidence']:.0%})"
            )
    if view["flags"]:
        lines.append(f"Flags:     {', '.join(view['flags'])}")
    if view["bill"]:
        clause = f", clause {view['clause']['number']}" if view["clause"] else ""
        lines.append(f"Bill:      {view['bill']['title']}{clause}")
    if view["answering_minister"]:
        lines.append(f"Answering: {view['answering_minister']['name']}")
    click.echo("\n".join(lines))


@cli.command()
@click.argument("reference")
@click.option("--format", "fmt", type=click.Choice(["text", "docx"]), default="text", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.pass_obj
def draft(obj: Context, reference: str, fmt: str, out: Path | None) -> None:
    """Write the latest draft reply of a case, as text or as a Word document."""
    case = _case_or_fail(obj, reference)
    if fmt == "docx" and out is None:
        raise click.ClickException("a Word document needs a file: add --out FILE.docx")
    try:
        latest, content = export_draft(obj.db, case, fmt, cli_actor())
    except LookupError as error:
        raise click.ClickException(str(error)) from error
    if isinstance(content, bytes):
        out.write_bytes(content)
    elif out:
        out.write_text(content, encoding="utf-8")
    else:
        click.echo(content, nl=False)
    if out:
        click.echo(f"Wrote {out} ({case['reference']}, draft version {latest['version']})", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One `show --json` object per line.")
@click.option("--status", help="Only cases with this status (triage, draft ...).")
@click.pass_obj
def cases(obj: Context, as_json: bool, status: str | None) -> None:
    """List every case, soonest due first."""
    rows = store.list_cases(obj.db, status=status)
    now, actor = store.utc_now(), cli_actor()
    if as_json:
        taxonomy = obj.taxonomy
        for case in rows:
            click.echo(json.dumps(case_view(obj.db, case, taxonomy), ensure_ascii=False))
        # Each case was shown in full, as `show` shows it, so each view is audited.
        store.record_events(
            obj.db, [{"at": now, "actor": actor, "action": "case viewed", "case_id": c["id"]} for c in rows]
        )
        return
    store.record_event(
        obj.db, at=now, actor=actor, action="cases listed", detail={"count": len(rows), "status": status}
    )
    if not rows:
        click.echo("No cases.")
        return
    click.echo(
        f"{'Reference':<10} {'Type':<4} {'Received':<10} {'Due':<10} {'Status':<7} {'Topic':<38} "
        "Correspondent"
    )
    for case in rows:
        click.echo(
            f"{case['reference']:<10} {case['case_type']:<4} {case['received']:<10} {case['due']:<10} "
            f"{case['status']:<7} {(case['topic'] or '-'):<38} {case['correspondent_name']}"
        )


@cli.command()
@click.pass_obj
def train(obj: Context) -> None:
    """Train a new version of the topic and concern classifiers from corpus/letters/ and use it."""
    try:
        result = train_from_corpus(obj.db, obj.settings.corpus_dir / "letters", obj.taxonomy, cli_actor())
    except TrainingDataError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Trained model {result['version']} on {result['trained_on']} letters; now in use.")
    for task, metrics in result["metrics"].items():
        click.echo(
            f"  {task}: accuracy {metrics['accuracy']:.3f}, macro-F1 {metrics['macro_f1']:.3f} "
            f"({metrics['held_out_letters']} held-out letters)"
        )


@cli.group()
def user() -> None:
    """Manage the people who may sign in."""


@user.command(name="add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the user may do.")
@click.pass_obj
def user_add(obj: Context, username: str, role: str) -> None:
    """Add a user (or reset their password and role). The password is read from standard input."""
    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        add_user(obj.db, username, password, role)
    except UserError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"User {username} ({role}) saved.")


@cli.command()
@click.pass_obj
def demo(obj: Context) -> None:
    """Set up the demo: reference data, a trained model, the demo letters and one user per role."""
    from app.demo import DEMO_PASSWORD, DEMO_USERS, build_demo

    results = build_demo(obj.db, obj.settings, cli_actor())
    created = sum(r.status == "created" for r in results)
    click.echo(f"Demo database ready: {obj.settings.db_path} ({created} new cases, {len(results)} letters)")
    for result in results:
        if result.status == "refused":
            click.echo(f"  {result.file}: refused, {result.reason}", err=True)
    click.echo("Demo sign-ins (password for each: " + DEMO_PASSWORD + "):")
    for username, role in DEMO_USERS.items():
        click.echo(f"  {username:<15} {role}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_obj
def serve(obj: Context, host: str, port: int) -> None:
    """Run the web app (with the waitress server)."""
    import waitress

    from app.web import create_app

    obj.require_reference_data()
    application = create_app(settings=obj.settings)
    click.echo(f"mincorr is running at http://{host}:{port}/ (Ctrl+C to stop)")
    waitress.serve(application, host=host, port=port, threads=8, ident="mincorr")


def main() -> None:
    """Entry point of the `mincorr` command."""
    cli(prog_name="mincorr")
