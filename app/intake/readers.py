"""Readers for each file type a letter can arrive in."""

from __future__ import annotations

import email
import email.message
import email.policy
import email.utils
import hashlib
import html.parser
import io
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import docx
import extract_msg
import extract_msg.exceptions
import extract_msg.msg_classes
import olefile
import pypdf
import pypdf.errors

from app.intake import ocr
from app.intake.base import MIN_LETTERS, IntakeError
from app.intake.scans import ocr_image, read_image, read_scanned_pdf_pages

MEDIA_TYPES = {
    ".txt": "text/plain",
    ".eml": "message/rfc822",
    ".msg": "application/vnd.ms-outlook",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
}
SUPPORTED_EXTENSIONS = tuple(MEDIA_TYPES)


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


# How the libraries report a damaged file. python-docx and lxml raise KeyError for a missing part,
# ValueError or SyntaxError for broken XML, and zlib or zip errors for a broken archive; pypdf
# raises its own errors, and NotImplementedError for a compression filter it does not support
# (a reader's limit, not ours: the file is refused with the reason rather than half-read).
DAMAGED_DOCX = (
    KeyError,
    ValueError,
    SyntaxError,
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    OSError,
)
DAMAGED_PDF = (pypdf.errors.PyPdfError, NotImplementedError, ValueError, KeyError, TypeError)


def _read_docx(content: bytes) -> tuple[str, dict]:
    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise IntakeError("not a Word document: a .docx file must be a zip archive, this one is not")
    try:
        document = docx.Document(io.BytesIO(content))
    except DAMAGED_DOCX as error:
        raise IntakeError(
            "not a readable Word document: the file is damaged or only looks like a .docx"
        ) from error
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = [cell.text.strip() for cell in row.cells]
            lines.append("  ".join(c for c in cells if c))
    props = document.core_properties
    metadata = {"author": props.author or None, "title": props.title or None}
    return "\n".join(lines), {k: v for k, v in metadata.items() if v}


