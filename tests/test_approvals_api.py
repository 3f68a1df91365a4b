"""Approval routes through the HTTP API on the real app and database: managing routes (checks, YAML import all or
nothing, who may), a voucher approved step by step to posted, segregation of duties, a rejection back to review,
the approver's queue, and documents no route takes behaving as before."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from core.db import transaction
from core.permissions import Role
from models import ApprovalRoute, Vendor
from tests.helpers import upload_invoice
from tests.posting.documents import route, stored_document, voucher_of

READERS = (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
CHANGERS = (Role.ACCOUNTANT, Role.ADMIN)
INVOICE = {"invoice_number": "INV-9", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "10000.00",
           "tax_amount": "2400.00", "tax_rate": "24", "total_amount": "12400.00", "currency": "EUR"}


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


@pytest.fixture
def people(make_user, client_for):
    """A clerk, two approvers, an admin named by a step (the CFO) and an auditor: each as ``(user, client)``."""
    made = {name: make_user(role) for name, role in (("clerk", "clerk"), ("first", "approver"),
                                                     ("second", "approver"), ("cfo", "admin"), ("auditor", "auditor"))}
    return {name: (user, client_for(user)) for name, user in made.items()}


def two_steps(cfo_email: str, **overrides) -> dict:
    """Over 10k: an approver, then the CFO."""
    return {"code": "OVER10K", "name": "Over 10k", "position": 20, "conditions": {"amount_min": "10000"},
            "steps": [{"name": "Finance", "role": "approver"}, {"name": "CFO", "users": [cfo_email]}]} | overrides


def add_route(accountant, body: dict) -> dict:
    created = accountant.post("/api/v1/approval-routes", json=body)
    assert created.status_code == 201, created.text
    return created.json()


def events(auditor, entity_id: str) -> list[str]:
    """The entity's audit events, oldest first."""
    items = auditor.get("/api/v1/audit/events", params={"entity_id": entity_id}).json()["items"]
    return [event["action"] for event in reversed(items)]


def known_vendor(company_id: uuid.UUID, name: str = "Northwind") -> uuid.UUID:
    with transaction() as session:
        vendor = Vendor(company_id=company_id, name=name)
        session.add(vendor)
        session.flush()
        return vendor.id


# --- managing routes ----------------------------------------------------------------------------------------------


def test_routes_are_created_read_replaced_listed_in_order_and_deleted(accountant, people):
    cfo = people["cfo"][0].email
    created = add_route(accountant, two_steps(cfo))
    assert (created["code"], created["position"], created["active"]) == ("OVER10K", 20, True)
    assert created["conditions"] == {"amount_min": "10000.00", "amount_max": None, "doc_types": [], "vendors": [],
                                     "cost_centres": []}
    assert created["steps"] == [{"name": "Finance", "role": "approver", "users": [], "who": "role approver"},
                                {"name": "CFO", "role": None, "users": [cfo], "who": cfo}]
    assert accountant.get(f"/api/v1/approval-routes/{created['id']}").json() == created
    add_route(accountant, {"code": "SMALL", "name": "Small", "position": 10, "conditions": {"amount_max": "100"}})
    assert [r["code"] for r in accountant.get("/api/v1/approval-routes").json()["items"]] == ["SMALL", "OVER10K"]

    taken = accountant.post("/api/v1/approval-routes", json=two_steps(cfo, name="Again"))
    assert taken.status_code == 409 and taken.json()["error"] == "Conflict"
    replaced = accountant.put(f"/api/v1/approval-routes/{created['id']}", json=two_steps(cfo, position=5, steps=[]))
    assert replaced.status_code == 200 and (replaced.json()["position"], replaced.json()["steps"]) == (5, [])
    assert [r["code"] for r in accountant.get("/api/v1/approval-routes").json()["items"]] == ["OVER10K", "SMALL"]
    clash = accountant.put(f"/api/v1/approval-routes/{created['id']}", json=two_steps(cfo, code="SMALL"))
    assert clash.status_code == 409

    assert accountant.delete(f"/api/v1/approval-routes/{created['id']}").status_code == 204
    assert accountant.get(f"/api/v1/approval-routes/{created['id']}").status_code == 404
    assert events(people["auditor"][1], created["id"]) == ["approval_route.created", "approval_route.updated",
                                                           "approval_route.deleted"]


