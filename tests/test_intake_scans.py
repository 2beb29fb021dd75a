"""Scanned post (images, image-only PDFs) read by tesseract, and Outlook .msg files.

Every scan here is drawn from text by tests/letter_files.py, so the tests need no binary fixtures.
"""

import datetime as dt

import pytest
from PIL import Image, ImageDraw

from app import store
from app.importing import Importer
from app.intake import IntakeError, read_letter
from app.intake.ocr import POOR_SCAN_CONFIDENCE, tesseract_version
from tests.conftest import SEED_LETTER, json_lines
from tests.letter_files import (
    DOCX_TYPE,
    docx_bytes,
    eml_bytes,
    image_bytes,
    msg_bytes,
    scan_image,
    scan_pdf_bytes,
)

SEED = SEED_LETTER.read_text(encoding="utf-8")
SHORT = (
    "Dear Minister,\n\nI write about the closure of Bexley magistrates court.\n"
    "My constituents will have to travel much further.\n\nYours sincerely,\n\nJane Example"
)


def ocr_of(letter) -> dict:
    return letter.metadata["ocr"]


@pytest.mark.parametrize(
    ("filename", "build"),
    [
        ("seed-scan.png", lambda: image_bytes(scan_image(SEED))),
        ("seed-scan.pdf", lambda: scan_pdf_bytes(scan_image(SEED))),
    ],
)
def test_scanned_seed_letter_opens_the_case_with_its_ocr_confidence(trained_db, settings, filename, build):
    importer = Importer(trained_db, settings, actor="officer", source="upload")
    result = importer.import_upload(filename, build(), received=dt.date(2009, 4, 16))
    assert result.status == "created", result.reason
    case = store.get_case_by_reference(trained_db, result.reference)
    assert store.get_correspondent(trained_db, case["correspondent_id"])["name"] == "Dr Caroline Lucas MEP"
    assert case["bill_id"] == "coroners-and-justice-bill-2008-09"
    assert case["clause_number"] == "152"
    assert case["letter_date"] == "2009-04-14"
    ocr = store.get_letter(trained_db, case["letter_id"])["metadata"]["ocr"]
    assert ocr["engine"] == tesseract_version()
    assert ocr["pages"] == 1
    assert POOR_SCAN_CONFIDENCE < ocr["mean_confidence"] <= 100
    assert 0 <= ocr["low_confidence_words"] < ocr["words"] / 10


def test_a_poor_scan_is_read_but_its_low_confidence_shows():
    letter = read_letter("photocopy.png", image_bytes(scan_image(SEED, size=16, poor=True)))
    assert ocr_of(letter)["mean_confidence"] < POOR_SCAN_CONFIDENCE
    assert ocr_of(letter)["low_confidence_words"] > ocr_of(letter)["words"] / 3


def test_jpeg_and_every_page_of_a_tiff_are_read():
    jpeg = read_letter("letter.JPG", image_bytes(scan_image(SHORT).convert("RGB"), "JPEG", quality=90))
    assert "Bexley magistrates court" in jpeg.text
    assert jpeg.media_type == "image/jpeg"
    middle = SHORT.index("My constituents")
    first, second = scan_image(SHORT[:middle]), scan_image(SHORT[middle:])
    # Office scanners and faxes send black-and-white TIFFs compressed with CCITT Group 4.
    first, second = first.convert("1"), second.convert("1")
    tiff = read_letter(
        "post.tif", image_bytes(first, "TIFF", compression="group4", save_all=True, append_images=[second])
    )
    assert "Bexley magistrates court" in tiff.text
    assert "Jane Example" in tiff.text
    assert ocr_of(tiff)["pages"] == tiff.metadata["pages"] == 2


def test_a_scanned_page_after_a_typed_one_is_read_too():
    letter = read_letter("with-enclosure.pdf", scan_pdf_bytes(scan_image(SHORT), typed_first_page=SEED[:400]))
    assert "Dr Caroline Lucas MEP" in letter.text
    assert "Bexley magistrates court" in letter.text
    assert letter.metadata["pages"] == 2
    assert ocr_of(letter)["pages"] == 1


def test_outlook_message_gives_sender_date_subject_and_body():
    letter = read_letter("from-outlook.msg", msg_bytes(SEED, subject="Clause 152"))
    assert letter.media_type == "application/vnd.ms-outlook"
    assert "information-sharing provisions in Part 8" in letter.text
    assert letter.metadata["from"] == "Jane Example <jane@example.org>"
    assert letter.metadata["sent"] == "2009-04-14"
    assert letter.metadata["subject"] == "Clause 152"


def test_outlook_message_with_only_an_html_body_is_turned_into_text():
    html = (
        "<html><body><p>Dear Minister,</p><p>Please explain the <b>court closure</b> plans.</p></body></html>"
    )
    letter = read_letter("html.msg", msg_bytes("", html=html))
    assert "Please explain the court closure plans." in letter.text
    assert "<b>" not in letter.text


