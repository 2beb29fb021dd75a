"""Benchmark of triage (issue 3): extraction + classification throughput and peak memory at 10k and
100k letters on every core, training time on 10k letters, and a department's real history
against a plain TF-IDF + LinearSVC baseline.

Run with `make bench` (or: python tests/benchmarks/bench_triage.py --realdata PATH).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbag import corpus_letters, mailbag  # noqa: E402

from app.config import PROJECT_ROOT  # noqa: E402
from app.models import train_triage  # noqa: E402
from app.taxonomy import load_taxonomy  # noqa: E402
from classifiers import comparison  # noqa: E402
from classifiers.classification import TriageModel  # noqa: E402
from classifiers.extraction import extract, read_letter_doc, settle_for_a_mailbag  # noqa: E402
from classifiers.features import letter_features  # noqa: E402
from classifiers.flags import rule_flags  # noqa: E402

# Small chunks keep both workers busy to the end; a large last chunk leaves one idle.
CHUNK = 100
# A running service has warm tokenizer and lexicon caches: warm each worker before timing.
WARM_UP = 200
_model: TriageModel | None = None


def _init_worker(artefact: bytes) -> None:
    global _model
    _model = TriageModel.from_bytes(artefact)
    settle_for_a_mailbag()  # as the importer does once its model is loaded


def _train_artefact() -> bytes:
    """The shipped model trained from the corpus, as bytes. Run in a child process, so that the
    benchmark's own process (which the workers are forked from) never holds a training's memory."""
    letters = corpus_letters(PROJECT_ROOT / "corpus" / "letters")
    model, _ = train_triage(letters, load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml"))
    return model.to_bytes()


def _process(texts: list[str]) -> tuple[int, float]:
    """What the importer does to a letter before storing it: read, extract, classify, flag.
    Returns how many letters, and this worker's peak RSS so far in MB."""
    docs = [read_letter_doc(text) for text in texts]
    extractions = [extract(doc) for doc in docs]
    _model.classify([letter_features(doc) for doc in docs])
    for doc, extraction in zip(docs, extractions, strict=True):
        rule_flags(doc, extraction.language)
    return len(texts), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _chunks(path: Path):
    """The mailbag's letters, CHUNK at a time, read from disk as an importer reads its files."""
    chunk: list[str] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            chunk.append(json.loads(line))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


