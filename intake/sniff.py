"""What a file is, from its bytes (never from its name or the Content-Type it came with)."""

from __future__ import annotations

import io
import zipfile

from core.errors import EmptyFile, FileTooLarge, UnsupportedFileType

ACCEPTED_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/tiff", "application/xml", "application/ofd")

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def sniff_media_type(data: bytes) -> str:
    """The media type of ``data``; raises ``UnsupportedFileType`` for anything we do not take."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "application/pdf"
    for magic, media_type in _MAGIC:
        if head.startswith(magic):
            return media_type
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if _looks_like_xml(head):
        return "application/xml"
    raise UnsupportedFileType(
        "This file is not a PDF, PNG, JPEG, TIFF, XML e-invoice or OFD invoice (judged from its contents). "
        "Convert it to PDF and upload it again.")


def check_size(size: int, max_bytes: int) -> None:
    if size == 0:
        raise EmptyFile("The file is empty (0 bytes); nothing was stored. Upload the document again.")
    if size > max_bytes:
        raise FileTooLarge(f"The file has more than {max_bytes:,} bytes, the largest accepted; split or compress it.")


def _sniff_zip(data: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile as exc:
        raise UnsupportedFileType("The file looks like a ZIP archive but cannot be opened.") from exc
    if any(name.rsplit("/", 1)[-1].upper() == "OFD.XML" for name in names):
        return "application/ofd"
    raise UnsupportedFileType("ZIP archives are not accepted; upload the documents inside it one by one.")


def _looks_like_xml(head: bytes) -> bool:
    """XML (an e-invoice) but not HTML: a declaration, a comment or an element first."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    lowered = text[:20].lower()
    if not text.startswith(b"<") or lowered.startswith((b"<!doctype html", b"<html")):
        return False
    try:
        text.decode("utf-8")
    except UnicodeDecodeError:
        return text.startswith(b"<?xml")
    return text.startswith((b"<?xml", b"<!--")) or text[1:2].isalpha()
