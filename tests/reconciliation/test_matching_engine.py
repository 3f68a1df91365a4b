"""The matching engine on values (no database): every case it decides, with its scores and reasons."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from reconciliation.matching.engine import match_payments
from reconciliation.matching.model import Item, LearnedAlias, Payment, Rules, Vendor
from reconciliation.matching.names import compact_reference, normalised_name, within_one_edit
from reconciliation.matching.subsets import MAX_ANSWERS, MAX_POOL, fitting_subsets

NORTHWIND_IBAN = "DE44500105175407324931"
CONTOSO_IBAN = "GB33BUKB20201555555555"
VENDORS = (Vendor("northwind", "Northwind GmbH", NORTHWIND_IBAN, ("NW Handel",)),
           Vendor("contoso", "Contoso Ltd", CONTOSO_IBAN))
ISSUED, DUE, PAID_ON = date(2026, 3, 2), date(2026, 4, 1), date(2026, 4, 4)


def item(reference: str | None, amount: str, vendor: str | None = "northwind", *, currency: str = "EUR",
         issued: date = ISSUED, due: date = DUE, counterparty: str = "Northwind GmbH") -> Item:
    return Item(reference or f"item-{amount}", Decimal(amount), currency, issued, due, reference, vendor,
                counterparty)


def payment(amount: str, *tokens: str, iban: str | None = None, name: str | None = None, on: date = PAID_ON,
            currency: str = "EUR", creditor_reference: str | None = None, line: str = "line-1",
            rejected: frozenset = frozenset()) -> Payment:
    return Payment(line, -Decimal(amount), currency, on, name, iban, tokens, creditor_reference, rejected)


def best(payments: Payment | list[Payment], items: list[Item], **rules):
    """The proposal of the (last) payment, or None."""
    found = match_payments(payments if isinstance(payments, list) else [payments], items, VENDORS,
                           rules.pop("aliases", ()), Rules(**rules))
    return found[-1] if found else None


# --- one payment, one invoice -----------------------------------------------------------------------------------------


def test_a_payment_naming_its_invoice_with_its_amount_is_matched_automatically_and_says_why():
    items = [item("INV-1042", "1190.00"), item("INV-1043", "250.00")]
    found = best(payment("1190.00", "INV-1042", iban=NORTHWIND_IBAN), items)
    assert (found.item_ids, found.automatic, found.score, found.difference) == (("INV-1042",), True, 1.0, 0)
    assert found.reasons == ("reference INV-1042 in the remittance",
                             "amount 1,190.00 equals the open amount of INV-1042",
                             f"IBAN {NORTHWIND_IBAN} is vendor Northwind GmbH's",
                             "the only open item of Northwind GmbH with this amount",
                             "paid 3 days after the due date 2026-04-01")


def test_the_reference_and_the_amount_alone_are_automatic():
    found = best(payment("1190.00", "INV-1042"), [item("INV-1042", "1190.00")])
    assert (found.automatic, found.score) == (True, 0.9)


def test_a_creditor_reference_names_the_invoice_it_carries():
    found = best(payment("80.00", creditor_reference="RF18539007547034"), [item("539007547034", "80.00")])
    assert found.automatic and found.reasons[0] == "reference 539007547034 in the creditor reference"


def test_a_reference_with_a_typing_error_matches_with_the_amount_and_the_vendors_iban():
    items = [item("INV-2024-1042", "1190.00"), item("INV-2024-1043", "300.00")]
    found = best(payment("1190.00", "INV-2024-1O42", iban=NORTHWIND_IBAN), items)
    assert (found.item_ids, found.automatic) == (("INV-2024-1042",), True)
    assert found.reasons[0] == "INV-2024-1O42 in the remittance is one character off invoice INV-2024-1042"
    without_iban = best(payment("1190.00", "INV-2024-1O42"), items)
    assert (without_iban.item_ids, without_iban.automatic, without_iban.score) == (("INV-2024-1042",), False, 0.65)


def test_a_reference_written_exactly_is_never_taken_for_a_typing_error_of_another():
    items = [item("INV-2024-1042", "1190.00"), item("INV-2024-1043", "1190.00")]
    found = best(payment("1190.00", "INV-2024-1043", iban=NORTHWIND_IBAN), items)
    assert (found.item_ids, found.automatic) == (("INV-2024-1043",), True)


def test_the_number_alone_names_the_invoice():
    found = best(payment("1190.00", "2024-1042", iban=NORTHWIND_IBAN), [item("INV-2024-1042", "1190.00")])
    assert found.automatic
    assert found.reasons[0] == "2024-1042 in the remittance is the number of invoice INV-2024-1042"


def test_the_amount_and_the_vendors_iban_are_automatic_only_for_its_one_item_of_that_amount():
    one = best(payment("1190.00", iban=NORTHWIND_IBAN), [item("INV-1", "1190.00"), item("INV-2", "80.00")])
    assert (one.item_ids, one.automatic, one.score) == (("INV-1",), True, 0.85)
    two = best(payment("1190.00", iban=NORTHWIND_IBAN),
               [item("INV-1", "1190.00"), item("INV-2", "1190.00", due=DUE + timedelta(days=30))])
    assert (two.item_ids, two.automatic, two.score) == (("INV-1",), False, 0.7), "the older invoice first"
    assert two.reasons[-1] == "INV-2 of Northwind GmbH fits almost as well (score 0.70): a person decides"


def test_the_only_item_of_an_amount_is_not_certain_when_a_few_others_add_up_to_it():
    items = [item("INV-1", "1000.00"), item("INV-2", "600.00"), item("INV-3", "400.00")]
    found = best(payment("1000.00", iban=NORTHWIND_IBAN), items)
    assert found.automatic is False and "fits almost as well" in found.reasons[-1]


def test_a_payment_to_another_vendors_iban_is_only_suggested():
    found = best(payment("1190.00", "INV-1042", iban=CONTOSO_IBAN), [item("INV-1042", "1190.00")])
    assert (found.automatic, found.score) == (False, 0.5)
    assert found.reasons[2] == (f"IBAN {CONTOSO_IBAN} is vendor Contoso Ltd's, but the invoice is Northwind "
                                "GmbH's")


# --- same amounts of different vendors --------------------------------------------------------------------------------


def test_same_amount_invoices_of_different_vendors_are_never_matched_on_the_amount_alone():
    items = [item("INV-1", "500.00"), item("C-9", "500.00", "contoso", counterparty="Contoso Ltd")]
    found = best(payment("500.00"), items)
    assert (found.automatic, found.score) == (False, 0.4)
    assert "fits almost as well" in found.reasons[-1]


def test_same_amount_invoices_of_different_vendors_are_told_apart_by_the_iban():
    items = [item("INV-1", "500.00"), item("C-9", "500.00", "contoso", counterparty="Contoso Ltd")]
    found = best(payment("500.00", iban=CONTOSO_IBAN), items)
    assert (found.item_ids, found.automatic) == (("C-9",), True)


def test_the_amount_alone_with_one_candidate_is_a_suggestion_at_most():
    found = best(payment("500.00"), [item("INV-1", "500.00")])
    assert (found.automatic, found.score, found.reasons[0]) == (
        False, 0.4, "amount 500.00 equals the open amount of INV-1")
    assert best(payment("500.00"), [item("INV-1", "500.00")], suggest_threshold=0.5) is None


# --- several invoices, partial payments -------------------------------------------------------------------------------


def test_one_payment_for_several_invoices_it_names_is_automatic():
    items = [item("INV-1", "500.00"), item("INV-2", "690.00"), item("INV-3", "77.00")]
    found = best(payment("1190.00", "INV-1", "INV-2", iban=NORTHWIND_IBAN), items)
    assert (set(found.item_ids), found.automatic, found.difference) == ({"INV-1", "INV-2"}, True, 0)
    assert [a.amount for a in found.allocations] == [Decimal("500.00"), Decimal("690.00")]
    assert found.reasons[:2] == ("references INV-1 and INV-2 in the remittance",
                                 "amount 1,190.00 equals the open amount of INV-1 and INV-2 (500.00 + 690.00)")


def test_one_payment_for_several_invoices_of_its_vendor_without_references_is_suggested():
    items = [item("INV-1", "500.00"), item("INV-2", "690.00"), item("INV-3", "77.00"),
             item("C-1", "690.00", "contoso", counterparty="Contoso Ltd")]
    found = best(payment("1267.00", iban=NORTHWIND_IBAN), items)
    assert (set(found.item_ids), found.automatic, found.score) == ({"INV-1", "INV-2", "INV-3"}, False, 0.7)


def test_several_subsets_that_add_up_are_ambiguous():
    items = [item("INV-1", "100.00"), item("INV-2", "200.00"), item("INV-3", "300.00")]
    found = best(payment("300.00", "INV-1", "INV-2", "INV-3", iban=NORTHWIND_IBAN), items)
    assert found.item_ids == ("INV-3",) and found.automatic, "the one item named with the exact amount wins"
    split = best(payment("300.00", iban=NORTHWIND_IBAN), items[:2] + [item("INV-4", "150.00"),
                                                                       item("INV-5", "150.00")])
    assert not split.automatic and "fits almost as well" in split.reasons[-1]


def test_the_subset_search_is_bounded():
    amounts = [1000 * (index + 1) for index in range(40)]
    assert fitting_subsets(amounts, 3000, 3000) == [(0, 1)]
    assert fitting_subsets(amounts, 79000, 79000) == [], f"only the first {MAX_POOL} items are tried"
    assert len(fitting_subsets([100] * 10, 200, 200)) == MAX_ANSWERS
    named = list(range(30, 36))
    total = sum(amounts[30:36])
    assert fitting_subsets(amounts, total, total, named) == [tuple(named)], "named items all together"
    assert fitting_subsets(amounts, 2995, 3000) == [(0, 1)] and fitting_subsets(amounts, 3001, 3100) == []


def test_partial_payments_reduce_an_invoice_until_it_is_paid():
    items = [item("INV-1042", "1190.00")]
    first = payment("500.00", "INV-1042", iban=NORTHWIND_IBAN, line="first")
    second = payment("690.00", "INV-1042", iban=NORTHWIND_IBAN, line="second", on=PAID_ON + timedelta(days=5))
    [partial, rest] = match_payments([second, first], items, VENDORS)
    assert (partial.payment_id, partial.automatic, partial.allocations[0].amount) == ("first", True,
                                                                                      Decimal("500.00"))
    assert partial.reasons[1] == "partial payment of INV-1042: 500.00 of 1,190.00 open, 690.00 stays open"
    assert (rest.payment_id, rest.automatic, rest.allocations[0].amount) == ("second", True, Decimal("690.00"))
    assert rest.reasons[1] == "amount 690.00 equals the open amount of INV-1042"


def test_a_partial_payment_must_name_its_invoice():
    assert best(payment("500.00", iban=NORTHWIND_IBAN), [item("INV-1042", "1190.00")]) is None


# --- differences within the tolerance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("paid", "difference", "kind", "words"), [
    ("1194.50", "-4.50", "fee", "posted as bank fees"),
    ("1166.20", "23.80", "discount", "posted as an early-payment discount"),
    ("1189.97", "0.03", "rounding", "posted as rounding"),
])
def test_a_difference_within_the_tolerance_clears_the_item_and_is_posted_by_kind(paid, difference, kind, words):
    found = best(payment(paid, "INV-1042", iban=NORTHWIND_IBAN), [item("INV-1042", "1190.00")])
    assert (found.allocations[0].amount, found.difference, found.difference_kind) == (
        Decimal("1190.00"), Decimal(difference), kind)
    assert found.automatic and found.reasons[1].endswith(words)


def test_the_tolerance_is_an_amount_or_a_percent_whichever_is_larger():
    items = [item("INV-1042", "1190.00")]
    fees = best(payment("1196.00", "INV-1042"), items, tolerance_amount=Decimal("6.00"), tolerance_percent=0)
    assert (fees.difference, fees.difference_kind) == (Decimal("-6.00"), "fee")
    assert best(payment("1196.01", "INV-1042"), items, tolerance_amount=Decimal("6.00"), tolerance_percent=0) is None
    discount = best(payment("1130.50", "INV-1042"), items, tolerance_amount=0, tolerance_percent=Decimal("5"))
    assert (discount.difference, discount.difference_kind) == (Decimal("59.50"), "discount")
    partial = best(payment("1130.50", "INV-1042"), items, tolerance_amount=0, tolerance_percent=Decimal("4.99"))
    assert (partial.difference, partial.allocations[0].amount) == (0, Decimal("1130.50"))


def test_paying_more_is_fees_up_to_the_amount_only():
    items = [item("INV-1042", "1190.00")]
    assert best(payment("1195.00", "INV-1042"), items).difference_kind == "fee"
    assert best(payment("1200.00", "INV-1042"), items) is None, "2% more is no bank fee"


def test_an_answer_leaving_open_an_invoice_the_remittance_names_counts_against_it():
    items = [item("INV-1001", "1000.00"), item("INV-1002", "20.00", due=DUE + timedelta(days=40))]
    found = best(payment("1000.00", "INV-1001", "INV-1002"), items)
    assert (found.item_ids, found.automatic, found.score) == (("INV-1001",), False, 0.6)
    assert "the remittance also names INV-1002, which this leaves open" in found.reasons


# --- currency and dates -----------------------------------------------------------------------------------------------


def test_the_currency_must_agree():
    assert best(payment("1190.00", "INV-1042", currency="USD"), [item("INV-1042", "1190.00")]) is None


@pytest.mark.parametrize(("on", "matched"), [
    (ISSUED - timedelta(days=5), True), (ISSUED - timedelta(days=6), False),
    (DUE + timedelta(days=90), True), (DUE + timedelta(days=91), False),
])
def test_a_payment_is_only_for_invoices_of_its_time(on, matched):
    found = best(payment("1190.00", "INV-1042", on=on), [item("INV-1042", "1190.00")])
    assert (found is not None) == matched


def test_the_date_window_is_a_setting():
    late = payment("1190.00", "INV-1042", on=DUE + timedelta(days=20))
    assert best(late, [item("INV-1042", "1190.00")], days_after_due=19) is None
    assert best(late, [item("INV-1042", "1190.00")], days_after_due=20).reasons[-1] == (
        "paid 20 days after the due date 2026-04-01")


# --- credit notes, counterparties, people's decisions -----------------------------------------------------------------


def test_a_refund_matches_a_credit_note():
    found = best(Payment("refund", Decimal("150.00"), "EUR", PAID_ON, None, NORTHWIND_IBAN, ("CN-7",)),
                 [item("CN-7", "-150.00"), item("INV-1", "150.00")])
    assert (found.item_ids, found.automatic, found.allocations[0].amount) == (("CN-7",), True, Decimal("-150.00"))


def test_the_vendors_name_and_its_aliases_name_it():
    by_name = best(payment("80.00", "INV-5", name="NORTHWIND G.M.B.H."), [item("INV-5", "80.00")])
    assert by_name.reasons[2] == "counterparty 'NORTHWIND G.M.B.H.' is vendor Northwind GmbH"
    with_city = best(payment("80.00", "INV-5", name="NORTHWIND GMBH BERLIN"), [item("INV-5", "80.00")])
    assert with_city.reasons[2] == "counterparty 'NORTHWIND GMBH BERLIN' begins with vendor Northwind GmbH's name"
    by_alias = best(payment("80.00", "INV-5", name="NW HANDEL"), [item("INV-5", "80.00")])
    assert by_alias.score == 1.0


def test_a_learned_iban_or_name_names_its_vendor_once_confirmed_often_enough():
    iban = "FR7630006000011234567890189"
    aliases = (LearnedAlias("iban", iban, "northwind", 2), LearnedAlias("name", "nwd logistik", "northwind", 2))
    items = [item("INV-1", "1190.00"), item("INV-2", "80.00")]
    found = best(payment("1190.00", iban=iban), items, aliases=aliases, alias_confirmations=2)
    assert (found.item_ids, found.automatic) == (("INV-1",), True)
    assert found.reasons[1] == f"IBAN {iban} was confirmed as vendor Northwind GmbH's 2 times"
    assert not best(payment("1190.00", iban=iban), items, aliases=aliases, alias_confirmations=3).automatic
    by_name = best(payment("1190.00", name="NWD LOGISTIK"), items, aliases=aliases, alias_confirmations=2)
    assert (by_name.score, by_name.reasons[1]) == (
        0.8, "the name 'NWD LOGISTIK' was confirmed as vendor Northwind GmbH's 2 times")


def test_a_name_confirmed_for_two_vendors_names_neither():
    aliases = (LearnedAlias("iban", "FR7630006000011234567890189", "northwind", 3),
               LearnedAlias("iban", "FR7630006000011234567890189", "contoso", 1))
    found = best(payment("1190.00", iban="FR7630006000011234567890189"), [item("INV-1", "1190.00")], aliases=aliases)
    assert found.automatic is False


def test_what_a_person_rejected_for_a_line_is_not_proposed_again():
    items = [item("INV-1", "500.00"), item("INV-2", "500.00", due=DUE + timedelta(days=30))]
    found = best(payment("500.00", iban=NORTHWIND_IBAN, rejected=frozenset({frozenset({"INV-1"})})), items)
    assert (found.item_ids, found.automatic) == (("INV-2",), True)


def test_thresholds_are_settings():
    items = [item("INV-1042", "1190.00")]
    assert not best(payment("1190.00", "INV-1042"), items, auto_threshold=0.95).automatic
    assert best(payment("1190.00", iban=NORTHWIND_IBAN), items, auto_threshold=0.7).automatic


# --- names ------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second", "one_edit"), [
    ("INV1042", "INV1024", True), ("INV1042", "INV1O42", True), ("INV1042", "INV10422", True),
    ("INV1042", "NV1042", True), ("INV1042", "INV2041", False), ("INV1042", "IVN1024", False),
])
def test_one_typing_error(first, second, one_edit):
    assert within_one_edit(first, second) is one_edit
    assert within_one_edit(second, first) is one_edit


def test_names_and_references_are_compared_without_their_dress():
    assert normalised_name("Northwind GmbH & Co. KG") == normalised_name("NORTHWIND") == "northwind"
    assert normalised_name("上海某某贸易有限公司") == "上海某某贸易"
    assert compact_reference("inv 2024/0042") == compact_reference("INV-2024-0042") == "INV20240042"
