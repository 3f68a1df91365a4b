"""posting.drafting with posting rules: a rule's account before the vendor's default account, the category's account
and the chart's; the rule's tax code, cost centre, project and approval route; each ruled line's reason starting
with the rule's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from posting.chart import AccountSpec
from posting.drafting import Counterparty, DocumentFacts, draft_voucher
from posting.rules.matching import Conditions, Outcome, Rule
from tests.posting.charts import ledger

ZERO = Decimal("0.00")
NORTHWIND = Counterparty("Northwind Office Supplies Ltd", "the vendor master, matched by tax_id", "6100", "ADM",
                         ("Northwind Office Supplies Ltd", "Northwind", "GB123456789"))
ADA = Counterparty("Ada Lovelace", "employee E001 of the master, who uploaded it", cost_centre_code="SAL")
INVOICE = {"invoice_number": "INV-1", "invoice_date": "2026-03-02", "currency": "EUR", "subtotal": "300.00",
           "tax_amount": "60.00", "tax_rate": "20", "total_amount": "360.00"}
ITEMS = ({"description": "Printer paper A4", "amount": "100.00", "tax_rate": "20"},
         {"description": "Team dinner (entertainment)", "amount": "200.00", "tax_rate": "20"})


def rule(position: int, name: str, outcome: Outcome, **conditions) -> Rule:
    return Rule(position, name, Conditions(**conditions), outcome)


def draft(rules, doc_type="invoice", items=ITEMS, party=NORTHWIND, chart=None, **values):
    fields = {name: {"value": value, "page": 1} for name, value in (values or INVOICE).items()}
    return draft_voucher(DocumentFacts(doc_type, fields, date(2026, 3, 5), items), chart or ledger(), party, None,
                         rules)


def rows(voucher) -> list[tuple]:
    return [(line.kind, line.account_code, line.debit, line.credit, line.cost_centre_code, line.project_code)
            for line in voucher.lines]


def test_without_rules_nothing_changes_and_the_vendors_default_account_is_taken():
    voucher = draft(())
    assert [row[:2] for row in rows(voucher)] == [("expense", "6100"), ("expense", "6100"), ("input_tax", "1400"),
                                                  ("payable", "2000")]
    assert voucher.approval_route is None and all(line.rules == () for line in voucher.lines)


def test_a_rule_comes_before_the_vendors_default_account_for_the_lines_it_matches():
    dinners = rule(2, "Entertainment", Outcome(account_code="6220", project_code="P1", approval_route="cfo"),
                   keywords=("dinner",))
    voucher = draft([dinners])
    assert rows(voucher)[:2] == [("expense", "6100", Decimal("100.00"), ZERO, "ADM", None),
                                 ("expense", "6220", Decimal("200.00"), ZERO, "ADM", "P1")]
    assert voucher.lines[1].reason == ("rule 2 'Entertainment': keyword 'dinner' in line item 2; line item 2: amount "
                                       "200.00 at 20% VAT; to 6220 Meals and entertainment, the rule's account")
    assert voucher.lines[0].reason.endswith("to 6100 Office supplies, the vendor's default account")
    assert [decision.position for decision in voucher.lines[1].rules] == [2]
    assert voucher.approval_route == "cfo"


def test_an_asset_account_makes_an_asset_line_and_an_inactive_one_is_passed_over():
    laptops = rule(1, "Laptops", Outcome(account_code="1500", cost_centre_code="IT"), keywords=("paper",))
    asset, dinner = draft([laptops]).lines[:2]
    assert (asset.kind, asset.role, asset.account_code, asset.cost_centre_code) == ("asset", "asset", "1500", "IT")
    assert (dinner.kind, dinner.account_code, dinner.cost_centre_code) == ("expense", "6100", "ADM")
    closed = ledger(_1500=AccountSpec("1500", "Fixed assets", "asset", "asset", active=False))
    ruled = draft([laptops], chart=closed).lines[0]
    assert (ruled.account_code, ruled.cost_centre_code) == ("6100", "IT")
    assert ruled.reason.startswith("rule 1 'Laptops'") and ruled.reason.endswith("the vendor's default account")


def test_a_rules_tax_code_decides_the_vat_of_its_lines_and_the_rest_keep_theirs():
    entertainment = rule(1, "Entertainment VAT", Outcome(tax_code="ND20"), keywords=("entertainment",))
    voucher = draft([entertainment])
    assert rows(voucher) == [("expense", "6100", Decimal("100.00"), ZERO, "ADM", None),
                             ("expense", "6100", Decimal("200.00"), ZERO, "ADM", None),
                             ("input_tax", "1400", Decimal("20.00"), ZERO, None, None),
                             ("expense", "6950", Decimal("40.00"), ZERO, None, None),
                             ("payable", "2000", ZERO, Decimal("360.00"), None, None)]
    assert voucher.lines[2].reason == ("tax_amount 60.00 printed on the invoice: 20.00 of it, the share of the lines "
                                       "no rule named a tax code for; tax code S20 (Input VAT, standard rate 20%): "
                                       "deductible")
    assert voucher.lines[3].reason.endswith("tax code ND20 (Input VAT 20%, not deductible (entertainment, private "
                                            "use)), as rule 1 'Entertainment VAT' says: not deductible, a cost")


def test_a_tax_code_named_for_every_line_of_a_rate_takes_the_whole_tax():
    voucher = draft([rule(1, "All of Northwind", Outcome(tax_code="ND20"), vendor="northwind")])
    assert [row[:3] for row in rows(voucher)][2:] == [("expense", "6950", Decimal("60.00")),
                                                      ("payable", "2000", ZERO)]


def test_a_receipts_category_rule_comes_before_the_categorys_account():
    taxis = rule(1, "Taxis to clients", Outcome(account_code="6200", cost_centre_code="OPS"),
                 categories=("local_transport",), currencies=("EUR",))
    voucher = draft([taxis], "receipt", (), ADA, merchant_name="Taxi Berlin", transaction_date="2026-03-03",
                    total_amount="21.40", tax_amount="1.40", tax_rate="7", category="Local transport",
                    currency="EUR")
    expense = voucher.lines[0]
    assert (expense.account_code, expense.cost_centre_code) == ("6200", "OPS")
    assert expense.reason.startswith("rule 1 'Taxis to clients': category local_transport, currency EUR; net = ")


def test_a_claims_items_are_decided_one_by_one_and_a_rule_may_only_set_a_cost_centre():
    items = ({"date": "2026-03-01", "category": "lodging", "amount": "240.00", "description": "Hotel Lux"},
             {"date": "2026-03-02", "category": "meals", "amount": "18.50"})
    fair = rule(1, "Trade fair", Outcome(cost_centre_code="MKT", project_code="FAIR26"), keywords=("hotel",))
    voucher = draft([fair], "expense_claim", items, ADA, total_amount="258.50", currency="EUR",
                    purpose="Trade fair Hanover", period_end="2026-03-02")
    assert rows(voucher)[:2] == [("expense", "6210", Decimal("240.00"), ZERO, "MKT", "FAIR26"),
                                 ("expense", "6220", Decimal("18.50"), ZERO, "SAL", None)]
    assert voucher.lines[0].reason == ("rule 1 'Trade fair': keyword 'hotel' in item 1; item 1: amount 240.00 on "
                                       "2026-03-01; item 1's category lodging: to 6210 Lodging")


def test_a_cost_centre_set_by_one_rule_lets_a_later_one_choose_the_account():
    rules = [rule(1, "Northwind is IT's", Outcome(cost_centre_code="IT"), vendor="GB123456789"),
             rule(2, "IT spending", Outcome(account_code="6400", approval_route="cio"), cost_centres=("IT",))]
    line = draft(rules).lines[0]
    assert (line.account_code, line.cost_centre_code) == ("6400", "IT")
    assert line.reason.startswith("rule 1 'Northwind is IT's': vendor is Northwind Office Supplies Ltd; rule 2 'IT "
                                  "spending': cost centre IT; line item 1: amount 100.00")


def test_the_route_is_the_first_rules_by_position_whatever_line_it_decided():
    rules = [rule(1, "Paper", Outcome(approval_route="office"), keywords=("paper",)),
             rule(2, "Dinner", Outcome(approval_route="cfo"), keywords=("dinner",))]
    assert draft(list(reversed(rules))).approval_route == "office"
