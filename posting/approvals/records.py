"""Reading and checking approval routes: from the API's JSON or an entry of a YAML file to a ``RouteSpec``, with every
error at once as ``{row, field, message}`` (``posting.masterdata.validation.RowError``). Pure: values and what the
company has in, routes or errors out.

A step's approvers must be able to approve vouchers: a role that holds ``APPROVE_VOUCHERS`` (approver, accountant,
admin), or active users of the company whose role holds it. Conditions name vendors of the vendor master (by name
or id; kept by name) and active cost centres.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from core.money import decimal_value
from core.permissions import Permission, Role, has_permission
from posting.approvals.routes import Conditions, RouteSpec, Step
from posting.drafting import DRAFTERS
from posting.masterdata.records import Invalid, email, optional, text, yes_by_default
from posting.masterdata.validation import Change, ImportPlan, Row, RowError

ROUTE_FIELDS = ("code", "name", "position", "active", "conditions", "steps")
CONDITION_FIELDS = ("amount_min", "amount_max", "doc_types", "vendors", "cost_centres")
STEP_FIELDS = ("name", "role", "users")
APPROVER_ROLES = tuple(role.value for role in Role if has_permission(role, Permission.APPROVE_VOUCHERS))
ROUTE_CODE = re.compile(r"[\w.\-]{1,40}")
"""As other codes (letters, digits, ``.``, ``-``, ``_``), up to 40."""
MAX_STEPS = 10
MAX_POSITION = 1_000_000


@dataclass(frozen=True)
class Directory:
    """What a company's routes may name."""

    user_roles: Mapping[str, str]
    """The role of each active user, by e-mail (lower case)."""
    vendor_names: Mapping[str, str]
    """The name of each vendor of the master, by its name and by its id."""
    cost_centres: frozenset[str]
    """The codes of the active cost centres."""


class _Errors:
    """The errors of one row, collected as its values are read."""

    def __init__(self, row: int):
        self.row, self.found = row, []

    def read(self, field: str, read: Callable[[Any], Any], value: Any) -> Any:
        """``read(value)``, or None with the error kept."""
        try:
            return read(value)
        except Invalid as invalid:
            self.add(field, str(invalid))
            return None

    def add(self, field: str, message: str) -> None:
        self.found.append(RowError(self.row, field, message))

    def unknown(self, values: Mapping[str, Any], allowed: tuple[str, ...], prefix: str, what: str) -> None:
        for name in values:
            if name not in allowed:
                self.add(f"{prefix}{name}", f"{what} have no field {name!r}; they have {', '.join(allowed)}")


def read_route(row: Row, directory: Directory) -> tuple[RouteSpec | None, list[RowError]]:
    """The route of one row (every field of it: a row replaces the route of its code), or None and every error."""
    errors, values = _Errors(row.number), row.values
    errors.unknown(values, ROUTE_FIELDS, "", "routes")
    code = errors.read("code", route_code, values.get("code"))
    name = errors.read("name", text(200), values.get("name"))
    position = errors.read("position", route_position, values.get("position"))
    active = errors.read("active", yes_by_default, values.get("active"))
    conditions = _conditions(errors, values.get("conditions"), directory)
    steps = _steps(errors, values.get("steps"), directory)
    if errors.found:
        return None, errors.found
    return RouteSpec(code, name, position, active, conditions, steps), []


def plan_routes(rows: list[Row], existing: Mapping[str, RouteSpec], directory: Directory) -> ImportPlan:
    """What rows (each a whole route, by code) create and change, or every error and no change."""
    parsed, errors, first_row = [], [], {}
    for row in rows:
        route, row_errors = read_route(row, directory)
        if route is not None and route.code in first_row:
            row_errors = [RowError(row.number, "code", f"{route.code} is on row {first_row[route.code]} already")]
        errors += row_errors
        if route is not None and not row_errors:
            first_row[route.code] = row.number
            parsed.append(route)
    if errors:
        return ImportPlan(errors=tuple(sorted(set(errors))))
    changes = [Change(existing.get(route.code), route) for route in parsed]
    changed = tuple(change for change in changes if change.before != change.after)
    return ImportPlan(changed, len(changes) - len(changed))


# --- one value --------------------------------------------------------------------------------------------------


def route_code(value: Any) -> str:
    found = text(40)(value)
    if not ROUTE_CODE.fullmatch(found):
        raise Invalid(f"{found!r} is not a code: use letters, digits, '.', '-' or '_', without spaces or '/'")
    return found


def route_position(value: Any) -> int:
    """Where the route is tried: lower first (``10``, ``20`` ...)."""
    written = text(10)(value)
    if not re.fullmatch(r"\d+", written) or int(written) > MAX_POSITION:
        raise Invalid(f"{written!r} is not a position: a whole number from 0 to {MAX_POSITION}")
    return int(written)


