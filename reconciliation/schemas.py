"""Request and response shapes of the bank statements API."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from core.money import money_str
from models import BankAccount, BankStatement, BankTransaction, CsvProfile
from reconciliation.service import Imported


class StatementImported(BaseModel):
    id: uuid.UUID = Field(description="The file's (first) statement")
    statements: list[uuid.UUID] = Field(description="Every statement the file held: one per account and period")
    format: str = Field(description="camt.053, camt.052, camt.054, mt940, mt942, ofx, csv or xlsx")
    accounts: list[str] = Field(description="The accounts (IBAN or number) the file names")
    transactions: int = Field(description="Lines imported")
    duplicates: int = Field(description="Lines the accounts had already (from an overlapping statement, or the same "
                                        "file again): recognised and not imported twice")
    warnings: list[str] = Field(description="Unbalanced statements, balances that could not be checked, pending "
                                            "entries left out ...")

    @classmethod
    def of(cls, imported: Imported) -> StatementImported:
        first = imported.statements[0]
        return cls(id=first.id, statements=[s.id for s in imported.statements], format=first.format,
                   accounts=imported.accounts, transactions=imported.transactions, duplicates=imported.duplicates,
                   warnings=imported.warnings)


class StatementOut(BaseModel):
    id: uuid.UUID
    account: str = Field(description="The account's IBAN or number")
    account_id: uuid.UUID
    format: str
    filename: str
    sha256: str
    reference: str | None = Field(description="The bank's id of the statement")
    currency: str
    period_start: date | None
    period_end: date | None
    opening_balance: str | None
    opening_date: date | None
    closing_balance: str | None
    closing_date: date | None
    warnings: list[str]
    transaction_count: int
    duplicate_count: int
    imported_at: datetime

    @classmethod
    def of(cls, statement: BankStatement, account: BankAccount) -> StatementOut:
        return cls(id=statement.id, account=account.identifier, account_id=account.id, format=statement.format,
                   filename=statement.filename, sha256=statement.sha256, reference=statement.reference,
                   currency=statement.currency, period_start=statement.period_start, period_end=statement.period_end,
                   opening_balance=money_str(statement.opening_balance), opening_date=statement.opening_date,
                   closing_balance=money_str(statement.closing_balance), closing_date=statement.closing_date,
                   warnings=statement.warnings, transaction_count=statement.transaction_count,
                   duplicate_count=statement.duplicate_count, imported_at=statement.imported_at)


class StatementList(BaseModel):
    items: list[StatementOut]
    next_cursor: str | None


class TransactionOut(BaseModel):
    id: uuid.UUID
    line_no: int
    booking_date: date
    value_date: date | None
    amount: str = Field(description="Money in is positive, money out negative")
    currency: str
    counterparty_name: str | None
    counterparty_iban: str | None
    remittance: str
    reference_tokens: list[str] = Field(description="Invoice-number-like tokens of the text and the references")
    creditor_reference: str | None = Field(description="A valid ISO 11649 creditor reference (RF...)")
    end_to_end_id: str | None
    bank_reference: str | None
    status: str = Field(description="unmatched, suggested, matched or ignored")

    @classmethod
    def of(cls, line: BankTransaction) -> TransactionOut:
        return cls(id=line.id, line_no=line.line_no, booking_date=line.booking_date, value_date=line.value_date,
                   amount=money_str(line.amount), currency=line.currency, counterparty_name=line.counterparty_name,
                   counterparty_iban=line.counterparty_iban, remittance=line.remittance,
                   reference_tokens=line.reference_tokens, creditor_reference=line.creditor_reference,
                   end_to_end_id=line.end_to_end_id, bank_reference=line.bank_reference, status=line.status)


class TransactionPage(BaseModel):
    items: list[TransactionOut]
    next_cursor: str | None


class StatementWithLines(StatementOut):
    transactions: TransactionPage = Field(description="A page of its lines in their order; ask for the next with "
                                                      "?cursor=")


class BankAccountOut(BaseModel):
    id: uuid.UUID
    identifier: str
    iban: str | None
    currency: str
    name: str
    ledger_account_code: str | None

    @classmethod
    def of(cls, account: BankAccount) -> BankAccountOut:
        return cls(id=account.id, identifier=account.identifier, iban=account.iban, currency=account.currency,
                   name=account.name, ledger_account_code=account.ledger_account_code)


class BankAccountList(BaseModel):
    items: list[BankAccountOut]
    next_cursor: str | None


COLUMNS_HELP = ("What each column holds, by its header: booking_date (required), value_date, amount (or debit and "
                "credit), sign, currency, counterparty_name, counterparty_iban, remittance (one header or a list), "
                "reference, end_to_end_id, bank_reference, account, balance")


class ProfileFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    columns: dict[str, str | list[str]] | None = Field(default=None, description=COLUMNS_HELP,
                                                       examples=[{"booking_date": "Buchungstag", "amount": "Betrag",
                                                                  "remittance": ["Verwendungszweck"]}])
    date_format: str | None = Field(default=None, max_length=30, description="As strftime writes it (default "
                                                                             "%Y-%m-%d)", examples=["%d.%m.%Y"])
    decimal_separator: str | None = Field(default=None, max_length=1, description=". (default) or ,")
    delimiter: str | None = Field(default=None, max_length=1, description=", ; tab or |; null: found from the header")
    encoding: str | None = Field(default=None, max_length=30, description="default utf-8", examples=["cp1252"])
    skip_rows: int | None = Field(default=None, ge=0, le=100, description="Lines above the header")
    debit_marks: list[str] | None = Field(default=None, max_length=20,
                                          description="Values of the sign column that mean money out")
    currency: str | None = Field(default=None, max_length=3, description="Of every row, without a currency column")
    account: str | None = Field(default=None, max_length=70,
                                description="IBAN or number of every row, without an account column")


class ProfileIn(ProfileFields):
    name: str = Field(max_length=20, description="Letters, digits, '.', '-' or '_'", examples=["sparkasse"])


class ProfileOut(BaseModel):
    id: uuid.UUID
    name: str
    columns: dict[str, str | list[str]]
    date_format: str
    decimal_separator: str
    delimiter: str | None
    encoding: str
    skip_rows: int
    debit_marks: list[str]
    currency: str | None
    account: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: CsvProfile) -> ProfileOut:
        return cls(id=row.id, name=row.name, columns=row.columns, date_format=row.date_format,
                   decimal_separator=row.decimal_separator, delimiter=row.delimiter, encoding=row.encoding,
                   skip_rows=row.skip_rows, debit_marks=row.debit_marks, currency=row.currency, account=row.account,
                   created_at=row.created_at, updated_at=row.updated_at)


class ProfileList(BaseModel):
    items: list[ProfileOut]
    next_cursor: str | None
