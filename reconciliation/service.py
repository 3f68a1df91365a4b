"""Bank statement use cases with a session: import a statement file, list and read statements and their lines, keep
the company's CSV/Excel column profiles.

An import is all or nothing. The file is read (``statements.reading``, outside any transaction: the caller reads it
between a read-only look-up and the write), every statement checked (an account, a currency, cents; the currency of
an account it already has), and only then is anything stored: the bank accounts it names for the first time, one
``BankStatement`` per statement, and its lines, less those the account already has from an overlapping statement
(known by their fingerprint). A file that is refused stores nothing; the refusal says why and where.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, replace
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.blobs import StagedBlob
from core.db import company_row, utcnow
from core.errors import Conflict, EmptyFile, InvalidRequest, InvalidStatement, NotFound
from core.money import round_money
from core.permissions import Permission
from models import BankAccount, BankStatement, BankTransaction, CsvProfile
from posting.masterdata.records import Invalid, code
from reconciliation import repository
from reconciliation.matching import service as matching_service
from reconciliation.statements.fingerprint import fingerprints
from reconciliation.statements.model import Statement, Transaction
from reconciliation.statements.reading import read_statements
from reconciliation.statements.tabular import ColumnProfile, profile_problems


@dataclass(frozen=True)
class Upload:
    """A statement file as the API received it: staged in the blob store, not yet committed there."""

    filename: str
    file: StagedBlob
    profile: str | None = None
    """The name of the company's column profile to read a CSV or Excel file with."""


@dataclass(frozen=True)
class Imported:
    """What an upload gave: the statements of the file, and how many of their lines were new."""

    statements: list[BankStatement]
    accounts: list[str]
    transactions: int
    duplicates: int
    created: bool
    """False when the same file was imported before (its statements are answered, every line a duplicate)."""

    @property
    def warnings(self) -> list[str]:
        return [warning for statement in self.statements for warning in statement.warnings]


# --- importing ----------------------------------------------------------------------------------------------------


def known_import(session: Session, principal: Principal, sha256: str) -> Imported | None:
    """The import of the same bytes before, if the company has one."""
    principal.require(Permission.RECONCILE)
    statements = repository.statements_of_file(session, principal.company_id, sha256)
    if not statements:
        return None
    accounts = [session.get(BankAccount, statement.account_id).identifier for statement in statements]
    lines = sum(statement.transaction_count + statement.duplicate_count for statement in statements)
    return Imported(statements, list(dict.fromkeys(accounts)), 0, lines, created=False)


def column_profile(session: Session, company_id: uuid.UUID, name: str | None) -> ColumnProfile | None:
    """The company's profile ``name`` (None when no name is given); 422 naming it when there is none."""
    if not name:
        return None
    row = repository.profile_by_name(session, company_id, name)
    if row is None:
        raise InvalidRequest(f"There is no CSV profile {name!r}; GET /api/v1/csv-profiles lists them, POST makes one.")
    return profile_of(row)


def read_upload(upload: Upload, profile: ColumnProfile | None) -> list[Statement]:
    """The file's statements, each one importable: it names its account and currency, and its amounts are cents."""
    if upload.file.size == 0:
        raise EmptyFile("The file is empty (0 bytes); nothing was imported.")
    with upload.file.reader() as stream:
        statements = read_statements(stream.read(), profile)
    for number, statement in enumerate(statements, start=1):
        _check_importable(statement, f"statement {number}")
    return statements


def _check_importable(statement: Statement, where: str) -> None:
    if not statement.account:
        raise InvalidStatement("the statement names no account (CAMT Acct/Id, MT940 :25:, OFX ACCTID, or the "
                               "profile's account): it cannot be booked to one", where=where)
    if not statement.currency:
        raise InvalidStatement("the statement gives no currency", where=where)
    amounts = [(line.where, line.amount) for line in statement.booked]
    amounts += [(where, balance.amount) for balance in (statement.opening, statement.closing) if balance]
    for place, amount in amounts:
        if amount != round_money(amount):
            raise InvalidStatement(f"the amount {amount} has more than two decimals; amounts are kept in cents",
                                   where=place)


def check_accounts(session: Session, principal: Principal, statements: list[Statement]) -> None:
    """Refuse a statement in another currency than its account's: the one the company keeps it in, else that of the
    file's first statement of it."""
    known = repository.accounts_by_identifier(session, principal.company_id, {s.account for s in statements})
    currencies = {identifier: account.currency for identifier, account in known.items()}
    for number, statement in enumerate(statements, start=1):
        kept = currencies.setdefault(statement.account, statement.currency)
        if kept != statement.currency:
            raise InvalidStatement(
                f"the statement of account {statement.account} is in {statement.currency}, but the account is kept "
                f"in {kept}; nothing was imported. Check that the file is the account's", where=f"statement {number}")


