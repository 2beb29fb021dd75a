"""mincorr's classifiers: linear SVMs over TF-IDF views of a letter's spaCy tokens, with
probabilities calibrated on held-out letters and a per-label confidence policy.

- One label per letter (topic, concern, or a department's own label set): a LinearSVC whose
  scores are turned into probabilities by a softmax with one temperature, fitted on
  out-of-fold scores. Per label, the confidence at which held-out predictions kept the target
  precision (97% by default) becomes that label's auto-accept threshold.
- Flags (any number per letter): one binary LinearSVC per flag with Platt scaling; its
  threshold is chosen on held-out letters together with the rules of classifiers.flags, and
  for safeguarding so that recall stays at or above the configured level.

Everything is stored with skops as plain scikit-learn objects, arrays and numbers.
"""

from __future__ import annotations

import io
import platform
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy
import sklearn
import skops
import skops.io as sio
import spacy
from joblib import Parallel, delayed
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC

from classifiers.evaluation import OutOfFold, flags_markdown, label_thresholds, report, task_markdown
from classifiers.features import CueBlock, LetterTokens, TfidfBlock, training_config

ARTEFACT_FORMAT = 3
# The only types a stored artefact may contain; loading refuses anything else.
TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int32",
    "numpy.int64",
    "numpy.str_",
    "numpy.uint64",
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "builtins.float",
    "builtins.int",
    "builtins.tuple",
    "sklearn.svm._classes.LinearSVC",
]


@dataclass
class Prediction:
    """One label for one task: its probability, whether policy lets it through without a person,
    the runners-up and the words behind it."""

    task: str
    label: str
    confidence: float
    auto_accepted: bool
    threshold: float
    alternatives: list[dict]
    evidence: list[str]

    def as_dict(self) -> dict:
        return {
            "task": self.task,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "auto_accepted": self.auto_accepted,
            "threshold": round(self.threshold, 4),
            "alternatives": self.alternatives,
            "evidence": self.evidence,
        }


@dataclass
class FlagPrediction:
    """A flag the model raised, with its probability."""

    flag: str
    confidence: float


# --- features ---------------------------------------------------------------------------------


class FeatureSpace:
    """The TF-IDF blocks of classifiers/training.yaml, fitted once and shared by every task."""

    def __init__(self, config: dict, cues: dict[str, list[str]] | None = None):
        self.config = config
        self.cues = cues
        self.blocks: dict[str, TfidfBlock | CueBlock] = {}

    def fit_transform(self, letters: Sequence[LetterTokens]) -> dict[str, csr_matrix]:
        matrices = {}
        for name, spec in self.config["features"]["blocks"].items():
            if spec["source"] == "cues":
                if not self.cues:
                    continue  # no departments register to hand (a label set of one's own)
                block = CueBlock(self.cues, spec.get("weight", 1.0))
            else:
                block = TfidfBlock(spec["source"], spec["ngrams"], spec.get("min_df", 1)).fit(letters)
            self.blocks[name] = block
            matrices[name] = block.transform(letters)
        return matrices

    def transform(self, letters: Sequence[LetterTokens]) -> dict[str, csr_matrix]:
        return {name: block.transform(letters) for name, block in self.blocks.items()}

    def names(self, block: str) -> np.ndarray:
        return self.blocks[block].names


def _stack(blocks: dict[str, csr_matrix], names: Sequence[str]) -> csr_matrix:
    return hstack([blocks[name] for name in names if name in blocks]).tocsr()


# --- calibration ------------------------------------------------------------------------------


def _softmax(scores: np.ndarray, temperature: float) -> np.ndarray:
    z = scores / temperature
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _class_scores(svm: LinearSVC, matrix: csr_matrix) -> np.ndarray:
    scores = svm.decision_function(matrix)
    if scores.ndim == 1:  # two classes: LinearSVC gives one score for the second
        scores = np.column_stack([-scores, scores]) / 2
    return scores


def fit_temperature(scores: np.ndarray, truth_index: np.ndarray) -> float:
    """The temperature that makes softmax(scores / T) best predict the truth (least log loss)."""

    def loss(log_t: float) -> float:
        probabilities = _softmax(scores, float(np.exp(log_t)))
        return float(-np.mean(np.log(probabilities[np.arange(len(truth_index)), truth_index] + 1e-12)))

    return float(np.exp(minimize_scalar(loss, bounds=(-4.0, 3.0), method="bounded").x))


# liblinear's stopping tolerance. 1e-3 rather than scikit-learn's 1e-4: the same predictions and
# figures on the corpus (measured with `mincorr evaluate`), and training about a third faster.
SVM_TOLERANCE = 1e-3


def _svm(C: float) -> LinearSVC:
    return LinearSVC(C=C, class_weight="balanced", tol=SVM_TOLERANCE)


