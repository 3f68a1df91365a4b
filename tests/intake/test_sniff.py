"""intake.sniff: a file's type from its bytes (never its name), and the size limits."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from PIL import Image

from core.errors import EmptyFile, FileTooLarge, UnsupportedFileType
from intake.sniff import ACCEPTED_TYPES, check_size, sniff_media_type
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), "white").save(buffer, fmt)
    return buffer.getvalue()


def _big_endian_tiff() -> bytes:
    """A valid 1x1 grey TIFF in Motorola byte order (Pillow only writes Intel order)."""
    entries = [(256, 3, 1), (257, 3, 1), (258, 3, 8), (259, 3, 1), (262, 3, 1), (273, 4, None), (277, 3, 1),
               (278, 3, 1), (279, 4, 1)]
    data_offset = 8 + 2 + len(entries) * 12 + 4
    out = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", len(entries))
    for tag, kind, value in entries:
        value = data_offset if value is None else value
        out += struct.pack(">HHIHH", tag, kind, 1, value, 0) if kind == 3 else struct.pack(">HHII", tag, kind, 1, value)
    return out + struct.pack(">I", 0) + b"\x80"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


OFD_XML = b'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.1"/>'
WINDOWS_EXE = b"MZ\x90\x00\x03" + b"\x00" * 60 + b"This program cannot be run in DOS mode.\r\n$"
UBL_XML = (b'<?xml version="1.0" encoding="UTF-8"?>'
           b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: render_invoice_pdf(SampleInvoice()), "application/pdf"),
    (lambda: _image("PNG"), "image/png"),
    (lambda: _image("JPEG"), "image/jpeg"),
    (lambda: _image("TIFF"), "image/tiff"),
    (_big_endian_tiff, "image/tiff"),
    (lambda: UBL_XML, "application/xml"),
    (lambda: b"\xef\xbb\xbf" + UBL_XML, "application/xml"),
    (lambda: b"\n  <Invoice><ID>1</ID></Invoice>", "application/xml"),
    (lambda: b'<?xml version="1.0" encoding="ISO-8859-1"?><Rechnung>M\xfcller</Rechnung>', "application/xml"),
    (lambda: _zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"}), "application/ofd"),
    (lambda: _zip({"invoice/ofd.xml": OFD_XML}), "application/ofd"),
], ids=["pdf", "png", "jpeg", "tiff-intel", "tiff-motorola", "xml", "xml-bom", "xml-no-declaration",
        "xml-latin1", "ofd", "ofd-in-folder"])
def test_sniff_recognises_accepted_types_from_their_bytes(make, expected):
    assert sniff_media_type(make()) == expected
    assert expected in ACCEPTED_TYPES


def test_sniff_accepts_a_pdf_header_after_leading_junk_within_the_first_kilobyte():
    # Readers tolerate bytes before %PDF- (some mail gateways prepend them).
    assert sniff_media_type(b"\r\n" * 20 + render_invoice_pdf(SampleInvoice())) == "application/pdf"


@pytest.mark.parametrize(("data", "words"), [
    (WINDOWS_EXE, "not a PDF, PNG, JPEG, TIFF"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 57, "not a PDF, PNG, JPEG, TIFF"),
    (b"Invoice INV-1\nTotal: 12.00 EUR\n", "not a PDF, PNG, JPEG, TIFF"),
    (b"GIF89a\x01\x00\x01\x00", "not a PDF, PNG, JPEG, TIFF"),
    (b"\x00\x01\x02\x03" * 64, "not a PDF, PNG, JPEG, TIFF"),
    (_zip({"invoice.pdf": b"%PDF-1.4 ...", "readme.txt": b"hello"}), "ZIP archives are not accepted"),
    (b"PK\x03\x04 this is not really a zip", "cannot be opened"),
], ids=["windows-exe", "elf", "plain-text", "gif", "binary-noise", "zip-without-ofd", "broken-zip"])
def test_sniff_refuses_other_files_with_a_readable_reason(data, words):
    with pytest.raises(UnsupportedFileType) as raised:
        sniff_media_type(data)
    assert words in raised.value.detail
    assert raised.value.status_code == 415


def test_sniff_judges_the_bytes_not_the_name(make_user, client_for):
    """A text file called invoice.pdf, sent as application/pdf, is refused at the API and nothing is stored."""
    clerk = client_for(make_user("clerk"))
    text = b"Invoice INV-7\nTotal 12.00 EUR\n"
    with pytest.raises(UnsupportedFileType):
        sniff_media_type(text)

    response = clerk.post("/api/v1/documents", files={"file": ("invoice.pdf", text, "application/pdf")})

    assert response.status_code == 415
    assert response.json()["error"] == "UnsupportedFileType"
    assert "Convert it to PDF" in response.json()["detail"]
    assert clerk.get("/api/v1/documents").json()["items"] == []


def test_check_size_refuses_an_empty_file():
    with pytest.raises(EmptyFile) as raised:
        check_size(0, max_bytes=1000)
    assert raised.value.status_code == 422
    assert "empty" in raised.value.detail


def test_check_size_refuses_a_file_over_the_limit_and_names_the_limit():
    with pytest.raises(FileTooLarge) as raised:
        check_size(1001, max_bytes=1000)
    assert raised.value.status_code == 413
    assert "1,000 bytes" in raised.value.detail


@pytest.mark.parametrize("size", [1, 999, 1000])
def test_check_size_accepts_sizes_up_to_and_including_the_limit(size):
    assert check_size(size, max_bytes=1000) is None


def test_html_is_not_taken_for_an_xml_invoice():
    for page in (b"<!DOCTYPE html><html><body>hi</body></html>", b"<html><body>hi</body></html>"):
        with pytest.raises(UnsupportedFileType):
            sniff_media_type(page)


def test_xml_that_starts_with_a_comment_is_xml():
    assert sniff_media_type(b"<!-- exported by ERP --><Invoice xmlns='urn:x'/>") == "application/xml"
