"""The matching API of the real app and database, as machine clients call it (API tokens): a statement's matches,
confirming and rejecting them, matching a line by hand, matching again, the settings; who may do what, and company
scoping."""

from __future__ import annotations

from datetime import date

import pytest

from sqlalchemy import select

from core.db import transaction
from core.permissions import Role
from models import CounterpartyAlias
from tests.posting.documents import as_principal
from tests.reconciliation.ledger import (NORTHWIND_IBAN, import_statement, item_state, lines_of, payment,
                                         posted_invoice, vendor)


@pytest.fixture
def approver(make_user):
    return as_principal(make_user("approver"))


@pytest.fixture
def clerk(make_user, client_for):
    return client_for(make_user("clerk"))


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


@pytest.fixture
def northwind(company):
    return vendor(company.id, "Northwind GmbH", NORTHWIND_IBAN)


def matches(client, statement: dict, **params) -> list[dict]:
    response = client.get(f"/api/v1/bank-statements/{statement['id']}/matches", params=params)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def test_a_statements_matches_say_what_was_matched_how_surely_and_why(company, approver, clerk, northwind, run_jobs):
    cleared = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    suggested = posted_invoice(company.id, approver, northwind, "INV-2077", "80.00")
    statement = import_statement(clerk, payment("1190.00", "Invoice INV-1042"),
                                 payment("80.00", iban=None, name="Unknown payee"),
                                 payment("12.34", "card fee", iban=None, name=None))
    run_jobs()
    found = {item["status"]: item for item in matches(clerk, statement)}
    auto, suggestion = found["auto"], found["suggested"]
    line_ids = [str(line.id) for line in lines_of(statement["id"])]
    assert (auto["transaction_id"], auto["open_item_ids"], auto["amount"], auto["score"]) == (
        line_ids[0], [str(cleared)], "1190.00", 1.0)
    assert auto["allocations"] == [{"open_item_id": str(cleared), "amount": "1190.00"}]
    assert (auto["difference"], auto["difference_kind"], auto["decided_by_id"]) == ("0.00", None, None)
    assert auto["reasons"][0] == "reference INV-1042 in the remittance"
    assert clerk.get(f"/api/v1/vouchers/{auto['clearing_voucher_id']}").json()["status"] == "posted"
    assert (suggestion["open_item_ids"], suggestion["score"], suggestion["clearing_voucher_id"]) == (
        [str(suggested)], 0.4, None)
    assert [item["id"] for item in matches(clerk, statement, status="suggested")] == [suggestion["id"]]
    assert len(found) == 2, "the card fee has no match"
    assert clerk.get(f"/api/v1/matches/{auto['id']}").json() == auto


