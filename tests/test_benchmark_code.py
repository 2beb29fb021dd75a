"""The benchmark's own code runs (on a handful of letters; speed is measured by `make bench`, not here)."""

import sys
from pathlib import Path

from app.config import PROJECT_ROOT

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))

import bench_triage
from mailbag import corpus_letters, mailbag


def test_mailbag_varies_letters_and_keeps_labels():
    letters = corpus_letters(PROJECT_ROOT / "corpus" / "letters")
    bag = list(mailbag(letters, 30))
    assert len(bag) == 30
    assert all(b["topic"] == letters[i]["topic"] for i, b in enumerate(bag))
    assert sum(b["text"] != letters[i]["text"] for i, b in enumerate(bag)) >= 20


def test_throughput_counts_every_letter(trained_model_row):
    letters = corpus_letters(PROJECT_ROOT / "corpus" / "letters")
    result = bench_triage.throughput(letters, trained_model_row["artefact"], 120, workers=2)
    assert result["letters"] == 120
    assert result["peak_mb_total"] > 0
