"""Write-in campaigns: each new letter is matched, as it arrives, against every letter already stored.

A letter whose signature agrees closely enough with an earlier letter's joins that letter's
campaign, or starts one with it. The campaign keeps the first letter as its template; what a
writer added to the template is found paragraph by paragraph (classifiers.campaigns.additions).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from app import store
from app.store.campaigns import (
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
NAME_WORDS = 8


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


def _start_campaign(db: sqlite_utils.Database, first_case: dict, subject: str, now: str) -> int:
    """A campaign whose template is the earlier letter; that letter's case joins it."""
    letter = store.get_letter(db, first_case["letter_id"])
    name = subject or letter["extraction"].get("subject") or " ".join(letter["text"].split()[:NAME_WORDS])
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
