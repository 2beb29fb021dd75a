"""Topic and concern classifiers: TF-IDF over spaCy tokens (words and characters) feeding a
logistic regression, one model per task, saved as one skops artefact.
"""

from __future__ import annotations

import io
import platform
from collections import Counter
from dataclasses import dataclass

import numpy as np
import sklearn
import skops
import skops.io as sio
import spacy
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from classifiers.features import training_config

TASKS = ("topic", "concern")
ARTEFACT_FORMAT = 1
# The only types a stored artefact may contain; loading refuses anything else.
TRUSTED_TYPES = [
    "numpy.dtype",
    "numpy.float32",
    "numpy.float64",
    "numpy.int64",
    "numpy.str_",
    "builtins.dict",
    "builtins.list",
    "builtins.str",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.pipeline.FeatureUnion",
    "sklearn.pipeline.Pipeline",
]


@dataclass
class Prediction:
    """One label for one task, with its probability, the runners-up and the words behind it."""

    task: str
    label: str
    confidence: float
    alternatives: list[dict]
    evidence: list[str]

    def as_dict(self) -> dict:
        return {
            "task": self.task,
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "alternatives": self.alternatives,
            "evidence": self.evidence,
        }


def build_features(config: dict | None = None) -> FeatureUnion:
    """Fresh, unfitted features as configured in classifiers/training.yaml: word and character
    TF-IDF over the normalised spaCy tokens of a letter."""
    config = config or training_config()
    features = config["features"]
    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    token_pattern=r"\S+",
                    lowercase=False,
                    ngram_range=tuple(features["word_ngrams"]),
                    min_df=features["word_min_df"],
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    lowercase=False,
                    ngram_range=tuple(features["char_ngrams"]),
                    min_df=features["char_min_df"],
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )


def build_classifier(config: dict | None = None) -> LogisticRegression:
    """A fresh logistic regression as configured."""
    model = (config or training_config())["model"]
    return LogisticRegression(C=model["C"], class_weight=model["class_weight"], max_iter=model["max_iter"])


def build_pipeline(config: dict | None = None) -> Pipeline:
    """Features and classifier in one scikit-learn pipeline (for cross-validation)."""
    return Pipeline([("features", build_features(config)), ("classifier", build_classifier(config))])


class TriageModel:
    """The fitted features, shared by every task, and one classifier per task."""

    def __init__(self, features: FeatureUnion, classifiers: dict[str, LogisticRegression], metadata: dict):
        self.features = features
        self.classifiers = classifiers
        self.metadata = metadata

    @property
    def tasks(self) -> list[str]:
        return list(self.classifiers)

    def predict(
        self, feature_texts: list[str], top: int = 3, evidence: int = 6
    ) -> list[dict[str, Prediction]]:
        """Predict every task for each letter's feature text (see classifiers.features)."""
        results: list[dict[str, Prediction]] = [{} for _ in feature_texts]
        matrix = self.features.transform(feature_texts)
        words: TfidfVectorizer = self.features.transformer_list[0][1]
        vocabulary = words.get_feature_names_out()
        n_words = len(vocabulary)
        word_matrix = matrix[:, :n_words].tocsr()
        for task, classifier in self.classifiers.items():
            probabilities = classifier.predict_proba(matrix)
            for row, probs in enumerate(probabilities):
                order = np.argsort(probs)[::-1]
                best = order[0]
                # The words that pushed this label up most: tf-idf weight times coefficient.
                start, stop = word_matrix.indptr[row], word_matrix.indptr[row + 1]
                columns, values = word_matrix.indices[start:stop], word_matrix.data[start:stop]
                coef = classifier.coef_[best if classifier.coef_.shape[0] > 1 else 0]
                scores = values * coef[columns]
                strongest = np.argsort(scores)[::-1]
                results[row][task] = Prediction(
                    task=task,
                    label=str(classifier.classes_[best]),
                    confidence=float(probs[best]),
                    alternatives=[
                        {"label": str(classifier.classes_[i]), "confidence": round(float(probs[i]), 4)}
                        for i in order[1:top]
                    ],
                    evidence=[
                        str(vocabulary[columns[i]])
                        for i in strongest
                        if scores[i] > 0 and not vocabulary[columns[i]].startswith("<")
                    ][:evidence],
                )
        return results

    def to_bytes(self) -> bytes:
        """Serialise with skops (not pickle).

        Vocabularies are stored as arrays of terms, which skops writes quickly, rather than as
        dictionaries of tens of thousands of entries, which it writes one node at a time.
        """
        vectorizers = [vectorizer for _, vectorizer in self.features.transformer_list]
        vocabularies = [vectorizer.get_feature_names_out().astype(str) for vectorizer in vectorizers]
        saved = [vectorizer.__dict__.pop("vocabulary_") for vectorizer in vectorizers]
        for vectorizer in vectorizers:
            # Terms dropped by min_df; kept by scikit-learn for inspection only, and large.
            vectorizer.__dict__.pop("stop_words_", None)
        try:
            return sio.dumps(
                {
                    "format": ARTEFACT_FORMAT,
                    "features": self.features,
                    "vocabularies": vocabularies,
                    "classifiers": self.classifiers,
                    "metadata": self.metadata,
                },
                compression=8,
            )
        finally:
            for vectorizer, vocabulary in zip(vectorizers, saved, strict=True):
                vectorizer.vocabulary_ = vocabulary

    @classmethod
    def from_bytes(cls, data: bytes) -> TriageModel:
        """Load an artefact, refusing any type outside TRUSTED_TYPES."""
        untrusted = [t for t in sio.get_untrusted_types(data=data) if t not in TRUSTED_TYPES]
        if untrusted:
            raise ValueError(f"model artefact holds types mincorr does not trust: {', '.join(untrusted)}")
        payload = sio.loads(data, trusted=TRUSTED_TYPES)
        if payload.get("format") != ARTEFACT_FORMAT:
            raise ValueError(f"model artefact format {payload.get('format')} is not {ARTEFACT_FORMAT}")
        features = payload["features"]
        for (_, vectorizer), terms in zip(features.transformer_list, payload["vocabularies"], strict=True):
            vectorizer.vocabulary_ = {str(term): index for index, term in enumerate(terms)}
        return cls(features, payload["classifiers"], payload["metadata"])


