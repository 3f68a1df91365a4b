"""``ledgerdesk eval``: the pure scores on exact small cases, the folder layouts on tiny folders written here, and
whole runs through the command line on documents the tests make."""

from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from fpdf import FPDF

from ledgerdesk.cli import EVAL_KINDS, main
from ledgerdesk.evaluation.confidence import JudgedDocument, JudgedField, judged_document, reliability, straight_through
from ledgerdesk.evaluation.corpora import READERS, CorpusError, parse_kleister_pairs, read_corpus
from ledgerdesk.evaluation.item_scores import ItemCounts, matched_items, score_items
from ledgerdesk.evaluation.metrics import (
    FieldCounts, accuracy, character_errors, compare_field, edit_distance, macro_f1, matched_tokens, median,
    micro_f1, normalise, percentile, score_fields,
)
from ledgerdesk.evaluation.measure import measure, plan
from ledgerdesk.evaluation.scoring import predicted_values
from ledgerdesk.evaluation.split import choose, is_held_out
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.einvoice_fixtures import ubl_invoice
from tests.extraction.einvoice.cii_builder import InvoiceSpec, cii_xml
from tests.extraction.einvoice.cii_builder import Line as CiiLine

# --- metrics -------------------------------------------------------------------------------------------------


def test_values_are_compared_upper_case_with_single_spaces_amounts_as_numbers_and_dates_as_iso():
    assert normalise("merchant_name", "  Book  ta .K\n(Taman) ") == "BOOK TA .K (TAMAN)"
    assert normalise("total_amount", "RM 9.00") == normalise("total_amount", "9") == "9"
    assert normalise("total_amount", "1,234.50") == "1234.5"
    assert normalise("transaction_date", "25/12/2018") == normalise("transaction_date", "2018-12-25") == "2018-12-25"
    assert normalise("invoice_number", "inv-1") == "INV-1"
    assert normalise("total_amount", "n/a") == "N/A"


def test_one_field_of_one_document_counts_hits_misses_and_false_values():
    assert compare_field("total_amount", "9.00", "9") == FieldCounts(1, 0, 0)
    assert compare_field("total_amount", "9.00", "8.00") == FieldCounts(0, 1, 1)
    assert compare_field("total_amount", "9.00", None) == FieldCounts(0, 0, 1)
    assert compare_field("term", None, "2 years") == FieldCounts(0, 1, 0)
    assert compare_field("term", None, None) == FieldCounts(0, 0, 0)
    assert compare_field("parties", ("Nike Inc.", "Eric Dean Sprunk"), ("NIKE INC.", "Oregon")) == FieldCounts(1, 1, 1)


def test_precision_recall_and_f1_of_counts():
    counts = FieldCounts(true_positives=2, false_positives=1, false_negatives=3)
    assert (counts.precision, counts.recall, counts.f1) == (2 / 3, 2 / 5, 0.5)
    assert FieldCounts(0, 0, 2).precision is None and FieldCounts(0, 0, 2).f1 == 0.0
    assert FieldCounts().f1 is None


def test_micro_f1_pools_the_fields_and_macro_f1_averages_them():
    documents = [
        ({"invoice_number": "A1", "total_amount": "10.00"}, {"invoice_number": "A1", "total_amount": "11.00"}),
        ({"invoice_number": "B2", "total_amount": "20.00"}, {"invoice_number": "B2", "total_amount": "20"}),
        ({"invoice_number": "C3", "total_amount": "30.00"}, {"vendor_name": "not scored"}),
    ]
    counts = score_fields(documents, ["invoice_number", "total_amount", "due_date"])
    assert counts == {"invoice_number": FieldCounts(2, 0, 1), "total_amount": FieldCounts(1, 1, 2),
                      "due_date": FieldCounts()}
    assert micro_f1(counts) == 2 * 3 / (6 + 4)
    assert macro_f1(counts) == (0.8 + 0.4) / 2  # due_date was neither expected nor predicted: left out


