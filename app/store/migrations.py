"""Schema changes as an ordered list of migrations, each applied once, in its own transaction.

A migration is never edited once it has shipped: a change to the schema is a new function
appended to MIGRATIONS.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]
MIGRATIONS: list[Migration] = []


def migration(fn: Migration) -> Migration:
    """Register `fn` as the next migration."""
    MIGRATIONS.append(fn)
    return fn


def migrate(db: sqlite_utils.Database) -> list[str]:
    """Apply every migration not yet applied to `db`; return the names applied now."""
    db.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = {row[0] for row in db.execute("SELECT name FROM _migrations").fetchall()}
    applied = []
    for fn in MIGRATIONS:
        if fn.__name__ in done:
            continue
        with db.atomic():
            fn(db)
            db.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, ?)",
                [fn.__name__, dt.datetime.now(dt.UTC).isoformat()],
            )
        applied.append(fn.__name__)
    return applied


@migration
def m001_initial(db: sqlite_utils.Database) -> None:
    """The first schema: reference data, letters, cases, classifications, drafts, events."""
    # --- reference data (reloaded from corpus/ by `mincorr init`) ---
    db["departments"].create(
        {"code": str, "name": str, "own": int, "address": str, "aliases": str, "covers": str},
        pk="code",
        not_null={"name"},
    )
    db["ministers"].create(
        {
            "id": str,
            "name": str,
            "given_name": str,
            "surname": str,
            "honorific": str,
            "post_nominal": str,
            "peerage": str,
            "aliases": str,
        },
        pk="id",
        not_null={"name"},
    )
    db["appointments"].create(
        {
            "id": int,
            "minister_id": str,
            "department": str,
            "role": str,
            "start": str,
            "end": str,
            "lead": int,
            "responsibilities": str,
            "topics": str,
        },
        pk="id",
        foreign_keys=[("minister_id", "ministers", "id"), ("department", "departments", "code")],
    )
    db["members"].create(
        {
            "id": str,
            "name": str,
            "given_name": str,
            "surname": str,
            "honorific": str,
            "peerage": str,
            "aliases": str,
        },
        pk="id",
        not_null={"name"},
    )
    db["memberships"].create(
        {
            "id": int,
            "member_id": str,
            "type": str,
            "legislature": str,
            "post_nominal": str,
            "constituency": str,
            "party": str,
            "start": str,
            "end": str,
            "address": str,
        },
        pk="id",
        foreign_keys=[("member_id", "members", "id")],
    )
    db["bills"].create(
        {
            "id": str,
            "title": str,
            "session": str,
            "department": str,
            "introduced": str,
            "stage": str,
            "aliases": str,
            "topics": str,
            "parts": str,
        },
        pk="id",
        not_null={"title"},
    )
    db["clauses"].create(
        {
            "bill_id": str,
            "number": str,
            "part": str,
            "title": str,
            "short_title": str,
            "aliases": str,
            "topic": str,
            "status": str,
            "status_date": str,
            "status_note": str,
        },
        pk=("bill_id", "number"),
        foreign_keys=[("bill_id", "bills", "id")],
    )
    db["lines_to_take"].create(
        {
            "id": str,
            "topic": str,
            "bill_id": str,
            "clause_number": str,
            "subject": str,
            "about": str,
        },
        pk="id",
        not_null={"topic"},
    )
    db["line_versions"].create(
        {
            "line_id": str,
            "version": int,
            "status": str,
            "effective_from": str,
            "effective_to": str,
            "approved_by": str,
            "approved_on": str,
            "paragraphs": str,
        },
        pk=("line_id", "version"),
        foreign_keys=[("line_id", "lines_to_take", "id")],
        not_null={"status", "paragraphs"},
    )

    # --- letters and their original files ---
    db["originals"].create(
        {"sha256": str, "filename": str, "media_type": str, "size": int, "content": bytes},
        pk="sha256",
        not_null={"filename", "content"},
    )
    db["letters"].create(
        {
            "id": int,
            "sha256": str,
            "filename": str,
            "source": str,
            "received": str,
            "letter_date": str,
            "imported_at": str,
            "imported_by": str,
            "language": str,
            "text": str,
            "metadata": str,
            "extraction": str,
        },
        pk="id",
        foreign_keys=[("sha256", "originals", "sha256")],
        not_null={"sha256", "text", "received", "imported_at"},
    )
    db["letters"].create_index(["sha256"], unique=True)
    db["letters"].create_index(["received"])
    db["letters"].enable_fts(["text"], fts_version="FTS5", create_triggers=True, tokenize="porter")

    db["correspondents"].create(
        {
            "id": int,
            "name": str,
            "honorific": str,
            "given_name": str,
            "surname": str,
            "post_nominal": str,
            "peerage": str,
            "type": str,
            "constituency": str,
            "party": str,
            "organisation": str,
            "member_id": str,
            "address": str,
            "email": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("member_id", "members", "id")],
        not_null={"type", "created_at"},
    )
    db["correspondents"].create_index(["member_id"])

    # --- cases ---
    db["reference_counters"].create({"case_type": str, "next_number": int}, pk="case_type")
    db["cases"].create(
        {
            "id": int,
            "reference": str,
            "case_type": str,
            "letter_id": int,
            "correspondent_id": int,
            "received": str,
            "due": str,
            "draft_due": str,
            "status": str,
            "letter_date": str,
            "their_reference": str,
            "addressed_to": str,
            "on_behalf_of_constituents": int,
            "constituents": str,
            "topic": str,
            "topic_confidence": float,
            "concern": str,
            "concern_confidence": float,
            "flags": str,
            "bill_id": str,
            "clause_number": str,
            "line_id": str,
            "line_version": int,
            "link_evidence": str,
            "campaign_id": int,
            "answering_minister_id": str,
            "model_version": str,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[
            ("letter_id", "letters", "id"),
            ("correspondent_id", "correspondents", "id"),
            ("bill_id", "bills", "id"),
            ("line_id", "lines_to_take", "id"),
            ("answering_minister_id", "ministers", "id"),
        ],
        not_null={"reference", "case_type", "letter_id", "received", "due", "status"},
    )
    db["cases"].create_index(["reference"], unique=True)
    db["cases"].create_index(["letter_id"], unique=True)
    db["cases"].create_index(["due"])
    db["cases"].create_index(["status", "due"])
    db["cases"].create_index(["correspondent_id"])

    # --- predictions, models, drafts, users, the event log ---
    db["models"].create(
        {
            "version": str,
            "created_at": str,
            "created_by": str,
            "active": int,
            "artefact": bytes,
            "card": str,
            "metrics": str,
            "library_versions": str,
        },
        pk="version",
        not_null={"created_at", "artefact"},
    )
    db["classifications"].create(
        {
            "id": int,
            "letter_id": int,
            "task": str,
            "label": str,
            "confidence": float,
            "alternatives": str,
            "evidence": str,
            "model_version": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("letter_id", "letters", "id")],
        not_null={"letter_id", "task", "created_at"},
    )
    db["classifications"].create_index(["letter_id", "task"])
    db["drafts"].create(
        {
            "id": int,
            "case_id": int,
            "version": int,
            "template": str,
            "reply_date": str,
            "text": str,
            "citations": str,
            "created_at": str,
            "created_by": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "version", "text", "created_at"},
    )
    db["drafts"].create_index(["case_id", "version"], unique=True)
    db["users"].create(
        {
            "id": int,
            "username": str,
            "password_hash": str,
            "role": str,
            "active": int,
            "created_at": str,
        },
        pk="id",
        not_null={"username", "password_hash", "role", "created_at"},
    )
    db["users"].create_index(["username"], unique=True)
    db["events"].create(
        {
            "id": int,
            "at": str,
            "actor": str,
            "case_id": int,
            "action": str,
            "detail": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"at", "actor", "action"},
    )
    db["events"].create_index(["case_id", "at"])


@migration
def m002_confidence_policy_and_corrections(db: sqlite_utils.Database) -> None:
    """Whether each prediction was auto-accepted (and at what threshold), and people's corrections."""
    db["classifications"].add_column("auto_accepted", int)
    db["classifications"].add_column("threshold", float)
    db["corrections"].create(
        {
            "id": int,
            "case_id": int,
            "letter_id": int,
            "topic_before": str,
            "topic": str,
            "concern_before": str,
            "concern": str,
            "flags_before": str,
            "flags": str,
            "reason": str,
            "corrected_by": str,
            "corrected_at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id"), ("letter_id", "letters", "id")],
        not_null={"case_id", "letter_id", "corrected_by", "corrected_at"},
    )
    db["corrections"].create_index(["case_id"])


