"""spaCy's own text classifier, trained on the same letters, for comparison with the scikit-learn
model (the comparison is recorded in classifiers/MODEL_CARD.md). It is not the shipped model."""

from __future__ import annotations

import random
from collections.abc import Sequence

import numpy as np
import spacy
from spacy.training import Example
from spacy.util import minibatch

ARCHITECTURES = {
    # A bag of words and bigrams: spaCy's fastest textcat, no vectors needed.
    "bow": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": 2,
        "no_output_layer": False,
        "length": 262144,
    },
    # Bag of words with a CNN over hashed token features (no pretrained vectors).
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "linear_model": {
            "@architectures": "spacy.TextCatBOW.v3",
            "exclusive_classes": True,
            "ngram_size": 2,
            "no_output_layer": False,
            "length": 262144,
        },
        "tok2vec": {
            "@architectures": "spacy.Tok2Vec.v2",
            "embed": {
                "@architectures": "spacy.MultiHashEmbed.v2",
                "width": 64,
                "rows": [2000, 2000, 1000, 1000],
                "attrs": ["ORTH", "LOWER", "PREFIX", "SUFFIX"],
                "include_static_vectors": False,
            },
            "encode": {
                "@architectures": "spacy.MaxoutWindowEncoder.v2",
                "width": 64,
                "window_size": 1,
                "maxout_pieces": 3,
                "depth": 2,
            },
        },
    },
}


def train_textcat(
    texts: Sequence[str], labels: Sequence[str], architecture: str = "bow", epochs: int = 12, seed: int = 1
):
    """Train a spaCy exclusive-class textcat; return the pipeline."""
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[architecture]})
    classes = sorted(set(labels))
    for label in classes:
        textcat.add_label(label)
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {c: float(c == label) for c in classes}})
        for text, label in zip(texts, labels, strict=True)
    ]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(epochs):
        random.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.2)
    return nlp


def textcat_fit_predict(architecture: str = "bow", epochs: int = 12):
    """A fit_predict for classifiers.evaluation.out_of_fold."""

    def fit_predict(train_texts, train_labels, test_texts):
        nlp = train_textcat(train_texts, train_labels, architecture, epochs)
        classes = np.array(sorted(set(train_labels)))
        probabilities = np.array(
            [[doc.cats[c] for c in classes] for doc in nlp.pipe(test_texts, batch_size=64)]
        )
        return classes, probabilities

    return fit_predict
