"""`mincorr evaluate`: cross-validated figures for the triage corpus or a department's own records,
written as a report a unit's data lead can read."""

from __future__ import annotations

import io
from pathlib import Path

from app.config import Settings
from app.models import department_cues, read_labelled_letters, read_records, train_label_set, train_triage
from app.taxonomy import Taxonomy
from classifiers import comparison
from classifiers.classification import library_versions
from classifiers.evaluation import flags_markdown, markdown_table, task_markdown
from classifiers.features import training_config


def run_evaluation(
    settings: Settings,
    taxonomy: Taxonomy,
    corpora: tuple[Path, ...],
    text_field: str,
    label_field: str,
    compare: bool,
) -> dict:
    """Evaluate each data set; with `compare`, score the baselines on the same folds too."""
    datasets = []
    if not corpora:
        letters = read_labelled_letters(settings.corpus_dir / "letters", taxonomy)
        cues = department_cues(settings.corpus_dir / "reference")
        _, metrics = train_triage(letters, taxonomy, cues)
        entry = {"name": "triage corpus (corpus/letters)", "letters": len(letters), **metrics}
        if compare:
            entry["comparison"] = {
                task: _compare([x["text"] for x in letters], [x[task] for x in letters], task, cues)
                for task in ("topic", "concern")
            }
        datasets.append(entry)
    for path in corpora:
        records = read_records(path, text_field, label_field)
        _, metrics = train_label_set(records)
        entry = {"name": str(path), "letters": len(records), **metrics}
        if compare:
            entry["comparison"] = {
                "label": _compare([r["text"] for r in records], [r["label"] for r in records])
            }
        datasets.append(entry)
    return {"config": training_config(), "library_versions": library_versions(), "datasets": datasets}


def _compare(texts: list[str], labels: list[str], task: str = "label", cues: dict | None = None) -> dict:
    return {
        "mincorr": comparison.mincorr_label_model(texts, labels, task=task, cues=cues),
        "tfidf_linearsvc": comparison.plain_tfidf_linearsvc(texts, labels),
        "spacy_textcat": comparison.spacy_textcat(texts, labels),
    }


def evaluation_summary(results: dict) -> str:
    """The headline figures, a few lines per data set."""
    out = []
    for dataset in results["datasets"]:
        out.append(f"{dataset['name']}: {dataset['letters']} letters")
        for task, r in dataset["tasks"].items():
            auto = r["auto_accepted_at_target"]
            coverage = ", ".join(f"{c['coverage']:.0%} at {c['target_precision']:.0%}" for c in r["coverage"])
            out.append(
                f"  {task}: accuracy {r['accuracy']:.3f}, macro-F1 {r['macro_f1']:.3f}, ECE {r['ece']:.3f}; "
                f"auto-accepted {auto['share']:.0%} (precision {auto['precision'] or 0:.3f}); "
                f"coverage {coverage}"
            )
        for flag, m in dataset.get("flags", {}).items():
            out.append(f"  flag {flag}: precision {m['precision']:.3f}, recall {m['recall']:.3f}")
        for task, models in dataset.get("comparison", {}).items():
            row = ", ".join(f"{name} {m['macro_f1']:.3f}" for name, m in models.items())
            out.append(f"  {task} macro-F1 by model (same folds): {row}")
    return "\n".join(out)


def evaluation_markdown(results: dict) -> str:
    """The full report in Markdown."""
    out = io.StringIO()
    out.write("# mincorr evaluation report\n\n")
    out.write(READING_GUIDE)
    for dataset in results["datasets"]:
        out.write(f"## {dataset['name']} ({dataset['letters']} letters)\n\n")
        for task, r in dataset["tasks"].items():
            out.write(task_markdown(task, r))
        if dataset.get("flags"):
            out.write(flags_markdown(dataset["flags"]))
        for task, models in dataset.get("comparison", {}).items():
            out.write(f"### {task}: mincorr against baselines (same folds)\n\n")
            out.write(
                markdown_table(
                    ["model", "accuracy", "macro-F1", "ECE"],
                    [
                        (
                            name,
                            f"{m['accuracy']:.3f}",
                            f"{m['macro_f1']:.3f}",
                            f"{m['ece']:.3f}" if "ece" in m else "none",
                        )
                        for name, m in models.items()
                    ],
                )
                + "\n"
            )
    out.write("## Library versions\n\n")
    for name, version in results["library_versions"].items():
        out.write(f"- {name} {version}\n")
    return out.getvalue()


READING_GUIDE = """\
Every figure comes from stratified 5-fold cross-validation: each letter is classified by a model
trained without it. Auto-accept thresholds are chosen per label on held-out predictions; "coverage
at P" chooses them on one half of the letters and measures on the other half.

How to read it:

- **accuracy**: the share of letters given the right label.
- **macro-F1**: each label's F1 (the balance of precision and recall) averaged with equal weight,
  so a rare label counts as much as a common one.
- **expected calibration error (ECE)**: the average gap between the confidence the model states
  and how often it is right. 0.05 means "90% sure" is right about 85-95% of the time.
- **coverage at 97%**: the share of letters that could skip triage while 97% of those are right.
- **precision / recall of a flag**: of the letters flagged, how many should be; of the letters that
  should be flagged, how many are.

"""
