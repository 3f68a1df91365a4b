"""Finding the e-invoice XML in PDFs the tests build with fpdf2."""

import pytest
from fpdf import FPDF

from extraction.einvoice.pdf_attachment import AttachmentLimits, EmbeddedXml, embedded_xml
from extraction.einvoice.xmltree import InvalidEInvoice
from tests.extraction.einvoice.cii_builder import cii_xml, zugferd1_xml

INVOICE = cii_xml()
UNRELATED = b'<?xml version="1.0"?><delivery><note>Palette 3 von 4</note></delivery>'


def pdf_with(*attachments: tuple[str, bytes, str | None], compress: bool = False) -> bytes:
    """A one-page PDF carrying ``(name, data, AFRelationship or None)`` attachments, in that order."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Rechnung RE-2024-0815")
    for name, data, relationship in attachments:
        pdf.embed_file(bytes=data, basename=name, associated_file_relationship=relationship, compress=compress)
    return bytes(pdf.output())


def test_the_attachment_associated_as_data_is_the_invoice():
    found = embedded_xml(pdf_with(("factur-x.xml", INVOICE, "Data")))

    assert found == EmbeddedXml("factur-x.xml", INVOICE, "Data")


def test_a_zugferd1_attachment_without_association_is_found_by_its_name():
    invoice = zugferd1_xml()

    assert embedded_xml(pdf_with(("ZUGFeRD-invoice.xml", invoice, None))) == \
        EmbeddedXml("ZUGFeRD-invoice.xml", invoice, None)


def test_an_unrelated_xml_attachment_is_no_invoice():
    assert embedded_xml(pdf_with(("lieferschein.xml", UNRELATED, "Supplement"))) is None


def test_an_xml_with_another_name_is_the_invoice_when_its_root_is_one():
    found = embedded_xml(pdf_with(("lieferschein.xml", UNRELATED, None), ("rechnung-0815.xml", INVOICE, None)))

    assert found == EmbeddedXml("rechnung-0815.xml", INVOICE, None)


def test_the_associated_attachment_wins_over_a_known_name_without_association():
    older = zugferd1_xml()

    found = embedded_xml(pdf_with(("zugferd-invoice.xml", older, None), ("invoice.xml", INVOICE, "Alternative")))

    assert found == EmbeddedXml("invoice.xml", INVOICE, "Alternative")


def test_an_oversized_invoice_attachment_is_refused_with_a_reason():
    oversized = INVOICE + b" " * (10 * 1024 * 1024)
    reason = rf"factur-x.xml is {len(oversized):,} bytes uncompressed, more than the 10,485,760 bytes \(10 MB\)"

    with pytest.raises(InvalidEInvoice, match=reason):
        embedded_xml(pdf_with(("factur-x.xml", oversized, "Alternative"), compress=True))


def test_the_limit_can_be_set():
    with pytest.raises(InvalidEInvoice, match="factur-x.xml"):
        embedded_xml(pdf_with(("factur-x.xml", INVOICE, "Data")), AttachmentLimits(max_bytes=1000))


def test_an_oversized_xml_nothing_claims_as_the_invoice_is_passed_over():
    pdf = pdf_with(("messdaten.xml", UNRELATED, None), ("rechnung.xml", INVOICE, None))

    assert embedded_xml(pdf, AttachmentLimits(max_bytes=len(UNRELATED) - 1)) is None


def test_compressed_attachments_are_read():
    assert embedded_xml(pdf_with(("factur-x.xml", INVOICE, "Alternative"), compress=True)).data == INVOICE


def test_a_pdf_without_attachments_has_no_invoice():
    assert embedded_xml(pdf_with()) is None


@pytest.mark.parametrize("damage", [
    lambda pdf: pdf[: len(pdf) // 3],
    lambda pdf: b"%PDF-1.7\n" + b"\x00garbage" * 100,
    lambda pdf: b"",
])
def test_a_damaged_pdf_gives_none(damage):
    assert embedded_xml(damage(pdf_with(("factur-x.xml", INVOICE, "Data")))) is None