def _parallel(fit, training_sets: list) -> list:
    """Fit one model per fold on every core. liblinear releases the GIL, so threads suffice and
    the feature matrix is shared rather than copied."""
    return Parallel(n_jobs=-1, prefer="threads")(delayed(fit)(rows) for rows in training_sets)


def _folds(labels: np.ndarray, folds: int, seed: int):
    smallest = int(min(np.sum(labels == c) for c in np.unique(labels)))
    splitter = StratifiedKFold(n_splits=max(2, min(folds, smallest)), shuffle=True, random_state=seed)
    return splitter.split(np.zeros(len(labels)), labels)


def train_label_model(matrix: csr_matrix, labels: Sequence[str], C: float, policy: dict, evaluation: dict):
    """Train one single-label task; return (stored model, out-of-fold predictions).

    Out-of-fold scores serve three purposes: fitting the temperature, measuring the model, and
    choosing each label's auto-accept threshold. The stored SVM is then refit on every letter.
    """
    labels = np.asarray(labels)
    classes = np.unique(labels)
    if len(classes) < 2:
        raise ValueError("a classifier needs at least two labels")
    scores = np.zeros((len(labels), len(classes)))
    splits = list(_folds(labels, evaluation["folds"], evaluation["random_state"]))
    # The model kept (fitted on every letter) is fitted alongside the fold models, not after them.
    *fitted, svm = _parallel(
        lambda train: _svm(C).fit(matrix[train], labels[train]),
        [t for t, _ in splits] + [np.arange(len(labels))],
    )
    for (_, test), fold_svm in zip(splits, fitted, strict=True):
        columns = np.searchsorted(classes, fold_svm.classes_)
        scores[np.ix_(test, columns)] = _class_scores(fold_svm, matrix[test])
    temperature = fit_temperature(scores, np.searchsorted(classes, labels))
    oof = OutOfFold(labels, _softmax(scores, temperature), classes)
    thresholds = label_thresholds(
        oof.predicted, oof.confidence, oof.correct, policy["target_precision"], policy["min_held_out"]
    )
    return {"svm": svm, "temperature": temperature, "thresholds": thresholds}, oof


def train_flag_model(
    matrix: csr_matrix,
    present: np.ndarray,
    rule_hits: np.ndarray,
    C: float,
    recall_floor: float | None,
    evaluation: dict,
):
    """Train one binary flag; the threshold is chosen on held-out letters for the model and the
    rules together: at the highest F1, or (for safeguarding) keeping recall >= `recall_floor`."""
    present = np.asarray(present, dtype=bool)
    scores = np.zeros(len(present))
    splits = list(_folds(present.astype(int), evaluation["folds"], evaluation["random_state"]))
    *fitted, svm = _parallel(
        lambda train: _svm(C).fit(matrix[train], present[train]),
        [t for t, _ in splits] + [np.arange(len(present))],
    )
    for (_, test), fold_svm in zip(splits, fitted, strict=True):
        scores[test] = fold_svm.decision_function(matrix[test])
    # Platt scaling: a logistic curve over the SVM score, fitted on held-out scores.
    a, b = _platt(scores, present)
    probability = 1 / (1 + np.exp(-(a * scores + b)))
    candidates = []
    for threshold in np.unique(np.round(probability, 3)):
        raised = (probability >= threshold) | rule_hits
        tp = float(np.sum(raised & present))
        recall = tp / max(1, present.sum())
        precision = tp / max(1, raised.sum())
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        candidates.append({"threshold": float(threshold), "precision": precision, "recall": recall, "f1": f1})
    if recall_floor is not None:
        # The highest threshold that still keeps the recall floor; failing that, catch all we can.
        meeting = [c for c in candidates if c["recall"] >= recall_floor]
        chosen = max(meeting, key=lambda c: c["threshold"]) if meeting else candidates[0]
    else:
        chosen = max(candidates, key=lambda c: c["f1"])
    threshold = chosen["threshold"]
    measured = {k: v for k, v in chosen.items() if k != "threshold"}
    rules_only = rule_hits
    tp_rules = float(np.sum(rules_only & present))
    measured = {k: round(v, 4) for k, v in measured.items()}
    measured.update(
        {
            "letters_with_flag": int(present.sum()),
            "threshold": round(threshold, 4),
            "rules_alone_recall": round(tp_rules / max(1, present.sum()), 4),
            "rules_alone_precision": round(tp_rules / max(1, rules_only.sum()), 4),
        }
    )
    return {"svm": svm, "a": a, "b": b, "threshold": threshold}, measured


