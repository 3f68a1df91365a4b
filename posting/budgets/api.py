"""The budgets API: list and read budgets with what vouchers hold of them, their movements; create, replace,
delete and import them. Staff read; accountants and admins change (``MANAGE_MASTER_DATA``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, UploadFile

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.budgets import service
from posting.budgets.schemas import BudgetEntryList, BudgetEntryOut, BudgetIn, BudgetList, BudgetOut
from posting.masterdata.api import editor
from posting.masterdata.files import file_format
from posting.masterdata.schemas import ImportResult

router = APIRouter(prefix="/api/v1/budgets", tags=["budgets"], responses=API_ERRORS)
Limit = Annotated[int, Query(ge=1, le=200)]


@router.get("", response_model=BudgetList, responses=error_responses(422))
def list_budgets(principal: CurrentPrincipal, session: SessionDep,
                 period: Annotated[str | None, Query(description="A month (2026-03) or a year (2026): the budgets "
                                                                 "of that period")] = None,
                 cost_centre: Annotated[str | None, Query(description="The budgets of this cost centre")] = None,
                 limit: Limit = 50, cursor: str | None = None) -> BudgetList:
    """Newest first, each with what drafts reserve of it, what approved vouchers consume and what is available."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    views, next_cursor = service.list_budgets(session, principal.company_id, period=period,
                                              cost_centre=cost_centre, limit=limit, cursor=cursor)
    return BudgetList(items=[BudgetOut.of(view) for view in views], next_cursor=next_cursor)


@router.post("", status_code=201, response_model=BudgetOut, responses=error_responses(400, 409, 413, 422))
def create_budget(body: BudgetIn, principal: CurrentPrincipal, session: SessionDep) -> BudgetOut:
    """``account_code``, ``period`` and ``amount`` are required; ``cost_centre_code`` null budgets every cost
    centre, ``on_exceed`` is ``warn`` unless ``block``. 409 when the account, cost centre and period have a budget."""
    return BudgetOut.of(service.create_budget(session, editor(principal), body.model_dump(exclude_unset=True)))


@router.post("/import", response_model=ImportResult, responses=error_responses(400, 413, 415, 422))
def import_budgets(principal: CurrentPrincipal, session: SessionDep, file: UploadFile,
                   format: Annotated[str | None, Form(description="csv or yaml; default: as the file's content type "
                                                                  "or name says")] = None) -> ImportResult:
    """Creates budgets and updates those of the same account, cost centre and period from every row of the file;
    any wrong row refuses the whole file (422 ``MasterDataRejected`` with every error as ``{row, field, message}``)
    and nothing is written."""
    changer = editor(principal)
    fmt = file_format(format, file.content_type, file.filename)
    return ImportResult.of(service.import_file(session, changer, file.file.read(), fmt, file.filename or ""))


@router.get("/{budget_id:uuid}", response_model=BudgetOut, responses=error_responses(404))
def get_budget(budget_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> BudgetOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return BudgetOut.of(service.get_budget(session, principal.company_id, budget_id))


@router.put("/{budget_id:uuid}", response_model=BudgetOut, responses=error_responses(400, 404, 413, 422))
def replace_budget(budget_id: uuid.UUID, body: BudgetIn, principal: CurrentPrincipal,
                   session: SessionDep) -> BudgetOut:
    """Replaces ``amount``, ``on_exceed``, ``active``, ``name`` and ``notes`` (left out: warn, active, no name, no
    notes); the account, cost centre and period cannot change (422). An amount below what vouchers hold of it is
    taken, and ``warnings`` says by how much it is overrun."""
    changer = editor(principal)
    return BudgetOut.of(service.update_budget(session, changer, budget_id, body.model_dump(exclude_unset=True)))


@router.delete("/{budget_id:uuid}", status_code=204, responses=error_responses(404, 409))
def delete_budget(budget_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Only a budget no voucher has moved; one with movements answers 409: deactivate it instead."""
    service.delete_budget(session, editor(principal), budget_id)
    return Response(status_code=204)


@router.get("/{budget_id:uuid}/entries", response_model=BudgetEntryList, responses=error_responses(404))
def list_entries(budget_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, limit: Limit = 50,
                 cursor: str | None = None) -> BudgetEntryList:
    """The budget's movements, newest first, each with its voucher: what drafts reserved and released, what
    approved vouchers consumed and reversals gave back."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    entries, next_cursor = service.list_entries(session, principal.company_id, budget_id, limit=limit, cursor=cursor)
    return BudgetEntryList(items=[BudgetEntryOut.of(entry) for entry in entries], next_cursor=next_cursor)

