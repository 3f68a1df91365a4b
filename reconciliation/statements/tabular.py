"""CSV and Excel statements, read with a company's column profile: which column holds the booking date, the amount
(or a debit and a credit column, or an amount and a sign column), the currency, the counterparty, the text; the
date format, decimal sign, delimiter and encoding of the bank's export. A column for the account gives a statement
per account; a running balance column gives opening and closing balances to check. Pure: bytes and a profile in,
``Statement`` values out.

Every cell is read as the profile says, never guessed: ``1.234`` with a decimal comma is one thousand two hundred
and thirty-four. A cell that cannot be read refuses the file, naming its row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import InvalidStatement
from core.money import ISO_CURRENCY_CODES
from reconciliation.statements.model import Balance, Statement, Transaction
from reconciliation.statements.remittance import compact_iban, transaction

ROLES = ("booking_date", "value_date", "amount", "debit", "credit", "sign", "currency", "counterparty_name",
         "counterparty_iban", "remittance", "reference", "end_to_end_id", "bank_reference", "account", "balance")
"""What a column may hold. ``remittance`` may name several columns, joined in order."""
DELIMITERS = (",", ";", "\t", "|")
DECIMAL_SEPARATORS = (".", ",")
MAX_SKIP_ROWS = 100
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
"""An Excel file is a ZIP: one that unpacks to more than this is refused before it is opened (a ZIP bomb)."""
SAMPLE_DAY = date(2031, 12, 24)


@dataclass(frozen=True)
class ColumnProfile:
    """How one bank's CSV or Excel export is read."""

    name: str
    columns: Mapping[str, str | list[str]] = field(default_factory=dict)
    """Role (one of ``ROLES``) -> the header of the column that holds it."""
    date_format: str = "%Y-%m-%d"
    """As ``strftime`` writes it: ``%d.%m.%Y``, ``%m/%d/%Y``, ``%Y%m%d``."""
    decimal_separator: str = "."
    delimiter: str | None = None
    """None: whichever of comma, semicolon, tab or bar the header row uses."""
    encoding: str = "utf-8"
    skip_rows: int = 0
    """Lines above the header (a title, the account, the export date)."""
    debit_marks: tuple[str, ...] = field(default=())
    """The values of the ``sign`` column that mean money out (``D``, ``S``, ``Soll``, ``DR``)."""
    currency: str | None = None
    """The currency of every row, when there is no currency column."""
    account: str | None = None
    """The account (IBAN or number) of every row, when there is no account column."""


def profile_problems(profile: ColumnProfile) -> list[str]:
    """Everything that keeps the profile from reading a statement, each saying what to change; [] when it can."""
    columns = profile.columns
    problems = [f"columns has no role {role!r}; the roles are {', '.join(ROLES)}" for role in columns
                if role not in ROLES]
    problems += [f"columns.{role} must name a column" for role, header in columns.items()
                 if not _headers_of(header)]
    problems += _amount_problems(profile)
    if "booking_date" not in columns:
        problems.append("columns.booking_date must name the column of the booking date")
    if "currency" not in columns and not profile.currency:
        problems.append("give currency (e.g. EUR), or columns.currency")
    if profile.currency and profile.currency not in ISO_CURRENCY_CODES:
        problems.append(f"currency {profile.currency!r} is not an ISO 4217 code (EUR, USD, CNY ...)")
    if "account" not in columns and not profile.account:
        problems.append("give account (the IBAN or number of the bank account), or columns.account")
    return problems + _format_problems(profile)


def _amount_problems(profile: ColumnProfile) -> list[str]:
    columns = profile.columns
    if ("amount" in columns) == ("debit" in columns or "credit" in columns):
        return ["give columns.amount, or columns.debit and columns.credit (not both)"]
    if ("debit" in columns) != ("credit" in columns):
        return ["columns.debit and columns.credit go together"]
    if "sign" in columns and not profile.debit_marks:
        return ["a sign column needs debit_marks: the values that mean money out (e.g. [\"D\", \"S\"])"]
    return []


def _format_problems(profile: ColumnProfile) -> list[str]:
    problems = []
    if profile.decimal_separator not in DECIMAL_SEPARATORS:
        problems.append("decimal_separator must be '.' or ','")
    if profile.delimiter is not None and profile.delimiter not in DELIMITERS:
        problems.append("delimiter must be ',', ';', a tab or '|' (or null to find it from the header)")
    if not 0 <= profile.skip_rows <= MAX_SKIP_ROWS:
        problems.append(f"skip_rows must be between 0 and {MAX_SKIP_ROWS}")
    if not _reads_dates(profile.date_format):
        problems.append(f"date_format {profile.date_format!r} does not read a day, month and year (e.g. %d.%m.%Y)")
    try:
        codecs.lookup(profile.encoding)
    except LookupError:
        problems.append(f"encoding {profile.encoding!r} is unknown (utf-8, cp1252, latin-1, gb18030 ...)")
    return problems


