"""posting.rules.matching: which rule decides an expense line and why, condition by condition; the first matching rule
wins; passes when a rule's cost centre makes a later rule match."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from posting.drafting import Counterparty, DocumentFacts
from posting.rules.matching import (Conditions, DocumentView, LineFacts, Outcome, Rule, amount_range, combined,
                                    decide, first_route)

AWS = Counterparty("Amazon Web Services", "the vendor master, matched by tax_id",
                   known_as=("Amazon Web Services", "AWS EMEA SARL", "LU26888617"))
ADA = Counterparty("Ada Lovelace", "employee E001 of the master, who uploaded it", cost_centre_code="SAL")
TO_6500 = Outcome(account_code="6500")


def rule(position: int = 1, name: str = "Cloud hosting", outcome: Outcome = TO_6500, active: bool = True,
         **conditions) -> Rule:
    return Rule(position, name, Conditions(**conditions), outcome, active)


def view(doc_type: str = "invoice", party: Counterparty | None = AWS, currency: str = "EUR", items=(),
         **values) -> DocumentView:
    fields = {name: {"value": value} for name, value in values.items()}
    return DocumentView(DocumentFacts(doc_type, fields, date(2026, 3, 1), tuple(items)), party, currency)


def line(description: str | None = None, category: str | None = None, cost_centre: str | None = None,
         where: str = "line item 2") -> LineFacts:
    return LineFacts(where, description, category, Decimal("120.00"), cost_centre)


def reasons(rules, document=None, of=None) -> list[str]:
    return [decision.reason for decision in decide(rules, document or view(total_amount="1200.00"), of or line())]


def test_the_reason_names_the_rule_and_every_condition_that_held():
    cloud = rule(3, vendor="aws emea sarl", keywords=("ec2",), amount_min=Decimal("0"), amount_max=Decimal("5000"))
    [decision] = decide([cloud], view(total_amount="1200.00"), line("Amazon EC2 instances, March"))
    assert decision.reason == ("rule 3 'Cloud hosting': vendor is Amazon Web Services, keyword 'ec2' in line item 2, "
                               "amount 0-5000 EUR")
    assert (decision.position, decision.name, decision.outcome, decision.approval_route) == (
        3, "Cloud hosting", TO_6500, None)


@pytest.mark.parametrize("vendor, matches", [("Amazon Web Services", True), ("AWS EMEA SARL", True),
                                             ("lu26888617", True), ("Amazon", False)])
def test_a_vendor_is_named_by_its_name_an_alias_or_its_tax_id_in_any_case(vendor, matches):
    assert bool(reasons([rule(vendor=vendor)])) is matches


def test_a_vendor_condition_never_holds_for_an_employee_or_an_unmatched_vendor():
    assert reasons([rule(vendor="Ada Lovelace")], view("receipt", ADA, total_amount="10.00")) == []
    assert reasons([rule(vendor="Amazon Web Services")], view(party=None, vendor_name="Amazon Web Services",
                                                              total_amount="10.00")) == []


def test_doc_types_and_currencies_are_the_documents():
    assert reasons([rule(doc_types=("receipt", "expense_claim"))]) == []
    assert reasons([rule(doc_types=("invoice",), currencies=("EUR", "USD"))]) == [
        "rule 1 'Cloud hosting': document type invoice, currency EUR"]
    assert reasons([rule(currencies=("USD",))]) == []


def test_a_category_is_the_lines_in_the_charts_form():
    meals = rule(categories=("local_transport",))
    assert reasons([meals], of=line(category="Local transport")) == [
        "rule 1 'Cloud hosting': category local_transport"]
    assert reasons([meals], of=line(category="meals")) == [] and reasons([meals], of=line()) == []


def test_keywords_are_looked_for_in_the_item_then_in_the_documents_fields_in_any_case():
    assert reasons([rule(keywords=("Toner", "paper"))], of=line("Printer PAPER A4")) == [
        "rule 1 'Cloud hosting': keyword 'paper' in line item 2"]
    document = view(total_amount="50.00", vendor_name="Kedai Kopi", purpose="Client visit Shanghai")
    assert reasons([rule(keywords=("shanghai",))], document, line(None)) == [
        "rule 1 'Cloud hosting': keyword 'shanghai' in purpose"]
    assert reasons([rule(keywords=("hotel",))], document, line("Coffee")) == []


@pytest.mark.parametrize("total, matches", [("999.99", False), ("1000.00", True), ("4999.99", True),
                                            ("5000.00", False), ("-1200.00", True), (None, False)])
def test_the_amount_is_the_documents_total_at_least_the_minimum_and_below_the_maximum(total, matches):
    between = rule(amount_min=Decimal("1000"), amount_max=Decimal("5000"))
    assert bool(reasons([between], view(total_amount=total))) is matches


def test_amount_ranges_read_as_written():
    assert amount_range(Decimal("0"), Decimal("5000")) == "0-5000"
    assert amount_range(Decimal("1000.50"), None) == "from 1000.50"
    assert amount_range(None, Decimal("200")) == "below 200"


def test_cost_centres_are_the_lines():
    assert reasons([rule(cost_centres=("IT", "OPS"))], of=line(cost_centre="OPS")) == [
        "rule 1 'Cloud hosting': cost centre OPS"]
    assert reasons([rule(cost_centres=("IT",))], of=line(cost_centre="SAL")) == []


def test_the_first_active_matching_rule_wins_and_a_rule_without_conditions_matches_anything():
    rules = [rule(1, "Off", active=False), rule(2, "Hotels", keywords=("hotel",)),
             rule(3, "Cloud", Outcome(account_code="6300"), vendor="AWS EMEA SARL"),
             rule(4, "Everything else", Outcome(account_code="6000"))]
    assert reasons(rules) == ["rule 3 'Cloud': vendor is Amazon Web Services"]
    assert reasons(rules, view(party=None, total_amount="5.00")) == ["rule 4 'Everything else': it has no conditions"]


def test_a_cost_centre_a_rule_sets_makes_later_rules_match_in_another_pass():
    rules = [rule(1, "AWS is IT's", Outcome(cost_centre_code="IT"), vendor="Amazon Web Services"),
             rule(2, "Sales", Outcome(account_code="6600"), cost_centres=("SAL",)),
             rule(3, "IT costs", Outcome(account_code="6400", approval_route="cio"), cost_centres=("IT",)),
             rule(4, "IT cloud", Outcome(cost_centre_code="IT-CLOUD", project_code="P1"), cost_centres=("IT",))]
    decisions = decide(rules, view(total_amount="100.00"), line(cost_centre="SAL"))
    assert [decision.position for decision in decisions] == [1, 3]
    assert decisions[1].reason == "rule 3 'IT costs': cost centre IT"
    assert combined(decisions) == Outcome(account_code="6400", cost_centre_code="IT", approval_route="cio")


def test_passes_go_on_while_a_rule_changes_the_cost_centre_and_a_later_one_replaces_what_it_sets():
    rules = [rule(1, "A", Outcome(cost_centre_code="IT", account_code="6000"), keywords=("EC2",)),
             rule(2, "B", Outcome(cost_centre_code="IT-CLOUD"), cost_centres=("IT",)),
             rule(3, "C", Outcome(account_code="6300", project_code="P1"), cost_centres=("IT-CLOUD",))]
    decisions = decide(rules, view(total_amount="100.00"), line("EC2"))
    assert [decision.position for decision in decisions] == [1, 2, 3]
    assert combined(decisions) == Outcome(account_code="6300", cost_centre_code="IT-CLOUD", project_code="P1")


def test_a_rule_that_matched_and_lost_does_not_apply_in_a_later_pass():
    rules = [rule(1, "A", Outcome(cost_centre_code="IT"), keywords=("EC2",)),
             rule(2, "B", Outcome(account_code="6000"), keywords=("EC2",))]
    assert [decision.position for decision in decide(rules, view(total_amount="1.00"), line("EC2"))] == [1]


def test_the_route_is_the_first_rules_by_position_that_names_one():
    rules = [rule(5, "Late", Outcome(approval_route="late")), rule(2, "Early", Outcome(approval_route="early")),
             rule(1, "None", TO_6500)]
    decisions = [decision for r in rules for decision in decide([r], view(total_amount="1.00"), line())]
    assert first_route(decisions) == "early" and first_route(decisions[2:]) is None
