"""The audit log API, for auditors and admins: events, and a verification of the chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from core import audit
from core.audit import AuditEvent
from core.db import transaction
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep

router = APIRouter(prefix="/api/v1/audit", tags=["audit"], responses=API_ERRORS)


class AuditEventOut(BaseModel):
    id: str
    seq: int | None
    """Position in the chain; null for a second or two, until the event is sealed."""
    at: str
    actor: str
    action: str
    entity_type: str
    entity_id: str
    data: dict[str, Any]
    hash: str | None


class AuditEventList(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None


class ChainReport(BaseModel):
    intact: bool
    problems: list[dict[str, Any]]


@router.get("/events", response_model=AuditEventList)
def list_events(principal: CurrentPrincipal, session: SessionDep, entity_id: str | None = None,
                limit: Annotated[int, Query(ge=1, le=200)] = 100, cursor: str | None = None) -> AuditEventList:
    """The company's events, newest first; ``entity_id`` narrows them to one document, voucher or user."""
    principal.require(Permission.VIEW_AUDIT)
    rows, next_cursor = audit.list_events(session, principal.company_id, entity_id=entity_id, limit=limit, cursor=cursor)
    return AuditEventList(items=[_event_out(e) for e in rows], next_cursor=next_cursor)


@router.get("/verify", response_model=ChainReport)
def verify(principal: CurrentPrincipal) -> ChainReport:
    """Seal the newest events, then recompute the company's whole hash chain."""
    principal.require(Permission.VIEW_AUDIT)
    audit.seal_pending()
    with transaction(read_only=True) as session:
        problems = audit.verify_chain(session, principal.company_id)
    return ChainReport(intact=not problems, problems=[p.__dict__ for p in problems])


def _event_out(event: AuditEvent) -> AuditEventOut:
    return AuditEventOut(id=str(event.id), seq=event.seq, at=event.at.isoformat(), actor=event.actor,
                         action=event.action, entity_type=event.entity_type, entity_id=event.entity_id,
                         data=event.data, hash=event.hash)