def amount(value: Any) -> Decimal:
    """An amount in the company's currency, 0 or more, at most two decimals (``10000``, ``9999.99``)."""
    found = decimal_value(value)
    if found is None or found < 0 or found.as_tuple().exponent < -2:
        raise Invalid(f"{value!r} is not an amount: write it like 10000.00, without thousands separators")
    return found.quantize(Decimal("0.01"))


def list_of(read: Callable[[Any], str]) -> Callable[[Any], tuple[str, ...]]:
    """A reader of a list (or of one value alone), each entry read by ``read``; the same entry once."""

    def read_all(value: Any) -> tuple[str, ...]:
        entries = value if isinstance(value, (list, tuple)) else [value]
        return tuple(dict.fromkeys(read(entry) for entry in entries if entry not in (None, "")))

    return read_all


def _doc_type(value: Any) -> str:
    found = text(30)(value).lower()
    if found not in DRAFTERS:
        raise Invalid(f"{found!r} is not a document type with a voucher: one of {', '.join(DRAFTERS)}")
    return found


def _vendor(directory: Directory) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        found = text(200)(value)
        if found not in directory.vendor_names:
            raise Invalid(f"{found!r} is not a vendor of the vendor master (give its name or id); add it first")
        return directory.vendor_names[found]

    return read


def _cost_centre(directory: Directory) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        found = text(20)(value)
        if found not in directory.cost_centres:
            raise Invalid(f"{found} is not an active cost centre: add it first or correct the code")
        return found

    return read


def _approver_role(value: Any) -> str:
    found = text(30)(value).lower()
    if found not in APPROVER_ROLES:
        raise Invalid(f"the role {found!r} may not approve vouchers: a step's role is one of "
                      f"{', '.join(APPROVER_ROLES)}")
    return found


def _approver(directory: Directory) -> Callable[[Any], str]:
    def read(value: Any) -> str:
        found = email(value)
        role = directory.user_roles.get(found)
        if role is None:
            raise Invalid(f"no active user of the company has the e-mail {found}; create the user first")
        if role not in APPROVER_ROLES:
            raise Invalid(f"{found} is a {role}, who may not approve vouchers; give them the role of one of "
                          f"{', '.join(APPROVER_ROLES)} or name someone else")
        return found

    return read


# --- conditions and steps ---------------------------------------------------------------------------------------


def _mapping(errors: _Errors, value: Any, field: str, what: str) -> Mapping[str, Any] | None:
    if value in (None, ""):
        return {}
    if not isinstance(value, Mapping):
        errors.add(field, f"{field} is a mapping of {what}")
        return None
    return value


def _conditions(errors: _Errors, value: Any, directory: Directory) -> Conditions | None:
    values = _mapping(errors, value, "conditions", ", ".join(CONDITION_FIELDS))
    if values is None:
        return None
    errors.unknown(values, CONDITION_FIELDS, "conditions.", "conditions")
    low, high = (errors.read(f"conditions.{name}", optional(amount), values.get(name))
                 for name in ("amount_min", "amount_max"))
    if low is not None and high is not None and low > high:
        errors.add("conditions.amount_max", f"amount_max {high} is below amount_min {low}: no voucher would match")
    readers = {"doc_types": _doc_type, "vendors": _vendor(directory), "cost_centres": _cost_centre(directory)}
    lists = {name: errors.read(f"conditions.{name}", list_of(read), values.get(name)) or ()
             for name, read in readers.items()}
    return Conditions(low, high, **lists)


def _steps(errors: _Errors, value: Any, directory: Directory) -> tuple[Step, ...]:
    if value in (None, ""):
        return ()
    if not isinstance(value, (list, tuple)):
        errors.add("steps", "steps is a list of steps, each {name, role} or {name, users}")
        return ()
    if len(value) > MAX_STEPS:
        errors.add("steps", f"at most {MAX_STEPS} steps ({len(value)} given)")
    return tuple(filter(None, (_step(errors, entry, f"steps[{n}]", directory) for n, entry in enumerate(value))))


def _step(errors: _Errors, value: Any, field: str, directory: Directory) -> Step | None:
    if not isinstance(value, Mapping):
        errors.add(field, "a step is a mapping: {name, role} or {name, users}")
        return None
    errors.unknown(value, STEP_FIELDS, f"{field}.", "steps")
    name = errors.read(f"{field}.name", text(100), value.get("name"))
    role = errors.read(f"{field}.role", optional(_approver_role), value.get("role"))
    users = errors.read(f"{field}.users", list_of(_approver(directory)), value.get("users")) or ()
    if (role is None) == (not users) and not _has_error_at(errors, field):
        errors.add(field, "a step names who approves it: a role, or users (e-mails), not both")
    return Step(name, role, users) if name else None


def _has_error_at(errors: _Errors, field: str) -> bool:
    return any(error.field in (f"{field}.role", f"{field}.users") for error in errors.found)
