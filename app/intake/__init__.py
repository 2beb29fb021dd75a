"""Intake: turn an uploaded file into the text of one letter, keeping the original bytes.

Supported: .txt, .eml (the letter as the body, or as an attached .docx, .pdf or .txt),
.docx and PDFs with a text layer. Anything else is refused with a one-line reason
(IntakeError); nothing is stored for a refused file.
"""

from app.intake.readers import (
    SUPPORTED_EXTENSIONS,
    IncomingLetter,
    IntakeError,
    iter_letter_files,
    read_letter,
    read_path,
)

__all__ = [
    "SUPPORTED_EXTENSIONS",
    "IncomingLetter",
    "IntakeError",
    "iter_letter_files",
    "read_letter",
    "read_path",
]
