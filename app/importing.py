"""Importing letters: file -> letter -> extraction -> classification -> links -> case -> draft.

Each letter is stored in one transaction: either the letter, its case, its predictions and its
first draft are all saved, or (on any error) none of them is. Importing the same file again is
recognised by its content hash and opens no second case, so an interrupted import can simply be
run again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from app import store
from app.campaigns import CAMPAIGN_FLAG, match_letter
from app.cases import case_dates, open_case
from app.config import Settings
from app.department_settings import case_type_target, holiday_region
from app.drafting import templates_for
from app.drafting.for_case import draft_case
from app.intake import IncomingLetter, IntakeError, iter_letter_files, read_letter, read_path
from app.intake.ocr import POOR_SCAN_CONFIDENCE
from app.linking import (
    Registers,
    answering_minister,
    choose_line,
    link_legislation,
    resolve_addressee,
    resolve_member,
)
from app.models import load_active_model
from app.taxonomy import Taxonomy, load_taxonomy
from classifiers.classification import TriageModel
from classifiers.extraction import extract, read_letter_doc, settle_for_a_mailbag
from classifiers.features import letter_features
from classifiers.flags import rule_flags

log = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What happened to one file: a new case, a duplicate of an earlier one, or refused."""

    file: str
    status: str  # "created", "duplicate" or "refused"
    reference: str | None = None
    case_type: str | None = None
    case_status: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)


class Importer:
    """Imports letters into one database with the registers, model and templates loaded once."""

    def __init__(self, db: sqlite_utils.Database, settings: Settings, *, actor: str, source: str):
        self.db = db
        self.settings = settings
        self.actor = actor
        self.source = source
        self.taxonomy: Taxonomy = load_taxonomy(settings.corpus_dir / "taxonomy.yaml")
        self.registers = Registers.load(db)
        self.model_version, self.model = load_active_model(db)
        self.templates = templates_for(settings)
        self.region = holiday_region(db, settings)
        settle_for_a_mailbag()

    def import_paths(
        self, paths: Iterable[str | Path], received: dt.date | None = None
    ) -> list[ImportResult]:
        """Import every file named, and every file in every folder named."""
        results = []
        for path in iter_letter_files(paths):
            try:
                incoming = read_path(path)
            except IntakeError as error:
                results.append(ImportResult(file=str(path), status="refused", reason=str(error)))
                continue
            results.append(self.import_letter(incoming, received=received, file_label=str(path)))
        return results

    def import_upload(self, filename: str, content: bytes, received: dt.date | None = None) -> ImportResult:
        """Import one uploaded file given as its name and bytes."""
        try:
            incoming = read_letter(filename, content)
        except IntakeError as error:
            return ImportResult(file=filename, status="refused", reason=str(error))
        return self.import_letter(incoming, received=received)

    def import_letter(
        self, incoming: IncomingLetter, received: dt.date | None = None, file_label: str | None = None
    ) -> ImportResult:
        """Store one letter and open its case, unless the same file was imported before."""
        label = file_label or incoming.filename
        existing = store.find_letter_by_sha256(self.db, incoming.sha256)
        if existing:
            case = store.case_by_letter(self.db, existing["id"])
            return ImportResult(
                file=label,
                status="duplicate",
                reference=case["reference"] if case else None,
                case_type=case["case_type"] if case else None,
                case_status=case["status"] if case else None,
                reason=f"already imported as {case['reference']}" if case else "already imported",
            )
        received = received or _received_from(incoming) or self.settings.today()
        with self.db.atomic():
            reference, case_type, status = self._store_letter(incoming, received)
        log.info("imported letter into case %s", reference)
        return ImportResult(label, "created", reference, case_type, status)

    def _store_letter(self, incoming: IncomingLetter, received: dt.date) -> tuple[str, str, str]:
        now = store.utc_now()
        today = self.settings.today()
        doc = read_letter_doc(incoming.text)
        extraction = extract(doc, incoming.metadata)
        on = extraction.letter_date or received.isoformat()

        member = resolve_member(self.registers, extraction.sender, on, extraction.correspondent_type)
        correspondent = _correspondent(extraction, member)
        predictions, flags = _classify(self.model, self.model_version, doc, extraction.language)
        topic = predictions.get("topic")
        concern = predictions.get("concern")

        addressed_to = resolve_addressee(self.registers, extraction.addressee, on)
        legislation = link_legislation(self.registers, incoming.text, extraction.legislation)
        topic_label = topic["label"] if topic else None
        line_choice = choose_line(
            self.registers,
            topic_label,
            legislation["bill_id"],
            legislation["clause_number"],
            today.isoformat(),
        )
        answering = answering_minister(self.registers, topic_label, received.isoformat())
        case_type = self.taxonomy.case_type_for(correspondent["type"])
        dates = case_dates(received, case_type_target(self.db, case_type), self.region)
        # The confidence policy: a case skips triage only if both labels were auto-accepted
        # and, for scanned post, the text was read with good OCR confidence.
        ocr = incoming.metadata.get("ocr") or {}
        readable = ocr.get("mean_confidence", 100.0) >= POOR_SCAN_CONFIDENCE
        sure = readable and bool(topic and concern) and all(p["auto_accepted"] for p in (topic, concern))
        status = "draft" if sure else "triage"

        letter_id = store.insert_letter(
            self.db,
            filename=incoming.filename,
            media_type=incoming.media_type,
            content=incoming.content,
            sha256=incoming.sha256,
            text=incoming.text,
            received=received.isoformat(),
            letter_date=extraction.letter_date,
            source=self.source,
            imported_at=now,
            imported_by=self.actor,
            language=extraction.language,
            metadata=incoming.metadata,
            extraction=extraction.as_dict(),
        )
        campaign = match_letter(
            self.db,
            letter_id=letter_id,
            text=incoming.text,
            subject=extraction.subject,
            received=received.isoformat(),
            now=now,
        )
        flag_names = [f["flag"] for f in flags] + ([CAMPAIGN_FLAG] if campaign else [])
        correspondent_id = store.insert_correspondent(self.db, correspondent, now)
        line, line_version = line_choice if line_choice else (None, None)
        case_id, reference = open_case(
            self.db,
            letter_id=letter_id,
            correspondent_id=correspondent_id,
            case_type=case_type,
            dates=dates,
            reference_start=self.settings.reference_start,
            now=now,
            fields={
                "status": status,
                "letter_date": extraction.letter_date,
                "their_reference": extraction.their_reference,
                "addressed_to": addressed_to,
                "on_behalf_of_constituents": extraction.on_behalf_of_constituents,
                "constituents": extraction.constituents,
                "topic": topic_label,
                "topic_confidence": topic["confidence"] if topic else None,
                "concern": concern["label"] if concern else None,
                "concern_confidence": concern["confidence"] if concern else None,
                "flags": sorted(set(flag_names)),
                "campaign_id": campaign.campaign_id if campaign else None,
                "campaign_similarity": campaign.similarity if campaign else None,
                "bill_id": legislation["bill_id"],
                "clause_number": legislation["clause_number"],
                "line_id": line["id"] if line else None,
                "line_version": line_version["version"] if line_version else None,
                "link_evidence": legislation["evidence"],
                "answering_minister_id": answering[0]["id"] if answering else None,
                "model_version": self.model_version,
            },
        )
        stored_predictions = [p for p in (topic, concern) if p] + [
            {
                "task": "flag",
                "label": f["flag"],
                "confidence": f["confidence"],
                "evidence": f["evidence"],
                "model_version": f["source"],
            }
            for f in flags
        ]
        store.insert_classifications(self.db, letter_id, stored_predictions, now)

        store.record_event(
            self.db,
            at=now,
            actor=self.actor,
            action="case opened",
            case_id=case_id,
            detail={"source": self.source, "file_type": incoming.media_type, "status": status},
        )
        draft_case(
            self.db,
            store.get_case(self.db, case_id),
            registers=self.registers,
            taxonomy=self.taxonomy,
            templates=self.templates,
            reply_date=today,
            actor="mincorr",
        )
        return reference, case_type["id"], status


