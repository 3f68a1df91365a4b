"""Matching on the real database: a statement imported through the API is matched by a real rq worker; automatic
and confirmed matches post balanced clearing vouchers and take their amounts off the open items; undoing one
reverses it; confirmations teach counterparty aliases that the next statement uses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import transaction
from core.identity import Company
from models import CounterpartyAlias, ExchangeRate, Voucher
from posting.ledger import service as ledger_service
from reconciliation.matching import service
from tests.posting.documents import as_principal
from tests.reconciliation.ledger import (CONTOSO_IBAN, NORTHWIND_IBAN, import_statement, item_state, lines_of,
                                         matches_of, payment, posted_invoice, vendor)


@pytest.fixture
def approver(make_user):
    return as_principal(make_user("approver"))


@pytest.fixture
def clerk(make_user, client_for):
    user = make_user("clerk")
    return client_for(user), as_principal(user)


@pytest.fixture
def northwind(company):
    return vendor(company.id, "Northwind GmbH", NORTHWIND_IBAN)


def voucher_lines(voucher_id) -> list[tuple[str, str, str, str]]:
    """(account, debit, credit, kind) of each line."""
    with transaction() as session:
        voucher = session.get(Voucher, voucher_id)
        return [(line.account.code, str(line.debit), str(line.credit), line.kind) for line in voucher.lines]


def voucher_of(voucher_id) -> Voucher:
    with transaction() as session:
        return session.get(Voucher, voucher_id)


def test_an_automatic_match_posts_a_balanced_clearing_voucher_and_clears_the_item(company, approver, clerk, northwind,
                                                                                  run_jobs):
    client, _ = clerk
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(client, payment("1190.00", "Invoice INV-1042"))
    assert item_state(item) == ("open", "1190.00"), "matched by the worker, not in the request"
    run_jobs()
    [match] = matches_of(statement["id"])
    assert (match.status, match.score, match.amount, match.difference) == ("auto", 1.0, Decimal("1190.00"), 0)
    assert match.open_item_ids == [item]
    assert match.reasons[:3] == ["reference INV-1042 in the remittance",
                                 "amount 1,190.00 equals the open amount of INV-1042",
                                 f"IBAN {NORTHWIND_IBAN} is vendor Northwind GmbH's"]
    assert item_state(item) == ("cleared", "0.00")
    assert [line.status for line in lines_of(statement["id"])] == ["matched"]
    clearing = voucher_of(match.clearing_voucher_id)
    assert (clearing.status, clearing.period, clearing.date, clearing.document_id) == (
        "posted", "2026-04", date(2026, 4, 3), None)
    assert voucher_lines(clearing.id) == [("2000", "1190.00", "0.00", "payable"), ("1200", "0.00", "1190.00", "bank")]
    assert clearing.lines[0].reason.startswith("line 1 of statement STMT-1 of DE89370400440532013000 pays 1190.00 "
                                               "of INV-1042 of Northwind GmbH: reference INV-1042 in the remittance")


def test_a_payment_leaves_no_open_item_of_its_own(company, approver, clerk, northwind, run_jobs):
    posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    import_statement(clerk[0], payment("1190.00", "INV-1042"))
    run_jobs()
    assert clerk[0].get("/api/v1/open-items").json()["items"][0]["status"] == "cleared"
    assert len(clerk[0].get("/api/v1/open-items").json()["items"]) == 1


def test_a_fee_and_a_discount_go_to_their_accounts(company, approver, clerk, northwind, run_jobs):
    fee_item = posted_invoice(company.id, approver, northwind, "INV-1001", "1000.00")
    discount_item = posted_invoice(company.id, approver, northwind, "INV-1002", "500.00")
    statement = import_statement(clerk[0], payment("1003.50", "INV-1001"), payment("490.00", "INV-1002"))
    run_jobs()
    fee, discount = matches_of(statement["id"])
    assert (fee.difference, fee.difference_kind, discount.difference, discount.difference_kind) == (
        Decimal("-3.50"), "fee", Decimal("10.00"), "discount")
    assert voucher_lines(fee.clearing_voucher_id) == [("2000", "1000.00", "0.00", "payable"),
                                                      ("6800", "3.50", "0.00", "fee"),
                                                      ("1200", "0.00", "1003.50", "bank")]
    assert voucher_lines(discount.clearing_voucher_id) == [("2000", "500.00", "0.00", "payable"),
                                                           ("4200", "0.00", "10.00", "discount"),
                                                           ("1200", "0.00", "490.00", "bank")]
    assert item_state(fee_item) == item_state(discount_item) == ("cleared", "0.00")


def test_partial_payments_over_two_statements_clear_the_invoice(company, approver, clerk, northwind, run_jobs):
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    first = import_statement(clerk[0], payment("500.00", "INV-1042 first rate"))
    run_jobs()
    assert item_state(item) == ("partially_paid", "690.00")
    second = import_statement(clerk[0], payment("690.00", "INV-1042 rest", booked=date(2026, 4, 20)),
                              statement_id="STMT-2")
    run_jobs()
    assert item_state(item) == ("cleared", "0.00")
    assert [m.status for m in matches_of(first["id"]) + matches_of(second["id"])] == ["auto", "auto"]


def test_one_payment_for_several_invoices_clears_each(company, approver, clerk, northwind, run_jobs):
    items = [posted_invoice(company.id, approver, northwind, number, total)
             for number, total in (("INV-1001", "500.00"), ("INV-1002", "690.00"), ("INV-1003", "99.00"))]
    statement = import_statement(clerk[0], payment("1190.00", "INV-1001 INV-1002"))
    run_jobs()
    [match] = matches_of(statement["id"])
    assert (match.status, sorted(match.open_item_ids)) == ("auto", sorted(items[:2]))
    assert [item_state(item)[0] for item in items] == ["cleared", "cleared", "open"]
    assert voucher_lines(match.clearing_voucher_id) == [("2000", "500.00", "0.00", "payable"),
                                                        ("2000", "690.00", "0.00", "payable"),
                                                        ("1200", "0.00", "1190.00", "bank")]


def test_a_suggestion_posts_nothing_until_it_is_confirmed(company, approver, clerk, northwind, run_jobs):
    client, principal = clerk
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(client, payment("1190.00", "INV-1O42", iban=None, name=None))
    run_jobs()
    [match] = matches_of(statement["id"])
    assert (match.status, match.clearing_voucher_id, item_state(item)) == ("suggested", None, ("open", "1190.00"))
    assert match.reasons[0] == "INV-1O42 in the remittance is one character off invoice INV-1042"
    assert [line.status for line in lines_of(statement["id"])] == ["suggested"]
    with transaction() as session:
        confirmed = service.confirm(session, principal, match.id)
        assert (confirmed.status, confirmed.decided_by_id) == ("confirmed", principal.user_id)
    assert item_state(item) == ("cleared", "0.00")
    assert voucher_of(matches_of(statement["id"])[0].clearing_voucher_id).status == "posted"


def test_rejecting_an_automatic_match_reverses_its_clearing_voucher_and_reopens_the_item(company, approver, clerk,
                                                                                        northwind, run_jobs):
    client, principal = clerk
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    statement = import_statement(client, payment("1190.00", "INV-1042"))
    run_jobs()
    [match] = matches_of(statement["id"])
    with transaction() as session:
        service.reject(session, principal, match.id)
    clearing = voucher_of(match.clearing_voucher_id)
    reversal = voucher_of(clearing.reversed_by_id)
    assert (reversal.status, reversal.reverses_id, reversal.date) == ("posted", clearing.id, date.today())
    assert voucher_lines(reversal.id) == [("2000", "0.00", "1190.00", "payable"), ("1200", "1190.00", "0.00", "bank")]
    assert item_state(item) == ("open", "1190.00")
    assert [line.status for line in lines_of(statement["id"])] == ["unmatched"]
    assert matches_of(statement["id"])[0].status == "rejected"
    client.post(f"/api/v1/bank-statements/{statement['id']}/match")
    run_jobs()
    assert [m.status for m in matches_of(statement["id"])] == ["rejected"], "not proposed again for that line"
    with transaction() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(match.id))
                                                     .order_by(AuditEvent.at))]
    assert actions == ["match.auto", "match.rejected"]


def test_a_confirmation_teaches_the_counterparty_and_the_next_statement_uses_it(company, approver, clerk, northwind,
                                                                              run_jobs):
    client, principal = clerk
    stranger_iban = "FR7630006000011234567890189"
    first_item = posted_invoice(company.id, approver, northwind, "INV-1001", "1190.00")
    first = import_statement(client, payment("1190.00", iban=stranger_iban, name="NWD LOGISTIK SARL"))
    run_jobs()
    [suggestion] = matches_of(first["id"])
    assert (suggestion.status, suggestion.open_item_ids) == ("suggested", [first_item]), "the amount alone"
    with transaction() as session:
        service.confirm(session, principal, suggestion.id)
    with transaction() as session:
        learned = {(a.kind, a.value, a.confirmations) for a in session.scalars(select(CounterpartyAlias))}
    assert learned == {("iban", stranger_iban, 1), ("name", "nwd logistik", 1)}
    posted_invoice(company.id, approver, northwind, "INV-1002", "2380.00")
    second = import_statement(client, payment("2380.00", iban=stranger_iban, name="NWD LOGISTIK SARL"),
                              statement_id="STMT-2")
    run_jobs()
    [match] = matches_of(second["id"])
    assert match.status == "auto"
    assert f"IBAN {stranger_iban} was confirmed as vendor Northwind GmbH's once" in match.reasons


def test_rejecting_a_confirmed_match_unlearns_what_it_taught(company, approver, clerk, northwind, run_jobs):
    client, principal = clerk
    posted_invoice(company.id, approver, northwind, "INV-1001", "1190.00")
    statement = import_statement(client, payment("1190.00", iban=None, name="NWD LOGISTIK"))
    run_jobs()
    [match] = matches_of(statement["id"])
    with transaction() as session:
        service.confirm(session, principal, match.id)
    with transaction() as session:
        service.reject(session, principal, match.id)
    with transaction() as session:
        assert list(session.scalars(select(CounterpartyAlias))) == []


def test_a_closed_period_leaves_an_automatic_match_suggested_saying_why(company, approver, clerk, northwind, run_jobs,
                                                                        make_user):
    item = posted_invoice(company.id, approver, northwind, "INV-1042", "1190.00")
    with transaction() as session:
        ledger_service.close_period(session, as_principal(make_user("accountant")), "2026-04")
    statement = import_statement(clerk[0], payment("1190.00", "INV-1042"))
    run_jobs()
    [match] = matches_of(statement["id"])
    assert (match.status, match.clearing_voucher_id, item_state(item)) == ("suggested", None, ("open", "1190.00"))
    assert match.reasons[-1].startswith("not matched automatically: The period 2026-04 is closed")


def test_a_foreign_currency_payment_clears_the_payable_at_its_booked_rate(company, approver, clerk, run_jobs):
    contoso = vendor(company.id, "Contoso Ltd", CONTOSO_IBAN)
    with transaction() as session:
        session.add_all([ExchangeRate(company_id=company.id, from_currency="USD", to_currency="EUR",
                                      date=date(2026, 3, 1), rate=Decimal("0.90")),
                         ExchangeRate(company_id=company.id, from_currency="USD", to_currency="EUR",
                                      date=date(2026, 4, 1), rate=Decimal("0.95"))])
    posted_invoice(company.id, approver, contoso, "US-77", "1000.00", currency="USD", name="Contoso Ltd")
    statement = import_statement(clerk[0], payment("1000.00", "US-77", iban=CONTOSO_IBAN, name="CONTOSO"),
                                 currency="USD", iban="GB29NWBK60161331926819")
    run_jobs()
    [match] = matches_of(statement["id"])
    clearing = voucher_of(match.clearing_voucher_id)
    assert (clearing.currency, clearing.exchange_rate) == ("USD", Decimal("0.95"))
    with transaction() as session:
        lines = session.get(Voucher, clearing.id).lines
        assert [(l.kind, str(l.base_debit), str(l.base_credit)) for l in lines] == [
            ("payable", "900.00", "0.00"), ("bank", "0.00", "950.00"), ("fx", "50.00", "0.00")]


def test_the_bank_accounts_ledger_account_and_the_settings_accounts_are_used(company, approver, clerk, northwind,
                                                                             run_jobs, make_user):
    with transaction() as session:
        service.change_settings(session, as_principal(make_user("accountant")),
                                {"fee_account_code": "6000", "bank_account_code": "1100"})
    posted_invoice(company.id, approver, northwind, "INV-1001", "1000.00")
    statement = import_statement(clerk[0], payment("1002.00", "INV-1001"))
    run_jobs()
    [match] = matches_of(statement["id"])
    assert voucher_lines(match.clearing_voucher_id) == [("2000", "1000.00", "0.00", "payable"),
                                                        ("6000", "2.00", "0.00", "fee"),
                                                        ("1100", "0.00", "1002.00", "bank")]


def test_matching_only_sees_the_companys_own_items(company, approver, clerk, northwind, run_jobs, make_user):
    other_approver = as_principal(make_user("approver", company_slug="other"))
    with transaction() as session:
        other = session.scalars(select(Company).where(Company.slug == "other")).one()
    other_vendor = vendor(other.id, "Northwind GmbH", NORTHWIND_IBAN)
    theirs = posted_invoice(other.id, other_approver, other_vendor, "INV-1042", "1190.00")
    statement = import_statement(clerk[0], payment("1190.00", "INV-1042"))
    run_jobs()
    assert matches_of(statement["id"]) == [] and item_state(theirs) == ("open", "1190.00")