class MemorySampler(threading.Thread):
    """The peak, over a run, of the memory this process and its workers really hold together: the
    sum of their proportional set sizes (PSS), where a page shared by n processes counts 1/n to
    each. Summing peak RSS instead counts every page a forked worker shares with its parent once
    per process. Sampled from /proc every half second (reading it more often slows the workers)."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak_mb = 0.0
        self._finished = threading.Event()

    @staticmethod
    def _pss_mb(pid: int) -> float:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
                for line in rollup:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) / 1024
        except OSError:  # a worker that has just exited holds nothing
            return 0.0
        return 0.0

    def sample(self) -> None:
        me = os.getpid()
        try:
            with open(f"/proc/{me}/task/{me}/children", encoding="ascii") as children:
                pids = [me, *(int(pid) for pid in children.read().split())]
        except OSError:
            pids = [me]
        self.peak_mb = max(self.peak_mb, sum(self._pss_mb(pid) for pid in pids))

    def run(self) -> None:
        while not self._finished.wait(0.5):
            self.sample()

    def stop(self) -> float:
        """Stop sampling, with one last sample, and return the peak in MB."""
        self._finished.set()
        self.join()
        self.sample()
        return self.peak_mb


def throughput(letters: list[dict], artefact: bytes, size: int, workers: int) -> dict:
    """Letters per second through extraction and classification, streamed over `workers` processes."""
    # The workers are forked before the mailbag exists, as a service's workers are started before
    # the post arrives: otherwise each would count the parent's copy of the mailbag as its own.
    context = multiprocessing.get_context("fork")
    sampler = MemorySampler()
    sampler.start()
    with (
        tempfile.TemporaryDirectory() as folder,
        context.Pool(workers, initializer=_init_worker, initargs=(artefact,)) as pool,
    ):
        # The mailbag is written to disk before the clock starts (making it is not what is
        # measured), and streamed from there to the workers, as post is.
        path = Path(folder) / "mailbag.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for letter in mailbag(letters, size):
                out.write(json.dumps(letter["text"]) + "\n")
        warm = [letter["text"] for letter in mailbag(letters, WARM_UP, seed=99)]
        pool.map(_process, [warm] * workers, chunksize=1)
        start = time.perf_counter()
        counted = list(pool.imap_unordered(_process, _chunks(path), chunksize=1))
        seconds = time.perf_counter() - start
        peak_pss = sampler.stop()
    done = sum(n for n, _ in counted)
    largest_worker = max(rss for _, rss in counted)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "letters": done,
        "seconds": round(seconds, 1),
        "letters_per_second": round(done / seconds),
        "workers": workers,
        "peak_mb_main": round(own),
        "peak_mb_largest_worker": round(largest_worker),
        "peak_mb_total": round(peak_pss),
        "peak_mb_rss_sum": round(own + workers * largest_worker),
    }


def training_time(letters: list[dict], size: int) -> dict:
    """Seconds to train the full triage model (topic, concern, flags, calibration, thresholds)."""
    taxonomy = load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml")
    bag = list(mailbag(letters, size, seed=11))
    start = time.perf_counter()
    train_triage(bag, taxonomy)
    return {"letters": size, "seconds": round(time.perf_counter() - start, 1)}


def department_history(path: Path) -> dict:
    """Route real petitions to the department that answered them: mincorr against the baseline."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts, labels = [], []
    for r in records:
        departments = r.get("department_names") or r.get("departments") or []
        if departments:
            texts.append(
                "\n\n".join(filter(None, [r.get("action"), r.get("background"), r.get("additional_details")]))
            )
            labels.append(departments[0])
    keep = {label for label in set(labels) if labels.count(label) >= 5}
    pairs = [(t, label) for t, label in zip(texts, labels, strict=True) if label in keep]
    texts, labels = [t for t, _ in pairs], [label for _, label in pairs]
    ours = comparison.mincorr_label_model(texts, labels)
    baseline = comparison.plain_tfidf_linearsvc(texts, labels)
    return {
        "records": len(texts),
        "labels": len(keep),
        "mincorr": {"accuracy": ours["accuracy"], "macro_f1": ours["macro_f1"], "ece": ours["ece"]},
        "tfidf_linearsvc": {"accuracy": baseline["accuracy"], "macro_f1": baseline["macro_f1"]},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--realdata", type=Path, help="petitions.jsonl (shared/realdata) for the history benchmark"
    )
    parser.add_argument("--sizes", default="10000,100000", help="mailbag sizes for throughput")
    parser.add_argument("--train-size", type=int, default=10000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    letters = corpus_letters(PROJECT_ROOT / "corpus" / "letters")
    with multiprocessing.get_context("fork").Pool(1) as trainer:
        artefact = trainer.apply(_train_artefact)
    results: dict = {"cpu_count": os.cpu_count()}
    print(f"Triage benchmark on {os.cpu_count()} cores, {len(letters)} corpus letters varied into mailbags.")
    for size in (int(s) for s in args.sizes.split(",")):
        r = throughput(letters, artefact, size, args.workers)
        results[f"throughput_{size}"] = r
        print(
            f"  extraction + classification, {size:>7,} letters: {r['letters_per_second']:,} letters/s "
            f"({r['seconds']} s, {r['workers']} workers); peak memory {r['peak_mb_total']} MB "
            f"(sum of PSS; peak RSS counting shared pages in every process: main {r['peak_mb_main']} MB "
            f"+ {r['workers']} x {r['peak_mb_largest_worker']} MB = {r['peak_mb_rss_sum']} MB)"
        )
    r = training_time(letters, args.train_size)
    results["training"] = r
    print(f"  training on {r['letters']:,} letters: {r['seconds']} s")
    if args.realdata:
        r = department_history(args.realdata)
        results["department_history"] = r
        print(
            f"  real history ({r['records']} petitions, {r['labels']} departments), 5-fold: "
            f"mincorr macro-F1 {r['mincorr']['macro_f1']:.3f} (accuracy {r['mincorr']['accuracy']:.3f}, "
            f"ECE {r['mincorr']['ece']:.3f}); "
            f"TF-IDF + LinearSVC macro-F1 {r['tfidf_linearsvc']['macro_f1']:.3f} "
            f"(accuracy {r['tfidf_linearsvc']['accuracy']:.3f})"
        )
    out = ROOT / "instance" / "benchmarks" / "triage.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"  figures written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
