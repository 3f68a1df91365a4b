"""``ledgerdesk eval bank`` on a small corpus the test lays out as ``~/data/corpora/bank`` is (statements with the
expected outputs beside them: mt-940's YAML dumps, genkgo/camt's JSON, OFX alone), so the table, the disagreements
and the refusals are checked without the real corpus."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from ledgerdesk.cli import main
from ledgerdesk.evaluation.bank import evaluate, summarise
from tests.reconciliation.statements import IBAN, Account, Entry, camt, mt940, ofx

ENTRY = Entry(Decimal("250.00"), booked=date(2026, 3, 2), value=date(2026, 3, 3), bank_reference="B1")


def _yaml_date(day: date) -> str:
    """As mt-940's dump writes a date: its pickled state, base64."""
    state = bytes([day.year // 256, day.year % 256, day.month, day.day])
    return f"!!python/object/apply:mt940.models.Date [!!binary \"{base64.b64encode(state).decode()}\"]"


def _yaml_amount(amount: str) -> str:
    return (f"!!python/object:mt940.models.Amount {{amount: !!python/object/apply:decimal.Decimal ['{amount}'], "
            "currency: EUR}")


def mt940_dump(amount: str) -> str:
    return f"""!!python/object:mt940.models.Transactions
data:
  account_identification: {IBAN}
  final_opening_balance: !!python/object:mt940.models.Balance
    amount: {_yaml_amount('1000.00')}
    date: {_yaml_date(date(2026, 3, 1))}
    status: C
transactions:
- !!python/object:mt940.models.Transaction
  data:
    amount: {_yaml_amount(amount)}
    date: {_yaml_date(date(2026, 3, 3))}
    entry_date: {_yaml_date(date(2026, 3, 2))}
  transactions: !!python/name:builtins.print ''
"""


def camt_dump() -> dict:
    money = {"getAmount": "25000", "getCurrency": {"getCode": "EUR"}}
    record = {"__CLASS__": "Genkgo\\Camt\\Camt053\\DTO\\Statement", "getId": "STMT-1",
              "getBalances": [{"getType": "opening", "getAmount": {"getAmount": "100000",
                                                                   "getCurrency": {"getCode": "EUR"}}}],
              "getEntries": ["__RECURSIVITY__"]}
    entry = {"__CLASS__": "Genkgo\\Camt\\DTO\\Entry", "getIndex": 0, "getAmount": money, "getRecord": record,
             "getBookingDate": {"0": "2026-03-02T00:00:00+00:00"}, "getValueDate": {"0": "2026-03-03T00:00:00+00:00"}}
    return {"__CLASS__": "Genkgo\\Camt\\DTO\\Message", "getEntries": [entry], "getRecords": ["__RECURSIVITY__"]}


def lay_out(root: Path) -> Path:
    for folder in ("mt940/bank", "camt/data", "ofx/fixtures/fail_nice"):
        (root / folder).mkdir(parents=True)
    account = Account(entries=[ENTRY])
    (root / "mt940/bank/good.sta").write_bytes(mt940(account))
    (root / "mt940/bank/good.yml").write_text(mt940_dump("250.00"))
    (root / "mt940/bank/differs.sta").write_bytes(mt940(account))
    (root / "mt940/bank/differs.yml").write_text(mt940_dump("-250.00"))
    (root / "mt940/bank/requirements.txt").write_text("mt-940\n")
    (root / "camt/data/good.xml").write_bytes(camt([account]))
    (root / "camt/data/good.json").write_text(json.dumps(camt_dump()))
    (root / "camt/data/wrong.xml").write_bytes(camt([]))
    (root / "ofx/fixtures/good.ofx").write_bytes(ofx([("bank", account)]))
    (root / "ofx/fixtures/fail_nice/bad.ofx").write_bytes(ofx([("bank", account)]).replace(b"250.00", b"$250"))
    return root


def test_each_format_is_counted_and_every_disagreement_named(tmp_path):
    root = lay_out(tmp_path)
    rows = {row.format: row for row in summarise(evaluate(root))}
    assert [(r.files, r.parsed, r.refused_correctly, r.statements, r.balanced, r.with_values, r.values_agreeing)
            for r in rows.values()] == [(2, 2, 0, 2, 2, 2, 1), (2, 1, 1, 1, 1, 2, 2), (2, 1, 1, 1, 0, 2, 2)]
    assert rows["ofx"].not_checkable == 1, "an OFX statement has no opening balance"


def test_the_command_prints_the_table_disagreements_and_refusals(tmp_path):
    root = lay_out(tmp_path)
    result = CliRunner().invoke(main, ["eval", "bank", str(root)])
    assert result.exit_code == 0, result.output
    assert "format | files | parsed | refused correctly" in result.output
    assert "mt940/bank/differs.sta: line 1: amount expected -250.00, read 250.00" in result.output
    assert "camt/data/wrong.xml: correct (no expected output: the malformed sample)" in result.output
    assert "ofx/fixtures/fail_nice/bad.ofx: correct (in fail_nice/: malformed on purpose)" in result.output
    as_json = json.loads(CliRunner().invoke(main, ["eval", "bank", str(root), "--json"]).stdout)
    assert [row["format"] for row in as_json["rows"]] == ["mt940", "camt", "ofx"] and len(as_json["files"]) == 6