def test_confirming_and_rejecting_through_the_api(company, approver, clerk, northwind, run_jobs):
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", iban=None, name=None))
    run_jobs()
    [suggestion] = matches(clerk, statement)
    confirmed = clerk.post(f"/api/v1/matches/{suggestion['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["clearing_voucher_id"] and confirmed.json()["decided_at"]
    assert item_state(item) == ("cleared", "0.00")
    again = clerk.post(f"/api/v1/matches/{suggestion['id']}/confirm")
    assert again.status_code == 409 and again.json()["error"] == "InvalidStatusTransition"
    rejected = clerk.post(f"/api/v1/matches/{suggestion['id']}/reject")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert item_state(item) == ("open", "1190.00")
    twice = clerk.post(f"/api/v1/matches/{suggestion['id']}/reject")
    assert twice.status_code == 409 and "rejected already" in twice.json()["detail"]


def test_confirming_an_automatic_match_posts_nothing_more_and_teaches_its_counterparty(company, approver, clerk,
                                                                                       northwind, run_jobs):
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", "INV-1042", name="NW LOGISTIK"))
    run_jobs()
    [auto] = matches(clerk, statement)
    confirmed = clerk.post(f"/api/v1/matches/{auto['id']}/confirm").json()
    assert (confirmed["status"], confirmed["clearing_voucher_id"]) == ("confirmed", auto["clearing_voucher_id"])
    posted = clerk.get("/api/v1/vouchers", params={"status": "posted"}).json()["items"]
    assert len([voucher for voucher in posted if voucher["document_id"] is None]) == 1, "one clearing voucher"
    with transaction() as session:
        learned = [(row.kind, row.value, row.confirmations) for row in session.scalars(select(CounterpartyAlias))]
    assert learned == [("name", "nw logistik", 1)], "the vendor master has its IBAN already"


def test_a_suggestion_whose_item_was_paid_meanwhile_cannot_be_confirmed(company, approver, clerk, northwind,
                                                                       run_jobs):
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", iban=None, name=None))
    run_jobs()
    [suggestion] = matches(clerk, statement)
    import_statement(clerk, payment("1190.00", "INV-1042", booked=date(2026, 4, 5)), statement_id="STMT-2")
    run_jobs()
    refused = clerk.post(f"/api/v1/matches/{suggestion['id']}/confirm")
    assert refused.status_code == 409 and refused.json()["error"] == "Conflict"
    assert "is cleared: nothing of it is open to be paid" in refused.json()["detail"]


def test_a_line_is_matched_by_hand_oldest_invoice_first(company, approver, clerk, northwind, run_jobs):
    older = posted_invoice(company.id, approver, northwind, "INV-1001", "300.00", due="2026-03-20")
    newer = posted_invoice(company.id, approver, northwind, "INV-1002", "500.00", due="2026-04-01")
    statement = import_statement(clerk, payment("700.00", "March invoices", iban=None, name=None))
    run_jobs()
    [line] = lines_of(statement["id"])
    assert matches(clerk, statement) == []
    made = clerk.post(f"/api/v1/bank-transactions/{line.id}/match", json={"open_item_ids": [str(newer), str(older)]})
    assert made.status_code == 201, made.text
    body = made.json()
    assert (body["status"], body["amount"], body["open_item_ids"]) == ("confirmed", "700.00", [str(older), str(newer)])
    assert [a["amount"] for a in body["allocations"]] == ["300.00", "400.00"]
    assert body["reasons"][0].startswith("matched by hand by clerk")
    assert (item_state(older), item_state(newer)) == (("cleared", "0.00"), ("partially_paid", "100.00"))
    taken = clerk.post(f"/api/v1/bank-transactions/{line.id}/match", json={"open_item_ids": [str(newer)]})
    assert taken.status_code == 409 and "is matched already" in taken.json()["detail"]


@pytest.mark.parametrize(("body", "words"), [
    ({"open_item_ids": []}, "open_item_ids"),
    ({"open_item_ids": ["00000000-0000-0000-0000-000000000001"]}, "There is no open item"),
    ({"open_item_ids": "not a list"}, "open_item_ids"),
])
def test_a_match_by_hand_names_what_to_fix(company, approver, clerk, northwind, run_jobs, body, words):
    posted_invoice(company.id, approver, northwind, "INV-1001", "300.00")
    statement = import_statement(clerk, payment("700.00", iban=None, name=None))
    [line] = lines_of(statement["id"])
    refused = clerk.post(f"/api/v1/bank-transactions/{line.id}/match", json=body)
    assert refused.status_code == 422 and words in refused.json()["detail"]


def test_a_payment_larger_than_the_items_given_is_refused(company, approver, clerk, northwind):
    item = posted_invoice(company.id, approver, northwind, "INV-1001", "300.00")
    statement = import_statement(clerk, payment("700.00", iban=None, name=None))
    [line] = lines_of(statement["id"])
    refused = clerk.post(f"/api/v1/bank-transactions/{line.id}/match", json={"open_item_ids": [str(item)]})
    assert refused.status_code == 422
    assert refused.json()["detail"] == ("Line 1 cannot be matched to these items: the line pays 700.00, 400.00 more "
                                        "than the 300.00 open on the items given (beyond the tolerance); add the "
                                        "other items it pays.")
    assert item_state(item) == ("open", "300.00") and lines_of(statement["id"])[0].status == "unmatched"


def test_matching_again_finds_what_was_posted_since(company, approver, clerk, northwind, run_jobs):
    statement = import_statement(clerk, payment("1190.00", "INV-1042"))
    run_jobs()
    assert matches(clerk, statement) == []
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    queued = clerk.post(f"/api/v1/bank-statements/{statement['id']}/match")
    assert queued.status_code == 202 and queued.json() == {"statement_id": statement["id"], "lines": 1}
    run_jobs()
    assert [m["status"] for m in matches(clerk, statement)] == ["auto"] and item_state(item)[0] == "cleared"


def test_the_settings_have_defaults_and_are_changed_by_accountants(company, approver, clerk, accountant, northwind,
                                                                    run_jobs):
    defaults = clerk.get("/api/v1/reconciliation/settings").json()
    assert defaults == {"auto_threshold": 0.85, "suggest_threshold": 0.4, "tolerance_amount": "5.00",
                        "tolerance_percent": "2.00", "days_before_issue": 5, "days_after_due": 90,
                        "alias_confirmations": 1, "bank_account_code": None, "fee_account_code": None,
                        "discount_account_code": None, "rounding_account_code": None}
    assert clerk.put("/api/v1/reconciliation/settings", json={"auto_threshold": 0.95}).status_code == 403
    changed = accountant.put("/api/v1/reconciliation/settings", json={"auto_threshold": 0.95, "fee_account_code": "6800"})
    assert changed.status_code == 200
    assert changed.json() == defaults | {"auto_threshold": 0.95, "fee_account_code": "6800"}
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", "INV-1042", iban=None, name=None))
    run_jobs()
    assert [m["status"] for m in matches(clerk, statement)] == ["suggested"], "0.9 is below 0.95 now"


@pytest.mark.parametrize(("body", "words"), [
    ({"fee_account_code": "9999"}, "fee_account_code: 9999 is not an active account of the chart"),
    ({"auto_threshold": 0.5, "suggest_threshold": 0.6}, "suggest_threshold must not be above auto_threshold"),
    ({"auto_threshold": 1.5}, "auto_threshold"),
    ({"tolerance_amount": "1.234"}, "tolerance_amount"),
    ({"surprise": 1}, "surprise"),
])
def test_settings_that_cannot_be_are_refused(accountant, body, words):
    accountant.get("/api/v1/accounts")  # the chart is seeded with the company's first voucher, or here
    refused = accountant.put("/api/v1/reconciliation/settings", json=body)
    assert refused.status_code == 422 and words in refused.json()["detail"]


@pytest.mark.parametrize("role", [Role.APPROVER, Role.AUDITOR, Role.EMPLOYEE])
def test_only_those_who_reconcile_see_and_decide_matches(company, approver, clerk, northwind, run_jobs, make_user,
                                                         client_for, role):
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", iban=None, name=None))
    run_jobs()
    [match] = matches(clerk, statement)
    other = client_for(make_user(role))
    assert other.get(f"/api/v1/bank-statements/{statement['id']}/matches").status_code == 403
    assert other.post(f"/api/v1/matches/{match['id']}/confirm").status_code == 403
    assert other.get("/api/v1/reconciliation/settings").status_code == 403


def test_another_companys_matches_lines_and_statements_do_not_exist(company, approver, clerk, northwind, run_jobs,
                                                                    make_user, client_for):
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(clerk, payment("1190.00", iban=None, name=None))
    run_jobs()
    [match] = matches(clerk, statement)
    [line] = lines_of(statement["id"])
    stranger = client_for(make_user("clerk", company_slug="other"))
    assert stranger.get(f"/api/v1/bank-statements/{statement['id']}/matches").status_code == 404
    assert stranger.post(f"/api/v1/bank-statements/{statement['id']}/match").status_code == 404
    assert stranger.get(f"/api/v1/matches/{match['id']}").status_code == 404
    assert stranger.post(f"/api/v1/matches/{match['id']}/reject").status_code == 404
    refused = stranger.post(f"/api/v1/bank-transactions/{line.id}/match", json={"open_item_ids": match["open_item_ids"]})
    assert refused.status_code == 404
    assert matches(clerk, statement)[0]["status"] == "suggested"
