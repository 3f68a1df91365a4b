"""The vouchers API: read, approve (step by step on an approval route), reject at a step, post, reverse."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting import service
from posting.budgets import service as budgets
from posting.ledger import service as ledger_service
from posting.schemas import ApproveIn, RejectIn, ReverseIn, VoucherList, VoucherOut

router = APIRouter(prefix="/api/v1/vouchers", tags=["vouchers"], responses=API_ERRORS)


@router.get("", response_model=VoucherList)
def list_vouchers(principal: CurrentPrincipal, session: SessionDep, status: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> VoucherList:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    rows, next_cursor = service.list_vouchers(session, principal, status=status, limit=limit, cursor=cursor)
    return VoucherList(items=[VoucherOut.of(v) for v in rows], next_cursor=next_cursor)


@router.get("/{voucher_id}", response_model=VoucherOut, responses=error_responses(404))
def get_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> VoucherOut:
    """With ``budget_checks``: how it stands against each budget its lines fall under."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    voucher = service.get_voucher(session, principal, voucher_id)
    return VoucherOut.of(voucher, budgets.checks_of(session, voucher))


@router.post("/{voucher_id}/approve", response_model=VoucherOut, responses=error_responses(404, 409, 413))
def approve_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                    body: ApproveIn | None = None) -> VoucherOut:
    """Approve a draft; when the company posts on approval (``post_on_approval``, the default) it is posted too,
    and a closed period refuses both (409 ``PeriodClosed``). A voucher on an approval route with steps is approved
    one step at a time, by someone the step asks for (403 otherwise) who did not upload its document, decide its
    review or approve an earlier step (403 ``SegregationOfDuties``); the last step approves the voucher."""
    principal.require(Permission.APPROVE_VOUCHERS)
    body = body or ApproveIn()
    voucher = service.get_voucher(session, principal, voucher_id)
    return VoucherOut.of(service.approve_voucher(session, voucher, principal, step=body.step, comment=body.comment))


@router.post("/{voucher_id}/reject", response_model=VoucherOut, responses=error_responses(404, 409, 413))
def reject_voucher(voucher_id: uuid.UUID, body: RejectIn, principal: CurrentPrincipal,
                   session: SessionDep) -> VoucherOut:
    """Reject a voucher at the step of its approval route it waits at (someone the step asks for): it is
    ``rejected``, and its document goes back to review with the comment as a reason; approving the document again
    drafts a new voucher. A draft that is on no route is rejected with its document's review instead (409)."""
    principal.require(Permission.APPROVE_VOUCHERS)
    voucher = service.get_voucher(session, principal, voucher_id)
    return VoucherOut.of(service.reject_at_step(session, voucher, principal, body.comment, step=body.step))


@router.post("/{voucher_id}/post", response_model=VoucherOut, responses=error_responses(404, 409))
def post_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> VoucherOut:
    """Post an approved voucher into the period of its date (409 ``PeriodClosed`` when that period is closed); each
    payable line becomes an open item. A posted voucher is never changed: it is corrected by a reversal."""
    principal.require(Permission.APPROVE_VOUCHERS)
    return VoucherOut.of(service.post_voucher(session, service.get_voucher(session, principal, voucher_id), principal))


@router.post("/{voucher_id}/reverse", status_code=201, response_model=VoucherOut,
             responses=error_responses(404, 409, 413))
def reverse_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                    body: ReverseIn | None = None) -> VoucherOut:
    """Post the reversal of a posted voucher (accountants, admins): the same lines on the other sides, dated
    ``date`` (default today) in an open period, linked both ways; the voucher's open items are cancelled and its
    document goes back to review with a new draft. Answers the reversal."""
    principal.require(Permission.MANAGE_LEDGER)
    body = body or ReverseIn()
    voucher = service.get_voucher(session, principal, voucher_id)
    return VoucherOut.of(ledger_service.reverse_voucher(session, voucher, principal, on=body.date, reason=body.reason))
