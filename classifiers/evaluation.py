"""Measuring classifiers the way a correspondence unit needs them measured.

Accuracy and macro-F1 say how often the label is right; expected calibration error says whether
"90% confident" means right nine times in ten; coverage at a precision says how much of the post
could be routed without a person while keeping that precision. All are computed from
out-of-fold predictions of stratified cross-validation, so no letter is scored by a model that
saw it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold

PRECISION_TARGETS = (0.95, 0.97, 0.99)


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 15) -> float:
    """ECE of the top label: the gap between confidence and accuracy, averaged over equal-width bins
    weighted by how many predictions fall in each."""
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total, error = len(confidence), 0.0
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            error += in_bin.sum() / total * abs(confidence[in_bin].mean() - correct[in_bin].mean())
    return float(error)


def reliability_table(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict]:
    """Confidence against accuracy per bin: the reliability diagram as a table."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    rows = []
    for low, high in itertools.pairwise(edges):
        in_bin = (confidence > low) & (confidence <= high)
        if in_bin.any():
            rows.append(
                {
                    "bin": f"{low:.1f}-{high:.1f}",
                    "letters": int(in_bin.sum()),
                    "mean_confidence": round(float(confidence[in_bin].mean()), 3),
                    "accuracy": round(float(np.asarray(correct)[in_bin].mean()), 3),
                }
            )
    return rows


def label_thresholds(
    predicted: Sequence[str], confidence: np.ndarray, correct: np.ndarray, target: float, minimum: int = 5
) -> dict[str, float]:
    """Per predicted label, the lowest confidence at which auto-accepted predictions keep `target`
    precision on held-out letters. A label with too few held-out predictions to tell gets 1.01,
    which nothing reaches: such letters always go to a person."""
    predicted = np.asarray(predicted)
    thresholds: dict[str, float] = {}
    for label in np.unique(predicted):
        mask = predicted == label
        order = np.argsort(-confidence[mask])
        conf, ok = confidence[mask][order], np.asarray(correct)[mask][order]
        if len(conf) < minimum:
            thresholds[str(label)] = 1.01
            continue
        precision = np.cumsum(ok) / np.arange(1, len(ok) + 1)
        # The deepest cut-off at which precision over everything above it still meets the target.
        meets = np.where(precision >= target)[0]
        if len(meets) == 0:
            thresholds[str(label)] = 1.01
        else:
            thresholds[str(label)] = float(conf[meets[-1]])
    return thresholds


def coverage_at_precision(
    predicted: Sequence[str], confidence: np.ndarray, correct: np.ndarray, target: float
) -> dict:
    """How many letters per-label thresholds at `target` would auto-accept, and how precisely.

    The thresholds are chosen on one half of the letters and applied to the other (and the
    halves swapped), so the figure is not flattered by choosing and scoring on the same letters.
    """
    predicted = np.asarray(predicted)
    correct = np.asarray(correct, dtype=bool)
    rng = np.random.default_rng(20090414)
    half = rng.permutation(len(predicted)) % 2 == 0
    accepted = np.zeros(len(predicted), dtype=bool)
    for choose, apply in ((half, ~half), (~half, half)):
        thresholds = label_thresholds(predicted[choose], confidence[choose], correct[choose], target)
        limits = np.array([thresholds.get(str(label), 1.01) for label in predicted[apply]])
        accepted[apply] = confidence[apply] >= limits
    n = int(accepted.sum())
    return {
        "target_precision": target,
        "coverage": round(n / len(predicted), 4) if len(predicted) else 0.0,
        "precision": round(float(correct[accepted].mean()), 4) if n else None,
        "accepted": n,
    }


@dataclass
class OutOfFold:
    """Out-of-fold predictions for every letter: label, probabilities over `classes`."""

    truth: np.ndarray
    probabilities: np.ndarray
    classes: np.ndarray

    @property
    def predicted(self) -> np.ndarray:
        return self.classes[self.probabilities.argmax(axis=1)]

    @property
    def confidence(self) -> np.ndarray:
        return self.probabilities.max(axis=1)

    @property
    def correct(self) -> np.ndarray:
        return self.predicted == self.truth


