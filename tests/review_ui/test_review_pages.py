"""The review pages end to end: the real app under uvicorn, driven by a real Chromium.

Documents arrive through the API and a real rq worker; people use the pages; the API checks the result.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from core.auth import SESSION_COOKIE
from core.outbox import relay_pending
from ledgerdesk.samples import SampleInvoice
from tests.helpers import upload, upload_invoice

pytestmark = pytest.mark.browser

ACTIVE = re.compile(r"\bactive\b")
IMAGE_LOADED = "img => img.complete && img.naturalWidth > 0"


def _document(api, document_id: str) -> dict:
    return api.get(f"/api/v1/documents/{document_id}").json()


def _unchanged(api, document_id: str, invoice: SampleInvoice) -> None:
    """The document still waits for review with the machine's extraction and a draft voucher."""
    document = _document(api, document_id)
    assert document["status"] == "needs_review"
    assert document["extraction_version"] == 1
    assert document["fields"]["invoice_number"]["value"] == invoice.invoice_number
    assert api.get(f"/api/v1/vouchers/{document['voucher_id']}").json()["status"] == "draft"


@pytest.fixture
def clerk(make_user):
    return make_user("clerk")


@pytest.fixture
def waiting_invoice(clerk, client_for, run_jobs):
    """An invoice processed by the worker and waiting for review: (api client, document id, invoice)."""
    api, invoice = client_for(clerk), SampleInvoice()
    created = upload_invoice(api, invoice)
    run_jobs()
    return api, created["id"], invoice


def test_clerk_reviews_corrects_and_approves_with_the_keyboard(page, clerk, waiting_invoice, sign_in):
    api, document_id, invoice = waiting_invoice
    sign_in(page, clerk)
    expect(page).to_have_url(re.compile(r"/review$"))
    row = page.locator("#queue tbody tr").filter(has_text="invoice.pdf")
    expect(row).to_contain_text("the vendor is not in the vendor master")
    expect(row).to_contain_text("Needs review")

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/review/{document_id}$"))
    image = page.locator(".page img").first
    image.wait_for()
    page.wait_for_function(IMAGE_LOADED, arg=image.element_handle())
    expect(page.locator("#field-invoice_number")).to_have_value(invoice.invoice_number)
    expect(page.locator("#field-total_amount")).to_have_value(str(invoice.total_amount))
    expect(page.locator("#field-vendor_name")).to_have_value(invoice.vendor_name)

    total_box = page.locator('.box[data-field="total_amount"]')
    expect(total_box).not_to_have_class(ACTIVE)
    page.locator("#field-total_amount").focus()
    expect(total_box).to_have_class(ACTIVE)
    _assert_inside(total_box.bounding_box(), image.bounding_box())
    page.locator('tr[data-field="invoice_date"] th').hover()
    expect(page.locator('.box[data-field="invoice_date"]')).to_have_class(ACTIVE)
    page.locator('.box[data-field="vendor_tax_id"]').click()
    expect(page.locator("#field-vendor_tax_id")).to_be_focused()

    lines = page.locator("#voucher tr.line")
    expect(lines).to_have_count(len(invoice.lines) + 2)  # an expense line per line item, the VAT, the payable
    expect(lines.and_(page.locator('[data-kind="payable"]'))).to_contain_text(str(invoice.total_amount))
    expect(lines.and_(page.locator('[data-kind="input_tax"]'))).to_contain_text(str(invoice.tax_amount))
    payable = lines.and_(page.locator('[data-kind="payable"]'))
    expect(payable.locator(".from")).to_have_text("total_amount · p. 1")
    payable.locator(".why").hover()
    expect(total_box).to_have_class(ACTIVE)
    expect(payable).to_have_class(ACTIVE)
    lines.first.locator(".why").hover()
    item_box = page.locator('.box[data-field="line_items[0].amount"]')
    expect(item_box).to_have_class(ACTIVE)
    _assert_inside(item_box.bounding_box(), image.bounding_box())

    page.locator("#field-invoice_number").fill("INV-2024-0042-A")
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/review\?done=approve_draft$"))
    expect(page.locator(".flash")).to_have_text("Document approved. Its voucher is a draft and waits for an approver.")
    expect(page.locator(".empty")).to_be_visible()

    document = _document(api, document_id)
    assert document["status"] == "approved"
    assert document["extraction_version"] == 2
    assert document["fields"]["invoice_number"] == {**document["fields"]["invoice_number"],
                                                     "value": "INV-2024-0042-A", "source": "human"}
    assert api.get(f"/api/v1/vouchers/{document['voucher_id']}").json()["status"] == "draft"

    page.goto(f"/review/{document_id}")
    expect(page.locator("h1 .status")).to_have_text("Approved")
    expect(page.locator(".notice")).to_contain_text("Read only")
    expect(page.locator("#field-invoice_number")).to_have_value("INV-2024-0042-A")
    expect(page.locator('tr[data-field="invoice_number"] .evidence')).to_contain_text("corrected")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    expect(page.locator("#voucher-waits")).to_contain_text("waits for an approver")


