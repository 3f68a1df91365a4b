"""The synthetic-document generator: the same seed gives the same bytes, every type and language renders, every
truth value is on the page as the project's own reader reads it, amounts reconcile, identifiers pass their checks
and capital numerals read the same amount as the figure."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from stdnum.fr import siret as fr_siret

from extraction.identifiers import check_iban, check_tax_id
from extraction.layout import document_lines
from extraction.normalize import capital_matches
from ledgerdesk.training.synthetic import SUPPORTED, SyntheticDocument, synthetic_document, synthetic_documents
from ledgerdesk.training.synthetic_formats import money
from ledgerdesk.training.synthetic_invoice_layouts import WIDE_LAYOUTS
from tests.helpers import pdf_pages

SEEDS = range(4)
CASES = [(doc_type, language) for doc_type, languages in SUPPORTED.items() for language in languages]
UNCHECKED_TAX_ID = re.compile(r"[WBJ]\d{2}-\d{4}-\d{8}|\d{12}|\d{2}-\d{7}")
"""Malaysian SST and GST numbers and US EINs: they have no check digit."""


def page_text(document: SyntheticDocument) -> str:
    """Every word of every page, run together without spaces (a value may be split into words)."""
    return "".join(word.text for page in pdf_pages(document.pdf) for word in page.words)


def printed_parts(document: SyntheticDocument, name: str) -> list[str]:
    """What must be on the page for a field: its printed text, or each name of a list such as ``parties``."""
    value = document.fields[name]
    return list(value) if isinstance(value, list) else [document.printed[name]]


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP)


def compact(text: str) -> str:
    return "".join(text.split())


def printed_in_order(words: list[str], text: str) -> bool:
    """Whether ``words`` stand in ``text`` one after the other (a long description wraps under its row, after the
    row's numbers)."""
    position = 0
    for word in words:
        position = text.find(word, position)
        if position < 0:
            return False
        position += len(word)
    return True


@pytest.fixture(scope="module", params=CASES, ids=lambda case: "-".join(case))
def documents(request) -> list[SyntheticDocument]:
    doc_type, language = request.param
    return [synthetic_document(doc_type, seed, language) for seed in SEEDS]


def test_the_same_seed_gives_the_same_bytes():
    first, again = synthetic_document("invoice", 11, "de"), synthetic_document("invoice", 11, "de")
    assert first.pdf == again.pdf and first.fields == again.fields
    assert synthetic_document("invoice", 12, "de").pdf != first.pdf


def test_a_stream_of_documents_is_deterministic_and_mixes_types_and_languages():
    stream = [(d.doc_type, d.language, d.pdf) for d in synthetic_documents(8, seed=3)]
    assert stream == [(d.doc_type, d.language, d.pdf) for d in synthetic_documents(8, seed=3)]
    assert {(kind, language) for kind, language, _ in stream} >= {("invoice", "en"), ("receipt", "zh")}


def test_an_unknown_type_or_language_is_refused():
    with pytest.raises(ValueError, match="unknown document type"):
        synthetic_document("poem", 1)
    with pytest.raises(ValueError, match="language"):
        synthetic_document("receipt", 1, "xx")


def test_every_truth_value_is_printed_on_the_page(documents):
    for document in documents:
        text = page_text(document)  # read by the worker's reader, once per document (the slow part of this file)
        assert document.pdf.startswith(b"%PDF") and text, document.layout
        assert document.fields or document.doc_type in {"bank_statement", "other"}
        assert set(document.printed) == set(document.fields)
        missing = {name: printed for name, printed in document.printed.items()
                   if not all(compact(part) in text for part in printed_parts(document, name))}
        assert not missing, (document.layout, missing)
        for line in document.line_items:
            assert printed_in_order(line["description"].split(), text), line["description"]


def test_values_are_in_canonical_form(documents):
    for document in documents:
        for name, value in document.fields.items():
            if name in {"subtotal", "tax_amount", "total_amount", "tip", "total_value"}:
                assert re.fullmatch(r"\d+\.\d\d", value), (name, value)
            if name.endswith("date") or name in {"period_start", "period_end"}:
                assert re.fullmatch(r"\d{4}-\d\d-\d\d", value), (name, value)
            if name == "currency":
                assert re.fullmatch(r"[A-Z]{3}", value)
            if name == "tax_rate":
                assert re.fullmatch(r"\d+(\.\d+)?", value), value


def test_amounts_reconcile(documents):
    for document in documents:
        fields, items = document.fields, document.line_items
        if "total_amount" not in fields or not items:
            continue
        money = {name: Decimal(fields.get(name, "0")) for name in ("subtotal", "tax_amount", "tip", "total_amount")}
        lines = sum(Decimal(line["amount"]) for line in items)
        if "/allowance" in document.layout:  # the net amount is the lines less an allowance printed in the totals
            assert 0 < lines - money["subtotal"] < lines / 5, document.layout
        else:
            assert lines == (money["subtotal"] if "subtotal" in fields else money["total_amount"] - money["tax_amount"])
        assert money["subtotal"] + money["tax_amount"] + money["tip"] == money["total_amount"] or "subtotal" not in fields
        for line in (line for line in items if "quantity" in line):
            assert Decimal(line["amount"]) == cents(Decimal(line["quantity"]) * Decimal(line["unit_price"]))
        if "tax_rate" in fields and "subtotal" in fields:
            assert money["tax_amount"] == cents(money["subtotal"] * Decimal(fields["tax_rate"]) / 100), document.layout


def test_tax_ids_and_ibans_pass_their_checks(documents):
    for document in documents:
        for name in ("vendor_tax_id", "customer_tax_id", "merchant_tax_id"):
            if value := document.fields.get(name):
                check = check_tax_id(value) or check_tax_id(value, "SG")
                assert (check and check.valid) or UNCHECKED_TAX_ID.fullmatch(value), (name, value, check)
        if iban := document.fields.get("vendor_iban"):
            assert check_iban(iban).valid, iban


def test_chinese_invoices_carry_their_codes_and_a_capital_total_that_matches_the_figure():
    for seed in range(12):
        document = synthetic_document("invoice", seed, "zh")
        fields, words = document.fields, [w.text for p in pdf_pages(document.pdf) for w in p.words]
        capital = next(word for word in words if word.startswith("⊗"))
        assert capital_matches(capital, Decimal(fields["total_amount"])), (capital, fields["total_amount"])
        assert fields["currency"] == "CNY" and check_tax_id(fields["vendor_tax_id"]).kind == "Chinese USCC"
        if "digital" in document.layout:
            assert len(fields["invoice_number"]) == 20 and "invoice_code" not in fields and "check_code" not in fields
        else:
            assert len(fields["invoice_number"]) == 8 and len(fields["invoice_code"]) in (10, 12)
            assert len(fields["check_code"]) == 20


def test_layouts_vary():
    layouts = {synthetic_document("invoice", seed, "en").layout for seed in range(20)}
    assert len(layouts) >= 4


def test_a_chinese_expense_claim_writes_its_total_in_capital_numerals_too():
    for seed in range(6):
        document = synthetic_document("expense_claim", seed, "zh")
        words = [w.text for p in pdf_pages(document.pdf) for w in p.words]
        capital = next(word for word in words if "（大写）" in word)
        assert capital_matches(capital, Decimal(document.fields["total_amount"])), capital
        assert sum(Decimal(item["amount"]) for item in document.line_items) == Decimal(document.fields["total_amount"])


def wide_invoices(language: str, name: str, count: int = 3) -> list[SyntheticDocument]:
    """The first ``count`` invoices in ``language`` drawn in the wide layout ``name``."""
    found = []
    for seed in range(400):
        document = synthetic_document("invoice", seed, language)
        if document.layout.startswith(f"invoice/{name}"):
            found.append(document)
            if len(found) == count:
                return found
    raise AssertionError(f"no {name} invoice in {language} among 400 seeds")


WIDE_CASES = [(language, name) for language, names in WIDE_LAYOUTS.items() for name in dict.fromkeys(names)]


@pytest.mark.parametrize(("language", "name"), WIDE_CASES, ids=lambda value: value)
def test_every_wide_layout_prints_its_truth_and_reconciles(language, name):
    for document in wide_invoices(language, name):
        text = page_text(document)
        missing = {field: printed for field, printed in document.printed.items() if compact(printed) not in text}
        assert not missing, (document.layout, missing)
        assert set(document.printed) == set(document.fields)
        assert {"invoice_number", "invoice_date", "vendor_name", "customer_name", "total_amount", "currency",
                "subtotal", "tax_amount"} <= set(document.fields), document.layout
        fields, items = document.fields, document.line_items
        assert Decimal(fields["subtotal"]) + Decimal(fields["tax_amount"]) == Decimal(fields["total_amount"])
        lines = sum(Decimal(line["amount"]) for line in items)
        allowance = lines - Decimal(fields["subtotal"])
        if "/allowance" in document.layout:
            assert any(compact(money(allowance, style)) in text for style in ("de", "en", "fr")), document.layout
        else:
            assert allowance == 0, document.layout
        for name in ("vendor_tax_id", "customer_tax_id"):
            if value := fields.get(name):
                check = check_tax_id(value) or check_tax_id(value, "SG")
                assert (check and check.valid) or UNCHECKED_TAX_ID.fullmatch(value), (name, value, check)
        assert "vendor_iban" not in fields or check_iban(fields["vendor_iban"]).valid
        if name == "facture":  # the SIRET is the TVA number's SIREN and a Luhn-valid establishment number
            siret = re.search(r"SIRET(\d{14})", text).group(1)
            assert fr_siret.is_valid(siret) and siret[:9] == fields["vendor_tax_id"][4:]
        rates = {line.get("tax_rate") for line in items}
        assert ("tax_rate" in fields) == (rates == {None}) and ("/rates" in document.layout) == (len(rates) > 1)
        if len(rates) > 1 and "/allowance" not in document.layout:
            by_rate = {rate: sum(Decimal(i["amount"]) for i in items if i["tax_rate"] == rate) for rate in rates}
            assert Decimal(fields["tax_amount"]) == sum(cents(base * Decimal(rate) / 100) for rate, base in by_rate.items())


def test_a_line_that_says_more_than_its_article_wraps_under_its_row():
    document = synthetic_document("invoice", 5, "en")
    detailed = next(item["description"] for item in document.line_items if ", " in item["description"])
    lines = [line.text for line in document_lines(pdf_pages(document.pdf))]
    row = next(index for index, text in enumerate(lines) if text.startswith(detailed[:20]))
    assert detailed not in lines[row] and lines[row + 1] and detailed.endswith(lines[row + 1])
