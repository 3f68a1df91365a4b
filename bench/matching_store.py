"""The matching benchmark's run through the service (``bench/matching.py``): a generated scenario stored as rows in a
fresh database of the backend (a company with the IFRS chart and a clerk; vendors; a posted voucher and its open item
per invoice; one statement with the lines), then matched as the worker matches it (``workers.matching``), each phase
timed: read, match, store (every automatic match posts its clearing voucher and settles its items).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import date

from bench.matching_data import Scenario
from bench.service import backend
from bench.vouchers import settings_in_process
from reconciliation.matching.model import Proposal


@dataclass(frozen=True)
class ServiceRun:
    lines: int
    phases: dict[str, float]
    """Seconds of each phase."""
    proposals: list[Proposal]
    """As stored (an automatic match refused meanwhile is a suggestion), by the scenario's ids."""

    @property
    def seconds(self) -> float:
        return sum(self.phases.values())

    @property
    def automatic(self) -> int:
        return sum(proposal.automatic for proposal in self.proposals)


def service_run(scenario: Scenario, database: str) -> ServiceRun:
    with backend(database) as chosen, settings_in_process(chosen.env):
        statement_id, user_id, ids = _stored(scenario)
        phases, proposals = _matched(statement_id, user_id)
    by_uuid = {value: key for key, value in ids.items()}
    return ServiceRun(len(scenario.payments), phases, [_renamed(proposal, by_uuid) for proposal in proposals])


def _matched(statement_id: uuid.UUID, user_id: uuid.UUID) -> tuple[dict[str, float], list[Proposal]]:
    """The worker's phases, each timed; the proposals as they were stored (an automatic one refused meanwhile is a
    suggestion)."""
    from core.db import transaction
    from models import Match, MatchStatus
    from reconciliation.matching import service
    from reconciliation.matching.engine import match_payments
    from workers.matching import STORE_BATCH

    started = time.perf_counter()
    with transaction(read_only=True) as session:
        task = service.matching_task(session, statement_id, user_id)
    read = time.perf_counter()
    proposals = match_payments(task.payments, task.items, task.vendors, task.aliases, task.rules)
    matched = time.perf_counter()
    stored = service.Stored()
    for start in range(0, len(proposals), STORE_BATCH):
        with transaction() as session:
            service.store_proposals(session, task, proposals[start:start + STORE_BATCH], stored)
    done = time.perf_counter()
    with transaction(read_only=True) as session:
        automatic = {str(match.transaction_id) for match in session.query(Match).filter_by(status=MatchStatus.AUTO)}
    kept = [_as_stored(proposal, proposal.payment_id in automatic) for proposal in proposals]
    return {"read lines, items, vendors": read - started, "match (engine)": matched - read,
            "store (clearing vouchers)": done - matched}, kept


def _as_stored(proposal: Proposal, automatic: bool) -> Proposal:
    return Proposal(proposal.payment_id, proposal.allocations, proposal.paid, proposal.difference,
                    proposal.difference_kind, proposal.score, proposal.reasons, automatic)


def _renamed(proposal: Proposal, names: dict[str, str]) -> Proposal:
    from reconciliation.matching.model import Allocation

    allocations = tuple(Allocation(names[allocation.item_id], allocation.amount) for allocation in proposal.allocations)
    return Proposal(names[proposal.payment_id], allocations, proposal.paid, proposal.difference,
                    proposal.difference_kind, proposal.score, proposal.reasons, proposal.automatic)


def _stored(scenario: Scenario) -> tuple[uuid.UUID, uuid.UUID, dict[str, str]]:
    """Everything as rows; the statement's id, the clerk's, and the generated ids' database ids (as text)."""
    from core.db import transaction
    from core.settings import get_settings
    from ledgerdesk.admin import create_user, get_or_create_company
    from models.migrate import upgrade_to_head

    upgrade_to_head(get_settings().resolved_database_url)
    with transaction() as session:
        company = get_or_create_company(session, "bench-matching", "Bench Matching GmbH", "EUR", "ifrs")
        clerk = create_user(session, company=company, email="clerk@matching.bench.invalid", role="clerk",
                            password=None)
        vendors = _vendors(session, company.id, scenario)
        ids = vendors | _items(session, company.id, scenario, vendors)
        statement_id, lines = _statement(session, company.id, clerk.id, scenario)
        return statement_id, clerk.id, ids | lines


def _vendors(session, company_id: uuid.UUID, scenario: Scenario) -> dict[str, str]:
    from models import Vendor

    rows = {vendor.id: Vendor(id=uuid.uuid4(), company_id=company_id, name=vendor.name, iban=vendor.iban)
            for vendor in scenario.vendors}
    session.add_all(rows.values())
    session.flush()
    return {key: str(row.id) for key, row in rows.items()}


def _items(session, company_id: uuid.UUID, scenario: Scenario, vendors: dict[str, str]) -> dict[str, str]:
    """A posted voucher (of no document) and its open item per invoice."""
    from core.db import utcnow
    from models import OpenItem, Voucher
    from posting.periods import period_of

    ids = {}
    for item in scenario.items:
        voucher = Voucher(id=uuid.uuid4(), company_id=company_id, status="posted", date=item.issued, currency="EUR",
                          base_currency="EUR", period=period_of(item.issued), posted_at=utcnow(),
                          description=f"Invoice {item.reference}")
        row = OpenItem(id=uuid.uuid4(), company_id=company_id, voucher_id=voucher.id,
                       vendor_id=uuid.UUID(vendors[item.vendor_id]), kind="payable", counterparty=item.counterparty,
                       account_code="2000", reference=item.reference, amount=item.open_amount,
                       open_amount=item.open_amount, currency=item.currency, due_date=item.due, status="open")
        session.add_all([voucher, row])
        ids[item.id] = str(row.id)
    session.flush()
    return ids


def _statement(session, company_id: uuid.UUID, user_id: uuid.UUID,
               scenario: Scenario) -> tuple[uuid.UUID, dict[str, str]]:
    from core.db import utcnow
    from models import BankAccount, BankStatement, BankTransaction

    account = BankAccount(id=uuid.uuid4(), company_id=company_id, identifier="DE89370400440532013000",
                          iban="DE89370400440532013000", currency="EUR", name="Bench account")
    statement = BankStatement(id=uuid.uuid4(), company_id=company_id, account_id=account.id, format="camt.053",
                              sha256="0" * 64, blob_key="0" * 64, filename="bench.xml", position=0,
                              reference="BENCH-1", currency="EUR", warnings=[],
                              transaction_count=len(scenario.payments), duplicate_count=0, imported_by_id=user_id,
                              imported_at=utcnow(), period_start=date(2026, 1, 1), period_end=date(2026, 12, 31))
    session.add_all([account, statement])
    session.flush()
    ids = {}
    for number, payment in enumerate(scenario.payments, start=1):
        line = BankTransaction(id=uuid.uuid4(), company_id=company_id, statement_id=statement.id,
                               account_id=account.id, line_no=number, booking_date=payment.booking_date,
                               value_date=payment.booking_date, amount=payment.amount, currency=payment.currency,
                               counterparty_name=payment.counterparty_name, counterparty_iban=payment.counterparty_iban,
                               remittance=" ".join(payment.reference_tokens),
                               reference_tokens=list(payment.reference_tokens), fingerprint=payment.id,
                               status="unmatched")
        session.add(line)
        ids[payment.id] = str(line.id)
    session.flush()
    return statement.id, ids
