"""posting.rules.validation: reading rules (every error at once), and refusing rules that conflict, go round in a
circle or name what the master data lacks, each problem naming the rules and what to fix."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import MasterDataRejected
from posting.masterdata.validation import Row
from posting.rules.matching import Conditions, Outcome, Rule
from posting.rules.validation import Known, check_rules, cycles, read_rule, read_rules, refusal

KNOWN = Known({"6000": "expense", "6300": "expense", "1500": "asset", "2000": "liability"},
              frozenset({"S20", "ND20"}), frozenset({"IT", "OPS", "SAL"}), frozenset({"P1"}),
              frozenset({"amazon web services", "aws emea sarl", "lu26888617"}))


def rule(position: int, outcome: Outcome = Outcome(account_code="6000"), active: bool = True, **conditions) -> Rule:
    return Rule(position, f"Rule {position}", Conditions(**conditions), outcome, active)


def messages(rules, changed=None) -> list[str]:
    return [problem.message for problem in check_rules(rules, KNOWN, changed)]


def test_a_rule_is_read_as_master_data_reads_values():
    read, errors = read_rule(Row(1, {"Name": " Cloud ", "active": "no", "conditions": {
        "doc types": "invoice|Receipt", "vendor": "AWS", "categories": ["Local transport", "meals"],
        "keywords": ["EC2", "ec2", "S3"], "amount_min": "0", "amount_max": 5000, "currencies": "usd|EUR",
        "cost_centres": ["IT", "IT"]}, "outcome": {"account_code": "6300", "approval_route": "cio-review",
                                                   "tax_code": "~"}}))
    assert errors == []
    assert read == Rule(0, "Cloud", Conditions(("invoice", "receipt"), "AWS", ("local_transport", "meals"),
                                               ("EC2", "S3"), Decimal("0"), Decimal("5000"), ("EUR", "USD"), ("IT",)),
                        Outcome(account_code="6300", approval_route="cio-review"), active=False)


def test_every_error_of_a_rule_is_named_by_its_field():
    _, errors = read_rule(Row(4, {"name": "", "colour": "red", "conditions": {"vendr": "AWS", "currencies": ["EU"],
                                                                             "amount_min": "-1"},
                                  "outcome": {"account_code": "60 00", "approval_route": "a route"}}))
    assert [(error.row, error.field) for error in errors] == [
        (4, "colour"), (4, "name"), (4, "conditions.vendr"), (4, "conditions.amount_min"), (4, "conditions.currencies"),
        (4, "outcome.account_code"), (4, "outcome.approval_route")]
    assert errors[0].message == "'colour' is not one of name, active, conditions, outcome"
    assert errors[4].message == "'EU' is not an ISO 4217 currency code, such as EUR, USD or CNY"


def test_a_rule_sets_something_and_its_amounts_make_a_range():
    _, errors = read_rule(Row(1, {"name": "Nothing", "conditions": {"amount_min": "500", "amount_max": "500"}}))
    assert [(error.field, error.message) for error in errors] == [
        ("outcome", "a rule sets at least one of account_code, tax_code, cost_centre_code, project_code, "
                    "approval_route"),
        ("conditions.amount_max", "500 is not above amount_min 500: the total must be at least amount_min and below "
                                  "amount_max")]
    _, errors = read_rule(Row(1, {"name": "Odd", "conditions": ["vendor"], "outcome": {"project_code": "P1"}}))
    assert [(error.field, error.message) for error in errors] == [
        ("conditions", "a mapping of doc_types, vendor, categories, keywords, amount_min, amount_max, currencies, "
                       "cost_centres")]


def test_rules_are_refused_whole_with_every_rows_errors():
    with pytest.raises(MasterDataRejected) as refused:
        read_rules([Row(1, {"name": "Good", "outcome": {"account_code": "6000"}}), Row(2, {"outcome": {}}),
                    Row(3, {"name": "Bad", "conditions": {"doc_types": ["contract"]}, "outcome": {"tax_code": "S20"}})])
    assert [(error["row"], error["field"]) for error in refused.value.errors] == [
        (2, "name"), (2, "outcome"), (3, "conditions.doc_types")]


def test_the_same_conditions_with_another_outcome_is_a_conflict_naming_both_rules():
    rules = [rule(1, keywords=("EC2", "S3"), currencies=("EUR",)),
             rule(2, Outcome(account_code="6300"), keywords=("s3", "ec2"), currencies=("EUR",)),
             rule(3, keywords=("EC2", "S3"), currencies=("EUR",)),
             rule(4, Outcome(account_code="6300"), active=False, keywords=("EC2", "S3"), currencies=("EUR",))]
    [problem] = check_rules(rules, KNOWN)
    assert problem.rules == (1, 2)
    assert problem.message == ("rule 2 'Rule 2' has the same conditions as rule 1 'Rule 1' but another outcome, so it "
                               "could never apply: make their conditions differ, or deactivate or delete one.")
    assert messages([rule(1, keywords=("EC2",)), rule(2, Outcome(account_code="6300"), keywords=("EC2", "S3"))]) == []


def test_cost_centres_that_go_round_in_a_circle_are_a_loop_named_as_the_cycle():
    rules = [rule(1, Outcome(cost_centre_code="IT"), vendor="AWS EMEA SARL"),
             rule(2, Outcome(cost_centre_code="OPS"), cost_centres=("IT",)),
             rule(3, Outcome(cost_centre_code="IT", account_code="6300"), cost_centres=("SAL",)),
             rule(5, Outcome(cost_centre_code="IT"), cost_centres=("OPS",)),
             rule(6, Outcome(cost_centre_code="SAL"), cost_centres=("SAL",), keywords=("travel",))]
    [problem] = check_rules(rules, KNOWN)
    assert problem.rules == (2, 5)
    assert problem.message == (
        "rule 2 -> rule 5 -> rule 2: rule 2 'Rule 2' sets cost centre OPS, rule 5 'Rule 5' sets cost centre IT, and "
        "each makes the next one's cost_centres condition true, round in a circle: change a cost centre one of them "
        "sets or names, or deactivate one.")
    assert messages([*rules[:3], rule(5, Outcome(cost_centre_code="IT"), active=False, cost_centres=("OPS",))]) == []


def test_cycles_are_found_once_each_from_their_smallest_rule():
    assert cycles({1: [2], 2: [3], 3: [1, 4], 4: [4, 2]}) == [(1, 2, 3), (4,), (2, 3, 4)]
    assert cycles({1: [2], 2: [], 3: [1]}) == []


def test_every_code_the_master_data_lacks_is_named_with_what_to_do():
    named = rule(7, Outcome(account_code="6999", tax_code="R7", cost_centre_code="XX", project_code="P9"),
                 vendor="Amazon", cost_centres=("IT", "GONE"))
    assert messages([named]) == [
        "rule 7 'Rule 7' debits account 6999, which is not an active account of the chart: name an active expense or "
        "asset account (GET /api/v1/accounts lists them).",
        "rule 7 'Rule 7' names the vendor 'Amazon', whom the vendor master does not know by name, alias or tax ID: "
        "add the vendor (or the alias), or correct the name.",
        "rule 7 'Rule 7' names the tax code R7, which is not an active input tax code: add it (POST "
        "/api/v1/tax-codes) or correct the code.",
        "rule 7 'Rule 7' names the cost centre XX, which is not an active cost centre: add it (POST "
        "/api/v1/cost-centres) or correct the code.",
        "rule 7 'Rule 7' names the project P9, which is not an active project: add it (POST /api/v1/projects) or "
        "correct the code.",
        "rule 7 'Rule 7' names the cost centre GONE, which is not an active cost centre: add it (POST "
        "/api/v1/cost-centres) or correct the code."]
    assert messages([rule(1, Outcome(account_code="2000"))]) == [
        "rule 1 'Rule 1' debits account 2000, which is of type liability: name an active expense or asset account "
        "(GET /api/v1/accounts lists them)."]
    assert messages([rule(1, Outcome(account_code="1500", tax_code="ND20"), vendor="lu26888617")]) == []


def test_only_changed_and_active_rules_have_their_references_checked():
    stale = rule(1, Outcome(account_code="6999"))
    assert messages([stale, rule(2, Outcome(account_code="6300"), keywords=("EC2",))], changed=[2]) == []
    assert messages([rule(1, Outcome(account_code="6999"), active=False)]) == []


def test_a_refusal_lists_every_problem_and_says_nothing_was_written():
    problems = check_rules([rule(1, Outcome(account_code="6999")),
                            rule(2, Outcome(project_code="P9"), vendor="AWS EMEA SARL")], KNOWN)
    refused = refusal(problems)
    assert refused.status_code == 422 and refused.detail.startswith("The posting rules have 2 problems; nothing was "
                                                                    "written. rule 1 'Rule 1' debits account 6999")
    assert refused.extra == {"problems": [{"rules": [1], "message": problems[0].message},
                                          {"rules": [2], "message": problems[1].message}]}
