"""Importing an upload in the background: the request stores the files, a worker imports them one by one.

The files are stored in the database before the request returns, so nothing is lost if the server
stops: unfinished batches are picked up again when the app starts, and files already imported are
recognised as duplicates of their cases.
"""

from __future__ import annotations

import datetime as dt
import logging
import queue
import threading

from app import store
from app.config import Settings
from app.importing import Importer, ImportResult
from app.models import ModelUnusable
from app.store.batches import (
    get_batch,
    pending_files,
    record_file_result,
    set_batch_status,
    unfinished_batches,
)

log = logging.getLogger(__name__)


def process_batch(settings: Settings, batch_id: int) -> None:
    """Import every pending file of a batch, keeping each file's result as it goes."""
    db = store.open_db(settings.db_path, migrate_schema=False)
    try:
        batch = get_batch(db, batch_id)
        if batch is None:
            return
        set_batch_status(db, batch_id, "running")
        received = dt.date.fromisoformat(batch["received"]) if batch["received"] else None
        try:
            importer = Importer(db, settings, actor=batch["created_by"], source="web")
        except ModelUnusable as error:
            importer, refusal = (
                None,
                f"letters cannot be read at the moment: {error}. Ask your administrator.",
            )
        for file in pending_files(db, batch_id):
            if importer is None:
                result = ImportResult(file=file["filename"], status="refused", reason=refusal)
            else:
                result = importer.import_upload(file["filename"], file["content"], received=received)
            record_file_result(db, file["id"], result.as_dict())
        set_batch_status(db, batch_id, "done", store.utc_now())
        log.info("upload batch %s imported", batch_id)
    finally:
        db.close()


class BatchWorker:
    """One background thread per app that imports uploaded batches in the order they arrive."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.queue: queue.Queue[int] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="mincorr-batches", daemon=True)
        self.thread.start()

    def submit(self, batch_id: int) -> None:
        """Queue a stored batch for import."""
        self.queue.put(batch_id)

    def resume(self) -> None:
        """Queue every batch left unfinished, e.g. by a server that stopped mid-import."""
        db = store.open_db(self.settings.db_path, migrate_schema=False)
        try:
            for batch_id in unfinished_batches(db):
                self.submit(batch_id)
        finally:
            db.close()

    def _run(self) -> None:
        while True:
            batch_id = self.queue.get()
            try:
                process_batch(self.settings, batch_id)
            except Exception:  # one bad batch must not stop the worker; the batch stays unfinished
                log.exception("upload batch %s failed; it will be retried when the app restarts", batch_id)
            finally:
                self.queue.task_done()
