"""A PDF's text layer read with pdfium: words with page-fraction boxes, or UnreadableDocument with a reason."""

from __future__ import annotations

import random
import re

import pytest
from fpdf import FPDF
from fpdf.enums import EncryptionMethod

from core.errors import UnreadableDocument
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.helpers import pdf_pages

GOOD = render_invoice_pdf(SampleInvoice())
DAMAGED = "The PDF is damaged and cannot be opened"
ENCRYPTED = "The PDF is encrypted with a password; upload an unprotected copy."


def _one_page(text: str = "Invoice INV-9 Total 12.00", *, pages: int = 1, encrypt: dict | None = None) -> bytes:
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 12)
        pdf.cell(text=text)
    if encrypt:
        pdf.set_encryption(**encrypt)
    return bytes(pdf.output())


def _unreadable(data: bytes, max_pages: int = 10) -> str:
    with pytest.raises(UnreadableDocument) as raised:
        pdf_pages(data, max_pages)
    assert raised.value.status_code == 422
    return raised.value.detail


def test_words_come_with_boxes_as_page_fractions_and_font_sizes():
    pages = pdf_pages(GOOD, max_pages=10)
    assert len(pages) == 1
    page = pages[0]
    assert (page.number, page.source) == (1, "pdf_text")
    assert (round(page.width, 2), round(page.height, 2)) == (595.28, 841.89)
    texts = [w.text for w in page.words]
    assert texts[:4] == ["Northwind", "Office", "Supplies", "Ltd"]
    assert "INV-2024-0042" in texts
    for word in page.words:
        x0, y0, x1, y1 = word.bbox
        assert 0 <= x0 < x1 <= 1 and 0 <= y0 < y1 <= 1
        assert word.confidence == 1.0
    assert page.words[0].size == pytest.approx(18, abs=0.5), "the vendor name is set in 18 pt"
    assert next(w for w in page.words if w.text == "INV-2024-0042").size == pytest.approx(10, abs=0.5)


def test_pages_are_numbered_from_one():
    pages = pdf_pages(_one_page(pages=3), max_pages=10)
    assert [p.number for p in pages] == [1, 2, 3]


def test_too_many_pages_are_refused_with_the_count():
    assert _unreadable(_one_page(pages=3), max_pages=2) == "The PDF has 3 pages; at most 2 are read."


def test_a_pdf_without_pages_is_refused():
    no_pages = b"%PDF-1.3\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n" \
               b"trailer<</Root 1 0 R>>\n%%EOF"
    assert _unreadable(no_pages) in ("The PDF has no pages.", f"{DAMAGED} (Failed to load document (PDFium: "
                                                                "Data format error).).")


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_behind_a_pdf_header_are_reported_as_damaged(seed):
    rng = random.Random(seed)
    data = b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(2000))
    assert _unreadable(data).startswith(DAMAGED)


def test_a_bare_header_is_reported_as_damaged():
    assert _unreadable(b"%PDF-1.4\n").startswith(DAMAGED)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_a_truncated_pdf_is_reported_as_damaged(keep):
    assert _unreadable(GOOD[: int(len(GOOD) * keep)]).startswith(DAMAGED)


def test_every_truncation_gives_pages_or_a_readable_error():
    for cut in range(0, len(GOOD), 37):
        try:
            pdf_pages(GOOD[:cut], max_pages=10)
        except UnreadableDocument as error:
            assert error.detail.startswith(DAMAGED) or error.detail == "The PDF has no pages."


@pytest.mark.parametrize("method", [EncryptionMethod.RC4, EncryptionMethod.AES_128, EncryptionMethod.AES_256])
def test_a_pdf_with_a_user_password_is_refused_as_encrypted(method):
    data = _one_page(encrypt={"owner_password": "owner", "user_password": "secret", "encryption_method": method})
    assert b"/Encrypt" in data
    assert _unreadable(data) == ENCRYPTED


def test_a_pdf_encrypted_only_with_an_owner_password_is_read():
    """Owner-only protection (no printing/copying) has an empty user password: readers open it, so do we."""
    data = _one_page("Invoice INV-10", encrypt={"owner_password": "owner"})
    assert b"/Encrypt" in data
    assert [w.text for w in pdf_pages(data, max_pages=10)[0].words] == ["Invoice", "INV-10"]


def test_a_corrupt_media_box_is_read_at_the_default_size():
    """A MediaBox that is not numbers is taken as US letter (as readers do), and the words are still read."""
    corrupt, replaced = re.subn(rb"(/MediaBox \[0 0 \d+\.\d)\d", b"\\1\x06", GOOD, count=1)
    assert replaced == 1 and len(corrupt) == len(GOOD)
    [page] = pdf_pages(corrupt)
    assert (page.width, page.height) == (612, 792) and "INV-2024-0042" in [w.text for w in page.words]
