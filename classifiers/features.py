"""What the classifiers see of a letter: its words as spaCy tokenises them, normalised, and
the same words cut to stems.

Shared by training and inference so that a model never sees text prepared differently from the
text it was trained on. Works on the Doc that extraction already made, so a letter is tokenised
once.
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


def token_text(doc: Doc, max_chars: int) -> str:
    """Lower-case word tokens joined by spaces; numbers, emails and links become placeholders."""
    words = []
    for token in doc:
        if token.idx >= max_chars:
            break
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


def letter_features(letter: str | Doc) -> str:
    """The normalised token text of a letter (a Doc from extraction, or raw text)."""
    limit = training_config()["features"]["max_chars"]
    doc = letter if isinstance(letter, Doc) else tokenizer()(letter[:limit])
    return token_text(doc, limit)


def stems(word_text: str, length: int) -> str:
    """Each word cut to `length` letters: a crude stem that joins 'sentence' and 'sentencing'."""
    return " ".join(word[:length] for word in word_text.split())
