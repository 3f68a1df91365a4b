"""Account suggestions through the HTTP API on the real app and database: what confirmed history suggests for a line
and why, who may ask, what a question must say, company scoping, and the learned account on a drafted voucher's
line."""

from __future__ import annotations

import uuid

import pytest

from core.db import transaction
from core.outbox import relay_pending
from core.permissions import Role
from models import Vendor, Voucher
from posting import service as posting_service
from tests.posting.documents import as_principal, route, stored_document, voucher_of

REVIEWERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN)
AWS = "Amazon Web Services"


@pytest.fixture
def history(company, make_user, run_jobs) -> list[uuid.UUID]:
    """Two approved invoices of AWS, its hosting on 6300 (its default account, removed afterwards), learned by a
    real worker."""
    with transaction() as session:
        vendor = Vendor(company_id=company.id, name=AWS, default_account_code="6300")
        session.add(vendor)
        session.flush()
        vendor_id = vendor.id
    approver = as_principal(make_user("approver"))
    vouchers = [approved(company, vendor_id, text, approver) for text in ("AWS EC2 hosting March",
                                                                          "AWS EC2 hosting April")]
    relay_pending()
    run_jobs()
    with transaction() as session:
        session.get(Vendor, vendor_id).default_account_code = None
    return vouchers


def approved(company, vendor_id, description: str, approver) -> uuid.UUID:
    document = stored_document(company.id, "invoice", ({"description": description, "amount": "100.00"},),
                               vendor_id=vendor_id, vendor_name=AWS, invoice_date="2026-03-02", subtotal="100.00",
                               total_amount="100.00", currency="EUR")
    route(document)
    with transaction() as session:
        voucher = session.get(Voucher, voucher_of(document).id)
        posting_service.approve_voucher(session, voucher, approver)
        return voucher.id


def ask(client, **params):
    return client.get("/api/v1/account-suggestions", params=params)


@pytest.mark.parametrize("role", REVIEWERS)
def test_a_reviewer_sees_what_history_suggests_and_why(history, make_user, client_for, role):
    answer = ask(client_for(make_user(role)), vendor="amazon web services", description="EC2 hosting for May")
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert (found["account_code"], found["account_name"], found["support"], found["vendor_support"]) == (
        "6300", "Software and subscriptions", 2, 2)
    assert (found["vendor"], found["description"], found["history_size"]) == (
        "amazon web services", "EC2 hosting for May", 2)
    assert 0.5 < found["confidence"] < 1
    assert found["reason"].startswith("learned from 2 confirmed vouchers (2 of this vendor): nearest 'AWS EC2 hosting ")
    assert {neighbour["voucher_id"] for neighbour in found["neighbours"]} == {str(v) for v in history}
    assert all(neighbour["account_code"] == "6300" and 0 < neighbour["similarity"] <= 1
               for neighbour in found["neighbours"])


def test_what_history_does_not_know_is_no_suggestion_with_the_reason(history, make_user, client_for):
    found = ask(client_for(make_user("clerk")), vendor="Staples", description="Printer paper A4").json()
    assert (found["account_code"], found["confidence"], found["support"]) == (None, None, 0)
    assert found["reason"].startswith("no confirmed line is alike enough")


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AUDITOR])
def test_who_does_not_review_may_not_ask(history, make_user, client_for, role):
    refused = ask(client_for(make_user(role)), description="EC2 hosting")
    assert refused.status_code == 403 and refused.json()["error"] == "PermissionDenied"


def test_a_question_must_say_what_the_line_is(history, make_user, client_for):
    clerk = client_for(make_user("clerk"))
    refused = ask(clerk, vendor=" ", description="")
    assert refused.status_code == 422 and refused.json() == {
        "error": "InvalidRequest", "detail": "Say what the line is: ?description=AWS EC2 hosting March, and its "
                                            "?vendor=... (lines of the same vendor count more)."}
    assert ask(clerk, description="x" * 501).status_code == 422


def test_another_companys_history_is_not_asked(history, make_user, client_for):
    found = ask(client_for(make_user("clerk", company_slug="other")), vendor=AWS, description="EC2 hosting").json()
    assert (found["account_code"], found["history_size"]) == (None, 0)
    assert found["reason"] == "no confirmed voucher to learn from yet"


def test_a_drafted_line_shows_the_learned_account_and_why(history, company, make_user, client_for):
    document = stored_document(company.id, "invoice", ({"description": "AWS EC2 hosting May", "amount": "50.00"},),
                               vendor_name=AWS, invoice_date="2026-05-02", subtotal="50.00", total_amount="50.00")
    route(document)
    voucher = client_for(make_user("clerk")).get(f"/api/v1/vouchers/{voucher_of(document).id}").json()
    expense = voucher["lines"][0]
    assert (expense["kind"], expense["account_code"], expense["account_name"]) == (
        "expense", "6300", "Software and subscriptions")
    assert "to 6300 Software and subscriptions, learned from 2 confirmed vouchers (2 of this vendor)" in (
        expense["reason"])
