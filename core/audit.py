"""Append-only audit log. Each event carries the hash of the one before it, per company."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, IdMixin, utcnow
from core.identity import Company
from core.pagination import page_of, paginate

GENESIS_HASH = "0" * 64
WORKER_ACTOR = "system:worker"
"""How the audit log names work done by the background workers."""


class AuditEvent(IdMixin, Base):
    """One thing that happened; never updated or deleted."""

    __tablename__ = "audit_events"
    __table_args__ = (UniqueConstraint("company_id", "seq"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    seq: Mapped[int]
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


def event_hash(event: AuditEvent) -> str:
    """The sha256 of an event's content and its predecessor's hash."""
    content = {
        "company_id": str(event.company_id),
        "seq": event.seq,
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "data": event.data,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    *,
    company_id: uuid.UUID,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: uuid.UUID | str,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an event to the company's chain (within the caller's transaction)."""
    last = _lock_last_event(session, company_id)
    event = AuditEvent(
        company_id=company_id,
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        data=json.loads(json.dumps(data or {}, default=str)),
        prev_hash=last.hash if last else GENESIS_HASH,
    )
    event.hash = event_hash(event)
    session.add(event)
    session.flush()
    return event


def _lock_last_event(session: Session, company_id: uuid.UUID) -> AuditEvent | None:
    """The newest event, locked on PostgreSQL so concurrent appends queue (SQLite writes serialize)."""
    session.execute(select(Company.id).where(Company.id == company_id).with_for_update())
    query = select(AuditEvent).where(AuditEvent.company_id == company_id).order_by(AuditEvent.seq.desc()).limit(1)
    return session.scalars(query).first()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: str
    problem: str


def verify_events(events: list[AuditEvent]) -> list[ChainProblem]:
    """Check a company's events in ``seq`` order; an empty list means the chain is intact."""
    problems: list[ChainProblem] = []
    expected_prev, expected_seq = GENESIS_HASH, 1
    for event in events:
        if event.seq != expected_seq:
            problems.append(ChainProblem(event.seq, str(event.id), f"expected seq {expected_seq}: an event is missing"))
        if event.prev_hash != expected_prev:
            problems.append(ChainProblem(event.seq, str(event.id), "prev_hash does not match the previous event"))
        if event_hash(event) != event.hash:
            problems.append(ChainProblem(event.seq, str(event.id), "content does not match its hash: the row was changed"))
        expected_prev, expected_seq = event.hash, event.seq + 1
    return problems


def list_events(session: Session, company_id: uuid.UUID, *, entity_id: str | None, limit: int,
                cursor: str | None) -> tuple[list[AuditEvent], str | None]:
    """A company's events, newest first, optionally for one entity; with the next page's cursor."""
    query = select(AuditEvent).where(AuditEvent.company_id == company_id)
    if entity_id:
        query = query.where(AuditEvent.entity_id == entity_id)
    rows = list(session.scalars(paginate(query, AuditEvent, limit=limit, cursor=cursor, created_field="at")))
    return page_of(rows, limit, created_field="at")


def verify_chain(session: Session, company_id: uuid.UUID) -> list[ChainProblem]:
    """Load and verify one company's whole chain."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.company_id == company_id).order_by(AuditEvent.seq))
    return verify_events(list(events))
