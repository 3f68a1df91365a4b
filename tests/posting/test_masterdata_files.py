"""posting.masterdata.files: CSV and YAML bytes in, rows out (or one clear error for a file that cannot be read)."""

from __future__ import annotations

import pytest

from core.errors import InvalidRequest, MasterDataRejected, UnsupportedFileType
from posting.masterdata.files import file_format, read_rows


def rows(data: str | bytes, fmt: str, table: str = "accounts") -> list[tuple[int, dict]]:
    raw = data.encode() if isinstance(data, str) else data
    return [(row.number, row.values) for row in read_rows(raw, fmt, table)]


def refused(data: bytes, fmt: str, table: str = "accounts") -> list[dict]:
    with pytest.raises(MasterDataRejected) as raised:
        read_rows(data, fmt, table)
    assert raised.value.status_code == 422 and "nothing was written" in raised.value.detail
    return raised.value.errors


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_and_blank_lines_are_skipped():
    data = "Code,Name,Account type,Parent-Code\n6100,Office supplies,expense,6\n\n6200,\"Travel, by train\",expense,\n"
    assert rows(data, "csv") == [
        (2, {"code": "6100", "name": "Office supplies", "account_type": "expense", "parent_code": "6"}),
        (4, {"code": "6200", "name": "Travel, by train", "account_type": "expense", "parent_code": ""})]


def test_csv_with_semicolons_and_a_byte_order_mark_as_excel_writes_it():
    data = "\ufeffcode;name;rate\nS20;Standard;20,5\n".encode()
    assert rows(data, "csv", "tax-codes") == [(2, {"code": "S20", "name": "Standard", "rate": "20,5"})]


def test_csv_keeps_leading_zeros_and_chinese_text():
    assert rows("code,name\n0100,库存现金\n", "csv") == [(2, {"code": "0100", "name": "库存现金"})]


def test_yaml_values_stay_text_as_typed():
    data = "- {code: 0100, name: Cash, active: no, rate: 7.70}\n- code: '2202'\n  name: 应付账款\n  role: ~\n"
    assert rows(data, "yaml") == [(1, {"code": "0100", "name": "Cash", "active": "no", "rate": "7.70"}),
                                  (2, {"code": "2202", "name": "应付账款", "role": None})]


def test_yaml_may_hold_the_list_under_the_tables_name():
    data = "title: mine\ntax_codes:\n  - {code: S20, name: Standard, rate: '20'}\naccounts: []\n"
    assert rows(data, "yaml", "tax-codes") == [(1, {"code": "S20", "name": "Standard", "rate": "20"})]
    assert rows(data, "yaml", "accounts") == []


def test_yaml_lists_stay_lists():
    data = "- {name: Northwind, aliases: [Northwind Ltd, NW]}\n"
    assert rows(data, "yaml", "vendors") == [(1, {"name": "Northwind", "aliases": ["Northwind Ltd", "NW"]})]


@pytest.mark.parametrize(("data", "fmt", "message"), [
    (b"", "csv", "the file is empty"),
    (b" \n\n", "yaml", "the file is empty"),
    ("code,name\n6100,Bürobedarf\n".encode("latin-1"), "csv", "the file is not UTF-8 text"),
    (b"code,name,code\n1,x,2\n", "csv", "the header names a column twice"),
    (b"- code: [1\n", "yaml", "the file is not YAML (line 2)"),
    (b"code: 1\nname: x\n", "yaml", "the YAML holds no list of entries"),
])
def test_a_file_that_cannot_be_read_is_one_error_of_row_0(data, fmt, message):
    errors = refused(data, fmt)
    assert len(errors) == 1 and errors[0]["row"] == 0 and errors[0]["message"].startswith(message), errors


def test_yaml_entries_that_are_no_mapping_are_named_by_position():
    assert refused(b"- {code: '1', name: x}\n- just text\n- [a, b]\n", "yaml") == [
        {"row": 2, "field": "", "message": "an entry is a mapping of column: value"},
        {"row": 3, "field": "", "message": "an entry is a mapping of column: value"}]


@pytest.mark.parametrize(("declared", "content_type", "filename", "expected"), [
    ("CSV", None, None, "csv"), ("yml", "text/csv", "a.csv", "yaml"), (None, "text/csv; charset=utf-8", None, "csv"),
    (None, "application/x-yaml", "a.txt", "yaml"), (None, "application/octet-stream", "Chart.YML", "yaml"),
    (None, None, "accounts.csv", "csv"),
])
def test_the_format_is_as_declared_else_as_the_content_type_or_name_says(declared, content_type, filename, expected):
    assert file_format(declared, content_type, filename) == expected


def test_an_unknown_format_is_refused_with_what_to_send():
    with pytest.raises(InvalidRequest, match="format must be csv or yaml, not 'xlsx'"):
        file_format("xlsx", None, "a.csv")
    with pytest.raises(UnsupportedFileType, match="send format=csv or format=yaml") as raised:
        file_format(None, "application/octet-stream", "accounts.xlsx")
    assert raised.value.status_code == 415