def _read_pdf(content: bytes) -> tuple[str, dict]:
    """The text layer of each page; a page without one (a scan) is drawn and read by OCR."""
    if not content.lstrip().startswith(b"%PDF-"):
        raise IntakeError("not a PDF: the file does not start with a PDF header")
    try:
        reader = pypdf.PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise IntakeError("the PDF is password-protected; ask the sender for an open copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DAMAGED_PDF as error:
        raise IntakeError(f"the PDF is damaged and cannot be read ({_reason(error)})") from error
    metadata: dict = {"pages": len(pages)}
    scanned = [number for number, text in enumerate(pages) if not any(ch.isalpha() for ch in text)]
    if not scanned:
        return "\n\n".join(pages), metadata
    result = read_scanned_pdf_pages(content, scanned)
    if result.readable_letters >= MIN_LETTERS:
        metadata["ocr"] = result.metadata()
        for number, text in zip(scanned, result.page_texts, strict=True):
            pages[number] = text
    text = "\n\n".join(page for page in pages if page.strip())
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        found = "its pages are blank" if result.pages == 0 else "OCR found no readable text in it"
        raise IntakeError(f"the PDF has no text layer (it looks like a scan) and {found}")
    return text, metadata


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
# An attached scan of these types may be the letter too, when no document above is attached.
_ATTACHED_SCAN_TYPES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")


@dataclass(frozen=True)
class _Attachment:
    """A file attached to an email: inline ones are pictures shown in the body (logos, signatures)."""

    name: str
    payload: bytes
    inline: bool

    @property
    def extension(self) -> str:
        return Path(self.name).suffix.lower()


def _read_eml(content: bytes) -> tuple[str, dict]:
    """An email: the letter is its body, or a letter attached to it."""
    message = email.message_from_bytes(content, policy=email.policy.default)
    if not (message["From"] or message["Subject"] or message["To"]):
        raise IntakeError("not an email: no From, To or Subject header")
    metadata: dict = {
        "from": str(message["From"] or ""),
        "to": str(message["To"] or ""),
        "subject": str(message["Subject"] or ""),
    }
    metadata.update(_sent_on(message["Date"]))
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
    attachments = [
        _Attachment(part.get_filename() or "", part.get_payload(decode=True) or b"", _shown_in_body(part))
        for part in message.iter_attachments()
    ]
    return _letter_in(body, attachments, metadata)


def _shown_in_body(part: email.message.EmailMessage) -> bool:
    """An inline part, or one the HTML body refers to by Content-ID, rather than a file sent."""
    disposition = part.get_content_disposition()
    return disposition == "inline" or (bool(part["Content-ID"]) and disposition != "attachment")


def _sent_on(date_header: object) -> dict:
    """{"sent": "YYYY-MM-DD"} from an email's Date header, as the sender dated it; {} without one."""
    if not date_header:
        return {}
    try:
        return {"sent": email.utils.parsedate_to_datetime(str(date_header)).date().isoformat()}
    except (TypeError, ValueError):
        return {}


def _read_msg(content: bytes) -> tuple[str, dict]:
    """An Outlook message (.msg): sender, date, subject, and the letter as for an .eml file."""
    if not olefile.isOleFile(data=content):
        raise IntakeError("not an Outlook message: a .msg file must be an OLE compound file, this one is not")
    try:
        message = extract_msg.openMsg(content)
    except (extract_msg.exceptions.ExMsgBaseException, OSError, ValueError) as error:
        raise IntakeError(f"not a readable Outlook message ({_reason(error)})") from error
    try:
        metadata, body, attachments = _msg_parts(message)
    except (extract_msg.exceptions.ExMsgBaseException, OSError, ValueError, KeyError) as error:
        raise IntakeError(f"the Outlook message is damaged and cannot be read ({_reason(error)})") from error
    finally:
        message.close()
    return _letter_in(body, attachments, metadata)


def _msg_parts(message: extract_msg.msg_classes.MessageBase) -> tuple[dict, str, list[_Attachment]]:
    """The headers (as for .eml), the body (plain, else the HTML as text) and the attached files."""
    metadata: dict = {
        "from": message.sender or "",
        "to": message.to or "",
        "subject": message.subject or "",
    }
    # The Date header: from the transport headers, else made by extract_msg from the submit time.
    metadata.update(_sent_on(message.header["Date"]))
    body = message.body or ""
    if not body.strip() and message.htmlBody:
        body = html_to_text(_decode(message.htmlBody))
    attachments = [
        _Attachment(attachment.name or "", attachment.data, _msg_inline(attachment))
        for attachment in message.attachments
        if isinstance(attachment.data, bytes)
    ]
    return metadata, body, attachments


def _msg_inline(attachment) -> bool:
    """Outlook marks a picture shown in the body as hidden, or gives it a Content-ID (a signed
    message's attachments have neither)."""
    return bool(getattr(attachment, "hidden", False) or getattr(attachment, "cid", None))


def _letter_in(body: str, attachments: list[_Attachment], metadata: dict) -> tuple[str, dict]:
    """The letter in an email: the first attached document, else the attached scans OCR can read
    (as the pages of one letter), else the body. An attached letter keeps the body as covering note.
    """
    documents = [a for a in attachments if a.extension in _ATTACHED_LETTER_TYPES]
    if documents:
        letter = documents[0]
        try:
            text, found = _READERS[letter.extension](letter.payload)
        except IntakeError as error:
            raise IntakeError(f"the attachment {letter.name} cannot be read: {error}") from error
        if "ocr" in found:  # a scanned PDF keeps what OCR made of it
            metadata = {**metadata, "ocr": found["ocr"]}
        return _attached(text, [letter.name], body, metadata)
    read = [
        (scan.name, result)
        for scan in attachments
        if scan.extension in _ATTACHED_SCAN_TYPES and not scan.inline
        if (result := _scan_or_none(scan)) is not None
    ]
    if read:
        result = ocr.OcrResult.combine([r for _, r in read])
        return _attached(
            result.text, [name for name, _ in read], body, {**metadata, "ocr": result.metadata()}
        )
    return body, metadata


def _scan_or_none(scan: _Attachment) -> ocr.OcrResult | None:
    """OCR an attached image; one OCR cannot read (a photo, a logo) is not the letter, so None."""
    try:
        return ocr_image(scan.payload)
    except ocr.OcrUnavailable:
        raise
    except IntakeError:
        return None


def _attached(text: str, names: list[str], body: str, metadata: dict) -> tuple[str, dict]:
    """An attached letter's text, with which attachment it was and the body as covering note."""
    metadata = {**metadata, "letter_attachment": ", ".join(names)}
    if body.strip():
        metadata["covering_note"] = body.strip()
    return text, metadata


def _reason(error: Exception) -> str:
    """An exception as a short phrase on one line."""
    return " ".join(str(error).split())[:200] or error.__class__.__name__


_READERS = {
    ".txt": _read_txt,
    ".eml": _read_eml,
    ".msg": _read_msg,
    ".docx": _read_docx,
    ".pdf": _read_pdf,
    ".png": read_image,
    ".jpg": read_image,
    ".jpeg": read_image,
    ".tif": read_image,
    ".tiff": read_image,
}
