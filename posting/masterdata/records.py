"""The master data tables as plain values: each table's record, its columns and how a typed value is read, and what
its records refer to. Pure: no I/O.

A value may come from a CSV cell, a YAML scalar (both always text) or JSON (typed); every reader takes all three and
raises ``Invalid`` with what a person should type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from core.money import ISO_CURRENCY_CODES
from posting.chart import ACCOUNT_TYPES, CATEGORY_PATTERN, ROLES, TAX_KINDS, AccountSpec, TaxCodeSpec, category_code

CODE_PATTERN = re.compile(r"[\w.\-]{1,20}")
"""Letters (any script), digits, ``.``, ``-`` and ``_``; at most 20. No spaces or slashes: codes appear in URLs."""
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})
RATE_PLACES = Decimal("0.00000001")


class Invalid(ValueError):
    """A value that cannot be taken; the message says what to type instead."""


@dataclass(frozen=True)
class CostCentreSpec:
    code: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class ProjectSpec:
    code: str
    name: str
    active: bool = True


@dataclass(frozen=True)
class EmployeeSpec:
    number: str
    name: str
    email: str | None = None
    cost_centre_code: str | None = None
    user_email: str | None = None
    """The e-mail of the company's user who signs in as this employee."""
    active: bool = True


@dataclass(frozen=True)
class VendorSpec:
    name: str
    tax_id: str | None = None
    iban: str | None = None
    aliases: tuple[str, ...] = ()
    default_account_code: str | None = None
    cost_centre_code: str | None = None
    payment_terms: str | None = None


@dataclass(frozen=True)
class ExchangeRateSpec:
    """One unit of ``from_currency`` is ``rate`` units of ``to_currency`` from ``date`` on (until the next rate)."""

    from_currency: str
    to_currency: str
    date: date
    rate: Decimal
    source: str | None = None

    @property
    def key(self) -> str:
        """``USD/EUR 2026-03-01``: a company has one rate of a pair a day."""
        return f"{self.from_currency}/{self.to_currency} {self.date.isoformat()}"


# --- reading one value --------------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def text(limit: int) -> Callable[[Any], str]:
    """A required text of at most ``limit`` characters."""

    def read(value: Any) -> str:
        if _blank(value):
            raise Invalid("required")
        if len(found := str(value).strip()) > limit:
            raise Invalid(f"at most {limit} characters ({len(found)} given)")
        return found

    return read


