"""The charts of accounts a company can start from, shipped as YAML in ``posting/seeds/`` (with their tax codes), and
the rows that apply one to a company's chart. Read like any master data file (``posting.masterdata.files``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

from core.errors import InvalidRequest
from posting.masterdata.files import read_rows
from posting.masterdata.validation import Row

SEEDS_DIR = Path(__file__).resolve().parent.parent / "seeds"
CHARTS = ("ifrs", "cn-cas")
"""``ifrs``: a generic IFRS-style chart; ``cn-cas``: the Chinese enterprise accounting standards' chart."""
SEEDED_TABLES = ("accounts", "tax-codes")
"""In this order: tax codes name accounts."""

Mode = Literal["missing", "merge", "replace"]
"""``missing``: add the seed's records the company lacks; ``merge``: also update those it has to the seed's values;
``replace``: merge, and deactivate the company's records the seed does not have."""


@dataclass(frozen=True)
class Seed:
    name: str
    title: str
    rows: dict[str, list[Row]]
    """Rows by table: ``accounts`` and ``tax-codes``."""


@cache
def load_seed(name: str) -> Seed:
    """The seed chart called ``name`` (one of ``CHARTS``)."""
    if name not in CHARTS:
        raise InvalidRequest(f"There is no chart {name!r}; the charts are {', '.join(CHARTS)}.")
    data = (SEEDS_DIR / f"{name}.yaml").read_bytes()
    title = yaml.load(data, Loader=yaml.BaseLoader)["title"]  # noqa: S506 - text only
    return Seed(name, title, {table: read_rows(data, "yaml", table) for table in SEEDED_TABLES})


def seed_rows(rows: list[Row], key: str, records: dict[str, Any], mode: Mode) -> list[Row]:
    """The rows that apply a seed's ``rows`` (records known by ``key``) to a table holding ``records``."""
    if mode == "missing":
        return [row for row in rows if row.values[key] not in records]
    active = [Row(row.number, {"active": "true"} | row.values) for row in rows]  # a seed's records are in use
    if mode == "merge":
        return active
    seeded = {row.values[key] for row in rows}
    others = [other for other, record in records.items() if other not in seeded and record.active]
    return active + [Row(len(rows) + n, {key: other, "active": "false"}) for n, other in enumerate(others, start=1)]