def _assert_inside(inner: dict, outer: dict) -> None:
    assert inner["width"] > 0 and inner["height"] > 0
    assert outer["x"] <= inner["x"] and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + 1
    assert outer["y"] <= inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + 1


def test_wrong_password_shows_an_error_and_sets_no_cookie(page, clerk, sign_in):
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        sign_in(page, clerk, password="not the password")
    assert answer.value.status == 401
    expect(page.get_by_role("alert")).to_have_text("Unknown e-mail or wrong password.")
    expect(page.get_by_label("E-mail")).to_have_value(clerk.email)
    assert [c for c in page.context.cookies() if c["name"] == SESSION_COOKIE] == []


def test_signed_out_visitor_is_sent_to_login_and_back(page, clerk, waiting_invoice, sign_in):
    _, document_id, _ = waiting_invoice
    page.goto("/review")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Freview$"))
    page.goto(f"/review/{document_id}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    sign_in(page, clerk, start="")
    expect(page).to_have_url(re.compile(f"/review/{document_id}$"))


def test_employee_may_not_review(page, make_user, client_for, run_jobs, sign_in):
    employee = make_user("employee")
    own = upload_invoice(client_for(employee))
    run_jobs()
    sign_in(page, employee)
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("may not review documents")
    response = page.goto(f"/review/{own['id']}")
    assert response.status == 403
    expect(page.get_by_role("alert")).to_contain_text("may not review documents")
    expect(page.locator("input[name^='field:']")).to_have_count(0)


def test_another_company_gets_not_found_and_none_of_the_data(page, make_user, waiting_invoice, sign_in):
    _, document_id, invoice = waiting_invoice
    stranger = make_user("clerk", company_slug="other")
    sign_in(page, stranger)
    expect(page.locator(".empty")).to_be_visible()
    response = page.goto(f"/review/{document_id}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    content = page.content()
    assert invoice.vendor_name not in content and invoice.invoice_number not in content
    assert page.request.get(f"/api/v1/documents/{document_id}/pages/1.png").status == 404
    assert page.request.get(f"/api/v1/documents/{document_id}/file").status == 404


def test_a_forged_form_is_refused_and_changes_nothing(page, clerk, waiting_invoice, sign_in):
    api, document_id, invoice = waiting_invoice
    sign_in(page, clerk)
    page.goto(f"/review/{document_id}")
    page.locator("#field-invoice_number").fill("FORGED-1")
    page.locator("input[name=csrf_token]").evaluate("input => input.value = 'forged'")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Approve").click()
    assert answer.value.status == 403
    expect(page.get_by_role("alert")).to_contain_text("The form expired")
    no_token = page.request.post(f"/review/{document_id}", form={"decision": "reject"}, max_redirects=0)
    assert no_token.status == 403
    odd_token = page.request.post(f"/review/{document_id}", form={"decision": "reject", "csrf_token": "é"},
                                  max_redirects=0)
    assert odd_token.status == 403
    _unchanged(api, document_id, invoice)


def test_a_value_that_is_not_an_amount_is_shown_again_with_the_reason(page, clerk, waiting_invoice, sign_in):
    api, document_id, invoice = waiting_invoice
    sign_in(page, clerk)
    page.goto(f"/review/{document_id}")
    page.locator("#field-total_amount").fill("abc")
    page.locator("#field-invoice_number").fill("INV-TYPED")
    page.locator("#field-due_date").fill("next week")
    page.get_by_label("Comment").fill("checked with the vendor")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Approve").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_contain_text("total_amount: 'abc' is not an amount")
    total = page.locator("#field-total_amount")
    expect(total).to_have_value("abc")
    expect(total).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#problem-total_amount")).to_contain_text("is not an amount")
    expect(page.locator("#problem-due_date")).to_contain_text("is not a date")
    expect(page.locator("#field-due_date")).to_be_focused()
    expect(page.locator("#field-invoice_number")).to_have_value("INV-TYPED")
    expect(page.get_by_label("Comment")).to_have_value("checked with the vendor")
    expect(page.locator("h1 .status")).to_have_text("Needs review")
    _unchanged(api, document_id, invoice)


def test_the_form_works_without_javascript(page_without_js, clerk, waiting_invoice, sign_in):
    api, document_id, _ = waiting_invoice
    page = page_without_js
    sign_in(page, clerk)
    page.goto(f"/review/{document_id}")
    page.get_by_label("Comment").fill("ask the vendor for a PO")
    page.get_by_role("button", name="Return").click()
    expect(page.locator(".flash")).to_have_text("Document returned to the queue.")
    document = _document(api, document_id)
    assert document["status"] == "needs_review"
    assert any("ask the vendor for a PO" in reason for reason in document["review_reasons"])


def test_queue_moves_with_j_and_k_and_opens_with_enter(page, clerk, client_for, run_jobs, sign_in):
    api = client_for(clerk)
    first = upload_invoice(api, SampleInvoice(invoice_number="INV-1"))
    second = upload_invoice(api, SampleInvoice(invoice_number="INV-2"))
    run_jobs()
    sign_in(page, clerk)
    rows = page.locator("#queue tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_attribute("aria-selected", "true")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_attribute("aria-selected", "true")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(f"/review/{second['id']}$"))
    page.go_back()
    rows.nth(0).locator("td.when").click()
    expect(page).to_have_url(re.compile(f"/review/{first['id']}$"))


def test_failed_document_shows_its_reason_and_can_be_processed_again(page, clerk, client_for, run_jobs, sign_in):
    api = client_for(clerk)
    broken = upload(api, b"%PDF-1.4\n1 0 obj garbage\n%%EOF", filename="broken.pdf")
    run_jobs()
    reason = _document(api, broken["id"])["failure_reason"]
    assert reason

    sign_in(page, clerk)
    failed = page.locator("#failed tbody tr").filter(has_text="broken.pdf")
    expect(failed).to_contain_text(reason)
    failed.get_by_role("link", name="broken.pdf").click()
    expect(page.locator(".failure-panel")).to_contain_text(reason)
    expect(page.locator("h1 .status")).to_have_text("Failed")
    page.get_by_role("button", name="Process again").click()
    expect(page.locator("h1 .status")).to_have_text("Received")
    expect(page.locator(".failure-panel")).to_have_count(0)

    relay_pending()  # the page's own relay runs after its response; make sure the job is queued
    run_jobs()
    page.reload()
    expect(page.locator(".failure-panel")).to_contain_text(reason)


def test_an_unknown_vendor_is_created_from_the_review_page_in_one_click(page, clerk, waiting_invoice, sign_in):
    api, document_id, invoice = waiting_invoice
    sign_in(page, clerk)
    page.goto(f"/review/{document_id}")
    button = page.locator("#create-vendor button")
    expect(button).to_have_text(f"Create vendor {invoice.vendor_name} (tax ID {invoice.vendor_tax_id})")
    button.click()
    expect(page).to_have_url(re.compile(f"/review/{document_id}$"))
    expect(page.locator(".vendor-match")).to_contain_text(f"tax ID {invoice.vendor_tax_id} matches {invoice.vendor_name}")
    assert _document(api, document_id)["vendor"]["vendor_name"] == invoice.vendor_name
    assert [v["name"] for v in api.get("/api/v1/vendors").json()["items"]] == [invoice.vendor_name]
