"""The master data tables as plain values: each table's record, its columns and how a typed value is read, and what
its records refer to. Pure: no I/O.

A value may come from a CSV cell, a YAML scalar (both always text) or JSON (typed); every reader takes all three and
raises ``Invalid`` with what a person should type instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from posting.chart import ACCOUNT_TYPES, ROLES, TAX_KINDS, AccountSpec, TaxCodeSpec

CODE_PATTERN = re.compile(r"[\w.\-]{1,20}")
"""Letters (any script), digits, ``.``, ``-`` and ``_``; at most 20. No spaces or slashes: codes appear in URLs."""
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "是"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否"})


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
    items = value if isinstance(value, (list, tuple)) else str(value or "").split("|")
    found = tuple(text(200)(item) for item in items if not _blank(item))
    if len(found) > 50:
        raise Invalid(f"at most 50 names ({len(found)} given)")
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
        Column("role", optional(choice(ROLES))), Column("active", yes_by_default)),
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
)}
"""Every master data table, by name."""

REFERENCE_LABELS = {"accounts": "account of the chart", "cost-centres": "cost centre", "users": "user of the company"}


def table_named(name: str) -> Table:
    """The table called ``name`` (``tax_codes`` and ``Tax-Codes`` too); ``KeyError`` names the tables there are."""
    normalized = name.strip().lower().replace("_", "-")
    if normalized not in TABLES:
        raise KeyError(f"{name!r} is not master data; one of {', '.join(TABLES)}")
    return TABLES[normalized]