def store_import(session: Session, principal: Principal, upload: Upload, statements: list[Statement]) -> Imported:
    """Store the checked statements of a file whose original is committed to the blob store; their new lines are
    matched to open items by a job once this commits (``reconciliation.matching``)."""
    known = known_import(session, principal, upload.file.sha256)
    if known is not None:  # the same file, imported by a concurrent request meanwhile
        return known
    check_accounts(session, principal, statements)
    accounts = _accounts(session, principal.company_id, statements)
    stored = [_store_statement(session, principal, upload, accounts[statement.account], statement, position)
              for position, statement in enumerate(statements)]
    for row in stored:
        if row.transaction_count:
            matching_service.stage_matching(session, row, principal.user_id)
    return Imported(stored, list(dict.fromkeys(s.account for s in statements)),
                    sum(s.transaction_count for s in stored), sum(s.duplicate_count for s in stored), created=True)


def _accounts(session: Session, company_id: uuid.UUID, statements: list[Statement]) -> dict[str, BankAccount]:
    """The accounts the statements name, made for those the company does not have yet."""
    accounts = repository.accounts_by_identifier(session, company_id, {s.account for s in statements})
    for statement in statements:
        if statement.account not in accounts:
            accounts[statement.account] = BankAccount(
                company_id=company_id, identifier=statement.account[:70], iban=statement.iban,
                currency=statement.currency, name=(statement.account_name or "")[:200])
            session.add(accounts[statement.account])
    session.flush()
    return accounts


def _store_statement(session: Session, principal: Principal, upload: Upload, account: BankAccount,
                     statement: Statement, position: int) -> BankStatement:
    lines = list(statement.booked)
    prints = fingerprints(lines)
    known = repository.known_fingerprints(session, account.id, prints)
    start, end = statement.period
    row = BankStatement(
        id=uuid.uuid4(), company_id=account.company_id, account_id=account.id, format=statement.format,
        sha256=upload.file.sha256, blob_key=upload.file.key or upload.file.sha256, filename=_safe_filename(upload),
        position=position, reference=(statement.reference or "")[:100] or None, currency=statement.currency,
        period_start=start, period_end=end, warnings=list(statement.warnings), transaction_count=0,
        duplicate_count=0, imported_by_id=principal.user_id, imported_at=utcnow(),
        **_balances(statement))
    session.add(row)
    session.flush()
    new = [_line_row(row, line, number, fingerprint) for number, (line, fingerprint)
           in enumerate(zip(lines, prints), start=1) if fingerprint not in known]
    row.transaction_count = repository.insert_lines(session, new)
    row.duplicate_count = len(lines) - row.transaction_count
    _record_import(session, principal, row, account)
    return row


def _balances(statement: Statement) -> dict[str, Any]:
    opening, closing = statement.opening, statement.closing
    return {"opening_balance": opening.amount if opening else None, "opening_date": opening.date if opening else None,
            "closing_balance": closing.amount if closing else None, "closing_date": closing.date if closing else None}


def _line_row(statement: BankStatement, line: Transaction, number: int, fingerprint: str) -> dict[str, Any]:
    return {"id": uuid.uuid4(), "company_id": statement.company_id, "statement_id": statement.id,
            "account_id": statement.account_id, "line_no": number, "booking_date": line.booking_date,
            "value_date": line.value_date, "amount": line.amount, "currency": line.currency,
            "counterparty_name": line.counterparty_name, "counterparty_iban": line.counterparty_iban,
            "remittance": line.remittance, "reference_tokens": list(line.reference_tokens),
            "creditor_reference": line.creditor_reference, "end_to_end_id": _cut(line.end_to_end_id, 100),
            "bank_reference": _cut(line.bank_reference, 100), "fingerprint": fingerprint, "status": "unmatched",
            "created_at": utcnow()}


def _cut(text: str | None, limit: int) -> str | None:
    return text[:limit] if text else None


def _safe_filename(upload: Upload) -> str:
    base = (upload.filename or "statement").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return "".join(ch for ch in base if ch.isprintable())[:255] or "statement"


def _record_import(session: Session, principal: Principal, row: BankStatement, account: BankAccount) -> None:
    audit.record(session, company_id=row.company_id, actor=principal.actor, action="bank_statement.imported",
                 entity_type="bank_statement", entity_id=row.id,
                 data={"filename": row.filename, "sha256": row.sha256, "format": row.format,
                       "account": account.identifier, "transactions": row.transaction_count,
                       "duplicates": row.duplicate_count, "warnings": row.warnings})


# --- reading ------------------------------------------------------------------------------------------------------


def list_statements(session: Session, principal: Principal, *, account: str | None, limit: int,
                    cursor: str | None) -> tuple[list[BankStatement], str | None]:
    """A page of the company's statements, newest import first; of one account (its IBAN or number) if given."""
    principal.require(Permission.RECONCILE)
    account_id = None
    if account:
        found = repository.accounts_by_identifier(session, principal.company_id, {account.replace(" ", "")})
        if not found:
            return [], None
        account_id = next(iter(found.values())).id
    return repository.statement_page(session, principal.company_id, account_id=account_id, limit=limit,
                                     cursor=cursor)


