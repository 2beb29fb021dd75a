"""The `mincorr` command: a thin shell over the library (each command calls one function)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from collections import Counter
from pathlib import Path

import click

from app import store
from app.cases import case_view
from app.config import Settings, settings_from_env
from app.drafting import export_draft
from app.evaluation import evaluation_markdown, evaluation_summary, run_evaluation
from app.importing import Importer
from app.models import (
    ModelUnusable,
    TrainingDataError,
    load_model_dir,
    read_records,
    save_model_dir,
    train_from_corpus,
    train_label_set,
)
from app.reference import ReferenceDataError, read_reference_data
from app.store.campaigns import list_campaigns
from app.taxonomy import TaxonomyError, load_taxonomy
from app.triage import CorrectionError, correct_case
from app.users import ROLES, UserError, add_user
from classifiers.campaigns import group
from classifiers.classification import library_versions, model_card
from classifiers.features import texts_to_features


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
    """Import letters from files or folders, opening a case for each.

    Reads .txt, .eml, .msg, .docx and .pdf, and scanned post (.png, .jpg/.jpeg, .tif/.tiff) by OCR.
    """
    obj.require_reference_data()
    try:
        importer = Importer(obj.db, obj.settings, actor=cli_actor(), source="cli")
    except ModelUnusable as error:
        raise click.ClickException(str(error)) from error
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
        label = view[task]
        if label:
            if label["corrected"]:
                how = "set by a person"
            elif label["auto_accepted"]:
                how = f"{label['confidence']:.0%}, accepted automatically"
            else:
                how = f"{label['confidence']:.0%}, for a person to check"
            lines.append(f"{task.capitalize() + ':':<10} {label['label']} ({how})")
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
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One {id, campaign} object per letter of FILE.")
@click.option("--list", "list_them", is_flag=True, help="List the campaigns in the database.")
@click.option("--text-field", default="text", show_default=True, help="The field of FILE holding the letter.")
@click.pass_obj
def campaigns(obj: Context, file: Path | None, as_json: bool, list_them: bool, text_field: str) -> None:
    """Group a file of letters (.jsonl or .csv) into campaigns, or list the database's campaigns."""
    if list_them == (file is not None):
        raise click.UsageError("give either FILE or --list")
    if list_them:
        rows = list_campaigns(obj.db, limit=10_000)
        store.record_event(obj.db, at=store.utc_now(), actor=cli_actor(), action="campaigns listed")
        if not rows:
            click.echo("No campaigns.")
        for row in rows:
            click.echo(
                f"{row['id']:>5}  {row['size']:>6} letters  {row['first_seen']} to {row['last_seen']}  "
                f"{row['topic'] or '-':<38} {row['name']}"
            )
        return
    try:
        records = read_records(file, text_field, None)
    except ValueError as error:
        raise click.ClickException(str(error)) from error
    groups = group([record["text"] for record in records])
    if as_json:
        for record, campaign in zip(records, groups, strict=True):
            click.echo(json.dumps({"id": record["id"], "campaign": campaign}, ensure_ascii=False))
        return
    sizes = Counter(g for g in groups if g is not None)
    click.echo(f"{len(records)} letters: {len(sizes)} campaigns holding {sum(sizes.values())} letters.")
    for campaign, size in sizes.most_common():
        first = next(r["id"] for r, g in zip(records, groups, strict=True) if g == campaign)
        click.echo(f"  campaign {campaign}: {size} letters, first {first}")


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
@click.option(
    "--corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A department's own labelled letters (.jsonl or .csv) to train a classifier for any label set.",
)
@click.option(
    "--text-field", default="text", show_default=True, help="With --corpus: the field holding the text."
)
@click.option(
    "--label-field", default="label", show_default=True, help="With --corpus: the field holding the label."
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --corpus: the model folder to write.",
)
@click.pass_obj
def train(obj: Context, corpus: Path | None, text_field: str, label_field: str, out: Path | None) -> None:
    """Train a new triage model from corpus/letters and people's corrections, and put it in use.

    With --corpus and --out, train a classifier for a department's own label set instead and
    write it to a folder (model.skops, MODEL_CARD.md, metrics.json) for `mincorr classify`.
    """
    try:
        if corpus is not None:
            if out is None:
                raise click.UsageError("--corpus needs --out DIR, the folder to write the model to")
            records = read_records(corpus, text_field, label_field)
            model, metrics = train_label_set(records)
            card = model_card(
                f"mincorr classifier for {corpus.name}",
                metrics,
                {str(corpus): len(records)},
                library_versions(),
                store.utc_now(),
            )
            save_model_dir(model, out, card, metrics)
            report = metrics["tasks"]["label"]
            click.echo(
                f"Trained on {len(records)} records ({len(report['labels'])} labels); wrote {out}/. "
                f"Held out: accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}, "
                f"ECE {report['ece']:.3f}."
            )
            return
        result = train_from_corpus(obj.db, obj.settings.corpus_dir / "letters", obj.taxonomy, cli_actor())
    except TrainingDataError as error:
        raise click.ClickException(str(error)) from error
    sources = ", ".join(f"{n} from {name}" for name, n in result["sources"].items())
    click.echo(
        f"Trained model {result['version']} on {result['trained_on']} letters ({sources}); now in use."
    )
    for task, m in result["metrics"].items():
        click.echo(
            f"  {task}: accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}, ECE {m['ece']:.3f}, "
            f"auto-accepted {m['auto_accepted']:.0%} at precision {m['auto_accepted_precision'] or 0:.3f}"
        )
    for flag, m in result["flags"].items():
        click.echo(f"  flag {flag}: precision {m['precision']:.3f}, recall {m['recall']:.3f}")


