"""What the classifiers see of a letter: its spaCy tokens, as TF-IDF blocks built with numpy.

A letter's tokens are read from the Doc extraction already made (one tokenisation per letter).
Each block of classifiers/training.yaml is a TF-IDF view of them:
- words: lower-cased tokens; numbers, emails and links each become one token (<num>, <email>, <url>);
- bigrams: pairs of consecutive words;
- stems: words cut to a few letters ('sentence' and 'sentencing' both 'sente').
Tokens are kept as spaCy's 64-bit string hashes and looked up in sorted arrays, so turning a
mailbag into features costs a few numpy operations per letter instead of a Python loop over every
word, and a fitted vocabulary is a pair of arrays rather than a large dictionary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.sparse import csr_matrix
from spacy.attrs import IDX, LOWER
from spacy.strings import hash_string
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from classifiers.extraction import letter_pipeline

CONFIG_PATH = Path(__file__).with_name("training.yaml")
PLACEHOLDERS = {name: np.uint64(hash_string(name)) for name in ("<num>", "<email>", "<url>")}
BIGRAM_MULTIPLIER = np.uint64(1_000_003)


@lru_cache(maxsize=1)
def training_config() -> dict:
    """The hyper-parameters in classifiers/training.yaml."""
    return yaml.safe_load(CONFIG_PATH.read_text(encoding="utf-8"))


def tokenizer() -> Tokenizer:
    """The letter pipeline's tokenizer: one vocabulary for extraction, features and flag rules."""
    return letter_pipeline().tokenizer


@dataclass(frozen=True)
class LetterTokens:
    """A letter's word and stem hashes, in reading order."""

    words: np.ndarray
    stems: np.ndarray


class _Lexicon:
    """Per-process memory of each spaCy word seen: whether it counts, its word and stem hashes, and
    readable forms for the words that drove a prediction.

    Known words are answered with one searchsorted over sorted arrays; only words never seen
    before go through Python, and they are merged into the arrays in batches.
    """

    MERGE_EVERY = 2000

    def __init__(self, stem_length: int):
        self.stem_length = stem_length
        self.keys = np.empty(0, dtype=np.uint64)
        self.words = np.empty(0, dtype=np.uint64)
        self.stems = np.empty(0, dtype=np.uint64)
        self.counts = np.empty(0, dtype=bool)
        self.pending: dict[int, tuple[int, int, bool]] = {}
        self.names: dict[int, str] = {int(h): name for name, h in PLACEHOLDERS.items()}

    def _entry(self, key: int, vocab) -> tuple[int, int, bool]:
        text = vocab.strings[key]
        lexeme = vocab[text]
        if lexeme.is_space or lexeme.is_punct:
            return 0, 0, False
        for flag, name in ((lexeme.like_email, "<email>"), (lexeme.like_url, "<url>")):
            if flag:
                return int(PLACEHOLDERS[name]), int(PLACEHOLDERS[name]), True
        if lexeme.like_num or any(ch.isdigit() for ch in text):
            return int(PLACEHOLDERS["<num>"]), int(PLACEHOLDERS["<num>"]), True
        stem = text[: self.stem_length]
        stem_key = int(hash_string(stem))
        self.names[key] = text
        self.names[stem_key] = f"{stem}…" if len(text) > self.stem_length else stem
        return key, stem_key, True

    def lookup(self, lower_hashes: np.ndarray, vocab) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        size = len(self.keys)
        positions = (
            np.searchsorted(self.keys, lower_hashes) if size else np.zeros(len(lower_hashes), dtype=np.int64)
        )
        positions[positions == size] = 0
        known = (self.keys[positions] == lower_hashes) if size else np.zeros(len(lower_hashes), dtype=bool)
        words = np.where(known, self.words[positions] if size else 0, 0).astype(np.uint64)
        stems = np.where(known, self.stems[positions] if size else 0, 0).astype(np.uint64)
        counts = np.where(known, self.counts[positions] if size else False, False)
        for i in np.flatnonzero(~known).tolist():
            key = int(lower_hashes[i])
            entry = self.pending.get(key)
            if entry is None:
                entry = self.pending[key] = self._entry(key, vocab)
            words[i], stems[i], counts[i] = entry
        if len(self.pending) >= self.MERGE_EVERY:
            self._merge()
        return words, stems, counts

    def _merge(self) -> None:
        new_keys = np.fromiter(self.pending, dtype=np.uint64, count=len(self.pending))
        values = list(self.pending.values())
        keys = np.concatenate([self.keys, new_keys])
        order = np.argsort(keys)
        self.keys = keys[order]
        self.words = np.concatenate([self.words, np.array([v[0] for v in values], dtype=np.uint64)])[order]
        self.stems = np.concatenate([self.stems, np.array([v[1] for v in values], dtype=np.uint64)])[order]
        self.counts = np.concatenate([self.counts, np.array([v[2] for v in values], dtype=bool)])[order]
        self.pending = {}


