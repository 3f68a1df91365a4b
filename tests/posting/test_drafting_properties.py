"""Properties of posting.drafting over random documents (hypothesis): whatever a document says (amounts with any
number of decimals, either sign or none, several VAT rates, line items that add up or not, foreign currencies with
and without a rate, credit notes, receipts and expense claims), drafting gives a voucher that balances to the cent
in both currencies, or refuses with ``CannotDraft``; never an unbalanced voucher, never another error. So it does
with random posting rules (any conditions; accounts, tax codes and cost centres a chart has or lacks)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.money import round_money
from posting.drafting import CannotDraft, Counterparty, DocumentFacts, RateUsed, draft_voucher
from posting.rules.matching import Conditions, Outcome, Rule
from tests.posting.charts import ledger

ZERO = Decimal("0.00")
CHARTS = {"ifrs": ("EUR", ("20", "10", "5", "0", "19", "7")), "cn-cas": ("CNY", ("13", "9", "6", "3", "0"))}
PROPERTIES = settings(max_examples=400, deadline=None, derandomize=True, database=None,
                      suppress_health_check=[HealthCheck.too_slow])

amounts = st.builds(lambda units, places: Decimal(units).scaleb(-places),
                    st.integers(-10 ** 11, 10 ** 11), st.sampled_from([0, 1, 2, 2, 2, 3, 4]))
texts = st.one_of(amounts.map(str), st.sampled_from([None, "", "n/a", "1,234.56", "12.5.3", "Infinity", "-0"]))
rates = st.sampled_from([None, "0", "5", "6", "7", "9", "10", "13", "19", "20", "7.7", "abc", "-5"])
currencies = st.sampled_from([None, "EUR", "CNY", "USD", "usd", "GBP"])
exchange = st.one_of(st.none(), st.builds(lambda r: Decimal(r).scaleb(-5), st.integers(1, 10 ** 8)))
parties = st.one_of(st.none(), st.builds(Counterparty, st.just("Someone"), st.just("the master"),
                                         st.sampled_from([None, "6100", "1500", "9999", "660201"]),
                                         st.sampled_from([None, "ADM"]), st.sampled_from([(), ("Someone", "S1")])))
conditions = st.builds(  # most conditions absent nine times in ten, so that rules match often
    Conditions, doc_types=st.sampled_from([()] * 18 + [("invoice",), ("receipt", "expense_claim")]),
    vendor=st.sampled_from([None] * 18 + ["someone", "nobody"]),
    categories=st.sampled_from([()] * 18 + [("meals",), ("fuel",)]),
    keywords=st.sampled_from([()] * 9 + [("paper",), ("item 1",), ("纸", "item 2")]),
    amount_min=st.sampled_from([None] * 18 + [Decimal("0"), Decimal("100")]),
    amount_max=st.sampled_from([None] * 18 + [Decimal("1000"), Decimal("1E+12")]),
    currencies=st.sampled_from([()] * 18 + [("EUR",), ("USD", "CNY")]),
    cost_centres=st.sampled_from([()] * 18 + [("ADM",), ("IT",)]))
outcomes = st.builds(
    Outcome, account_code=st.sampled_from([None, "6000", "6100", "1500", "2000", "660201", "1601", "9999"]),
    tax_code=st.sampled_from([None, "S20", "ND20", "EX", "IN13S", "IN13G", "NOPE"]),
    cost_centre_code=st.sampled_from([None, "IT", "ADM"]), project_code=st.sampled_from([None, "P1"]),
    approval_route=st.sampled_from([None, "cfo", "cio"]))
rule_lists = st.lists(st.tuples(conditions, outcomes), max_size=4).map(
    lambda drawn: tuple(Rule(number, f"Rule {number}", *pair) for number, pair in enumerate(drawn, start=1)))


@st.composite
def items(draw, claim: bool) -> tuple[dict, ...]:
    keys = ({"amount": texts, "category": st.sampled_from([None, "meals", "Local transport", "garden"]),
             "currency": st.sampled_from([None, None, None, "EUR", "USD"]), "date": st.just("2024-05-01")}
            if claim else {"amount": texts, "tax_rate": rates, "tax_amount": st.one_of(st.none(), texts),
                           "description": st.sampled_from([None, "Paper", "纸"])})
    return tuple(draw(st.lists(st.fixed_dictionaries(keys), max_size=6)))


@st.composite
def documents(draw) -> tuple[DocumentFacts, str, RateUsed | None, Counterparty | None, tuple[Rule, ...]]:
    """Any document of a type that has a voucher, with its chart, exchange rate, counterparty and posting rules."""
    doc_type = draw(st.sampled_from(["invoice", "receipt", "expense_claim"]))
    chart = draw(st.sampled_from(sorted(CHARTS)))
    values = {"total_amount": draw(texts), "tax_amount": draw(st.one_of(st.none(), texts)),
              "subtotal": draw(st.one_of(st.none(), texts)), "tax_rate": draw(rates), "currency": draw(currencies),
              "document_kind": draw(st.sampled_from([None, "invoice", "credit_note"])),
              "invoice_type": draw(st.sampled_from([None, "增值税普通发票", "增值税专用发票"])),
              "category": draw(st.sampled_from([None, "meals", "fuel", "garden"])),
              "vat_breakdown": draw(st.one_of(st.none(), st.lists(st.fixed_dictionaries(
                  {"rate": rates, "taxable_amount": texts, "tax_amount": texts}), max_size=3)))}
    fields = {name: {"value": value, "page": 1, "bbox": [0, 0, 1, 1]} for name, value in values.items()}
    document = DocumentFacts(doc_type, fields, date(2024, 6, 1), draw(items(doc_type == "expense_claim")))
    rate = draw(exchange)
    base = CHARTS[chart][0]
    used = RateUsed(str(values["currency"] or base).upper(), base, rate, date(2024, 5, 1)) if rate else None
    return document, chart, used, draw(parties), draw(rule_lists)


def assert_a_balanced_voucher(voucher, chart: str) -> None:
    book = ledger(chart, CHARTS[chart][0])
    for debit, credit in (("debit", "credit"), ("base_debit", "base_credit")):
        assert sum(getattr(line, debit) for line in voucher.lines) == sum(
            getattr(line, credit) for line in voucher.lines)
    for line in voucher.lines:
        for value in (line.debit, line.credit, line.base_debit, line.base_credit):
            assert value >= 0 and value == round_money(value) and value.as_tuple().exponent == -2
        assert line.debit == ZERO or line.credit == ZERO
        assert line.base_debit == ZERO or line.base_credit == ZERO
        assert book.active(line.account_code) is not None and line.reason
        assert line.reason.startswith("; ".join(decision.reason for decision in line.rules))
    assert voucher.base_currency == book.base_currency
    assert (voucher.rate is None) == (voucher.currency == book.base_currency)


@PROPERTIES
@given(documents())
def test_any_document_drafts_a_balanced_voucher_or_says_why_not(document):
    facts, chart, rate, party, rules = document
    try:
        voucher = draft_voucher(facts, ledger(chart, CHARTS[chart][0]), party, rate, rules)
    except CannotDraft as refusal:
        assert str(refusal)
        return
    assert_a_balanced_voucher(voucher, chart)
    [owed] = [line for line in voucher.lines if line.kind in ("payable", "employee_payable")]
    assert abs(owed.amount) == abs(round_money(Decimal(facts.value("total_amount"))))
    routed = sorted((decision for line in voucher.lines for decision in line.rules if decision.approval_route),
                    key=lambda decision: decision.position)
    assert voucher.approval_route == (routed[0].approval_route if routed else None)


@st.composite
def consistent_invoices(draw) -> tuple[DocumentFacts, str, list[Decimal]]:
    """An invoice as a vendor writes it: line items at the chart's rates, the tax rounded per line, the totals
    their sums; sometimes a credit note (negative amounts)."""
    chart = draw(st.sampled_from(sorted(CHARTS)))
    sign = draw(st.sampled_from([1, 1, -1]))
    lines = draw(st.lists(st.tuples(st.integers(1, 10 ** 8).map(lambda cents: Decimal(cents).scaleb(-2) * sign),
                                    st.sampled_from(CHARTS[chart][1])), min_size=1, max_size=8))
    taxes = [round_money(amount * Decimal(rate) / 100) for amount, rate in lines]
    subtotal, tax = sum((amount for amount, _ in lines), ZERO), sum(taxes, ZERO)
    line_items = tuple({"amount": str(amount), "tax_rate": rate, "description": f"item {n}"}
                       for n, (amount, rate) in enumerate(lines))
    values = {"total_amount": str(subtotal + tax), "tax_amount": str(tax), "subtotal": str(subtotal),
              "currency": CHARTS[chart][0], "invoice_number": "INV-1"}
    fields = {name: {"value": value} for name, value in values.items()}
    return DocumentFacts("invoice", fields, date(2024, 6, 1), line_items), chart, [amount for amount, _ in lines]


@PROPERTIES
@given(consistent_invoices())
def test_an_invoice_that_adds_up_is_always_drafted_with_a_line_per_item(invoice):
    facts, chart, item_amounts = invoice
    voucher = draft_voucher(facts, ledger(chart, CHARTS[chart][0]))
    assert_a_balanced_voucher(voucher, chart)
    expenses = [line.amount for line in voucher.lines if line.role == "expense"]
    assert expenses == item_amounts
    rounding = [line for line in voucher.lines if line.kind == "rounding"]
    assert sum((abs(line.amount) for line in rounding), ZERO) <= Decimal("0.05")


@PROPERTIES
@given(consistent_invoices())
def test_a_credit_note_is_the_invoice_on_the_other_sides(invoice):
    facts, chart, _ = invoice
    book = ledger(chart, CHARTS[chart][0])
    positive = {name: dict(field) for name, field in facts.fields.items()}
    flipped = {**positive, "document_kind": {"value": "credit_note"}}
    as_invoice = draft_voucher(DocumentFacts("invoice", positive, facts.received_on, facts.items), book)
    as_credit_note = draft_voucher(DocumentFacts("invoice", flipped, facts.received_on, facts.items), book)
    if Decimal(facts.value("total_amount")) > 0:
        assert [(line.account_code, line.debit, line.credit) for line in as_invoice.lines] == [
            (line.account_code, line.credit, line.debit) for line in as_credit_note.lines]


@PROPERTIES
@given(consistent_invoices(), rule_lists)
def test_rules_send_an_invoices_lines_elsewhere_but_never_unbalance_it(invoice, rules):
    facts, chart, item_amounts = invoice
    book = ledger(chart, CHARTS[chart][0])
    plain, ruled = draft_voucher(facts, book), draft_voucher(facts, book, rules=rules)
    assert_a_balanced_voucher(ruled, chart)
    assert len([line for line in ruled.lines if line.role in ("expense", "asset")]) == len(item_amounts)
    assert [line for line in ruled.lines if line.kind == "payable"] == [
        line for line in plain.lines if line.kind == "payable"]
