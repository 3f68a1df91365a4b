"""OFD invoices read from packages the tests write (tests/extraction/einvoice/ofd_builder.py)."""

import io
from decimal import Decimal

import pytest
from PIL import Image

from extraction.einvoice.model import Located
from extraction.einvoice.ofd import OfdLimits, read_ofd
from extraction.einvoice.ofd_content import deltas
from extraction.einvoice.ofd_package import open_package, resolve
from extraction.einvoice.xmltree import InvalidEInvoice
from extraction.reading import png_bytes
from tests.extraction.einvoice import ofd_builder as build


def test_an_attached_invoice_xml_is_read_exactly():
    invoice = read_ofd(build.xml_attachment_ofd()).einvoice
    assert invoice.syntax == "CN e-invoice XML"
    assert invoice.values["invoice_number"] == "83089647" and invoice.values["invoice_date"] == "2020-07-23"
    assert invoice.values["vendor_name"] == "兰溪市悦济舫餐厅" and invoice.values["total_amount"] == "526.00"
    assert invoice.evidence["vendor_name"] == "Doc_0/Attachs/original_invoice.xml: eInvoice/Seller/SellerName"
    assert invoice.lines[0].amount == Decimal("510.68") and invoice.locations == {}


def test_custom_tags_give_the_texts_of_the_objects_they_point_at():
    invoice = read_ofd(build.tagged_ofd()).einvoice
    assert invoice.syntax == "OFD tags" and invoice.description == "OFD tags invoice"
    assert invoice.values == {
        "invoice_number": "24112000000048542163", "invoice_date": "2024-05-28",
        "customer_name": "海南麒麟云服科技有限公司", "customer_tax_id": "91460300MAA92DJN95",
        "vendor_name": "北京互联三六五科技有限公司", "vendor_tax_id": "91110108690017781B", "subtotal": "4197.17",
        "tax_amount": "251.83", "total_amount": "4449.00", "currency": "CNY", "tax_rate": "6"}
    assert invoice.evidence["total_amount"] == ("Doc_0/Tags/CustomTag.xml: root/TaxInclusiveTotalAmount → "
                                                "text objects 6935, 6936")


def test_tagged_line_items_are_joined_in_ref_order():
    invoice = read_ofd(build.tagged_ofd()).einvoice
    (line,) = invoice.lines
    assert line.description == "*信息技术服务*技术服务费"
    assert (line.amount, line.tax_rate, line.tax_amount) == (Decimal("4197.17"), Decimal("6"), Decimal("251.83"))
    assert invoice.totals.with_tax == Decimal("4449.00") and invoice.totals.line_net == Decimal("4197.17")


def test_tagged_fields_are_located_by_the_union_of_their_objects_boundaries():
    locations = read_ofd(build.tagged_ofd()).einvoice.locations
    assert locations["invoice_number"] == Located(1, pytest.approx((170 / 210, 10.3 / 140, 208 / 210, 15.3 / 140)))
    # the ¥ object (155.5..204) and the amount (158..204) together
    assert locations["total_amount"] == Located(1, pytest.approx((155.5 / 210, 96 / 140, 204 / 210, 103.5 / 140)))
    assert set(locations) == {"invoice_number", "invoice_date", "customer_name", "customer_tax_id", "vendor_name",
                              "vendor_tax_id", "subtotal", "tax_amount", "total_amount"}


def test_with_an_attachment_and_tags_the_values_are_the_attachments_and_the_locations_the_tags():
    invoice = read_ofd(build.xml_attachment_ofd(with_tags=True)).einvoice
    assert invoice.syntax == "CN e-invoice XML" and invoice.values["invoice_number"] == "83089647"
    assert invoice.locations["invoice_number"].bbox == pytest.approx((170 / 210, 10.3 / 140, 208 / 210, 15.3 / 140))


def test_an_xbrl_attachment_is_read_by_its_fact_names():
    invoice = read_ofd(build.xbrl_ofd()).einvoice
    assert invoice.syntax == "CN XBRL"
    assert invoice.values["invoice_number"] == "24112000000048542163"
    assert invoice.values["total_amount"] == "4449.00" and invoice.values["invoice_date"] == "2024-05-28"


def test_a_malformed_tag_file_like_the_real_ones_is_still_read():
    invoice = read_ofd(build.tagged_ofd(build.malformed_tag_file())).einvoice
    assert invoice.values["invoice_number"] == "24112000000048542163"
    assert invoice.values["customer_name"] == "海南麒麟云服科技有限公司"
    assert invoice.evidence["invoice_number"].startswith("Doc_0/Tags/CustomTag.xml: eInvoice/InvoiceNo")


def test_the_first_page_holds_the_page_and_template_text_as_fractions_of_the_page():
    page = read_ofd(build.tagged_ofd()).first_page
    assert page.source == "ofd" and page.number == 1
    assert page.width == pytest.approx(210 * 72 / 25.4) and page.height == pytest.approx(140 * 72 / 25.4)
    words = {word.text: word for word in page.words}
    assert "¥" not in words and "发票号码：" in words
    assert words["24112000000048542163"].bbox == pytest.approx((170 / 210, 10.3 / 140, 208 / 210, 15.3 / 140))
    assert words["24112000000048542163"].size == pytest.approx(3.175 * 72 / 25.4)


def test_the_first_page_is_drawn_at_eight_pixels_a_millimetre():
    png = png_bytes(read_ofd(build.tagged_ofd(), draw=True).first_page_image)
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and picture.size == (1680, 1120)
    assert picture.convert("RGB").getpixel((8 * 18, 8 * 14)) == (200, 0, 0)  # the image resource
    assert picture.convert("L").getextrema()[0] < 128  # text and lines are drawn


