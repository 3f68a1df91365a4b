"""Likely duplicates beyond identical bytes: the same invoice sent twice as different files, the same photo sent
again re-encoded. Pure: values and pixels in, keys, hashes and findings out; ``extraction.service`` looks them up.

Two signs, each recorded with its reason:
- ``same_invoice`` (``same_receipt``): the same company received a document of the same vendor (its tax ID, else
  its name without punctuation and legal form), with the same invoice number and total. A receipt has no number:
  its merchant, date, time and total stand in for it (only when the time was read, so two coffees on one day are
  not one).
- ``similar_page``: the first page is a picture (a photo or scan, read by OCR or not read) that looks nearly the
  same as an earlier one's: the 64-bit difference hash of its content (the page cropped to where the ink is, 9 x 8
  grey cells, each bit "brighter than its left neighbour") is at most ``NEAR_DISTANCE`` bits from the other's, and
  the numbers printed on both pages agree where both were read (pages of one template, say two receipts of one
  shop, look alike at 9 x 8 but carry other numbers).

Hashes are found again through bands (``hash_bands``): two hashes at most ``NEAR_DISTANCE`` bits apart agree
exactly on at least one of ``NEAR_DISTANCE + 1`` bands, so an indexed equality finds every candidate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from PIL import Image

from extraction.identifiers import compact_identifier
from extraction.model import Issue, PageText, Word
from extraction.vendors import name_core

PICTURE_SOURCES = ("ocr", "image")
"""Pages that are pictures. A page with a text layer is found again by its invoice key instead: pages printed from
one template (a vendor's invoices) look alike to a 64-bit hash however different their numbers."""
HASH_SIZE = (9, 8)
"""Grey cells (columns, rows) of the difference hash: 8 x 8 comparisons make 64 bits."""
HASH_BITS = 64
NEAR_DISTANCE = 6
"""Bits two first pages may differ by and still be the same picture (a re-encoded or slightly scaled photo differs
by 0-3, a photo turned by a degree by about 6)."""
BAND_WIDTHS = (10, 9, 9, 9, 9, 9, 9)
"""``NEAR_DISTANCE + 1`` bands that cover the 64 bits."""
INK_LEVEL = 128
"""Grey below this is ink."""
INK_SHARE = 0.01
"""A row or column belongs to the content when at least this share of it is ink (specks of dust do not)."""
HASH_SIDE = 512
"""The page is scaled down to this before its content is found: plenty for a 9 x 8 hash, and fast."""
NUMBERS_AGREE = 0.8
"""Share of the printed numbers two pages must have in common (Jaccard) to be the same page."""
SAME_DOCUMENT = {"same_invoice": "the same vendor, invoice number and total",
                 "same_receipt": "the same merchant, date, time and total"}


@dataclass(frozen=True)
class Finding:
    """Another document this one is likely a duplicate of, and why."""

    other_id: uuid.UUID
    reason: str  # same_invoice | same_receipt | similar_page
    distance: int | None = None
    """Bits by which the first pages' hashes differ (``similar_page``)."""


@dataclass(frozen=True)
class OtherDocument:
    """What a clerk needs to recognise the other document."""

    id: str
    filename: str
    received: date
    status: str


# the invoice key


def same_document_reason(doc_type: str | None) -> str:
    return "same_receipt" if doc_type == "receipt" else "same_invoice"


def invoice_key(doc_type: str | None, values: dict[str, Any]) -> str | None:
    """A digest of who sent it, which document it is and its total; None when any of them is missing."""
    parts = _key_parts(doc_type, values)
    if parts is None or not all(parts):
        return None
    return hashlib.sha256("\x1f".join([doc_type or "", *parts]).encode()).hexdigest()


def _key_parts(doc_type: str | None, values: dict[str, Any]) -> list[str] | None:
    if doc_type == "invoice":
        number = "-".join(filter(None, (_compact(values.get("invoice_code")), _compact(values.get("invoice_number")))))
        return [party_key(values.get("vendor_tax_id"), values.get("vendor_name")), number,
                _amount(values.get("total_amount"))]
    if doc_type == "receipt":
        return [party_key(values.get("merchant_tax_id"), values.get("merchant_name")),
                str(values.get("transaction_date") or ""), _compact(values.get("transaction_time")),
                _amount(values.get("total_amount"))]
    return None


def party_key(tax_id: Any, name: Any) -> str:
    """A vendor as a key: ``tax:DE136695976``, else ``name:northwindofficesupplies`` (legal form dropped)."""
    if tax_id and (compact := compact_identifier(str(tax_id))):
        return f"tax:{compact}"
    normalized = normalized_name(name)
    return f"name:{normalized}" if normalized else ""


def normalized_name(name: Any) -> str:
    """``Northwind Office Supplies Ltd.`` and ``NORTHWIND OFFICE-SUPPLIES LTD`` both as ``northwindofficesupplies``:
    the vendor master's name core (``extraction.vendors.name_core``) without spaces."""
    return "".join(name_core(str(name or "")).split())


def _compact(value: Any) -> str:
    return re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", str(value or "")).upper())


def _amount(value: Any) -> str:
    try:
        return f"{Decimal(str(value)):.2f}" if value not in (None, "") else ""
    except (InvalidOperation, ValueError):
        return ""


# the first page's picture


def difference_hash(image: Image.Image) -> int | None:
    """The 64-bit difference hash of the page's content (its inked area), robust to re-encoding and scaling; None
    for a blank page (blank pages all look alike, and are no one's duplicate)."""
    grey = image.convert("L")
    grey.thumbnail((HASH_SIDE, HASH_SIDE))
    box = ink_box(np.asarray(grey))
    if box is None:
        return None
    cells = np.asarray(grey.crop(box).resize(HASH_SIZE, Image.Resampling.BOX), dtype=np.int16)
    bits = (cells[:, 1:] > cells[:, :-1]).flatten()
    return int("".join("1" if bit else "0" for bit in bits), 2)


def ink_box(grey: np.ndarray) -> tuple[int, int, int, int] | None:
    """``(left, top, right, bottom)`` of the rows and columns with ink; None for a blank page."""
    ink = grey < INK_LEVEL
    rows, columns = np.flatnonzero(ink.mean(axis=1) >= INK_SHARE), np.flatnonzero(ink.mean(axis=0) >= INK_SHARE)
    if rows.size == 0 or columns.size == 0:
        return None
    return int(columns[0]), int(rows[0]), int(columns[-1]) + 1, int(rows[-1]) + 1


def picture_hash(pages: list[PageText], page_hash: int | None) -> int | None:
    """The first page's hash when that page is a picture (``PICTURE_SOURCES``), else None."""
    return page_hash if pages and pages[0].source in PICTURE_SOURCES else None


def hamming(a: int, b: int) -> int:
    """How many bits two hashes differ by."""
    return (a ^ b).bit_count()


def hash_bands(page_hash: int) -> list[str]:
    """The hash cut into ``BAND_WIDTHS``, each as ``"<band>:<hex>"`` (stored, and looked up by equality)."""
    bands, shift = [], HASH_BITS
    for index, width in enumerate(BAND_WIDTHS):
        shift -= width
        bands.append(f"{index}:{(page_hash >> shift) & ((1 << width) - 1):x}")
    return bands


def fingerprint_rows(key: str | None, page_hash: int | None) -> list[tuple[str, str]]:
    """What a document is stored to be found by: ``(kind, value)`` of its invoice key, page hash and hash bands."""
    rows = [("invoice", key)] if key else []
    if page_hash is not None:
        rows += [("page", f"{page_hash:016x}"), *(("page_band", band) for band in hash_bands(page_hash))]
    return rows


def page_numbers(words: list[Word] | tuple[Word, ...]) -> frozenset[str]:
    """The numbers printed on a page (its words' digits, two or more), to tell apart pages of one template."""
    digits = (re.sub(r"\D", "", word.text) for word in words)
    return frozenset(number for number in digits if len(number) >= 2)


def numbers_agree(ours: frozenset[str], theirs: frozenset[str]) -> bool:
    """Whether two pages print the same numbers; true when either was not read (the picture alone decides)."""
    if not ours or not theirs:
        return True
    return len(ours & theirs) / len(ours | theirs) >= NUMBERS_AGREE


# what the clerk reads


def duplicate_issue(finding: Finding, other: OtherDocument) -> Issue:
    """The warning on the later document's extraction, naming the other one."""
    described = (f"document {other.id} ({other.filename!r}, received {other.received.isoformat()}, "
                 f"{other.status.replace('_', ' ')})")
    if finding.reason in SAME_DOCUMENT:
        return Issue("duplicate", "warning", f"probably a duplicate of {described}: {SAME_DOCUMENT[finding.reason]}; "
                                             "check it is not paid twice")
    return Issue("duplicate", "warning", f"the first page looks nearly identical to that of {described} "
                                         f"({finding.distance} of {HASH_BITS} bits of the picture's hash differ); "
                                         "check it was not sent twice")
