"""What a file is, from its bytes (never from its name or the Content-Type it came with)."""

from __future__ import annotations

import zipfile
from typing import BinaryIO
from xml.parsers import expat

from core.errors import EmptyFile, UnsupportedFileType

IMAGE_TYPES = ("image/png", "image/jpeg", "image/tiff", "image/webp", "image/bmp", "image/heic")
ACCEPTED_TYPES = ("application/pdf", *IMAGE_TYPES, "application/xml", "application/ofd")
HEAD_BYTES = 64 * 1024

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
"""The ``ftyp`` brands of HEIC/HEIF still images (phone photos)."""
BMP_HEADER_SIZES = {12, 40, 52, 56, 108, 124}

E_INVOICE_ROOTS = {
    "Invoice": ("urn:oasis:names:specification:ubl:schema:xsd:", "UBL invoice"),
    "CreditNote": ("urn:oasis:names:specification:ubl:schema:xsd:", "UBL credit note"),
    "CrossIndustryInvoice": ("urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:", "CII invoice"),
    "CrossIndustryDocument": ("urn:ferd:CrossIndustryDocument:invoice:", "ZUGFeRD 1.0 invoice"),
    "StandardBusinessDocument": ("http://www.unece.org/cefact/namespaces/StandardBusinessDocumentHeader",
                                 "Peppol business document"),
    "eInvoice": ("", "Chinese electronic invoice"),
    "EInvoice": ("", "Chinese fully-digital invoice"),
    "xbrl": ("http://www.xbrl.org/2003/instance", "Chinese e-invoice XBRL"),
}
"""XML is accepted only as one of these e-invoices: the root element's local name, and how its namespace starts
(any version of it; the Chinese invoices' roots come with or without one)."""

_NOT_ACCEPTED = ("This file is not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC), an XML e-invoice or an OFD "
                 "invoice (judged from its contents). Convert it to PDF and upload it again.")


def sniff_media_type(stream: BinaryIO) -> str:
    """The media type of the file in ``stream``; raises ``UnsupportedFileType`` for anything we do not take."""
    head = stream.read(HEAD_BYTES)
    if b"%PDF-" in head[:1024]:
        return "application/pdf"
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if image_type := _sniff_container_image(head):
        return image_type
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(stream)
    if _starts_like_xml(head):
        _check_e_invoice_root(head)
        return "application/xml"
    raise UnsupportedFileType(_NOT_ACCEPTED)


def _sniff_container_image(head: bytes) -> str | None:
    """WebP (RIFF), HEIC (ISO base media ``ftyp``) and BMP, whose signatures sit beyond a plain prefix."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in BMP_HEADER_SIZES:
        return "image/bmp"
    return None


def check_not_empty(size: int) -> None:
    """Files over the size limit are refused while they arrive (``core.blobs.StagedBlob``); empty ones here."""
    if size == 0:
        raise EmptyFile("The file is empty (0 bytes); nothing was stored. Upload the document again.")


def xml_root(head: bytes) -> tuple[str, str] | None:
    """``(namespace, local name)`` of the first element, or None if the XML is not well formed up to it.

    Documents with a DTD are refused (None): no e-invoice has one, and entity tricks live there.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []

    def _start(name: str, _attributes) -> None:
        found.append(name)
        raise _Stop

    def _refuse_dtd(*_args) -> None:
        raise _Stop

    parser.StartElementHandler, parser.StartDoctypeDeclHandler = _start, _refuse_dtd
    try:
        parser.Parse(head, False)
    except (_Stop, expat.ExpatError):
        pass
    if not found:
        return None
    namespace, _, local = found[0].rpartition(" ")
    return namespace, local


class _Stop(Exception):
    """Ends parsing at the root element (or at a DTD)."""


def _check_e_invoice_root(head: bytes) -> None:
    root = xml_root(head)
    if root is None:
        raise UnsupportedFileType("The file looks like XML but is not well formed (or declares a DTD), so it is not "
                                  "an e-invoice we read. Export the invoice again, or upload it as PDF.")
    namespace, local = root
    if local not in E_INVOICE_ROOTS or not namespace.startswith(E_INVOICE_ROOTS[local][0]):
        raise UnsupportedFileType(
            f"XML whose root element is {local!r}{f' in {namespace!r}' if namespace else ''} is not an e-invoice "
            "we read (UBL, Peppol, CII / XRechnung / Factur-X, ZUGFeRD, Chinese e-invoice). Upload it as PDF.")


def _sniff_zip(stream: BinaryIO) -> str:
    try:
        names = zipfile.ZipFile(stream).namelist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnsupportedFileType("The file looks like a ZIP archive but cannot be opened.") from exc
    if any(name.rsplit("/", 1)[-1].upper() == "OFD.XML" for name in names):
        return "application/ofd"
    raise UnsupportedFileType("ZIP archives are not accepted; upload the documents inside it one by one.")


def _starts_like_xml(head: bytes) -> bool:
    """A first character ``<`` (after a byte-order mark and white space), or a UTF-16 byte-order mark."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")
