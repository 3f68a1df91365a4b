"""The review pages with approval routes, through the real app's forms (a signed-in browser-like client): the clerk's
approval sends the voucher to its route, an approver finds it in the queue, sees the route and the step it waits at,
approves or rejects it there; whoever may not approve the step is told why."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer

from core.auth import SESSION_COOKIE
from core.identity import User
from tests.conftest import PASSWORD
from tests.posting.documents import route, stored_document, voucher_of

INVOICE = {"invoice_number": "INV-9", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "10000.00",
           "tax_amount": "2400.00", "tax_rate": "24", "total_amount": "12400.00", "currency": "EUR"}


@pytest.fixture
def sign_in(app):
    """``sign_in(user)``: a client holding the user's session cookie, and the form token of their pages (read from
    the cookie, which is signed, not encrypted)."""

    def _sign_in(user: User) -> tuple[TestClient, str]:
        browser = TestClient(app, follow_redirects=False)
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 303
        _, payload = URLSafeTimedSerializer("only-reading").loads_unsafe(browser.cookies[SESSION_COOKIE])
        return browser, payload["csrf"]

    return _sign_in


@pytest.fixture
def waiting(company, make_user, client_for, sign_in):
    """An invoice on a two-step route (an approver, then the CFO), reviewed on its page by the clerk who uploaded
    it; the people, signed in."""
    clerk, approver, cfo = make_user("clerk"), make_user("approver"), make_user("admin")
    client_for(make_user("accountant")).post("/api/v1/approval-routes", json={
        "code": "OVER10K", "name": "Over 10k", "position": 1, "conditions": {"amount_min": "10000"},
        "steps": [{"name": "Finance", "role": "approver"}, {"name": "CFO", "users": [cfo.email]}]})
    document_id = stored_document(company.id, uploaded_by=clerk.id, **INVOICE)
    route(document_id)
    browser, token = sign_in(clerk)
    reviewed = browser.post(f"/review/{document_id}", data={"decision": "approve", "csrf_token": token})
    assert reviewed.headers["location"] == "/review?done=awaiting_approval"
    assert "Its voucher waits for the steps of its approval route." in browser.get(reviewed.headers["location"]).text
    return {"document_id": document_id, "clerk": browser, "approver": sign_in(approver), "cfo": sign_in(cfo)}


def test_an_approver_finds_the_voucher_approves_its_step_and_the_next_approver_posts_it(waiting):
    document_id = waiting["document_id"]
    approver, token = waiting["approver"]
    queue = approver.get("/review").text
    assert "Waiting for your approval" in queue and f'href="/review/{document_id}"' in queue and "1. Finance" in queue
    page = approver.get(f"/review/{document_id}").text
    assert "Approval route <strong>Over 10k</strong>: waits for step 1" in page and "Approve step 1" in page
    done = approver.post(f"/review/{document_id}/approval",
                         data={"decision": "approve", "step": "1", "comment": "fine", "csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/review?done=step_approved"
    assert voucher_of(document_id).approval_step == 2
    assert "Waiting for your approval" not in approver.get("/review").text

    cfo, cfo_token = waiting["cfo"]
    assert "Approve step 2" in cfo.get(f"/review/{document_id}").text
    cfo.post(f"/review/{document_id}/approval", data={"decision": "approve", "step": "2", "csrf_token": cfo_token})
    assert voucher_of(document_id).status == "posted"


def test_who_may_not_approve_the_step_is_told_why_and_sees_no_buttons(waiting):
    document_id = waiting["document_id"]
    clerk_page = waiting["clerk"].get(f"/review/{document_id}").text
    assert "You cannot approve this step: step 1 &#39;Finance&#39; is for role approver." in clerk_page
    assert "Approve step 1" not in clerk_page
    assert "waits for step 1" in waiting["cfo"][0].get(f"/review/{document_id}").text
    assert "Approve step" not in waiting["cfo"][0].get(f"/review/{document_id}").text


def test_a_rejection_needs_a_reason_and_sends_the_document_back_to_review(waiting):
    document_id = waiting["document_id"]
    approver, token = waiting["approver"]
    refused = approver.post(f"/review/{document_id}/approval", data={"decision": "reject", "csrf_token": token})
    assert refused.status_code == 422 and "Say why you reject the voucher" in refused.text
    assert voucher_of(document_id).status == "draft"
    rejected = approver.post(f"/review/{document_id}/approval",
                             data={"decision": "reject", "step": "1", "comment": "not ours", "csrf_token": token})
    assert rejected.headers["location"] == "/review?done=step_rejected"
    queue = waiting["clerk"].get("/review").text
    assert f'href="/review/{document_id}"' in queue and "not ours" in queue
    assert voucher_of(document_id).status == "rejected"


def test_a_forged_step_decision_is_refused(waiting):
    approver, _ = waiting["approver"]
    forged = approver.post(f"/review/{waiting['document_id']}/approval", data={"decision": "approve", "step": "1",
                                                                               "csrf_token": "forged"})
    assert forged.status_code == 403 and voucher_of(waiting["document_id"]).approval_step == 1
