"""intake.sniff: a file's type from its bytes (never its name), and the size limits."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
from PIL import Image

from core.errors import EmptyFile, UnsupportedFileType
import extraction.image_pages  # noqa: F401  registers the HEIC opener that writes the fixture
from intake.sniff import ACCEPTED_TYPES, check_not_empty, sniff_media_type
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
CII_XML = (b'<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100">'
           b'</rsm:CrossIndustryInvoice>')
CHINESE_XML = ('<?xml version="1.0" encoding="utf-8"?><eInvoice xmlns:fp="http://www.edrm.org.cn/schema/e-invoice/2019">'
               '<fp:InvoiceNo>12235358</fp:InvoiceNo><fp:SellerName>上海某某有限公司</fp:SellerName></eInvoice>').encode()


def sniff(data: bytes) -> str:
    return sniff_media_type(io.BytesIO(data))


@pytest.mark.parametrize(("make", "expected"), [
    (lambda: render_invoice_pdf(SampleInvoice()), "application/pdf"),
    (lambda: _image("PNG"), "image/png"),
    (lambda: _image("JPEG"), "image/jpeg"),
    (lambda: _image("TIFF"), "image/tiff"),
    (_big_endian_tiff, "image/tiff"),
    (lambda: _image("WEBP"), "image/webp"),
    (lambda: _image("BMP"), "image/bmp"),
    (lambda: _image("HEIF"), "image/heic"),
    (lambda: UBL_XML, "application/xml"),
    (lambda: b"\xef\xbb\xbf" + UBL_XML, "application/xml"),
    (lambda: b"\n  " + CII_XML, "application/xml"),
    (lambda: CHINESE_XML, "application/xml"),
    (lambda: UBL_XML.decode().replace("UTF-8", "UTF-16").encode("utf-16"), "application/xml"),
    (lambda: b'<?xml version="1.0" encoding="ISO-8859-1"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:'
             b'xsd:Invoice-2"><Note>M\xfcller</Note></Invoice>', "application/xml"),
    (lambda: _zip({"OFD.xml": OFD_XML, "Doc_0/Document.xml": b"<ofd:Document/>"}), "application/ofd"),
    (lambda: _zip({"invoice/ofd.xml": OFD_XML}), "application/ofd"),
], ids=["pdf", "png", "jpeg", "tiff-intel", "tiff-motorola", "webp", "bmp", "heic", "ubl", "ubl-bom", "cii-no-declaration",
        "chinese-e-invoice", "ubl-utf16", "ubl-latin1", "ofd", "ofd-in-folder"])
def test_sniff_recognises_accepted_types_from_their_bytes(make, expected):
    assert sniff(make()) == expected
    assert expected in ACCEPTED_TYPES


def test_sniff_accepts_a_pdf_header_after_leading_junk_within_the_first_kilobyte():
    # Readers tolerate bytes before %PDF- (some mail gateways prepend them).
    assert sniff(b"\r\n" * 20 + render_invoice_pdf(SampleInvoice())) == "application/pdf"


@pytest.mark.parametrize(("data", "words"), [
    (WINDOWS_EXE, "not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC)"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 57, "not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC)"),
    (b"Invoice INV-1\nTotal: 12.00 EUR\n", "not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC)"),
    (b"GIF89a\x01\x00\x01\x00", "not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC)"),
    (b"\x00\x01\x02\x03" * 64, "not a PDF, an image (PNG, JPEG, TIFF, WebP, BMP, HEIC)"),
    (_zip({"invoice.pdf": b"%PDF-1.4 ...", "readme.txt": b"hello"}), "ZIP archives are not accepted"),
    (b"PK\x03\x04 this is not really a zip", "cannot be opened"),
], ids=["windows-exe", "elf", "plain-text", "gif", "binary-noise", "zip-without-ofd", "broken-zip"])
def test_sniff_refuses_other_files_with_a_readable_reason(data, words):
    with pytest.raises(UnsupportedFileType) as raised:
        sniff(data)
    assert words in raised.value.detail
    assert raised.value.status_code == 415


def test_sniff_judges_the_bytes_not_the_name(make_user, client_for):
    """A text file called invoice.pdf, sent as application/pdf, is refused at the API and nothing is stored."""
    clerk = client_for(make_user("clerk"))
    text = b"Invoice INV-7\nTotal 12.00 EUR\n"
    with pytest.raises(UnsupportedFileType):
        sniff(text)

    response = clerk.post("/api/v1/documents", files={"file": ("invoice.pdf", text, "application/pdf")})

    assert response.status_code == 415
    assert response.json()["error"] == "UnsupportedFileType"
    assert "Convert it to PDF" in response.json()["detail"]
    assert clerk.get("/api/v1/documents").json()["items"] == []


def test_an_empty_file_is_refused():
    with pytest.raises(EmptyFile) as raised:
        check_not_empty(0)
    assert raised.value.status_code == 422
    assert "empty" in raised.value.detail
    assert check_not_empty(1) is None


@pytest.mark.parametrize("data", [
    b"<!DOCTYPE html><html><body>hi</body></html>",
    b"<html><body>hi</body></html>",
    b'<html xmlns="http://www.w3.org/1999/xhtml"><body>hi</body></html>',
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    b"<Invoice><ID>1</ID></Invoice>",
    b'<?xml version="1.0" encoding="ISO-8859-1"?><Rechnung>M\xfcller</Rechnung>',
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
    b'<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2">&lol2;</Invoice>',
    b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'",
], ids=["html-doctype", "html", "xhtml", "svg", "invoice-without-namespace", "other-xml", "dtd-entities", "broken"])
def test_xml_is_accepted_only_as_an_e_invoice(data):
    with pytest.raises(UnsupportedFileType) as raised:
        sniff(data)
    assert raised.value.status_code == 415 and raised.value.detail


def test_the_refusal_names_the_root_element():
    with pytest.raises(UnsupportedFileType, match="'svg' in 'http://www.w3.org/2000/svg'"):
        sniff(b'<svg xmlns="http://www.w3.org/2000/svg"/>')


def test_xml_that_starts_with_a_comment_is_read_past_it():
    comment = b"<!-- exported by ERP -->"
    assert sniff(comment + b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>") \
        == "application/xml"
