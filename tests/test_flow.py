"""The whole path on real parts: upload -> rq worker -> review -> voucher approval, through the HTTP API."""

from __future__ import annotations

from decimal import Decimal

from core.audit import verify_chain
from core.db import transaction
from ledgerdesk.samples import SampleInvoice
from tests.helpers import upload_invoice


def test_uploaded_invoice_is_extracted_drafted_reviewed_and_approved(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    approver = client_for(make_user("approver"))
    invoice = SampleInvoice()

    created = upload_invoice(clerk, invoice)
    assert created["status"] == "received" and created["duplicate_of"] is None
    run_jobs()

    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["status"] == "needs_review"
    assert document["doc_type"] == "invoice"
    values = {name: field["value"] for name, field in document["fields"].items()}
    assert values["invoice_number"] == invoice.invoice_number
    assert values["invoice_date"] == invoice.invoice_date.isoformat()
    assert values["vendor_name"] == invoice.vendor_name
    assert values["currency"] == "EUR"
    assert values["subtotal"] == str(invoice.subtotal)
    assert values["tax_amount"] == str(invoice.tax_amount)
    assert values["total_amount"] == str(invoice.total_amount)
    total_field = document["fields"]["total_amount"]
    assert total_field["page"] == 1 and len(total_field["bbox"]) == 4 and total_field["source"] == "pdf_text"
    assert "the vendor is not in the vendor master" in document["review_reasons"]

    voucher = clerk.get(f"/api/v1/vouchers/{document['voucher_id']}").json()
    assert voucher["status"] == "draft"
    assert [line["kind"] for line in voucher["lines"]] == ["expense"] * len(invoice.lines) + ["input_tax", "payable"]
    for number, (line, item) in enumerate(zip(voucher["lines"], invoice.lines)):  # one expense line per line item
        assert (line["debit"], line["source_fields"], line["page"]) == (str(item.amount),
                                                                         [f"line_items[{number}].amount"], 1)
        assert len(line["bbox"]) == 4 and line["reason"].startswith(f"line item {number + 1}: amount {item.amount}")
    debit = sum(Decimal(line["debit"]) for line in voucher["lines"])
    credit = sum(Decimal(line["credit"]) for line in voucher["lines"])
    assert debit == credit == invoice.total_amount

    review = clerk.post(f"/api/v1/documents/{created['id']}/review",
                        json={"decision": "approve", "corrections": {"invoice_number": "INV-2024-0042-A"},
                              "comment": "number has a suffix"})
    assert review.status_code == 200, review.text
    reviewed = review.json()
    assert reviewed["status"] == "approved"
    assert reviewed["fields"]["invoice_number"]["value"] == "INV-2024-0042-A"
    assert reviewed["fields"]["invoice_number"]["source"] == "human"
    assert reviewed["extraction_version"] == 2
    waiting = clerk.get(f"/api/v1/vouchers/{document['voucher_id']}").json()
    assert waiting["status"] == "draft"
    assert "INV-2024-0042-A" in waiting["description"]

    approved = approver.post(f"/api/v1/vouchers/{document['voucher_id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "posted", "the company posts on approval (post_on_approval, the default)"
    assert approved.json()["lines"] == waiting["lines"]
    assert approved.json()["period"] == invoice.invoice_date.isoformat()[:7]
    [item] = approver.get("/api/v1/open-items").json()["items"]
    assert (item["voucher_id"], item["amount"], item["reference"]) == (
        document["voucher_id"], str(invoice.total_amount), "INV-2024-0042-A")
    assert clerk.get(f"/api/v1/documents/{created['id']}").json()["status"] == "posted"


def test_every_step_is_in_an_intact_audit_chain(company, make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    run_jobs()
    clerk.post(f"/api/v1/documents/{created['id']}/review", json={"decision": "approve"})

    from sqlalchemy import select
    from core.audit import AuditEvent

    with transaction() as session:
        actions = [e.action for e in session.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == created["id"]).order_by(AuditEvent.seq))]
        assert verify_chain(session, company.id) == []
    assert actions == ["document.received", "document.extracted", "document.needs_review", "review.approve"]


def test_correcting_the_total_redrafts_a_balanced_voucher(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    run_jobs()
    corrections = {"subtotal": "100.00", "tax_amount": "19.00", "total_amount": "119,00"}
    reviewed = clerk.post(f"/api/v1/documents/{created['id']}/review",
                          json={"decision": "approve", "corrections": corrections}).json()
    voucher = clerk.get(f"/api/v1/vouchers/{reviewed['voucher_id']}").json()
    assert {(line["kind"], line["debit"], line["credit"]) for line in voucher["lines"]} == {
        ("expense", "100.00", "0.00"), ("input_tax", "19.00", "0.00"), ("payable", "0.00", "119.00")}
    assert voucher["status"] == "draft"


def test_reject_and_return(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    first = upload_invoice(clerk)
    second = upload_invoice(clerk, SampleInvoice(invoice_number="INV-2"))
    run_jobs()

    returned = clerk.post(f"/api/v1/documents/{first['id']}/review",
                          json={"decision": "return", "comment": "ask the vendor for a PO"}).json()
    assert returned["status"] == "needs_review"
    assert any("ask the vendor for a PO" in reason for reason in returned["review_reasons"])

    rejected = clerk.post(f"/api/v1/documents/{second['id']}/review", json={"decision": "reject"}).json()
    assert rejected["status"] == "rejected"
    assert clerk.get(f"/api/v1/vouchers/{rejected['voucher_id']}").json()["status"] == "rejected"
    again = clerk.post(f"/api/v1/documents/{second['id']}/review", json={"decision": "approve"})
    assert again.status_code == 409 and again.json()["error"] == "InvalidStatusTransition"


def test_voucher_approval_endpoint_needs_an_approver(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    approver = client_for(make_user("approver"))
    document = upload_invoice(clerk)
    run_jobs()
    voucher_id = clerk.get(f"/api/v1/documents/{document['id']}").json()["voucher_id"]

    denied = clerk.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert denied.status_code == 403 and denied.json()["error"] == "PermissionDenied"
    approved = approver.post(f"/api/v1/vouchers/{voucher_id}/approve")
    assert approved.json()["status"] == "posted", "approving posts (post_on_approval, the default)"
    assert clerk.get(f"/api/v1/documents/{document['id']}").json()["status"] == "posted"
    assert approver.get("/api/v1/vouchers?status=posted").json()["items"][0]["id"] == voucher_id


def test_versions_and_audit_trail_are_readable_through_the_api(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    auditor = client_for(make_user("auditor"))
    created = upload_invoice(clerk)
    run_jobs()
    clerk.post(f"/api/v1/documents/{created['id']}/review",
               json={"decision": "approve", "corrections": {"due_date": "2024-05-01"}})

    versions = auditor.get(f"/api/v1/documents/{created['id']}/extractions").json()["items"]
    assert [(v["version"], v["kind"]) for v in versions] == [(2, "human"), (1, "machine")]
    assert versions[0]["fields"]["due_date"]["value"] == "2024-05-01"
    assert versions[1]["fields"]["due_date"]["value"] == "2024-04-11"

    assert clerk.get("/api/v1/audit/events").status_code == 403
    events = auditor.get("/api/v1/audit/events", params={"entity_id": created["id"], "limit": 2}).json()
    assert [e["action"] for e in events["items"]] == ["review.approve", "document.needs_review"]
    older = auditor.get("/api/v1/audit/events", params={"entity_id": created["id"], "cursor": events["next_cursor"]})
    assert [e["action"] for e in older.json()["items"]] == ["document.extracted", "document.received"]
    assert auditor.get("/api/v1/audit/verify").json() == {"intact": True, "problems": []}
