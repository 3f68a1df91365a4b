"""Draft a balanced voucher from a document's fields. Pure: values in, values out.

``draft_voucher`` is the one entry: the rules of the document's type (``drafting_invoice``, ``drafting_expense``)
give lines in the document's currency with the role or account of each, ``drafting_currency`` adds each line's
amount in the company's currency, the chart gives every role its account, and the voucher is checked to balance in
both currencies before anyone may store it. Every line says why it is there (``reason``) and which fields, on which
page and in which box, its amount was read from (``source``).

Where an expense (or asset) line goes, first found first:

1. the account of the company's posting rule that decides the line (``posting.rules.matching``: the first active
   rule by position whose conditions hold; its reason starts the line's);
2. the vendor's default account (an invoice matched to the vendor master);
3. the account confirmed history suggests for the line (``posting.suggestions``: the nearest confirmed lines of the
   vendor and description; "learned from N confirmed vouchers");
4. the account that names the line's spending category (a receipt's, an expense claim item's);
5. the chart's ``expense`` account.

A rule's cost centre, project and tax code replace the vendor's or employee's cost centre and the tax code of the
line's rate; the voucher's ``approval_route`` is the one of the first rule (by position) that decided a line and
names one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from core.errors import MissingAccounts
from posting.chart import missing_accounts, missing_accounts_detail
from posting.drafting_currency import in_base_currency
from posting.drafting_expense import draft_claim, draft_receipt
from posting.drafting_invoice import draft_invoice
from posting.drafting_values import (CannotDraft, Counterparty, DocumentFacts, DraftLine, DraftVoucher, Ledger,
                                     RateUsed, Source, ensure_balanced, voucher_currency, voucher_date)
from posting.rules.matching import Rule, first_route
from posting.suggestions.knn import NO_SUGGESTIONS, Suggestions

__all__ = ["CannotDraft", "Counterparty", "DocumentFacts", "DraftLine", "DraftVoucher", "Ledger", "RateUsed", "Source",
           "draft_voucher", "ensure_balanced", "voucher_currency", "voucher_date"]

Drafter = Callable[[DocumentFacts, Ledger, Counterparty | None, Sequence[Rule], Suggestions], DraftVoucher]
DRAFTERS: dict[str, Drafter] = {"invoice": draft_invoice, "receipt": draft_receipt, "expense_claim": draft_claim}
"""The rules of each document type that has a voucher."""


def draft_voucher(facts: DocumentFacts, ledger: Ledger, counterparty: Counterparty | None = None,
                  rate: RateUsed | None = None, rules: Sequence[Rule] = (),
                  suggestions: Suggestions = NO_SUGGESTIONS) -> DraftVoucher:
    """The balanced voucher of a document: ``counterparty`` is its vendor (invoices) or employee (receipts, claims),
    ``rate`` converts its currency to the company's (the latest rate on or before ``voucher_date``), ``rules`` are
    the company's posting rules in order, ``suggestions`` the accounts confirmed history suggests for its line items
    (by index) and for it as one line (None) (``posting.suggestions``). Raises ``CannotDraft`` (no total, no rate
    ...) and ``MissingAccounts`` (a role the chart lacks)."""
    drafter = DRAFTERS.get(facts.doc_type or "")
    if drafter is None:
        raise CannotDraft(f"vouchers are drafted for invoices, receipts and expense claims; this is "
                          f"{'a ' + facts.doc_type if facts.doc_type else 'a document of no known type'}")
    draft = in_base_currency(drafter(facts, ledger, counterparty, rules, suggestions), ledger.base_currency, rate)
    draft = with_accounts(draft, ledger)
    ensure_balanced(draft.lines)
    return replace(draft, approval_route=first_route(decision for line in draft.lines for decision in line.rules))


def with_accounts(draft: DraftVoucher, ledger: Ledger) -> DraftVoucher:
    """Every line with its account: the one a rule chose, else the active account of its role. ``MissingAccounts``
    names every role no active account holds."""
    missing = missing_accounts(ledger.accounts, {line.role for line in draft.lines if line.account_code is None})
    if missing:
        raise MissingAccounts(missing_accounts_detail(missing))
    return replace(draft, lines=tuple(_with_account(line, ledger) for line in draft.lines))


def _with_account(line: DraftLine, ledger: Ledger) -> DraftLine:
    return line if line.account_code else replace(line, account_code=ledger.for_role(line.role).code)