def test_accuracy_over_known_expectations():
    assert accuracy([("invoice", "invoice"), ("invoice", "receipt"), (None, "other")]) == 0.5
    assert accuracy([]) is None


def test_tokens_are_matched_case_insensitively_as_multisets():
    assert matched_tokens(["Total", "9.00", "9.00", "CASH"], ["TOTAL", "9.00", "cash", "extra"]) == 3


@pytest.mark.parametrize(("source", "target", "distance"), [
    ("kitten", "sitting", 3), ("flaw", "lawn", 2), ("", "abc", 3), ("abc", "", 3), ("same", "same", 0),
    ("发票号码", "发票号", 1),
])
def test_edit_distance(source, target, distance):
    assert edit_distance(source, target) == distance


def test_edit_distance_agrees_with_the_textbook_recurrence():
    rng = random.Random(7)
    for _ in range(50):
        a = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 12)))
        b = "".join(rng.choice("abc ") for _ in range(rng.randint(0, 12)))
        assert edit_distance(a, b) == _textbook_distance(a, b)


def _textbook_distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


def test_character_errors_join_tokens_with_spaces_and_ignore_case():
    assert character_errors(["TOTAL", "9.00"], ["Total", "9.0O"]) == (1, 10)
    assert character_errors(["AB"], []) == (2, 2)


def test_median_and_percentile():
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None
    assert percentile([1, 2, 3, 4, 5], 95) == pytest.approx(4.8)
    assert percentile([7], 95) == 7


def test_the_hold_out_split_is_decided_by_the_name_alone():
    names = [f"file-{i}.pdf" for i in range(2000)]
    held = choose(names, names, "holdout")
    assert 0.17 < len(held) / len(names) < 0.23
    assert held == choose(names, names, "holdout") == [n for n in names if is_held_out(n)]
    assert choose(names, names, "all") == names


def test_a_receipt_field_is_taken_from_its_invoice_twin_when_missing():
    produced = {"vendor_name": "ACME", "invoice_date": "2018-12-25", "total_amount": "9.00", "due_date": "x"}
    assert predicted_values(produced, ["merchant_name", "transaction_date", "total_amount", "merchant_address"]) == {
        "merchant_name": "ACME", "transaction_date": "2018-12-25", "total_amount": "9.00"}
    assert predicted_values({"merchant_name": "A", "vendor_name": "B"}, ["merchant_name"]) == {"merchant_name": "A"}


# --- folder layouts --------------------------------------------------------------------------------------------


def _write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_sroie_keys_become_receipt_fields_and_box_lines_reference_words(tmp_path):
    _write(tmp_path / "img" / "r1.jpg", b"not decoded by the reader")
    _write(tmp_path / "img" / "r2.jpg", b"no labels")
    _write(tmp_path / "key" / "r1.json", json.dumps({"company": "BOOK TA .K", "date": "25/12/2018",
                                                     "address": "NO.53, JALAN SAGU", "total": "9.00"}))
    _write(tmp_path / "box" / "r1.csv", "1,2,3,4,5,6,7,8,NO.53 55,57 & 59\n1,2,3,4,5,6,7,8,TOTAL: 9.00\n")

    receipts = read_corpus("sroie", tmp_path)
    assert [s.name for s in receipts.samples] == ["r1.jpg"] and receipts.skipped == {"image without key/<id>.json": 1}
    sample = receipts.samples[0]
    assert sample.expected == {"merchant_name": "BOOK TA .K", "transaction_date": "25/12/2018",
                               "merchant_address": "NO.53, JALAN SAGU", "total_amount": "9.00"}
    assert sample.expected_doc_type == "receipt"
    assert sample.reference_tokens == ["NO.53", "55,57", "&", "59", "TOTAL:", "9.00"]
    assert [s.name for s in read_corpus("ocr", tmp_path).samples] == ["r1.jpg"]


