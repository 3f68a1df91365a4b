"""The matching API: a statement's matches, confirming and rejecting them, matching a line by hand, matching a
statement again, and the company's reconciliation settings. Clerks, accountants and admins (``RECONCILE``); the
settings are changed by accountants and admins (``MANAGE_LEDGER``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, BackgroundTasks, Query

from core.auth import Principal
from core.outbox import relay_after_commit
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses, requires
from reconciliation.matching import service
from reconciliation.matching.schemas import (ManualMatchIn, MatchingQueued, MatchList, MatchOut, SettingsIn,
                                             SettingsOut)

router = APIRouter(prefix="/api/v1", tags=["matching"], responses=API_ERRORS)
Reconciler = Annotated[Principal, requires(Permission.RECONCILE)]
Status = Literal["auto", "suggested", "confirmed", "rejected"]


@router.get("/bank-statements/{statement_id}/matches", response_model=MatchList, responses=error_responses(404, 422))
def list_matches(statement_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                 status: Status | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 cursor: str | None = None) -> MatchList:
    """The matches of the statement's lines, newest first, each with its score and reasons."""
    rows, next_cursor = service.list_matches(session, principal, statement_id, status=status, limit=limit,
                                             cursor=cursor)
    return MatchList(items=[MatchOut.of(row) for row in rows], next_cursor=next_cursor)


@router.post("/bank-statements/{statement_id}/match", status_code=202, response_model=MatchingQueued,
             responses=error_responses(404))
def match_statement(statement_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                    background: BackgroundTasks) -> MatchingQueued:
    """Match the statement's unmatched lines again (new open items were posted, the settings changed): a worker
    does it at once; its matches appear at ``.../matches``."""
    statement, lines = service.request_matching(session, principal, statement_id)
    background.add_task(relay_after_commit)
    return MatchingQueued(statement_id=statement.id, lines=lines)


@router.get("/matches/{match_id}", response_model=MatchOut, responses=error_responses(404))
def get_match(match_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> MatchOut:
    return MatchOut.of(service.get_match(session, principal, match_id))


@router.post("/matches/{match_id}/confirm", response_model=MatchOut, responses=error_responses(404, 409, 422))
def confirm_match(match_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> MatchOut:
    """Confirm a suggestion (its clearing voucher is posted; 409 when its items were paid meanwhile or its period is
    closed) or an automatic match; the line's counterparty name and IBAN are learned as the vendor's."""
    return MatchOut.of(service.confirm(session, principal, match_id))


@router.post("/matches/{match_id}/reject", response_model=MatchOut, responses=error_responses(404, 409, 422))
def reject_match(match_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> MatchOut:
    """Decline a suggestion, or undo an automatic or confirmed match: its clearing voucher is reversed (dated today)
    and the items are open again. The line is unmatched; these items are not proposed for it again."""
    return MatchOut.of(service.reject(session, principal, match_id))


@router.post("/bank-transactions/{transaction_id}/match", status_code=201, response_model=MatchOut,
             responses=error_responses(404, 409, 413, 422))
def match_by_hand(transaction_id: uuid.UUID, body: ManualMatchIn, principal: CurrentPrincipal,
                  session: SessionDep) -> MatchOut:
    """Match a bank line to the open items it pays (oldest due first): all cleared when the amount is what is open
    of them (or within the tolerance), else the oldest cleared and the next paid in part; more is refused (422)."""
    return MatchOut.of(service.match_by_hand(session, principal, transaction_id, body.open_item_ids))


@router.get("/reconciliation/settings", response_model=SettingsOut)
def read_settings(principal: Reconciler, session: SessionDep) -> SettingsOut:
    """How lines are matched and cleared: thresholds, tolerance, date window, the accounts of clearing vouchers."""
    return SettingsOut.of(service.settings_of(session, principal.company_id))


@router.put("/reconciliation/settings", response_model=SettingsOut, responses=error_responses(400, 413, 422))
def put_settings(body: SettingsIn, principal: CurrentPrincipal, session: SessionDep) -> SettingsOut:
    """Replace the settings (accountants, admins); a setting left out takes its default. 422 naming an account that
    is not an active one of the chart."""
    return SettingsOut.of(service.change_settings(session, principal, body.model_dump()))
