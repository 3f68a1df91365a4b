"""The vendor master and per-vendor memory on real parts: upload -> real rq worker -> API -> review -> the vendor's
next document."""

from __future__ import annotations

from sqlalchemy import select

from core.db import transaction
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from models import Vendor, VendorFieldMemory
from tests.helpers import upload

UNKNOWN_VENDOR = "the vendor is not in the vendor master"


def processed(client, run_jobs, invoice: SampleInvoice) -> dict:
    created = upload(client, render_invoice_pdf(invoice))
    run_jobs()
    return client.get(f"/api/v1/documents/{created['id']}").json()


def add_vendor(company, **columns) -> str:
    with transaction() as session:
        vendor = Vendor(company_id=company.id, **columns)
        session.add(vendor)
        session.flush()
        return str(vendor.id)


def rules(document: dict) -> list[tuple[str, str]]:
    return [(issue["rule"], issue["severity"]) for issue in document["validation"]]


def test_a_vendor_known_by_tax_id_is_matched_with_its_reason(company, make_user, client_for, run_jobs):
    vendor_id = add_vendor(company, name="Northwind Office Supplies Ltd", tax_id="GB 123 456 789",
                           iban="GB33BUKB20201555555555")
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, SampleInvoice())
    assert document["vendor"] == {"vendor_id": vendor_id, "vendor_name": "Northwind Office Supplies Ltd",
                                  "score": 0.99, "via": "tax_id", "proposal": None,
                                  "reason": "tax ID GB123456789 matches Northwind Office Supplies Ltd; name "
                                            "'Northwind Office Supplies Ltd' ~ 'Northwind Office Supplies Ltd' (1.00)"}
    name = document["fields"]["vendor_name"]
    assert name["confidence"] >= 0.99 and "vendor master: tax ID GB123456789 matches" in name["evidence"]
    iban = document["fields"]["vendor_iban"]
    assert (iban["value"], iban["source"]) == ("GB33BUKB20201555555555", "rule")
    assert "from the vendor master" in iban["evidence"]
    assert UNKNOWN_VENDOR not in document["review_reasons"] and "unknown_vendor" not in dict(rules(document))


def test_a_vendor_known_by_an_alias_is_matched_fuzzily(company, make_user, client_for, run_jobs):
    add_vendor(company, name="Northwind Supplies", aliases=["Northwind Office Supplies Limited"])
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, SampleInvoice(vendor_tax_id="GB 000 0000 00"))
    assert document["vendor"]["via"] == "alias" and document["vendor"]["vendor_name"] == "Northwind Supplies"
    assert document["vendor"]["reason"] == ("name 'Northwind Office Supplies Ltd' ~ alias "
                                            "'Northwind Office Supplies Limited' (1.00)")
    assert UNKNOWN_VENDOR not in document["review_reasons"]


def test_a_tax_id_of_another_vendor_is_a_warning_for_review(company, make_user, client_for, run_jobs):
    add_vendor(company, name="Globex Corporation", tax_id="GB123456789")
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, SampleInvoice())
    assert document["vendor"]["vendor_id"] is None and ("vendor_mismatch", "warning") in rules(document)
    assert UNKNOWN_VENDOR in document["review_reasons"]
    assert any("is that of vendor 'Globex Corporation', but the document names 'Northwind Office Supplies Ltd'"
               in reason for reason in document["review_reasons"])


def test_an_unknown_vendor_is_created_in_one_click_from_its_proposal(company, make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, SampleInvoice())
    assert ("unknown_vendor", "info") in rules(document) and UNKNOWN_VENDOR in document["review_reasons"]
    assert document["vendor"]["proposal"] == {"name": "Northwind Office Supplies Ltd", "tax_id": "GB123456789",
                                              "iban": None}

    created = clerk.post("/api/v1/vendors", json={"document_id": document["id"]})
    assert created.status_code == 201, created.text
    vendor = created.json()
    assert (vendor["name"], vendor["tax_id"], vendor["aliases"]) == ("Northwind Office Supplies Ltd", "GB123456789", [])
    linked = clerk.get(f"/api/v1/documents/{document['id']}").json()
    assert linked["vendor"]["vendor_id"] == vendor["id"] and linked["vendor"]["via"] == "tax_id"
    assert [v["name"] for v in clerk.get("/api/v1/vendors").json()["items"]] == ["Northwind Office Supplies Ltd"]

    again = clerk.post("/api/v1/vendors", json={"document_id": document["id"]})
    assert again.status_code == 409 and "already matched to vendor 'Northwind" in again.json()["detail"]
    same_name = clerk.post("/api/v1/vendors", json={"name": "Northwind Office Supplies Ltd"})
    assert same_name.status_code == 409 and "already has 'Northwind Office Supplies Ltd'" in same_name.json()["detail"]
    assert clerk.post("/api/v1/vendors", json={}).status_code == 422
    assert client_for(make_user("employee")).post("/api/v1/vendors", json={"name": "X"}).status_code == 403
    later = processed(clerk, run_jobs, SampleInvoice(invoice_number="INV-2024-0043"))
    assert later["vendor"]["vendor_id"] == vendor["id"] and UNKNOWN_VENDOR not in later["review_reasons"]