def test_kleister_pairs_have_spaces_for_underscores_and_parties_as_a_list(tmp_path):
    assert parse_kleister_pairs("effective_date=2001-04-18 jurisdiction=New_York party=Nike_Inc. party=Eric_Sprunk "
                                "term=2_years") == {"effective_date": "2001-04-18", "jurisdiction": "New York",
                                                    "parties": ("Nike Inc.", "Eric Sprunk"), "term": "2 years"}
    _write(tmp_path / "pdf" / "a.pdf", b"%PDF-")
    _write(tmp_path / "expected.json", json.dumps({"a.pdf": "jurisdiction=Oregon", "gone.pdf": "term=1_year"}))
    contracts = read_corpus("kleister", tmp_path)
    assert [(s.name, s.expected, s.expected_doc_type) for s in contracts.samples] == [
        ("a.pdf", {"jurisdiction": "Oregon"}, "contract")]
    assert contracts.skipped == {"listed in expected.json but missing": 1}
    assert contracts.fields == ("effective_date", "jurisdiction", "parties", "term")


def test_a_customer_folder_is_its_labels_json(tmp_path):
    _write(tmp_path / "scans" / "a.pdf", b"%PDF-")
    _write(tmp_path / "labels.json", json.dumps({
        "scans/a.pdf": {"doc_type": "invoice", "fields": {"total_amount": "12.30", "parties": ["X", "Y"], "po": None}},
        "missing.pdf": {"doc_type": "receipt", "fields": {}}}))
    corpus = read_corpus("generic", tmp_path)
    assert [(s.path, s.expected, s.expected_doc_type) for s in corpus.samples] == [
        (tmp_path / "scans" / "a.pdf", {"total_amount": "12.30", "parties": ("X", "Y")}, "invoice")]
    assert corpus.fields == ("parties", "total_amount")
    assert corpus.skipped == {"listed in labels.json but missing": 1}


@pytest.mark.parametrize(("kind", "files", "complaint"), [
    ("sroie", {}, "img is not a folder"),
    ("kleister", {}, "expected.json is missing"),
    ("generic", {"labels.json": "[1, 2]"}, "must hold one JSON object"),
    ("generic", {"labels.json": "{"}, "is not valid JSON"),
    ("generic", {"labels.json": '{"a.pdf": "invoice"}', "a.pdf": "%PDF-"}, "the label of 'a.pdf' must be"),
    ("cn_ofd", {}, "holds no .ofd files"),
])
def test_a_folder_without_its_layout_is_refused_readably(tmp_path, kind, files, complaint):
    for name, content in files.items():
        _write(tmp_path / name, content)
    with pytest.raises(CorpusError, match=complaint):
        read_corpus(kind, tmp_path)


UBL = """<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2">
  <cbc:ID>INV-7</cbc:ID><cbc:IssueDate>2024-03-12</cbc:IssueDate>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>Seller GmbH</cbc:Name></cac:PartyName>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:LegalMonetaryTotal><cbc:TaxInclusiveAmount currencyID="EUR">119.00</cbc:TaxInclusiveAmount>
  </cac:LegalMonetaryTotal></Invoice>"""
CII = """<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocument><ram:ID>F-1</ram:ID>
  <ram:IssueDateTime><udt:DateTimeString format="102">20240312</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument></rsm:CrossIndustryInvoice>"""


def test_e_invoices_are_their_own_answer_keys(tmp_path):
    _write(tmp_path / "ubl" / "a.xml", UBL)
    _write(tmp_path / "cii.xml", CII)
    _write(tmp_path / "order.xml", "<Order/>")
    _write(tmp_path / "notes.txt", "hello")
    _write(tmp_path / "facturx.pdf", _pdf_with_attachment("factur-x.xml", CII.encode()))
    _write(tmp_path / "plain.pdf", _pdf_with_attachment(None, b""))
    corpus = read_corpus("einvoice", tmp_path)
    assert {s.name: s.expected for s in corpus.samples} == {
        "a.xml": {"invoice_number": "INV-7", "invoice_date": "2024-03-12", "currency": "EUR",
                  "vendor_name": "Seller GmbH", "total_amount": "119.00"},
        "cii.xml": {"invoice_number": "F-1", "invoice_date": "2024-03-12"},
        "facturx.pdf": {"invoice_number": "F-1", "invoice_date": "2024-03-12"},
    }
    assert {s.expected_doc_type for s in corpus.samples} == {"invoice"}
    assert corpus.skipped == {"XML that is no invoice (Order)": 1, "neither XML, PDF nor OFD": 1,
                              "PDF without an e-invoice inside": 1}


