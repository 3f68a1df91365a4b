"""Matching a bank statement's lines to open items in the workers: read what to match in one short read, match
outside any transaction (the engine is pure), then store the proposals in short transactions of ``STORE_BATCH``
lines, each line checked again as it is stored (``reconciliation.matching.service``)."""

from __future__ import annotations

import uuid

from core.db import transaction
from reconciliation.matching import service
from reconciliation.matching.engine import match_payments

STORE_BATCH = 200
"""Lines stored in one transaction: a big statement never holds the database's write turn for long."""


def match_statement(statement_id: uuid.UUID, requested_by: uuid.UUID) -> str:
    """Match the statement's unmatched lines; what was done. Safe to run again: matched lines are left alone."""
    with transaction(read_only=True) as session:
        task = service.matching_task(session, statement_id, requested_by)
    if task is None:
        return "skipped: no unmatched lines, or the user who asked can no longer reconcile"
    proposals = match_payments(task.payments, task.items, task.vendors, task.aliases, task.rules)
    stored = service.Stored(unmatched=len(task.payments) - len(proposals))
    for start in range(0, len(proposals), STORE_BATCH):
        with transaction() as session:
            service.store_proposals(session, task, proposals[start:start + STORE_BATCH], stored)
    return stored.describe()
