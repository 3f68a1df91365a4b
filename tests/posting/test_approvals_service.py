"""posting.approvals.service with a real database: the route a drafted voucher takes is recorded with why (once, not
at every redraft), and segregation of duties sees a decision another transaction committed meanwhile."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.auth import principal_for
from core.db import get_session_factory, transaction
from core.errors import SegregationOfDuties
from core.identity import User
from models import ApprovalRoute, Document, Voucher
from posting import service as posting_service
from posting.approvals import repository
from posting.approvals.routes import Conditions, RouteSpec, Step
from review_ui import service as review_service
from tests.posting.documents import route, stored_document, voucher_of

INVOICE = {"invoice_number": "INV-9", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "10000.00",
           "tax_amount": "2400.00", "tax_rate": "24", "total_amount": "12400.00", "currency": "EUR"}
TWO_APPROVERS = RouteSpec("OVER10K", "Over 10k", 1, conditions=Conditions(amount_min=Decimal("10000.00")),
                          steps=(Step("Finance", "approver"), Step("Controller", "approver")))


def add_route(company_id, spec: RouteSpec) -> None:
    with transaction() as session:
        repository.store(session, company_id, None, spec)


def routed_events(voucher_id) -> list[dict]:
    with transaction() as session:
        return [event.data for event in session.scalars(select(AuditEvent).where(
            AuditEvent.entity_id == str(voucher_id), AuditEvent.action == "voucher.routed"))]


def test_the_route_is_recorded_with_why_when_drafted_and_not_again_when_a_redraft_keeps_it(company, make_user):
    add_route(company.id, TWO_APPROVERS)
    document_id = stored_document(company.id, **INVOICE)
    route(document_id)
    voucher = voucher_of(document_id)
    assert (voucher.approval_step, [step["name"] for step in voucher.approval_steps]) == (None, ["Finance",
                                                                                              "Controller"])
    assert routed_events(voucher.id) == [{"route": "OVER10K", "steps": 2,
                                          "why": "route 'Over 10k': amount 12,400.00 EUR >= 10,000.00; 2 steps"}]
    clerk = make_user("clerk")
    with transaction() as session:
        review_service.decide(session, principal_for(session.get(User, clerk.id)), document_id,
                              review_service.ReviewDecision("approve", {"invoice_number": "INV-9A"}))
    assert len(routed_events(voucher.id)) == 1
    with transaction() as session:
        assert session.get(Document, document_id).status == "awaiting_approval"
        assert session.get(Voucher, voucher.id).approval_step == 1
        assert session.scalars(select(ApprovalRoute)).one().code == "OVER10K"


def test_an_approval_committed_meanwhile_counts_for_segregation_of_duties(company, make_user):
    """An approver's second request read the voucher before their first one approved step 1: when its turn comes
    (after the lock), step 2 is refused to them all the same."""
    add_route(company.id, TWO_APPROVERS)
    document_id = stored_document(company.id, **INVOICE)
    route(document_id)
    clerk, approver = make_user("clerk"), make_user("approver")
    with transaction() as session:
        review_service.decide(session, principal_for(session.get(User, clerk.id)), document_id,
                              review_service.ReviewDecision("approve"))
    voucher_id = voucher_of(document_id).id
    early = get_session_factory()()
    principal = principal_for(early.get(User, approver.id))
    stale = early.get(Voucher, voucher_id)
    assert (stale.approval_step, stale.approvals) == (1, [])
    early.commit()
    with transaction() as session:
        posting_service.approve_voucher(session, session.get(Voucher, voucher_id), principal)
    with early, pytest.raises(SegregationOfDuties, match="you approved step 1 of this voucher"):
        posting_service.approve_voucher(early, stale, principal)
    assert voucher_of(document_id).approval_step == 2