@migration
def m003_workflow(db: sqlite_utils.Database) -> None:
    """Stages and the clock, comments, draft lineage, background upload batches, API tokens, settings."""
    for column, kind in (
        ("stage_changed_at", str),
        ("answered_on", str),
        ("closed_reason", str),
        ("clock_stopped_since", str),
        ("clock_stopped_days", int),
        ("transferred_to", str),
        ("holding_reply_sent_on", str),
    ):
        db["cases"].add_column(column, kind)
    db["cases"].create_index(["topic"])
    db["cases"].create_index(["answering_minister_id"])
    db["cases"].create_index(["received"])
    db["cases"].create_index(["answered_on"])
    db["drafts"].add_column("stage", str)
    db["drafts"].add_column("based_on", int)
    db["drafts"].add_column("note", str)
    db["comments"].create(
        {
            "id": int,
            "case_id": int,
            "draft_version": int,
            "stage": str,
            "kind": str,
            "text": str,
            "author": str,
            "at": str,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "kind", "text", "author", "at"},
    )
    db["comments"].create_index(["case_id", "at"])
    db["clock_stops"].create(
        {
            "id": int,
            "case_id": int,
            "stopped_on": str,
            "stopped_by": str,
            "reason": str,
            "restarted_on": str,
            "restarted_by": str,
            "working_days": int,
        },
        pk="id",
        foreign_keys=[("case_id", "cases", "id")],
        not_null={"case_id", "stopped_on", "stopped_by", "reason"},
    )
    db["clock_stops"].create_index(["case_id"])
    db["batches"].create(
        {
            "id": int,
            "created_by": str,
            "created_at": str,
            "received": str,
            "status": str,
            "total": int,
            "finished_at": str,
        },
        pk="id",
        not_null={"created_by", "created_at", "status", "total"},
    )
    db["batch_files"].create(
        {
            "id": int,
            "batch_id": int,
            "position": int,
            "filename": str,
            "content": bytes,
            "status": str,
            "reference": str,
            "case_status": str,
            "reason": str,
        },
        pk="id",
        foreign_keys=[("batch_id", "batches", "id")],
        not_null={"batch_id", "position", "filename", "status"},
    )
    db["batch_files"].create_index(["batch_id", "position"], unique=True)
    db["api_tokens"].create(
        {
            "id": int,
            "user_id": int,
            "token_hash": str,
            "label": str,
            "created_at": str,
            "last_used_at": str,
            "revoked_at": str,
        },
        pk="id",
        foreign_keys=[("user_id", "users", "id")],
        not_null={"user_id", "token_hash", "created_at"},
    )
    db["api_tokens"].create_index(["token_hash"], unique=True)
    db["app_settings"].create({"key": str, "value": str, "changed_by": str, "changed_at": str}, pk="key")


