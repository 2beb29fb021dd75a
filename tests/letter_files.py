"""Build letter files of every supported kind from text, so tests need no binary fixtures."""

from __future__ import annotations

import datetime as dt
import email.message
import email.policy
import email.utils
import io
import struct
import uuid
from dataclasses import dataclass, field

import docx
import numpy as np
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFilter, ImageFont

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for line in text.split("\n"):
        pdf.multi_cell(
            0, 6, line.encode("latin-1", "replace").decode("latin-1") or " ", new_x="LMARGIN", new_y="NEXT"
        )
    return bytes(pdf.output())


def eml_bytes(
    body: str,
    *,
    sender: str = "Jane Example <jane@example.org>",
    html: str | None = None,
    attachment: tuple[str, bytes, str] | None = None,
    date: str = "Tue, 14 Apr 2009 10:15:00 +0100",
) -> bytes:
    message = email.message.EmailMessage(policy=email.policy.default)
    message["From"] = sender
    message["To"] = "Correspondence Unit <correspondence@justice.example>"
    message["Subject"] = "Letter to the minister"
    message["Date"] = date
    message.set_content(body)
    if html:
        message.add_alternative(html, subtype="html")
    if attachment:
        name, data, media_type = attachment
        maintype, subtype = media_type.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


# --- Scanned post: a letter drawn as a picture, with no text layer ---


