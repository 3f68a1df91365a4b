"""The export's columns, formats and filters, as plain values: each format read back as a reader would (Python's csv,
json, openpyxl), and the filters' days and errors."""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import fields
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from core.errors import InvalidRequest
from posting.exports.columns import COLUMNS, LINE_COLUMNS, VOUCHER_COLUMNS, ExportLine, ExportVoucher, in_batch
from posting.exports.filters import ExportFilter, export_filter
from posting.exports.formats import ExportFile, render

POSTED_AT = datetime(2026, 3, 3, 9, 30, tzinfo=timezone(timedelta(hours=8)))
BATCH = uuid.UUID(int=7)


def line(line_no: int, code: str, name: str, debit: str, credit: str, **values) -> ExportLine:
    base = {"line_no": line_no, "account_code": code, "account_name": name, "debit": Decimal(debit),
            "credit": Decimal(credit), "base_debit": Decimal(debit), "base_credit": Decimal(credit),
            "cost_centre": None, "kind": "expense", "description": "Office chairs", "reason": "line item 1"}
    return ExportLine(**base | values)


def voucher(*lines: ExportLine, **values) -> ExportVoucher:
    base = {"voucher_id": uuid.UUID(int=1), "voucher_date": date(2026, 3, 2), "period": "2026-03",
            "status": "posted", "document_id": uuid.UUID(int=2), "document_type": "invoice", "currency": "CNY",
            "exchange_rate": None, "base_currency": "CNY", "counterparty": "北京办公用品有限公司",
            "reference": "No. 0042", "reverses_id": None, "batch_id": None, "posted_at": POSTED_AT, "lines": lines}
    return ExportVoucher(**base | values)


CREDIT_NOTE = voucher(line(1, "6602", "办公费", "-100.00", "0.00", cost_centre="ADM"),
                      line(2, "2202", "应付账款", "0.00", "-100.00", kind="payable",
                           description="=HYPERLINK(\"http://evil.example\")", reason="+credited by"))


def test_every_column_is_an_attribute_of_its_voucher_or_its_line():
    assert [f.name for f in fields(ExportVoucher) if f.name != "lines"] == [c.name for c in VOUCHER_COLUMNS]
    assert [f.name for f in fields(ExportLine)] == [c.name for c in LINE_COLUMNS]
    assert len({column.name for column in COLUMNS}) == len(COLUMNS) == 26
    assert COLUMNS[-1].name == "project", "a new column goes at the end: the others keep their places"
    assert all(column.description for column in COLUMNS)


def test_csv_is_utf8_with_a_byte_order_mark_and_reads_back_as_written():
    data = render(in_batch([CREDIT_NOTE], BATCH), "csv")
    assert data.startswith("\ufeff".encode()) and data.count(b"\r\n") == 3
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == [column.name for column in COLUMNS]
    first, second = rows
    assert (first["account_name"], first["debit"], first["base_credit"], first["cost_centre"]) == (
        "办公费", "-100.00", "0.00", "ADM")
    assert (first["voucher_date"], first["posted_at"], first["exchange_rate"], first["reverses_id"]) == (
        "2026-03-02", "2026-03-03T09:30:00+08:00", "", "")
    assert (second["counterparty"], second["batch_id"], second["line_no"]) == ("北京办公用品有限公司", str(BATCH), "2")
    assert second["description"] == "'=HYPERLINK(\"http://evil.example\")", "a formula stays text in a spreadsheet"
    assert second["reason"] == "'+credited by" and second["credit"] == "-100.00", "amounts are never quoted"


def test_json_nests_the_lines_in_their_voucher():
    document = json.loads(render([voucher(line(1, "6000", "General", "12.5", "0"), exchange_rate=Decimal("7.10000000"),
                                          currency="USD")], "json"))
    [exported] = document["vouchers"]
    assert exported["exchange_rate"] == "7.1" and exported["batch_id"] is None
    assert exported["voucher_id"] == str(uuid.UUID(int=1)) and exported["posted_at"] == POSTED_AT.isoformat()
    assert exported["lines"] == [{"line_no": 1, "account_code": "6000", "account_name": "General", "debit": "12.50",
                                  "credit": "0.00", "base_debit": "12.50", "base_credit": "0.00", "cost_centre": None,
                                  "kind": "expense", "description": "Office chairs", "reason": "line item 1",
                                  "project": None}]


def test_xlsx_has_typed_cells_two_decimal_amounts_and_no_formulas():
    data = render([CREDIT_NOTE, voucher(line(1, "6000", "General", "0.10", "0"), exchange_rate=Decimal("0.92"))],
                  "xlsx")
    sheet = load_workbook(io.BytesIO(data))["vouchers"]
    header, first, second, third = sheet.iter_rows()
    index = {cell.value: n for n, cell in enumerate(header)}
    assert list(index) == [column.name for column in COLUMNS] and sheet.freeze_panes == "A2"
    debit = first[index["debit"]]
    assert (debit.value, debit.data_type, debit.number_format) == (-100, "n", "0.00")
    assert third[index["debit"]].value == pytest.approx(0.10)
    description = second[index["description"]]
    assert (description.value, description.data_type) == ("=HYPERLINK(\"http://evil.example\")", "s")
    assert first[index["voucher_date"]].value == datetime(2026, 3, 2)
    assert first[index["posted_at"]].value == datetime(2026, 3, 3, 1, 30), "in UTC"
    assert third[index["exchange_rate"]].value == pytest.approx(0.92) and first[index["exchange_rate"]].value is None
    assert first[index["account_name"]].value == "办公费" and first[index["line_no"]].value == 1


def test_an_empty_export_is_the_header_alone():
    assert render([], "csv").decode("utf-8-sig").splitlines() == [",".join(column.name for column in COLUMNS)]
    assert json.loads(render([], "json")) == {"vouchers": []}
    assert len(list(load_workbook(io.BytesIO(render([], "xlsx")))["vouchers"].iter_rows())) == 1


def test_a_file_is_named_after_its_batch():
    assert ExportFile(b"", "xlsx", BATCH, 1).filename == f"vouchers-{BATCH}.xlsx"
    assert ExportFile(b"", "csv", None, 0).filename == "vouchers.csv"


def test_filters_take_the_days_both_the_period_and_the_dates_allow():
    assert export_filter() == ExportFilter(None, None, ("approved", "posted"))
    assert export_filter(period="2026-02", status="posted") == ExportFilter(date(2026, 2, 1), date(2026, 2, 28),
                                                                           ("posted",))
    assert export_filter(period="2026-03", start=date(2026, 3, 10), end=date(2026, 4, 30)) == ExportFilter(
        date(2026, 3, 10), date(2026, 3, 31))
    assert export_filter(start=date(2026, 3, 10)).as_json() == {"from": "2026-03-10", "to": None,
                                                                "statuses": ["approved", "posted"]}


@pytest.mark.parametrize(("options", "says"), [
    ({"start": date(2026, 3, 2), "end": date(2026, 3, 1)}, "from (2026-03-02) is after to (2026-03-01)"),
    ({"period": "2026-03", "start": date(2026, 4, 1)}, "is after to (2026-03-31)"),
    ({"period": "March"}, "'March' is not a period: write the month as YYYY-MM"),
    ({"status": "draft"}, "status must be approved or posted"),
])
def test_filters_that_take_nothing_say_what_to_fix(options, says):
    with pytest.raises(InvalidRequest) as refused:
        export_filter(**options)
    assert says in refused.value.detail
