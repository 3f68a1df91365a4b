"""The seed charts as a company given one has them, as plain values: for tests of drafting and of the charts."""

from __future__ import annotations

from functools import cache

from posting.chart import AccountSpec, TaxCodeSpec
from posting.drafting import Ledger
from posting.masterdata.records import TABLES
from posting.masterdata.seeds import load_seed
from posting.masterdata.validation import Existing, plan_import


@cache
def seeded(chart: str) -> tuple[dict[str, AccountSpec], dict[str, TaxCodeSpec]]:
    """The accounts and tax codes of a seed, by code."""
    seed = load_seed(chart)
    accounts = plan_import(TABLES["accounts"], seed.rows["accounts"], Existing({}, {}))
    assert accounts.errors == ()
    by_code = {change.after.code: change.after for change in accounts.changes}
    active = frozenset(code for code, account in by_code.items() if account.active)
    tax_codes = plan_import(TABLES["tax-codes"], seed.rows["tax-codes"], Existing({}, {"accounts": active}))
    assert tax_codes.errors == ()
    return by_code, {change.after.code: change.after for change in tax_codes.changes}


def ledger(chart: str = "ifrs", base_currency: str = "EUR", **changes: AccountSpec | TaxCodeSpec | None) -> Ledger:
    """The seed's ledger; ``changes`` replace (or, as None, remove) accounts and tax codes by code (``_6950``)."""
    accounts, tax_codes = (dict(records) for records in seeded(chart))
    for key, record in changes.items():
        code = key.removeprefix("_")
        table = tax_codes if isinstance(record, TaxCodeSpec) or code in tax_codes else accounts
        table.pop(code, None) if record is None else table.__setitem__(code, record)
    return Ledger(base_currency, tuple(accounts.values()), tuple(tax_codes.values()))