def test_a_wrong_route_is_refused_with_every_error_and_nothing_is_written(accountant, people):
    body = two_steps("nobody@acme.test", conditions={"amount_min": "500", "amount_max": "100"},
                     steps=[{"name": "Clerks", "role": "clerk"}, {"name": "Ghost", "users": ["nobody@acme.test"]},
                            {"name": "Clerk", "users": [people["clerk"][0].email]}])
    refused = accountant.post("/api/v1/approval-routes", json=body)
    assert refused.status_code == 422 and refused.json()["error"] == "MasterDataRejected"
    errors = {error["field"]: error["message"] for error in refused.json()["errors"]}
    assert set(errors) == {"conditions.amount_max", "steps[0].role", "steps[1].users", "steps[2].users"}
    assert "may not approve vouchers" in errors["steps[0].role"] and "nobody@acme.test" in errors["steps[1].users"]
    assert "is a clerk, who may not approve vouchers" in errors["steps[2].users"]
    assert accountant.get("/api/v1/approval-routes").json()["items"] == []
    unknown_field = accountant.post("/api/v1/approval-routes", json=two_steps("x@acme.test", colour="red"))
    assert unknown_field.status_code == 422


@pytest.mark.parametrize("role", list(Role))
def test_who_may_read_and_change_routes(make_user, client_for, role):
    caller = client_for(make_user(role))
    assert caller.get("/api/v1/approval-routes").status_code == (200 if role in READERS else 403)
    body = {"code": "ALL", "name": "All", "position": 1, "steps": [{"name": "Finance", "role": "approver"}]}
    assert caller.post("/api/v1/approval-routes", json=body).status_code == (201 if role in CHANGERS else 403)


def test_routes_of_another_company_do_not_exist(accountant, make_user, client_for, people):
    created = add_route(accountant, two_steps(people["cfo"][0].email))
    other = client_for(make_user("admin", company_slug="other"))
    assert other.get("/api/v1/approval-routes").json()["items"] == []
    assert other.get(f"/api/v1/approval-routes/{created['id']}").status_code == 404
    assert other.delete(f"/api/v1/approval-routes/{created['id']}").status_code == 404


ROUTES_YAML = """\
approval-routes:
  - code: SMALL
    name: Small amounts
    position: 10
    conditions: {amount_max: 100}
  - code: OVER10K
    name: Over 10k
    position: 20
    conditions:
      amount_min: 10000
      doc_types: [invoice]
    steps:
      - {name: Finance, role: approver}
      - {name: CFO, users: [CFO_EMAIL]}
"""


def import_routes(client, text: str, filename: str = "routes.yaml", content_type: str = "application/yaml"):
    return client.post("/api/v1/approval-routes/import", files={"file": (filename, text.encode(), content_type)})


def test_routes_are_imported_from_yaml_all_or_nothing(accountant, people):
    good = ROUTES_YAML.replace("CFO_EMAIL", people["cfo"][0].email)
    bad = good.replace("role: approver", "role: clerk").replace("amount_max: 100", "amount_max: lots")
    refused = import_routes(accountant, bad)
    assert refused.status_code == 422 and refused.json()["created"] == 0
    assert [(e["row"], e["field"]) for e in refused.json()["errors"]] == [(1, "conditions.amount_max"),
                                                                          (2, "steps[0].role")]
    assert accountant.get("/api/v1/approval-routes").json()["items"] == []

    imported = import_routes(accountant, good)
    assert imported.status_code == 200 and imported.json() == {"created": 2, "updated": 0, "unchanged": 0,
                                                                "errors": []}
    again = import_routes(accountant, good.replace("Small amounts", "Petty"))
    assert again.json() == {"created": 0, "updated": 1, "unchanged": 1, "errors": []}
    routes = accountant.get("/api/v1/approval-routes").json()["items"]
    assert [(r["code"], r["name"], len(r["steps"])) for r in routes] == [("SMALL", "Petty", 0),
                                                                          ("OVER10K", "Over 10k", 2)]
    as_csv = import_routes(accountant, "code,name\nA,B\n", "routes.csv", "text/csv")
    assert as_csv.status_code == 415 and "YAML" in as_csv.json()["detail"]


