"""Is the PDF that carries an e-invoice the PDF/A-3 (or PDF/A-4f) that Factur-X and ZUGFeRD require? Checks a
person can act on, not a full PDF/A validation: the XMP metadata is well-formed XML, declares the PDF/A part and,
where it names the Factur-X / ZUGFeRD conformance level, names a real one; and a document that paints in device
colours (RGB, CMYK or grey without a profile) has an output intent or default colour spaces that say what those
colours mean (ISO 19005, 6.2.4.3). Only the first pages are looked at, so a huge PDF costs no more than a small
one."""

from __future__ import annotations

import io

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.psparser import PSKeyword, PSLiteral

from extraction.einvoice.xmltree import Element, InvalidEInvoice, local, parse_xml, text
from extraction.model import Issue

PDFA_RULE = "pdfa"
PDFA_PARTS = ("3", "4")
DEVICE_COLOUR_OPERATORS = frozenset({b"rg", b"RG", b"k", b"K", b"g", b"G"})
DEVICE_SPACES = frozenset({"DeviceRGB", "DeviceCMYK", "DeviceGray"})
DEFAULT_SPACES = frozenset({"DefaultRGB", "DefaultCMYK", "DefaultGray"})
PAGES_LOOKED_AT = 5
CONFORMANCE_LEVELS = frozenset({"MINIMUM", "BASIC WL", "BASIC", "COMFORT", "EN 16931", "EXTENDED", "XRECHNUNG"})
"""The levels Factur-X 1.0, ZUGFeRD 1.0 to 2.3 and Order-X write into the XMP's ConformanceLevel."""


def pdfa_issues(data: bytes) -> list[Issue]:
    """What makes ``data`` (a PDF) fall short of PDF/A-3; nothing when pdfminer cannot read it, since the PDF's
    own reading reports that."""
    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
        problems = [*_declaration_problems(document.catalog), *_colour_problems(document)]
    except Exception:  # noqa: BLE001 - pdfminer fails on damaged files in many ways
        return []
    return [Issue(PDFA_RULE, "warning", f"The PDF around the e-invoice is not a valid PDF/A-3: {problem}")
            for problem in problems]


def _declaration_problems(catalog: dict) -> list[str]:
    metadata = resolve1(catalog.get("Metadata"))
    if not isinstance(metadata, PDFStream):
        return ["it has no XMP metadata, so it does not declare itself PDF/A"]
    try:
        xmp = parse_xml(metadata.get_data(), "The PDF's XMP metadata")
    except InvalidEInvoice as exc:
        return [exc.detail]
    parts, levels = xmp_values(xmp, "part"), xmp_values(xmp, "ConformanceLevel")
    problems = [] if set(parts) & set(PDFA_PARTS) else [
        f"its XMP metadata declares PDF/A part {', '.join(parts) or 'none'}, not 3 (or 4)"]
    problems += [f"its XMP metadata names the e-invoice's conformance level {level!r}, which is none of "
                 f"{', '.join(sorted(CONFORMANCE_LEVELS))}"
                 for level in levels if level.upper() not in CONFORMANCE_LEVELS]
    return problems


def xmp_values(xmp: Element, name: str) -> list[str]:
    """The values of the XMP properties called ``name`` (local name), written as elements or as attributes."""
    found = [text(element) for element in xmp.iter() if isinstance(element.tag, str) and local(element) == name]
    found += [value.strip() for element in xmp.iter() if isinstance(element.tag, str)
              for key, value in element.attrib.items() if key.rsplit("}", 1)[-1] == name]
    return [value for value in found if value]


def _colour_problems(document: PDFDocument) -> list[str]:
    if resolve1(document.catalog.get("OutputIntents")):
        return []
    for number, page in enumerate(PDFPage.create_pages(document), start=1):
        if number > PAGES_LOOKED_AT:
            break
        if _paints_in_device_colour(page) and not _has_default_spaces(page):
            return [f"page {number} paints in device colours, but the PDF has no output intent saying what "
                    "they mean"]
    return []


def _paints_in_device_colour(page: PDFPage) -> bool:
    return _uses_device_operators(page) or any(map(_is_device_image, _xobjects(page)))


def _uses_device_operators(page: PDFPage) -> bool:
    parser = PDFContentParser(page.contents)
    while True:
        try:
            _, token = parser.nextobject()
        except Exception:  # noqa: BLE001 - PSEOF at the end, or a damaged stream: stop there
            return False
        if isinstance(token, PSKeyword) and token.name in DEVICE_COLOUR_OPERATORS:
            return True


def _xobjects(page: PDFPage) -> list:
    resources = resolve1(page.resources) or {}
    return [resolve1(xobject) for xobject in (resolve1(resources.get("XObject")) or {}).values()]


def _is_device_image(xobject: object) -> bool:
    if not isinstance(xobject, PDFStream):
        return False
    space = resolve1(xobject.attrs.get("ColorSpace"))
    return isinstance(space, PSLiteral) and space.name in DEVICE_SPACES


def _has_default_spaces(page: PDFPage) -> bool:
    resources = resolve1(page.resources) or {}
    return any(name in DEFAULT_SPACES for name in (resolve1(resources.get("ColorSpace")) or {}))
