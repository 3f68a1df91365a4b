"""Transactional outbox: jobs are written with the change that needs them and enqueued after commit."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import redis
from sqlalchemy import JSON, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import queue
from core.db import Base, IdMixin, TimestampMixin, transaction, utcnow

log = logging.getLogger(__name__)


class OutboxMessage(IdMixin, TimestampMixin, Base):
    """A job that must reach the queue; ``enqueued_at`` is set once it did."""

    __tablename__ = "outbox"

    job_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON)
    job_id: Mapped[str] = mapped_column(String(200), index=True)
    enqueued_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def stage_job(session: Session, job_name: str, args: list[Any], job_id: str) -> OutboxMessage:
    """Record a job in the caller's transaction; it is enqueued only once that commits."""
    message = OutboxMessage(job_name=job_name, args=args, job_id=job_id)
    session.add(message)
    session.flush()
    return message


def relay_pending(limit: int = 100) -> int:
    """Move outbox rows that have not reached the queue onto it. Returns how many were enqueued.

    Rows are locked while they are enqueued (``SKIP LOCKED`` on PostgreSQL, a write lock on SQLite),
    so the post-commit flush and the periodic sweeper never enqueue one row twice.
    """
    with transaction() as session:
        pending = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.enqueued_at.is_(None))
            .order_by(OutboxMessage.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).all()
        enqueued = 0
        for message in pending:
            if not _enqueue_one(message):
                break  # the queue is down; the sweeper tries the rest later
            enqueued += 1
        return enqueued


def _enqueue_one(message: OutboxMessage) -> bool:
    message.attempts += 1
    try:
        queue.enqueue(message.job_name, list(message.args), job_id=message.job_id)
    except redis.RedisError as exc:
        message.last_error = f"{type(exc).__name__}: {exc}"
        log.warning("queue unreachable, job %s stays in the outbox: %s", message.job_id, exc)
        return False
    message.enqueued_at = utcnow()
    message.last_error = None
    return True


def is_pending(session: Session, job_id: str) -> bool:
    """Whether a job is still waiting in the outbox (not yet handed to the queue)."""
    query = select(OutboxMessage.id).where(OutboxMessage.job_id == job_id, OutboxMessage.enqueued_at.is_(None))
    return session.scalars(query.limit(1)).first() is not None


def pending_count(session: Session) -> int:
    """How many jobs are waiting in the outbox for the queue."""
    return session.scalar(select(func.count()).where(OutboxMessage.enqueued_at.is_(None))) or 0
