"""Vouchers drafted for generated documents: ``python -m bench.vouchers [--count 10000] [--db sqlite|postgres]``
(part ``vouchers`` of make bench).

A company with the IFRS seed chart, 200 vendors, 50 employees, a US dollar rate and 60 posting rules (keywords of
line items, some for one vendor, some setting a cost centre) is made in a fresh database of the backend (as
``bench/service.py`` makes one). Then ``bench/voucher_documents.py`` generates the documents
(invoices with line items of one or several VAT rates, credit notes, foreign currency, receipts, expense claims),
and two runs draft a voucher for each:

- in memory: ``posting.drafting.draft_voucher`` alone, with the company's ledger loaded once: the drafting rules;
- stored: the documents and their extractions are stored first, then ``posting.service.draft_for_document`` drafts
  each as the worker does (the ledger, the payee, the rate and any rules read from the database, the voucher and
  its lines written, the audit event recorded), committed in batches of 100.

Printed: vouchers and lines per second, per-voucher latency, how many lines a rule decided, and the check that every
voucher balances in both currencies. Then the learned account suggestions on held-out confirmed history
(``ledgerdesk eval suggestions``: a generated history, the oldest 80% confirmed, the newest 20% asked). Nothing
asserts on time; the exit status is 1 when a document got no voucher or one did not balance.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bench.report import LATENCY_HEADERS, Target, heading, latency_row, table
from bench.service import DATABASE_LABELS, DATABASES, backend, interruptible, unwind_on_signals
from bench.voucher_documents import (FOREIGN_CURRENCY, GeneratedDocument, employee_number, generated_documents,
                                     vendor_name)

VENDORS, EMPLOYEES, BATCH = 200, 50, 100
USD_RATE = Decimal("0.92")
RULE_ACCOUNTS = ("6100", "6300", "6750", "6200", "6220")
"""The accounts the bench's rules send line items to, in turn."""


@dataclass(frozen=True)
class Run:
    name: str
    seconds: list[float]
    lines: int
    failures: Counter
    ruled: int = 0
    """Lines a posting rule decided."""

    @property
    def vouchers_per_second(self) -> float:
        return len(self.seconds) / max(sum(self.seconds), 1e-9)


def main(argv: list[str] | None = None) -> int:
    arguments = _parse_args(argv)
    unwind_on_signals()
    targets = interruptible(lambda: run_part(arguments.count, arguments.db, seed=arguments.seed,
                                             history=arguments.history))
    return 1 if not isinstance(targets, list) or any(t.correctness and not t.met for t in targets) else 0


def run_part(count: int, database: str = "sqlite", *, seed: int = 1, history: int = 1000) -> list[Target]:
    documents = generated_documents(count, seed, VENDORS, EMPLOYEES)
    with backend(database) as chosen, settings_in_process(chosen.env):
        company_id = _company()
        print(heading(f"Vouchers drafted for {count} generated documents (seed {seed})", DATABASE_LABELS[database]))
        print(_mix_table(documents))
        runs = [_in_memory(company_id, documents), _stored(company_id, documents)]
    print(_runs_table(runs))
    learned = _suggestions(history, seed)
    return [_speed_target(runs[0], "in memory"), _speed_target(runs[1], "drafted and stored"),
            Target("vouchers", "every document drafted, every voucher balanced", "all",
                   _failures_text(runs), not any(run.failures for run in runs), correctness=True), learned]


def _suggestions(count: int, seed: int) -> Target:
    """``ledgerdesk eval suggestions`` on a history of ``count`` generated invoices (a seed the thresholds were not
    tuned on)."""
    from ledgerdesk.evaluation.suggestions import run_suggestion_eval, text_report

    scores = run_suggestion_eval(count, seed + 6)
    print(f"\n{text_report(scores)}")
    counts = scores.learned["all"]
    return Target("vouchers", "learned account suggestions right, held-out history", "reported",
                  f"{counts.correct / max(counts.answered, 1):.3f} of {counts.answered} suggested", None)


@contextmanager
def settings_in_process(env: dict[str, str]) -> Iterator[None]:
    """This process on the backend's settings (its data dir, database and Redis) for the run."""
    from core.db import reset_engine_cache
    from core.settings import get_settings

    saved = {name: os.environ.get(name) for name in (*env, "LEDGERDESK_ENV")}
    os.environ.update({name: value for name, value in env.items() if value} | {"LEDGERDESK_ENV": "development"})
    for name in (name for name, value in env.items() if not value):
        os.environ.pop(name, None)
    get_settings.cache_clear(), reset_engine_cache()
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None) if value is None else os.environ.__setitem__(name, value)
        get_settings.cache_clear(), reset_engine_cache()


