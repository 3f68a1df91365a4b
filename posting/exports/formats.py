"""Writing exported vouchers as CSV, JSON or XLSX. Pure: ``ExportVoucher`` values in, the file's bytes out.

- CSV: UTF-8 with a byte order mark, commas, CRLF, a header row of the column names. Excel opens a CSV without the
  mark in the machine's legacy code page, which garbles Chinese and other non-Latin account names (应交税费); with it,
  Excel reads UTF-8, and CSV readers that know UTF-8 skip it (Python's ``utf-8-sig``, most ERP imports). Amounts are
  decimal strings (``"120.00"``). A text value that a spreadsheet would take for a formula (starting with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return) gets a leading ``'``, so a description read from a document never
  runs in the accountant's spreadsheet.
- JSON: ``{"vouchers": [{<voucher columns>, "lines": [{<line columns>}]}]}``; amounts decimal strings, empty values
  ``null``.
- XLSX: one sheet ``vouchers``, the header row, then the CSV's rows with typed cells: amounts numbers with two
  decimals, dates dates, texts always text (never a formula).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from typing import TYPE_CHECKING, Any

from core.money import money_str
from posting.exports.columns import (COLUMNS, DATE, DATETIME, LINE_COLUMNS, MONEY, NUMBER, RATE, TEXT, VOUCHER_COLUMNS,
                                     Column, ExportVoucher, rows)

if TYPE_CHECKING:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMATS = ("csv", "json", "xlsx")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_NUMBER_FORMATS = {MONEY: "0.00", RATE: "0.00######", DATE: "yyyy-mm-dd", DATETIME: "yyyy-mm-dd hh:mm:ss"}


@dataclass(frozen=True)
class ExportFile:
    """An export as it is downloaded."""

    content: bytes
    format: str
    batch_id: uuid.UUID | None
    """The batch it is (None for a listing that made no batch)."""
    voucher_count: int

    @property
    def filename(self) -> str:
        return f"vouchers-{self.batch_id}.{self.format}" if self.batch_id else f"vouchers.{self.format}"

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.format]


def render(vouchers: list[ExportVoucher], fmt: str) -> bytes:
    """The file of ``vouchers`` in the format ``fmt`` (one of ``FORMATS``)."""
    return RENDERERS[fmt](vouchers)


def text_value(column: Column, value: Any) -> str | None:
    """A value as text: amounts with two decimals, rates without trailing zeros, ISO dates and times."""
    if value is None:
        return None
    if column.kind == MONEY:
        return money_str(value)
    if column.kind == RATE:
        return f"{value.normalize():f}"
    if column.kind in (DATE, DATETIME):
        return value.isoformat()
    return str(value)


def to_csv(vouchers: list[ExportVoucher]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # Excel's dialect: commas, CRLF, quotes where a value needs them
    writer.writerow(column.name for column in COLUMNS)
    for values in rows(vouchers):
        writer.writerow(_csv_cell(column, value) for column, value in zip(COLUMNS, values))
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(column: Column, value: Any) -> str:
    text = text_value(column, value) or ""
    return f"'{text}" if column.kind == TEXT and text.startswith(FORMULA_STARTS) else text


def to_json(vouchers: list[ExportVoucher]) -> bytes:
    document = {"vouchers": [_json_voucher(voucher) for voucher in vouchers]}
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")


def _json_voucher(voucher: ExportVoucher) -> dict[str, Any]:
    lines = [{column.name: _json_value(column, getattr(line, column.name)) for column in LINE_COLUMNS}
             for line in voucher.lines]
    return {column.name: _json_value(column, getattr(voucher, column.name)) for column in VOUCHER_COLUMNS} | {
        "lines": lines}


def _json_value(column: Column, value: Any) -> Any:
    return value if column.kind == NUMBER else text_value(column, value)


def to_xlsx(vouchers: list[ExportVoucher]) -> bytes:
    from openpyxl import Workbook  # loaded by the processes that write a spreadsheet, not by all that import this

    workbook = Workbook(write_only=True)  # rows stream to the file: a large export never holds every cell
    sheet = workbook.create_sheet("vouchers")
    sheet.freeze_panes = "A2"
    sheet.append([column.name for column in COLUMNS])
    for values in rows(vouchers):
        sheet.append([_xlsx_cell(sheet, column, value) for column, value in zip(COLUMNS, values)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet: WriteOnlyWorksheet, column: Column, value: Any) -> WriteOnlyCell:
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=_xlsx_value(column, value))
    if column.kind == TEXT and value is not None:
        cell.data_type = "s"  # a text, whatever it starts with: never a formula
    if column.kind in XLSX_NUMBER_FORMATS:
        cell.number_format = XLSX_NUMBER_FORMATS[column.kind]
    return cell


def _xlsx_value(column: Column, value: Any) -> Any:
    if value is None or column.kind in (MONEY, RATE, DATE, NUMBER):
        return value
    if column.kind == DATETIME:
        return value.astimezone(timezone.utc).replace(tzinfo=None)  # a spreadsheet's times have no zone: UTC
    return str(value)


RENDERERS: dict[str, Callable[[list[ExportVoucher]], bytes]] = {"csv": to_csv, "json": to_json, "xlsx": to_xlsx}
