"""The Chinese e-invoice XML and its XBRL form, read from XML written here."""

from decimal import Decimal

import pytest

from extraction.einvoice.chinese import iso_date, read_chinese_xbrl, read_chinese_xml
from extraction.einvoice.model import NotAnEInvoice, TaxSubtotal, Totals
from extraction.einvoice.xmltree import InvalidEInvoice, parse_xml

FP = "http://www.edrm.org.cn/schema/e-invoice/2019"


def einvoice_xml(goods: str, *, date: str = "2020年07月23日", total: str = "526.00", root: str = "eInvoice") -> bytes:
    """An invoice shaped like the attachment of real OFD invoices: unprefixed root, ``fp:`` children."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<{root} xmlns:fp="{FP}" Version="1.0"><fp:InvoiceCode>033002000211</fp:InvoiceCode>
<fp:InvoiceNo>83089647</fp:InvoiceNo><fp:TypeCode>0</fp:TypeCode><fp:IssueDate>{date}</fp:IssueDate>
<fp:InvoiceCheckCode>16197833567414507415</fp:InvoiceCheckCode>
<fp:Buyer><fp:BuyerName>江苏京利华新材料有限公司</fp:BuyerName><fp:BuyerTaxID>91320115MA202UKD7X</fp:BuyerTaxID></fp:Buyer>
<fp:Seller><fp:SellerName>兰溪市悦济舫餐厅</fp:SellerName><fp:SellerTaxID>92330781MA2EDMFU50</fp:SellerTaxID>
<fp:SellerAddrTel>兰溪市丹溪大道1055号057988222001</fp:SellerAddrTel><fp:SellerFinancialAccount>中国邮政储蓄银行 6217</fp:SellerFinancialAccount></fp:Seller>
<fp:TaxInclusiveTotalAmount>{total}</fp:TaxInclusiveTotalAmount><fp:Note></fp:Note>
<fp:TaxTotalAmount>15.32</fp:TaxTotalAmount><fp:TaxExclusiveTotalAmount>510.68</fp:TaxExclusiveTotalAmount>
<fp:GoodsInfos>{goods}</fp:GoodsInfos></{root}>""".encode()


def goods(item: str, amount: str, rate: str, tax: str, *, price: str = "", quantity: str = "", unit: str = "",
          spec: str = "") -> str:
    return (f"<fp:GoodsInfo><fp:Item>{item}</fp:Item><fp:Specification>{spec}</fp:Specification>"
            f"<fp:MeasurementDimension>{unit}</fp:MeasurementDimension><fp:Price>{price}</fp:Price>"
            f"<fp:Quantity>{quantity}</fp:Quantity><fp:Amount>{amount}</fp:Amount><fp:TaxScheme>{rate}</fp:TaxScheme>"
            f"<fp:TaxAmount>{tax}</fp:TaxAmount></fp:GoodsInfo>")


ONE_LINE = goods("*餐饮服务*餐费", "510.68", "3%", "15.32", price="510.679612", quantity="1")


def test_the_header_fields_are_read_as_written_with_an_iso_date():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE)))
    assert invoice.values == {
        "invoice_code": "033002000211", "invoice_number": "83089647", "invoice_date": "2020-07-23",
        "check_code": "16197833567414507415", "customer_name": "江苏京利华新材料有限公司",
        "customer_tax_id": "91320115MA202UKD7X", "vendor_name": "兰溪市悦济舫餐厅",
        "vendor_tax_id": "92330781MA2EDMFU50", "vendor_address": "兰溪市丹溪大道1055号057988222001",
        "subtotal": "510.68", "tax_amount": "15.32", "total_amount": "526.00", "currency": "CNY", "tax_rate": "3"}
    assert invoice.syntax == "CN e-invoice XML" and invoice.profile == "1.0" and not invoice.is_credit_note
    assert invoice.description == "CN e-invoice XML (1.0) invoice"


