"""Benchmark of campaign detection (issue 5), side by side with datasketch's MinHashLSH.

Builds a mailbag with planted campaigns of varied sizes (2 to 20,000 letters) made from corpus
letters with the edits supporters make (their name and address, a sentence added or taken out,
paragraphs in another order, now and then a paragraph of their own), plus letters that belong to
no campaign. It measures, for mincorr and for datasketch on the same letters in the same run:
grouping time, peak memory, and pairwise precision and recall against the planted truth. Then it
indexes 1,000,000 letters in SQLite as mincorr does and times matching one new letter.

Run with `make bench` (or: python tests/benchmarks/bench_campaigns.py [--letters N] [--index N]).
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import random
import re
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbag import FIRST, LAST, corpus_letters  # noqa: E402

from app import store  # noqa: E402
from app.store.campaigns import candidates, index_letter  # noqa: E402
from classifiers import campaigns  # noqa: E402

TARGETS = {"group_seconds": 20.0, "precision": 0.98, "recall": 0.95, "match_p95_ms": 5.0}
STREETS = [
    "Mill Lane",
    "Church Road",
    "Park View",
    "High Street",
    "Station Road",
    "Queen's Drive",
    "Elm Grove",
]
TOWNS = ["Leeds LS6", "Bristol BS3", "Cardiff CF10", "Norwich NR2", "Derby DE1", "Hull HU5", "Bath BA2"]
EXTRA_SENTENCES = [
    "I hope you will give this the attention it deserves.",
    "This matters a great deal to me and to many people where I live.",
    "I look forward to hearing what you intend to do.",
    "Please do not send me a standard reply.",
    "I have written to my MP about this as well.",
]


def campaign_sizes(total: int, rng: random.Random, most: int) -> list[int]:
    """Up to `most` campaign sizes of 2 to 20,000 (log-uniform, one of the largest) making up `total`."""
    sizes = [min(20_000, total // 3)]
    while sum(sizes) < total and len(sizes) < most:
        sizes.append(min(int(math.exp(rng.uniform(math.log(2), math.log(20_000)))), total - sum(sizes)))
    sizes = [s for s in sizes if s >= 2]
    while sum(sizes) < total:  # out of templates: the rest join campaigns that have room
        index = rng.randrange(len(sizes))
        sizes[index] += min(20_000 - sizes[index], total - sum(sizes))
    return sizes


def supporter_copy(template: str, rng: random.Random, own_paragraphs: list[str]) -> str:
    """A supporter's copy of a campaign letter, with the edits supporters make."""
    paragraphs = [p for p in template.split("\n\n") if p.strip()]
    if len(paragraphs) > 3 and rng.random() < 0.2:
        middle = paragraphs[1:-1]
        rng.shuffle(middle)
        paragraphs = [paragraphs[0], *middle, paragraphs[-1]]
    if rng.random() < 0.3:  # a sentence taken out
        index = rng.randrange(len(paragraphs))
        sentences = re.split(r"(?<=[.!?])\s+", paragraphs[index])
        if len(sentences) > 1:
            sentences.pop(rng.randrange(len(sentences)))
            paragraphs[index] = " ".join(sentences)
    if rng.random() < 0.3:  # a sentence added
        index = rng.randrange(len(paragraphs))
        paragraphs[index] += " " + rng.choice(EXTRA_SENTENCES)
    if rng.random() < 0.1:  # a paragraph of their own
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(own_paragraphs))
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    address = f"{rng.randint(1, 250)} {rng.choice(STREETS)}\n{rng.choice(TOWNS)} {rng.randint(1, 9)}XY"
    return f"{name}\n{address}\n\n" + "\n\n".join(paragraphs) + f"\n\nYours sincerely\n{name}\n"