def _received_from(incoming: IncomingLetter) -> dt.date | None:
    sent = incoming.metadata.get("sent")
    return dt.date.fromisoformat(sent) if sent else None


def _classify(
    model: TriageModel | None, version: str | None, doc, language: str
) -> tuple[dict[str, dict], list[dict]]:
    """Topic and concern predictions, and the flags raised by rules and by the model."""
    flags = {hit["flag"]: {**hit, "confidence": None, "source": "rules"} for hit in rule_flags(doc, language)}
    if model is None:
        return {}, list(flags.values())
    predicted, raised_flags = model.classify([letter_features(doc)])
    predictions = predicted[0]
    for raised in raised_flags[0]:
        if raised.flag in flags:
            flags[raised.flag].update(confidence=round(raised.confidence, 4), source=f"rules+{version}")
        else:
            flags[raised.flag] = {
                "flag": raised.flag,
                "evidence": [],
                "confidence": round(raised.confidence, 4),
                "source": version,
            }
    labels = {task: {**p.as_dict(), "model_version": version} for task, p in predictions.items()}
    return labels, list(flags.values())


def _correspondent(extraction, member: tuple[dict, dict] | None) -> dict:
    """The correspondent record: the register's facts where the sender is a member, else the letter's."""
    sender = extraction.sender or {}
    record = {
        "name": None,
        "honorific": sender.get("honorific") or "",
        "given_name": sender.get("given_name") or "",
        "surname": sender.get("surname") or "",
        "post_nominal": next(iter(sender.get("post_nominals") or []), ""),
        "peerage": sender.get("peerage") or "",
        "type": extraction.correspondent_type,
        "constituency": extraction.constituency,
        "party": None,
        "organisation": extraction.organisation,
        "member_id": None,
        "address": extraction.address,
        "email": extraction.email,
    }
    if member:
        person, seat = member
        record.update(
            {
                "honorific": person.get("honorific") or record["honorific"],
                "given_name": person.get("given_name") or record["given_name"],
                "surname": person.get("surname") or record["surname"],
                "peerage": person.get("peerage") or "",
                "post_nominal": seat.get("post_nominal") or "",
                "type": seat["type"],
                "constituency": seat.get("constituency") or None,
                "party": seat.get("party") or None,
                "member_id": person["id"],
                "address": extraction.address or seat.get("address") or [],
            }
        )
    record["name"] = (
        " ".join(
            p
            for p in (record["honorific"], record["given_name"], record["surname"], record["post_nominal"])
            if p
        )
        if not record["peerage"]
        else record["peerage"]
    )
    if not record["name"]:
        record["name"] = record["organisation"] or "Unknown correspondent"
    return record