def out_of_fold(
    texts: Sequence[str],
    labels: Sequence[str],
    fit_predict: Callable[[list[str], list[str], list[str]], tuple[np.ndarray, np.ndarray]],
    folds: int = 5,
    seed: int = 20090414,
) -> OutOfFold:
    """Stratified k-fold: `fit_predict(train_texts, train_labels, test_texts)` returns
    (classes, probabilities) for the test texts; every letter is predicted once, unseen."""
    texts, labels = list(texts), np.asarray(labels)
    classes = np.unique(labels)
    probabilities = np.zeros((len(texts), len(classes)))
    smallest = min(np.sum(labels == c) for c in classes)
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed)
    for train, test in splitter.split(np.zeros(len(texts)), labels):
        fold_classes, fold_probabilities = fit_predict(
            [texts[i] for i in train], list(labels[train]), [texts[i] for i in test]
        )
        columns = np.searchsorted(classes, fold_classes)
        probabilities[np.ix_(test, columns)] = fold_probabilities
    return OutOfFold(labels, probabilities, classes)


def report(oof: OutOfFold) -> dict:
    """Every figure the evaluation report gives for one task."""
    truth, predicted = oof.truth, oof.predicted
    labels = [str(c) for c in oof.classes]
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=oof.classes, zero_division=0
    )
    return {
        "letters": len(truth),
        "accuracy": round(float(accuracy_score(truth, predicted)), 4),
        "macro_f1": round(float(f1_score(truth, predicted, average="macro", zero_division=0)), 4),
        "ece": round(expected_calibration_error(oof.confidence, oof.correct), 4),
        "per_label": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "labels": labels,
        "confusion_matrix": confusion_matrix(truth, predicted, labels=oof.classes).tolist(),
        "coverage": [
            coverage_at_precision(predicted, oof.confidence, oof.correct, t) for t in PRECISION_TARGETS
        ],
        "reliability": reliability_table(oof.confidence, oof.correct),
    }


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def task_markdown(task: str, r: dict) -> str:
    """One task's report in Markdown: headline figures, per label, confusion and reliability."""
    auto = r.get("auto_accepted_at_target") or {}
    headline = [
        ("accuracy", f"{r['accuracy']:.3f}"),
        ("macro-F1", f"{r['macro_f1']:.3f}"),
        ("expected calibration error", f"{r['ece']:.3f}"),
        ("letters", r["letters"]),
    ]
    if auto:
        headline.append(
            (
                "auto-accepted at the chosen thresholds",
                f"{auto['share']:.1%} (precision {auto['precision'] or 0:.3f})",
            )
        )
    for c in r["coverage"]:
        reached = f"{c['precision']:.3f}" if c["precision"] is not None else "n/a"
        headline.append(
            (f"coverage at {c['target_precision']:.0%} precision", f"{c['coverage']:.1%} (reached {reached})")
        )
    width = max(len(label) for label in r["labels"])
    confusion = "\n".join(
        f"{label:<{width}} " + " ".join(f"{v:3d}" for v in row)
        for label, row in zip(r["labels"], r["confusion_matrix"], strict=True)
    )
    return (
        f"### {task}\n\n"
        + markdown_table(["measure", "value"], headline)
        + "\n"
        + markdown_table(
            ["label", "precision", "recall", "F1", "letters"],
            [
                (label, f"{m['precision']:.3f}", f"{m['recall']:.3f}", f"{m['f1']:.3f}", m["support"])
                for label, m in r["per_label"].items()
            ],
        )
        + "\nConfusion matrix (rows: true label; columns: predicted, same order):\n\n"
        + f"```\n{confusion}\n```\n\n"
        + "Reliability (does stated confidence match how often it is right?):\n\n"
        + markdown_table(
            ["confidence", "letters", "mean confidence", "accuracy"],
            [
                (row["bin"], row["letters"], f"{row['mean_confidence']:.3f}", f"{row['accuracy']:.3f}")
                for row in r["reliability"]
            ],
        )
        + "\n"
    )


def flags_markdown(flags: dict) -> str:
    """The flag models' figures (models and rules together) in Markdown."""
    return (
        "### flags (models and rules together)\n\n"
        + markdown_table(
            ["flag", "letters with it", "precision", "recall", "recall of rules alone"],
            [
                (
                    flag,
                    m["letters_with_flag"],
                    f"{m['precision']:.3f}",
                    f"{m['recall']:.3f}",
                    f"{m['rules_alone_recall']:.3f}",
                )
                for flag, m in flags.items()
            ],
        )
        + "\n"
    )
