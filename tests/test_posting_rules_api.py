"""Posting rules through the HTTP API on the real app and database: adding, moving and deleting them in order; who
may read and change them; refusals that write nothing (conflicts, loops, unknown codes, unreadable values); imports
of YAML and JSON, appended or replacing; an export that imports as the same rules; explaining a document's lines;
each condition and outcome kind in the stored voucher; an uploaded invoice drafted by a rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from core.audit import AuditEvent
from core.db import transaction
from core.permissions import Role
from models import Account, Vendor, Voucher, VoucherLine
from posting.masterdata import service as masterdata
from posting.masterdata.service import Editor
from posting.masterdata.validation import Row
from tests.helpers import upload_invoice
from tests.posting.documents import route, stored_document, voucher_of

URL = "/api/v1/posting-rules"
SAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "posting-rules.yaml"
SAMPLE_NAMES = ["Cloud hosting", "Operations' hosting", "Rail and air travel", "Client entertainment",
                "Laptops are fixed assets", "Large invoices"]
READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
CHANGERS = (Role.ACCOUNTANT, Role.ADMIN)
INVOICE = {"invoice_number": "INV-7", "vendor_name": "Contoso", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}
HOSTING = ({"description": "Cloud hosting, March", "amount": "100.00", "tax_rate": "20"},)
RECEIPT = {"merchant_name": "Kedai Kopi", "transaction_date": "2026-03-03", "total_amount": "11.00",
           "tax_amount": "1.00", "tax_rate": "10", "category": "meals", "currency": "EUR", "employee_id": "E001"}


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


@pytest.fixture
def vendors(company) -> dict[str, str]:
    """The master data the sample rules name: cost centres, a project, an employee of SAL and two vendors."""
    with transaction() as session:
        editor = Editor(company.id, "user:admin@acme.test")
        centres = [Row(n, {"code": code, "name": code}) for n, code in enumerate(("ADM", "FIN", "SAL", "OPS", "IT"), 1)]
        masterdata.import_rows(session, editor, "cost-centres", centres, "test")
        masterdata.import_rows(session, editor, "projects", [Row(1, {"code": "P-2024-01", "name": "Website"})], "test")
        masterdata.import_rows(session, editor, "employees", [Row(1, {"number": "E001", "name": "Ada Lovelace",
                                                                      "cost_centre_code": "SAL"})], "test")
        rows = [Vendor(company_id=company.id, name="Contoso Cloud Services BV", tax_id="NL123456789B01",
                       aliases=["Contoso"]),
                Vendor(company_id=company.id, name="Fabrikam Travel GmbH", default_account_code="6200")]
        session.add_all(rows)
        session.flush()
        return {row.name: row.id for row in rows}


def rule(name: str, outcome: dict, position: int | None = None, **conditions) -> dict:
    return {"name": name, "conditions": conditions, "outcome": outcome} | ({"position": position} if position else {})


def listed(client) -> list[tuple[int, str]]:
    return [(item["position"], item["name"]) for item in client.get(URL).json()["items"]]


def rule_events(company, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.company_id == company.id, AuditEvent.entity_type == "posting_rule")
    with transaction() as session:
        return list(session.scalars(query.where(AuditEvent.action == action) if action else query))


def import_sample(client) -> None:
    imported = client.post(f"{URL}/import", files={"file": ("posting-rules.yaml", SAMPLE.read_bytes(), "text/yaml")})
    assert imported.status_code == 200, imported.text


def test_rules_are_added_moved_and_deleted_keeping_their_order(accountant, company):
    first = accountant.post(URL, json=rule("Paper", {"account_code": "6100"}, keywords=["paper"]))
    assert first.status_code == 201, first.text
    assert first.json() | {"id": None, "created_at": None, "updated_at": None} == {
        "id": None, "position": 1, "name": "Paper", "active": True, "created_at": None, "updated_at": None,
        "conditions": {"doc_types": [], "vendor": None, "categories": [], "keywords": ["paper"], "amount_min": None,
                       "amount_max": None, "currencies": [], "cost_centres": []},
        "outcome": {"account_code": "6100", "tax_code": None, "cost_centre_code": None, "project_code": None,
                    "approval_route": None}}
    second = accountant.post(URL, json=rule("Toner", {"account_code": "6750"}, keywords=["toner"])).json()
    third = accountant.post(URL, json=rule("Postage", {"account_code": "6150"}, 1, keywords=["stamps"])).json()
    assert (third["position"], listed(accountant)) == (1, [(1, "Postage"), (2, "Paper"), (3, "Toner")])
    moved = accountant.put(f"{URL}/{first.json()['id']}", json=rule("Paper A4", {"account_code": "6100"}, 3,
                                                                    keywords=["paper"]))
    assert moved.status_code == 200 and moved.json()["position"] == 3
    assert listed(accountant) == [(1, "Postage"), (2, "Toner"), (3, "Paper A4")]
    assert accountant.delete(f"{URL}/{second['id']}").status_code == 204
    assert listed(accountant) == [(1, "Postage"), (2, "Paper A4")]
    assert accountant.get(f"{URL}/{first.json()['id']}").json()["position"] == 2
    beyond = accountant.post(URL, json=rule("Far", {"account_code": "6000"}, 4, keywords=["far"]))
    assert beyond.status_code == 422 and beyond.json()["detail"].startswith("position must be from 1 to 3")
    [renamed] = [event for event in rule_events(company, "posting_rule.updated")
                 if event.data["before"]["name"] == "Paper" and event.data["after"]["name"] == "Paper A4"]
    assert (renamed.actor.startswith("user:accountant"), renamed.data["via"], renamed.data["before"]["position"],
            renamed.data["after"]["position"], renamed.data["after"]["name"]) == (True, "api", 2, 3, "Paper A4")
    [deleted] = rule_events(company, "posting_rule.deleted")
    assert deleted.data["before"]["name"] == "Toner" and deleted.data["after"] is None


def test_staff_read_the_rules_and_accountants_and_admins_change_them(make_user, client_for, accountant):
    created = accountant.post(URL, json=rule("Paper", {"account_code": "6100"}, keywords=["paper"])).json()
    for number, role in enumerate(Role):
        caller = client_for(make_user(role))
        assert caller.get(URL).status_code == (200 if role in READERS else 403)
        assert caller.get(f"{URL}/export").status_code == (200 if role in READERS else 403)
        added = caller.post(URL, json=rule(f"Rule {number}", {"account_code": "6000"}, keywords=[f"word{number}"]))
        assert added.status_code == (201 if role in CHANGERS else 403)
        assert caller.post(f"{URL}/import", content=b"[]").status_code == (200 if role in CHANGERS else 403)
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get(URL).json() == {"items": [], "next_cursor": None}
    assert other.get(f"{URL}/{created['id']}").status_code == 404
    assert other.put(f"{URL}/{created['id']}", json=rule("Mine", {"account_code": "6000"})).status_code == 404
    assert other.delete(f"{URL}/{created['id']}").status_code == 404
    assert accountant.get(f"{URL}/{created['id']}").json()["name"] == "Paper"


def test_conflicts_loops_and_unknown_codes_are_refused_naming_the_rules_and_nothing_is_written(accountant, company,
                                                                                                vendors):
    accountant.post(URL, json=rule("Cloud", {"account_code": "6300", "cost_centre_code": "OPS"}, vendor="Contoso"))
    accountant.post(URL, json=rule("Ops to IT", {"cost_centre_code": "IT"}, cost_centres=["OPS"]))
    before, events = listed(accountant), len(rule_events(company))
    conflict = accountant.post(URL, json=rule("Cloud again", {"account_code": "6000"}, vendor="CONTOSO"))
    assert conflict.status_code == 422 and conflict.json()["error"] == "RuleConflict"
    assert conflict.json()["problems"] == [{"rules": [1, 3], "message": (
        "rule 3 'Cloud again' has the same conditions as rule 1 'Cloud' but another outcome, so it could never apply: "
        "make their conditions differ, or deactivate or delete one.")}]
    loop = accountant.post(URL, json=rule("IT to Ops", {"cost_centre_code": "OPS"}, 1, cost_centres=["IT"]))
    assert loop.status_code == 422 and [problem["rules"] for problem in loop.json()["problems"]] == [[1, 3]]
    assert loop.json()["problems"][0]["message"].startswith("rule 1 -> rule 3 -> rule 1: rule 1 'IT to Ops' sets "
                                                            "cost centre OPS, rule 3 'Ops to IT' sets cost centre IT")
    assert accountant.post("/api/v1/cost-centres/FIN/deactivate").status_code == 200
    unknown = accountant.post(URL, json=rule("Odd", {"account_code": "2000", "cost_centre_code": "FIN",
                                                     "project_code": "P9"}, vendor="Nobody Ltd"))
    assert unknown.status_code == 422 and [p["rules"] for p in unknown.json()["problems"]] == [[3], [3], [3], [3]]
    assert "rule 3 'Odd' names the cost centre FIN, which is not an active cost centre" in unknown.json()["detail"]
    unreadable = accountant.post(URL, json=rule("Bad", {}, currencies=["EU"]))
    assert unreadable.status_code == 422 and unreadable.json()["error"] == "MasterDataRejected"
    assert [(e["field"], e["message"]) for e in unreadable.json()["errors"]] == [
        ("conditions.currencies", "'EU' is not an ISO 4217 currency code, such as EUR, USD or CNY")]
    assert (listed(accountant), len(rule_events(company))) == (before, events)


def test_files_import_all_or_nothing_after_the_rules_or_instead_of_them(accountant, vendors):
    import_sample(accountant)
    assert [name for _, name in listed(accountant)] == SAMPLE_NAMES
    postage = [{"name": "Postage", "conditions": {"keywords": ["stamps"]}, "outcome": {"account_code": "6150"}}]
    appended = accountant.post(f"{URL}/import", content=json.dumps({"posting_rules": postage}, indent="\t"),
                               headers={"Content-Type": "application/json"})
    assert appended.json() == {"created": 1, "deleted": 0} and listed(accountant)[-1] == (7, "Postage")
    bad = (b"- {name: Fine, conditions: {keywords: [ink]}, outcome: {account_code: '6100'}}\n"
           b"- {name: Wrong, conditions: {doc_types: [contract]}, outcome: {}}\n")
    refused = accountant.post(f"{URL}/import", content=bad, params={"mode": "replace"})
    assert refused.status_code == 422 and refused.json()["error"] == "MasterDataRejected"
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(2, "conditions.doc_types")]
    other_outcome = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))["posting_rules"][:1]
    other_outcome[0]["outcome"] = {"account_code": "6000"}
    conflicting = accountant.post(f"{URL}/import", files={"file": ("again.yaml", yaml.safe_dump(other_outcome))})
    assert conflicting.status_code == 422 and conflicting.json()["problems"][0]["rules"] == [1, 8]
    assert len(listed(accountant)) == 7, "nothing of a refused file was written"
    replaced = accountant.post(f"{URL}/import", content=bad.splitlines()[0], params={"mode": "replace"})
    assert replaced.json() == {"created": 1, "deleted": 7} and listed(accountant) == [(1, "Fine")]
    as_csv = accountant.post(f"{URL}/import", files={"file": ("rules.csv", b"name\nX\n", "text/csv")})
    assert as_csv.status_code == 415 and as_csv.json()["error"] == "UnsupportedFileType"


def test_the_export_imports_again_as_the_same_rules(accountant, vendors):
    import_sample(accountant)
    exported = accountant.get(f"{URL}/export")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("application/yaml")
    assert yaml.safe_load(exported.text)["posting_rules"][0] == {
        "name": "Cloud hosting", "active": True,
        "conditions": {"vendor": "Contoso Cloud Services BV", "keywords": ["EC2", "hosting", "storage"],
                       "amount_max": "5000"}, "outcome": {"account_code": "6300", "cost_centre_code": "OPS"}}
    before = [{k: v for k, v in item.items() if k not in ("id", "created_at", "updated_at")}
              for item in accountant.get(URL).json()["items"]]
    again = accountant.post(f"{URL}/import", params={"mode": "replace"}, content=exported.content,
                            headers={"Content-Type": "application/yaml"})
    assert again.json() == {"created": 6, "deleted": 6}
    after = [{k: v for k, v in item.items() if k not in ("id", "created_at", "updated_at")}
             for item in accountant.get(URL).json()["items"]]
    assert after == before and accountant.get(f"{URL}/export").text == exported.text


def test_explain_names_the_rules_of_each_line_and_writes_nothing(accountant, company, vendors):
    import_sample(accountant)
    items = (*HOSTING, {"description": "Support plan", "amount": "50.00", "tax_rate": "20"})
    document = stored_document(company.id, "invoice", items, vendor_id=vendors["Contoso Cloud Services BV"],
                               **INVOICE | {"subtotal": "150.00", "tax_amount": "30.00", "total_amount": "180.00"})
    events = _all_events(company)
    explained = accountant.post(f"{URL}/explain", json={"document_id": str(document)})
    assert explained.status_code == 200, explained.text
    body = explained.json()
    assert (body["document_id"], body["approval_route"]) == (str(document), "ops-lead")
    hosting, support = body["lines"]
    assert [(d["position"], d["reason"]) for d in hosting["rules"]] == [
        (1, "rule 1 'Cloud hosting': vendor is Contoso Cloud Services BV, keyword 'hosting' in line item 1, amount "
            "below 5000 EUR"),
        (2, "rule 2 'Operations' hosting': keyword 'hosting' in line item 1, cost centre OPS")]
    assert (hosting["line_no"], hosting["amount"], hosting["account_code"], hosting["cost_centre_code"],
            hosting["project_code"]) == (1, "100.00", "6300", "OPS", "P-2024-01")
    assert hosting["reason"].startswith(hosting["rules"][0]["reason"] + "; " + hosting["rules"][1]["reason"])
    assert (support["rules"], support["account_code"], support["reason"]) == (
        [], "6000", "line item 2: amount 50.00 at 20% VAT; to the chart's expense account")
    with transaction() as session:
        assert session.scalar(select(func.count()).select_from(Voucher)) == 0
    assert _all_events(company) == events, "a dry run records nothing"
    contract = accountant.post(f"{URL}/explain", json={"document_id": str(stored_document(company.id, "contract"))})
    assert contract.status_code == 422 and "is a contract; only invoices, receipts" in contract.json()["detail"]
    no_total = accountant.post(f"{URL}/explain", json={"document_id": str(stored_document(company.id, "invoice"))})
    assert no_total.status_code == 422 and no_total.json()["detail"].endswith(
        "no total amount was found, so no voucher could be drafted.")
    stranger = accountant.post(f"{URL}/explain", json={"document_id": "00000000-0000-0000-0000-000000000001"})
    assert stranger.status_code == 404


def _all_events(company) -> int:
    with transaction() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.company_id == company.id))


CONDITION_CASES = [
    ({"doc_types": ["receipt"]}, "receipt", True), ({"doc_types": ["expense_claim"]}, "receipt", False),
    ({"vendor": "contoso"}, "invoice", True), ({"vendor": "Fabrikam Travel GmbH"}, "invoice", False),
    ({"categories": ["Meals"]}, "receipt", True), ({"categories": ["fuel"]}, "receipt", False),
    ({"keywords": ["HOSTING"]}, "invoice", True), ({"keywords": ["paper"]}, "invoice", False),
    ({"amount_min": "120", "amount_max": "5000"}, "invoice", True), ({"amount_max": "120.00"}, "invoice", False),
    ({"currencies": ["USD", "EUR"]}, "receipt", True), ({"currencies": ["USD"]}, "receipt", False),
    ({"cost_centres": ["SAL"]}, "receipt", True), ({"cost_centres": ["OPS"]}, "receipt", False),
]


@pytest.mark.parametrize(("conditions", "doc_type", "holds"), CONDITION_CASES)
def test_each_condition_kind_decides_the_stored_voucher(accountant, company, vendors, conditions, doc_type, holds):
    created = accountant.post(URL, json=rule("Case", {"account_code": "6600"}, **conditions))
    assert created.status_code == 201, created.text
    if doc_type == "invoice":
        document = stored_document(company.id, "invoice", HOSTING, vendor_id=vendors["Contoso Cloud Services BV"],
                                   **INVOICE)
    else:
        document = stored_document(company.id, "receipt", **RECEIPT)
    route(document)
    expense = voucher_of(document).lines[0]
    assert expense.account.code == ("6600" if holds else {"invoice": "6000", "receipt": "6220"}[doc_type])
    assert expense.reason.startswith("rule 1 'Case': ") is holds


def test_each_outcome_kind_reaches_the_voucher_and_its_api(accountant, company, vendors):
    outcome = {"account_code": "1500", "tax_code": "ND20", "cost_centre_code": "IT", "project_code": "P-2024-01",
               "approval_route": "cfo"}
    accountant.post(URL, json=rule("Servers", outcome, keywords=["hosting"]))
    document = stored_document(company.id, "invoice", HOSTING, vendor_id=vendors["Contoso Cloud Services BV"],
                               **INVOICE)
    route(document)
    voucher = accountant.get(f"/api/v1/vouchers/{voucher_of(document).id}").json()
    assert voucher["approval_route"] == "cfo"
    assert [(line["kind"], line["account_code"], line["debit"], line["cost_centre_code"], line["project_code"])
            for line in voucher["lines"]] == [("asset", "1500", "100.00", "IT", "P-2024-01"),
                                               ("expense", "6950", "20.00", None, None),
                                               ("payable", "2000", "0.00", None, None)]
    assert voucher["lines"][1]["reason"].endswith("tax code ND20 (Input VAT 20%, not deductible (entertainment, "
                                                  "private use)), as rule 1 'Servers' says: not deductible, a cost")


def test_a_rule_comes_before_the_vendors_default_account(accountant, company, vendors):
    accountant.post(URL, json=rule("Hotels", {"account_code": "6210"}, keywords=["hotel"]))
    items = ({"description": "Hotel Lux, 2 nights", "amount": "60.00", "tax_rate": "20"},
             {"description": "Rail ticket", "amount": "40.00", "tax_rate": "20"})
    document = stored_document(company.id, "invoice", items, vendor_id=vendors["Fabrikam Travel GmbH"], **INVOICE)
    route(document)
    hotel, rail = voucher_of(document).lines[:2]
    assert (hotel.account.code, rail.account.code) == ("6210", "6200")
    assert rail.reason.endswith("to 6200 Travel, the vendor's default account")


def test_an_uploaded_invoice_is_drafted_by_the_rule_its_line_item_matches(make_user, client_for, accountant, run_jobs):
    accountant.post(URL, json=rule("Toner", {"account_code": "6750", "approval_route": "office"},
                                   keywords=["toner cartridge"]))
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    voucher = clerk.get(f"/api/v1/vouchers/{document['voucher_id']}").json()
    paper, toner = voucher["lines"][:2]
    assert (paper["account_code"], toner["account_code"], voucher["approval_route"]) == ("6000", "6750", "office")
    assert toner["reason"].startswith("rule 1 'Toner': keyword 'toner cartridge' in line item 2; line item 2: ")
    assert toner["source_fields"] == ["line_items[1].amount"]


def test_a_clerk_makes_a_voucher_line_a_rule_in_one_step_and_the_next_invoice_follows_it(
        make_user, client_for, company, vendors):
    clerk = client_for(make_user("clerk"))
    contoso = vendors["Contoso Cloud Services BV"]
    first = stored_document(company.id, "invoice", HOSTING, vendor_id=contoso, **INVOICE)
    route(first)
    line = next(line for line in voucher_of(first).lines if line.kind == "expense")
    with transaction() as session:  # the clerk put it on 6300 (as a learned suggestion would have)
        session.get(VoucherLine, line.id).account = session.scalars(
            select(Account).where(Account.company_id == company.id, Account.code == "6300")).one()
    promoted = clerk.post(f"{URL}/from-line", json={"voucher_line_id": str(line.id)})
    assert promoted.status_code == 201, promoted.text
    rule = promoted.json()
    assert (rule["name"], rule["conditions"]["vendor"], rule["conditions"]["keywords"], rule["outcome"]["account_code"]
            ) == ("Contoso Cloud Services BV: cloud / hosting to 6300 Software and subscriptions",
                  "Contoso Cloud Services BV", ["cloud", "hosting"], "6300")
    [event] = rule_events(company, "posting_rule.created")
    assert event.actor.startswith("user:") and event.data["via"] == f"promoted from voucher line {line.id}"
    second = stored_document(company.id, "invoice", ({"description": "Hosting April", "amount": "100.00",
                                                      "tax_rate": "20"},), vendor_id=contoso, **INVOICE)
    route(second)
    [hosting] = [line for line in voucher_of(second).lines if line.kind == "expense"]
    assert hosting.account.code == "6300" and hosting.reason.startswith(f"rule 1 '{rule['name']}'")


def test_only_expense_lines_of_the_company_are_made_rules(make_user, client_for, company, vendors):
    clerk = client_for(make_user("clerk"))
    document = stored_document(company.id, "invoice", HOSTING, vendor_id=vendors["Fabrikam Travel GmbH"], **INVOICE)
    route(document)
    payable = next(line for line in voucher_of(document).lines if line.kind == "payable")
    refused = clerk.post(f"{URL}/from-line", json={"voucher_line_id": str(payable.id)})
    assert refused.status_code == 422 and "is a payable line" in refused.json()["detail"]
    stranger = client_for(make_user("clerk", company_slug="other"))
    expense = next(line for line in voucher_of(document).lines if line.kind == "expense")
    assert stranger.post(f"{URL}/from-line", json={"voucher_line_id": str(expense.id)}).status_code == 404
    employee = client_for(make_user("employee"))
    assert employee.post(f"{URL}/from-line", json={"voucher_line_id": str(expense.id)}).status_code == 403
    assert rule_events(company) == []