def test_invoice_pages_reads_the_valid_e_invoice_pdfs_from_their_pages_alone(tmp_path):
    _write(tmp_path / "cii.xml", CII)
    _write(tmp_path / "facturx.pdf", _pdf_with_attachment("factur-x.xml", CII.encode()))
    _write(tmp_path / "invalidV2PDF.pdf", _pdf_with_attachment("factur-x.xml", CII.encode()))
    corpus = read_corpus("invoice_pages", tmp_path)
    assert [(s.name, s.pages_only, s.expected) for s in corpus.samples] == [
        ("facturx.pdf", True, {"invoice_number": "F-1", "invoice_date": "2024-03-12"})]
    runs, _ = measure(plan("invoice_pages", tmp_path, engines="none", split="all", limit=None))
    outcome = runs[0].outcomes[0]
    assert outcome.error is None and outcome.pages == 1
    assert outcome.structured_format is None  # the XML inside was never read
    assert "invoice_number" not in outcome.fields  # the page prints only "Invoice"


def test_an_e_invoice_states_its_line_items_as_written(tmp_path):
    _write(tmp_path / "ubl.xml", ubl_invoice().decode())
    _write(tmp_path / "cii.xml", cii_xml().decode())
    _write(tmp_path / "bare.xml", CII)
    items = {s.name: s.items for s in read_corpus("einvoice", tmp_path).samples}
    assert items["cii.xml"][0] == {"description": "Kopierpapier A4", "quantity": "10", "unit_price": "4.50",
                                   "amount": "45.00", "tax_rate": "19.00"}
    assert [item["amount"] for item in items["ubl.xml"]] == ["1000.00", "200.00"] and items["bare.xml"] == ()


# --- line items ------------------------------------------------------------------------------------------------


def test_line_items_match_by_amount_and_description_and_their_values_are_compared_as_numbers():
    expected = [{"description": "Toner cartridge black", "quantity": "2.0000", "unit_price": "63.5000",
                 "amount": "127.00"},
                {"description": "Printer paper A4", "quantity": "5", "unit_price": "24.90", "amount": "124.50"},
                {"description": "Delivery", "amount": "10.00"}]
    read = [{"description": "Printer paper A4 (box)", "quantity": "5", "unit_price": "24.00", "amount": "124.50"},
            {"description": "TONER  cartridge black", "quantity": "2", "unit_price": "63.50", "amount": "172.00"},
            {"description": "Thank you", "amount": "10.00"}]
    assert matched_items(expected, read) == [(0, 1), (1, 0)]  # alike enough; "Thank you" is not "Delivery"
    assert score_items(expected, read) == ItemCounts(
        documents=1, expected=3, read=3, matched=2, amount_right=1, quantity_expected=2, quantity_right=2,
        price_expected=2, price_right=1, description_right=1, documents_right=0)


def test_item_counts_add_up_to_precision_recall_and_f1():
    counts = score_items([{"description": "A", "amount": "1.00"}], [{"description": "A", "amount": "1.00"}]) + \
        score_items([{"description": "B", "amount": "2.00"}], [])
    assert (counts.documents, counts.documents_right, counts.found) == (2, 1, FieldCounts(1, 0, 1))
    assert (counts.found.precision, counts.found.recall, counts.found.f1) == (1.0, 0.5, 2 / 3)


