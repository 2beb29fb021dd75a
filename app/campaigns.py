"""Write-in campaigns: each new letter is matched, as it arrives, against every letter already stored.

A letter whose signature agrees closely enough with an earlier letter's joins that letter's
campaign, or starts one with it. The campaign keeps the first letter as its template; what a
writer added to the template is found paragraph by paragraph (classifiers.campaigns.additions).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from app import store
from app.cases.actions import keep_reason
from app.store.campaigns import (
    campaign_cases,
    candidates,
    count_campaign_cases,
    get_campaign,
    index_letter,
    insert_campaign,
    update_campaign,
)
from classifiers.campaigns import (
    SAME_CAMPAIGN,
    Addition,
    additions,
    band_keys,
    from_bytes,
    signature,
    similarity,
    to_bytes,
)

# Letters looked at per band: a band shared with a large campaign holds thousands of copies,
# and a few of them decide.
PER_BAND = 12
CAMPAIGN_FLAG = "campaign"
PAGE = 500
NAME_WORDS = 10


@dataclass(frozen=True)
class CampaignMatch:
    """The campaign a new letter joins and how closely it matches the letter that brought it in."""

    campaign_id: int
    similarity: float


def match_letter(
    db: sqlite_utils.Database, *, letter_id: int, text: str, subject: str, received: str, now: str
) -> CampaignMatch | None:
    """Index a new letter and find the campaign it belongs to (starting one if needed).

    Call inside the letter's transaction, before its case is opened: the result goes on the case.
    """
    sig = signature(text)
    if sig is None:
        return None
    keys = band_keys(sig)
    best: tuple[int, float] | None = None
    for other_id, data in candidates(db, keys, PER_BAND):
        score = similarity(sig, from_bytes(data))
        if score >= SAME_CAMPAIGN and (best is None or score > best[1]):
            best = (other_id, score)
    index_letter(db, letter_id, to_bytes(sig), keys)
    if best is None:
        return None
    other = store.case_by_letter(db, best[0])
    if other is None:
        return None
    campaign_id = other["campaign_id"] or _start_campaign(db, other, subject, now)
    update_campaign(
        db, campaign_id, {"size": count_campaign_cases(db, campaign_id) + 1, "last_seen": received}
    )
    return CampaignMatch(campaign_id, round(best[1], 4))


def campaign_name(extraction: dict, other_subject: str = "") -> str:
    """What people call a campaign: its letter's subject line, else the opening words of the body
    (never the address block or the writer's name, which differ from copy to copy)."""
    subject = extraction.get("subject") or other_subject
    if subject:
        return subject
    words = (extraction.get("body") or "").split()
    return " ".join(words[:NAME_WORDS]) + (" …" if len(words) > NAME_WORDS else "") or "Untitled campaign"


def _start_campaign(db: sqlite_utils.Database, first_case: dict, subject: str, now: str) -> int:
    """A campaign whose template is the earlier letter; that letter's case joins it."""
    letter = store.get_letter(db, first_case["letter_id"])
    name = campaign_name(letter["extraction"], subject)
    campaign_id = insert_campaign(
        db,
        {
            "name": name[:120],
            "size": 1,
            "first_seen": first_case["received"],
            "last_seen": first_case["received"],
            "template_letter_id": first_case["letter_id"],
            "topic": first_case["topic"],
            "line_id": first_case["line_id"],
            "created_at": now,
        },
    )
    store.update_case(
        db,
        first_case["id"],
        {
            "campaign_id": campaign_id,
            "campaign_similarity": 1.0,
            "flags": sorted({*(first_case["flags"] or []), CAMPAIGN_FLAG}),
            "updated_at": now,
        },
    )
    store.record_event(
        db,
        at=now,
        actor="mincorr",
        action="campaign started",
        case_id=first_case["id"],
        detail={"campaign": campaign_id},
    )
    return campaign_id


def writer_additions(db: sqlite_utils.Database, case: dict) -> list[Addition]:
    """What the writer of a campaign letter added to the campaign's template (nothing for the template)."""
    if not case["campaign_id"]:
        return []
    campaign = get_campaign(db, case["campaign_id"])
    if campaign is None or campaign["template_letter_id"] == case["letter_id"]:
        return []
    template = store.get_letter(db, campaign["template_letter_id"])
    return additions(store.get_letter(db, case["letter_id"])["text"], template["text"])


class CampaignError(ValueError):
    """A campaign action cannot be done; the message says why."""


OPENING = "Thank you for your"
READY_STAGES = ("triage", "draft", "qa")


def shared_body(reply: str) -> str:
    """The part of a reply every campaign letter shares: everything after the opening paragraph."""
    paragraphs = reply.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith(OPENING):
            return "\n\n".join(paragraphs[index + 1 :])
    raise CampaignError(f"The reply has no opening paragraph (“{OPENING} …”) to keep each letter's own")


def own_opening(draft: str) -> str:
    """A letter's own draft up to and including its opening paragraph: address, references, salutation."""
    paragraphs = draft.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if paragraph.startswith(OPENING):
            return "\n\n".join(paragraphs[: index + 1])
    raise CampaignError(f"A draft has no opening paragraph (“{OPENING} …”)")


def apply_campaign_reply(db: sqlite_utils.Database, campaign_id: int, *, actor: str) -> list[str]:
    """Give every waiting letter of a campaign the approved reply of its template letter.

    Each letter keeps its own address block, references, salutation and opening; the rest is the
    approved reply. The letters move to dispatch, approved as part of the campaign; letters taken
    out of the campaign, and letters already past quality check, are left alone. Returns the
    references of the letters answered.
    """
    campaign = get_campaign(db, campaign_id)
    if campaign is None:
        raise CampaignError("There is no such campaign")
    template_case = store.case_by_letter(db, campaign["template_letter_id"])
    if template_case["status"] not in ("dispatch", "closed"):
        raise CampaignError(
            f"The campaign reply is the reply to {template_case['reference']}, not approved yet"
        )
    approved = store.latest_draft(db, template_case["id"])
    body = shared_body(approved["text"])
    answered, offset = [], 0
    now = store.utc_now()
    while batch := campaign_cases(db, campaign_id, limit=PAGE, offset=offset):
        offset += PAGE
        for case in batch:
            if (
                case["campaign_excluded"]
                or case["status"] not in READY_STAGES
                or case["id"] == template_case["id"]
            ):
                continue
            own = store.latest_draft(db, case["id"])
            with db.atomic():
                store.insert_draft(
                    db,
                    case["id"],
                    text=own_opening(own["text"]) + "\n\n" + body,
                    template=approved["template"],
                    reply_date=approved["reply_date"],
                    citations=approved["citations"],
                    created_at=now,
                    created_by=actor,
                    stage=case["status"],
                    note=f"the campaign reply: {template_case['reference']} version {approved['version']}",
                )
                store.update_case(
                    db,
                    case["id"],
                    {
                        "status": "dispatch",
                        "stage_changed_at": now,
                        "updated_at": now,
                        "line_id": template_case["line_id"],
                        "line_version": template_case["line_version"],
                    },
                )
                store.record_event(
                    db,
                    at=now,
                    actor=actor,
                    action="approved as part of a campaign",
                    case_id=case["id"],
                    detail={
                        "campaign": campaign_id,
                        "reply_of": template_case["reference"],
                        "version": approved["version"],
                    },
                )
            answered.append(case["reference"])
    return answered


def take_out_of_campaign(db: sqlite_utils.Database, case: dict, *, reason: str, actor: str) -> None:
    """Answer a campaign letter on its own: its writer asked for something the campaign reply lacks."""
    if not case["campaign_id"] or case["campaign_excluded"]:
        raise CampaignError(f"{case['reference']} is not in a campaign")
    if not reason.strip():
        raise CampaignError("Give a reason for taking the letter out of the campaign")
    now = store.utc_now()
    with db.atomic():
        store.update_case(
            db,
            case["id"],
            {
                "campaign_excluded": 1,
                "flags": [f for f in case["flags"] or [] if f != CAMPAIGN_FLAG],
                "updated_at": now,
            },
        )
        update_campaign(db, case["campaign_id"], {"size": count_campaign_cases(db, case["campaign_id"])})
        keep_reason(db, case, reason, actor=actor, at=now)
        store.record_event(
            db,
            at=now,
            actor=actor,
            action="taken out of campaign",
            case_id=case["id"],
            detail={"campaign": case["campaign_id"]},
        )
