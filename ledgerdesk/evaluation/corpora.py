"""Labelled folders read into samples: what each file is expected to yield, in our canonical field names.

One reader per layout (see docs/evaluation.md): SROIE (``img/``, ``key/``, ``box/``), Kleister NDA
(``expected.json`` + ``pdf/``), e-invoices (XML, or PDF with the XML inside), Chinese OFD invoices, and a
customer's own folder (files + ``labels.json``). Readers check the layout and read labels; they never run the
pipeline."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from ledgerdesk.evaluation.einvoice_keys import (answer_key, answer_line_items, embedded_invoice, invoice_element,
                                                 local_name)
from ledgerdesk.evaluation.metrics import Value
from ledgerdesk.evaluation.ofd_keys import OFD_FIELDS, ofd_answer_key

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp", ".heic"}

SROIE_FIELDS = {"company": "merchant_name", "date": "transaction_date", "address": "merchant_address",
                "total": "total_amount"}
"""SROIE's key names and the canonical receipt fields they are (DESIGN.md section 5)."""
KLEISTER_FIELDS = {"effective_date": "effective_date", "jurisdiction": "jurisdiction", "party": "parties",
                   "term": "term"}
"""Kleister NDA's key names and the canonical contract fields they are; ``party`` repeats, ``parties`` is a list."""
EINVOICE_FIELDS = ("invoice_number", "invoice_date", "due_date", "currency", "vendor_name", "vendor_tax_id",
                   "customer_name", "po_number", "subtotal", "tax_amount", "total_amount")
LABELS_FILE = "labels.json"


class CorpusError(Exception):
    """The folder does not have the layout its kind needs; the message says what is missing."""


@dataclass(frozen=True)
class Sample:
    """One labelled file: the canonical fields it should yield, the words a perfect OCR would read (where a
    transcript exists) and its document type."""

    path: Path
    expected: dict[str, Value]
    reference_tokens: list[str] | None = None
    expected_doc_type: str | None = None
    valid: bool = True
    """False for a file its source marks as an invalid e-invoice: it must be refused or flagged, never accepted
    silently."""
    pages_only: bool = False
    """Read from its pages alone, as if it carried no e-invoice (whose XML is then only the answer key)."""
    items: tuple[dict[str, str], ...] | None = None
    """The line items it should yield (description, quantity, unit_price, amount, ...), where they are known."""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class Corpus:
    kind: str
    root: Path
    samples: list[Sample]
    fields: tuple[str, ...]
    """The fields scored: those the labels speak of (a labelled document without one is expected to have none)."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Files left out, counted by why."""


def read_ocr_corpus(root: Path) -> Corpus:
    """SROIE images with their reference transcripts (``box/<id>.csv``), for measuring OCR alone."""
    samples, skipped = [], Counter()
    for sample in _sroie_samples(root):
        if sample.reference_tokens is None:
            skipped["image without box/<id>.csv"] += 1
        else:
            samples.append(sample)
    return Corpus("ocr", root, samples, (), dict(skipped))


def read_sroie(root: Path) -> Corpus:
    """SROIE receipts with their keys (``key/<id>.json``: company, date, address, total)."""
    samples, skipped = [], Counter()
    for sample in _sroie_samples(root):
        if sample.expected:
            samples.append(sample)
        else:
            skipped["image without key/<id>.json"] += 1
    return Corpus("sroie", root, samples, tuple(SROIE_FIELDS.values()), dict(skipped))


def _sroie_samples(root: Path) -> list[Sample]:
    images = _required_folder(root, "img")
    return [Sample(image, _sroie_key(root / "key" / f"{image.stem}.json"),
                   _sroie_transcript(root / "box" / f"{image.stem}.csv"), "receipt")
            for image in sorted(images.iterdir()) if image.suffix.lower() in IMAGE_SUFFIXES]


def _sroie_key(path: Path) -> dict[str, Value]:
    if not path.is_file():
        return {}
    key = json.loads(path.read_text(encoding="utf-8"))
    return {SROIE_FIELDS[name]: str(value) for name, value in key.items() if name in SROIE_FIELDS and value}


