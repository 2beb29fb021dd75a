"""Baselines that mincorr's classifier is measured against, on the same letters and folds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from classifiers.classification import train_model
from classifiers.evaluation import out_of_fold, report
from classifiers.features import texts_to_features
from classifiers.textcat import textcat_fit_predict


def plain_tfidf_linearsvc(
    texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 20090414
) -> dict:
    """TF-IDF (scikit-learn defaults) + LinearSVC (defaults): the plain baseline.

    It gives no probabilities, so its report has accuracy and macro-F1 only.
    """

    def fit_predict(train_texts, train_labels, test_texts):
        vectorizer = TfidfVectorizer()
        svm = LinearSVC().fit(vectorizer.fit_transform(train_texts), train_labels)
        predicted = svm.predict(vectorizer.transform(test_texts))
        one_hot = (predicted[:, None] == svm.classes_[None, :]).astype(float)
        return svm.classes_, one_hot

    full = report(out_of_fold(texts, labels, fit_predict, folds=folds, seed=seed))
    return {key: full[key] for key in ("letters", "accuracy", "macro_f1", "per_label")}


def spacy_textcat(texts: Sequence[str], labels: Sequence[str], folds: int = 5, seed: int = 20090414) -> dict:
    """spaCy's textcat (bag of words and bigrams), trained per fold on the raw letter text."""
    return report(
        out_of_fold([t[:6000] for t in texts], labels, textcat_fit_predict("bow"), folds=folds, seed=seed)
    )


def mincorr_label_model(
    texts: Sequence[str],
    labels: Sequence[str],
    folds: int = 5,
    seed: int = 20090414,
    task: str = "label",
    cues: dict[str, list[str]] | None = None,
) -> dict:
    """mincorr's own classifier for `task` (its blocks and C from training.yaml), with the whole
    training procedure (features, temperature, thresholds) redone inside each fold, so it is scored
    exactly like the baselines."""
    letters = texts_to_features(texts)

    def fit_predict(train_letters, train_labels, test_letters):
        model, _ = train_model(train_letters, {task: train_labels}, cues=cues)
        predictions = model.predict(test_letters, top=len(set(train_labels)))
        classes = np.array(sorted(set(train_labels)))
        probabilities = np.zeros((len(test_letters), len(classes)))
        for row, prediction in enumerate(predictions):
            p = prediction[task]
            probabilities[row, np.searchsorted(classes, p.label)] = p.confidence
            for alt in p.alternatives:
                probabilities[row, np.searchsorted(classes, alt["label"])] = alt["confidence"]
        return classes, probabilities

    return report(out_of_fold(letters, labels, fit_predict, folds=folds, seed=seed))