def optional(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``read``, except that an empty value is None."""
    return lambda value: None if _blank(value) else read(value)


def code(value: Any) -> str:
    found = text(20)(value)
    if not CODE_PATTERN.fullmatch(found):
        raise Invalid(f"{found!r} is not a code: use letters, digits, '.', '-' or '_', without spaces or '/'")
    return found


def choice(options: tuple[str, ...] | dict[str, str]) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        found = text(30)(value).lower()
        if found not in options:
            raise Invalid(f"{found!r} is not one of {', '.join(options)}")
        return found

    return read


def yes_by_default(value: Any) -> bool:
    """A yes/no value (true/false, yes/no, 1/0, 是/否); empty means yes."""
    if isinstance(value, bool) or _blank(value):
        return value is not False
    word = str(value).strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise Invalid(f"{value!r} is not yes or no: write true or false")
    return word in TRUE_WORDS


def rate(value: Any) -> Decimal:
    """A tax rate in percent, 0 to 100 with at most two decimals (``13``, ``7.7``; ``13%`` too)."""
    try:
        found = Decimal(text(10)(value).removesuffix("%").strip())
    except InvalidOperation:
        raise Invalid(f"{value!r} is not a number: write the rate in percent, e.g. 13 or 7.7") from None
    if not found.is_finite() or not 0 <= found <= 100 or found.as_tuple().exponent < -2:
        raise Invalid(f"{value!r} is not a rate from 0 to 100 percent with at most two decimals")
    return found.quantize(Decimal("0.01"))


def currency(value: Any) -> str:
    """An ISO 4217 currency code (``eur`` is ``EUR``)."""
    found = text(3)(value).upper()
    if found not in ISO_CURRENCY_CODES:
        raise Invalid(f"{found!r} is not an ISO 4217 currency code, such as EUR, USD or CNY")
    return found


def iso_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(10)(value))
    except ValueError:
        raise Invalid(f"{value!r} is not a date: write it as YYYY-MM-DD") from None


def exchange_rate(value: Any) -> Decimal:
    """A rate above zero with at most eight decimals (``7.8125``, ``0.00012345``), kept with eight."""
    written = text(30)(value)
    try:
        found = Decimal(written.replace(",", "."))
    except InvalidOperation:
        raise Invalid(f"{written!r} is not a number: write the rate like 7.8125") from None
    if not found.is_finite() or found <= 0 or found >= 10 ** 10 or found.as_tuple().exponent < -8:
        raise Invalid(f"{written!r} is not a rate above 0 with at most eight decimals")
    return found.quantize(RATE_PLACES)


def email(value: Any) -> str:
    found = text(254)(value).lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", found):
        raise Invalid(f"{found!r} is not an e-mail address")
    return found


def iban(value: Any) -> str:
    try:
        return stdnum_iban.validate(text(50)(value))
    except ValidationError:
        raise Invalid(f"{value!r} is not a valid IBAN (its country, length or check digits are wrong)") from None


def names(value: Any) -> tuple[str, ...]:
    """Other names: a list, or one text with the names separated by ``|``."""
    return _listed(value, text(200), "names")


def categories(value: Any) -> tuple[str, ...]:
    """Spending categories (``meals|lodging``), each as ``posting.chart.category_code`` writes it."""
    return tuple(sorted(set(_listed(value, _category, "categories"))))


def _category(value: Any) -> str:
    found = category_code(text(40)(value))
    if not CATEGORY_PATTERN.fullmatch(found):
        raise Invalid(f"{value!r} is not a category: use letters, digits and '_', starting with a letter")
    return found


def _listed(value: Any, read: Callable[[Any], str], what: str) -> tuple[str, ...]:
    """A list, or one text with the entries separated by ``|``, each read by ``read``; at most 50."""
    items = value if isinstance(value, (list, tuple)) else str(value or "").split("|")
    found = tuple(read(item) for item in items if not _blank(item))
    if len(found) > 50:
        raise Invalid(f"at most 50 {what} ({len(found)} given)")
    return found


# --- the tables ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    read: Callable[[Any], Any]
    required: bool = False
    """Needed for a new record; an update may leave it out."""


@dataclass(frozen=True)
class Reference:
    """A column that names a record of another table (or ``users``): it must be an active one."""

    column: str
    table: str


@dataclass(frozen=True)
class Table:
    name: str
    """As the command line, the URLs and a YAML file's list say it: ``accounts``, ``tax-codes`` ..."""
    entity: str
    """As the audit log says it: ``account``, ``tax_code`` ..."""
    label: str
    """As a person reads it: ``account``, ``tax code`` ..."""
    record: type
    key: str
    """The column that names a record in the company (an exchange rate's ``key`` is its pair and date)."""
    columns: tuple[Column, ...]
    references: tuple[Reference, ...] = ()
    unique: tuple[str, ...] = ()
    """Columns whose value (when given) no two active records share."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def can_deactivate(self) -> bool:
        return "active" in self.column_names


def _coded(name: str, entity: str, label: str, record: type) -> Table:
    return Table(name, entity, label, record, "code",
                 (Column("code", code, True), Column("name", text(200), True), Column("active", yes_by_default)))


TABLES: dict[str, Table] = {table.name: table for table in (
    Table("accounts", "account", "account", AccountSpec, "code", (
        Column("code", code, True), Column("name", text(200), True),
        Column("account_type", choice(ACCOUNT_TYPES), True), Column("parent_code", optional(code)),
        Column("role", optional(choice(ROLES))), Column("active", yes_by_default), Column("categories", categories)),
        references=(Reference("parent_code", "accounts"),), unique=("role",)),
    Table("tax-codes", "tax_code", "tax code", TaxCodeSpec, "code", (
        Column("code", code, True), Column("name", text(200), True), Column("rate", rate, True),
        Column("kind", choice(TAX_KINDS)), Column("deductible", yes_by_default),
        Column("account_code", optional(code)), Column("active", yes_by_default)),
        references=(Reference("account_code", "accounts"),)),
    _coded("cost-centres", "cost_centre", "cost centre", CostCentreSpec),
    _coded("projects", "project", "project", ProjectSpec),
    Table("employees", "employee", "employee", EmployeeSpec, "number", (
        Column("number", code, True), Column("name", text(200), True), Column("email", optional(email)),
        Column("cost_centre_code", optional(code)), Column("user_email", optional(email)),
        Column("active", yes_by_default)),
        references=(Reference("cost_centre_code", "cost-centres"), Reference("user_email", "users")),
        unique=("user_email",)),
    Table("vendors", "vendor", "vendor", VendorSpec, "name", (
        Column("name", text(200), True), Column("tax_id", optional(text(50))), Column("iban", optional(iban)),
        Column("aliases", names), Column("default_account_code", optional(code)),
        Column("cost_centre_code", optional(code)), Column("payment_terms", optional(text(100)))),
        references=(Reference("default_account_code", "accounts"), Reference("cost_centre_code", "cost-centres"))),
    Table("exchange-rates", "exchange_rate", "exchange rate", ExchangeRateSpec, "key", (
        Column("from_currency", currency, True), Column("to_currency", currency, True), Column("date", iso_date, True),
        Column("rate", exchange_rate, True), Column("source", optional(text(200))))),
)}
"""Every master data table, by name."""

REFERENCE_LABELS = {"accounts": "account of the chart", "cost-centres": "cost centre", "users": "user of the company"}


def table_named(name: str) -> Table:
    """The table called ``name`` (``tax_codes`` and ``Tax-Codes`` too); ``KeyError`` names the tables there are."""
    normalized = name.strip().lower().replace("_", "-")
    if normalized not in TABLES:
        raise KeyError(f"{name!r} is not master data; one of {', '.join(TABLES)}")
    return TABLES[normalized]