@cli.command()
@click.option(
    "--model", "model_dir", required=True, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--text-field", default="text", show_default=True, help="The field holding the text.")
def classify(model_dir: Path, file: Path, text_field: str) -> None:
    """Classify each record of FILE (.jsonl or .csv) with a model folder; one JSON object per line."""
    try:
        model = load_model_dir(model_dir)
        records = read_records(file, text_field, None)
    except TrainingDataError as error:
        raise click.ClickException(str(error)) from error
    batch = 512
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        for record, prediction in zip(
            chunk, model.predict(texts_to_features(r["text"] for r in chunk)), strict=True
        ):
            p = next(iter(prediction.values()))
            top3 = [{"label": p.label, "confidence": round(p.confidence, 4)}, *p.alternatives[:2]]
            line = {
                "label": p.label,
                "confidence": round(p.confidence, 4),
                "auto_accepted": p.auto_accepted,
                "top3": top3,
            }
            if record["id"] is not None:
                line = {"id": record["id"], **line}
            click.echo(json.dumps(line, ensure_ascii=False))


@cli.command()
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled records (.jsonl or .csv) to evaluate on; default: the triage corpus in corpus/letters.",
)
@click.option("--text-field", default="text", show_default=True)
@click.option("--label-field", default="label", show_default=True)
@click.option(
    "--compare/--no-compare", default=False, help="Also score a plain TF-IDF + LinearSVC and spaCy textcat."
)
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the report (Markdown, with a .json beside it); default instance/reports/.",
)
@click.pass_obj
def evaluate(
    obj: Context,
    corpora: tuple[Path, ...],
    text_field: str,
    label_field: str,
    compare: bool,
    report_path: Path | None,
) -> None:
    """Evaluate by stratified cross-validation: accuracy, macro-F1, per-label precision/recall/F1,
    confusion matrix, expected calibration error and coverage at 95/97/99% precision."""
    try:
        results = run_evaluation(obj.settings, obj.taxonomy, corpora, text_field, label_field, compare)
    except TrainingDataError as error:
        raise click.ClickException(str(error)) from error
    markdown = evaluation_markdown(results)
    if report_path is None:
        report_path = (
            obj.settings.db_path.parent / "reports" / f"evaluation-{store.utc_now().replace(':', '')}.md"
        )
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_text(markdown, encoding="utf-8")
    report_path.with_suffix(".json").write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    click.echo(evaluation_summary(results))
    click.echo(f"Report written to {report_path} (and {report_path.with_suffix('.json').name})")


@cli.group(invoke_without_command=True)
@click.pass_context
def models(ctx: click.Context) -> None:
    """List the trained model versions with their held-out figures; `models use VERSION` rolls back."""
    if ctx.invoked_subcommand is not None:
        return
    obj: Context = ctx.obj
    rows = store.list_models(obj.db)
    if not rows:
        click.echo("No model trained yet: run `mincorr train`.")
        return
    click.echo(
        f"{'Version':<8} {'In use':<6} {'Trained (UTC)':<21} {'Letters':>7}  "
        "Topic F1 / ECE / auto   Concern F1 / ECE / auto"
    )
    for row in rows:
        tasks = (row["metrics"] or {}).get("tasks", {})
        click.echo(
            f"{row['version']:<8} {'yes' if row['active'] else '':<6} {row['created_at']:<21} "
            f"{(row['metrics'] or {}).get('trained_on', 0):>7}  "
            f"{_model_figures(tasks.get('topic')):<23}{_model_figures(tasks.get('concern'))}"
        )


def _model_figures(m: dict | None) -> str:
    if not m:
        return "-"
    if m.get("auto_accepted") is None:
        return f"{m['macro_f1']:.3f}"
    return f"{m['macro_f1']:.3f} / {m.get('ece', 0):.3f} / {m['auto_accepted']:.0%}"


@models.command(name="use")
@click.argument("version")
@click.pass_obj
def models_use(obj: Context, version: str) -> None:
    """Put an earlier (or later) model version back in use."""
    try:
        store.activate_model(obj.db, version)
    except KeyError as error:
        raise click.ClickException(f"no model version {version}; `mincorr models` lists them") from error
    store.record_event(
        obj.db, at=store.utc_now(), actor=cli_actor(), action="model put in use", detail={"version": version}
    )
    click.echo(f"Model {version} is now in use for new letters.")


@cli.command()
@click.argument("reference")
@click.option("--topic", help="The right topic id.")
@click.option("--concern", help="The right concern id.")
@click.option("--flags", help="The right flags, comma-separated (an empty string clears them).")
@click.option("--reason", default="", help="Why, for the case history.")
@click.pass_obj
def correct(
    obj: Context, reference: str, topic: str | None, concern: str | None, flags: str | None, reason: str
) -> None:
    """Correct (or confirm) a case's topic, concern and flags; the correction is kept for retraining."""
    case = _case_or_fail(obj, reference)
    flag_list = None if flags is None else [f.strip() for f in flags.split(",") if f.strip()]
    try:
        updated = correct_case(
            obj.db,
            case,
            settings=obj.settings,
            taxonomy=obj.taxonomy,
            actor=cli_actor(),
            topic=topic,
            concern=concern,
            flags=flag_list,
            reason=reason,
        )
    except CorrectionError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"{updated['reference']}: topic {updated['topic']}, concern {updated['concern']}, "
        f"flags {', '.join(updated['flags']) or 'none'}; status {updated['status']}."
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


from app.digest import digest_command  # noqa: E402  (these commands import cli_actor from here)
from app.tokens import token_cli  # noqa: E402

cli.add_command(digest_command)
cli.add_command(token_cli)


def main() -> None:
    """Entry point of the `mincorr` command."""
    cli(prog_name="mincorr")
