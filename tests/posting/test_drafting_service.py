"""posting.service drafting on the real database: who a receipt or claim pays back, the exchange rate a voucher is
kept at, what a document whose voucher cannot be drafted waits in review with, and what is stored of each line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from core.db import transaction
from core.identity import Company
from models import Employee, ExchangeRate, Vendor, Voucher
from posting.masterdata import service as masterdata
from posting.masterdata.service import Editor
from posting.routing import UNKNOWN_EMPLOYEE
from tests.posting.documents import BOX, route, stored_document, voucher_of

INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00"}


def add_employee(company, user=None, **values) -> None:
    with transaction() as session:
        row = {"number": "E001", "name": "Ada Lovelace", "user_email": user.email if user else None} | values
        masterdata.create_record(session, Editor(company.id, "user:admin@acme.test"), "employees", row)


def add_rate(company, rate: str, day: date, pair=("USD", "EUR")) -> None:
    with transaction() as session:
        session.add(ExchangeRate(company_id=company.id, from_currency=pair[0], to_currency=pair[1], date=day,
                                 rate=Decimal(rate), source="ECB"))


def lines(voucher) -> list[tuple[str, str, str, str]]:
    return [(line.kind, line.account.code, str(line.debit), str(line.credit)) for line in voucher.lines]


def test_a_receipt_pays_back_the_employee_who_uploaded_it(company, make_user):
    user = make_user("employee")
    add_employee(company, user, cost_centre_code=None)
    document = stored_document(company.id, "receipt", uploaded_by=user.id, merchant_name="Kedai Kopi",
                               transaction_date="2026-03-03", total_amount="11.00", tax_amount="1.00", tax_rate="10",
                               category="meals", currency="EUR")
    assert route(document) == []
    voucher = voucher_of(document)
    assert lines(voucher) == [("expense", "6220", "10.00", "0.00"), ("input_tax", "1400", "1.00", "0.00"),
                              ("employee_payable", "2100", "0.00", "11.00")]
    assert voucher.lines[2].reason.endswith("(employee E001 of the master, who uploaded it)")


def test_a_claim_names_its_employee_by_number_or_name(company):
    add_employee(company)
    add_employee(company, number="E002", name="王芳")
    items = ({"date": "2026-03-01", "category": "lodging", "amount": "300.00"},)
    by_number = stored_document(company.id, "expense_claim", items, employee_id="E002", employee_name="Ada Lovelace",
                                total_amount="300.00", currency="EUR")
    by_name = stored_document(company.id, "expense_claim", items, employee_name="ada lovelace",
                              total_amount="300.00", currency="EUR")
    route(by_number), route(by_name)
    assert voucher_of(by_number).lines[-1].description == "Owed to 王芳"
    assert voucher_of(by_name).lines[-1].reason.endswith("(employee E001 of the master, by its employee_name)")


def test_a_receipt_of_nobody_known_is_drafted_and_waits_for_a_person(company):
    document = stored_document(company.id, "receipt", total_amount="5.00", currency="EUR")
    assert UNKNOWN_EMPLOYEE in route(document)
    assert voucher_of(document).lines[-1].kind == "employee_payable"


def test_an_invoice_of_a_vendor_of_the_master_gets_its_account_and_cost_centre(company):
    with transaction() as session:
        masterdata.create_record(session, Editor(company.id, "user:a@acme.test"), "cost-centres",
                                 {"code": "ADM", "name": "Administration"})
        masterdata.create_record(session, Editor(company.id, "user:a@acme.test"), "vendors",
                                 {"name": "Northwind Ltd", "default_account_code": "6100", "cost_centre_code": "ADM"})
        vendor = session.scalars(select(Vendor)).one()
    document = stored_document(company.id, vendor_id=vendor.id, **INVOICE)
    route(document)
    expense = voucher_of(document).lines[0]
    assert (expense.account.code, expense.cost_centre_code) == ("6100", "ADM")


def test_a_foreign_invoice_is_kept_at_the_newest_rate_on_or_before_its_date(company):
    add_rate(company, "0.90", date(2026, 2, 27))
    add_rate(company, "0.95", date(2026, 3, 3))
    document = stored_document(company.id, **INVOICE | {"currency": "USD"})
    route(document)
    voucher = voucher_of(document)
    assert (voucher.currency, voucher.base_currency, voucher.exchange_rate, voucher.rate_date, voucher.rate_source) == (
        "USD", "EUR", Decimal("0.90000000"), date(2026, 2, 27), "ECB")
    assert [(str(line.base_debit), str(line.base_credit)) for line in voucher.lines] == [
        ("90.00", "0.00"), ("18.00", "0.00"), ("0.00", "108.00")]


def test_a_foreign_invoice_without_a_rate_waits_in_review_with_what_to_add_and_no_voucher(company):
    add_rate(company, "0.95", date(2026, 3, 3))  # after the invoice's date
    document = stored_document(company.id, **INVOICE | {"currency": "USD"})
    [reason] = [reason for reason in route(document) if reason.startswith("no voucher")]
    assert reason.startswith("no voucher: no USD->EUR exchange rate on or before 2026-03-02")
    assert "POST /api/v1/exchange-rates" in reason
    with transaction() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == 0


def test_each_line_keeps_the_fields_and_box_it_was_read_from(company):
    items = ({"description": "Paper", "amount": "60.00", "tax_rate": "20", "page": 2, "bbox": [0.1, 0.5, 0.9, 0.52]},
             {"description": "Toner", "amount": "40.00", "tax_rate": "20"})
    document = stored_document(company.id, "invoice", items, **INVOICE)
    route(document)
    paper, toner, tax, payable = voucher_of(document).lines
    assert paper.source == {"fields": ["line_items[0].amount"], "page": 2, "bbox": [0.1, 0.5, 0.9, 0.52]}
    assert toner.source == {"fields": ["line_items[1].amount"], "page": None, "bbox": None}
    assert tax.source == {"fields": ["tax_amount"], "page": 1, "bbox": BOX}
    assert (payable.source["fields"], payable.reason) == (["total_amount"], "total_amount 120.00 owed to Northwind, "
                                                                            "who is not in the vendor master")


def test_employees_are_found_only_among_the_active_ones_of_the_company(company, make_user):
    add_employee(company, number="E009", name="Old Timer")
    with transaction() as session:
        masterdata.deactivate_record(session, Editor(company.id, "user:a@acme.test"), "employees", "E009")
        assert session.scalars(select(Employee)).one().active is False
    document = stored_document(company.id, "expense_claim", employee_id="E009", total_amount="20.00")
    assert UNKNOWN_EMPLOYEE in route(document)


def test_a_clerk_marking_a_chinese_invoice_as_general_redrafts_its_vat_as_a_cost(company, make_user):
    from core.auth import principal_for
    from core.identity import User
    from review_ui import service as review_service

    with transaction() as session:
        masterdata.seed_chart(session, Editor(company.id, "user:a@acme.test"), "cn-cas", "replace")
        session.get(Company, company.id).base_currency = "CNY"
    document = stored_document(company.id, invoice_number="04400191", invoice_date="2026-03-02", currency="CNY",
                               subtotal="100.00", tax_amount="13.00", tax_rate="13", total_amount="113.00")
    route(document)
    assert lines(voucher_of(document))[1] == ("input_tax", "22210101", "13.00", "0.00")
    clerk = make_user("clerk")
    with transaction() as session:
        review_service.decide(session, principal_for(session.get(User, clerk.id)), document,
                              review_service.ReviewDecision("return", {"invoice_type": "增值税普通发票"}))
    assert lines(voucher_of(document)) == [("expense", "660299", "113.00", "0.00"),
                                           ("payable", "2202", "0.00", "113.00")]
    assert "tax code IN13G" in voucher_of(document).lines[0].reason
