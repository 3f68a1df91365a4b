"""posting.masterdata.service and the chart in drafting, on the real database: imports write all or nothing, every
change is in the audit log, a company's chart comes from its seed, and drafting names an account the chart lacks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import transaction
from core.errors import Conflict, InvalidRequest, MasterDataRejected, MissingAccounts, NotFound
from ledgerdesk.admin import create_user, get_or_create_company
from models import Account, Company, CostCentre, Document, Employee, TaxCode, Voucher
from posting import service as posting_service
from posting.masterdata import service
from posting.masterdata.records import CostCentreSpec, EmployeeSpec
from posting.masterdata.service import Editor

ACCOUNTS_CSV = b"""code,name,account_type,parent_code,role
6010,Meals,expense,6,
6000,General costs,expense,6,expense
6011,Client meals,expense,6010,
"""
INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "subtotal": "100.00", "tax_amount": "19.00",
           "total_amount": "119.00", "invoice_date": "2024-03-12"}


def editor_of(company) -> Editor:
    return Editor(company.id, "user:accountant@acme.test")


def count(model, company) -> int:
    with transaction() as session:
        return session.scalar(select(func.count()).select_from(model).where(model.company_id == company.id))


def accounts_of(company) -> dict[str, Account]:
    with transaction() as session:
        return {a.code: a for a in session.scalars(select(Account).where(Account.company_id == company.id))}


def events(company, action: str) -> list[AuditEvent]:
    with transaction() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.company_id == company.id,
                                                             AuditEvent.action == action).order_by(AuditEvent.at)))


def import_file(company, table: str, data: bytes, fmt: str = "csv"):
    with transaction() as session:
        return service.import_file(session, editor_of(company), table, data, fmt, f"{table}.{fmt}")


def test_a_new_company_has_its_seed_chart_and_tax_codes_in_one_audit_event(company):
    accounts = accounts_of(company)
    assert len(accounts) == 54 and accounts["1400"].role == "input_tax" and accounts["6210"].parent_code == "6200"
    assert count(TaxCode, company) == 9
    [created] = events(company, "company.created")
    assert created.data == {"slug": "acme", "chart": "ifrs"}
    assert events(company, "account.created") == []


def test_a_company_may_start_with_the_chinese_chart():
    with transaction() as session:
        company = get_or_create_company(session, "shanghai", "上海贸易有限公司", "CNY", chart="cn-cas")
    accounts = accounts_of(company)
    assert accounts["2202"].name == "应付账款" and accounts["22210101"].role == "input_tax"
    assert "6000" not in accounts
    with transaction() as session:
        tax = session.scalars(select(TaxCode).where(TaxCode.company_id == company.id, TaxCode.code == "IN13S")).one()
        assert (tax.rate, tax.deductible, tax.account_code) == (Decimal("13.00"), True, "22210101")


def test_a_good_file_creates_and_updates_and_each_change_is_audited(company):
    plan = import_file(company, "accounts", ACCOUNTS_CSV)
    assert (plan.created, plan.updated, plan.unchanged) == (2, 1, 0)
    accounts = accounts_of(company)
    assert (accounts["6011"].parent_code, accounts["6000"].name, accounts["6000"].role) == ("6010", "General costs",
                                                                                           "expense")
    [updated] = events(company, "account.updated")
    assert updated.entity_id == str(accounts["6000"].id) and updated.actor == "user:accountant@acme.test"
    assert updated.data == {"code": "6000", "via": "import accounts.csv",
                            "changes": {"name": ["General expenses", "General costs"]}}
    created = {event.data["code"]: event.data for event in events(company, "account.created")}
    assert created["6011"]["values"] == {"code": "6011", "name": "Client meals", "account_type": "expense",
                                         "role": None, "parent_code": "6010", "active": True,
                                         "categories": []}
    assert import_file(company, "accounts", ACCOUNTS_CSV).unchanged == 3, "the same file again changes nothing"


@pytest.mark.parametrize(("bad_row", "field"), [
    ("6012,Drinks,expense,6999,", "parent_code"),        # unknown parent
    ("6010,Meals again,expense,6,", "code"),             # the same code twice
    ("6012,Drinks,costs,6,", "account_type"),            # no such type
    ("6012,Bank 2,asset,1,bank", "role"),                # a role another account holds
])
def test_one_bad_row_writes_nothing_of_the_file(company, bad_row, field):
    before = accounts_of(company)
    with pytest.raises(MasterDataRejected) as raised:
        import_file(company, "accounts", ACCOUNTS_CSV + bad_row.encode() + b"\n")
    assert [(e["row"], e["field"]) for e in raised.value.errors] == [(5, field)]
    assert raised.value.extra == {"created": 0, "updated": 0, "errors": raised.value.errors}
    after = accounts_of(company)
    assert after.keys() == before.keys() and after["6000"].name == "General expenses", "nothing half-written"
    assert events(company, "account.created") == [] and events(company, "account.updated") == []


def test_tax_codes_import_from_yaml_and_refuse_a_bad_rate_or_a_missing_account(company):
    good = b"tax_codes:\n  - {code: S19, name: Standard 19%, rate: '19', account_code: '1400'}\n"
    assert import_file(company, "tax-codes", good, "yaml").created == 1
    bad = (b"- {code: R7, name: Reduced, rate: '7', account_code: '1400'}\n"
           b"- {code: X, name: Wrong, rate: 'seven', account_code: '1400'}\n"
           b"- {code: Y, name: Elsewhere, rate: '7', account_code: '1410'}\n")
    with pytest.raises(MasterDataRejected) as raised:
        import_file(company, "tax-codes", bad, "yaml")
    assert [(e["row"], e["field"]) for e in raised.value.errors] == [(2, "rate"), (3, "account_code")]
    assert count(TaxCode, company) == 10, "R7 was not written either"


def test_employees_refer_to_cost_centres_and_users(company):
    with transaction() as session:
        create_user(session, company=company, email="ada@acme.test", role="employee", password=None)
    import_file(company, "cost-centres", b"code,name\nADM,Administration\n")
    data = b"number,name,email,cost_centre_code,user_email\nE1,Ada,ada@acme.test,ADM,ADA@acme.test\n"
    assert import_file(company, "employees", data).created == 1
    with transaction() as session:
        employee = session.scalars(select(Employee).where(Employee.company_id == company.id)).one()
        assert (employee.user.email, employee.cost_centre_code) == ("ada@acme.test", "ADM")
        assert service.get_record(session, company.id, "employees", "E1") == EmployeeSpec(
            "E1", "Ada", "ada@acme.test", "ADM", "ada@acme.test")
    with pytest.raises(MasterDataRejected) as raised:
        import_file(company, "employees", b"number,name,cost_centre_code\nE2,Bob,OPS\n")
    assert raised.value.errors[0]["message"].startswith("OPS is not an active cost centre")


def test_another_companys_cost_centre_or_user_is_not_this_ones(company):
    with transaction() as session:
        other = get_or_create_company(session, "globex")
        create_user(session, company=other, email="bob@globex.test", role="employee", password=None)
        service.create_record(session, editor_of(other), "cost-centres", {"code": "OPS", "name": "Operations"})
    with pytest.raises(MasterDataRejected) as raised:
        import_file(company, "employees", b"number,name,cost_centre_code,user_email\nE2,Bob,OPS,bob@globex.test\n")
    assert [e["field"] for e in raised.value.errors] == ["cost_centre_code", "user_email"]
    assert count(Employee, company) == 0 and count(CostCentre, company) == 0


def test_create_update_and_deactivate_one_record(company):
    with transaction() as session:
        created = service.create_record(session, editor_of(company), "cost-centres", {"code": "SAL", "name": "Sales"})
        assert created == CostCentreSpec("SAL", "Sales")
        with pytest.raises(Conflict, match="There is a cost centre SAL already"):
            service.create_record(session, editor_of(company), "cost-centres", {"code": "SAL", "name": "Sales 2"})
        assert service.update_record(session, editor_of(company), "cost-centres", "SAL",
                                     {"name": "Sales EMEA"}) == CostCentreSpec("SAL", "Sales EMEA")
        with pytest.raises(InvalidRequest, match="The code of a cost centre cannot be changed"):
            service.update_record(session, editor_of(company), "cost-centres", "SAL", {"code": "SALES"})
        assert service.deactivate_record(session, editor_of(company), "cost-centres", "SAL").active is False
        with pytest.raises(NotFound, match="There is no cost centre OPS"):
            service.deactivate_record(session, editor_of(company), "cost-centres", "OPS")
    assert [e.data.get("changes") for e in events(company, "cost_centre.updated")] == [
        {"name": ["Sales", "Sales EMEA"]}, {"active": [True, False]}]


def test_one_record_with_errors_is_refused_with_all_of_them(company):
    with transaction() as session, pytest.raises(MasterDataRejected) as raised:
        service.create_record(session, editor_of(company), "tax-codes", {"code": "T", "name": "", "rate": "200"})
    assert [(e["row"], e["field"]) for e in raised.value.errors] == [(1, "name"), (1, "rate")]
    assert raised.value.detail.startswith("2 errors in 1 row; nothing was written")


def test_switching_charts_deactivates_the_other_one(company):
    with transaction() as session, pytest.raises(MasterDataRejected) as raised:
        service.seed_chart(session, editor_of(company), "cn-cas")
    assert "apply it with replace" in raised.value.detail
    assert any(e["message"].startswith("role payable is also that of account 2000") for e in raised.value.errors)
    with transaction() as session:
        plans = service.seed_chart(session, editor_of(company), "cn-cas", "replace")
    assert (plans["accounts"].created, plans["accounts"].updated) == (92, 54)
    accounts = accounts_of(company)
    assert accounts["2202"].active and not accounts["2000"].active
    with transaction() as session:
        ledger, _ = posting_service.company_ledger(session, session.get(Company, company.id))
        assert {role: ledger.for_role(role).code for role in ("payable", "input_tax")} == {
            "payable": "2202", "input_tax": "22210101"}
    assert len(events(company, "account.created")) == 92 and events(company, "account.created")[0].data["via"] == (
        "chart cn-cas")


def draft(company, values: dict) -> Document:
    with transaction() as session:
        document = Document(company_id=company.id, status="processing", doc_type="invoice", filename="i.pdf",
                            media_type="application/pdf", size_bytes=1, sha256="0" * 64)
        session.add(document)
        session.flush()
        fields = {name: {"value": value} for name, value in values.items()}
        posting_service.draft_for_document(session, document, fields, [], "user:clerk@acme.test")
        return document


def deactivate(company, code: str) -> None:
    with transaction() as session:
        service.deactivate_record(session, editor_of(company), "accounts", code)


def test_drafting_without_an_input_tax_account_names_the_role_and_writes_nothing(company):
    deactivate(company, "1400")
    with pytest.raises(MissingAccounts) as raised:
        draft(company, INVOICE)
    assert raised.value.status_code == 422
    assert "no active account with the role 'input_tax' (deductible input VAT)" in raised.value.detail
    assert "import one with role input_tax" in raised.value.detail
    assert count(Voucher, company) == 0 and count(Document, company) == 0


def test_an_invoice_without_tax_does_not_need_the_input_tax_account(company):
    deactivate(company, "1400")
    draft(company, {"total_amount": "50.00"})
    with transaction() as session:
        voucher = session.scalars(select(Voucher).where(Voucher.company_id == company.id)).one()
        assert [(line.kind, line.account.code) for line in voucher.lines] == [("expense", "6000"), ("payable", "2000")]


def test_drafting_uses_the_account_a_role_moved_to(company):
    import_file(company, "accounts", b"code,name,account_type,role\n2000,Accounts payable,liability,\n"
                                     b"2010,Trade creditors,liability,payable\n")
    draft(company, INVOICE)
    with transaction() as session:
        voucher = session.scalars(select(Voucher).where(Voucher.company_id == company.id)).one()
        assert [line.account.code for line in voucher.lines] == ["6000", "1400", "2010"]


def test_routing_without_the_account_sends_the_document_to_review_with_the_reason(company):
    deactivate(company, "2000")
    with transaction() as session:
        document = Document(company_id=company.id, status="processing", doc_type="invoice", filename="i.pdf",
                            media_type="application/pdf", size_bytes=1, sha256="1" * 64)
        session.add(document)
        session.flush()
        fields = {name: {"value": value, "confidence": 0.99} for name, value in INVOICE.items()}
        task = posting_service.draft_and_route(session, document, fields, [])
        assert document.status == "needs_review"
        assert any(reason.startswith("no voucher: The chart of accounts has no active account with the role "
                                     "'payable'") for reason in task.reasons)
    assert count(Voucher, company) == 0


def test_a_company_without_any_account_gets_its_default_chart_when_drafting(company):
    with transaction() as session:
        session.execute(TaxCode.__table__.delete().where(TaxCode.company_id == company.id))
        session.execute(Account.__table__.delete().where(Account.company_id == company.id))
    draft(company, INVOICE)
    assert len(accounts_of(company)) == 54 and count(TaxCode, company) == 9
    assert len(events(company, "account.created")) == 54