def _with_xml(pdf: bytes, xml: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment("factur-x.xml", xml)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_eval_invoice_pages_scores_line_items_and_says_which_files_are_held_out(tmp_path):
    invoice = SampleInvoice()
    lines = tuple(CiiLine(line.description, str(line.quantity), "C62", f"{line.unit_price}", f"{line.amount}")
                  for line in invoice.lines)
    _write(tmp_path / "facturx.pdf", _with_xml(render_invoice_pdf(invoice), cii_xml(InvoiceSpec(lines=lines))))
    result = _eval("invoice_pages", str(tmp_path), "--engine", "none", "--split", "all", "--synthetic", "4")
    assert "line items (none) on every file measured above (the line model trained on those not held out)" \
        in result.stdout
    row = next(line.split() for line in result.stdout.splitlines() if line.startswith("invoice_pages"))
    assert row[1:5] == ["1", "2", "2", "2"]  # documents, expected, read, matched
    assert "line items of 4 generated invoices, receipts and expense claims (seed 20261121" in result.stdout
    assert next(line for line in result.stdout.splitlines() if line.startswith("all")).split()[1] == "4"


def test_files_their_suite_names_invalid_are_kept_as_invalid_samples(tmp_path):
    _write(tmp_path / "invalidV2Root.xml", "<NotAnInvoice/>")
    _write(tmp_path / "FAIL_minimum.xml", CII)
    _write(tmp_path / "good.xml", CII)
    corpus = read_corpus("einvoice", tmp_path)
    assert {s.name: s.valid for s in corpus.samples} == {"invalidV2Root.xml": False, "FAIL_minimum.xml": False,
                                                         "good.xml": True}


def _pdf_with_attachment(name: str | None, data: bytes) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    pdf.cell(0, 10, "Invoice")
    if name:
        pdf.embed_file(bytes=data, basename=name)
    return bytes(pdf.output())


def test_an_ofd_invoice_is_keyed_by_its_attached_invoice_or_by_tags_pointing_at_its_pages(tmp_path):
    attached = ('<eInvoice xmlns:fp="http://www.edrm.org.cn/schema/e-invoice/2019"><fp:InvoiceNo>83089647'
                '</fp:InvoiceNo><fp:IssueDate>2020年07月23日</fp:IssueDate><fp:Seller><fp:SellerName>兰溪市餐厅'
                '</fp:SellerName></fp:Seller><fp:TaxInclusiveTotalAmount>526.00</fp:TaxInclusiveTotalAmount>'
                '</eInvoice>')
    _write(tmp_path / "a.ofd", _zip({"OFD.xml": "<OFD/>", "Doc_0/Attachs/original_invoice.xml": attached}))
    page = ('<ofd:Page xmlns:ofd="http://www.ofdspec.org/2016"><ofd:Content><ofd:Layer>'
            '<ofd:TextObject ID="7"><ofd:TextCode>2411200</ofd:TextCode></ofd:TextObject>'
            '<ofd:TextObject ID="8"><ofd:TextCode>¥</ofd:TextCode></ofd:TextObject>'
            '<ofd:TextObject ID="9"><ofd:TextCode>4449.00</ofd:TextCode></ofd:TextObject>'
            '</ofd:Layer></ofd:Content></ofd:Page>')
    tags = ('<ofd:root xmlns:ofd="http://www.ofdspec.org/2016"><ofd:InvoiceNo><ofd:ObjectRef>7</ofd:ObjectRef>'
            '</ofd:InvoiceNo><ofd:TaxInclusiveTotalAmount><ofd:ObjectRef>8</ofd:ObjectRef><ofd:ObjectRef>9'
            '</ofd:ObjectRef></ofd:TaxInclusiveTotalAmount></ofd:root>')
    _write(tmp_path / "b.ofd", _zip({"OFD.xml": "<OFD/>", "Doc_0/Pages/Page_0/Content.xml": page,
                                    "Doc_0/Tags/CustomTags.xml": "<CustomTags/>", "Doc_0/Tags/CustomTag.xml": tags}))
    corpus = read_corpus("cn_ofd", tmp_path)
    assert [s.expected for s in corpus.samples] == [
        {"invoice_number": "83089647", "invoice_date": "2020-07-23", "vendor_name": "兰溪市餐厅",
         "total_amount": "526.00"},
        {"invoice_number": "2411200", "total_amount": "4449.00"},
    ]


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, text in files.items():
            package.writestr(name, text)
    return buffer.getvalue()


def test_the_command_offers_every_layout():
    # classify reads a folder of corpora, one type per subfolder; bank a folder of bank statements (mt940/, camt/, ofx/);
    # suggestions generates its history, no folder
    assert EVAL_KINDS == (*READERS, "classify", "bank", "suggestions")


# --- whole runs ------------------------------------------------------------------------------------------------


def _invoice_folder(tmp_path: Path) -> Path:
    invoice = SampleInvoice()
    _write(tmp_path / "invoice.pdf", render_invoice_pdf(invoice))
    _write(tmp_path / "broken.pdf", b"%PDF-1.7 this is not a PDF")
    labels = {
        "invoice.pdf": {"doc_type": "invoice", "fields": {
            "invoice_number": invoice.invoice_number, "invoice_date": invoice.invoice_date.isoformat(),
            "due_date": invoice.due_date.strftime("%d/%m/%Y"), "total_amount": f"{invoice.total_amount:,.2f}",
            "currency": invoice.currency, "po_number": "PO-1 (not printed)"}},
        "broken.pdf": {"doc_type": "invoice", "fields": {"invoice_number": "X-1"}},
    }
    _write(tmp_path / "labels.json", json.dumps(labels))
    return tmp_path


def _eval(*args: str):
    result = CliRunner().invoke(main, ["eval", *args])
    assert result.exit_code == 0, result.output
    return result


def test_eval_generic_scores_the_fields_the_extractor_reads(tmp_path):
    result = _eval("generic", str(_invoice_folder(tmp_path)), "--split", "all", "--engine", "none")
    rows = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines() if line.strip()}
    # field: expected, predicted, correct, precision, recall, F1
    for field in ("invoice_date", "due_date", "total_amount", "currency"):
        assert rows[field] == ["1", "1", "1", "1.000", "1.000", "1.000"], field
    assert rows["invoice_number"] == ["2", "1", "1", "1.000", "0.500", "0.667"]  # the broken file's is missed
    assert rows["po_number"] == ["1", "0", "0", "-", "0.000", "0.000"]
    assert "files that failed (none): 1" in result.stdout and "broken.pdf: UnreadableDocument" in result.stdout
    assert "invoice -> error 1, invoice 1" in result.stdout


