"""The audit chain: appended in order per company, and any changed, removed or reordered row is detected."""

from __future__ import annotations

import threading

from sqlalchemy import select, text

from core import audit
from core.audit import AuditEvent, verify_chain
from core.db import transaction
from core.identity import User
from ledgerdesk.admin import get_or_create_company


def _record_three(company_id) -> None:
    for number in range(3):
        with transaction() as session:
            audit.record(session, company_id=company_id, actor="user:a@b.test", action="thing.done",
                         entity_type="thing", entity_id=f"t{number}", data={"amount": "12.30", "n": number})
    audit.seal_pending()


def test_events_chain_per_company(company):
    other = _other_company()
    _record_three(company.id)
    _record_three(other.id)
    with transaction() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.company_id == company.id)
                                      .order_by(AuditEvent.seq)))
        assert [e.seq for e in events] == [1, 2, 3, 4]  # company creation is event 1
        assert all(later.prev_hash == earlier.hash for earlier, later in zip(events, events[1:]))
        assert verify_chain(session, company.id) == [] and verify_chain(session, other.id) == []


def _tamper_and_verify(company, statement: str):
    """Change the table behind the application's back with raw SQL, then verify the chain."""
    _record_three(company.id)
    with transaction() as session:
        company_key = company.id if session.bind.dialect.name == "postgresql" else company.id.hex
        session.execute(text(statement + " AND company_id = :c"), {"c": company_key})
    with transaction() as session:
        return verify_chain(session, company.id)


def test_a_changed_row_is_detected(company):
    problems = _tamper_and_verify(company, "UPDATE audit_events SET actor = 'user:mallory@b.test' WHERE seq = 3")
    assert [(p.seq, p.problem) for p in problems] == [(3, "content does not match its hash: the row was changed")]


def test_a_removed_row_is_detected(company):
    problems = _tamper_and_verify(company, "DELETE FROM audit_events WHERE seq = 2")
    assert {p.seq for p in problems} == {3}
    assert any("missing" in p.problem for p in problems)


def _other_company():
    with transaction() as session:
        return get_or_create_company(session, "other")


def test_events_wait_unsealed_until_the_sealer_links_them(company):
    with transaction() as session:
        audit.record(session, company_id=company.id, actor="user:a@b.test", action="thing.done",
                     entity_type="thing", entity_id="t1")
    with transaction() as session:
        newest = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == "t1")).one()
        assert newest.seq is None and newest.hash is None
    assert audit.seal_pending() >= 1
    assert audit.seal_pending() == 0
    with transaction() as session:
        newest = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == "t1")).one()
        assert newest.seq is not None and newest.hash == audit.event_hash(newest)


def test_removing_the_newest_events_is_detected(company):
    problems = _tamper_and_verify(company, "DELETE FROM audit_events WHERE seq >= 3")
    assert len(problems) == 1 and "newest events were removed" in problems[0].problem


def test_concurrent_writers_and_sealers_give_one_gapless_chain(company):
    """Writers insert a row that references the company, then record (the order that used to deadlock on
    PostgreSQL); sealers run at the same time. Every event ends in the chain exactly once."""
    writers, events_each = 8, 15
    barrier = threading.Barrier(writers + 2)
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        barrier.wait()
        for number in range(events_each):
            with transaction() as session:
                session.add(User(company_id=company.id, email=f"w{worker}-{number}@acme.test", role="clerk"))
                session.flush()
                audit.record(session, company_id=company.id, actor="user:a@b.test", action="user.created",
                             entity_type="user", entity_id=f"w{worker}-{number}")

    def keep_sealing(stop: threading.Event) -> None:
        barrier.wait()
        while not stop.is_set():
            audit.seal_pending()

    stop = threading.Event()
    threads = [_thread(errors, write, w) for w in range(writers)]
    threads += [_thread(errors, keep_sealing, stop) for _ in range(2)]
    for thread in threads[:writers]:
        thread.join(60)
    stop.set()
    for thread in threads[writers:]:
        thread.join(60)
    assert errors == []
    audit.seal_pending()
    with transaction() as session:
        seqs = session.scalars(select(AuditEvent.seq).where(AuditEvent.company_id == company.id)
                               .order_by(AuditEvent.seq)).all()
        assert seqs == list(range(1, writers * events_each + 2))  # + the company's creation
        assert verify_chain(session, company.id) == []


def _thread(errors: list[BaseException], target, *args) -> threading.Thread:
    def run() -> None:
        try:
            target(*args)
        except BaseException as error:  # reported by the test, not lost in the thread
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    return thread