def _platt(scores: np.ndarray, present: np.ndarray) -> tuple[float, float]:
    def loss(params: np.ndarray) -> float:
        p = 1 / (1 + np.exp(-(params[0] * scores + params[1])))
        return float(-np.mean(present * np.log(p + 1e-12) + (~present) * np.log(1 - p + 1e-12)))

    fitted = scipy.optimize.minimize(loss, np.array([1.0, 0.0]), method="L-BFGS-B")
    return float(fitted.x[0]), float(fitted.x[1])


# --- the model --------------------------------------------------------------------------------


class TriageModel:
    """Fitted features and, per task, a calibrated classifier with its thresholds; per flag, a
    binary classifier. Serves the triage tasks and a department's own label sets alike."""

    def __init__(
        self, features: FeatureSpace, tasks: dict[str, dict], flags: dict[str, dict], metadata: dict
    ):
        self.features = features
        self.tasks = tasks
        self.flags = flags
        self.metadata = metadata
        self._readable: dict[tuple[str, ...], np.ndarray] = {}

    def _blocks_for(self, task: str) -> list[str]:
        return [
            name for name in self.features.config["tasks"][task]["blocks"] if name in self.features.blocks
        ]

    def classify(
        self, letters: Sequence[str]
    ) -> tuple[list[dict[str, Prediction]], list[list[FlagPrediction]]]:
        """Every task and every flag for each letter, transforming the letters once."""
        blocks = self.features.transform(letters)
        return self.predict(letters, blocks=blocks), self.predict_flags(letters, blocks=blocks)

    def predict(
        self, letters: Sequence[str], top: int = 3, evidence: int = 6, blocks: dict | None = None
    ) -> list[dict[str, Prediction]]:
        """Predict every task for each letter's tokens (see classifiers.features)."""
        blocks = blocks if blocks is not None else self.features.transform(letters)
        results: list[dict[str, Prediction]] = [{} for _ in letters]
        for task, model in self.tasks.items():
            names = self._blocks_for(task)
            matrix = _stack(blocks, names)
            probabilities = _softmax(_class_scores(model["svm"], matrix), model["temperature"])
            classes = model["svm"].classes_
            readable = self._readable_columns(names)
            names = [str(c) for c in classes]
            orders = np.argsort(-probabilities, axis=1)[:, :top].tolist()
            for row, (order, probs) in enumerate(zip(orders, probabilities.tolist(), strict=True)):
                label = names[order[0]]
                threshold = float(model["thresholds"].get(label, 1.01))
                results[row][task] = Prediction(
                    task=task,
                    label=label,
                    confidence=probs[order[0]],
                    auto_accepted=probs[order[0]] >= threshold,
                    threshold=threshold,
                    alternatives=[{"label": names[i], "confidence": round(probs[i], 4)} for i in order[1:]],
                    evidence=self._evidence(model["svm"], matrix, row, order[0], readable, evidence),
                )
        return results

    def predict_flags(self, letters: Sequence[str], blocks: dict | None = None) -> list[list[FlagPrediction]]:
        """The flags each letter's models raise (rules are applied by the caller)."""
        if not self.flags:
            return [[] for _ in letters]
        blocks = blocks if blocks is not None else self.features.transform(letters)
        matrix = _stack(blocks, self._blocks_for("flags"))
        raised: list[list[FlagPrediction]] = [[] for _ in letters]
        for flag, model in self.flags.items():
            scores = model["svm"].decision_function(matrix)
            probability = 1 / (1 + np.exp(-(model["a"] * scores + model["b"])))
            for row in np.where(probability >= model["threshold"])[0]:
                raised[row].append(FlagPrediction(flag, float(probability[row])))
        return raised

    def _readable_columns(self, names: Sequence[str]) -> np.ndarray:
        """Feature names across the stacked blocks; stems are shown with a trailing '…'."""
        key = tuple(names)
        if key not in self._readable:
            self._readable[key] = self._build_readable(names)
        return self._readable[key]

    def _build_readable(self, names: Sequence[str]) -> np.ndarray:
        return np.concatenate([np.asarray(self.features.names(name), dtype=object) for name in names])

    @staticmethod
    def _evidence(
        svm: LinearSVC, matrix: csr_matrix, row: int, label_index: int, readable: np.ndarray, n: int
    ) -> list[str]:
        start, stop = matrix.indptr[row], matrix.indptr[row + 1]
        columns, values = matrix.indices[start:stop], matrix.data[start:stop]
        coef = svm.coef_[label_index] if svm.coef_.shape[0] > 1 else svm.coef_[0] * (1 if label_index else -1)
        scores = values * coef[columns]
        words: list[str] = []
        seen: set[str] = set()
        for i in np.argsort(scores)[::-1][: n * 3]:
            if scores[i] <= 0:
                break
            term = str(readable[columns[i]])
            base = term.rstrip("…")
            if "<" in term or base in seen:
                continue
            seen.add(base)
            words.append(term)
            if len(words) == n:
                break
        return words

    def to_bytes(self) -> bytes:
        """Serialise with skops (not pickle): scikit-learn estimators, numpy arrays and numbers."""
        return sio.dumps(
            {
                "format": ARTEFACT_FORMAT,
                "config": self.features.config,
                "blocks": {name: block.state() for name, block in self.features.blocks.items()},
                "tasks": self.tasks,
                "flags": self.flags,
                "metadata": self.metadata,
            },
            compression=8,
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> TriageModel:
        """Load an artefact, refusing any type outside TRUSTED_TYPES."""
        try:
            found = sio.get_untrusted_types(data=data)
        except zipfile.BadZipFile as error:
            raise ValueError("not a skops model artefact") from error
        untrusted = [t for t in found if t not in TRUSTED_TYPES]
        if untrusted:
            raise ValueError(f"model artefact holds types mincorr does not trust: {', '.join(untrusted)}")
        payload = sio.loads(data, trusted=TRUSTED_TYPES)
        if payload.get("format") != ARTEFACT_FORMAT:
            raise ValueError(
                f"model artefact format {payload.get('format')} is not {ARTEFACT_FORMAT}: "
                "retrain with `mincorr train`"
            )
        features = FeatureSpace(payload["config"])
        features.blocks = {
            name: CueBlock.from_state(state) if state["source"] == "cues" else TfidfBlock.from_state(state)
            for name, state in payload["blocks"].items()
        }
        return cls(features, payload["tasks"], payload["flags"], payload["metadata"])


def train_model(
    letters: Sequence[LetterTokens],
    labels: dict[str, Sequence[str]],
    flags: dict[str, tuple[np.ndarray, np.ndarray]] | None = None,
    config: dict | None = None,
    cues: dict[str, list[str]] | None = None,
) -> tuple[TriageModel, dict]:
    """Train every task in `labels` (task -> one label per text) and every flag in `flags`
    (flag -> (present, rule_hits) per text) over one shared feature space.

    Returns the model and a report per task and flag, measured on out-of-fold predictions.
    """
    config = config or training_config()
    features = FeatureSpace(config, cues)
    blocks = features.fit_transform(letters)
    tasks, reports = {}, {}
    for task, task_labels in labels.items():
        spec = config["tasks"][task]
        model, oof = train_label_model(
            _stack(blocks, spec["blocks"]), task_labels, spec["C"], config["policy"], config["evaluation"]
        )
        tasks[task] = model
        reports[task] = report(oof)
        reports[task]["auto_accepted_at_target"] = _auto_accepted_share(oof, model["thresholds"])
    flag_models, flag_reports = {}, {}
    if flags:
        spec = config["tasks"]["flags"]
        matrix = _stack(blocks, spec["blocks"])
        for flag, (present, rule_hits) in flags.items():
            if present.sum() < 2:
                continue
            floor = config["policy"]["safeguarding_recall"] if flag == "safeguarding" else None
            flag_models[flag], flag_reports[flag] = train_flag_model(
                matrix, present, rule_hits, spec["C"], floor, config["evaluation"]
            )
    metadata = {"config": config, "trained_on": len(letters), "reports": reports, "flags": flag_reports}
    return TriageModel(features, tasks, flag_models, metadata), {"tasks": reports, "flags": flag_reports}


def _auto_accepted_share(oof: OutOfFold, thresholds: dict[str, float]) -> dict:
    limits = np.array([thresholds.get(str(label), 1.01) for label in oof.predicted])
    accepted = oof.confidence >= limits
    return {
        "share": round(float(accepted.mean()), 4),
        "precision": round(float(oof.correct[accepted].mean()), 4) if accepted.any() else None,
    }


def library_versions() -> dict[str, str]:
    """Versions that a model card records."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "skops": skops.__version__,
    }


def model_card(
    title: str, metrics: dict, sources: dict[str, int], versions: dict[str, str], created_at: str
) -> str:
    """A model card in Markdown: what the model was trained on, how well it did, with what."""
    out = io.StringIO()
    out.write(f"# {title}\n\nTrained {created_at}.\n\n## Data\n\n")
    for source, count in sources.items():
        out.write(f"- {source}: {count} letters\n")
    out.write(
        "\n## Results on held-out letters\n\nEvery figure below comes from stratified cross-validation: "
        "each letter was classified by a model that had not seen it.\n\n"
    )
    for task, r in metrics.get("tasks", {}).items():
        out.write(task_markdown(task, r))
    if metrics.get("flags"):
        out.write(flags_markdown(metrics["flags"]))
    out.write("## Library versions\n\n")
    for name, value in versions.items():
        out.write(f"- {name} {value}\n")
    return out.getvalue()
