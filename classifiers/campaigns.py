"""Finding write-in campaigns: letters that are the same template with a writer's own edits.

Each letter gets a MinHash signature of its word-anchored character shingles, made with one
permutation hashing (one hash per shingle, the minimum kept in each of 64 bins, empty bins filled
from their neighbours), which costs a sort rather than 64 hash functions. Signatures are cut into
bands for locality-sensitive hashing: letters that share a band are candidates, and a candidate
counts as the same campaign when enough of the two signatures agree. Names, addresses, a sentence
added or taken out and paragraphs put in another order leave most shingles as they were.

Everything here is numpy and plain Python; the store keeps the bands in SQLite for matching
letters as they arrive (app/campaigns.py).
"""

from __future__ import annotations

import multiprocessing
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SLOTS = 64
BANDS = 16
ROWS = SLOTS // BANDS
SHINGLE_CHARS = 24
# Two letters are the same campaign when at least this share of their signature slots agree (an
# estimate of the Jaccard similarity of their shingles). Campaign copies with a writer's edits
# score about 0.6-0.95; different letters on the same subject about 0.0-0.1.
SAME_CAMPAIGN = 0.45
# Letters shorter than this (about 200 characters, counted as six per word) are too short to call
# a campaign.
MIN_CHARS = 200
# How many letters of one band bucket are checked against a newcomer; a bucket of a large
# campaign holds thousands of copies and any few of them decide.
BUCKET_SAMPLE = 8
# Signatures are made on every core from this many letters, in chunks of CHUNK.
PARALLEL_FROM = 5_000
CHUNK = 2_000

# Bytes kept as they are: digits, lower-case letters and the bytes of non-ASCII letters (Welsh
# ŵ and ŷ); every other byte becomes a space.
_WORD_BYTES = bytes(b if (48 <= b <= 57 or 97 <= b <= 122 or b >= 128) else 32 for b in range(256))
_ROW_WEIGHTS = np.array(
    [0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5, 0x85EBCA77C2B2AE63], dtype=np.uint64
)
_BAND_SALT = np.array([0x9E3779B97F4A7C15 * (b + 1) % 2**64 for b in range(BANDS)], dtype=np.uint64)
_EMPTY = np.iinfo(np.uint64).max


def normalise(text: str) -> bytes:
    """The letter as lower-case words separated by single spaces (UTF-8): layout, punctuation and
    capitals do not count."""
    return b" " + b" ".join(text.lower().encode("utf-8").translate(_WORD_BYTES).split()) + b" "