# --- a voucher approved step by step ------------------------------------------------------------------------------


def test_two_steps_from_upload_to_posted_each_step_in_the_audit_log(company, accountant, people, run_jobs):
    (clerk_user, clerk), (first_user, first), (_, second), (cfo_user, cfo), (_, auditor) = (
        people[name] for name in ("clerk", "first", "second", "cfo", "auditor"))
    add_route(accountant, two_steps(cfo_user.email, conditions={"amount_min": "250"}))
    created = upload_invoice(clerk)
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    voucher_id = document["voucher_id"]
    assert document["status"] == "needs_review"
    routed = clerk.get(f"/api/v1/vouchers/{voucher_id}").json()["approval"]
    assert (routed["route"]["code"], routed["next_step"]) == ("OVER10K", None)
    assert [step["status"] for step in routed["steps"]] == ["pending", "pending"]

    reviewed = clerk.post(f"/api/v1/documents/{created['id']}/review", json={"decision": "approve"})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "awaiting_approval"
    assert [w["voucher_id"] for w in first.get("/api/v1/approvals").json()["items"]] == [voucher_id]
    assert cfo.get("/api/v1/approvals").json()["items"] == [], "step 2 is not theirs yet"

    step_one = first.post(f"/api/v1/vouchers/{voucher_id}/approve", json={"step": 1, "comment": "budget ok"})
    assert step_one.status_code == 200, step_one.text
    approval = step_one.json()["approval"]
    assert (step_one.json()["status"], approval["next_step"]) == ("draft", 2)
    assert [(s["status"], s["by"], s["comment"]) for s in approval["steps"]] == [
        ("approved", first_user.email, "budget ok"), ("waiting", None, None)]
    assert first.get("/api/v1/approvals").json()["items"] == []
    assert second.get("/api/v1/approvals").json()["items"] == [], "the CFO's step, not any approver's"
    [waiting] = cfo.get("/api/v1/approvals").json()["items"]
    assert (waiting["step"]["number"], waiting["step"]["name"], waiting["base_amount"], waiting["filename"]) == (
        2, "CFO", "299.29", "invoice.pdf")

    step_two = cfo.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert step_two.status_code == 200 and step_two.json()["status"] == "posted"
    assert [s["status"] for s in step_two.json()["approval"]["steps"]] == ["approved", "approved"]
    assert step_two.json()["approval"]["next_step"] is None
    assert clerk.get(f"/api/v1/documents/{created['id']}").json()["status"] == "posted"
    assert events(auditor, voucher_id) == ["voucher.drafted", "voucher.routed", "voucher.step_approved",
                                           "voucher.step_approved", "voucher.approved", "voucher.posted"]
    assert events(auditor, created["id"])[-3:] == ["document.awaiting_approval", "review.approve", "document.posted"]
    assert accountant.delete(f"/api/v1/approval-routes/{step_two.json()['approval']['route']['id']}").status_code == 409


