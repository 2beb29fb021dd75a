"""Build letter files of every supported kind from text, so tests need no binary fixtures."""

from __future__ import annotations

import email.message
import email.policy
import email.utils
import io

import docx
from fpdf import FPDF

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
