"""Queries of approval routes and of what approving a voucher looks at, every one scoped by company; and storing a
route in its row."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.identity import User
from core.pagination import page_of, paginate
from models import (ApprovalDecision, ApprovalRoute, CostCentre, Document, ReviewTask, Vendor, Voucher,
                    VoucherApproval, VoucherStatus)
from posting.approvals.duties import Hands
from posting.approvals.records import Directory
from posting.approvals.routes import Conditions, RouteSpec, Step, VoucherFacts


def spec_of(row: ApprovalRoute) -> RouteSpec:
    """The plain route of a row."""
    return RouteSpec(row.code, row.name, row.position, row.active, Conditions.of(row.conditions or {}),
                     tuple(Step.of(step) for step in row.steps or ()))


def store(session: Session, company_id: uuid.UUID, row: ApprovalRoute | None, route: RouteSpec) -> ApprovalRoute:
    """Write ``route`` into ``row`` (a new row when None)."""
    if row is None:
        row = ApprovalRoute(id=uuid.uuid4(), company_id=company_id)
        session.add(row)
    row.code, row.name, row.position, row.active = route.code, route.name, route.position, route.active
    row.conditions, row.steps = route.conditions.as_json(), [step.as_json() for step in route.steps]
    return row


def company_routes(session: Session, company_id: uuid.UUID) -> list[ApprovalRoute]:
    """The company's routes in the order they are tried."""
    query = select(ApprovalRoute).where(ApprovalRoute.company_id == company_id)
    return list(session.scalars(query.order_by(ApprovalRoute.position, ApprovalRoute.code)))


def route_by_code(session: Session, company_id: uuid.UUID, code: str) -> ApprovalRoute | None:
    query = select(ApprovalRoute).where(ApprovalRoute.company_id == company_id, ApprovalRoute.code == code)
    return session.scalars(query).first()


def vouchers_on(session: Session, route: ApprovalRoute) -> int:
    """How many vouchers were sent on the route."""
    query = select(func.count()).where(Voucher.company_id == route.company_id, Voucher.approval_route_id == route.id)
    return session.scalar(query)


def directory(session: Session, company_id: uuid.UUID) -> Directory:
    """The company's active users, vendors and active cost centres, as routes name them."""
    users = session.execute(select(User.email, User.role).where(User.company_id == company_id, User.is_active))
    vendors = session.execute(select(Vendor.id, Vendor.name).where(Vendor.company_id == company_id))
    centres = select(CostCentre.code).where(CostCentre.company_id == company_id, CostCentre.active)
    return Directory({email.lower(): role for email, role in users},
                     {key: name for vendor_id, name in vendors for key in (str(vendor_id), name)},
                     frozenset(session.scalars(centres)))


def voucher_facts(session: Session, document: Document, voucher: Voucher, base_currency: str) -> VoucherFacts:
    """What route conditions look at: the voucher's total in the company's currency, its document's type and
    vendor, its lines' cost centres."""
    vendor = session.get(Vendor, document.vendor_id) if document.vendor_id else None
    total = sum((line.base_debit for line in voucher.lines), Decimal("0.00"))
    return VoucherFacts(total, voucher.base_currency or base_currency,
                        document.doc_type, vendor.name if vendor else None,
                        frozenset(line.cost_centre_code for line in voucher.lines if line.cost_centre_code))


def hands_on(session: Session, company_id: uuid.UUID, vouchers: Iterable[Voucher]) -> dict[uuid.UUID, Hands]:
    """Who has had a hand in each voucher (by voucher id): its document's uploader and reviewers, its approvers. Read
    from the database, not from what the session holds: a decision committed meanwhile counts."""
    vouchers = list(vouchers)
    document_ids = {voucher.document_id for voucher in vouchers}
    query = select(Document.id, Document.uploaded_by_id).where(Document.company_id == company_id,
                                                              Document.id.in_(document_ids))
    uploaders = {document_id: user_id for document_id, user_id in session.execute(query)}
    reviewers = _reviewers(session, company_id, document_ids)
    approvers = _approvers(session, company_id, {voucher.id for voucher in vouchers})
    return {voucher.id: Hands(uploaders.get(voucher.document_id), reviewers.get(voucher.document_id, frozenset()),
                              approvers.get(voucher.id, ()))
            for voucher in vouchers}


def _approvers(session: Session, company_id: uuid.UUID,
               voucher_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[tuple[int, uuid.UUID], ...]]:
    """``(step, user)`` of each step approved, by voucher."""
    query = select(VoucherApproval.voucher_id, VoucherApproval.step, VoucherApproval.user_id).where(
        VoucherApproval.company_id == company_id, VoucherApproval.voucher_id.in_(voucher_ids),
        VoucherApproval.decision == ApprovalDecision.APPROVE)
    grouped = _grouped((voucher_id, (step, user_id)) for voucher_id, step, user_id in session.execute(query))
    return {voucher_id: tuple(steps) for voucher_id, steps in grouped.items()}


def _reviewers(session: Session, company_id: uuid.UUID,
               document_ids: set[uuid.UUID]) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """The users who decided a review of each document with ``approve``."""
    query = select(ReviewTask.document_id, ReviewTask.decided_by_id).where(
        ReviewTask.company_id == company_id, ReviewTask.document_id.in_(document_ids), ReviewTask.decision == "approve",
        ReviewTask.decided_by_id.is_not(None))
    return {document_id: frozenset(users) for document_id, users in _grouped(session.execute(query)).items()}


def _grouped(pairs: Iterable[tuple[uuid.UUID, Any]]) -> dict[uuid.UUID, list[Any]]:
    found: dict[uuid.UUID, list[Any]] = {}
    for key, value in pairs:
        found.setdefault(key, []).append(value)
    return found


def waiting_page(session: Session, company_id: uuid.UUID, *, limit: int,
                 cursor: str | None) -> tuple[list[tuple[Voucher, Document]], str | None]:
    """A page of the company's vouchers waiting at a step of their route, newest first, with their documents."""
    query = (select(Voucher, Document).join(Document, Document.id == Voucher.document_id)
             .where(Voucher.company_id == company_id, Voucher.status == VoucherStatus.DRAFT,
                    Voucher.approval_step.is_not(None)))
    rows = [tuple(row) for row in session.execute(paginate(query, Voucher, limit=limit, cursor=cursor))]
    page, next_cursor = page_of([voucher for voucher, _ in rows], limit)
    return rows[:len(page)], next_cursor
