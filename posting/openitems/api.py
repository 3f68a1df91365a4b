"""The open items API: what posted vouchers leave owing, for bank matching. Staff and auditors read."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.openitems import service
from posting.openitems.schemas import OpenItemList, OpenItemOut

router = APIRouter(prefix="/api/v1/open-items", tags=["open-items"], responses=API_ERRORS)
Status = Literal["open", "partially_paid", "cleared", "cancelled"]


@router.get("", response_model=OpenItemList, responses=error_responses(422))
def list_open_items(principal: CurrentPrincipal, session: SessionDep, status: Status | None = None,
                    vendor_id: uuid.UUID | None = None,
                    currency: Annotated[str | None, Query(description="ISO 4217, e.g. EUR")] = None,
                    due_before: Annotated[date | None, Query(description="Due before this day")] = None,
                    limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> OpenItemList:
    """Newest first."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    rows, next_cursor = service.list_open_items(session, principal, status=status, vendor_id=vendor_id,
                                                currency=currency, due_before=due_before, limit=limit, cursor=cursor)
    return OpenItemList(items=[OpenItemOut.of(item) for item in rows], next_cursor=next_cursor)


@router.get("/{item_id}", response_model=OpenItemOut, responses=error_responses(404))
def get_open_item(item_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> OpenItemOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return OpenItemOut.of(service.get_open_item(session, principal, item_id))
