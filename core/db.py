"""Database engine, sessions and the declarative base shared by all models."""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, Numeric, create_engine, event, make_url
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

from core.errors import NotFound
from core.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC timestamp on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use core.db.utcnow()")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


Money = Numeric(18, 2, asdecimal=True)
"""Column type for amounts: always ``Decimal`` with two places."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), Decimal: Money}


class IdMixin:
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


READ_ONLY = "ledgerdesk_read_only"
"""Execution option of read-only transactions: no write lock, and the database refuses writes in them."""

WRITE_LOCK_WAIT_SECONDS = 30.0


class DatabaseBusy(Exception):
    """No write turn came within ``WRITE_LOCK_WAIT_SECONDS`` (a writer holds the database far too long)."""


DATABASE_DOWN: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout, DatabaseBusy)
"""What the database layer raises when it cannot be reached, refuses a connection or is too busy to answer in time."""


class FifoLock:
    """A thread lock handed to its waiters in the order they came, so no writer waits behind later ones."""

    def __init__(self):
        self._guard = threading.Lock()
        self._waiting: deque[threading.Event] = deque()
        self._held = False

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            turn = threading.Event()
            self._waiting.append(turn)
        if turn.wait(timeout):
            return True
        with self._guard:
            if turn.is_set():  # handed over just as the wait ran out
                return True
            self._waiting.remove(turn)
            return False

    def release(self) -> None:
        with self._guard:
            if self._waiting:
                self._waiting.popleft().set()  # the lock passes straight to the longest waiter
            else:
                self._held = False


class WriteLock:
    """One SQLite writer at a time, across the threads of a process and across processes.

    Waiting writers queue in order on a thread lock and on ``flock`` of a file beside the database, so the
    next one goes at once; SQLite's own busy handler would poll with growing sleeps instead.
    """

    def __init__(self, path: Path):
        self.path = path
        self._threads = FifoLock()
        self._fd: int | None = None

    def forget_parent(self) -> None:
        """In a forked child: drop the parent's descriptor and thread lock, and take turns on its own."""
        if self._fd is not None:
            os.close(self._fd)
        self._threads, self._fd = FifoLock(), None

    def acquire(self) -> None:
        if not self._threads.acquire(WRITE_LOCK_WAIT_SECONDS):
            raise DatabaseBusy(f"no write turn on {self.path.name} within {WRITE_LOCK_WAIT_SECONDS:.0f} s")
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


_WRITE_LOCKS: dict[Path, WriteLock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def write_lock_for(database: Path) -> WriteLock:
    """The one write lock of this process for the SQLite file ``database``."""
    path = Path(f"{database.resolve()}.writelock")
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(path, WriteLock(path))


def _configure_sqlite(engine: Engine, lock: WriteLock) -> None:
    """WAL and foreign keys; writers take turns through ``lock``, readers never wait."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")  # only writers outside ledgerdesk (a backup, a shell) wait here
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        read_only = bool(connection.get_execution_options().get(READ_ONLY))
        _set_query_only(connection, read_only)
        if read_only:
            connection.exec_driver_sql("BEGIN")
            return
        if not connection.info.get("holds_write_lock"):
            lock.acquire()
            connection.info["holds_write_lock"] = True
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine.pool, "checkin")
    def _on_checkin(_dbapi_connection, record):
        if record is not None and record.info.pop("holds_write_lock", False):
            lock.release()  # after COMMIT or ROLLBACK: the connection is back in the pool


def _set_query_only(connection, read_only: bool) -> None:
    if connection.info.get("query_only", False) != read_only:
        connection.exec_driver_sql(f"PRAGMA query_only={int(read_only)}")
        connection.info["query_only"] = read_only


def make_engine(url: str) -> Engine:
    """An engine for ``url`` with the per-backend settings ledgerdesk relies on."""
    if url.startswith("sqlite"):
        database = _create_sqlite_parent(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine, write_lock_for(Path(database)))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _create_sqlite_parent(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise ValueError("ledgerdesk needs a SQLite file, not an in-memory database")
    Path(database).parent.mkdir(parents=True, exist_ok=True)
    return database


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    return make_engine(get_settings().resolved_database_url)


def _after_fork_in_child() -> None:
    """A forked process (an rq work horse) opens its own connections and takes its own write turns."""
    if get_engine.cache_info().currsize:
        get_engine().dispose(close=False)
    for lock in _WRITE_LOCKS.values():
        lock.forget_parent()


os.register_at_fork(after_in_child=_after_fork_in_child)


@lru_cache
def get_session_factory(read_only: bool = False) -> sessionmaker[Session]:
    engine = get_engine()
    if read_only:
        engine = engine.execution_options(**{READ_ONLY: True, "postgresql_readonly": True})
    return sessionmaker(bind=engine, expire_on_commit=False)


@lru_cache
def _ignoring_conflicts(dialect_name: str, table, returning: tuple[str, ...]):
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing()
    return statement.returning(*(table.c[name] for name in returning)) if returning else statement


def insert_ignoring_conflicts(session: Session, model: type[Base], returning: tuple[str, ...] = ()):
    """``INSERT ... ON CONFLICT DO NOTHING`` for the session's database, built once: run it with the row as
    parameters. A row that would break a unique constraint is skipped instead of failing the transaction;
    ``returning`` columns tell whether it was (no row comes back)."""
    return _ignoring_conflicts(session.get_bind().dialect.name, model.__table__, returning)


def company_row(session: Session, model: type[Base], row_id: uuid.UUID, company_id: uuid.UUID, what: str) -> Any:
    """The row ``row_id`` of ``model`` when it belongs to the company; else ``NotFound`` ("<what> <id> does not
    exist."): for a caller, another company's rows do not exist."""
    row = session.get(model, row_id)
    if row is None or row.company_id != company_id:
        raise NotFound(f"{what} {row_id} does not exist.")
    return row


@contextmanager
def transaction(*, read_only: bool = False) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error. Only boundaries use this.

    A ``read_only`` one takes no write turn on SQLite and is refused any change by either database.
    """
    session = get_session_factory(read_only)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def reset_engine_cache() -> None:
    """Forget the cached engine (tests and ``ledgerdesk up`` children re-read settings)."""
    if get_engine.cache_info().currsize:
        get_engine().dispose()
    get_engine.cache_clear()
    get_session_factory.cache_clear()