def _company():
    """A migrated database with the bench company, its vendors, employees, dollar rate and posting rules."""
    from core.db import transaction
    from core.settings import get_settings
    from ledgerdesk.admin import get_or_create_company
    from models import Employee, ExchangeRate, Vendor
    from models.migrate import upgrade_to_head

    upgrade_to_head(get_settings().resolved_database_url)
    with transaction() as session:
        company = get_or_create_company(session, "bench-vouchers", "Bench Vouchers GmbH", "EUR", "ifrs")
        session.add_all([Vendor(company_id=company.id, name=vendor_name(index)) for index in range(VENDORS)])
        session.add_all([Employee(company_id=company.id, name=f"Employee {index}", number=employee_number(index))
                         for index in range(EMPLOYEES)])
        session.add(ExchangeRate(company_id=company.id, from_currency=FOREIGN_CURRENCY, to_currency="EUR",
                                 date=date(2025, 12, 31), rate=USD_RATE, source="bench"))
        session.flush()
        _add_rules(session, company.id)
        return company.id


def _add_rules(session, company_id) -> None:
    """60 rules: an item word of one vendor's invoices to an account (47), a cost centre for hosting, then each item
    word to an account whoever sent it (12)."""
    import json

    from bench.voucher_documents import ITEM_WORDS
    from models import CostCentre
    from posting.masterdata.service import Editor
    from posting.rules.service import import_rules

    session.add(CostCentre(company_id=company_id, code="IT", name="IT"))
    session.flush()
    general = [{"name": f"{word} (every vendor)", "conditions": {"keywords": [word.lower()]},
                "outcome": {"account_code": RULE_ACCOUNTS[index % len(RULE_ACCOUNTS)]}}
               for index, word in enumerate(ITEM_WORDS)]
    per_vendor = [{"name": f"{word} from {vendor_name(vendor)}", "conditions": {
                       "vendor": vendor_name(vendor), "keywords": [word.lower()], "doc_types": ["invoice"]},
                   "outcome": {"account_code": RULE_ACCOUNTS[(index + vendor) % len(RULE_ACCOUNTS)]}}
                  for index, word in enumerate(ITEM_WORDS) for vendor in range(index * 4, index * 4 + 4)]
    hosting = [{"name": "Hosting to IT", "conditions": {"keywords": ["hosting"]}, "outcome": {"cost_centre_code": "IT"}}]
    rules = [*per_vendor[:47], *hosting, *general]
    import_rules(session, Editor(company_id, "bench"), json.dumps(rules).encode(), "replace")


def _in_memory(company_id, documents: Sequence[GeneratedDocument]) -> Run:
    """``draft_voucher`` for each document, with what it needs read from the database beforehand."""
    from core.db import transaction
    from models import Company
    from posting.drafting import CannotDraft, Counterparty, DocumentFacts, RateUsed, draft_voucher
    from posting.rules.repository import active_rules
    from posting.service import company_ledger

    with transaction() as session:
        ledger, _ = company_ledger(session, session.get(Company, company_id))
        rules = active_rules(session, company_id)
    rate = RateUsed(FOREIGN_CURRENCY, "EUR", USD_RATE, date(2025, 12, 31), "bench")
    seconds, lines, ruled, failures = [], 0, 0, Counter()
    for document in documents:
        facts = DocumentFacts(document.doc_type, document.fields, date(2026, 11, 1), tuple(document.items))
        name = vendor_name(document.vendor) if document.vendor is not None else employee_number(document.employee)
        payee = Counterparty(name, "the bench's master data", known_as=(name,))
        started = time.perf_counter()
        try:
            draft = draft_voucher(facts, ledger, payee, rate if facts.value("currency") == FOREIGN_CURRENCY else None,
                                  rules)
        except CannotDraft as exc:
            failures[str(exc)[:80]] += 1
            continue
        seconds.append(time.perf_counter() - started)
        lines += len(draft.lines)
        ruled += sum(bool(line.rules) for line in draft.lines)
    return Run("in memory (draft_voucher)", seconds, lines, failures, ruled)


