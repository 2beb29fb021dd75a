"""Training the triage model from the corpus and people's corrections, and keeping its versions."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import sqlite_utils
import yaml

from app import store
from app.taxonomy import Taxonomy
from classifiers.classification import TriageModel, library_versions, model_card, train_model
from classifiers.features import letter_tokens, texts_to_features, tokenise
from classifiers.flags import rule_flags
from classifiers.language import language_of

TASKS = ("topic", "concern")
# Flags the models learn. Welsh is told by language detection and campaigns by campaign grouping.
MODELLED_FLAGS_EXCLUDE = {"welsh-language", "campaign"}


class TrainingDataError(ValueError):
    """The labelled letters cannot be used for training; the message says which and why."""


def read_labelled_letters(letters_dir: Path, taxonomy: Taxonomy) -> list[dict]:
    """Read every labelled letter in corpus/letters/*.jsonl, checking labels against the taxonomy."""
    letters = []
    allowed = {"topic": set(taxonomy.ids("topics")), "concern": set(taxonomy.ids("concerns"))}
    flags = set(taxonomy.ids("flags"))
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
            unknown = set(letter.get("flags") or []) - flags
            if unknown:
                raise TrainingDataError(f"{path.name} line {number}: unknown flags {sorted(unknown)}")
            letters.append(letter)
    if not letters:
        raise TrainingDataError(f"no labelled letters in {letters_dir}")
    return letters


def training_set(db: sqlite_utils.Database, letters_dir: Path, taxonomy: Taxonomy) -> tuple[list[dict], dict]:
    """The corpus letters plus every letter a person has corrected (with the corrected labels)."""
    letters = read_labelled_letters(letters_dir, taxonomy)
    corrected = [
        {"text": row["text"], "topic": row["topic"], "concern": row["concern"], "flags": row["flags"] or []}
        for row in store.corrected_letters(db)
        if row["topic"] and row["concern"]
    ]
    sources = {f"corpus ({letters_dir})": len(letters)}
    if corrected:
        sources["corrections made in mincorr"] = len(corrected)
    return letters + corrected, sources


def department_cues(reference_dir: Path) -> dict[str, list[str]]:
    """Each other department's cue words, from the departments register."""
    path = Path(reference_dir) / "departments.yaml"
    if not path.exists():
        return {}
    departments = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return {d["code"]: d.get("cues") or [] for d in departments if not d.get("own") and d.get("cues")}


def train_triage(
    letters: list[dict], taxonomy: Taxonomy, cues: dict[str, list[str]] | None = None
) -> tuple[TriageModel, dict]:
    """Train topic, concern and flag models from labelled letters."""
    texts, rule_hits = [], []
    for doc in tokenise(letter["text"] for letter in letters):
        texts.append(letter_tokens(doc))
        rule_hits.append({hit["flag"] for hit in rule_flags(doc, language_of(doc))})
    labels = {task: [letter[task] for letter in letters] for task in TASKS}
    flags = {}
    for flag in taxonomy.ids("flags"):
        if flag in MODELLED_FLAGS_EXCLUDE:
            continue
        present = np.array([flag in (letter.get("flags") or []) for letter in letters])
        hits = np.array([flag in hit for hit in rule_hits])
        flags[flag] = (present, hits)
    return train_model(texts, labels, flags, cues=cues)


def train_from_corpus(db: sqlite_utils.Database, letters_dir: Path, taxonomy: Taxonomy, actor: str) -> dict:
    """Train a new model version from the corpus and corrections, store it and put it in use."""
    letters, sources = training_set(db, letters_dir, taxonomy)
    model, metrics = train_triage(letters, taxonomy, department_cues(letters_dir.parent / "reference"))
    version = store.next_model_version(db)
    created_at = store.utc_now()
    versions = library_versions()
    card = model_card(f"mincorr triage model {version}", metrics, sources, versions, created_at)
    summary = summarise(metrics)
    store.insert_model(
        db,
        version=version,
        artefact=model.to_bytes(),
        card=card,
        metrics={"tasks": summary, "flags": metrics["flags"], "trained_on": len(letters), "sources": sources},
        library_versions=versions,
        created_at=created_at,
        created_by=actor,
    )
    return {
        "version": version,
        "trained_on": len(letters),
        "sources": sources,
        "metrics": summary,
        "flags": metrics["flags"],
    }


def summarise(metrics: dict) -> dict:
    """The headline figures per task: accuracy, macro-F1, ECE, share auto-accepted."""
    return {
        task: {
            "accuracy": r["accuracy"],
            "macro_f1": r["macro_f1"],
            "ece": r["ece"],
            "auto_accepted": r["auto_accepted_at_target"]["share"],
            "auto_accepted_precision": r["auto_accepted_at_target"]["precision"],
            "letters": r["letters"],
        }
        for task, r in metrics["tasks"].items()
    }


class ModelUnusable(RuntimeError):
    """The model in use cannot be loaded (made by an older mincorr, or damaged)."""


def load_active_model(db: sqlite_utils.Database) -> tuple[str | None, TriageModel | None]:
    """The model version in use and the model itself, or (None, None) if none is trained yet."""
    row = store.active_model(db)
    if row is None:
        return None, None
    try:
        return row["version"], TriageModel.from_bytes(row["artefact"])
    except ValueError as error:
        raise ModelUnusable(
            f"model {row['version']} cannot be used ({error}); run `mincorr train` to make a new version"
        ) from error


# --- a department's own labelled history -------------------------------------------------------


def read_records(path: Path, text_field: str, label_field: str | None, id_field: str = "id") -> list[dict]:
    """Read records from .jsonl or .csv: {id, text, label}. A record without text is an error."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8-sig") as handle:
            raw = list(csv.DictReader(handle))
    elif path.suffix.lower() in (".jsonl", ".ndjson"):
        raw = []
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if line.strip():
                try:
                    raw.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise TrainingDataError(
                        f"{path.name} line {number}: not valid JSON ({error.msg})"
                    ) from error
    else:
        raise TrainingDataError(f"{path.name}: use a .jsonl or .csv file")
    records = []
    for number, row in enumerate(raw, start=1):
        text = row.get(text_field)
        if isinstance(text, list):
            text = " ".join(str(t) for t in text)
        if not text or not str(text).strip():
            raise TrainingDataError(f"{path.name} record {number}: no text in field {text_field!r}")
        label = None
        if label_field:
            label = row.get(label_field)
            if isinstance(label, list):
                label = label[0] if label else None
            if label in (None, ""):
                raise TrainingDataError(f"{path.name} record {number}: no label in field {label_field!r}")
        records.append(
            {"id": row.get(id_field), "text": str(text), "label": None if label is None else str(label)}
        )
    if not records:
        raise TrainingDataError(f"{path.name}: no records")
    return records


def train_label_set(records: list[dict]) -> tuple[TriageModel, dict]:
    """Train a classifier for any label set (a department's own history): one task, 'label'."""
    labels = [r["label"] for r in records]
    counts = {label: labels.count(label) for label in set(labels)}
    rare = sorted(label for label, n in counts.items() if n < 2)
    if rare:
        raise TrainingDataError(f"each label needs at least two examples; these have one: {', '.join(rare)}")
    return train_model(texts_to_features(r["text"] for r in records), {"label": labels})


def save_model_dir(model: TriageModel, out: Path, card: str, metrics: dict) -> None:
    """Write a model folder: the skops artefact, its model card and its metrics."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.skops").write_bytes(model.to_bytes())
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2, default=str), encoding="utf-8")


def load_model_dir(folder: Path) -> TriageModel:
    """Read a model folder written by save_model_dir."""
    path = Path(folder) / "model.skops"
    if not path.exists():
        raise TrainingDataError(
            f"{folder} holds no model.skops: train one with `mincorr train --corpus ... --out {folder}`"
        )
    return TriageModel.from_bytes(path.read_bytes())
