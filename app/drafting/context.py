"""The facts a reply template is given: who it goes to, what it answers, who signs it."""

from __future__ import annotations

import datetime as dt
import re

from app.drafting.compose import format_long_date, letter_date_phrase
from app.taxonomy import Taxonomy
from classifiers.names import name_key

# Words by which a writer voices worry: a reply then says they "expressed concern", whatever
# else the letter asks.
WORRY_RE = re.compile(
    r"\b(?:concern(?:s|ed)?|worr(?:y|ied|ies|ying)|alarm(?:ed)?|anxious|fear(?:s|ful)?)\b", re.I
)
WORRY_CAN_OVERRIDE = {"requests-information", "individual-case"}
SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to", "a"}
PUBLIC_TITLES = {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Professor", "Sir", "Dame", "Revd", "Lord", "Lady"}


def name_line(correspondent: dict) -> str:
    """The first line of the address block: 'Dr Caroline Lucas MEP', 'Lord Bach'."""
    if correspondent.get("peerage"):
        honorific = "Rt Hon " if (correspondent.get("honorific") or "").startswith("Rt Hon") else ""
        return f"{honorific}{correspondent['peerage']}"
    parts = [
        correspondent.get("honorific") or "",
        correspondent.get("given_name") or "",
        correspondent.get("surname") or "",
        correspondent.get("post_nominal") or "",
    ]
    line = " ".join(p for p in parts if p)
    return line or correspondent.get("name") or correspondent.get("organisation") or ""


def salutation(correspondent: dict, parliamentarian: bool) -> str:
    """'Caroline' for a parliamentarian; 'Mrs Okafor' (title and surname) for the public."""
    given = correspondent.get("given_name") or ""
    surname = correspondent.get("surname") or ""
    honorific = (correspondent.get("honorific") or "").replace("Rt Hon", "").strip()
    if parliamentarian and given and not given.endswith("."):
        return given
    if correspondent.get("peerage"):
        return correspondent["peerage"].split(" of ")[0]
    if honorific in PUBLIC_TITLES and surname:
        return f"{honorific} {surname}"
    if given and surname and not given.endswith("."):
        return f"{given} {surname}"
    return "Sir or Madam"


def subject_line(bill: dict | None, clause: dict | None, line: dict | None, topic: dict | None) -> str:
    """The subject in capitals: the bill and clause if the letter is about one, else the subject."""
    if bill and clause:
        clause_name = clause.get("short_title") or clause.get("title") or f"clause {clause['number']}"
        return f"{bill['title']} – {clause_name}".upper()
    if bill:
        return bill["title"].upper()
    if line and line.get("subject"):
        return line["subject"].upper()
    return (topic or {}).get("name", "Your letter").upper()


def responsibility_for(appointment: dict, topic: dict | None) -> str:
    """The part of a minister's brief that the letter falls under ('data protection').

    A responsibility named in the topic's own name wins (the earlier in the name, the better);
    otherwise the one whose words best match what the topic covers.
    """
    responsibilities = appointment.get("responsibilities") or []
    if not responsibilities:
        return ""
    if not topic:
        return responsibilities[0]
    topic_name = name_key(topic.get("name", ""))
    topic_words = set(name_key(f"{topic.get('name', '')} {topic.get('covers', '')}").split())

    def score(text: str) -> tuple[bool, int, float]:
        key = name_key(text)
        in_name = bool(key) and key in topic_name
        words = set(key.split()) - SMALL_WORDS
        share = len(words & topic_words) / len(words) if words else 0.0
        return in_name, -topic_name.find(key) if in_name else -len(topic_name), share

    return max(responsibilities, key=score)


def signature_line(minister: dict | None, case_type: dict, department: dict) -> tuple[str, str]:
    """The name under the reply: 'MICHAEL WILLS MP' for a minister, or the unit for an official."""
    if case_type.get("signed_by") == "minister" and minister:
        if minister.get("peerage"):
            return minister["peerage"].upper(), ""
        post_nominal = f" {minister['post_nominal']}" if minister.get("post_nominal") else ""
        return f"{minister['name'].upper()}{post_nominal}", ""
    return "Correspondence Unit", department["name"]


def reply_context(
    *,
    reference: str,
    case_type: dict,
    correspondent: dict,
    extraction: dict,
    received: dt.date,
    reply_date: dt.date,
    addressed_to: dict,
    answering: tuple[dict, dict] | None,
    own_department: dict,
    topic: str | None,
    concern: str | None,
    bill: dict | None,
    clause: dict | None,
    line: dict | None,
    line_version: dict | None,
    taxonomy: Taxonomy,
) -> dict:
    """Everything a reply template may use, built from the facts of one case."""
    parliamentarian = taxonomy.is_parliamentarian(correspondent["type"])
    minister, appointment = answering if answering else (None, {})
    topic_entry = taxonomy.label("topics", topic)
    concern_entry = taxonomy.label("concerns", concern) or {}
    letter_date = dt.date.fromisoformat(extraction["letter_date"]) if extraction.get("letter_date") else None

    addressed_other = bool(addressed_to.get("name")) and addressed_to.get("minister_id") != (
        minister or {}
    ).get("id")
    transfer = ""
    if addressed_to.get("department") and addressed_to["department"] != own_department["code"]:
        if case_type.get("signed_by") == "minister" and appointment:
            responsibility = responsibility_for(appointment, topic_entry)
            transfer = (
                f"Your letter was passed to the {own_department['name']}, and I am replying as the "
                f"minister responsible for {responsibility}."
            )
        else:
            transfer = f"Your letter was passed to the {own_department['name']}, who have asked me to reply."
    constituents = extraction.get("constituents") or []
    on_behalf = extraction.get("constituents_phrase") if extraction.get("on_behalf_of_constituents") else ""
    # Without a line to take, the opening names the subject in the words of the taxonomy.
    about = (line or {}).get("about") or ((topic_entry or {}).get("name") or "the matters you raised").lower()
    concern_phrase = concern_entry.get("reply_phrase", "wrote about")
    if concern in WORRY_CAN_OVERRIDE and WORRY_RE.search(extraction.get("body") or ""):
        concern_phrase = "expressed concern about"
    signature, role = signature_line(minister, case_type, own_department)
    plain_addressee = re.sub(
        r"^(?:the\s+)?(?:rt\.?\s+hon\.?\s+)?", "", addressed_to.get("name") or "", flags=re.I
    )
    return {
        "correspondent": {
            "name_line": name_line(correspondent),
            "address": correspondent.get("address") or [],
            "salutation": salutation(correspondent, parliamentarian),
        },
        "case": {
            "reference": reference,
            "their_reference": extraction.get("their_reference"),
            "letter_date_phrase": letter_date_phrase(letter_date, received),
            "addressed_to_other": addressed_other,
            "addressed_to_name": plain_addressee,
            "on_behalf_phrase": on_behalf,
            "constituent_word": "constituent"
            if len(constituents) == 1 or on_behalf == "a constituent"
            else "constituents",
            "concern_phrase": concern_phrase,
            "about": about,
            "transfer": transfer,
        },
        "reply_date": format_long_date(reply_date),
        "subject": subject_line(bill, clause, line, topic_entry),
        "line": (
            {"id": line["id"], "version": line_version["version"], "paragraphs": line_version["paragraphs"]}
            if line and line_version
            else None
        ),
        "signatory": {"signature_line": signature, "role": role},
        "department": own_department,
    }
