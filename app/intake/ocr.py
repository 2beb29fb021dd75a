"""OCR of scanned post with Debian's tesseract, keeping how sure it was of what it read.

tesseract is run as a program (`tesseract stdin stdout tsv`), one page at a time, and its TSV
output gives every word with a confidence from 0 to 100. The letter's text is rebuilt from those
words line by line, with a blank line where the page has one, so extraction sees the same layout as
in a typed letter. What the OCR was sure of goes into the letter's metadata under "ocr" (see
OcrResult.metadata); a scan whose mean confidence is below POOR_SCAN_CONFIDENCE should be read by
a person.
"""

from __future__ import annotations

import functools
import io
import itertools
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from PIL import Image, ImageOps

from app.intake.base import IntakeError

TESSERACT = "tesseract"
LANGUAGE = "eng"
MISSING = "scanned post needs tesseract: install the tesseract-ocr package"
# A word read with less confidence than this is counted as doubtful.
LOW_CONFIDENCE_WORD = 60.0
# The recommended threshold: a scan read with a lower mean confidence goes to a person.
POOR_SCAN_CONFIDENCE = 70.0
# A page whose darkest and lightest pixels differ by less than this has no marks on it.
BLANK_RANGE = 24
# A gap between lines taller than this fraction of a typical line's height is a blank line.
BLANK_LINE_GAP = 0.8
# Seconds tesseract may take over one page before the file is refused.
PAGE_TIMEOUT = 120


class OcrUnavailable(IntakeError):
    """tesseract is not installed (or cannot be run) on this machine."""


@dataclass(frozen=True)
class Word:
    """One word as tesseract read it: its text, confidence, line and box (pixels from the top)."""

    text: str
    confidence: float
    line: tuple[int, int, int]
    top: int
    bottom: int


@dataclass(frozen=True)
class OcrResult:
    """The text read from each page ("" for a blank one), and how sure tesseract was of it."""

    page_texts: tuple[str, ...]
    words: tuple[Word, ...]
    pages: int
    engine: str

    @classmethod
    def combine(cls, results: list[OcrResult]) -> OcrResult:
        """Several scans read as the pages of one letter, in the order given."""
        return cls(
            tuple(text for result in results for text in result.page_texts),
            tuple(word for result in results for word in result.words),
            sum(result.pages for result in results),
            next((result.engine for result in results if result.engine), ""),
        )

    @property
    def text(self) -> str:
        """The text of every page that had marks on it, a blank line between pages."""
        return "\n\n".join(text for text in self.page_texts if text)

    @property
    def mean_confidence(self) -> float:
        """The mean of the word confidences, 0 to 100 (0 when no word was read)."""
        if not self.words:
            return 0.0
        return round(sum(w.confidence for w in self.words) / len(self.words), 1)

    @property
    def low_confidence_words(self) -> int:
        """How many words were read with less confidence than LOW_CONFIDENCE_WORD."""
        return sum(w.confidence < LOW_CONFIDENCE_WORD for w in self.words)

    @property
    def readable_letters(self) -> int:
        """Letters in the words tesseract was fairly sure of: noise read as text does not count."""
        return sum(ch.isalpha() for w in self.words if w.confidence >= LOW_CONFIDENCE_WORD for ch in w.text)

    def metadata(self) -> dict:
        """What is kept with the letter under metadata["ocr"]."""
        return {
            "engine": self.engine,
            "mean_confidence": self.mean_confidence,
            "pages": self.pages,
            "words": len(self.words),
            "low_confidence_words": self.low_confidence_words,
        }


@functools.cache
def tesseract_version() -> str:
    """The engine's name and version, e.g. "tesseract 5.3.0"; raises OcrUnavailable without it."""
    try:
        done = subprocess.run(
            [TESSERACT, "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise OcrUnavailable(MISSING) from error
    words = (done.stdout or done.stderr).split()
    if done.returncode != 0 or len(words) < 2:
        raise OcrUnavailable(MISSING)
    return f"{words[0]} {words[1]}"


def read_pages(pages: Iterable[Image.Image], dpi: int | None = None) -> OcrResult:
    """OCR each page in turn; blank pages are not sent to tesseract, nor counted in `pages`.

    tesseract is needed (OcrUnavailable without it) only once a page has marks on it.
    """
    engine = ""
    texts: list[str] = []
    words: list[Word] = []
    read = 0
    for page in pages:
        image = prepare(page)
        if is_blank(image):
            texts.append("")
            continue
        engine = engine or tesseract_version()
        page_words = _tesseract_words(image, dpi)
        texts.append(_page_text(page_words))
        words.extend(page_words)
        read += 1
    return OcrResult(tuple(texts), tuple(words), read, engine)


def prepare(image: Image.Image) -> Image.Image:
    """A greyscale copy the right way up, with any transparency laid on white paper."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(paper, rgba)
    return image.convert("L")


def is_blank(image: Image.Image) -> bool:
    """True for a greyscale page with no marks on it (an even tone from edge to edge)."""
    darkest, lightest = image.getextrema()
    return lightest - darkest < BLANK_RANGE


def _tesseract_words(image: Image.Image, dpi: int | None) -> list[Word]:
    """Run tesseract over one greyscale page and return the words it read."""
    png = io.BytesIO()
    image.save(png, format="PNG")
    command = [TESSERACT, "stdin", "stdout", "-l", LANGUAGE]
    if dpi:
        command += ["--dpi", str(dpi)]
    # tesseract's OpenMP threads make it several times slower on a small machine, not faster.
    environment = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
    try:
        done = subprocess.run(
            [*command, "tsv"],
            input=png.getvalue(),
            capture_output=True,
            timeout=PAGE_TIMEOUT,
            env=environment,
            check=False,
        )
    except FileNotFoundError as error:
        raise OcrUnavailable(MISSING) from error
    except subprocess.TimeoutExpired as error:
        raise IntakeError(f"tesseract took more than {PAGE_TIMEOUT} s over one page of the scan") from error
    if done.returncode != 0:
        reason = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["no message"])[-1]
        raise IntakeError(f"tesseract could not read the scan ({reason})")
    return parse_tsv(done.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[Word]:
    """The words (level 5 rows with text) of tesseract's TSV output, in reading order."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        block, paragraph, line, top, height = (int(cells[i]) for i in (2, 3, 4, 7, 9))
        confidence = max(0.0, float(cells[10]))
        words.append(Word(cells[11].strip(), confidence, (block, paragraph, line), top, top + height))
    return words


def _page_text(words: list[Word]) -> str:
    """One page's text, a line of words per OCR line, with a blank line where the page has a gap.

    A gap between two lines taller than BLANK_LINE_GAP of a typical line is a blank line on paper
    (between address blocks, or paragraphs), which extraction reads as the letter's layout.
    """
    lines: list[list[Word]] = []
    for word in words:
        if lines and lines[-1][-1].line == word.line:
            lines[-1].append(word)
        else:
            lines.append([word])
    if not lines:
        return ""
    heights = sorted(max(w.bottom for w in line) - min(w.top for w in line) for line in lines)
    typical = heights[len(heights) // 2]
    text = [" ".join(w.text for w in lines[0])]
    for above, below in itertools.pairwise(lines):
        gap = min(w.top for w in below) - max(w.bottom for w in above)
        if gap > BLANK_LINE_GAP * typical:
            text.append("")
        text.append(" ".join(w.text for w in below))
    return "\n".join(text)