def test_evidence_names_the_element_path_and_says_the_currency_is_implied():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE)))
    assert invoice.evidence["vendor_name"] == "eInvoice/Seller/SellerName"
    assert invoice.evidence["customer_tax_id"] == "eInvoice/Buyer/BuyerTaxID"
    assert invoice.evidence["total_amount"] == "eInvoice/TaxInclusiveTotalAmount"
    assert "implied" in invoice.evidence["currency"]


def test_a_line_item_keeps_its_quantity_price_rate_and_tax():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE)))
    (line,) = invoice.lines
    assert line.description == "*餐饮服务*餐费"
    assert (line.quantity, line.unit_price, line.amount) == (Decimal("1"), Decimal("510.679612"), Decimal("510.68"))
    assert (line.tax_rate, line.tax_amount, line.tax_category, line.unit) == (Decimal("3"), Decimal("15.32"), None, None)


def test_totals_state_the_sums_and_the_due_amount_is_the_total():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE)))
    assert invoice.totals == Totals(line_net=Decimal("510.68"), without_tax=Decimal("510.68"), tax=Decimal("15.32"),
                                    with_tax=Decimal("526.00"), due=Decimal("526.00"))


def test_lines_at_two_rates_give_two_breakdowns_and_no_single_rate():
    lines = (goods("*餐饮服务*餐费", "100.00", "6%", "6.00") + goods("*餐饮服务*餐费", "50.00", "6%", "3.00")
             + goods("*印刷品*POP制作费", "200.00", "13%", "26.00", unit="组", spec="A4"))
    invoice = read_chinese_xml(parse_xml(einvoice_xml(lines)))
    assert invoice.tax_subtotals == (TaxSubtotal(None, Decimal("6"), Decimal("150.00"), Decimal("9.00")),
                                     TaxSubtotal(None, Decimal("13"), Decimal("200.00"), Decimal("26.00")))
    assert "tax_rate" not in invoice.values
    assert invoice.lines[2].description == "*印刷品*POP制作费 A4" and invoice.lines[2].unit == "组"
    assert invoice.totals.line_net == Decimal("350.00")


def test_a_tax_free_line_has_a_category_and_no_tax_amount():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(goods("*蔬菜*白菜", "80.00", "免税", "***"))))
    (line,) = invoice.lines
    assert (line.tax_category, line.tax_rate, line.tax_amount) == ("免税", None, None)
    assert invoice.tax_subtotals == (TaxSubtotal("免税", None, Decimal("80.00"), None),)


def test_a_red_letter_invoice_keeps_its_negative_amounts_and_is_not_a_credit_note():
    xml = einvoice_xml(goods("*餐饮服务*餐费", "-510.68", "3%", "-15.32"), total="-526.00")
    invoice = read_chinese_xml(parse_xml(xml))
    assert invoice.values["total_amount"] == "-526.00" and not invoice.is_credit_note
    assert invoice.lines[0].amount == Decimal("-510.68") and invoice.totals.due == Decimal("-526.00")


@pytest.mark.parametrize(("written", "iso"), [("2020年07月23日", "2020-07-23"), ("2024-05-28", "2024-05-28"),
                                              ("2024/5/8", "2024-05-08"), ("20240528", "2024-05-28"),
                                              ("2024-05-28 10:08:05", "2024-05-28"), ("2024年13月01日", None),
                                              ("soon", None)])
def test_dates_are_made_iso(written, iso):
    assert iso_date(written) == iso


def test_an_unreadable_date_is_left_out_rather_than_guessed():
    invoice = read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE, date="二〇二〇年")))
    assert "invoice_date" not in invoice.values


def test_the_root_may_be_prefixed_and_called_EInvoice():
    xml = einvoice_xml(ONE_LINE).replace(b"<eInvoice ", b"<fp:EInvoice ").replace(b"</eInvoice>", b"</fp:EInvoice>")
    assert read_chinese_xml(parse_xml(xml)).values["invoice_number"] == "83089647"


