"""What each file of the bank statement corpus (``~/data/corpora/bank``) is expected to give, read from the
expected outputs beside it, never from our readers:

- ``mt940/``: the ``.yml`` beside each ``.sta`` is a YAML dump of the ``mt-940`` library's parse (Python object tags,
  read here with a safe loader that builds plain values: nothing is executed). A dump with no transactions and no
  opening or closing balance is a fragment with nothing to import: a refusal is the right answer.
- ``camt/``: the ``.json`` beside each ``.xml`` is genkgo/camt's parse (amounts in minor units). An ``.xml`` without
  one is the malformed sample, meant to be refused.
- ``ofx/``: no outputs; the values are read off the file's own tags (``CURDEF``, ``TRNAMT``, ``LEDGERBAL``). Files in
  ``fail_nice/``, and files without a bank or card statement (``STMTRS``) or with an empty currency or ledger balance,
  are meant to be refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import iso4217
import yaml


@dataclass(frozen=True)
class ExpectedLine:
    amount: Decimal
    currency: str | None = None
    booking_date: date | None = None
    value_date: date | None = None
    end_to_end_id: str | None = None
    reference: str | None = None
    """A structured reference the line must carry (as its creditor reference or a token)."""


@dataclass(frozen=True)
class Expected:
    refusal: str | None = None
    """Why the file is meant to be refused; None when it is meant to be read."""
    statements: int | None = None
    lines: dict[str | None, tuple[ExpectedLine, ...]] = field(default_factory=dict)
    """By statement reference (CAMT's ``Stmt/Id``), or under None for the file's lines in order."""
    openings: tuple[tuple[Decimal, str], ...] = ()
    closings: tuple[tuple[Decimal, str], ...] = ()

    @property
    def has_values(self) -> bool:
        return self.refusal is None and (self.statements is not None or bool(self.lines))


# --- MT940: the mt-940 library's YAML dumps -----------------------------------------------------------------------


class _DumpLoader(yaml.SafeLoader):
    """Python-tagged YAML as plain values: objects as dicts, ``Decimal`` and dates as such, anything else as a tag
    and its arguments. Never constructs or calls anything the file names."""


def _plain_object(loader: _DumpLoader, _suffix: str, node: yaml.Node):
    if isinstance(node, yaml.MappingNode):
        found: dict = {}
        yield found
        found.update(loader.construct_mapping(node, deep=True))
    elif isinstance(node, yaml.SequenceNode):
        items: list = []
        yield items
        items.extend(loader.construct_sequence(node, deep=True))
    else:
        yield loader.construct_scalar(node)


def _applied(loader: _DumpLoader, suffix: str, node: yaml.Node) -> Any:
    arguments = loader.construct_sequence(node, deep=True) if isinstance(node, yaml.SequenceNode) else []
    if suffix == "decimal.Decimal":
        return Decimal(arguments[0])
    if suffix.endswith(("models.Date", "models.DateTime")) and arguments and isinstance(arguments[0], bytes):
        raw = arguments[0]  # the pickled state of a date: year (two bytes), month, day
        return date(raw[0] * 256 + raw[1], raw[2], raw[3])
    return (suffix, arguments)


_DumpLoader.add_multi_constructor("tag:yaml.org,2002:python/object/apply:", _applied)
_DumpLoader.add_multi_constructor("tag:yaml.org,2002:python/object/new:", _applied)
_DumpLoader.add_multi_constructor("tag:yaml.org,2002:python/", _plain_object)

MT940_OPENINGS = ("final_opening_balance", "intermediate_opening_balance")
MT940_CLOSINGS = ("final_closing_balance", "intermediate_closing_balance")


def expected_mt940(statement: Path) -> Expected:
    dump = statement.with_suffix(".yml")
    if not dump.exists():
        return Expected()
    parsed = yaml.load(dump.read_text(encoding="utf-8"), Loader=_DumpLoader)  # noqa: S506 - a safe loader
    data, items = parsed.get("data", {}), parsed.get("transactions", [])
    openings, closings = _mt940_balances(data, MT940_OPENINGS), _mt940_balances(data, MT940_CLOSINGS)
    if not items and not openings and not closings:
        return Expected(refusal="a fragment: no transactions and no opening or closing balance to import")
    lines = tuple(_mt940_line(item.get("data", {})) for item in items)
    return Expected(lines={None: lines}, openings=openings, closings=closings)


def _mt940_balances(data: dict, keys: tuple[str, ...]) -> tuple[tuple[Decimal, str], ...]:
    return tuple((data[key]["amount"]["amount"], data[key]["amount"]["currency"]) for key in keys if key in data)


def _mt940_line(data: dict) -> ExpectedLine:
    return ExpectedLine(amount=data["amount"]["amount"], currency=data["amount"].get("currency"),
                        booking_date=data.get("entry_date") or data.get("date"), value_date=data.get("date"))


# --- CAMT: genkgo/camt's JSON -------------------------------------------------------------------------------------

CAMT_RECORDS = ("Statement", "Report", "Notification")
CAMT_BALANCE_KINDS = {"opening": "openings", "closing": "closings"}


def expected_camt(message: Path) -> Expected:
    dump = message.with_suffix(".json")
    if not dump.exists():
        return Expected(refusal="no expected output: the malformed sample")
    tree = json.loads(dump.read_text(encoding="utf-8"))
    records: dict[str, dict] = {}
    entries: list[tuple[str, dict]] = []
    _walk(tree, None, records, entries)
    balances = {kind: tuple(found for record in records.values() if (found := _first_balance(record, source)))
                for source, kind in CAMT_BALANCE_KINDS.items()}
    lines: dict[str | None, list[ExpectedLine]] = {}
    for record_id, entry in sorted(entries, key=lambda found: (found[0], found[1].get("getIndex") or 0)):
        lines.setdefault(record_id, []).append(_camt_line(entry))
    return Expected(statements=len(tree.get("getRecords", [])), lines={k: tuple(v) for k, v in lines.items()},
                    openings=balances["openings"], closings=balances["closings"])


def _walk(node: Any, record: str | None, records: dict[str, dict], entries: list[tuple[str, dict]]) -> None:
    """Every record and entry of the dump (genkgo writes each object once, ``__RECURSIVITY__`` after)."""
    if isinstance(node, list):
        for item in node:
            _walk(item, record, records, entries)
        return
    if not isinstance(node, dict):
        return
    kind = str(node.get("__CLASS__", "")).rsplit("\\", 1)[-1]
    if kind in CAMT_RECORDS and "getId" in node:
        record = node["getId"]
        records[record] = node
    if kind == "Entry":
        owner = node.get("getRecord")
        entries.append((owner["getId"] if isinstance(owner, dict) else record, node))
    for value in node.values():
        _walk(value, record, records, entries)


def _minor(money: dict) -> tuple[Decimal, str]:
    currency = money["getCurrency"]["getCode"]
    return Decimal(money["getAmount"]).scaleb(-iso4217.Currency(currency).exponent), currency


def _first_balance(record: dict, kind: str) -> tuple[Decimal, str] | None:
    """A record's first balance of ``kind``: genkgo calls both the opening booked balance (``OPBD``) and the one
    carried from the previous statement (``PRCD``) ``opening``; the first in the file is the one a statement opens
    with."""
    found = next((b for b in record.get("getBalances", []) if b.get("getType") == kind), None)
    return _minor(found["getAmount"]) if found else None


def _camt_line(entry: dict) -> ExpectedLine:
    amount, currency = _minor(entry["getAmount"])
    detail = entry.get("getTransactionDetail") or {}
    reference = (detail.get("getReference") or {}) if isinstance(detail, dict) else {}
    remittance = (detail.get("getRemittanceInformation") or {}) if isinstance(detail, dict) else {}
    creditor = remittance.get("getCreditorReferenceInformation") if isinstance(remittance, dict) else None
    return ExpectedLine(amount=amount, currency=currency, booking_date=_json_day(entry.get("getBookingDate")),
                        value_date=_json_day(entry.get("getValueDate")),
                        end_to_end_id=reference.get("getEndToEndId") if isinstance(reference, dict) else None,
                        reference=creditor.get("getRef") if isinstance(creditor, dict) else None)


def _json_day(value: Any) -> date | None:
    if not isinstance(value, dict) or not value.get("0"):
        return None
    return datetime.fromisoformat(value["0"]).date()


# --- OFX: the file's own tags -------------------------------------------------------------------------------------

OFX_STATEMENT = re.compile(r"<(?:CC)?STMTRS>", re.IGNORECASE)
OFX_VALUE = r"<{tag}>\s*([^<\r\n]*)"


def expected_ofx(path: Path, root: Path) -> Expected:
    if "fail_nice" in path.relative_to(root).parts:
        return Expected(refusal="in fail_nice/: malformed on purpose")
    text = path.read_text(encoding="latin-1")
    chunks = OFX_STATEMENT.split(text)[1:]
    if not chunks:
        return Expected(refusal="no bank or credit card statement (STMTRS) in it")
    problem = next((found for chunk in chunks if (found := _ofx_problem(chunk))), None)
    if problem:
        return Expected(refusal=problem)
    lines = tuple(ExpectedLine(Decimal(amount)) for chunk in chunks for amount in _ofx_values(chunk, "TRNAMT"))
    closings = tuple((Decimal(_ofx_values(chunk.split("<LEDGERBAL>", 1)[-1], "BALAMT")[0]),
                      _ofx_values(chunk, "CURDEF")[0].upper()) for chunk in chunks)
    return Expected(statements=len(chunks), lines={None: lines}, closings=closings)


def _ofx_values(chunk: str, tag: str) -> list[str]:
    return [value.strip() for value in re.findall(OFX_VALUE.format(tag=tag), chunk, re.IGNORECASE)]


def _ofx_problem(chunk: str) -> str | None:
    """Why a statement the file shows cannot be imported as it shows it, if it cannot."""
    currency, balance = _ofx_values(chunk, "CURDEF"), _ofx_values(chunk.split("<LEDGERBAL>", 1)[-1], "BALAMT")
    if not currency or not currency[0]:
        return "a statement with an empty currency (CURDEF)"
    if not balance or not balance[0]:
        return "a statement with an empty ledger balance"
    try:
        [Decimal(amount) for amount in _ofx_values(chunk, "TRNAMT")]
    except InvalidOperation:
        return "a transaction amount that is no number"
    return None
