"""The store: WAL, migrations applied once, references never reused, full-text search stays current."""

import pytest

from app import store
from app.store.migrations import MIGRATIONS, migrate


def test_database_uses_wal_and_foreign_keys(settings):
    db = store.open_db(settings.db_path)
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_migrations_are_applied_once(settings):
    db = store.open_db(settings.db_path)
    assert migrate(db) == []
    applied = [row[0] for row in db.execute("SELECT name FROM _migrations ORDER BY name").fetchall()]
    assert applied == sorted(fn.__name__ for fn in MIGRATIONS)


def test_references_are_sequential_per_case_type_and_never_reused(db):
    with db.atomic():
        first = store.allocate_reference(db, "MC", 238555)
        second = store.allocate_reference(db, "MC", 238555)
        public = store.allocate_reference(db, "TO", 100001)
    assert (first, second, public) == ("MC238555", "MC238556", "TO100001")


def test_a_reference_taken_in_a_failed_transaction_is_given_back(db):
    with pytest.raises(RuntimeError), db.atomic():
        store.allocate_reference(db, "MC", 100001)
        raise RuntimeError("the case could not be stored")
    with db.atomic():
        assert store.allocate_reference(db, "MC", 100001) == "MC100001"


def _letter(db, sha: str, text: str) -> int:
    return store.insert_letter(
        db,
        filename="a.txt",
        media_type="text/plain",
        content=text.encode(),
        sha256=sha,
        text=text,
        received="2026-01-05",
        letter_date=None,
        source="test",
        imported_at="2026-01-05T09:00:00Z",
        imported_by="pytest",
        language="en",
        metadata={},
        extraction={},
    )


def test_full_text_search_finds_letters_by_their_words(db):
    _letter(db, "a" * 64, "The magistrates court in Bury is closing and people must travel to Bolton.")
    _letter(db, "b" * 64, "My lasting power of attorney was rejected by the Public Guardian.")
    hits = store.search_letters(db, "magistrates closing")
    assert len(hits) == 1
    assert "[magistrates]" in hits[0]["snippet"]
    assert store.search_letters(db, "attorney")[0]["letter_id"] == 2


def test_reference_data_reload_keeps_cases_valid(db, reference_data):
    counts = store.load_reference_data(db, reference_data)
    assert counts["members"] >= 31
    again = store.load_reference_data(db, reference_data)
    assert again == counts
    assert db["ministers"].count == counts["ministers"]