def test_outlook_message_with_the_letter_attached_reads_the_attachment():
    raw = msg_bytes(
        "Please find attached a letter from Dr Lucas.",
        attachments=(("lucas.docx", docx_bytes(SEED), DOCX_TYPE),),
    )
    letter = read_letter("forwarded.msg", raw)
    assert "Coroners and Justice Bill" in letter.text
    assert letter.metadata["letter_attachment"] == "lucas.docx"
    assert letter.metadata["covering_note"] == "Please find attached a letter from Dr Lucas."


@pytest.mark.parametrize(
    ("kind", "scan"),
    [
        ("msg", ("scan.png", lambda: image_bytes(scan_image(SHORT)), "image/png")),
        ("eml", ("scan.pdf", lambda: scan_pdf_bytes(scan_image(SHORT)), "application/pdf")),
    ],
)
def test_a_scanned_letter_attached_to_an_email_is_read_by_ocr(kind, scan):
    name, build, media_type = scan
    if kind == "msg":
        raw = msg_bytes("Scan attached.", attachments=((name, build(), media_type),))
    else:
        raw = eml_bytes("Scan attached.", attachment=(name, build(), media_type))
    letter = read_letter(f"scan.{kind}", raw)
    assert "Bexley magistrates court" in letter.text
    assert letter.metadata["letter_attachment"] == name
    assert letter.metadata["covering_note"] == "Scan attached."
    assert ocr_of(letter)["mean_confidence"] > POOR_SCAN_CONFIDENCE


def test_a_picture_ocr_cannot_read_is_not_taken_for_the_letter():
    raw = msg_bytes(SHORT, attachments=(("photo.png", image_bytes(shapes()), "image/png"),))
    letter = read_letter("with-photo.msg", raw)
    assert "Bexley magistrates court" in letter.text
    assert "ocr" not in letter.metadata
    assert "letter_attachment" not in letter.metadata


def shapes() -> Image.Image:
    """A picture with marks on it but no words: circles and boxes."""
    image = Image.new("L", (600, 400), 255)
    draw = ImageDraw.Draw(image)
    for n in range(5):
        draw.ellipse((20 + n * 110, 40, 110 + n * 110, 130), outline=0, width=6)
        draw.rectangle((30 + n * 110, 220, 100 + n * 110, 360), fill=60 + n * 30)
    return image


def truncated_png() -> bytes:
    data = image_bytes(scan_image(SHORT))
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    ("filename", "build", "reason"),
    [
        ("blank.png", lambda: image_bytes(Image.new("L", (800, 1100), 250)), "the image is blank"),
        ("blank.pdf", lambda: scan_pdf_bytes(Image.new("L", (800, 1100), 255)), "its pages are blank"),
        ("shapes.jpg", lambda: image_bytes(shapes(), "JPEG"), "OCR found no readable text in the image"),
        ("shapes.pdf", lambda: scan_pdf_bytes(shapes()), "OCR found no readable text in it"),
        ("half.png", truncated_png, "the image is damaged and cannot be read"),
        (
            "notes.tiff",
            lambda: b"Dear Minister, this is text and not a picture.",
            "not an image mincorr can read",
        ),
        ("fake.msg", lambda: b"From: someone\nSubject: not Outlook\n\nHello", "not an Outlook message"),
        ("odd.msg", lambda: msg_bytes(SHORT, message_class="IPM.Unknown"), "not a readable Outlook message"),
    ],
)
def test_bad_scans_and_messages_are_refused_with_one_line_and_nothing_stored(
    db, settings, filename, build, reason
):
    result = Importer(db, settings, actor="officer", source="upload").import_upload(filename, build())
    assert result.status == "refused"
    assert reason in result.reason
    assert "\n" not in result.reason
    assert db["letters"].count == 0
    assert db["cases"].count == 0


@pytest.fixture
def no_tesseract(tmp_path, monkeypatch):
    """A machine without tesseract: nothing on PATH (the version is looked up afresh)."""
    monkeypatch.setenv("PATH", str(tmp_path))
    tesseract_version.cache_clear()
    yield
    tesseract_version.cache_clear()


def test_without_tesseract_scans_are_refused_saying_what_to_install(no_tesseract):
    for filename, data in [
        ("scan.png", image_bytes(scan_image(SHORT))),
        ("scan.pdf", scan_pdf_bytes(scan_image(SHORT))),
        (
            "scan.msg",
            msg_bytes(
                "Scan attached.", attachments=(("scan.png", image_bytes(scan_image(SHORT)), "image/png"),)
            ),
        ),
    ]:
        with pytest.raises(IntakeError) as refused:
            read_letter(filename, data)
        assert str(refused.value) == "scanned post needs tesseract: install the tesseract-ocr package"
    # Post that needs no OCR is still read.
    assert "Bexley" in read_letter("typed.msg", msg_bytes(SHORT)).text


def test_the_command_line_imports_scans_and_outlook_messages(db, run_cli, tmp_path):
    post = tmp_path / "post"
    post.mkdir()
    (post / "scan.jpeg").write_bytes(image_bytes(scan_image(SHORT).convert("RGB"), "JPEG"))
    (post / "mail.msg").write_bytes(msg_bytes(SEED))
    results = json_lines(run_cli("import", str(post), "--json").output)
    assert [(r["file"].rsplit("/", 1)[-1], r["status"]) for r in results] == [
        ("mail.msg", "created"),
        ("scan.jpeg", "created"),
    ]
