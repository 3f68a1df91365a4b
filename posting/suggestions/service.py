"""Learned account suggestions with a session: a voucher's confirmed lines remembered with their vectors after it is
approved (by a worker, ``stage_learning``) and forgotten when it is reversed, the whole history learned again, and the account asked for a document's
expense lines (drafting) or for one line (the API). The vectors come from the process's shared encoder, loaded the
first time there is something to embed: a company without confirmed vouchers never loads it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import utcnow
from core.embeddings import shared_encoder, stored_vectors, vector_bytes
from core.errors import InvalidRequest
from core.outbox import stage_job
from core.permissions import Permission
from models import AccountExample, Document, Vendor, Voucher, VoucherLine, VoucherStatus
from posting.documents import latest_facts
from posting.drafting import DocumentFacts
from posting.suggestions import repository
from posting.suggestions.knn import (NOTHING_LEARNED, Abstention, Example, History, Query, Suggestion,
                                     description_vectors, suggest)

LEARNED_KINDS = ("expense", "asset")
"""The kinds of voucher line learned from."""
UNLEARNED_ROLES = ("non_deductible_tax",)
"""Accounts of lines that are not learned from: VAT that is a cost goes where its tax code says, whatever it says."""
ITEMISED = ("invoice", "expense_claim")
"""Document types drafted line item by line item (a receipt is one line of its category)."""
LEARN_JOB = "learn_confirmed_voucher"
"""The job that remembers an approved voucher's lines (``workers.jobs``)."""
EMBEDDING_BATCH = 256
"""Lines embedded at once when the history is learned again, between two reports of progress."""

Key = TypeVar("Key")


@dataclass(frozen=True)
class ConfirmedLine:
    """A confirmed expense or asset line, before it is embedded."""

    line_id: uuid.UUID
    example: Example
    confirmed_at: datetime


@dataclass(frozen=True)
class Explained:
    """What history says of one line, for the API."""

    query: Query
    result: Suggestion | Abstention
    history_size: int
    account_name: str | None = None


@dataclass(frozen=True)
class Relearned:
    """How much of a company's history was learned again."""

    vouchers: int
    lines: int


# remembering and forgetting


def stage_learning(session: Session, voucher: Voucher) -> None:
    """Have a worker learn the lines of a voucher just approved once the approval commits: embedding them is model
    inference, which never runs inside a request's transaction (``learn_confirmed_voucher`` in ``workers.jobs``)."""
    stage_job(session, LEARN_JOB, [str(voucher.id)], f"learn-voucher-{voucher.id}")


def lines_to_learn(session: Session, voucher_id: uuid.UUID) -> list[ConfirmedLine]:
    """The lines of a confirmed voucher not remembered yet ([] once it is reversed or was never confirmed)."""
    voucher = session.get(Voucher, voucher_id)
    if voucher is None or not _still_confirmed(voucher):
        return []
    known = repository.remembered_line_ids(session, voucher.company_id, voucher.id)
    return [line for line in confirmed_lines(session, voucher) if line.line_id not in known]


def remember_learned(session: Session, voucher_id: uuid.UUID, lines: Sequence[ConfirmedLine],
                     vectors: np.ndarray) -> int:
    """Keep the ``lines`` (embedded outside any transaction) of a voucher still confirmed that are still not
    remembered (another worker may have been first); returns how many were kept."""
    fresh = {line.line_id for line in lines_to_learn(session, voucher_id)}
    kept = [(line, vector) for line, vector in zip(lines, vectors) if line.line_id in fresh]
    if kept:
        store_examples(session, session.get(Voucher, voucher_id).company_id, [line for line, _ in kept],
                       np.stack([vector for _, vector in kept]))
    return len(kept)


def _still_confirmed(voucher: Voucher) -> bool:
    return voucher.status in (VoucherStatus.APPROVED, VoucherStatus.POSTED) and voucher.reversed_by_id is None


def forget_reversed(session: Session, voucher: Voucher) -> int:
    """Forget the lines of a voucher being reversed: what it posted is no longer confirmed. Returns how many."""
    return repository.forget_voucher(session, voucher.company_id, voucher.id)


def confirmed_lines(session: Session, voucher: Voucher) -> list[ConfirmedLine]:
    """The voucher's lines that are learned from, with its document's vendor (a reversal has no document: none)."""
    document = session.get(Document, voucher.document_id) if voucher.document_id else None
    if document is None:
        return []
    vendor_id, vendor_name = vendor_of(session, document, latest_facts(session, document))
    confirmed_at = voucher.approved_at or utcnow()
    return [ConfirmedLine(line.id, Example(voucher.id, vendor_id, vendor_name, line.description, line.account.code),
                          confirmed_at) for line in voucher.lines if _learned(line)]


def _learned(line: VoucherLine) -> bool:
    return line.kind in LEARNED_KINDS and line.account.role not in UNLEARNED_ROLES


def embed(lines: Sequence[ConfirmedLine]) -> np.ndarray:
    """The vector of each line's description."""
    return description_vectors([line.example.description for line in lines], _encode)


def _encode(texts: Sequence[str]) -> np.ndarray:
    return shared_encoder().encode(texts)


def store_examples(session: Session, company_id: uuid.UUID, lines: Sequence[ConfirmedLine],
                   vectors: np.ndarray) -> None:
    """Keep ``lines`` with their vectors (row i of ``vectors`` is line i's)."""
    session.add_all(AccountExample(company_id=company_id, voucher_line_id=line.line_id,
                                   voucher_id=line.example.voucher_id, vendor_id=line.example.vendor_id,
                                   vendor_name=line.example.vendor_name[:200], description=line.example.description,
                                   account_code=line.example.account_code, vector=vector_bytes(vector),
                                   confirmed_at=line.confirmed_at) for line, vector in zip(lines, vectors))
    session.flush()