def test_segregation_of_duties_refuses_the_uploader_the_reviewer_and_an_earlier_approver(
        company, accountant, people, make_user, client_for):
    uploader, reviewer, first = (make_user("approver") for _ in range(3))
    add_route(accountant, two_steps(people["cfo"][0].email,
                                    steps=[{"name": "Finance", "role": "approver"},
                                           {"name": "Controller", "role": "approver"}]))
    document_id = stored_document(company.id, uploaded_by=uploader.id, **INVOICE)
    route(document_id)
    voucher_id = str(voucher_of(document_id).id)
    assert client_for(reviewer).post(f"/api/v1/documents/{document_id}/review",
                                     json={"decision": "approve"}).json()["status"] == "awaiting_approval"

    for user, reason in ((uploader, "you uploaded this document"),
                         (reviewer, "you decided the review of this document")):
        refused = client_for(user).post(f"/api/v1/vouchers/{voucher_id}/approve")
        assert refused.status_code == 403 and refused.json()["error"] == "SegregationOfDuties"
        assert refused.json()["detail"] == (f"You may not approve step 1 'Finance' of voucher {voucher_id}: {reason}. "
                                            "Segregation of duties: someone else the step asks for (role "
                                            "approver) must approve it.")
        assert client_for(user).get("/api/v1/approvals").json()["items"] == []
    assert client_for(first).post(f"/api/v1/vouchers/{voucher_id}/approve").json()["approval"]["next_step"] == 2
    again = client_for(first).post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert again.status_code == 403 and "you approved step 1 of this voucher" in again.json()["detail"]
    assert client_for(first).get(f"/api/v1/vouchers/{voucher_id}").json()["approval"]["next_step"] == 2


def test_a_step_is_approved_only_by_whom_it_asks_for_and_only_when_it_waits(company, accountant, people):
    (_, clerk), (_, first), (_, second), (cfo_user, cfo) = (people[n] for n in ("clerk", "first", "second", "cfo"))
    add_route(accountant, two_steps(cfo_user.email))
    document_id = stored_document(company.id, **INVOICE)
    route(document_id)
    voucher_id = str(voucher_of(document_id).id)
    early = first.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert early.status_code == 409 and "its document's review comes first" in early.json()["detail"]
    clerk.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"})

    assert clerk.post(f"/api/v1/vouchers/{voucher_id}/approve").status_code == 403
    not_theirs = cfo.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert not_theirs.status_code == 403 and not_theirs.json()["error"] == "PermissionDenied"
    assert "Step 1 'Finance' of approval route 'Over 10k' is for role approver" in not_theirs.json()["detail"]
    first.post(f"/api/v1/vouchers/{voucher_id}/approve", json={"step": 1})
    stale = second.post(f"/api/v1/vouchers/{voucher_id}/approve", json={"step": 1})
    assert stale.status_code == 409 and "waits at step 2 'CFO', not at step 1" in stale.json()["detail"]
    assert second.post(f"/api/v1/vouchers/{voucher_id}/approve").status_code == 403, "step 2 is the CFO's"
    assert cfo.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"


def test_a_rejection_at_step_two_sends_the_document_back_to_review_and_a_new_voucher_starts_over(
        company, accountant, people):
    (clerk_user, clerk), (_, first), (_, second), (cfo_user, cfo), (_, auditor) = (
        people[name] for name in ("clerk", "first", "second", "cfo", "auditor"))
    add_route(accountant, two_steps(cfo_user.email))
    document_id = stored_document(company.id, **INVOICE)
    route(document_id)
    voucher_id = str(voucher_of(document_id).id)
    clerk.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"})
    first.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert second.post(f"/api/v1/vouchers/{voucher_id}/reject", json={"comment": "no"}).status_code == 403
    assert cfo.post(f"/api/v1/vouchers/{voucher_id}/reject", json={"comment": ""}).status_code == 422

    rejected = cfo.post(f"/api/v1/vouchers/{voucher_id}/reject", json={"comment": "wrong cost centre", "step": 2})
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert [(s["status"], s["comment"]) for s in rejected.json()["approval"]["steps"]] == [
        ("approved", None), ("rejected", "wrong cost centre")]
    document = clerk.get(f"/api/v1/documents/{document_id}").json()
    assert document["status"] == "needs_review"
    assert document["review_reasons"] == [
        f"voucher {voucher_id} was rejected at step 2 'CFO' of approval route 'Over 10k' by {cfo_user.email}: wrong "
        "cost centre. Correct the fields and approve to draft a new voucher, or reject the document"]
    assert events(auditor, voucher_id)[-2:] == ["voucher.step_approved", "voucher.step_rejected"]
    assert cfo.post(f"/api/v1/vouchers/{voucher_id}/approve").status_code == 409

    again = clerk.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"}).json()
    assert again["status"] == "awaiting_approval" and again["voucher_id"] != voucher_id
    fresh = clerk.get(f"/api/v1/vouchers/{again['voucher_id']}").json()
    assert (fresh["status"], fresh["approval"]["next_step"]) == ("draft", 1)
    assert [s["status"] for s in fresh["approval"]["steps"]] == ["waiting", "pending"]