def _reads_dates(date_format: str) -> bool:
    try:
        return datetime.strptime(SAMPLE_DAY.strftime(date_format), date_format).date() == SAMPLE_DAY
    except ValueError:
        return False


def _headers_of(value: str | list[str]) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(header).strip() for header in values if str(header).strip()]


# --- reading ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    number: int
    """The spreadsheet row (the first line of the file is row 1)."""
    cells: dict[str, Any]
    """Role -> the cell's value (text, or a date or number from Excel)."""


def parse_table(data: bytes, kind: str, profile: ColumnProfile) -> list[Statement]:
    """The statements of a CSV (``kind`` ``csv``) or Excel (``xlsx``) file: one per account it names."""
    grid = _excel_rows(data) if kind == "xlsx" else _csv_rows(data, profile)
    rows = _mapped(grid, profile)
    by_account: dict[str, list[tuple[_Row, Transaction]]] = {}
    for row in rows:
        line = _line(row, profile)
        by_account.setdefault(_account_of(row, profile), []).append((row, line))
    if not by_account:
        raise InvalidStatement("the file has a header but no rows with a booking date", where="row "
                               f"{profile.skip_rows + 2}")
    return [_statement(account, lines, kind, profile) for account, lines in by_account.items()]


def _csv_rows(data: bytes, profile: ColumnProfile) -> list[list[Any]]:
    try:
        text = data.decode(profile.encoding)
    except UnicodeDecodeError as exc:
        raise InvalidStatement(f"the file is not {profile.encoding} text: change the profile's encoding (cp1252, "
                               "latin-1, gb18030 ...)", where=f"byte {exc.start}") from None
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    header = lines[profile.skip_rows] if len(lines) > profile.skip_rows else ""
    return list(csv.reader(io.StringIO(text), delimiter=profile.delimiter or _delimiter(header)))


def _delimiter(header: str) -> str:
    return max(DELIMITERS, key=header.count)


def _excel_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook  # with defusedxml installed, it reads the sheets' XML defused

    archive = zipfile.ZipFile(io.BytesIO(data))
    if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
        raise InvalidStatement(f"the workbook unpacks to more than {MAX_UNPACKED_BYTES:,} bytes", where="xlsx")
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    except Exception as failure:  # noqa: BLE001 - openpyxl raises many kinds for a damaged workbook
        raise InvalidStatement(f"the workbook cannot be read: {failure}", where="xlsx") from None


def _mapped(grid: list[list[Any]], profile: ColumnProfile) -> list[_Row]:
    """The rows below the header, each cell under its role; rows without any value are skipped."""
    if len(grid) <= profile.skip_rows:
        raise InvalidStatement("the file ends before its header row", where=f"row {profile.skip_rows + 1}")
    header = [_header(cell) for cell in grid[profile.skip_rows]]
    positions = {role: _positions(role, columns, header, profile.skip_rows + 1)
                 for role, columns in profile.columns.items()}
    rows = []
    for number, cells in enumerate(grid[profile.skip_rows + 1:], start=profile.skip_rows + 2):
        if any(_text(cell) for cell in cells):
            rows.append(_Row(number, {role: _cells(cells, found) for role, found in positions.items()}))
    return rows


def _header(cell: Any) -> str:
    return " ".join(str(cell or "").split()).casefold()


def _positions(role: str, columns: str | list[str], header: list[str], row: int) -> list[int]:
    found = []
    for name in _headers_of(columns):
        if _header(name) not in header:
            raise InvalidStatement(f"there is no column {name!r} (the profile's {role}); the header has "
                                   f"{', '.join(repr(h) for h in header if h)}", where=f"row {row}")
        found.append(header.index(_header(name)))
    return found


