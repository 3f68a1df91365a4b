"""The periods and posting settings API: staff read; accountants and admins close and reopen periods and change the
settings (``MANAGE_LEDGER``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from core.identity import Company
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.ledger import service
from posting.ledger.schemas import PeriodList, PeriodOut, PostingSettingsIn, PostingSettingsOut

router = APIRouter(prefix="/api/v1", tags=["periods"], responses=API_ERRORS)
Period = Annotated[str, Path(description="The month, YYYY-MM", examples=["2026-03"])]


@router.get("/periods", response_model=PeriodList)
def list_periods(principal: CurrentPrincipal, session: SessionDep,
                 year: Annotated[int | None, Query(ge=1900, le=2999, description="Default: this year")] = None
                 ) -> PeriodList:
    """The twelve months of a year, each open or closed."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    states = service.list_periods(session, principal.company_id, year or date.today().year)
    return PeriodList(items=[PeriodOut(**asdict(state)) for state in states])


@router.post("/periods/{period}/close", response_model=PeriodOut, responses=error_responses(409, 422))
def close_period(period: Period, principal: CurrentPrincipal, session: SessionDep) -> PeriodOut:
    """Nothing more is posted into the month (vouchers dated in it, reversals) until it is reopened."""
    return PeriodOut(**asdict(service.close_period(session, principal, period)))


@router.post("/periods/{period}/reopen", response_model=PeriodOut, responses=error_responses(409, 422))
def reopen_period(period: Period, principal: CurrentPrincipal, session: SessionDep) -> PeriodOut:
    return PeriodOut(**asdict(service.reopen_period(session, principal, period)))


@router.get("/posting-settings", response_model=PostingSettingsOut)
def get_posting_settings(principal: CurrentPrincipal, session: SessionDep) -> PostingSettingsOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return _settings(service.posting_settings(session, principal.company_id))


@router.patch("/posting-settings", response_model=PostingSettingsOut, responses=error_responses(400, 413))
def change_posting_settings(body: PostingSettingsIn, principal: CurrentPrincipal,
                            session: SessionDep) -> PostingSettingsOut:
    """Whether approving a voucher posts it at once (the default) or leaves it approved for ``POST .../post``."""
    company = service.change_posting_settings(session, principal, post_on_approval=body.post_on_approval)
    return _settings(company)


def _settings(company: Company) -> PostingSettingsOut:
    return PostingSettingsOut(base_currency=company.base_currency, post_on_approval=company.post_on_approval)
