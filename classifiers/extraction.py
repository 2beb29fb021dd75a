"""Reading a letter: who wrote, in what role, for whom, to whom, when, their reference, and
the legislation named.

The work is done by spaCy's blank English pipeline and two of mincorr's own rule components
(`mincorr_layout` and `mincorr_mentions`), which mark the parts of the letter as spans;
`extract()` then reads those spans into an Extraction. Register look-ups (is this sender an MP,
which minister is "Jacqui"?) happen later, in app/linking, against the department's registers.
"""

from __future__ import annotations

import gc
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from classifiers.dates import find_dates
from classifiers.language import language_of
from classifiers.layout import (
    CONTACT_RE,
    DEPARTMENT_RE,
    MINISTERIAL_ROLE_RE,
    POSTCODE_RE,
    LetterLayout,
    Line,
    analyse_layout,
    subject_text,
)
from classifiers.mentions import find_constituents, find_legislation
from classifiers.names import PersonName, parse_name

for _name in ("layout", "legislation", "constituents", "language", "marks"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


@lru_cache(maxsize=1)
def settle_for_a_mailbag() -> None:
    """Build the letter pipeline, then move every object alive (the pipeline's vocabulary, a loaded
    model, the registers) into Python's permanent GC generation. Full collections then stop walking
    those long-lived objects again and again while a mailbag is read: about 15% more letters a
    second, measured with tests/benchmarks/bench_triage.py.

    Done once per process (the first importer), so a long-running server does not keep freezing
    whatever its requests happen to hold. There is deliberately no gc.collect() first: in a forked
    worker it would walk, and so copy, every page the worker shares with its parent."""
    letter_pipeline()
    gc.freeze()


def doc_text(doc: Doc) -> str:
    """The letter's text. spaCy rebuilds Doc.text from the tokens on every access, so
    read_letter_doc keeps the original string in user_data and the components read it from there."""
    return doc.user_data.get("text") or doc.text


@Language.factory("mincorr_layout")
class LetterLayoutComponent:
    """Marks the parts of a letter: sender and recipient blocks, date, references, salutation,
    subject, body, sign-off and signature (doc.spans["layout"], doc._.layout)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        layout = analyse_layout(doc_text(doc))
        extension = doc._  # each access to doc._ builds a new accessor: take it once
        extension.layout = layout
        marks: list[tuple[str, Line]] = []
        for label, lines in (
            ("SENDER", layout.sender_block),
            ("RECIPIENT", layout.recipient_block),
            ("SIGNATURE", layout.signature),
        ):
            marks += [(label, line) for line in lines]
        for label, line in (
            ("DATE", layout.date_line),
            ("SALUTATION", layout.salutation),
            ("SUBJECT", layout.subject),
            ("SIGN_OFF", layout.sign_off),
            ("THEIR_REF", layout.their_reference[0] if layout.their_reference else None),
            ("CITED_REF", layout.cited_reference[0] if layout.cited_reference else None),
        ):
            if line is not None:
                marks.append((label, line))
        doc.spans["layout"] = [
            span
            for label, line in marks
            if line.text
            and (span := doc.char_span(line.start, line.end, label=label, alignment_mode="expand"))
        ]
        # The same marks as plain offsets, for extraction to hand on without re-reading spans.
        extension.marks = [
            {"label": label, "start": line.start, "end": line.end} for label, line in marks if line.text
        ]
        return doc


@Language.factory("mincorr_mentions")
class MentionsComponent:
    """Marks legislation (bills, Acts, clauses, Parts, Schedules), dates and constituents named in
    the writer's own text, and tells Welsh from English (doc.spans["mentions"])."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        extension = doc._
        layout: LetterLayout | None = extension.layout
        text = doc_text(doc)
        own_text = text[: layout.primary_end] if layout else text
        legislation = find_legislation(text)
        constituents = find_constituents(own_text)
        extension.legislation = legislation
        extension.constituents = constituents
        extension.language = language_of(doc)
        marks = [(m.kind.upper(), m.start, m.end) for m in [*legislation, *constituents.evidence]]
        marks += [("DATE", start, end) for start, end, _ in find_dates(text)]
        doc.spans["mentions"] = [
            span
            for label, start, end in marks
            if (span := doc.char_span(start, end, label=label, alignment_mode="expand")) is not None
        ]
        extension.marks = (extension.marks or []) + [
            {"label": label, "start": s, "end": e} for label, s, e in marks
        ]
        return doc


# Affixes split off words by the tokenizer. spaCy's English defaults also cover units, currencies
# and emoticons at length; letters need only these, and the shorter lists tokenise a mailbag about
# 60% faster with practically the same tokens (measured on a varied mailbag of the corpus).
LETTER_PREFIXES = [r"[\(\[\{\"'‘“«£$€#@*•\-–]"]
LETTER_SUFFIXES = [r"[\.\,\;\:\!\?\)\]\}\"'’”»…*]", r"(?<=[0-9])(?:%|p|pm|am|k|m|bn)", r"'s", r"’s"]
# Words are split inside only at hyphens, dashes and slashes ("self-harm", "2008-09").
LETTER_INFIXES = [r"(?<=[a-zA-Z])[-–—/](?=[a-zA-Z])", r"(?<=[0-9])[-–/](?=[0-9])"]


@lru_cache(maxsize=1)
def letter_pipeline() -> Language:
    """The spaCy pipeline that reads letters: blank English, a leaner tokenizer, and mincorr's rule
    components. Its vocabulary is shared by extraction, the classifiers' features and flag rules."""
    nlp = spacy.blank("en")
    nlp.tokenizer.prefix_search = compile_prefix_regex(LETTER_PREFIXES).search
    nlp.tokenizer.suffix_search = compile_suffix_regex(LETTER_SUFFIXES).search
    nlp.tokenizer.infix_finditer = compile_infix_regex(LETTER_INFIXES).finditer
    nlp.add_pipe("mincorr_layout")
    nlp.add_pipe("mincorr_mentions")
    return nlp


ROLE_RE = re.compile(
    r"\b(?:member of|mp for|mep for|msp for|ms for|mla for|am for|party|spokesperson|shadow|chair"
    r"|leader|director|chief executive|officer|manager|president|head of|co-?ordinator|volunteer"
    r"|campaigner|caseworker|secretary|minister|councillor)\b",
    re.I,
)
CONSTITUENCY_RE = re.compile(
    r"\b(?:MP|MEP|MSP|MS|AM|MLA|Member of (?:the )?(?:UK |European |Scottish )?Parliament"
    r"|Member of the Senedd|Member of the Legislative Assembly|Assembly Member)\s+for\s+(?:the\s+)?"
    r"(?P<place>[A-Z][\w'’&() ,-]+?)\s*(?:Region|constituency)?\.?$"
)
ROLE_TYPES = [
    (re.compile(r"\bmember of the european parliament\b|\bMEP\b", re.I), "mep"),
    (
        re.compile(
            r"\bmember of the (?:senedd|scottish parliament|legislative assembly|welsh assembly)\b"
            r"|\bassembly member\b|\b(?:MSP|MLA)\b",
            re.I,
        ),
        "devolved-member",
    ),
    (re.compile(r"\bmember of parliament\b|\bhouse of commons\b", re.I), "mp"),
    (re.compile(r"\bhouse of lords\b", re.I), "peer"),
]
ORGANISATION_RE = re.compile(
    r"\b(?:Ltd|Limited|LLP|PLC|plc|Trust|Charity|Association|Society|Council|Union|Solicitors"
    r"|Foundation|Federation|Institute|Network|Campaign|Centre|Alliance|Partnership|Chambers"
    r"|League|Coalition|Forum|Commission|Bureau|Diocese|Law Centre|Citizens Advice|registered charity)\b"
)
GOVERNMENT_RE = re.compile(
    r"\b(?:Department (?:for|of)|Ministry of|Home Office|Cabinet Office|HM Treasury)\b"
)
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SALUTATION_NAME_RE = re.compile(r"^(?:dear|annwyl)\s+(?P<who>[^,.:;!]+)", re.I)


@dataclass
class Extraction:
    """What mincorr read from a letter before looking anything up in the registers."""

    sender: dict | None = None
    correspondent_type: str = "member-of-public"
    constituency: str | None = None
    organisation: str | None = None
    address: list[str] = field(default_factory=list)
    email: str | None = None
    on_behalf_of_constituents: bool = False
    constituents: list[dict] = field(default_factory=list)
    constituents_phrase: str = ""
    addressee: dict = field(default_factory=dict)
    letter_date: str | None = None
    their_reference: str | None = None
    cited_reference: str | None = None
    subject: str = ""
    legislation: list[dict] = field(default_factory=list)
    language: str = "en"
    body: str = ""
    evidence: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def read_letter_doc(text: str) -> Doc:
    """Run the letter pipeline over a letter's text."""
    nlp = letter_pipeline()
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text
    for _, component in nlp.pipeline:
        doc = component(doc)
    return doc


def extract(doc: Doc, metadata: dict | None = None) -> Extraction:
    """Read an Extraction from a processed letter. `metadata` is what intake knew (email headers)."""
    metadata = metadata or {}
    extension = doc._
    layout: LetterLayout = extension.layout
    text = doc_text(doc)
    result = Extraction(language=extension.language)

    signature_name, signature_index = _first_name(layout.signature)
    block_name, _ = _first_name(layout.sender_block[:1])
    email_name = _email_display_name(layout.email_headers.get("from") or metadata.get("from", ""))
    name = signature_name or block_name or email_name
    if signature_name and block_name and not signature_name.post_nominals and block_name.post_nominals:
        name = block_name  # the letterhead usually carries the fuller form ("Dr ... MEP")
    result.sender = name.as_dict() if name else None

    role_lines = [ln.text for ln in layout.sender_block + layout.signature if ROLE_RE.search(ln.text)]
    result.correspondent_type = _correspondent_type(name, layout, role_lines)
    for text in role_lines:
        match = CONSTITUENCY_RE.search(text)
        if match:
            result.constituency = match.group("place").strip()
            break
    result.organisation = _organisation(layout, name)
    if result.organisation and result.correspondent_type == "member-of-public":
        result.correspondent_type = (
            "other-government-department" if GOVERNMENT_RE.search(result.organisation) else "organisation"
        )
    result.address = _address(layout, name, signature_index)
    emails = [
        m.group(0) for ln in layout.contact_lines + layout.signature for m in EMAIL_RE.finditer(ln.text)
    ]
    sender_email = EMAIL_RE.search(layout.email_headers.get("from") or metadata.get("from", ""))
    result.email = emails[0] if emails else (sender_email.group(0) if sender_email else None)

    if result.correspondent_type in {"mp", "peer", "mep", "devolved-member"}:
        constituents = extension.constituents
        result.on_behalf_of_constituents = constituents.on_behalf
        result.constituents = list(constituents.names)
        result.constituents_phrase = constituents.phrase
        if constituents.on_behalf and not constituents.names and layout.forwarded_headers:
            forwarded_from = _email_display_name(layout.forwarded_headers[0].get("from", ""))
            if forwarded_from:
                result.constituents = [{"name": forwarded_from.plain, "address": None}]
                result.constituents_phrase = f"your constituent {forwarded_from.plain}"

    result.addressee = _addressee(layout)
    result.letter_date = _letter_date(layout, metadata)
    result.their_reference = layout.their_reference[1] if layout.their_reference else None
    result.cited_reference = layout.cited_reference[1] if layout.cited_reference else None
    result.subject = subject_text(layout) or metadata.get("subject", "")
    result.legislation = [
        {"kind": m.kind, "text": m.text, "value": m.value, "start": m.start, "end": m.end}
        for m in extension.legislation
    ]
    body_start = (
        layout.subject.end
        if layout.subject and layout.subject.start >= layout.body_start
        else layout.body_start
    )
    result.body = text[body_start : layout.body_end].strip() or text[: layout.primary_end].strip()
    result.evidence = list(extension.marks or [])
    return result


def _first_name(lines: list[Line]) -> tuple[PersonName | None, int]:
    for index, line in enumerate(lines):
        text = re.sub(r"^(?:from|signed)\s*:\s*", "", line.text, flags=re.I)
        text = re.sub(r"^(?:best wishes|kind regards|regards|yours sincerely)\s*,\s*", "", text, flags=re.I)
        name = parse_name(text)
        if name:
            return name, index
    return None, -1


def _email_display_name(header: str) -> PersonName | None:
    display = header.split("<")[0].strip().strip('"').strip()
    if not display or "@" in display:
        return None
    if "," in display:  # "Smith, Jane" as Outlook writes it
        surname, _, given = display.partition(",")
        display = f"{given.strip()} {surname.strip()}"
    return parse_name(display)


def _correspondent_type(name: PersonName | None, layout: LetterLayout, role_lines: list[str]) -> str:
    if name and name.legislature_type:
        return name.legislature_type
    texts = role_lines + [ln.text for ln in layout.sender_block + layout.signature]
    for pattern, kind in ROLE_TYPES:
        if any(pattern.search(text) and not re.search(r"\bshadow\b", text, re.I) for text in texts):
            return kind
    return "member-of-public"


def _organisation(layout: LetterLayout, name: PersonName | None) -> str | None:
    for line in layout.sender_block[:2] + layout.signature:
        if (
            ORGANISATION_RE.search(line.text)
            and not parse_name(line.text)
            and not CONTACT_RE.search(line.text)
        ):
            if ROLE_RE.search(line.text) and "," in line.text:
                return line.text.split(",")[-1].strip()
            if not ROLE_RE.search(line.text) or ORGANISATION_RE.search(line.text.split(",")[-1]):
                return line.text.strip()
    return None


def _address(layout: LetterLayout, name: PersonName | None, signature_index: int) -> list[str]:
    block = list(layout.sender_block)
    if block and parse_name(block[0].text):
        block = block[1:]
    lines = [ln.text for ln in block if not ROLE_RE.search(ln.text) and not CONTACT_RE.search(ln.text)]
    if not any(POSTCODE_RE.search(text) or re.search(r"\d", text) for text in lines):
        # No address at the top: public letters often give it under the signature.
        after = layout.signature[signature_index + 1 :] if signature_index >= 0 else []
        candidates = [
            ln.text for ln in after if not ROLE_RE.search(ln.text) and not CONTACT_RE.search(ln.text)
        ]
        start = next((i for i, text in enumerate(candidates) if re.search(r"\d", text)), None)
        if start is None:
            return []
        end = next((i for i, text in enumerate(candidates) if POSTCODE_RE.search(text)), len(candidates) - 1)
        lines = candidates[start : end + 1]
    address: list[str] = []
    for text in lines:
        address += [part.strip() for part in text.split(",") if part.strip()]
    return address


def _addressee(layout: LetterLayout) -> dict:
    lines = [ln.text for ln in layout.recipient_block]
    person = None
    for text in lines[:2]:
        person = parse_name(re.sub(r"^to\s*:\s*", "", text, flags=re.I))
        if person:
            break
    roles = [text for text in lines if MINISTERIAL_ROLE_RE.search(text) and not parse_name(text)]
    departments = [text for text in lines if DEPARTMENT_RE.search(text)]
    salutation = ""
    if layout.salutation:
        match = SALUTATION_NAME_RE.match(layout.salutation.text)
        salutation = match.group("who").strip() if match else ""
    if person is None and layout.email_headers.get("to"):
        person = _email_display_name(layout.email_headers["to"])
    return {
        "name": person.as_dict() if person else None,
        "roles": roles,
        "departments": departments,
        "salutation": salutation,
        "lines": lines,
    }


def _letter_date(layout: LetterLayout, metadata: dict) -> str | None:
    if layout.date_line:
        found = find_dates(layout.date_line.text)
        if found:
            return found[0][2].isoformat()
    for line in layout.header:
        found = find_dates(line.text)
        if found:
            return found[0][2].isoformat()
    for key in ("sent", "date"):
        value = layout.email_headers.get(key)
        if value:
            found = find_dates(value)
            if found:
                return found[0][2].isoformat()
    return metadata.get("sent")