def _cells(cells: list[Any], positions: list[int]) -> Any:
    values = [cells[position] if position < len(cells) else None for position in positions]
    if len(values) == 1:
        return values[0]
    return " ".join(_text(value) for value in values if _text(value))


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _line(row: _Row, profile: ColumnProfile) -> Transaction:
    cells = row.cells
    booking = _date(row, "booking_date", profile)
    if booking is None:
        raise InvalidStatement("the booking date is empty", where=_where(row, "booking_date", profile))
    return transaction(
        amount=_signed_amount(row, profile), currency=_text(cells.get("currency")).upper() or profile.currency or "",
        booking_date=booking, value_date=_date(row, "value_date", profile),
        counterparty_name=_text(cells.get("counterparty_name")) or None,
        counterparty_account=_text(cells.get("counterparty_iban")) or None, remittance=_text(cells.get("remittance")),
        structured_reference=_text(cells.get("reference")) or None,
        end_to_end_id=_text(cells.get("end_to_end_id")) or None,
        bank_reference=_text(cells.get("bank_reference")) or None, where=f"row {row.number}")


def _signed_amount(row: _Row, profile: ColumnProfile) -> Decimal:
    """The amount column (turned negative by a debit mark in the sign column), or credit minus debit."""
    if "amount" in profile.columns:
        amount = _amount(row, "amount", profile)
        if amount is None:
            raise InvalidStatement("the amount is empty", where=_where(row, "amount", profile))
        mark = _text(row.cells.get("sign")).casefold()
        return -abs(amount) if mark and mark in {m.casefold() for m in profile.debit_marks} else amount
    debit, credit = _amount(row, "debit", profile), _amount(row, "credit", profile)
    if debit is None and credit is None:
        raise InvalidStatement("both the debit and the credit are empty", where=_where(row, "debit", profile))
    return abs(credit or Decimal("0")) - abs(debit or Decimal("0"))


NEGATIVE = re.compile(r"^\((.*)\)$|^-(.*)$|^(.*)-$")


def _amount(row: _Row, role: str, profile: ColumnProfile) -> Decimal | None:
    value = row.cells.get(role)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return Decimal(str(value))
    text = _text(value).replace(" ", "").replace("'", "").replace("\u00a0", "")
    if not text:
        return None
    negative = NEGATIVE.match(text)
    digits = next(group for group in negative.groups() if group is not None) if negative else text
    thousands = "," if profile.decimal_separator == "." else "."
    digits = digits.replace(thousands, "").replace(profile.decimal_separator, ".")
    try:
        amount = Decimal(digits.lstrip("+"))
    except InvalidOperation:
        raise InvalidStatement(f"{_text(value)!r} is not an amount with the decimal sign "
                               f"{profile.decimal_separator!r}", where=_where(row, role, profile)) from None
    return -amount if negative else amount


def _date(row: _Row, role: str, profile: ColumnProfile) -> date | None:
    value = row.cells.get(role)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.strptime(text, profile.date_format).date()
    except ValueError:
        raise InvalidStatement(f"{text!r} is not a date written {profile.date_format}",
                               where=_where(row, role, profile)) from None


def _where(row: _Row, role: str, profile: ColumnProfile) -> str:
    columns = _headers_of(profile.columns.get(role, role))
    return f"row {row.number}, column {(columns[0] if columns else role)!r}"


def _account_of(row: _Row, profile: ColumnProfile) -> str:
    account = _text(row.cells.get("account")) or profile.account or ""
    return compact_iban(account) or account


def _statement(account: str, lines: list[tuple[_Row, Transaction]], kind: str,
               profile: ColumnProfile) -> Statement:
    currency = lines[0][1].currency
    other = next(((row, line) for row, line in lines if line.currency != currency), None)
    if other:
        raise InvalidStatement(f"the row is in {other[1].currency}, the rows of account {account} before it in "
                               f"{currency}", where=f"row {other[0].number}")
    opening, closing = _balances(lines, profile, currency)
    return Statement(format=kind, account=account or None, currency=currency,
                     transactions=tuple(line for _, line in lines), opening=opening, closing=closing,
                     iban=compact_iban(account), reference=profile.name)


def _balances(lines: list[tuple[_Row, Transaction]], profile: ColumnProfile,
              currency: str) -> tuple[Balance | None, Balance | None]:
    """From a running balance column: the balance before the first line and after the last (the rows may be newest
    first)."""
    if "balance" not in profile.columns:
        return None, None
    ordered = lines[::-1] if lines[0][1].booking_date > lines[-1][1].booking_date else lines
    (first_row, first), (last_row, last) = ordered[0], ordered[-1]
    before, after = _amount(first_row, "balance", profile), _amount(last_row, "balance", profile)
    if before is None or after is None:
        return None, None
    return Balance(before - first.amount, currency, first.booking_date), Balance(after, currency, last.booking_date)
