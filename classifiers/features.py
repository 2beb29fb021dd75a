"""What the classifiers see of a letter: its words as spaCy tokenises them, normalised.

Shared by training and inference so that a model never sees text prepared differently from
the text it was trained on.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import spacy
import yaml
from spacy.language import Language
from spacy.tokens import Doc

CONFIG_PATH = Path(__file__).with_name("training.yaml")


@lru_cache(maxsize=1)
def training_config() -> dict:
    """The hyper-parameters in classifiers/training.yaml."""
    return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def tokenizer() -> Language:
    """A blank English spaCy pipeline, used for its tokenizer alone."""
    return spacy.blank("en")


def token_text(doc: Doc) -> str:
    """Lower-case word tokens joined by spaces; numbers, emails and links become placeholders."""
    words = []
    for token in doc:
        if token.is_space or token.is_punct:
            continue
        if token.like_email:
            words.append("<email>")
        elif token.like_url:
            words.append("<url>")
        elif token.like_num or any(ch.isdigit() for ch in token.text):
            words.append("<num>")
        else:
            words.append(token.lower_)
    return " ".join(words)


def letter_features(text: str) -> str:
    """The normalised token text of a letter, cut to the configured length."""
    limit = training_config()["features"]["max_chars"]
    return token_text(tokenizer()(text[:limit]))
