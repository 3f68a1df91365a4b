"""What a bank statement file is, from its bytes (never its name): CAMT (ISO 20022 XML), MT940/MT942, OFX, an Excel
workbook, or text that a CSV column profile may read. Pure."""

from __future__ import annotations

import re
import zipfile
from io import BytesIO
from xml.parsers import expat

from core.errors import InvalidStatement, UnsupportedFileType

HEAD_BYTES = 64 * 1024
CAMT_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.05[234])\.001\.\d{2}")
MT940_TAG = re.compile(rb"^:(?:20|25|28C?|60[FM]|61|62[FM]|86|13D?|34F):", re.MULTILINE)
SWIFT_BLOCK = re.compile(rb"\{[124]:")
OFX_MARK = re.compile(rb"OFXHEADER|<\?OFX|<OFX>", re.IGNORECASE)
ZIP_MAGIC = b"PK\x03\x04"
NOT_A_STATEMENT = ("This file is not a bank statement we read (judged from its contents): ISO 20022 CAMT.052, .053 or "
                   ".054, SWIFT MT940 or MT942, or OFX. A CSV or Excel statement is read with a column profile: send "
                   "profile=<its name> (POST /api/v1/csv-profiles makes one).")


def detect_format(data: bytes, *, profile: bool) -> str:
    """``camt.053``, ``camt.052``, ``camt.054``, ``mt940``, ``ofx``, ``xlsx`` or ``csv``. ``UnsupportedFileType`` for
    anything else (and for CSV and Excel without a ``profile``); ``InvalidStatement`` for XML with a DTD."""
    head = data[:HEAD_BYTES]
    if head.startswith(ZIP_MAGIC):
        return _workbook(data, profile)
    if OFX_MARK.search(head[:4096]):
        _check_no_dtd(head)
        return "ofx"
    if _starts_like_xml(head):
        return _camt(head)
    if MT940_TAG.search(head) or SWIFT_BLOCK.match(head.lstrip()):
        return "mt940"
    if profile:
        return "csv"
    raise UnsupportedFileType(NOT_A_STATEMENT)


def _workbook(data: bytes, profile: bool) -> str:
    try:
        names = zipfile.ZipFile(BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnsupportedFileType("The file looks like a ZIP archive but cannot be opened.") from None
    if "xl/workbook.xml" not in names:
        raise UnsupportedFileType(NOT_A_STATEMENT)
    if not profile:
        raise UnsupportedFileType("An Excel statement is read with a column profile: send profile=<its name> "
                                  "(POST /api/v1/csv-profiles makes one).")
    return "xlsx"


def _starts_like_xml(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _camt(head: bytes) -> str:
    namespace, local = xml_root(head)
    found = CAMT_NAMESPACE.fullmatch(namespace)
    if local != "Document" or not found:
        raise UnsupportedFileType(f"XML whose root element is {local!r}{f' in {namespace!r}' if namespace else ''} "
                                  f"is not a bank statement we read. {NOT_A_STATEMENT}")
    return found.group(1)


def _check_no_dtd(head: bytes) -> None:
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise InvalidStatement("the file declares a DTD or entities, which no bank statement needs; it was not read",
                               where="<!DOCTYPE>")


def xml_root(head: bytes) -> tuple[str, str]:
    """``(namespace, local name)`` of the first element. A DTD (where entity tricks live: billion laughs, external
    entities) refuses the file, as does XML that is not well formed before its first element."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[str] = []

    def start(name: str, _attributes) -> None:
        found.append(name)
        raise _Stop

    def refuse_dtd(*_args) -> None:
        raise InvalidStatement("the XML declares a DTD, which no bank statement needs (and which can hide entity "
                               "tricks); it was not read", where="<!DOCTYPE>")

    parser.StartElementHandler, parser.StartDoctypeDeclHandler = start, refuse_dtd
    try:
        parser.Parse(head, False)
    except _Stop:
        pass
    except expat.ExpatError as exc:
        raise InvalidStatement(f"the XML is not well formed: {expat.errors.messages[exc.code]}",
                               where=f"line {exc.lineno}") from None
    if not found:
        raise InvalidStatement("the XML has no element in its first 64 KB", where="line 1")
    namespace, _, local = found[0].rpartition(" ")
    return namespace, local


class _Stop(Exception):
    """Ends parsing at the root element."""