def _mix(values: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads shingle hashes evenly over 64 bits."""
    with np.errstate(over="ignore"):
        z = values + np.uint64(0x9E3779B97F4A7C15)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def shingles(text: str) -> np.ndarray:
    """Hashes of the SHINGLE_CHARS characters that start at each word of the normalised text.

    The 24 characters are read as three little-endian 64-bit words and mixed together, which
    numpy does for every word of a letter at once. A shingle that recurs is listed each time.
    """
    data = np.frombuffer(normalise(text), dtype=np.uint8)
    if len(data) <= SHINGLE_CHARS + 1:
        return np.zeros(0, dtype=np.uint64)
    count = len(data) - 7
    words = np.zeros(count, dtype=np.uint64)
    for byte in range(8):
        words |= data[byte : byte + count].astype(np.uint64) << np.uint64(8 * byte)
    starts = np.flatnonzero(data[: len(data) - SHINGLE_CHARS] == 32) + 1  # each word's first letter
    with np.errstate(over="ignore"):
        combined = words[starts] * _ROW_WEIGHTS[0] + words[starts + 8] * _ROW_WEIGHTS[1] + words[starts + 16]
    return _mix(combined)


def signature(text: str) -> np.ndarray | None:
    """The letter's 64-slot MinHash signature, or None for a letter too short to compare."""
    hashes = shingles(text)
    if len(hashes) * 6 < MIN_CHARS:
        return None
    # Sorted hashes run bin by bin (a bin is a hash's top 6 bits), so each bin's minimum is the
    # first hash of its run.
    ordered = np.sort(hashes)
    bins = (ordered >> np.uint64(58)).astype(np.int64)
    first = np.flatnonzero(np.concatenate(([True], bins[1:] != bins[:-1])))
    slots = np.full(SLOTS, _EMPTY, dtype=np.uint64)
    slots[bins[first]] = ordered[first] & np.uint64((1 << 58) - 1)
    empty = np.flatnonzero(slots == _EMPTY)
    if len(empty):  # densify: an empty slot borrows the next filled one, marked by its distance
        filled = np.flatnonzero(slots != _EMPTY)
        nearest = filled[np.searchsorted(filled, empty) % len(filled)]
        slots[empty] = slots[nearest] ^ ((nearest - empty) % SLOTS + 1).astype(np.uint64)
    return slots


def band_keys(sig: np.ndarray) -> list[int]:
    """One signed 64-bit key per band (SQLite's INTEGER), the same for letters that share the band."""
    rows = sig.reshape(BANDS, ROWS)
    with np.errstate(over="ignore"):
        folded = _mix((_mix(rows) * _ROW_WEIGHTS).sum(axis=1, dtype=np.uint64) ^ _BAND_SALT)
    return folded.view(np.int64).tolist()


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The share of signature slots two letters agree on: an estimate of their shingles' Jaccard."""
    return float(np.mean(a == b))


def to_bytes(sig: np.ndarray) -> bytes:
    return sig.astype("<u8").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8").astype(np.uint64)


class _Groups:
    """Union-find over letter positions."""

    def __init__(self, size: int):
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _signature_bytes(texts: list[str]) -> list[bytes | None]:
    return [None if (sig := signature(text)) is None else to_bytes(sig) for text in texts]


def signatures(texts: Sequence[str], workers: int | None = None) -> list[np.ndarray | None]:
    """Every letter's signature, on every core when there are many letters."""
    workers = workers or os.cpu_count() or 1
    if workers < 2 or len(texts) < PARALLEL_FROM:
        return [signature(text) for text in texts]
    chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        done = pool.map(_signature_bytes, chunks)
    return [None if data is None else from_bytes(data) for chunk in done for data in chunk]


def group(texts: Sequence[str], threshold: float = SAME_CAMPAIGN) -> list[int | None]:
    """Group letters into campaigns; return each letter's campaign number (None when alone).

    Campaigns are numbered 1, 2 ... in the order of their first letter.
    """
    return group_signatures(signatures(texts), threshold)


def group_signatures(sigs: Sequence[np.ndarray | None], threshold: float = SAME_CAMPAIGN) -> list[int | None]:
    """Group letters by their signatures (None for a letter too short to compare); see `group`."""
    groups = _Groups(len(sigs))
    buckets: dict[int, list[int]] = {}
    for index, sig in enumerate(sigs):
        if sig is None:
            continue
        for key in band_keys(sig):
            members = buckets.setdefault(key, [])
            for other in members[:BUCKET_SAMPLE]:
                if groups.find(other) != groups.find(index) and similarity(sig, sigs[other]) >= threshold:
                    groups.join(index, other)
            if len(members) < BUCKET_SAMPLE:
                members.append(index)
    roots = [groups.find(i) for i in range(len(sigs))]
    sizes = Counter(roots)
    numbers: dict[int, int] = {}
    return [numbers.setdefault(root, len(numbers) + 1) if sizes[root] > 1 else None for root in roots]


@dataclass(frozen=True)
class Addition:
    """A paragraph of a campaign letter that is not in the campaign's template: the writer's own words."""

    start: int
    end: int
    text: str


def _paragraphs(text: str) -> Iterable[tuple[int, int]]:
    for match in re.finditer(r"\S(?:.*?\S)?(?=\n\s*\n|\s*\Z)", text, flags=re.S):
        yield match.start(), match.end()


def additions(letter: str, template: str, threshold: float = 0.5) -> list[Addition]:
    """The paragraphs of `letter` that the template does not have (a personal paragraph, another ask).

    A paragraph counts as the template's when most of its shingles are in the template; short
    lines (salutations, sign-offs, addresses) are left out, as they always differ.
    """
    known = set(shingles(template).tolist())
    found = []
    for start, end in _paragraphs(letter):
        paragraph = letter[start:end]
        own = shingles(paragraph)
        if len(normalise(paragraph).split()) < 12 or len(own) == 0:
            continue
        shared = sum(1 for value in own.tolist() if value in known) / len(own)
        if shared < threshold:
            found.append(Addition(start, end, paragraph))
    return found
