"""Scanned post: images (.png, .jpg, .tif, several pages in one TIFF) and PDF pages with no text layer.

Images are opened with Pillow; PDF pages are rendered with pypdfium2 at RENDER_DPI. Both are then
read by tesseract (app/intake/ocr.py).
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Iterator

import pypdfium2
from PIL import Image, ImageSequence, UnidentifiedImageError

from app.intake import ocr
from app.intake.base import MIN_LETTERS, IntakeError

RENDER_DPI = 300
# A page is rendered at RENDER_DPI unless that would give more pixels than this (an oversized page).
MAX_PAGE_PIXELS = 40_000_000
# More scanned pages than this in one file is not one letter; refusing keeps an upload quick.
MAX_SCANNED_PAGES = 30


def read_image(content: bytes) -> tuple[str, dict]:
    """OCR an image file (every page of a multi-page TIFF) into a letter's text and metadata."""
    result = ocr_image(content)
    return result.text, {"pages": len(result.page_texts), "ocr": result.metadata()}


def ocr_image(content: bytes) -> ocr.OcrResult:
    """OCR every page of an image, or refuse it: damaged, blank, or with nothing OCR could read."""
    image = _open_image(content)
    pages = getattr(image, "n_frames", 1)
    if pages > MAX_SCANNED_PAGES:
        raise IntakeError(
            f"the image has {pages} pages; mincorr reads scans of up to {MAX_SCANNED_PAGES} pages"
        )
    result = ocr.read_pages(_frames(image), dpi=_image_dpi(image))
    if result.pages == 0:
        raise IntakeError("the image is blank: there is nothing on it to read")
    if result.readable_letters < MIN_LETTERS:
        raise IntakeError("OCR found no readable text in the image")
    return result


def read_scanned_pdf_pages(content: bytes, page_numbers: list[int]) -> ocr.OcrResult:
    """Render the given pages (0-based) of a PDF and OCR them."""
    if len(page_numbers) > MAX_SCANNED_PAGES:
        raise IntakeError(
            f"the PDF has {len(page_numbers)} scanned pages; mincorr reads scans of up to "
            f"{MAX_SCANNED_PAGES} pages"
        )
    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError as error:
        raise IntakeError(f"the PDF is damaged and its pages cannot be drawn ({_one_line(error)})") from error
    try:
        return ocr.read_pages(_rendered_pages(document, page_numbers), dpi=None)
    finally:
        document.close()


def _rendered_pages(document: pypdfium2.PdfDocument, page_numbers: list[int]) -> Iterator[Image.Image]:
    """Each page drawn in greyscale at RENDER_DPI (less for an oversized page)."""
    for number in page_numbers:
        try:
            page = document[number]
        except pypdfium2.PdfiumError as error:
            raise IntakeError(f"page {number + 1} of the PDF is damaged ({_one_line(error)})") from error
        try:
            width, height = page.get_size()
            scale = min(RENDER_DPI / 72, math.sqrt(MAX_PAGE_PIXELS / max(width * height, 1)))
            bitmap = page.render(scale=scale, grayscale=True)
        except pypdfium2.PdfiumError as error:
            raise IntakeError(f"page {number + 1} of the PDF cannot be drawn ({_one_line(error)})") from error
        finally:
            page.close()
        # The picture shares the bitmap's memory: `bitmap` stays alive here while it is read.
        yield bitmap.to_pil()


def _open_image(content: bytes) -> Image.Image:
    """Open and decode an image, or refuse it with the reason."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(content))
            image.load()
    except UnidentifiedImageError as error:
        raise IntakeError("not an image mincorr can read (PNG, JPEG or TIFF)") from error
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise IntakeError("the image is too large to read (over 89 million pixels)") from error
    except (OSError, SyntaxError, ValueError) as error:
        raise IntakeError(f"the image is damaged and cannot be read ({_one_line(error)})") from error
    return image


def _frames(image: Image.Image) -> Iterator[Image.Image]:
    """Every page of the image, each decoded in turn."""
    for frame in ImageSequence.Iterator(image):
        try:
            frame.load()
        except (OSError, SyntaxError, ValueError) as error:
            raise IntakeError(f"a page of the image is damaged ({_one_line(error)})") from error
        yield frame


def _image_dpi(image: Image.Image) -> int | None:
    """The resolution the image says it was scanned at, when it says a believable one."""
    dpi = image.info.get("dpi")
    if not dpi:
        return None
    value = round(float(dpi[0]))
    return value if 70 <= value <= 1200 else None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split()) or error.__class__.__name__
