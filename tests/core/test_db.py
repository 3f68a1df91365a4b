"""Transactions: reads never take a write turn and cannot write; SQLite writers queue instead of failing."""

from __future__ import annotations

import subprocess
import sys
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from core.db import get_engine, transaction
from core.identity import Company


def test_a_read_only_transaction_refuses_to_write():
    with pytest.raises(DBAPIError):
        with transaction(read_only=True) as session:
            session.add(Company(slug="sneaky", name="Sneaky"))
            session.flush()
    with transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 0


def test_a_write_after_a_read_only_transaction_on_the_same_connection_works():
    with transaction(read_only=True) as session:
        session.scalar(select(func.count()).select_from(Company))
    with transaction() as session:
        session.add(Company(slug="fine", name="Fine"))
    with transaction(read_only=True) as session:
        assert session.scalar(select(Company.slug)) == "fine"


def _sqlite_only() -> None:
    if get_engine().dialect.name != "sqlite":
        pytest.skip("the write turns are SQLite's; PostgreSQL has row locks")


def test_many_threads_writing_at_once_all_succeed():
    _sqlite_only()
    errors: list[BaseException] = []

    def write(number: int) -> None:
        try:
            for round_ in range(10):
                with transaction() as session:
                    session.add(Company(slug=f"t{number}-{round_}", name="x"))
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    with transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Company)) == 160


HOLD_A_WRITE_TURN = """
import sys, time
from core.db import transaction
from core.identity import Company
with transaction() as session:
    session.add(Company(slug="other-process", name="x"))
    session.flush()
    print("holding", flush=True)
    time.sleep(1.0)
"""


def test_a_writer_in_another_process_is_waited_for_not_failed():
    _sqlite_only()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_A_WRITE_TURN], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with transaction(read_only=True) as session:  # readers never wait for a writer
            assert session.scalar(select(func.count()).select_from(Company)) == 0
        with transaction() as session:  # our turn comes once the other process has committed
            assert session.scalar(select(Company.slug)) == "other-process"
            session.add(Company(slug="this-process", name="x"))
    finally:
        assert holder.wait(10) == 0
