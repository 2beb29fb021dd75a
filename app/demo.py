"""The demo installation that `make run` serves: reference data, a trained model, the demo mailbag
and one user per role."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import sqlite_utils
import yaml

from app import store
from app.cases.actions import move_case
from app.config import Settings
from app.deadlines import add_working_days
from app.department_settings import holiday_region
from app.importing import Importer, ImportResult
from app.models import ModelUnusable, load_active_model, train_from_corpus
from app.reference import read_reference_data
from app.taxonomy import Taxonomy, load_taxonomy
from app.triage import correct_case
from app.users import add_user

# Demo sign-ins, printed by `make run`. They exist only in the demo database.
DEMO_PASSWORD = "demo-password"
DEMO_USERS = {
    "officer": "correspondence-officer",
    "drafter": "drafter",
    "private-office": "private-office",
    "minister": "minister",
    "manager": "unit-manager",
    "admin": "admin",
}


def build_demo(db: sqlite_utils.Database, settings: Settings, actor: str) -> list[ImportResult]:
    """Load the reference data, train a model if there is none, import the demo mailbag, add users.

    Safe to run again: reference data is upserted, the mailbag's files are recognised as
    duplicates, and the users' passwords are reset to the demo password.
    """
    taxonomy = load_taxonomy(settings.corpus_dir / "taxonomy.yaml")
    store.load_reference_data(db, read_reference_data(settings.corpus_dir / "reference", taxonomy))
    try:
        usable = load_active_model(db)[1] is not None
    except ModelUnusable:
        usable = False  # made by an older mincorr: the demo simply trains a new version
    if not usable:
        train_from_corpus(db, settings.corpus_dir / "letters", taxonomy, actor)
    mailbag = settings.corpus_dir / "demo_mailbag"
    manifest = yaml.safe_load((mailbag / "manifest.yaml").read_text(encoding="utf-8"))
    results = []
    for entry in manifest:
        received = entry["received"]
        if isinstance(received, str):
            received = dt.date.fromisoformat(received)
        # Replay each letter as of the day it arrived, so its draft uses the ministers and
        # lines to take of its own time.
        replay = dataclasses.replace(settings, today_override=received)
        importer = Importer(db, replay, actor=actor, source="demo")
        imported = importer.import_paths([Path(mailbag) / entry["file"]], received=received)
        results += imported
        if imported and imported[0].status == "created" and entry.get("journey"):
            _replay_journey(db, replay, taxonomy, imported[0].reference, received, entry["journey"])
    for username, role in DEMO_USERS.items():
        add_user(db, username, DEMO_PASSWORD, role)
    return results


def _replay_journey(
    db: sqlite_utils.Database,
    settings: Settings,
    taxonomy: Taxonomy,
    reference: str,
    received: dt.date,
    steps: list[dict],
) -> None:
    """Move a new demo case along as the unit would have: confirm its triage, then each step in turn."""
    region = holiday_region(db, settings)
    case = store.get_case_by_reference(db, reference)
    if case["status"] == "triage":
        case = correct_case(db, case, settings=settings, taxonomy=taxonomy, actor="web:officer")
    for step in steps:
        day = add_working_days(received, int(step["day"]), region)
        case = move_case(
            db,
            case,
            move_id=step["action"],
            case_type=taxonomy.case_type(case["case_type"]),
            role=DEMO_USERS[step["by"]],
            actor=f"web:{step['by']}",
            reason=step.get("reason", ""),
            today=day,
        )
