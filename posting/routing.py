"""Decide whether a drafted document may go straight through or needs a person, and why."""

from __future__ import annotations

from typing import Any

CONFIDENCE_FLOOR = 0.8
UNKNOWN_EMPLOYEE = ("the employee who paid is not in the employee master (looked for by employee_id, employee_name "
                    "and the uploader)")


def review_reasons(
    *, fields: dict[str, dict[str, Any]], issues: list[dict[str, str]], vendor_known: bool, drafted: bool,
    draft_problem: str | None, employee_known: bool = True,
) -> list[str]:
    """Reasons a person must look at this document; an empty list means straight-through. ``vendor_known`` is about
    an invoice's vendor, ``employee_known`` about the employee a receipt or expense claim pays back."""
    reasons = [f"{i['severity']}: {i['message']}" for i in issues if i["severity"] in ("error", "warning")]
    if not drafted:
        reasons.append(f"no voucher: {draft_problem}")
    if not vendor_known:
        reasons.append("the vendor is not in the vendor master")
    if not employee_known:
        reasons.append(UNKNOWN_EMPLOYEE)
    reasons += [f"low confidence in {name} ({field.get('confidence', 0):.2f})" for name, field in sorted(fields.items())
                if field.get("confidence", 0) < CONFIDENCE_FLOOR]
    return reasons
