"""Upload batches: the files of one upload, kept until each is imported, with each file's result."""

from __future__ import annotations

import sqlite_utils


def insert_batch(
    db: sqlite_utils.Database,
    *,
    files: list[tuple[str, bytes]],
    received: str | None,
    created_by: str,
    at: str,
) -> int:
    """Store an upload and its files in one transaction; return the batch id."""
    with db.atomic():
        batch_id = (
            db["batches"]
            .insert(
                {
                    "created_by": created_by,
                    "created_at": at,
                    "received": received,
                    "status": "queued",
                    "total": len(files),
                }
            )
            .last_pk
        )
        db["batch_files"].insert_all(
            {
                "batch_id": batch_id,
                "position": index,
                "filename": name,
                "content": content,
                "status": "pending",
            }
            for index, (name, content) in enumerate(files)
        )
    return batch_id


def get_batch(db: sqlite_utils.Database, batch_id: int) -> dict | None:
    """Return a batch with its files' results (not their contents), in upload order."""
    rows = list(db["batches"].rows_where("id = ?", [batch_id], limit=1))
    if not rows:
        return None
    batch = rows[0]
    batch["files"] = list(
        db.query(
            "SELECT position, filename, status, reference, case_status, reason FROM batch_files "
            "WHERE batch_id = ? ORDER BY position",
            [batch_id],
        )
    )
    batch["done"] = sum(1 for f in batch["files"] if f["status"] != "pending")
    return batch


def pending_files(db: sqlite_utils.Database, batch_id: int) -> list[dict]:
    """The files of a batch not imported yet, in upload order, with their contents."""
    return list(
        db["batch_files"].rows_where("batch_id = ? AND status = 'pending'", [batch_id], order_by="position")
    )


def record_file_result(db: sqlite_utils.Database, file_id: int, result: dict) -> None:
    """Keep one file's result and drop its bytes (the letter's original is stored with the letter)."""
    db["batch_files"].update(
        file_id,
        {
            "status": result["status"],
            "reference": result.get("reference"),
            "case_status": result.get("case_status"),
            "reason": result.get("reason"),
            "content": None,
        },
    )


def set_batch_status(
    db: sqlite_utils.Database, batch_id: int, status: str, finished_at: str | None = None
) -> None:
    """Mark a batch queued, running or done."""
    db["batches"].update(batch_id, {"status": status, "finished_at": finished_at})


def unfinished_batches(db: sqlite_utils.Database) -> list[int]:
    """Batches not finished (e.g. the server stopped mid-import), oldest first."""
    return [
        row[0] for row in db.execute("SELECT id FROM batches WHERE status != 'done' ORDER BY id").fetchall()
    ]