def scan_image(text: str, *, size: int = 24, poor: bool = False) -> Image.Image:
    """The letter drawn in black on white with Pillow's default font, `size` pixels high.

    With poor=True it looks like a bad photocopy: grey on grey, blurred and speckled.
    """
    font = ImageFont.load_default(size=size)
    lines = text.split("\n")
    margin, line_height = size * 2, round(size * 1.4)
    width = round(max(font.getlength(line) for line in lines)) + 2 * margin
    image = Image.new("L", (width, line_height * len(lines) + 2 * margin), 255)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((margin, margin + number * line_height), line, font=font, fill=0)
    if poor:
        image = image.filter(ImageFilter.GaussianBlur(1.5)).point(lambda v: 120 + v * 60 // 255)
        noise = np.random.default_rng(7).normal(0, 4, (image.height, image.width))
        image = Image.fromarray(np.clip(np.asarray(image) + noise, 0, 255).astype("uint8"))
    return image


def image_bytes(image: Image.Image, format: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format, **options)
    return buffer.getvalue()


def scan_pdf_bytes(image: Image.Image, *, dpi: int = 300, typed_first_page: str | None = None) -> bytes:
    """An image-only PDF page the size of the image at `dpi`, holding just the picture.

    With typed_first_page, a page with a text layer comes first (a typed letter and a scanned enclosure).
    """
    width, height = (pixels / dpi * 25.4 for pixels in image.size)
    pdf = FPDF(unit="mm", format=(width, height))
    if typed_first_page:
        pdf.add_page(format="A4")
        pdf.set_font("Helvetica", size=10)
        pdf.multi_cell(0, 5, typed_first_page)
    pdf.add_page()
    pdf.image(io.BytesIO(image_bytes(image)), x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


# --- Outlook .msg: MAPI properties (MS-OXMSG) in an OLE compound file (MS-CFB, version 3) ---

_PT_LONG, _PT_SYSTIME, _PT_UNICODE, _PT_BINARY = 0x0003, 0x0040, 0x001F, 0x0102
_READABLE_WRITABLE = 0x6
_STORE_UNICODE_OK = 0x00040000
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
_MSG_CLSID = uuid.UUID("00020D0B-0000-0000-C000-000000000046").bytes_le
_SECTOR, _MINI_SECTOR, _MINI_CUTOFF = 512, 64, 4096
_FREE, _END_OF_CHAIN, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


@dataclass
class _Node:
    """A storage (children, no data) or a stream (data) of a compound file."""

    name: str
    data: bytes | None = None
    children: list[_Node] = field(default_factory=list)
    clsid: bytes = bytes(16)
    # Set when the file is laid out.
    id: int = 0
    left: int = _NO_STREAM
    right: int = _NO_STREAM
    child: int = _NO_STREAM
    start: int = _END_OF_CHAIN


def msg_bytes(
    body: str,
    *,
    sender: tuple[str, str] = ("Jane Example", "jane@example.org"),
    subject: str = "Letter to the minister",
    sent: dt.datetime = dt.datetime(2009, 4, 14, 9, 15, tzinfo=dt.UTC),
    html: str | None = None,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    message_class: str = "IPM.Note",
) -> bytes:
    """An Outlook item as Outlook saves it: by default a received email with Unicode string properties."""
    name, address = sender
    message = [
        (0x001A, _PT_UNICODE, message_class),
        (0x0037, _PT_UNICODE, subject),
        (0x0039, _PT_SYSTIME, sent),
        (0x0C1A, _PT_UNICODE, name),
        (0x0C1E, _PT_UNICODE, "SMTP"),
        (0x0C1F, _PT_UNICODE, address),
        (0x5D01, _PT_UNICODE, address),
        (0x0E04, _PT_UNICODE, "Correspondence Unit"),
        (0x0E06, _PT_SYSTIME, sent),
        (0x0E07, _PT_LONG, 1),  # MSGFLAG_READ: a received message, not an unsent draft
        (0x1000, _PT_UNICODE, body.replace("\n", "\r\n")),
        (0x340D, _PT_LONG, _STORE_UNICODE_OK),
    ]
    if html is not None:
        message.append((0x1013, _PT_BINARY, html.encode("utf-8")))
    recipient = [
        (0x0C15, _PT_LONG, 1),  # MAPI_TO
        (0x3001, _PT_UNICODE, "Correspondence Unit"),
        (0x3002, _PT_UNICODE, "SMTP"),
        (0x3003, _PT_UNICODE, "correspondence@justice.example"),
        (0x39FE, _PT_UNICODE, "correspondence@justice.example"),
    ]
    root = _Node("Root Entry", clsid=_MSG_CLSID)
    root.children = [
        *_property_nodes(message, header=_message_header(len(attachments))),
        _Node("__nameid_version1.0", children=[_Node(f"__substg1.0_000{n}0102", b"") for n in (2, 3, 4)]),
        _Node("__recip_version1.0_#00000000", children=_property_nodes(recipient, header=bytes(8))),
    ]
    for number, (filename, data, media_type) in enumerate(attachments):
        attachment = [
            (0x0E21, _PT_LONG, number),
            (0x3001, _PT_UNICODE, filename),
            (0x3701, _PT_BINARY, data),
            (0x3703, _PT_UNICODE, filename[filename.rfind(".") :]),
            (0x3704, _PT_UNICODE, filename),
            (0x3705, _PT_LONG, 1),  # ATTACH_BY_VALUE
            (0x3707, _PT_UNICODE, filename),
            (0x370E, _PT_UNICODE, media_type),
        ]
        storage = f"__attach_version1.0_#{number:08X}"
        root.children.append(_Node(storage, children=_property_nodes(attachment, header=bytes(8))))
    return _compound_file(root)


def _message_header(attachments: int) -> bytes:
    """The top-level property stream's header: next recipient and attachment ids, and counts."""
    return bytes(8) + struct.pack("<IIII", 1, attachments, 1, attachments) + bytes(8)


def _property_nodes(properties: list[tuple[int, int, object]], *, header: bytes) -> list[_Node]:
    """The __properties_version1.0 stream, and a __substg1.0_ stream per variable-length value."""
    entries, streams = [header], []
    for prop_id, prop_type, value in properties:
        tag = prop_id << 16 | prop_type
        if prop_type == _PT_LONG:
            fixed = struct.pack("<I4x", value)
        elif prop_type == _PT_SYSTIME:
            fixed = struct.pack(
                "<Q", int((value - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10**7)
            )
        else:
            data = value.encode("utf-16-le") if prop_type == _PT_UNICODE else value
            # A string's size counts its terminating null, which the stream leaves out.
            fixed = struct.pack("<I4x", len(data) + (2 if prop_type == _PT_UNICODE else 0))
            streams.append(_Node(f"__substg1.0_{tag:08X}", data))
        entries.append(struct.pack("<II", tag, _READABLE_WRITABLE) + fixed)
    return [_Node("__properties_version1.0", b"".join(entries)), *streams]


def _compound_file(root: _Node) -> bytes:
    """Lay out a compound file: FAT, directory, mini FAT, mini stream, then the large streams."""
    nodes = _number(root, [])
    small = [n for n in nodes if n.data is not None and 0 < len(n.data) < _MINI_CUTOFF]
    large = [n for n in nodes if n.data is not None and len(n.data) >= _MINI_CUTOFF]
    mini_stream, mini_fat = bytearray(), []
    for node in small:
        node.start = len(mini_stream) // _MINI_SECTOR
        count = -(-len(node.data) // _MINI_SECTOR)
        mini_fat += [*range(node.start + 1, node.start + count), _END_OF_CHAIN]
        mini_stream += node.data.ljust(count * _MINI_SECTOR, b"\0")
    runs = {
        "directory": -(-len(nodes) // 4),
        "mini_fat": -(-len(mini_fat) * 4 // _SECTOR),
        "mini_stream": -(-len(mini_stream) // _SECTOR),
        **{id(n): -(-len(n.data) // _SECTOR) for n in large},
    }
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + sum(runs.values()):
        fat_sectors += 1
    fat, starts = [_FAT_SECTOR] * fat_sectors, {}
    for key, count in runs.items():
        starts[key] = len(fat) if count else _END_OF_CHAIN
        fat += [*range(len(fat) + 1, len(fat) + count), _END_OF_CHAIN][:count]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))
    root.start, root_size = starts["mini_stream"], len(mini_stream)
    for node in large:
        node.start = starts[id(node)]
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        bytes.fromhex("D0CF11E0A1B11AE1"), bytes(16), 0x3E, 3, 0xFFFE, 9, 6, bytes(6),
        0, fat_sectors, starts["directory"], 0, _MINI_CUTOFF, starts["mini_fat"], runs["mini_fat"],
        _END_OF_CHAIN, 0, *range(fat_sectors), *[_FREE] * (109 - fat_sectors),
    )  # fmt: skip
    directory = b"".join(_directory_entry(n, root_size if n is root else len(n.data or b"")) for n in nodes)
    directory += _unused_entry() * (runs["directory"] * 4 - len(nodes))
    parts = [
        struct.pack(f"<{len(fat)}I", *fat),
        directory,
        struct.pack(f"<{len(mini_fat)}I", *mini_fat),
        bytes(mini_stream),
        *(n.data for n in large),
    ]
    return header + b"".join(part.ljust(-(-len(part) // _SECTOR) * _SECTOR, b"\0") for part in parts)


def _number(node: _Node, nodes: list[_Node]) -> list[_Node]:
    """Give every node its directory id, and each storage's children a binary search tree."""
    node.id = len(nodes)
    nodes.append(node)
    for child in node.children:
        _number(child, nodes)
    # Siblings are ordered by name length, then by upper-cased name; every node is black.
    node.child = _tree(sorted(node.children, key=lambda n: (len(n.name), n.name.upper())))
    return nodes


def _tree(ordered: list[_Node]) -> int:
    """Link sorted siblings into a balanced tree and return its root's id."""
    if not ordered:
        return _NO_STREAM
    middle = len(ordered) // 2
    top = ordered[middle]
    top.left, top.right = _tree(ordered[:middle]), _tree(ordered[middle + 1 :])
    return top.id


_DIRECTORY_ENTRY = struct.Struct("<64sHBBIII16sIQQIQ")


def _directory_entry(node: _Node, size: int) -> bytes:
    """A 128-byte directory entry: a storage starts at sector 0, an empty stream nowhere."""
    kind = 5 if node.id == 0 else (1 if node.data is None else 2)
    start = 0 if kind == 1 else (node.start if size or kind == 5 else _END_OF_CHAIN)
    name = (node.name + "\0").encode("utf-16-le")
    black = 1
    return _DIRECTORY_ENTRY.pack(
        name, len(name), kind, black, node.left, node.right, node.child, node.clsid, 0, 0, 0, start, size
    )


def _unused_entry() -> bytes:
    return _DIRECTORY_ENTRY.pack(b"", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM, bytes(16), 0, 0, 0, 0, 0)