def build_mailbag(size: int, seed: int) -> tuple[list[str], list[int | None]]:
    """Letters and the campaign each was planted in (None for a letter in no campaign), shuffled."""
    rng = random.Random(seed)
    letters = [letter["text"] for letter in corpus_letters(ROOT / "corpus" / "letters")]
    rng.shuffle(letters)
    long_enough = [t for t in letters if len(t.split()) >= 120]
    # Templates are long letters; 300 others lend writers' own paragraphs; about 3% of the
    # letters are in no campaign, as many as the corpus has letters to spare.
    templates = long_enough[: len(long_enough) // 2]
    rest = [t for t in letters if t not in set(templates)]
    own, spare = rest[:300], rest[300:]
    singles = spare[: min(len(spare), max(1, size * 3 // 100))]
    sizes = campaign_sizes(size - len(singles), rng, len(templates))
    own_paragraphs = [p for t in own for p in t.split("\n\n") if len(p.split()) > 25]
    texts, truth = list(singles), [None] * len(singles)
    for number, (template, count) in enumerate(zip(templates, sizes, strict=False), start=1):
        for _ in range(count):
            texts.append(supporter_copy(template, rng, own_paragraphs))
            truth.append(number)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [truth[i] for i in order]


def pairwise(truth: list[int | None], found: list) -> tuple[float, float]:
    """Pairwise precision and recall: of the pairs put together, how many belong together, and the reverse."""

    def pairs(counts: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counts.values())

    both = pairs(
        Counter((t, f) for t, f in zip(truth, found, strict=True) if t is not None and f is not None)
    )
    found_pairs = pairs(Counter(f for f in found if f is not None))
    true_pairs = pairs(Counter(t for t in truth if t is not None))
    return (both / found_pairs if found_pairs else 1.0), (both / true_pairs if true_pairs else 1.0)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_mincorr(texts: list[str], queue) -> None:
    began = time.perf_counter()
    found = campaigns.group(texts)
    queue.put((time.perf_counter() - began, found, peak_mb()))


def _word_shingles(text: str) -> set[bytes]:
    words = campaigns.normalise(text).split()
    return {b" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def run_datasketch(texts: list[str], queue) -> None:
    """datasketch's MinHash (64 permutations, bulk) and MinHashLSH at the same threshold, with union-find."""
    from datasketch import MinHash, MinHashLSH

    began = time.perf_counter()
    hashes = MinHash.bulk([_word_shingles(t) for t in texts], num_perm=campaigns.SLOTS)
    lsh = MinHashLSH(threshold=campaigns.SAME_CAMPAIGN, num_perm=campaigns.SLOTS)
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for index, minhash in enumerate(hashes):
        for other in lsh.query(minhash)[: campaigns.BUCKET_SAMPLE]:
            if minhash.jaccard(hashes[other]) >= campaigns.SAME_CAMPAIGN:
                parent[find(index)] = find(other)
        lsh.insert(index, minhash)
    roots = [find(i) for i in range(len(texts))]
    sizes = Counter(roots)
    found = [root if sizes[root] > 1 else None for root in roots]
    queue.put((time.perf_counter() - began, found, peak_mb()))


def measure(target, texts: list[str]) -> tuple[float, list, float]:
    """Run one grouping in its own process, so each has its own peak memory."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=target, args=(texts, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def match_benchmark(index_size: int, queries: int, db_path: Path, seed: int) -> dict:
    """Index `index_size` letters as the importer does, then time matching new letters one at a time."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
        stale.unlink(missing_ok=True)
    texts, _ = build_mailbag(index_size + queries, seed)
    began = time.perf_counter()
    sigs = campaigns.signatures(texts)
    signing = time.perf_counter() - began
    db = store.open_db(db_path)
    began = time.perf_counter()
    rows = [(i + 1, sig) for i, sig in enumerate(sigs[:index_size]) if sig is not None]
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO letter_signatures (letter_id, signature) VALUES (?, ?)",
            ((letter_id, campaigns.to_bytes(sig)) for letter_id, sig in rows),
        )
        bands = sorted((key, letter_id) for letter_id, sig in rows for key in campaigns.band_keys(sig))
        db.conn.executemany("INSERT INTO campaign_bands (band_key, letter_id) VALUES (?, ?)", bands)
    indexing = time.perf_counter() - began
    timings = []
    for offset, text in enumerate(texts[index_size:]):
        began = time.perf_counter()
        sig = campaigns.signature(text)
        if sig is not None:
            keys = campaigns.band_keys(sig)
            best = max(
                (
                    campaigns.similarity(sig, campaigns.from_bytes(data))
                    for _, data in candidates(db, keys, 12)
                ),
                default=0.0,
            )
            with db.atomic():
                index_letter(db, index_size + offset + 1, campaigns.to_bytes(sig), keys)
            del best
        timings.append((time.perf_counter() - began) * 1000)
    db.close()
    timings.sort()
    return {
        "indexed": len(rows),
        "signing_s": round(signing, 1),
        "indexing_s": round(indexing, 1),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=100_000, help="letters to group")
    parser.add_argument("--index", type=int, default=1_000_000, help="letters in the index for matching")
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--db", type=Path, default=ROOT / "build" / "bench-campaigns.db")
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    texts, truth = build_mailbag(args.letters, args.seed)
    planted = Counter(t for t in truth if t is not None)
    print(
        f"Mailbag: {len(texts):,} letters, {len(planted)} planted campaigns of {min(planted.values())} to "
        f"{max(planted.values()):,} letters, {truth.count(None):,} letters in no campaign."
    )
    print(f"  {'':22} {'seconds':>8} {'peak MB':>8} {'precision':>10} {'recall':>8}")
    results = {}
    for name, target in (("mincorr", run_mincorr), ("datasketch MinHashLSH", run_datasketch)):
        seconds, found, memory = measure(target, texts)
        precision, recall = pairwise(truth, found)
        results[name] = (seconds, precision, recall)
        print(f"  {name:22} {seconds:8.1f} {memory:8.0f} {precision:10.4f} {recall:8.4f}")
    seconds, precision, recall = results["mincorr"]
    print(
        f"  targets: under {TARGETS['group_seconds']:.0f} s, precision at least {TARGETS['precision']}, "
        f"recall at least {TARGETS['recall']}"
    )

    match = match_benchmark(args.index, args.queries, args.db, args.seed + 1)
    print(
        f"\nMatching one new letter against {match['indexed']:,} indexed letters in SQLite "
        f"({args.queries} letters, each signed, looked up and indexed):"
    )
    target = TARGETS["match_p95_ms"]
    print(f"  p50 {match['p50_ms']} ms, p95 {match['p95_ms']} ms (target p95 under {target} ms)")
    print(f"  building the index: signatures {match['signing_s']} s, SQLite {match['indexing_s']} s")
    met = (
        seconds < TARGETS["group_seconds"]
        and precision >= TARGETS["precision"]
        and recall >= TARGETS["recall"]
        and match["p95_ms"] < TARGETS["match_p95_ms"]
    )
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
