"""``ledgerdesk eval suggestions``: learned account suggestions measured on a generated confirmed history
(``confirmed_history``), in a database of its own (a temporary SQLite file, so nothing is left in the company's).

The oldest ``HISTORY_SHARE`` of the invoices are drafted, their expense lines put on the accounts they belong to (as
the bookkeeper posted them), approved and learned as the worker learns them; the newest are drafted as new documents, and what
history suggests for each of their expense lines is compared with the account it belongs to, beside a baseline that
needs no model: the vendor's most frequent account in the history. Time is measured per suggestion, history loaded
and compared each time, as drafting does."""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from time import perf_counter
from typing import TypeVar

from sqlalchemy.orm import Session, sessionmaker

from core.auth import Principal, principal_for
from core.db import make_engine
from core.embeddings import shared_encoder
from ledgerdesk.admin import create_user, get_or_create_company
from ledgerdesk.evaluation import confirmed_history as generated
from ledgerdesk.evaluation.metrics import median, percentile, ratio
from ledgerdesk.evaluation.report import ratio_text, share_text, table
from models import Account, Document, Extraction, Vendor, Voucher, VoucherLine
from models.migrate import upgrade_to_head
from posting.documents import latest_facts
from posting.service import approve_voucher, company_ledger, draft_for_document
from posting.suggestions.knn import Suggestion
from posting.suggestions.service import (LEARNED_KINDS, document_queries, embed, lines_to_learn, remember_learned,
                                         suggest_for)

HISTORY_SHARE = 0.8
CONFIDENT = 0.8
"""The confidence from which a suggestion counts as confident (a candidate for straight-through posting)."""
ACTOR = "system:eval"
CHART = "ifrs"
T = TypeVar("T")
"""The chart whose accounts the generated lines are posted to."""


@dataclass
class Counts:
    lines: int = 0
    answered: int = 0
    correct: int = 0

    def add(self, answer: str | None, truth: str) -> None:
        self.lines += 1
        self.answered += answer is not None
        self.correct += answer == truth


@dataclass
class SuggestionScores:
    count: int
    seed: int
    history_invoices: int = 0
    history_lines: int = 0
    learned: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    """Per language (``en``, ``zh``) and ``all``."""
    confident: Counts = field(default_factory=Counts)
    baseline: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    drafted_learned: int = 0
    """Held-out lines the drafted voucher put on the suggested account."""
    seconds: list[float] = field(default_factory=list)
    """Per suggestion."""


@dataclass(frozen=True)
class _Company:
    principal: Principal
    vendor_ids: dict[str, uuid.UUID]
    account_ids: dict[str, uuid.UUID]


def run_suggestion_eval(count: int, seed: int, progress: Callable[[int], None] = lambda done: None
                        ) -> SuggestionScores:
    """Generate ``count`` invoices with ``seed``, learn from the older, measure on the newer; ``progress`` is told of
    each invoice done."""
    invoices = generated.confirmed_history(count, seed)
    cut = round(len(invoices) * HISTORY_SHARE)
    scores = SuggestionScores(count, seed, cut, sum(len(invoice.lines) for invoice in invoices[:cut]))
    usual = _usual_accounts(invoices[:cut])
    with scratch_database() as sessions:
        company = _in_one(sessions, partial(_company, invoices=invoices))
        for invoice in invoices[:cut]:
            voucher_id = _in_one(sessions, partial(_confirm, company=company, invoice=invoice))
            _learn(sessions, voucher_id)
            progress(1)
        shared_encoder()  # loaded before anything is timed
        for invoice in invoices[cut:]:
            _in_one(sessions, partial(_measure, company=company, invoice=invoice, usual=usual, scores=scores))
            progress(1)
    return scores


@contextmanager
def scratch_database() -> Iterator[sessionmaker[Session]]:
    """Sessions of a new, migrated SQLite database in a temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="ledgerdesk-eval-") as folder:
        url = f"sqlite:///{Path(folder) / 'eval.sqlite3'}"
        upgrade_to_head(url)
        engine = make_engine(url)
        try:
            yield sessionmaker(bind=engine, expire_on_commit=False)
        finally:
            engine.dispose()


def _in_one(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """``work`` in one transaction, committed."""
    with sessions.begin() as session:
        return work(session)


def _company(session: Session, invoices: list[generated.Invoice]) -> _Company:
    company = get_or_create_company(session, "eval-suggestions", "Suggestions evaluation", chart=CHART)
    approver = create_user(session, company=company, email="approver@eval.test", role="approver", password=None)
    vendors = {invoice.vendor.name: invoice.vendor for invoice in invoices if invoice.vendor.in_master}
    rows = [Vendor(company_id=company.id, name=name) for name in sorted(vendors)]
    session.add_all(rows)
    session.flush()
    _, accounts = company_ledger(session, company)
    return _Company(principal_for(approver), {row.name: row.id for row in rows},
                    {code: account.id for code, account in accounts.items()})


def _usual_accounts(invoices: list[generated.Invoice]) -> dict[str, str]:
    """The baseline: each vendor's most frequent account in the history."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for invoice in invoices:
        counts[invoice.vendor.name].update(line.account_code for line in invoice.lines)
    return {name: found.most_common(1)[0][0] for name, found in counts.items()}


def _confirm(session: Session, company: _Company, invoice: generated.Invoice) -> uuid.UUID:
    """Draft the invoice, put its expense lines on their accounts, approve it (which posts it); its voucher."""
    voucher = _drafted(session, company, invoice)
    for line, truth in zip(_expense_lines(voucher), invoice.lines):
        account = session.get(Account, company.account_ids[truth.account_code])
        line.account, line.kind = account, "asset" if account.account_type == "asset" else "expense"
    approve_voucher(session, voucher, company.principal)
    return voucher.id