def test_a_package_without_invoice_data_is_refused_with_the_reason():
    with pytest.raises(InvalidEInvoice, match="no invoice XML attachment and no custom tags"):
        read_ofd(build.no_invoice_ofd())


def test_a_zip_bomb_is_refused_by_its_declared_size():
    with pytest.raises(InvalidEInvoice, match="zip bomb"):
        read_ofd(build.zip_bomb_ofd(3 * 1024 * 1024), OfdLimits(max_entry_bytes=2 * 1024 * 1024))


def test_a_highly_compressed_entry_is_refused_by_its_ratio():
    with pytest.raises(InvalidEInvoice, match="over 200 times"):
        read_ofd(build.zip_bomb_ofd(1024 * 1024))


def test_a_zip_bomb_that_declares_a_small_size_is_stopped_while_reading():
    package = open_package(build.lying_size_bomb_ofd(4 * 1024 * 1024))
    with pytest.raises(InvalidEInvoice, match="cannot be unpacked"):
        package.read("Doc_0/Res/filler.bin")


def test_the_total_of_all_entries_is_bounded():
    with pytest.raises(InvalidEInvoice, match="too big"):
        read_ofd(build.xml_attachment_ofd(), OfdLimits(max_total_bytes=2000))


def test_too_many_entries_are_refused():
    with pytest.raises(InvalidEInvoice, match="entries"):
        read_ofd(build.xml_attachment_ofd(), OfdLimits(max_entries=3))


@pytest.mark.parametrize("name", ["../evil.xml", "Doc_0/../../evil.xml", "/etc/evil.xml", "C:/evil.xml",
                                  "Doc_0\\..\\..\\evil.xml"])
def test_entries_named_outside_the_package_refuse_it(name):
    with pytest.raises(InvalidEInvoice, match="outside the package"):
        read_ofd(build.escaping_path_ofd(name))


def test_a_reference_that_climbs_out_of_the_package_is_refused():
    with pytest.raises(InvalidEInvoice, match="outside the package"):
        read_ofd(build.escaping_reference_ofd())


def test_an_entity_bomb_in_an_xml_part_is_refused_unread():
    with pytest.raises(InvalidEInvoice, match="declares a DTD"):
        read_ofd(build.entity_bomb_ofd())


def test_an_entity_bomb_in_a_tag_file_is_refused_too():
    with pytest.raises(InvalidEInvoice, match="declares a DTD"):
        read_ofd(build.tagged_ofd(build.ENTITY_BOMB))


def test_a_corrupt_zip_is_refused_as_damaged():
    with pytest.raises(InvalidEInvoice, match="not a readable ZIP"):
        read_ofd(build.corrupt_ofd())


def test_an_encrypted_entry_is_refused():
    data = bytearray(build.xml_attachment_ofd())
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flags_at] |= 0x1
            start += 4
    with pytest.raises(InvalidEInvoice, match="encrypted"):
        read_ofd(bytes(data))


def test_a_missing_referenced_page_is_named():
    with pytest.raises(InvalidEInvoice, match="Doc_0/Pages/Page_9/Content.xml, which it does not contain"):
        read_ofd(build.missing_page_ofd())


def test_a_file_that_is_no_ofd_is_refused():
    with pytest.raises(InvalidEInvoice, match="no OFD.xml"):
        read_ofd(build.package({"hello.txt": "hi"}))


def test_references_resolve_inside_the_archive_case_insensitively():
    parts = build.base_parts(attachments=True)
    parts |= {"doc_0/attachs/attachments.XML": build.attachments_index("Original_Invoice.xml"),
              "Doc_0/Attachs/original_invoice.xml": build.INVOICE_XML}
    assert read_ofd(build.package(parts)).einvoice.values["invoice_number"] == "83089647"


@pytest.mark.parametrize(("referrer", "location", "name"), [
    ("Doc_0/Document.xml", "Pages/Page_0/Content.xml", "Doc_0/Pages/Page_0/Content.xml"),
    ("Doc_0/Document.xml", "/Doc_0/Res/a.png", "Doc_0/Res/a.png"),
    ("Doc_0/Pages/Page_0/Content.xml", "../../Res/./a.png", "Doc_0/Res/a.png"),
    ("OFD.xml", "Doc_0\\Document.xml", "Doc_0/Document.xml")])
def test_resolve(referrer, location, name):
    assert resolve(referrer, location) == name


def test_delta_shorthand_repeats_a_value():
    assert deltas("g 3 1.5 2.5 g 2 0.5") == (1.5, 1.5, 1.5, 2.5, 0.5, 0.5)
    assert deltas(None) == ()


def test_a_page_that_cannot_be_drawn_leaves_the_invoice_readable():
    parts = build.base_parts(tags=True)
    parts |= {"Doc_0/Tags/CustomTags.xml": build.tags_index(), "Doc_0/Tags/CustomTag.xml": build.tag_file(),
              "Doc_0/Res/image_6949.png": b"\x89PNG but broken"}
    result = read_ofd(build.package(parts), draw=True)
    assert result.first_page_image is None and result.einvoice.values["invoice_number"] == "24112000000048542163"


def test_a_read_stops_at_the_limit_whatever_the_directory_declares():
    import zipfile

    from extraction.einvoice.ofd_package import bounded_read
    archive = zipfile.ZipFile(io.BytesIO(build.package({"big.xml": "<a>" + "x" * 200_000 + "</a>"})))
    with pytest.raises(InvalidEInvoice, match="zip bomb"):
        bounded_read(archive, archive.getinfo("big.xml"), OfdLimits(max_entry_bytes=100_000), budget=10**9)
