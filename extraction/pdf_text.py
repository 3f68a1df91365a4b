"""Words with boxes from a PDF's text layer (pdfplumber)."""

from __future__ import annotations

import io

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from core.errors import UnreadableDocument
from extraction.model import PageText, Word


def read_pdf_pages(data: bytes, max_pages: int) -> list[PageText]:
    """Every page's words as page fractions. Raises ``UnreadableDocument`` with a readable reason."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if not pdf.pages:
                raise UnreadableDocument("The PDF has no pages.")
            if len(pdf.pages) > max_pages:
                raise UnreadableDocument(f"The PDF has {len(pdf.pages)} pages; at most {max_pages} are read.")
            return [_page_text(number, page) for number, page in enumerate(pdf.pages, start=1)]
    except UnreadableDocument:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise UnreadableDocument("The PDF is encrypted with a password; upload an unprotected copy.") from exc
    except PdfminerException as exc:
        raise UnreadableDocument(_describe_pdfminer_failure(exc)) from exc
    except (PDFSyntaxError, MalformedPDFException, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise UnreadableDocument(f"The PDF is damaged and cannot be opened ({type(exc).__name__}: {exc}).") from exc


def _describe_pdfminer_failure(exc: PdfminerException) -> str:
    cause = exc.args[0] if exc.args else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
        return "The PDF is encrypted with a password; upload an unprotected copy."
    return f"The PDF is damaged and cannot be opened ({type(cause).__name__}: {cause})."


def _page_text(number: int, page) -> PageText:
    width, height = float(page.width), float(page.height)
    raw_words = page.extract_words(keep_blank_chars=False, use_text_flow=False, extra_attrs=["size"])
    words = tuple(
        Word(
            text=w["text"],
            bbox=(w["x0"] / width, w["top"] / height, w["x1"] / width, w["bottom"] / height),
            confidence=1.0,
            size=float(w.get("size") or 0.0),
        )
        for w in raw_words
    )
    return PageText(number=number, width=width, height=height, source="pdf_text", words=words)