def _stored(company_id, documents: Sequence[GeneratedDocument]) -> Run:
    """The documents stored, then ``draft_for_document`` for each, committed every ``BATCH`` vouchers."""
    document_ids = _store_documents(company_id, documents)
    seconds, lines, ruled, failures = [], 0, 0, Counter()
    for start in range(0, len(document_ids), BATCH):
        batch = _draft_batch(document_ids[start:start + BATCH], documents[start:start + BATCH])
        seconds += batch.seconds
        lines, ruled = lines + batch.lines, ruled + batch.ruled
        failures += batch.failures
    return Run("stored (draft_for_document)", seconds, lines, failures, ruled)


def _draft_batch(document_ids: list, documents: Sequence[GeneratedDocument]) -> Run:
    from core.db import transaction
    from core.errors import MissingAccounts
    from models import Document
    from posting.drafting import CannotDraft
    from posting.service import draft_for_document

    seconds, lines, ruled, failures = [], 0, 0, Counter()
    with transaction() as session:
        for document_id, generated in zip(document_ids, documents):
            started = time.perf_counter()
            try:
                voucher = draft_for_document(session, session.get(Document, document_id), generated.fields,
                                             generated.items, "bench")
            except (CannotDraft, MissingAccounts) as exc:
                failures[str(exc)[:80]] += 1
                continue
            seconds.append(time.perf_counter() - started)
            lines += len(voucher.lines)
            ruled += sum(line.reason.startswith("rule ") for line in voucher.lines)
    return Run("batch", seconds, lines, failures, ruled)


def _store_documents(company_id, documents: Sequence[GeneratedDocument]) -> list:
    """Each document as the workers leave it: a processed row, its vendor matched, its machine extraction."""
    import hashlib
    import uuid

    from sqlalchemy import select

    from core.db import transaction
    from models import Document, Extraction, Vendor

    with transaction() as session:
        vendors = {row.name: row.id for row in session.scalars(select(Vendor).where(Vendor.company_id == company_id))}
        rows = [Document(id=uuid.uuid4(), company_id=company_id, status="processing", doc_type=document.doc_type,
                         filename=f"bench-{index}.pdf", media_type="application/pdf", size_bytes=1,
                         sha256=hashlib.sha256(f"bench-{index}".encode()).hexdigest(),
                         vendor_id=vendors[vendor_name(document.vendor)] if document.vendor is not None else None)
                for index, document in enumerate(documents)]
        session.add_all(rows)
        session.flush()
        session.add_all([Extraction(company_id=company_id, document_id=row.id, version=1, kind="machine",
                                    producer="bench", doc_type=document.doc_type, fields=document.fields,
                                    line_items=document.items) for row, document in zip(rows, documents)])
        return [row.id for row in rows]


def _mix_table(documents: Sequence[GeneratedDocument]) -> str:
    kinds = Counter(_kind(document) for document in documents)
    return table(["documents", "count"], sorted(kinds.items()))


def _kind(document: GeneratedDocument) -> str:
    total = Decimal(document.fields["total_amount"]["value"])
    if document.doc_type != "invoice":
        return document.doc_type
    if total < 0:
        return "invoice: credit note"
    if document.fields["currency"]["value"] == FOREIGN_CURRENCY:
        return "invoice: foreign currency"
    return f"invoice: {'line items' if document.items else 'totals only'}"


def _runs_table(runs: Sequence[Run]) -> str:
    rows = [[run.name, len(run.seconds), run.lines, run.ruled, f"{run.vouchers_per_second:,.0f}",
             f"{run.lines / max(sum(run.seconds), 1e-9):,.0f}", *latency_row(run.name, run.seconds, 2)[2:]]
            for run in runs]
    return table(["run", "vouchers", "lines", "by a rule", "vouchers/s", "lines/s", *[f"{h} ms" for h in LATENCY_HEADERS[1:]]],
                 rows)


def _speed_target(run: Run, what: str) -> Target:
    return Target("vouchers", f"vouchers drafted per second, {what}", "reported", f"{run.vouchers_per_second:,.0f}",
                  None)


def _failures_text(runs: Sequence[Run]) -> str:
    failed = sum((run.failures for run in runs), Counter())
    return "all" if not failed else "; ".join(f"{count} x {why}" for why, count in failed.most_common(3))


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.vouchers", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="documents to generate (default 10000)")
    parser.add_argument("--db", choices=DATABASES, default="sqlite", help="the backend (default sqlite)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--history", type=int, default=1000,
                        help="generated invoices of the suggestions' confirmed history (default 1000)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
