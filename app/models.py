"""Training the triage model from the corpus and keeping its versions in the database."""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from app import store
from app.taxonomy import Taxonomy
from classifiers.classification import TASKS, TriageModel, library_versions, model_card, train_triage_model
from classifiers.features import letter_features


class TrainingDataError(ValueError):
    """The labelled letters cannot be used for training; the message says which and why."""


def read_labelled_letters(letters_dir: Path, taxonomy: Taxonomy) -> list[dict]:
    """Read every labelled letter in corpus/letters/*.jsonl, checking labels against the taxonomy."""
    letters = []
    allowed = {"topic": set(taxonomy.ids("topics")), "concern": set(taxonomy.ids("concerns"))}
    for path in sorted(Path(letters_dir).glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                letter = json.loads(line)
            except json.JSONDecodeError as error:
                raise TrainingDataError(f"{path.name} line {number}: not valid JSON ({error.msg})") from error
            for task in TASKS:
                if letter.get(task) not in allowed[task]:
                    raise TrainingDataError(f"{path.name} line {number}: unknown {task} {letter.get(task)!r}")
            letters.append(letter)
    if not letters:
        raise TrainingDataError(f"no labelled letters in {letters_dir}")
    return letters


def train_from_corpus(db: sqlite_utils.Database, letters_dir: Path, taxonomy: Taxonomy, actor: str) -> dict:
    """Train a new model version from the corpus, store it and make it the one in use."""
    letters = read_labelled_letters(letters_dir, taxonomy)
    texts = [letter_features(letter["text"]) for letter in letters]
    labels = {task: [letter[task] for letter in letters] for task in TASKS}
    model, metrics = train_triage_model(texts, labels)
    version = store.next_model_version(db)
    created_at = store.utc_now()
    versions = library_versions()
    card = model_card(version, metrics, {f"corpus ({letters_dir.name})": len(letters)}, versions, created_at)
    summary = {
        task: {k: metrics[task][k] for k in ("accuracy", "macro_f1", "held_out_letters")} for task in metrics
    }
    store.insert_model(
        db,
        version=version,
        artefact=model.to_bytes(),
        card=card,
        metrics={"tasks": summary, "trained_on": len(letters)},
        library_versions=versions,
        created_at=created_at,
        created_by=actor,
    )
    return {"version": version, "trained_on": len(letters), "metrics": summary}


def load_active_model(db: sqlite_utils.Database) -> tuple[str | None, TriageModel | None]:
    """The model version in use and the model itself, or (None, None) if none is trained yet."""
    row = store.active_model(db)
    if row is None:
        return None, None
    return row["version"], TriageModel.from_bytes(row["artefact"])