@lru_cache(maxsize=4)
def _lexicon(stem_length: int) -> _Lexicon:
    return _Lexicon(stem_length)


def letter_tokens(doc: Doc, max_chars: int | None = None, stem_length: int | None = None) -> LetterTokens:
    """The word and stem hashes of a letter's first `max_chars` characters."""
    features = training_config()["features"]
    max_chars = max_chars or features["max_chars"]
    lexicon = _lexicon(stem_length or features["stem_length"])
    array = doc.to_array([IDX, LOWER])
    if len(array) == 0:
        empty = np.empty(0, dtype=np.uint64)
        return LetterTokens(empty, empty)
    lower = array[array[:, 0] < max_chars, 1]
    unique, inverse = np.unique(lower, return_inverse=True)
    words, stems, counts = lexicon.lookup(unique, doc.vocab)
    keep = counts[inverse]
    return LetterTokens(words[inverse][keep], stems[inverse][keep])


def letter_features(letter: str | Doc) -> LetterTokens:
    """The tokens a classifier reads from a letter: a Doc from extraction, or raw text."""
    limit = training_config()["features"]["max_chars"]
    doc = letter if isinstance(letter, Doc) else tokenizer()(letter[:limit])
    return letter_tokens(doc)


def texts_to_features(texts: Iterable[str]) -> list[LetterTokens]:
    """Tokens for many raw texts, tokenised in one spaCy pass."""
    limit = training_config()["features"]["max_chars"]
    return [letter_tokens(doc) for doc in tokenizer().pipe((t[:limit] for t in texts), batch_size=256)]


def tokenise(texts: Iterable[str]) -> Iterable[Doc]:
    """Docs (tokens only) for raw texts, cut to the length the classifiers read."""
    limit = training_config()["features"]["max_chars"]
    return tokenizer().pipe((t[:limit] for t in texts), batch_size=256)


def block_hashes(tokens: LetterTokens, source: str, ngrams: Sequence[int]) -> np.ndarray:
    """The hashes one block counts for a letter: unigrams of a source, or its bigrams."""
    sequence = tokens.words if source == "words" else tokens.stems
    if tuple(ngrams) == (1, 1):
        return sequence
    if tuple(ngrams) == (2, 2):
        if len(sequence) < 2:
            return np.empty(0, dtype=np.uint64)
        return sequence[:-1] * BIGRAM_MULTIPLIER ^ sequence[1:]
    raise ValueError(f"blocks are unigrams [1, 1] or bigrams [2, 2], not {list(ngrams)}")


def hash_name(key: int) -> str:
    """The readable form of a word or stem hash seen in this process."""
    return _lexicon(training_config()["features"]["stem_length"]).names.get(int(key), "?")


