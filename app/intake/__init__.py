"""Intake: turn an uploaded file into the text of one letter, keeping the original bytes.

Supported: .txt, .eml and Outlook .msg (the letter as the body, or as an attached .docx, .pdf or
.txt, or as attached scans), .docx, PDFs, and scanned post: images (.png, .jpg/.jpeg, .tif/.tiff)
and PDF pages with no text layer, read by OCR with tesseract (app/intake/ocr.py), which keeps its
confidence in the letter's metadata["ocr"]. Anything else is refused with a one-line reason
(IntakeError); nothing is stored for a refused file.
"""

from app.intake.ocr import POOR_SCAN_CONFIDENCE
from app.intake.readers import (
    SUPPORTED_EXTENSIONS,
    IncomingLetter,
    IntakeError,
    iter_letter_files,
    read_letter,
    read_path,
)

__all__ = [
    "POOR_SCAN_CONFIDENCE",
    "SUPPORTED_EXTENSIONS",
    "IncomingLetter",
    "IntakeError",
    "iter_letter_files",
    "read_letter",
    "read_path",
]
