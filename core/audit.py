"""Append-only audit log, hash-chained per company.

Recording an event is a plain INSERT in the caller's transaction: it takes no lock, so any number of
requests and jobs record at once. A sealer then links the new events into the company's chain in one
ordered step: it locks the company's chain head (the first and only lock of its short transaction), gives
each event the next ``seq``, the previous event's hash and its own hash, and moves the head. ``seq`` and
``hash`` stay empty until then (a second or two: the scheduler seals continuously, verification seals first).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, event, insert, select
from sqlalchemy.orm import Mapped, Session, SessionTransaction, mapped_column

from core.db import Base, IdMixin, insert_ignoring_conflicts, transaction, utcnow
from core.pagination import page_of, paginate

GENESIS_HASH = "0" * 64
WORKER_ACTOR = "system:worker"
"""How the audit log names work done by the background workers."""
SEAL_BATCH = 1000
_REFUSALS = "audit_refusals"
"""Where a session keeps the refusals it recorded, to record them again should its transaction be rolled back."""


class AuditEvent(IdMixin, Base):
    """One thing that happened; never deleted, and never changed once sealed."""

    __tablename__ = "audit_events"
    __table_args__ = (
        UniqueConstraint("company_id", "seq"),
        Index("ix_audit_events_unsealed", "company_id", "at",
              postgresql_where="seq IS NULL", sqlite_where="seq IS NULL"),
    )

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    seq: Mapped[int | None]
    """Position in the company's chain, from 1; empty until sealed."""
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    entity_type: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class AuditChainHead(Base):
    """The newest sealed event of a company's chain; sealers take turns on this row."""

    __tablename__ = "audit_chain_heads"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), primary_key=True)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(String(64), default=GENESIS_HASH)


_INSERT_EVENT = insert(AuditEvent.__table__)
"""Built once: recording an event is the most frequent write there is."""


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
) -> None:
    """Append an event (within the caller's transaction); a sealer links it into the chain after commit."""
    session.execute(_INSERT_EVENT, {
        "id": uuid.uuid4(), "company_id": company_id, "at": utcnow(), "actor": actor, "action": action,
        "entity_type": entity_type, "entity_id": str(entity_id), "data": json.loads(json.dumps(data or {}, default=str))})


def record_refusal(session: Session, **event_values: Any) -> None:
    """Record a refusal (a budget blocking an approval): ``record``, except that the event stays even though the
    refusal rolls back everything its transaction did. Rolled back, the session records it again at once, in a
    transaction of its own."""
    record(session, **event_values)
    session.info.setdefault(_REFUSALS, []).append(event_values)


@event.listens_for(Session, "after_soft_rollback")
def _record_refusals_again(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is not None or not session.info.get(_REFUSALS):
        return  # only the rollback of the whole transaction (a savepoint's is its caller's to handle)
    for refusal in session.info.pop(_REFUSALS):
        record(session, **refusal)
    session.commit()


@event.listens_for(Session, "after_commit")
def _forget_refusals(session: Session) -> None:
    session.info.pop(_REFUSALS, None)  # committed with the rest


def seal(session: Session, company_id: uuid.UUID, limit: int = SEAL_BATCH) -> int:
    """Link up to ``limit`` unsealed events of a company into its chain, oldest first; returns how many."""
    head = _locked_head(session, company_id)
    pending = session.scalars(
        select(AuditEvent).where(AuditEvent.company_id == company_id, AuditEvent.seq.is_(None))
        .order_by(AuditEvent.at, AuditEvent.id).limit(limit)).all()
    for event in pending:
        event.seq, event.prev_hash = head.seq + 1, head.hash
        event.hash = event_hash(event)
        head.seq, head.hash = event.seq, event.hash
    session.flush()
    return len(pending)


def seal_pending() -> int:
    """Seal every company's unsealed events, each company in its own short transactions."""
    with transaction(read_only=True) as session:
        companies = session.scalars(select(AuditEvent.company_id).where(AuditEvent.seq.is_(None)).distinct()).all()
    sealed = 0
    for company_id in companies:
        while True:
            with transaction() as session:
                count = seal(session, company_id)
            sealed += count
            if count < SEAL_BATCH:
                break
    return sealed


def _locked_head(session: Session, company_id: uuid.UUID) -> AuditChainHead:
    """The company's chain head, locked for this transaction (created at the genesis if missing)."""
    query = select(AuditChainHead).where(AuditChainHead.company_id == company_id).with_for_update()
    head = session.scalars(query).first()
    if head is None:
        session.execute(insert_ignoring_conflicts(session, AuditChainHead),
                        {"company_id": company_id, "seq": 0, "hash": GENESIS_HASH})
        head = session.scalars(query).one()
    return head


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    event_id: str
    problem: str


def verify_events(events: list[AuditEvent], head: AuditChainHead | None = None) -> list[ChainProblem]:
    """Check a company's sealed events in ``seq`` order, and that the last is its head; [] means intact."""
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
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, expected_prev):
        problems.append(ChainProblem(head.seq, "", f"the chain ends at event {expected_seq - 1}, but event {head.seq} "
                                                   "was sealed last: the newest events were removed"))
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
    """Load and verify one company's whole sealed chain (seal first to include the newest events)."""
    events = session.scalars(select(AuditEvent).where(AuditEvent.company_id == company_id,
                                                      AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq))
    return verify_events(list(events), session.get(AuditChainHead, company_id))