def library_versions() -> dict[str, str]:
    """Versions that a model card records."""
    return {
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "spacy": spacy.__version__,
        "numpy": np.__version__,
        "skops": skops.__version__,
    }


def _task_metrics(labels_true: list[str], labels_pred: list[str]) -> dict:
    labels = sorted(set(labels_true) | set(labels_pred))
    return {
        "accuracy": round(float(accuracy_score(labels_true, labels_pred)), 4),
        "macro_f1": round(float(f1_score(labels_true, labels_pred, average="macro", zero_division=0)), 4),
        "labels": labels,
        "confusion_matrix": confusion_matrix(labels_true, labels_pred, labels=labels).tolist(),
        "support": dict(Counter(labels_true)),
    }


def train_triage_model(
    feature_texts: list[str], labels: dict[str, list[str]], config: dict | None = None
) -> tuple[TriageModel, dict]:
    """Train one classifier per task over shared features; report held-out metrics, then refit
    on everything. `labels` maps each task to one label per text."""
    config = config or training_config()
    evaluation = config["evaluation"]
    metrics: dict[str, dict] = {}
    for task, task_labels in labels.items():
        counts = Counter(task_labels)
        train_x, test_x, train_y, test_y = train_test_split(
            feature_texts,
            task_labels,
            test_size=evaluation["held_out_fraction"],
            random_state=evaluation["random_state"],
            stratify=task_labels if min(counts.values()) >= 2 else None,
        )
        held_out = build_pipeline(config).fit(train_x, train_y)
        metrics[task] = _task_metrics(list(test_y), list(held_out.predict(test_x)))
        metrics[task]["held_out_letters"] = len(test_y)
    features = build_features(config)
    matrix = features.fit_transform(feature_texts)
    classifiers = {
        task: build_classifier(config).fit(matrix, task_labels) for task, task_labels in labels.items()
    }
    metadata = {"config": config, "trained_on": len(feature_texts), "metrics": metrics}
    return TriageModel(features, classifiers, metadata), metrics


def model_card(
    version: str, metrics: dict, sources: dict[str, int], versions: dict[str, str], created_at: str
) -> str:
    """A model card in Markdown: what the model was trained on, how well it did, with what."""
    out = io.StringIO()
    out.write(f"# mincorr triage model {version}\n\nTrained {created_at}.\n\n## Data\n\n")
    for source, count in sources.items():
        out.write(f"- {source}: {count} letters\n")
    out.write("\n## Held-out results\n\n")
    for task, task_metrics in metrics.items():
        out.write(
            f"### {task}\n\naccuracy {task_metrics['accuracy']:.3f}, macro-F1 {task_metrics['macro_f1']:.3f} "
            f"on {task_metrics['held_out_letters']} held-out letters.\n\n"
            "Confusion matrix (rows true, columns predicted):\n\n"
        )
        labels = task_metrics["labels"]
        out.write("| true \\ predicted | " + " | ".join(str(i) for i in range(len(labels))) + " |\n")
        out.write("|---" * (len(labels) + 1) + "|\n")
        for i, (label, row) in enumerate(zip(labels, task_metrics["confusion_matrix"], strict=True)):
            out.write(f"| {i} {label} | " + " | ".join(str(v) for v in row) + " |\n")
        out.write("\n")
    out.write("## Library versions\n\n")
    for name, value in versions.items():
        out.write(f"- {name} {value}\n")
    return out.getvalue()
