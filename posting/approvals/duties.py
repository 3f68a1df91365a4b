"""Segregation of duties: no one approves a step of a voucher they had a hand in. Pure: values in, a reason out.

Three hands count: uploading the document, deciding its review with ``approve`` (the clerk who confirmed the fields
and the draft), and approving an earlier step of the voucher. Each step is then someone else's eyes, so a route of
two steps always takes two approvers besides the uploader and the reviewer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class Hands:
    """Who has had a hand in a voucher so far."""

    uploaded_by: uuid.UUID | None
    reviewed_by: frozenset[uuid.UUID]
    """Every user who decided a review of its document with ``approve``."""
    approved_steps: tuple[tuple[int, uuid.UUID], ...] = ()
    """``(step, user)`` of each step approved."""


def barred_by_duties(user_id: uuid.UUID, hands: Hands, step: int) -> str | None:
    """The rule that bars ``user_id`` from approving ``step`` (``you uploaded this document``), or None."""
    if user_id == hands.uploaded_by:
        return "you uploaded this document"
    if user_id in hands.reviewed_by:
        return "you decided the review of this document"
    earlier = sorted(number for number, approver in hands.approved_steps if approver == user_id and number < step)
    if earlier:
        return f"you approved step {earlier[0]} of this voucher"
    return None