def _sroie_transcript(path: Path) -> list[str] | None:
    """The words of the reference lines: each CSV line is eight coordinates and the text (which may hold commas)."""
    if not path.is_file():
        return None
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [token for line in lines if len(parts := line.split(",", 8)) == 9 for token in parts[8].split()]


def read_kleister(root: Path) -> Corpus:
    """Kleister NDA: ``expected.json`` maps a file name to ``key=value`` pairs (``_`` for spaces); the files lie
    in ``pdf/`` (or beside it)."""
    labels = _json_object(root / "expected.json")
    samples, skipped = [], Counter()
    for name, pairs in sorted(labels.items()):
        path = next((p for p in (root / "pdf" / name, root / name) if p.is_file()), None)
        if path is None:
            skipped["listed in expected.json but missing"] += 1
        else:
            samples.append(Sample(path, parse_kleister_pairs(str(pairs)), None, "contract"))
    return Corpus("kleister", root, samples, tuple(KLEISTER_FIELDS.values()), dict(skipped))


def parse_kleister_pairs(text: str) -> dict[str, Value]:
    """``effective_date=2001-04-18 party=Nike_Inc. party=Eric_Dean_Sprunk`` as canonical fields
    (``{"effective_date": "2001-04-18", "parties": ("Nike Inc.", "Eric Dean Sprunk")}``)."""
    values: dict[str, list[str]] = {}
    for pair in text.split():
        key, _, value = pair.partition("=")
        if key in KLEISTER_FIELDS and value:
            values.setdefault(KLEISTER_FIELDS[key], []).append(value.replace("_", " "))
    return {name: tuple(found) if name == "parties" else found[0] for name, found in values.items()}


def read_einvoices(root: Path) -> Corpus:
    """Every e-invoice under ``root``: XML whose root is a UBL, Peppol, CII or ZUGFeRD invoice, PDFs that carry
    one, and OFD packages. The e-invoice is its own answer key. Files their source names invalid (``invalid…``,
    ``FAIL_…``, ``corrupted…``, ``not_validating…``, ``…violation``) are kept as invalid samples, whatever they
    hold; anything else is left out and counted."""
    samples, skipped = [], Counter()
    for path in sorted(p for p in _required_folder(root, ".").rglob("*") if p.is_file()):
        sample, why_not = _einvoice_sample(path)
        if sample:
            samples.append(sample)
        else:
            skipped[why_not] += 1
    return Corpus("einvoice", root, samples, EINVOICE_FIELDS, dict(skipped))


INVALID_NAME = re.compile(r"(^|[_\-.])(invalid|fail|corrupt|not_validating)|violation", re.IGNORECASE)
"""How the public test suites name the e-invoices they made invalid on purpose."""


def _einvoice_sample(path: Path) -> tuple[Sample | None, str]:
    suffix = path.suffix.lower()
    if suffix not in (".xml", ".pdf", ".ofd"):
        return None, "neither XML, PDF nor OFD"
    if INVALID_NAME.search(path.stem):
        return Sample(path, {}, None, "invoice", valid=False), ""
    if suffix == ".ofd":
        return Sample(path, _ofd_key(path), None, "invoice"), ""
    invoice, why_not = _pdf_invoice(path) if suffix == ".pdf" else _xml_invoice(path)
    if invoice is None:
        return None, why_not
    return Sample(path, answer_key(invoice), None, "invoice", items=answer_line_items(invoice)), ""


def read_invoice_pages(root: Path) -> Corpus:
    """The valid PDFs that carry an e-invoice (Factur-X, ZUGFeRD), to be read from their pages alone: what the
    pipeline makes of the printed invoice is scored against the XML inside, which it never sees."""
    corpus = read_einvoices(root)
    samples = [replace(s, pages_only=True) for s in corpus.samples if s.valid and s.path.suffix.lower() == ".pdf"]
    skipped = Counter(corpus.skipped)
    skipped["XML, OFD or invalid e-invoice (not a printed invoice)"] += len(corpus.samples) - len(samples)
    return Corpus("invoice_pages", root, samples, EINVOICE_FIELDS, dict(skipped))