def _learn(sessions: sessionmaker[Session], voucher_id: uuid.UUID) -> None:
    """What the worker's ``learn_confirmed_voucher`` job does after an approval, in this process."""
    lines = _in_one(sessions, partial(lines_to_learn, voucher_id=voucher_id))
    _in_one(sessions, partial(remember_learned, voucher_id=voucher_id, lines=lines, vectors=embed(lines)))


def _measure(session: Session, company: _Company, invoice: generated.Invoice, usual: dict[str, str],
             scores: SuggestionScores) -> None:
    document = _document(session, company, invoice)
    queries = document_queries(session, document, latest_facts(session, document))
    started = perf_counter()
    suggestions = suggest_for(session, document.company_id, queries)
    scores.seconds += [(perf_counter() - started) / len(queries)] * len(queries)
    voucher = draft_for_document(session, document, *_read(session, document), ACTOR)
    for index, (line, truth) in enumerate(zip(_expense_lines(voucher), invoice.lines)):
        suggestion = suggestions.get(index if invoice.itemised else None)
        _score(scores, invoice, truth, suggestion, usual.get(invoice.vendor.name))
        scores.drafted_learned += suggestion is not None and line.account.code == suggestion.account_code


def _score(scores: SuggestionScores, invoice: generated.Invoice, truth: generated.Line,
           suggestion: Suggestion | None, usual: str | None) -> None:
    answer = suggestion.account_code if suggestion else None
    for key in ("all", invoice.vendor.language):
        scores.learned[key].add(answer, truth.account_code)
        scores.baseline[key].add(usual, truth.account_code)
    scores.confident.add(answer if suggestion and suggestion.confidence >= CONFIDENT else None, truth.account_code)


def _drafted(session: Session, company: _Company, invoice: generated.Invoice) -> Voucher:
    document = _document(session, company, invoice)
    return draft_for_document(session, document, *_read(session, document), ACTOR)


def _read(session: Session, document: Document) -> tuple[dict, list]:
    facts = latest_facts(session, document)
    return dict(facts.fields), list(facts.items)


def _expense_lines(voucher: Voucher) -> list[VoucherLine]:
    return [line for line in voucher.lines if line.kind in LEARNED_KINDS]


def _document(session: Session, company: _Company, invoice: generated.Invoice) -> Document:
    """The invoice as the workers leave it: a document and its machine extraction."""
    document = Document(company_id=company.principal.company_id, status="processing", doc_type="invoice",
                        filename=f"{invoice.number}.pdf", media_type="application/pdf", size_bytes=1,
                        vendor_id=company.vendor_ids.get(invoice.vendor.name),
                        sha256=hashlib.sha256(invoice.number.encode()).hexdigest())
    session.add(document)
    session.flush()
    session.add(Extraction(company_id=document.company_id, document_id=document.id, version=1, kind="machine",
                           producer="eval", doc_type="invoice", fields=_fields(invoice), line_items=_items(invoice)))
    session.flush()
    return document


def _fields(invoice: generated.Invoice) -> dict[str, dict[str, str]]:
    values = {"invoice_number": invoice.number, "invoice_date": invoice.day.isoformat(),
              "vendor_name": invoice.vendor.name, "currency": "EUR", "subtotal": str(invoice.subtotal),
              "tax_rate": str(generated.VAT_RATE), "tax_amount": str(invoice.tax),
              "total_amount": str(invoice.subtotal + invoice.tax)}
    return {name: {"value": value, "confidence": 0.99, "source": "pdf_text"} for name, value in values.items()}


def _items(invoice: generated.Invoice) -> list[dict[str, str]]:
    if not invoice.itemised:
        return []
    return [{"description": line.description, "amount": str(line.amount), "tax_rate": str(generated.VAT_RATE)}
            for line in invoice.lines]


# the report


def text_report(scores: SuggestionScores) -> str:
    """What was measured, the table of coverage and accuracy per method and language, and the time."""
    held_out = scores.learned["all"].lines
    heading = (f"ledgerdesk eval suggestions: {scores.count} generated invoices (seed {scores.seed}), "
               f"{len(generated.VENDORS)} vendors, English and Chinese\n"
               f"history: the oldest {scores.history_invoices} invoices ({scores.history_lines} confirmed lines); "
               f"held out: the newest {scores.count - scores.history_invoices} ({held_out} expense lines)")
    rows = [_row("learned (nearest confirmed lines)", scores.learned["all"]),
            _row(f"learned, confidence >= {CONFIDENT}", scores.confident),
            _row("baseline: the vendor's usual account", scores.baseline["all"])]
    rows += [_row(f"{method} {language}", counts[language]) for method, counts in
             (("learned", scores.learned), ("baseline", scores.baseline)) for language in ("en", "zh")]
    timing = (f"time per suggestion: median {_ms(median(scores.seconds))}, p95 "
              f"{_ms(percentile(scores.seconds, 95))} (history loaded from the database and compared each time)")
    drafted = (f"drafted on the suggested account: {scores.drafted_learned} of {scores.learned['all'].answered} "
               "suggested lines")
    headers = ("method", "lines", "coverage", "accuracy", "correct of all")
    return "\n\n".join([heading, table(headers, rows), drafted, timing]) + "\n"


def _row(name: str, counts: Counts) -> list[str]:
    return [name, str(counts.lines), share_text(counts.answered, counts.lines),
            ratio_text(ratio(counts.correct, counts.answered)), ratio_text(ratio(counts.correct, counts.lines))]


def _ms(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds * 1000:.1f} ms"
