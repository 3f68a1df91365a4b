"""The reconciliation page end to end: invoices posted by posting's services, a statement imported through the API
and matched by a real rq worker, then a clerk decides in a real Chromium with the keyboard; the API checks the
result."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.posting.documents import as_principal
from tests.reconciliation.ledger import (NORTHWIND_IBAN, import_statement, item_state, payment, posted_invoice,
                                         vendor)

pytestmark = pytest.mark.browser


@pytest.fixture
def clerk(make_user):
    return make_user("clerk")


@pytest.fixture
def matched_statement(company, make_user, clerk, client_for, run_jobs):
    """One automatic match, two suggestions and a line nothing fits: (api client, statement, items by number)."""
    approver = as_principal(make_user("approver"))
    northwind = vendor(company.id, "Northwind GmbH", NORTHWIND_IBAN)
    items = {number: posted_invoice(company.id, approver, northwind, number, total)
             for number, total in (("INV-1042", "1190.00"), ("INV-2077", "80.00"), ("INV-3033", "45.00"))}
    api = client_for(clerk)
    statement = import_statement(api, payment("80.00", iban=None, name="Cash desk", booked=date(2026, 4, 1)),
                                 payment("45.00", iban=None, name=None, booked=date(2026, 4, 2)),
                                 payment("1190.00", "Invoice INV-1042", booked=date(2026, 4, 3)),
                                 payment("12.34", "Card fee", iban=None, name=None, booked=date(2026, 4, 4)))
    run_jobs()
    return api, statement, items


def _status_of(api, statement: dict, item_id) -> str:
    found = api.get(f"/api/v1/bank-statements/{statement['id']}/matches").json()["items"]
    return next(match["status"] for match in found if match["open_item_ids"] == [str(item_id)])


def test_a_clerk_confirms_and_undoes_matches_with_the_keyboard(page, clerk, matched_statement, sign_in):
    api, statement, items = matched_statement
    sign_in(page, clerk)
    page.get_by_role("link", name="Reconciliation").click()
    expect(page).to_have_url(re.compile(r"/reconciliation$"))
    suggestions = page.locator("#suggestions tbody tr")
    expect(suggestions).to_have_count(2)
    expect(suggestions.first).to_contain_text("Cash desk")
    expect(suggestions.first).to_contain_text("INV-2077 · Northwind GmbH · 80.00 of 80.00 open")
    expect(suggestions.first.locator(".reasons")).to_contain_text("amount 80.00 equals the open amount of INV-2077")
    expect(page.locator("#automatic tbody tr")).to_contain_text("reference INV-1042 in the remittance")
    expect(page.locator("#unmatched tbody tr")).to_contain_text("Card fee")
    expect(suggestions.first).to_have_attribute("aria-selected", "true")

    page.keyboard.press("?")
    expect(page.locator("#keys-help")).to_be_visible()
    expect(page.locator("#keys-help")).to_contain_text("confirm the selected suggestion")
    page.keyboard.press("Escape")
    expect(page.locator("#keys-help")).to_be_hidden()

    page.keyboard.press("c")
    expect(page.locator(".flash")).to_have_text("Match confirmed: its clearing voucher is posted.")
    assert _status_of(api, statement, items["INV-2077"]) == "confirmed"
    assert item_state(items["INV-2077"]) == ("cleared", "0.00")

    expect(page.locator("#suggestions tbody tr")).to_have_count(1)
    page.keyboard.press("j")
    expect(page.locator("#automatic tbody tr")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#automatic tbody tr")).to_be_focused()
    page.keyboard.press("r")
    expect(page.locator(".flash")).to_contain_text("Match rejected")
    assert _status_of(api, statement, items["INV-1042"]) == "rejected"
    assert item_state(items["INV-1042"]) == ("open", "1190.00")
    expect(page.locator("#unmatched tbody tr")).to_have_count(2)
    expect(page.locator("#automatic")).to_have_count(0)


def test_the_buttons_work_without_javascript(page_without_js, clerk, matched_statement, sign_in):
    api, statement, items = matched_statement
    sign_in(page_without_js, clerk)
    page_without_js.goto("/reconciliation")
    page_without_js.locator("#suggestions tbody tr").nth(1).get_by_role("button", name="Reject").click()
    expect(page_without_js.locator(".flash")).to_contain_text("Match rejected")
    assert _status_of(api, statement, items["INV-3033"]) == "rejected"
    assert item_state(items["INV-3033"]) == ("open", "45.00")


def test_a_refused_decision_shows_why_on_the_page(page, clerk, matched_statement, sign_in, client_for):
    api, statement, items = matched_statement
    sign_in(page, clerk)
    page.goto("/reconciliation")
    found = api.get(f"/api/v1/bank-statements/{statement['id']}/matches", params={"status": "suggested"}).json()
    first = next(match for match in found["items"] if match["open_item_ids"] == [str(items["INV-2077"])])
    assert api.post(f"/api/v1/matches/{first['id']}/reject").status_code == 200  # decided elsewhere meanwhile
    page.locator("#suggestions tbody tr").first.get_by_role("button", name="Confirm").click()
    expect(page.locator(".error")).to_contain_text(f"Match {first['id']} is rejected")


def test_the_page_is_for_those_who_reconcile(page, make_user, sign_in):
    approver = make_user("approver")
    sign_in(page, approver)
    expect(page.get_by_role("link", name="Reconciliation")).to_have_count(0)
    page.goto("/reconciliation")
    expect(page.locator("h1")).to_have_text("Not allowed")
