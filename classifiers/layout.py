"""The layout of a letter: header blocks, date and reference lines, salutation, body, signature.

Works on lines of plain text, the form every intake reader produces. Positions are character
offsets into the text, so the spaCy components can turn each part into a span.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from classifiers.dates import find_dates


@dataclass(frozen=True)
class Line:
    """One line of the letter: where it starts and ends, and its text without edge spaces."""

    start: int
    end: int
    text: str


SALUTATION_RE = re.compile(
    r"^(?:dear|annwyl|hello|hi|good (?:morning|afternoon)|to whom it may concern)\b", re.I
)
SIGN_OFF_RE = re.compile(
    r"^(?:yours\s+(?:sincerely|faithfully|truly|ever|respectfully)|yours\b|(?:with\s+)?(?:kind|best|warm|warmest|many)\s+(?:regards|wishes|thanks)"
    r"|regards|best\b|thanks\b|thank you\b|many thanks|cheers|respectfully|sincerely"
    r"|yn\s+gywir|yn\s+ddiffuant|cofion(?:\s+(?:cynnes|gorau))?)[\s,.!]*",
    re.I,
)
FORWARD_RE = re.compile(
    r"^(?:-{2,}\s*(?:original message|forwarded message)\s*-{2,}|begin forwarded message:"
    r"|on .{5,80} wrote:$|_{5,}$)",
    re.I,
)
EMAIL_HEADER_RE = re.compile(r"^(?P<name>from|sent|date|to|cc|subject)\s*:\s*(?P<value>.*)$", re.I)
REFERENCE_RE = re.compile(
    r"^(?P<label>(?:(?:our|my|your|their)\s+)?ref(?:erence)?(?:\s*(?:no|number))?)\.?\s*[:.\-]?\s*(?P<value>\S.*)$",
    re.I,
)
CONTACT_RE = re.compile(
    r"^(?:tel|telephone|phone|fax|mobile|mob|e-?mail|web|website|twitter|x)\b\.?\s*[:.]?|@|https?://|www\.",
    re.I,
)
NOISE_RE = re.compile(
    r"^(?:by (?:e-?mail|post|hand)|private (?:and|&) confidential|personal|confidential|urgent|sent via email)\.?$",
    re.I,
)
SUBJECT_PREFIX_RE = re.compile(r"^(?:re|subject|ref)\s*:\s*", re.I)
MINISTERIAL_ROLE_RE = re.compile(
    r"\b(?:secretary of state|(?<!shadow )minister\b|home secretary|foreign secretary|lord chancellor"
    r"|justice secretary|prime minister|chancellor of the exchequer|solicitor general|attorney general"
    r"|under[- ]secretary)",
    re.I,
)
DEPARTMENT_RE = re.compile(
    r"\b(?:ministry of|home office|department for|department of|cabinet office|hm treasury|office for)",
    re.I,
)
GOVERNMENT_ADDRESS_RE = re.compile(r"\b(?:petty france|marsham street|downing street|whitehall)\b", re.I)


# The three above as one case-sensitive pattern over a lower-cased line: one pass instead of three
# case-insensitive ones, for every line of every letter's header.
_RECIPIENT_LOWER = re.compile(
    "|".join(p.pattern for p in (MINISTERIAL_ROLE_RE, DEPARTMENT_RE, GOVERNMENT_ADDRESS_RE))
)


def is_recipient_line(text: str) -> bool:
    """Tell whether a header line addresses a minister or a department."""
    return bool(_RECIPIENT_LOWER.search(text.lower()))


POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")


@dataclass
class LetterLayout:
    """Where each part of a letter is."""

    lines: list[Line]
    primary_end: int
    salutation: Line | None = None
    sign_off: Line | None = None
    signature: list[Line] = field(default_factory=list)
    header: list[Line] = field(default_factory=list)
    sender_block: list[Line] = field(default_factory=list)
    recipient_block: list[Line] = field(default_factory=list)
    date_line: Line | None = None
    their_reference: tuple[Line, str] | None = None
    cited_reference: tuple[Line, str] | None = None
    subject: Line | None = None
    contact_lines: list[Line] = field(default_factory=list)
    body_start: int = 0
    body_end: int = 0
    email_headers: dict[str, str] = field(default_factory=dict)
    forwarded_headers: list[dict[str, str]] = field(default_factory=list)


def split_lines(text: str) -> list[Line]:
    """Split text into Lines with character offsets of their stripped text."""
    lines, offset = [], 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        start = offset + (len(raw) - len(raw.lstrip()))
        lines.append(Line(start, start + len(stripped), stripped))
        offset += len(raw) + 1
    return lines


def _blocks(lines: list[Line]) -> list[list[Line]]:
    blocks, current = [], []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def is_date_line(text: str) -> bool:
    """Tell whether a line is just a date (optionally 'Date:' and a date)."""
    if not any(ch.isdigit() for ch in text):
        return False
    cleaned = re.sub(r"^date\s*[:.]?\s*", "", text, flags=re.I)
    found = find_dates(cleaned)
    if not found:
        return False
    start, end, _ = found[0]
    return len(cleaned) - (end - start) <= 3


def _reference(text: str) -> tuple[str, str] | None:
    match = REFERENCE_RE.match(text)
    if not match:
        return None
    value = match.group("value").strip()
    # A reference is a code (digits, letters, slashes), not a subject line such as "Ref: the Bill".
    if len(value) > 40 or not re.search(r"\d", value) or len(value.split()) > 3:
        return None
    label = match.group("label").lower()
    return ("cited" if label.startswith("your") else "theirs"), value


def analyse_layout(text: str) -> LetterLayout:
    """Find the parts of a letter in `text`."""
    lines = split_lines(text)
    layout = LetterLayout(lines=lines, primary_end=len(text))

    # Email headers pasted at the very top describe the letter itself; a forwarding marker or
    # a second header block further down starts quoted material the writer is passing on.
    index = 0
    while index < len(lines) and (not lines[index].text or EMAIL_HEADER_RE.match(lines[index].text)):
        match = EMAIL_HEADER_RE.match(lines[index].text)
        if match:
            layout.email_headers[match.group("name").lower()] = match.group("value").strip()
        index += 1
    if not layout.email_headers:
        index = 0
    first_content = index
    for position in range(first_content + 1, len(lines)):
        line = lines[position]
        # Every forwarding marker holds a colon or opens with a rule (--- or ___): skip other lines.
        if ":" not in line.text and not line.text.startswith(("-", "_")):
            continue
        header = EMAIL_HEADER_RE.match(line.text)
        starts_forward = FORWARD_RE.match(line.text) or (
            header
            and header.group("name").lower() == "from"
            and any(EMAIL_HEADER_RE.match(n.text) for n in lines[position + 1 : position + 4])
        )
        if starts_forward:
            layout.primary_end = line.start
            layout.forwarded_headers = _forwarded_headers(lines[position:])
            break
    primary = [line for line in lines[first_content:] if line.start < layout.primary_end]

    for line in primary:
        if SALUTATION_RE.match(line.text):
            layout.salutation = line
            break
    after_salutation = primary[primary.index(layout.salutation) + 1 :] if layout.salutation else primary
    for position, line in enumerate(after_salutation):
        if _is_sign_off(line.text):
            layout.sign_off = line
            layout.signature = _signature(after_salutation[position + 1 :])
            break

    if layout.salutation:
        layout.header = primary[: primary.index(layout.salutation)]
    else:
        layout.header = primary[: next((i for i, ln in enumerate(primary) if len(ln.text) > 90), 0)]
    _read_header(layout)

    body_lines = after_salutation
    if layout.sign_off:
        body_lines = after_salutation[: after_salutation.index(layout.sign_off)]
    content = [line for line in body_lines if line.text]
    if content and layout.salutation:
        following = lines[lines.index(content[0]) + 1] if content[0] != lines[-1] else None
        standalone = following is None or not following.text
        if _looks_like_subject(content[0].text, standalone):
            layout.subject = content[0]
    if layout.subject is None:
        for line in layout.header:
            if SUBJECT_PREFIX_RE.match(line.text) and not _reference(line.text):
                layout.subject = line
                break
    layout.body_start = content[0].start if content else 0
    layout.body_end = content[-1].end if content else layout.primary_end
    return layout


def _is_sign_off(text: str) -> bool:
    # "Yours sincerely," or "Best wishes, Jane" - short, and not a sentence of the body.
    return (
        len(text) <= 40
        and bool(SIGN_OFF_RE.match(text))
        and not text.endswith(("?", "."))
        and (len(text.split()) <= 4 or "," in text)
    )


def _signature(lines: list[Line]) -> list[Line]:
    collected: list[Line] = []
    blanks = 0
    for line in lines:
        if not line.text:
            if collected:
                break
            blanks += 1
            if blanks > 4:
                break
            continue
        collected.append(line)
        if len(collected) == 8:
            break
    return collected


def _forwarded_headers(lines: list[Line]) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for line in lines:
        match = EMAIL_HEADER_RE.match(line.text)
        if match:
            name = match.group("name").lower()
            if name == "from" and current:
                found.append(current)
                current = {}
            current[name] = match.group("value").strip()
    if current:
        found.append(current)
    return found


def _looks_like_subject(text: str, standalone: bool) -> bool:
    # A heading line: "Re: ...", or a short line standing alone that does not end as a sentence.
    if SUBJECT_PREFIX_RE.match(text):
        return True
    return standalone and len(text) <= 110 and not text.endswith((".", ",", ":", "?", "!"))


def _read_header(layout: LetterLayout) -> None:
    kept: list[Line] = []
    for line in layout.header:
        if not line.text:
            kept.append(line)
            continue
        reference = _reference(line.text)
        if reference:
            kind, value = reference
            if kind == "cited":
                layout.cited_reference = layout.cited_reference or (line, value)
            else:
                layout.their_reference = layout.their_reference or (line, value)
            continue
        if layout.date_line is None and is_date_line(line.text):
            layout.date_line = line
            continue
        if CONTACT_RE.search(line.text):
            layout.contact_lines.append(line)
            continue
        if NOISE_RE.match(line.text) or (SUBJECT_PREFIX_RE.match(line.text)):
            continue
        kept.append(line)
    blocks = _blocks(kept)
    recipient_index = next(
        (i for i, block in enumerate(blocks) if any(is_recipient_line(ln.text) for ln in block)),
        None,
    )
    if recipient_index is not None:
        layout.recipient_block = blocks[recipient_index]
        others = [b for i, b in enumerate(blocks) if i != recipient_index]
        before = [b for i, b in enumerate(blocks) if i < recipient_index]
        layout.sender_block = (before or others or [[]])[0]
    elif blocks:
        layout.sender_block = blocks[0]
        if len(blocks) > 1:
            layout.recipient_block = blocks[1]


def subject_text(layout: LetterLayout) -> str:
    """The subject of the letter as the writer gave it, without a 'Re:' prefix."""
    if layout.subject:
        return SUBJECT_PREFIX_RE.sub("", layout.subject.text).strip()
    return layout.email_headers.get("subject", "")
