"""Validation through the worker and the review API: the machine's issues, and a correction judging them again."""

from __future__ import annotations

from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.helpers import upload


def rules(document: dict) -> set[str]:
    return {issue["rule"] for issue in document["validation"]}


def test_a_correction_of_the_vendor_tax_id_judges_it_again(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload(clerk, render_invoice_pdf(SampleInvoice(vendor_tax_id="DE136695977")))
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    [tax_id] = [issue for issue in document["validation"] if issue["rule"] == "tax_id"]
    assert tax_id == {"rule": "tax_id", "severity": "warning",
                      "message": "vendor_tax_id 'DE136695977' is not a valid EU VAT: the check digit does not match"}
    assert f"warning: {tax_id['message']}" in document["review_reasons"]

    corrected = clerk.post(f"/api/v1/documents/{created['id']}/review",
                           json={"decision": "return", "corrections": {"vendor_tax_id": "DE136695976"}}).json()
    assert corrected["extraction_version"] == 2 and "tax_id" not in rules(corrected)
    wrong_again = clerk.post(f"/api/v1/documents/{created['id']}/review",
                             json={"decision": "return", "corrections": {"vendor_tax_id": "DE 136 695 978"}}).json()
    assert "tax_id" in rules(wrong_again)


def test_an_invoice_whose_sums_do_not_add_up_goes_to_review_with_the_numbers(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload(clerk, render_invoice_pdf(SampleInvoice(vendor_tax_id="DE136695976")))
    run_jobs()
    corrected = clerk.post(f"/api/v1/documents/{created['id']}/review",
                           json={"decision": "return", "corrections": {"total_amount": "500.00"}}).json()
    [sums] = [issue for issue in corrected["validation"] if issue["rule"] == "totals_add_up"]
    assert sums["severity"] == "error"
    assert "but the total is 500.00" in sums["message"] and "0.01 is allowed" in sums["message"]
