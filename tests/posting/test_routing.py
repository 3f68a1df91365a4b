"""posting.routing.review_reasons: why a person must look at a document; none means straight-through."""

from __future__ import annotations

import pytest

from posting.routing import CONFIDENCE_FLOOR, review_reasons


def field(confidence: float) -> dict:
    return {"value": "x", "confidence": confidence}


def reasons(**overrides) -> list[str]:
    arguments = {"fields": {"total_amount": field(0.9), "invoice_number": field(0.95)}, "issues": [],
                 "vendor_known": True, "drafted": True, "draft_problem": None}
    return review_reasons(**{**arguments, **overrides})


def test_a_clean_document_from_a_known_vendor_goes_straight_through():
    assert reasons() == []


def test_errors_and_warnings_are_reasons_but_info_is_not():
    issues = [{"rule": "totals_add_up", "severity": "error", "message": "the totals differ"},
              {"rule": "currency", "severity": "warning", "message": "no currency"},
              {"rule": "no_extractor", "severity": "info", "message": "entered by hand"}]
    assert reasons(issues=issues) == ["error: the totals differ", "warning: no currency"]


def test_an_unknown_vendor_is_a_reason():
    assert reasons(vendor_known=False) == ["the vendor is not in the vendor master"]


def test_no_voucher_is_a_reason_with_the_drafting_problem():
    assert reasons(drafted=False, draft_problem="no total amount was found") == [
        "no voucher: no total amount was found"]


def test_each_field_below_the_confidence_floor_is_named_in_order():
    fields = {"vendor_name": field(0.6), "total_amount": field(0.9), "currency": field(0.7),
              "invoice_date": field(CONFIDENCE_FLOOR)}
    assert reasons(fields=fields) == ["low confidence in currency (0.70)", "low confidence in vendor_name (0.60)"]


def test_a_field_without_a_confidence_counts_as_unsure():
    assert reasons(fields={"po_number": {"value": "PO-1"}}) == ["low confidence in po_number (0.00)"]


def test_all_reasons_together_in_a_stable_order():
    found = reasons(fields={"vendor_name": field(0.6)},
                    issues=[{"rule": "required", "severity": "warning", "message": "invoice_number was not found"}],
                    vendor_known=False, drafted=False, draft_problem="no total")
    assert found == ["warning: invoice_number was not found", "no voucher: no total",
                     "the vendor is not in the vendor master", "low confidence in vendor_name (0.60)"]


def test_an_employee_not_found_is_a_reason():
    assert reasons(employee_known=False) == [
        "the employee who paid is not in the employee master (looked for by employee_id, employee_name and the "
        "uploader)"]