@migration
def m004_deadlines_and_clock(db: sqlite_utils.Database) -> None:
    """Why a clock was restarted, and indexes for the deadlines page and the timeliness report.

    The deadlines and timeliness indexes hold every column their queries read, so those queries
    count from the index alone; the clock-stopped one finds the few stopped cases.
    """
    db["clock_stops"].add_column("restart_reason", str)
    # Covers the deadlines page's counts and pages under any of its filters (team, minister, stage).
    db["cases"].create_index(
        ["status", "due", "clock_stopped_since", "topic", "answering_minister_id"],
        index_name="idx_cases_deadlines",
    )
    db["cases"].create_index(["clock_stopped_since"], index_name="idx_cases_clock_stopped")
    db["cases"].create_index(
        ["received", "status", "due", "answered_on", "answering_minister_id", "topic", "case_type"],
        index_name="idx_cases_timeliness",
    )


@migration
def m005_member_index(db: sqlite_utils.Database) -> None:
    """Lets the members list count each correspondent's open and overdue cases from the index alone."""
    db["cases"].create_index(
        ["correspondent_id", "status", "due", "clock_stopped_since"],
        index_name="idx_cases_correspondent_open",
    )


@migration
def m006_inbox_index(db: sqlite_utils.Database) -> None:
    """The inbox's order (due, then reference) with the stage, so any page is an index walk."""
    db["cases"].create_index(["due", "reference", "status"], index_name="idx_cases_inbox")


@migration
def m007_campaigns(db: sqlite_utils.Database) -> None:
    """Campaigns, each letter's MinHash signature, and the band index that finds near-duplicates."""
    db["campaigns"].create(
        {
            "id": int,
            "name": str,
            "size": int,
            "first_seen": str,
            "last_seen": str,
            "template_letter_id": int,
            "topic": str,
            "line_id": str,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("template_letter_id", "letters", "id")],
        not_null={"name", "size", "template_letter_id", "created_at"},
    )
    db["letter_signatures"].create({"letter_id": int, "signature": bytes}, pk="letter_id")
    # One row per (band, letter), kept in key order without a rowid: a lookup is one b-tree seek per band.
    db.execute(
        "CREATE TABLE campaign_bands (band_key INTEGER NOT NULL, letter_id INTEGER NOT NULL, "
        "PRIMARY KEY (band_key, letter_id)) WITHOUT ROWID"
    )
    db["cases"].add_column("campaign_similarity", float)
    db["cases"].add_column("campaign_excluded", int)
    db["cases"].create_index(["campaign_id"])


@migration
def m008_edits_made_in_the_app(db: sqlite_utils.Database) -> None:
    """Mark reference rows an admin changed in the app, so `mincorr init` reloading corpus/reference
    keeps those changes instead of writing the file's values back over them."""
    db["appointments"].add_column("edited_in_app", int, not_null_default=0)
    db["clauses"].add_column("status_set_in_app", int, not_null_default=0)
    db["bills"].add_column("stage_set_in_app", int, not_null_default=0)