def test_correcting_the_vendor_matches_it_again(company, make_user, client_for, run_jobs):
    vendor_id = add_vendor(company, name="Northwind Office Supplies Ltd")
    clerk = client_for(make_user("clerk"))
    document = processed(clerk, run_jobs, SampleInvoice(vendor_name="Nrthw1nd 0ffice", vendor_tax_id="n/a"))
    assert document["vendor"]["vendor_id"] is None and ("unknown_vendor", "info") in rules(document)
    reviewed = clerk.post(f"/api/v1/documents/{document['id']}/review",
                          json={"decision": "return", "corrections": {"vendor_name": "Northwind Office Supplies"}})
    assert reviewed.status_code == 200, reviewed.text
    body = reviewed.json()
    assert body["vendor"]["vendor_id"] == vendor_id and body["vendor"]["via"] == "name"
    assert "unknown_vendor" not in dict(rules(body))


def test_what_a_clerk_corrected_is_used_on_the_vendors_next_documents(company, make_user, client_for, run_jobs):
    """Each invoice prints two references; whichever the model takes for the invoice number, the clerk keys the
    other, and the vendor's next invoices take that one from the memory."""
    add_vendor(company, name="Northwind Office Supplies Ltd", tax_id="GB123456789")
    clerk = client_for(make_user("clerk"))

    def invoice(number: str, reference: str) -> SampleInvoice:
        return SampleInvoice(invoice_number=number, references=(("Document ID:", reference),))

    first = processed(clerk, run_jobs, invoice("INV-2024-0042", "D-7781"))
    read = first["fields"]["invoice_number"]["value"]
    keyed, pick = ("D-7781", 1) if read != "D-7781" else ("INV-2024-0042", 0)
    approved = clerk.post(f"/api/v1/documents/{first['id']}/review",
                          json={"decision": "approve", "corrections": {"invoice_number": keyed}})
    assert approved.status_code == 200, approved.text
    with transaction() as session:
        memory = session.scalars(select(VendorFieldMemory).where(VendorFieldMemory.field == "invoice_number")).one()
        assert (memory.confirmations, memory.memory["kind"], memory.memory["value"]) == (1, "code", keyed)

    second = processed(clerk, run_jobs, invoice("INV-2024-0099", "D-7790"))
    learned = second["fields"]["invoice_number"]
    assert learned["value"] == ("INV-2024-0099", "D-7790")[pick]
    assert (learned["source"], learned["page"], learned["confidence"]) == ("pdf_text", 1, 0.8)
    label = "document id" if pick else "invoice no"
    assert learned["evidence"].startswith(f"learned from 1 confirmed document of this vendor (the value printed "
                                          f"after {label!r})")
    assert clerk.post(f"/api/v1/documents/{second['id']}/review", json={"decision": "approve"}).status_code == 200

    third = processed(clerk, run_jobs, invoice("INV-2024-0120", "D-7802"))
    assert third["fields"]["invoice_number"]["value"] == ("INV-2024-0120", "D-7802")[pick]
    assert third["fields"]["invoice_number"]["evidence"].startswith("learned from 2 confirmed documents")
    assert third["fields"]["invoice_number"]["confidence"] > learned["confidence"]
    other = processed(clerk, run_jobs, SampleInvoice(vendor_name="Initech Inc", vendor_tax_id="FR40303265045",
                                                     references=(("Document ID:", "D-1"),)))
    assert "learned from" not in other["fields"]["invoice_number"]["evidence"]  # another vendor: nothing learned
