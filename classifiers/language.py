"""Telling Welsh from English without a download: common function words of each language."""

from __future__ import annotations

import numpy as np
from spacy.attrs import LOWER
from spacy.strings import hash_string
from spacy.tokens import Doc

WELSH_WORDS = frozenset(
    [
        "a",
        "ac",
        "â",
        "ag",
        "am",
        "ar",
        "at",
        "yn",
        "y",
        "yr",
        "i",
        "o",
        "gan",
        "gyda",
        "mae",
        "oes",
        "ydy",
        "yw",
        "ydw",
        "rydw",
        "rwy",
        "roedd",
        "bod",
        "fod",
        "wedi",
        "cael",
        "gael",
        "ei",
        "eu",
        "fy",
        "ein",
        "eich",
        "hyn",
        "hynny",
        "hwn",
        "hon",
        "ond",
        "neu",
        "hefyd",
        "iawn",
        "dros",
        "rhwng",
        "pan",
        "fel",
        "os",
        "nid",
        "nad",
        "dim",
        "ni",
        "chi",
        "nhw",
        "fi",
        "ti",
        "e",
        "hi",
        "mewn",
        "gyfer",
        "annwyl",
        "diolch",
        "llywodraeth",
        "cymru",
        "gymraeg",
        "cymraeg",
        "yng",
        "ynghylch",
        "ynglŷn",
        "ynglyn",
        "gweinidog",
        "llys",
        "carchar",
        "plant",
        "teulu",
        "hawliau",
        "gofyn",
        "gennyf",
        "gennym",
        "fyddai",
        "byddai",
        "sydd",
        "oedd",
        "iddo",
        "iddi",
        "iddynt",
        "ateb",
        "llythyr",
        "cywir",
    ]
)
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "to",
        "is",
        "in",
        "that",
        "for",
        "it",
        "with",
        "was",
        "on",
        "are",
        "this",
        "be",
        "have",
        "i",
        "my",
        "you",
        "we",
        "they",
        "not",
        "but",
        "or",
        "at",
        "by",
        "from",
        "as",
        "he",
        "she",
        "his",
        "her",
        "their",
        "our",
        "your",
        "would",
        "could",
        "should",
        "will",
        "can",
        "which",
        "who",
        "what",
        "about",
        "been",
        "were",
        "has",
        "had",
        "do",
        "does",
        "did",
        "an",
        "there",
        "these",
        "those",
    ]
)


def _hashes(words: frozenset[str]) -> np.ndarray:
    return np.array(sorted(hash_string(w) for w in words), dtype=np.uint64)


WELSH_HASHES = _hashes(WELSH_WORDS)
ENGLISH_HASHES = _hashes(ENGLISH_WORDS)
SAMPLE_TOKENS = 400


def language_of(doc: Doc) -> str:
    """'cy' or 'en' for a processed letter, from its first few hundred lower-cased tokens."""
    lower = doc.to_array(LOWER)[:SAMPLE_TOKENS]
    return _decide(_count_in(lower, WELSH_HASHES), _count_in(lower, ENGLISH_HASHES))


def _count_in(values: np.ndarray, sorted_set: np.ndarray) -> int:
    positions = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return int((sorted_set[positions] == values).sum())


def _decide(welsh: int, english: int) -> str:
    return "cy" if welsh >= 8 and welsh > 1.5 * english else "en"
