"""The vouchers API."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting import service
from posting.schemas import VoucherList, VoucherOut

router = APIRouter(prefix="/api/v1/vouchers", tags=["vouchers"], responses=API_ERRORS)


@router.get("", response_model=VoucherList)
def list_vouchers(principal: CurrentPrincipal, session: SessionDep, status: str | None = None,
                  limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> VoucherList:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    rows, next_cursor = service.list_vouchers(session, principal, status=status, limit=limit, cursor=cursor)
    return VoucherList(items=[VoucherOut.of(v) for v in rows], next_cursor=next_cursor)


@router.get("/{voucher_id}", response_model=VoucherOut, responses=error_responses(404))
def get_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> VoucherOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return VoucherOut.of(service.get_voucher(session, principal, voucher_id))


@router.post("/{voucher_id}/approve", response_model=VoucherOut, responses=error_responses(404, 409))
def approve_voucher(voucher_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> VoucherOut:
    principal.require(Permission.APPROVE_VOUCHERS)
    voucher = service.approve_voucher(session, service.get_voucher(session, principal, voucher_id), principal)
    return VoucherOut.of(voucher)