class TfidfBlock:
    """A TF-IDF view over hashed tokens: sublinear term frequency, smoothed IDF, l2-normalised rows
    (the same weighting as scikit-learn's TfidfVectorizer(sublinear_tf=True))."""

    def __init__(self, source: str, ngrams: Sequence[int], min_df: int = 1):
        self.source = source
        self.ngrams = list(ngrams)
        self.min_df = min_df
        self.vocabulary = np.empty(0, dtype=np.uint64)
        self.idf = np.empty(0, dtype=np.float32)
        self.names = np.empty(0, dtype=str)

    def fit(self, letters: Sequence[LetterTokens]) -> TfidfBlock:
        per_letter = [np.unique(block_hashes(t, self.source, self.ngrams)) for t in letters]
        everything = np.concatenate(per_letter) if per_letter else np.empty(0, dtype=np.uint64)
        keys, document_frequency = np.unique(everything, return_counts=True)
        keep = document_frequency >= self.min_df
        self.vocabulary = keys[keep]
        n = len(letters)
        self.idf = (np.log((1 + n) / (1 + document_frequency[keep])) + 1).astype(np.float32)
        self.names = np.array(self._names(letters), dtype=str)
        return self

    def _names(self, letters: Sequence[LetterTokens]) -> list[str]:
        if tuple(self.ngrams) == (1, 1):
            return [hash_name(key) for key in self.vocabulary.tolist()]
        wanted = {int(k): "" for k in self.vocabulary.tolist()}
        for tokens in letters:
            sequence = tokens.words if self.source == "words" else tokens.stems
            if len(sequence) < 2:
                continue
            pairs = sequence[:-1] * BIGRAM_MULTIPLIER ^ sequence[1:]
            for key, first, second in zip(
                pairs.tolist(), sequence[:-1].tolist(), sequence[1:].tolist(), strict=True
            ):
                if key in wanted and not wanted[key]:
                    wanted[key] = f"{hash_name(first)} {hash_name(second)}"
        return [wanted[int(k)] for k in self.vocabulary.tolist()]

    def transform(self, letters: Sequence[LetterTokens]) -> csr_matrix:
        """One row per letter. The whole batch is counted in a few numpy passes: every (letter,
        column) pair is one integer, so a single np.unique counts them all in row order."""
        size = len(self.vocabulary)
        hashes = [block_hashes(tokens, self.source, self.ngrams) for tokens in letters]
        lengths = np.fromiter((len(h) for h in hashes), dtype=np.int64, count=len(hashes))
        keys = np.concatenate(hashes) if hashes else np.empty(0, dtype=np.uint64)
        rows = np.repeat(np.arange(len(letters), dtype=np.int64), lengths)
        if size and len(keys):
            positions = np.searchsorted(self.vocabulary, keys)
            positions[positions == size] = 0
            known = self.vocabulary[positions] == keys
            pairs, counts = np.unique(rows[known] * size + positions[known], return_counts=True)
        else:
            pairs, counts = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        row_of, columns = np.divmod(pairs, max(size, 1))
        values = (1 + np.log(counts)) * self.idf[columns]
        norms = np.sqrt(np.bincount(row_of, weights=values * values, minlength=len(letters)))
        values = values / np.where(norms > 0, norms, 1)[row_of]
        indptr = np.concatenate([[0], np.cumsum(np.bincount(row_of, minlength=len(letters)))])
        return csr_matrix(
            (values.astype(np.float32), columns, indptr),
            shape=(len(letters), size),
        )

    def state(self) -> dict:
        return {
            "source": self.source,
            "ngrams": self.ngrams,
            "min_df": self.min_df,
            "vocabulary": self.vocabulary,
            "idf": self.idf,
            "names": self.names,
        }

    @classmethod
    def from_state(cls, state: dict) -> TfidfBlock:
        block = cls(state["source"], state["ngrams"], state["min_df"])
        block.vocabulary, block.idf, block.names = state["vocabulary"], state["idf"], state["names"]
        return block


class CueBlock:
    """How strongly a letter reads like another department's post: per department, how many of
    its cue words or word pairs (departments.yaml `cues`) the letter holds, capped and scaled.

    A cue of more than two words counts by its last two words ("free school meals": "school meals").
    """

    CAP = 4

    def __init__(self, cues: dict[str, list[str]], weight: float = 1.0):
        self.cues = {code: list(phrases) for code, phrases in cues.items() if phrases}
        self.weight = weight
        self.codes = np.array(sorted(self.cues), dtype=str)
        keys, owners = [], []
        for index, code in enumerate(self.codes.tolist()):
            for phrase in self.cues[code]:
                words = letter_tokens(tokenizer()(phrase)).words
                if len(words) == 1:
                    keys.append(words[0])
                elif len(words) >= 2:
                    # On arrays, as in block_hashes: uint64 arithmetic wraps there without a warning.
                    keys.append((words[-2:-1] * BIGRAM_MULTIPLIER ^ words[-1:])[0])
                else:
                    continue
                owners.append(index)
        order = np.argsort(np.array(keys, dtype=np.uint64))
        self.keys = np.array(keys, dtype=np.uint64)[order]
        self.owners = np.array(owners, dtype=np.int64)[order]
        self.names = np.array([f"reads like {code} post" for code in self.codes.tolist()], dtype=str)

    def fit(self, letters: Sequence[LetterTokens]) -> CueBlock:
        return self

    def transform(self, letters: Sequence[LetterTokens]) -> csr_matrix:
        rows = np.zeros((len(letters), len(self.codes)), dtype=np.float32)
        if len(self.keys):
            for row, tokens in enumerate(letters):
                present = np.concatenate(
                    [np.unique(tokens.words), np.unique(block_hashes(tokens, "words", (2, 2)))]
                )
                positions = np.minimum(np.searchsorted(self.keys, present), len(self.keys) - 1)
                hits = self.owners[positions[self.keys[positions] == present]]
                counts = np.bincount(hits, minlength=len(self.codes))
                rows[row] = np.minimum(counts, self.CAP) / self.CAP * self.weight
        return csr_matrix(rows)

    def state(self) -> dict:
        return {"source": "cues", "cues": self.cues, "weight": self.weight}

    @classmethod
    def from_state(cls, state: dict) -> CueBlock:
        return cls(state["cues"], state["weight"])