def test_an_amount_that_is_no_number_is_refused_with_its_place():
    with pytest.raises(InvalidEInvoice, match="TaxInclusiveTotalAmount is 'five hundred'"):
        read_chinese_xml(parse_xml(einvoice_xml(ONE_LINE, total="five hundred")))


def test_another_root_is_not_a_chinese_invoice():
    with pytest.raises(NotAnEInvoice):
        read_chinese_xml(parse_xml(b"<Invoice/>"))


XBRL = """<?xml version="1.0" encoding="UTF-8"?>
<xbrli:xbrl xmlns:xbrli="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase"
 xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:inv="http://example.cn/taxonomy/invoice">
 <link:schemaRef xmlns:xlink="http://www.w3.org/1999/xlink" xlink:type="simple" xlink:href="invoice.xsd"/>
 <xbrli:context id="c1"><xbrli:entity><xbrli:identifier scheme="http://www.chinatax.gov.cn">91110108690017781B</xbrli:identifier></xbrli:entity>
  <xbrli:period><xbrli:instant>2024-05-28</xbrli:instant></xbrli:period></xbrli:context>
 <xbrli:unit id="u1"><xbrli:measure>iso4217:CNY</xbrli:measure></xbrli:unit>
 <inv:InvoiceNumber contextRef="c1">24112000000048542163</inv:InvoiceNumber>
 <inv:IssueDate contextRef="c1">2024-05-28</inv:IssueDate>
 <inv:BuyerName contextRef="c1">海南麒麟云服科技有限公司</inv:BuyerName>
 <inv:BuyerIdNum contextRef="c1">91460300MAA92DJN95</inv:BuyerIdNum>
 <inv:SellerName contextRef="c1">北京互联三六五科技有限公司</inv:SellerName>
 <inv:SellerIdNum contextRef="c1">91110108690017781B</inv:SellerIdNum>
 <inv:TotalAmWithoutTax contextRef="c1" unitRef="u1" decimals="2">4197.17</inv:TotalAmWithoutTax>
 <inv:TotalTaxAm contextRef="c1" unitRef="u1" decimals="2">251.83</inv:TotalTaxAm>
 <inv:TotalTax-includedAmount contextRef="c1" unitRef="u1" decimals="2">4449.00</inv:TotalTax-includedAmount>
 <inv:InvoiceNumber>not a fact without a context</inv:InvoiceNumber>
</xbrli:xbrl>"""


def test_xbrl_facts_are_matched_by_name():
    invoice = read_chinese_xbrl(parse_xml(XBRL.encode()))
    assert invoice.values == {
        "invoice_number": "24112000000048542163", "invoice_date": "2024-05-28",
        "customer_name": "海南麒麟云服科技有限公司", "customer_tax_id": "91460300MAA92DJN95",
        "vendor_name": "北京互联三六五科技有限公司", "vendor_tax_id": "91110108690017781B", "subtotal": "4197.17",
        "tax_amount": "251.83", "total_amount": "4449.00", "currency": "CNY"}
    assert invoice.syntax == "CN XBRL" and invoice.lines == ()
    assert invoice.evidence["invoice_number"] == "xbrl/InvoiceNumber[@contextRef='c1']"
    assert invoice.evidence["currency"] == "xbrl/unit[@id='u1']/measure"
    assert invoice.totals.with_tax == Decimal("4449.00") and invoice.totals.due == Decimal("4449.00")


def test_xbrl_with_the_e_invoice_element_names_is_read_too():
    xml = (XBRL.replace("InvoiceNumber", "InvoiceNo").replace("TotalTax-includedAmount", "TaxInclusiveTotalAmount")
           .replace("iso4217:CNY", "iso4217:usd"))
    invoice = read_chinese_xbrl(parse_xml(xml.encode()))
    assert invoice.values["invoice_number"] == "24112000000048542163"
    assert invoice.values["currency"] == "USD"


def test_another_root_is_not_xbrl():
    with pytest.raises(NotAnEInvoice):
        read_chinese_xbrl(parse_xml(einvoice_xml(ONE_LINE)))
