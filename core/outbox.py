"""Transactional outbox: jobs are written with the change that needs them and enqueued after commit."""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text, false, func, insert, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import queue
from core.db import Base, IdMixin, TimestampMixin, transaction, utcnow

log = logging.getLogger(__name__)


class OutboxMessage(IdMixin, TimestampMixin, Base):
    """A job that must reach the queue; ``enqueued_at`` is set once it did."""

    __tablename__ = "outbox"

    job_name: Mapped[str] = mapped_column(String(100))
    queue_name: Mapped[str] = mapped_column(String(50), default=queue.DEFAULT_QUEUE,
                                            server_default=queue.DEFAULT_QUEUE)
    at_front: Mapped[bool] = mapped_column(default=False, server_default=false())
    args: Mapped[list[Any]] = mapped_column(JSON)
    job_id: Mapped[str] = mapped_column(String(200), index=True)
    enqueued_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


_INSERT_MESSAGE = insert(OutboxMessage.__table__)


def stage_job(session: Session, job_name: str, args: list[Any], job_id: str,
              queue_name: str = queue.DEFAULT_QUEUE, *, at_front: bool = False) -> None:
    """Record a job in the caller's transaction; it is enqueued only once that commits (``at_front``: ahead
    of everything waiting)."""
    session.execute(_INSERT_MESSAGE, {"id": uuid.uuid4(), "job_name": job_name, "queue_name": queue_name,
                                      "at_front": at_front, "args": args, "job_id": job_id, "created_at": utcnow(),
                                      "attempts": 0})


def relay_pending(limit: int = 200) -> int:
    """Move outbox rows that have not reached the queue onto it, in one round trip. Returns how many."""
    with transaction(read_only=True) as session:
        if not pending_count(session):
            return 0  # the common case for the sweeper: no write turn needed
    return _relay(limit)


def _relay(limit: int = 200) -> int:
    """Rows are locked while they are enqueued (``SKIP LOCKED`` on PostgreSQL, the write turn on SQLite), so
    the post-commit relays and the periodic sweeper never enqueue one row twice."""
    with transaction() as session:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.queue_name, OutboxMessage.job_name, OutboxMessage.args,
                   OutboxMessage.job_id, OutboxMessage.at_front)
            .where(OutboxMessage.enqueued_at.is_(None)).order_by(OutboxMessage.created_at).limit(limit)
            .with_for_update(skip_locked=True)).all()
        if not rows:
            return 0
        outcome = _enqueue_all(rows)
        session.execute(update(OutboxMessage).where(OutboxMessage.id.in_([row.id for row in rows]))
                        .values(attempts=OutboxMessage.attempts + 1, **outcome))
        return len(rows) if outcome["enqueued_at"] else 0


def _enqueue_all(rows) -> dict[str, Any]:
    """The columns that record how handing ``rows`` to the queue went."""
    try:
        queue.enqueue_batch([queue.QueuedCall(r.queue_name, r.job_name, list(r.args), r.job_id, r.at_front)
                             for r in rows])
    except queue.QUEUE_DOWN as exc:
        log.warning("queue unreachable, %d job(s) stay in the outbox: %s", len(rows), exc)
        return {"enqueued_at": None, "last_error": f"{type(exc).__name__}: {exc}"}
    return {"enqueued_at": utcnow(), "last_error": None}


_relaying = threading.Lock()
_more_to_relay = threading.Event()


def relay_after_commit() -> None:
    """Move just-committed jobs to the queue. Calls that overlap in one process coalesce into one relay,
    so a burst of uploads costs a few relays, not one each (run it after the response, as a background task)."""
    _more_to_relay.set()
    while _more_to_relay.is_set() and _relaying.acquire(blocking=False):
        try:
            _more_to_relay.clear()
            _relay()
        except Exception:  # the sweeper moves whatever this missed
            log.exception("relaying the outbox after a commit failed; the scheduler will retry")
        finally:
            _relaying.release()


def pending_job_ids(session: Session, job_ids: list[str]) -> set[str]:
    """Those of ``job_ids`` still waiting in the outbox (not yet handed to the queue)."""
    query = select(OutboxMessage.job_id).where(OutboxMessage.job_id.in_(job_ids), OutboxMessage.enqueued_at.is_(None))
    return set(session.scalars(query))


def pending_count(session: Session) -> int:
    """How many jobs are waiting in the outbox for the queue."""
    return session.scalar(select(func.count()).where(OutboxMessage.enqueued_at.is_(None))) or 0