def test_eval_einvoice_prints_conformance_per_folder_and_format(tmp_path):
    _write(tmp_path / "peppol" / "good.xml", ubl_invoice().decode())
    _write(tmp_path / "peppol" / "sums.xml", ubl_invoice(totals={"TaxInclusiveAmount": "1400.00"}).decode())
    _write(tmp_path / "peppol" / "invalidTotals.xml", ubl_invoice(totals={"PayableAmount": "1.00"}).decode())
    _write(tmp_path / "peppol" / "invalidAccepted.xml", ubl_invoice().decode())
    result = CliRunner().invoke(main, ["eval", "einvoice", str(tmp_path)])
    assert result.exit_code == 0, result.output
    row = next(line.split("  ") for line in result.output.splitlines() if line.startswith("peppol"))
    assert [cell.strip() for cell in row if cell.strip()][:10] == [
        "peppol", "UBL (Peppol BIS Billing 3.0) invoice", "2", "2", "2", "1", "0", "2", "1", "1"]
    assert "valid exact on every field: 2/2; invalid caught: 1/2" in result.output
    assert "accepted silently: invalidAccepted.xml" in result.output


def test_eval_json_is_one_object_with_every_file(tmp_path):
    result = _eval("generic", str(_invoice_folder(tmp_path)), "--split", "all", "--engine", "none", "--json")
    report = json.loads(result.stdout)
    (engine,) = report["engines"]
    assert engine["extraction"]["doc_type_accuracy"] == 0.5
    assert engine["extraction"]["micro_f1"] == round(2 * 5 / (7 + 5), 4)
    assert engine["extraction"]["fields"]["total_amount"]["f1"] == 1.0
    assert [e["file"] for e in engine["errors"]] == ["broken.pdf"]
    assert {Path(s["file"]).name for s in engine["samples"]} == {"invoice.pdf", "broken.pdf"}


