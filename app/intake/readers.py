"""Readers for each file type a letter can arrive in."""

from __future__ import annotations

import email
import email.policy
import email.utils
import hashlib
import html.parser
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import docx
import pypdf
import pypdf.errors

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".eml": "message/rfc822",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
}
SUPPORTED_EXTENSIONS = tuple(MEDIA_TYPES)
# Fewer letters than this is not a letter we can read (an empty page, a scan with no text layer).
MIN_LETTERS = 20


class IntakeError(ValueError):
    """A file that cannot be taken in; the message is one line a user can act on."""


@dataclass(frozen=True)
class IncomingLetter:
    """One letter as read from one file: its text, the original bytes and what the file said."""

    filename: str
    media_type: str
    content: bytes
    text: str
    metadata: dict = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        """The content hash that makes re-importing the same file a no-op."""
        return hashlib.sha256(self.content).hexdigest()


def read_path(path: str | Path) -> IncomingLetter:
    """Read a letter from a file on disk."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except OSError as error:
        raise IntakeError(f"cannot read the file: {error.strerror}") from error
    return read_letter(path.name, content)


def read_letter(filename: str, content: bytes) -> IncomingLetter:
    """Read a letter from a file's name and bytes, or raise IntakeError saying why not."""
    extension = Path(filename).suffix.lower()
    if extension not in MEDIA_TYPES:
        shown = extension or "no extension"
        raise IntakeError(f"unsupported file type ({shown}); mincorr reads {', '.join(SUPPORTED_EXTENSIONS)}")
    if not content.strip():
        raise IntakeError("the file is empty")
    text, metadata = _READERS[extension](content)
    text = normalise_text(text)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise IntakeError("no readable text in the file")
    return IncomingLetter(filename, MEDIA_TYPES[extension], content, text, metadata)


def iter_letter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Yield the files named, and the files inside folders named (sorted, hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(p.startswith(".") for p in child.relative_to(path).parts):
                    yield child
        else:
            yield path


def normalise_text(text: str) -> str:
    """Tidy line endings and spacing without changing the words."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    text = text.replace("\u200b", "").replace("\ufeff", "")
    lines = [line.rstrip() for line in text.split("\n")]
    text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def _read_txt(content: bytes) -> tuple[str, dict]:
    return _decode(content), {}


def _decode(content: bytes, charset: str | None = None) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    for encoding in filter(None, (charset, "utf-8")):
        try:
            return content.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    # Windows-1252 decodes any byte; it is what old Word-era plain text usually is.
    return content.decode("cp1252", errors="replace")


def _read_docx(content: bytes) -> tuple[str, dict]:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise IntakeError("not a Word document: a .docx file must be a zip archive, this one is not")
    try:
        document = docx.Document(io.BytesIO(content))
    except (KeyError, ValueError, zipfile.BadZipFile) as error:
        raise IntakeError(f"not a readable Word document ({error.__class__.__name__})") from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            lines.append("  ".join(c for c in cells if c))
    props = document.core_properties
    metadata = {"author": props.author or None, "title": props.title or None}
    return "\n".join(lines), {k: v for k, v in metadata.items() if v}


def _read_pdf(content: bytes) -> tuple[str, dict]:
    if not content.lstrip().startswith(b"%PDF-"):
        raise IntakeError("not a PDF: the file does not start with a PDF header")
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise IntakeError("the PDF is password-protected; ask the sender for an open copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except pypdf.errors.PdfReadError as error:
        raise IntakeError(f"the PDF is damaged and cannot be read ({error})") from error
    text = "\n\n".join(pages)
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        raise IntakeError("the PDF has no text layer (it looks like a scan); scanned post cannot be read yet")
    return text, {"pages": len(pages)}


class _HTMLText(html.parser.HTMLParser):
    """Plain text of an HTML email part: block elements become line breaks."""

    BLOCKS: ClassVar[frozenset[str]] = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"}
    )

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head"):
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Return the readable text of an HTML fragment."""
    parser = _HTMLText()
    parser.feed(markup)
    return re.sub(r"[ \t]+", " ", "".join(parser.parts))


# An attachment of these types may be the letter itself, with the email body a covering note.
_ATTACHED_LETTER_TYPES = (".docx", ".pdf", ".txt")


def _read_eml(content: bytes) -> tuple[str, dict]:
    message = email.message_from_bytes(content, policy=email.policy.default)
    if not (message["From"] or message["Subject"] or message["To"]):
        raise IntakeError("not an email: no From, To or Subject header")
    metadata: dict = {
        "from": str(message["From"] or ""),
        "to": str(message["To"] or ""),
        "subject": str(message["Subject"] or ""),
    }
    if message["Date"]:
        try:
            sent = email.utils.parsedate_to_datetime(str(message["Date"]))
            metadata["sent"] = sent.date().isoformat()
        except (TypeError, ValueError):
            pass
    body = ""
    # Prefer the plain-text part, but some mail programs send it empty beside the HTML one.
    for preference in ("plain", "html"):
        part = message.get_body(preferencelist=(preference,))
        if part is None:
            continue
        content = part.get_content()
        body = html_to_text(content) if preference == "html" else content
        if body.strip():
            break
    attached = []
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if Path(name).suffix.lower() in _ATTACHED_LETTER_TYPES:
            payload = part.get_payload(decode=True) or b""
            try:
                attached.append((name, *_READERS[Path(name).suffix.lower()](payload)))
            except IntakeError as error:
                raise IntakeError(f"the attachment {name} cannot be read: {error}") from error
    if attached:
        name, text, _ = attached[0]
        metadata["letter_attachment"] = name
        if body.strip():
            metadata["covering_note"] = body.strip()
        return text, metadata
    return body, metadata


_READERS = {".txt": _read_txt, ".eml": _read_eml, ".docx": _read_docx, ".pdf": _read_pdf}