def test_a_route_with_steps_is_never_straight_through(company, accountant, people):
    vendor_id = known_vendor(company.id)
    clean = stored_document(company.id, vendor_id=vendor_id, **INVOICE)
    assert route(clean) == [] and people["clerk"][1].get(f"/api/v1/documents/{clean}").json()["status"] == (
        "auto_approved"), "no route: straight through, as before"
    add_route(accountant, two_steps(people["cfo"][0].email))
    waits = stored_document(company.id, vendor_id=vendor_id, **INVOICE | {"invoice_number": "INV-10"})
    assert route(waits) == []
    document = people["clerk"][1].get(f"/api/v1/documents/{waits}").json()
    assert document["status"] == "awaiting_approval"
    [waiting] = people["first"][1].get("/api/v1/approvals").json()["items"]
    assert (waiting["document_id"], waiting["step"]["number"]) == (str(waits), 1)
    small = stored_document(company.id, vendor_id=vendor_id, **INVOICE | {"invoice_number": "INV-11",
                                                                           "subtotal": "100.00", "tax_amount": "24.00",
                                                                           "total_amount": "124.00"})
    route(small)
    assert people["clerk"][1].get(f"/api/v1/documents/{small}").json()["status"] == "auto_approved"
    assert voucher_of(small).approval_steps is None


def test_a_voucher_keeps_the_steps_it_was_sent_with_when_its_route_changes(company, accountant, people):
    (_, clerk), (_, first), (cfo_user, cfo) = (people[n] for n in ("clerk", "first", "cfo"))
    created = add_route(accountant, two_steps(cfo_user.email))
    document_id = stored_document(company.id, **INVOICE)
    route(document_id)
    voucher_id = str(voucher_of(document_id).id)
    clerk.post(f"/api/v1/documents/{document_id}/review", json={"decision": "approve"})
    accountant.put(f"/api/v1/approval-routes/{created['id']}", json=two_steps(cfo_user.email, steps=[]))
    assert len(first.get(f"/api/v1/vouchers/{voucher_id}").json()["approval"]["steps"]) == 2
    first.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert cfo.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"


def test_without_a_matching_route_review_and_approval_work_as_before(company, accountant, people):
    (_, clerk), (first_user, first) = people["clerk"], people["first"]
    add_route(accountant, two_steps(people["cfo"][0].email, conditions={"amount_min": "50000"}))
    by_clerk, by_approver = (stored_document(company.id, **INVOICE | {"invoice_number": n}) for n in ("A", "B"))
    route(by_clerk), route(by_approver)
    reviewed = clerk.post(f"/api/v1/documents/{by_clerk}/review", json={"decision": "approve"}).json()
    voucher = clerk.get(f"/api/v1/vouchers/{reviewed['voucher_id']}").json()
    assert (reviewed["status"], voucher["status"], voucher["approval"]) == ("approved", "draft", None)
    assert first.get("/api/v1/approvals").json()["items"] == []
    not_routed = first.post(f"/api/v1/vouchers/{reviewed['voucher_id']}/reject", json={"comment": "x"})
    assert not_routed.status_code == 409 and "has no approval steps" in not_routed.json()["detail"]
    assert first.post(f"/api/v1/vouchers/{reviewed['voucher_id']}/approve").json()["status"] == "posted"
    posted = first.post(f"/api/v1/documents/{by_approver}/review", json={"decision": "approve"}).json()
    assert posted["status"] == "posted"
    with transaction() as session:
        assert session.scalars(select(ApprovalRoute)).one().code == "OVER10K"