def vendor_of(session: Session, document: Document, facts: DocumentFacts) -> tuple[uuid.UUID | None, str]:
    """Who sold what the document's lines say: the vendor of the master it was matched to, else the name printed (an
    invoice's vendor, a receipt's merchant); an expense claim has none."""
    vendor = session.get(Vendor, document.vendor_id) if document.vendor_id else None
    if vendor is not None:
        return vendor.id, vendor.name
    return None, facts.text("vendor_name", "") or facts.text("merchant_name", "")


# learning the whole history again (``ledgerdesk train suggestions``): read, embed outside any transaction, store


def history_to_learn(session: Session, company_id: uuid.UUID) -> list[ConfirmedLine]:
    """Every confirmed expense and asset line of the company: of its approved and posted vouchers not reversed."""
    return [line for voucher in repository.confirmed_vouchers(session, company_id)
            for line in confirmed_lines(session, voucher)]


def embed_in_batches(lines: Sequence[ConfirmedLine], progress: Callable[[int], None]) -> np.ndarray:
    """``embed`` for many lines, telling ``progress`` how many are done after each batch."""
    parts = []
    for start in range(0, len(lines), EMBEDDING_BATCH):
        parts.append(embed(lines[start:start + EMBEDDING_BATCH]))
        progress(start + len(parts[-1]))
    return np.concatenate(parts) if parts else embed([])


def store_relearned(session: Session, company_id: uuid.UUID, lines: Sequence[ConfirmedLine], vectors: np.ndarray,
                    actor: str) -> Relearned:
    """Replace the company's remembered lines by ``lines`` (read and embedded before this transaction): lines of
    vouchers reversed meanwhile are left out, and lines that approvals remembered meanwhile are kept."""
    confirmed = {voucher.id for voucher in repository.confirmed_vouchers(session, company_id)}
    kept = [(line, vector) for line, vector in zip(lines, vectors) if line.example.voucher_id in confirmed]
    repository.forget_unconfirmed(session, company_id)
    repository.forget_lines(session, company_id, [line.line_id for line, _ in kept])
    store_examples(session, company_id, [line for line, _ in kept], np.array([vector for _, vector in kept]))
    relearned = Relearned(len({line.example.voucher_id for line, _ in kept}), len(kept))
    audit.record(session, company_id=company_id, actor=actor, action="account_examples.relearned",
                 entity_type="company", entity_id=company_id,
                 data={"vouchers": relearned.vouchers, "lines": relearned.lines})
    return relearned


# asking


def suggest_for(session: Session, company_id: uuid.UUID, queries: Mapping[Key, Query]) -> dict[Key, Suggestion]:
    """What the company's confirmed history suggests for each query it has a suggestion for."""
    found = ask(load_history(session, company_id), queries) if queries else {}
    return {key: result for key, result in found.items() if isinstance(result, Suggestion)}


def ask(history: History, queries: Mapping[Key, Query]) -> dict[Key, Suggestion | Abstention]:
    """Each query's suggestion, or why there is none (nothing is embedded while history is empty)."""
    if not history.examples:
        return {key: NOTHING_LEARNED for key in queries}
    keys = list(queries)
    vectors = description_vectors([queries[key].description for key in keys], _encode)
    return {key: suggest(history, queries[key], vector) for key, vector in zip(keys, vectors)}


def load_history(session: Session, company_id: uuid.UUID) -> History:
    """The company's newest remembered lines (``repository.HISTORY_LIMIT``) and their vectors."""
    rows = repository.history_rows(session, company_id)
    examples = tuple(Example(row.voucher_id, row.vendor_id, row.vendor_name, row.description, row.account_code)
                     for row in rows)
    return History(examples, stored_vectors([row.vector for row in rows]))


def document_queries(session: Session, document: Document, facts: DocumentFacts) -> dict[int | None, Query]:
    """What drafting asks for a document's expense lines: each line item's description (for the types drafted item
    by item) and the document's own, for when it is drafted as one line (None); with its vendor."""
    vendor_id, vendor_name = vendor_of(session, document, facts)
    queries: dict[int | None, Query] = {None: Query(vendor_id, vendor_name, _document_description(facts, vendor_name))}
    if facts.doc_type in ITEMISED:
        for index, item in enumerate(facts.items):
            if described := _item_description(item):
                queries[index] = Query(vendor_id, vendor_name, described)
    return queries


def _document_description(facts: DocumentFacts, vendor_name: str) -> str:
    """What a document drafted as one line is about: its kind, its vendor and (a claim's) purpose."""
    return " ".join(filter(None, (facts.kind_name, f"from {vendor_name}" if vendor_name else "",
                                  facts.text("purpose", ""))))


def _item_description(item: Mapping[str, Any]) -> str:
    return str(item.get("description") or item.get("category") or "").strip()


def explain(session: Session, principal: Principal, *, vendor: str, description: str) -> Explained:
    """What confirmed history suggests for a line of ``vendor`` saying ``description``, and why (or why not)."""
    principal.require(Permission.REVIEW)
    if not description.strip() and not vendor.strip():
        raise InvalidRequest("Say what the line is: ?description=AWS EC2 hosting March, and its ?vendor=... (lines "
                             "of the same vendor count more).")
    query = Query(None, vendor.strip(), description.strip() or vendor.strip())
    history = load_history(session, principal.company_id)
    result = ask(history, {None: query})[None]
    if isinstance(result, Abstention):
        return Explained(query, result, len(history.examples))
    return Explained(query, result, len(history.examples),
                     repository.account_name(session, principal.company_id, result.account_code))