def _xml_invoice(path: Path) -> tuple[ET.Element | None, str]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None, "XML that does not parse"
    invoice = invoice_element(root)
    return (invoice, "") if invoice is not None else (None, f"XML that is no invoice ({local_name(root)})")


def _pdf_invoice(path: Path) -> tuple[ET.Element | None, str]:
    try:
        invoice = embedded_invoice(path.read_bytes())
    except Exception:  # a damaged PDF (the corpus has some on purpose): no answer key to score against
        invoice = None
    return (invoice, "") if invoice is not None else (None, "PDF without an e-invoice inside")


def _ofd_key(path: Path) -> dict[str, Value]:
    """The OFD's own invoice data, dates as ISO (the key states them as printed, ``2020年07月23日``)."""
    return {name: _iso_chinese_date(value) if name.endswith("_date") else value
            for name, value in ofd_answer_key(path.read_bytes()).items()}


def _iso_chinese_date(value: str) -> str:
    found = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", value.strip())
    return f"{found[1]}-{int(found[2]):02d}-{int(found[3]):02d}" if found else value


def read_ofd_invoices(root: Path) -> Corpus:
    """Chinese OFD e-invoices (``*.ofd``); the invoice data inside each package is its answer key."""
    samples = [Sample(path, _ofd_key(path), None, "invoice")
               for path in sorted(_required_folder(root, ".").rglob("*.ofd"))]
    if not samples:
        raise CorpusError(f"{root} holds no .ofd files")
    return Corpus("cn_ofd", root, samples, tuple(OFD_FIELDS.values()))


def read_generic(root: Path) -> Corpus:
    """A customer's folder: documents plus ``labels.json`` mapping each file name (relative to the folder) to
    ``{"doc_type": ..., "fields": {name: value}}``; a list value is a field with several values."""
    samples, skipped = [], Counter()
    for name, label in sorted(_json_object(root / LABELS_FILE).items()):
        path = root / name
        if not path.is_file():
            skipped[f"listed in {LABELS_FILE} but missing"] += 1
            continue
        samples.append(_generic_sample(path, name, label))
    fields = sorted({field for sample in samples for field in sample.expected})
    return Corpus("generic", root, samples, tuple(fields), dict(skipped))


def _generic_sample(path: Path, name: str, label: object) -> Sample:
    if not isinstance(label, dict) or not isinstance(label.get("fields", {}), dict):
        raise CorpusError(f'{LABELS_FILE}: the label of {name!r} must be {{"doc_type": ..., "fields": {{...}}}}')
    fields = {field: tuple(map(str, value)) if isinstance(value, list) else str(value)
              for field, value in label.get("fields", {}).items() if value not in (None, "", [])}
    return Sample(path, fields, None, label.get("doc_type"))


def _required_folder(root: Path, name: str) -> Path:
    folder = root / name
    if not folder.is_dir():
        raise CorpusError(f"{folder} is not a folder; see docs/evaluation.md for the layouts")
    return folder


def _json_object(path: Path) -> dict:
    if not path.is_file():
        raise CorpusError(f"{path} is missing; see docs/evaluation.md for the layouts")
    try:
        labels = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise CorpusError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(labels, dict):
        raise CorpusError(f"{path} must hold one JSON object mapping file names to labels")
    return labels


READERS: dict[str, Callable[[Path], Corpus]] = {
    "ocr": read_ocr_corpus, "sroie": read_sroie, "kleister": read_kleister, "einvoice": read_einvoices,
    "invoice_pages": read_invoice_pages,
    "cn_ofd": read_ofd_invoices, "generic": read_generic,
}
"""Each kind of ``ledgerdesk eval`` and how its folder is read."""


def read_corpus(kind: str, root: Path) -> Corpus:
    """The samples of the folder ``root`` laid out as ``kind`` wants; raises ``CorpusError``."""
    return READERS[kind](root)