def get_statement(session: Session, principal: Principal, statement_id: uuid.UUID) -> BankStatement:
    principal.require(Permission.RECONCILE)
    return company_row(session, BankStatement, statement_id, principal.company_id, "Bank statement")


def statement_lines(session: Session, statement: BankStatement, *, limit: int,
                    cursor: str | None) -> tuple[list[BankTransaction], str | None]:
    return repository.line_page(session, statement.id, limit=limit, cursor=cursor)


def account_of(session: Session, statement: BankStatement) -> BankAccount:
    return session.get(BankAccount, statement.account_id)


def list_accounts(session: Session, principal: Principal, *, limit: int,
                  cursor: str | None) -> tuple[list[BankAccount], str | None]:
    principal.require(Permission.RECONCILE)
    return repository.account_page(session, principal.company_id, limit=limit, cursor=cursor)


# --- column profiles ----------------------------------------------------------------------------------------------

PROFILE_FIELDS = ("columns", "date_format", "decimal_separator", "delimiter", "encoding", "skip_rows", "debit_marks",
                  "currency", "account")


def profile_of(row: CsvProfile) -> ColumnProfile:
    return ColumnProfile(name=row.name, columns=dict(row.columns), date_format=row.date_format,
                         decimal_separator=row.decimal_separator, delimiter=row.delimiter, encoding=row.encoding,
                         skip_rows=row.skip_rows, debit_marks=tuple(row.debit_marks), currency=row.currency,
                         account=row.account)


def list_profiles(session: Session, principal: Principal, *, limit: int,
                  cursor: str | None) -> tuple[list[CsvProfile], str | None]:
    principal.require(Permission.RECONCILE)
    return repository.profile_page(session, principal.company_id, limit=limit, cursor=cursor)


def get_profile(session: Session, principal: Principal, name: str) -> CsvProfile:
    principal.require(Permission.RECONCILE)
    row = repository.profile_by_name(session, principal.company_id, name)
    if row is None:
        raise NotFound(f"There is no CSV profile {name!r}.")
    return row


def create_profile(session: Session, principal: Principal, values: dict[str, Any]) -> CsvProfile:
    """Add a profile; 409 when the company has one of that name, 422 listing every problem of it."""
    principal.require(Permission.RECONCILE)
    profile = _checked_profile(values)
    if repository.profile_by_name(session, principal.company_id, profile.name) is not None:
        raise Conflict(f"There is a CSV profile {profile.name!r} already; change it with PATCH, or choose another name.")
    row = CsvProfile(id=uuid.uuid4(), company_id=principal.company_id, name=profile.name)
    _write_profile(row, profile)
    session.add(row)
    session.flush()
    _record_profile(session, principal, row, "created", asdict(profile))
    return row


def update_profile(session: Session, principal: Principal, name: str, values: dict[str, Any]) -> CsvProfile:
    """Change the fields ``values`` gives; the profile is checked whole, as it would be after the change."""
    row = get_profile(session, principal, name)
    if values.get("name", name) != name:
        raise InvalidRequest("A profile's name cannot be changed; make a new profile and delete this one.")
    before = asdict(profile_of(row))
    profile = _checked_profile(before | values)
    _write_profile(row, profile)
    changes = {key: [old, new] for key, old in before.items() if (new := asdict(profile)[key]) != old}
    _record_profile(session, principal, row, "updated", {"changes": changes})
    return row


def delete_profile(session: Session, principal: Principal, name: str) -> None:
    row = get_profile(session, principal, name)
    _record_profile(session, principal, row, "deleted", {})
    session.delete(row)


def _checked_profile(values: dict[str, Any]) -> ColumnProfile:
    try:
        name = code(values.get("name"))
    except Invalid as invalid:
        raise InvalidRequest(f"name: {invalid}") from None
    fields = {key: values[key] for key in PROFILE_FIELDS if values.get(key) is not None}
    profile = ColumnProfile(name=name, **fields)
    profile = replace(profile, debit_marks=tuple(profile.debit_marks),
                      currency=profile.currency.upper() if profile.currency else None)
    problems = profile_problems(profile)
    if problems:
        raise InvalidRequest(f"The profile cannot read a statement: {'; '.join(problems)}.")
    return profile


def _write_profile(row: CsvProfile, profile: ColumnProfile) -> None:
    for key in PROFILE_FIELDS:
        value = getattr(profile, key)
        setattr(row, key, list(value) if isinstance(value, tuple) else (dict(value) if key == "columns" else value))


def _record_profile(session: Session, principal: Principal, row: CsvProfile, what: str, data: dict) -> None:
    audit.record(session, company_id=row.company_id, actor=principal.actor, action=f"csv_profile.{what}",
                 entity_type="csv_profile", entity_id=row.id, data={"name": row.name, **data})
