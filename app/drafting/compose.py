"""Composing a reply: the facts of the case in, the text of a draft (and its citations) out."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import jinja2
from docx.shared import Pt

from app import store

# Letters written more than this long before they arrived are answered with the year in full
# ("your letter of 2 March 2008"); otherwise the reader knows which letter is meant.
YEAR_NEEDED_AFTER = dt.timedelta(days=180)


@dataclass(frozen=True)
class Draft:
    """A composed reply: its text, which template made it, and the line versions it quotes."""

    text: str
    template: str
    citations: list[dict]


def template_environment(shipped_dir: Path, override_dir: Path | None = None) -> jinja2.Environment:
    """The Jinja2 environment for replies; a department's own folder overrides shipped templates.

    StrictUndefined makes a missing value an error rather than a letter that says "Dear ,".
    """
    folders = [str(override_dir)] if override_dir else []
    folders.append(str(shipped_dir))
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def templates_for(settings) -> jinja2.Environment:
    """The reply templates a deployment uses: its own folder (if set) over the shipped ones."""
    return template_environment(settings.templates_dir, settings.override_templates_dir)


def format_long_date(day: dt.date, with_year: bool = True) -> str:
    """'1 May 2009' (or '1 May'), the form of dates in a reply."""
    text = f"{day.day} {day:%B}"
    return f"{text} {day.year}" if with_year else text


def letter_date_phrase(letter_date: dt.date | None, received: dt.date) -> str:
    """How the reply names the incoming letter's date: '14 April', or with the year if it is old."""
    if letter_date is None:
        return ""
    return format_long_date(letter_date, with_year=received - letter_date > YEAR_NEEDED_AFTER)


def compose_draft(environment: jinja2.Environment, template_name: str, context: dict) -> Draft:
    """Render a reply template with `context` and tidy the spacing of the result."""
    text = environment.get_template(template_name).render(**context)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    line = context.get("line")
    citations = (
        [
            {"line_id": line["id"], "version": line["version"], "paragraph": index}
            for index, _ in enumerate(line["paragraphs"])
        ]
        if line
        else []
    )
    return Draft(text=text, template=template_name, citations=citations)


def export_draft(db, case: dict, fmt: str, actor: str) -> tuple[dict, str | bytes]:
    """The latest draft of a case as text or as a Word document, with the export audited.

    Returns (draft record, content); raises LookupError if the case has no draft yet.
    """
    draft = store.latest_draft(db, case["id"])
    if draft is None:
        raise LookupError(f"{case['reference']} has no draft yet")
    content: str | bytes = draft["text"]
    if fmt == "docx":
        content = draft_to_docx(draft["text"], letterhead(db))
    store.record_event(
        db,
        at=store.utc_now(),
        actor=actor,
        action="draft exported",
        case_id=case["id"],
        detail={"version": draft["version"], "format": fmt},
    )
    return draft, content


DOCX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def letterhead(db) -> list[str]:
    """The lines printed at the head of a reply: the department's name, then its address."""
    department = store.own_department(db)
    return [department["name"], *department["address"]]


def draft_to_docx(text: str, letterhead: list[str]) -> bytes:
    """The draft as a Word document: the letterhead at the top, one paragraph per block of text.

    A block in capitals is the subject line and is set in bold; the address block and the
    signature keep their line breaks.
    """
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(12)
    for line in letterhead:
        run = document.add_paragraph().add_run(line)
        run.bold = line == letterhead[0]
    for block in text.strip().split("\n\n"):
        paragraph = document.add_paragraph()
        lines = block.split("\n")
        subject = len(lines) == 1 and block.upper() == block and any(ch.isalpha() for ch in block)
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = subject
            if index < len(lines) - 1:
                run.add_break()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# A Unicode font for PDFs (the reply has dashes and quotes beyond Latin-1). Debian's
# fonts-dejavu-core puts it here; `make install` installs it.
PDF_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/local/share/fonts/dejavu"))


def _pdf_font(name: str) -> Path:
    for folder in PDF_FONT_DIRS:
        if (folder / name).exists():
            return folder / name
    raise RuntimeError(f"the PDF font {name} is missing: install the fonts-dejavu-core package")


def draft_to_pdf(texts: list[str], letterhead: list[str]) -> bytes:
    """Letters as one PDF on the department's letterhead, each letter starting a new page.

    Blocks are laid out as in the Word version: the subject line in bold, line breaks kept.
    """
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_margins(25, 20, 25)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", "", str(_pdf_font("DejaVuSans.ttf")))
    pdf.add_font("DejaVu", "B", str(_pdf_font("DejaVuSans-Bold.ttf")))
    for text in texts:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 13)
        pdf.cell(0, 7, letterhead[0], align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        for line in letterhead[1:]:
            pdf.cell(0, 4.5, line, align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(8)
        for block in text.strip().split("\n\n"):
            subject = "\n" not in block and block.upper() == block and any(ch.isalpha() for ch in block)
            pdf.set_font("DejaVu", "B" if subject else "", 11)
            pdf.multi_cell(0, 5.5, block, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
    return bytes(pdf.output())