def test_an_engine_that_cannot_load_gets_a_row_saying_why(tmp_path):
    result = _eval("generic", str(_invoice_folder(tmp_path)), "--split", "all", "--engine", "none,nosuch")
    assert "nosuch  could not load: EngineUnavailable: unknown OCR engine 'nosuch'" in result.stdout


def test_eval_of_a_folder_without_its_layout_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["eval", "sroie", str(tmp_path)])
    assert result.exit_code == 2 and "img is not a folder" in result.output


def test_eval_ocr_reads_pictures_with_the_engine_loaded_in_this_process(tmp_path):
    """Real OCR on a small picture the test draws: the words it reads against the reference transcript."""
    _write(tmp_path / "img" / "note.png", _picture_of(["TOTAL 9.00", "THANK YOU"]))
    _write(tmp_path / "box" / "note.csv", "0,0,1,0,1,1,0,1,TOTAL 9.00\n0,2,1,2,1,3,0,3,THANK YOU\n")
    report = json.loads(_eval("ocr", str(tmp_path), "--engine", "rapidocr", "--json").stdout)
    (engine,) = report["engines"]
    assert engine["load_error"] is None and engine["pages"] == 1
    assert engine["ocr"]["token_recall"] >= 0.75 and engine["ocr"]["character_error_rate"] <= 0.2
    assert {"read", "ocr", "detect", "recognize"} <= set(engine["seconds"]["by_stage"])


def _picture_of(lines: list[str]) -> bytes:
    pdf = FPDF(orientation="landscape", format=(40, 90))
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    for line in lines:
        pdf.cell(0, 12, line, new_x="LMARGIN", new_y="NEXT")
    document = pdfium.PdfDocument(bytes(pdf.output()))
    picture = document[0].render(scale=3).to_pil()
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_produced_value_is_judged_right_only_when_it_equals_the_label():
    judged = judged_document({"total_amount": "RM 9.00", "merchant_name": "ACME"},
                             {"total_amount": "9", "merchant_name": "ACME SDN", "tip": "1.00"},
                             {"total_amount": 0.97, "merchant_name": 0.6, "tip": 0.9},
                             ("total_amount", "merchant_name", "tip"), flagged=False)
    assert judged.fields == {"total_amount": JudgedField(0.97, True), "merchant_name": JudgedField(0.6, False),
                             "tip": JudgedField(0.9, False)}  # a tip the labels do not have is wrong
    assert judged.complete


def test_reliability_bins_mean_confidence_against_accuracy():
    documents = [JudgedDocument({"a": JudgedField(0.995, True), "b": JudgedField(0.992, False)}, True, False),
                 JudgedDocument({"a": JudgedField(0.6, True)}, True, False)]
    bins = {(b.low, b.high): b for b in reliability(documents) if b.values}
    assert set(bins) == {(0.5, 0.7), (0.99, 1.0)}
    assert (bins[0.99, 1.0].values, bins[0.99, 1.0].accuracy) == (2, 0.5)
    assert bins[0.99, 1.0].mean_confidence == pytest.approx(0.9935)


def test_straight_through_needs_complete_unflagged_documents_with_every_field_at_the_floor():
    sure_right = JudgedDocument({"a": JudgedField(0.99, True)}, True, False)
    sure_wrong = JudgedDocument({"a": JudgedField(0.95, False)}, True, False)
    flagged = JudgedDocument({"a": JudgedField(0.99, True)}, True, True)
    incomplete = JudgedDocument({"a": JudgedField(0.99, True)}, False, False)
    at_90, at_98 = straight_through([sure_right, sure_wrong, flagged, incomplete], floors=(0.9, 0.98))
    assert (at_90.straight, at_90.all_right, at_90.precision, at_90.rate) == (2, 1, 0.5, 0.5)
    assert (at_98.straight, at_98.all_right, at_98.precision) == (1, 1, 1.0)
