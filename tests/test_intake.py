"""Intake: every supported format becomes one letter; bad files are refused with one line of reason."""

import pytest

from app.intake import IntakeError, read_letter
from tests.conftest import SEED_LETTER
from tests.letter_files import DOCX_TYPE, docx_bytes, eml_bytes, pdf_bytes

SEED = SEED_LETTER.read_text(encoding="utf-8")


def test_text_file_is_read_and_hashed():
    letter = read_letter("letter.txt", SEED.encode())
    assert "information-sharing provisions in Part 8" in letter.text
    assert letter.media_type == "text/plain"
    assert letter.sha256 == read_letter("copy.txt", SEED.encode()).sha256


def test_windows_1252_text_is_decoded():
    letter = read_letter("old.txt", "Dear Minister,\n\nThe court’s fees are unfair to me.\n".encode("cp1252"))
    assert "court’s fees" in letter.text


def test_word_document_is_read():
    letter = read_letter("letter.docx", docx_bytes(SEED))
    assert "Dr Caroline Lucas MEP" in letter.text
    assert "Yours sincerely," in letter.text


def test_text_pdf_is_read():
    letter = read_letter("letter.pdf", pdf_bytes(SEED.replace("–", "-")))
    assert "Coroners and Justice Bill" in letter.text
    assert letter.metadata["pages"] >= 1


def test_plain_email_body_is_the_letter_and_its_date_is_kept():
    letter = read_letter("mail.eml", eml_bytes(SEED))
    assert "clause 152" in letter.text
    assert letter.metadata["sent"] == "2009-04-14"
    assert letter.metadata["from"].startswith("Jane Example")


def test_html_only_email_is_turned_into_text():
    html = (
        "<html><body><p>Dear Minister,</p><p>Please explain the <b>court closure</b> plans.</p></body></html>"
    )
    raw = eml_bytes("", html=html)
    letter = read_letter("mail.eml", raw)
    assert "court closure" in letter.text
    assert "<b>" not in letter.text


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("letter.docx", docx_bytes(SEED), DOCX_TYPE),
        ("letter.pdf", pdf_bytes(SEED.replace("–", "-")), "application/pdf"),
    ],
)
def test_email_with_the_letter_attached_reads_the_attachment(name, data, media_type):
    raw = eml_bytes("Please find attached a letter from Dr Lucas.", attachment=(name, data, media_type))
    letter = read_letter("forwarded.eml", raw)
    assert "Dr Caroline Lucas MEP" in letter.text
    assert letter.metadata["letter_attachment"] == name
    assert letter.metadata["covering_note"] == "Please find attached a letter from Dr Lucas."


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("fake.pdf", b"This is not really a PDF at all, it is text.", "not a PDF"),
        ("fake.docx", b"PK? no, this is plain text pretending to be Word", "not a Word document"),
        ("letter.xyz", b"Dear Minister, this is a letter.", "unsupported file type (.xyz)"),
        ("noextension", b"Dear Minister, this is a letter.", "unsupported file type (no extension)"),
        ("numbers.txt", b"12345 67890 ... 111", "no readable text"),
        ("empty.eml", b"just some bytes with no headers at all", "not an email"),
    ],
)
def test_bad_files_are_refused_with_a_one_line_reason(name, data, reason):
    with pytest.raises(IntakeError) as refused:
        read_letter(name, data)
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message


def test_scanned_pdf_without_text_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50, style="F")  # a page with only a picture-like box, no text
    with pytest.raises(IntakeError, match="no text layer"):
        read_letter("scan.pdf", bytes(pdf.output()))


def test_damaged_pdf_is_refused():
    data = pdf_bytes("Dear Minister, about the court fees.")
    with pytest.raises(IntakeError):
        read_letter("broken.pdf", data[: len(data) // 3])
