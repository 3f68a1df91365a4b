"""Reading a master data file into rows: CSV (UTF-8, separated by commas, semicolons or tabs, a header row naming
the columns) or YAML (a list of entries, or a mapping with the list under the table's name). Pure: bytes in, rows out.

Every value stays text, as typed (YAML's ``0100`` is not the number 64, nor ``no`` false): the table's readers decide
what it means. Column names are compared in lower case with ``_`` for spaces and dashes (``Parent code`` is
``parent_code``).
"""

from __future__ import annotations

import csv
import io
from pathlib import PurePath
from typing import Any

import yaml

from core.errors import InvalidRequest, MasterDataRejected, UnsupportedFileType
from posting.masterdata.validation import Row, RowError, rejection

FORMATS = ("csv", "yaml")
CONTENT_TYPES = {"text/csv": "csv", "application/csv": "csv", "application/yaml": "yaml",
                 "application/x-yaml": "yaml", "text/yaml": "yaml", "text/x-yaml": "yaml"}
SUFFIXES = {".csv": "csv", ".yaml": "yaml", ".yml": "yaml"}
YAML_NULLS = frozenset({"~", "null", "Null", "NULL"})


def file_format(declared: str | None, content_type: str | None = None, filename: str | None = None) -> str:
    """``csv`` or ``yaml``: as declared, else as the content type or the file name's ending says."""
    if declared:
        fmt = declared.strip().lower().replace("yml", "yaml")
        if fmt not in FORMATS:
            raise InvalidRequest(f"format must be csv or yaml, not {declared!r}.")
        return fmt
    found = CONTENT_TYPES.get((content_type or "").split(";")[0].strip().lower())
    found = found or SUFFIXES.get(PurePath(filename or "").suffix.lower())
    if found is None:
        raise UnsupportedFileType("Cannot tell whether the file is CSV or YAML: send format=csv or format=yaml, "
                                  "or a file named .csv or .yaml.")
    return found


def read_rows(data: bytes, fmt: str, table_name: str) -> list[Row]:
    """The rows of a CSV or YAML file of ``table_name``; ``MasterDataRejected`` when it cannot be read at all."""
    text = _decoded(data)
    return _csv_rows(text) if fmt == "csv" else _yaml_rows(text, table_name)


def _unreadable(message: str) -> MasterDataRejected:
    return rejection([RowError(0, "", message)])


def _decoded(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _unreadable("the file is not UTF-8 text: save it as 'CSV UTF-8' (or as YAML in UTF-8)") from None
    if not text.strip():
        raise _unreadable("the file is empty")
    return text


def column_name(name: Any) -> str:
    return str(name).strip().lower().replace(" ", "_").replace("-", "_")


def _csv_rows(text: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text), _dialect(text))
    names = [column_name(name) for name in next(reader)]
    named = [name for name in names if name]
    if len(set(named)) != len(named):
        raise _unreadable(f"the header names a column twice: {', '.join(named)}")
    return [Row(number, {name: cell for name, cell in zip(names, cells) if name})
            for number, cells in enumerate(reader, start=2) if any(cell.strip() for cell in cells)]


def _dialect(text: str) -> type[csv.Dialect]:
    """Commas, or semicolons (as Excel writes CSV where the comma is the decimal sign), or tabs."""
    try:
        return csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _yaml_rows(text: str, table_name: str) -> list[Row]:
    try:
        document = yaml.load(text, Loader=yaml.BaseLoader)  # noqa: S506 - BaseLoader builds only text, lists, maps
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark else ""
        raise _unreadable(f"the file is not YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    entries = _entries(document, table_name)
    errors = [RowError(n, "", "an entry is a mapping of column: value") for n, entry in enumerate(entries, start=1)
              if not isinstance(entry, dict)]
    if errors:
        raise rejection(errors)
    return [Row(number, _yaml_values(entry)) for number, entry in enumerate(entries, start=1)]


def _entries(document: Any, table_name: str) -> list[Any]:
    if isinstance(document, dict):
        document = document.get(table_name, document.get(table_name.replace("-", "_")))
    if not isinstance(document, list):
        raise _unreadable(f"the YAML holds no list of entries: write a list, or put it under {table_name}:")
    return document


def _yaml_values(entry: dict[str, Any]) -> dict[str, Any]:
    return {column_name(name): None if isinstance(value, str) and value in YAML_NULLS else value
            for name, value in entry.items()}
