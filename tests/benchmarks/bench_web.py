"""Benchmark of the web app (issue 4): response times with 100,000 cases in the database.

Builds (once, then reuses) a database of 100,000 cases whose letters are corpus letters with
variation, read by the real extraction, each with a correspondent, classifications, a draft and
events; then times the inbox, case pages, the deadlines page and searches through the Flask app,
signed in, and prints the 50th and 95th percentiles. The target is under 150 ms at the 95th.

Run with `make bench` (or: python tests/benchmarks/bench_web.py [--cases N] [--rebuild]).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbag import corpus_letters, vary  # noqa: E402

from app import store  # noqa: E402
from app.config import PROJECT_ROOT, Settings  # noqa: E402
from app.deadlines import add_working_days  # noqa: E402
from app.reference import read_reference_data  # noqa: E402
from app.store.rows import to_json  # noqa: E402
from app.taxonomy import load_taxonomy  # noqa: E402
from app.users import add_user  # noqa: E402
from app.web import create_app  # noqa: E402
from classifiers.extraction import extract, read_letter_doc  # noqa: E402

TARGET_MS = 150
STAGES = ["triage", "draft", "qa", "private-office", "minister", "dispatch", "closed", "closed", "closed"]
TODAY = dt.date(2026, 11, 24)
BATCH = 2_000


def build(path: Path, size: int, seed: int = 11) -> None:
    """A database of `size` cases made from corpus letters, stored through the real schema."""
    rng = random.Random(seed)
    taxonomy = load_taxonomy(PROJECT_ROOT / "corpus" / "taxonomy.yaml")
    db = store.open_db(path)
    store.load_reference_data(db, read_reference_data(PROJECT_ROOT / "corpus" / "reference", taxonomy))
    add_user(db, "bench", "bench-password", "unit-manager")
    letters = corpus_letters(PROJECT_ROOT / "corpus" / "letters")
    topics, concerns = taxonomy.ids("topics"), taxonomy.ids("concerns")
    ministers = [m["id"] for m in store.ministers_with_appointments(db)]
    members = [m["id"] for m in store.members_with_memberships(db)]
    started = time.perf_counter()
    for start in range(0, size, BATCH):
        rows = {name: [] for name in ("originals", "letters", "correspondents", "cases", "drafts", "events")}
        for number in range(start, min(start + BATCH, size)):
            source = letters[rng.randrange(len(letters))]
            text = vary(source["text"], rng)
            extraction = extract(read_letter_doc(text)).as_dict()
            received = TODAY - dt.timedelta(days=rng.randrange(0, 730))
            stage = rng.choice(STAGES)
            due = add_working_days(received, 20)
            sha = hashlib.sha256(f"{number}:{text}".encode()).hexdigest()
            now = f"{received.isoformat()}T09:00:00+00:00"
            case_id = number + 1
            rows["originals"].append(
                {
                    "sha256": sha,
                    "filename": f"letter-{number}.txt",
                    "media_type": "text/plain",
                    "size": len(text),
                    "content": text.encode(),
                }
            )
            rows["letters"].append(
                {
                    "id": case_id,
                    "sha256": sha,
                    "filename": f"letter-{number}.txt",
                    "source": "bench",
                    "received": received.isoformat(),
                    "letter_date": extraction.get("letter_date"),
                    "imported_at": now,
                    "imported_by": "bench",
                    "language": "en",
                    "text": text,
                    "metadata": "{}",
                    "extraction": to_json(extraction),
                }
            )
            sender = extraction.get("sender") or {}
            rows["correspondents"].append(
                {
                    "id": case_id,
                    "name": sender.get("name") or f"Writer {number}",
                    "type": source.get("correspondent_type") or "member-of-public",
                    "constituency": extraction.get("constituency"),
                    "member_id": rng.choice(members) if rng.random() < 0.3 else None,
                    "address": to_json(extraction.get("address") or []),
                    "created_at": now,
                }
            )
            answered = (
                (due - dt.timedelta(days=rng.randrange(-10, 20))).isoformat() if stage == "closed" else None
            )
            rows["cases"].append(
                {
                    "id": case_id,
                    "reference": f"MC{100001 + number:06d}",
                    "case_type": "MC",
                    "letter_id": case_id,
                    "correspondent_id": case_id,
                    "received": received.isoformat(),
                    "due": due.isoformat(),
                    "draft_due": add_working_days(received, 10).isoformat(),
                    "status": stage,
                    "topic": rng.choice(topics),
                    "topic_confidence": rng.random(),
                    "concern": rng.choice(concerns),
                    "concern_confidence": rng.random(),
                    "flags": "[]",
                    "answering_minister_id": rng.choice(ministers),
                    "answered_on": answered,
                    "created_at": now,
                    "updated_at": now,
                    "stage_changed_at": now,
                    "addressed_to": "{}",
                    "constituents": "[]",
                    "link_evidence": "[]",
                }
            )
            rows["drafts"].append(
                {
                    "case_id": case_id,
                    "version": 1,
                    "template": "reply_parliamentarian.txt.j2",
                    "reply_date": received.isoformat(),
                    "text": "Dear Sir or Madam\n\n" + text[:1500],
                    "citations": "[]",
                    "created_at": now,
                    "created_by": "mincorr",
                    "stage": "draft",
                }
            )
            rows["events"] += [
                {"at": now, "actor": "bench", "case_id": case_id, "action": action, "detail": "{}"}
                for action in ("case opened", "draft created", "case viewed")
            ]
        with db.atomic():
            for table, table_rows in rows.items():
                db[table].insert_all(table_rows, batch_size=500)
        done = min(start + BATCH, size)
        print(f"  built {done:,} cases ({time.perf_counter() - started:.0f} s)", flush=True)
    db.execute("ANALYZE")
    db.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_pages(path: Path, size: int, requests: int, seed: int = 5) -> dict[str, dict]:
    """Time each kind of page through the app, signed in; return p50/p95/max in milliseconds."""
    rng = random.Random(seed)
    app = create_app({"SECRET_KEY": "bench"}, settings=Settings(db_path=path, today_override=TODAY))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bench", "password": "bench-password", "csrf_token": token})
    words = ["prison", "legal aid", "inquest", "sentence", "court", "victim", "data", "probation", "family"]
    kinds = {
        "inbox": lambda: "/cases",
        "inbox, a later page": lambda: f"/cases?page={rng.randrange(2, size // 100)}",
        "case page": lambda: f"/cases/MC{100001 + rng.randrange(size):06d}",
        "deadlines": lambda: "/deadlines",
        "triage queue": lambda: "/triage",
        "search (words)": lambda: f"/search?q={rng.choice(words)}",
        "search (words + topic + dates)": lambda: (
            f"/search?q={rng.choice(words)}&topic=prisons-and-probation&received_from=2025-06-01"
        ),
        "search (reference)": lambda: f"/search?q=MC{100001 + rng.randrange(size):06d}",
    }
    results = {}
    for name, make_url in kinds.items():
        for _ in range(5):  # warm caches as a running server would have them
            client.get(make_url())
        timings = []
        for _ in range(requests):
            url = make_url()
            began = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
            if response.status_code not in (200, 302):
                raise SystemExit(f"{url} answered {response.status_code}")
        results[name] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
            "max_ms": round(max(timings), 1),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--db", type=Path, default=ROOT / "build" / "bench-web.db")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    args = parser.parse_args()
    marker = args.db.with_suffix(".json")
    built = json.loads(marker.read_text()) if marker.exists() else {}
    if args.rebuild or built.get("cases") != args.cases or not args.db.exists():
        for stale in (args.db, Path(f"{args.db}-wal"), Path(f"{args.db}-shm"), marker):
            stale.unlink(missing_ok=True)
        args.db.parent.mkdir(parents=True, exist_ok=True)
        print(f"Building a database of {args.cases:,} cases in {args.db} ...", flush=True)
        build(args.db, args.cases)
        marker.write_text(json.dumps({"cases": args.cases}))
    print(f"\nWeb pages with {args.cases:,} cases ({args.requests} requests each, signed in):")
    print(f"  {'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target p95 < {TARGET_MS} ms")
    failed = False
    for name, figures in time_pages(args.db, args.cases, args.requests).items():
        ok = figures["p95_ms"] < TARGET_MS
        failed |= not ok
        print(
            f"  {name:34} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} {figures['max_ms']:8.1f}  "
            f"{'met' if ok else 'MISSED'}"
        )
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
