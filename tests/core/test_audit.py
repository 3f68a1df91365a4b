"""The audit chain: appended in order per company, and any changed, removed or reordered row is detected."""

from __future__ import annotations

from sqlalchemy import select, text

from core import audit
from core.audit import AuditEvent, verify_chain
from core.db import transaction
from ledgerdesk.admin import get_or_create_company


def _record_three(company_id) -> None:
    for number in range(3):
        with transaction() as session:
            audit.record(session, company_id=company_id, actor="user:a@b.test", action="thing.done",
                         entity_type="thing", entity_id=f"t{number}", data={"amount": "12.30", "n": number})


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
