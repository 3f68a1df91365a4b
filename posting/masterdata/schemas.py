"""Request and response shapes of the master data API. A record is answered as its plain dataclass
(``posting.chart.AccountSpec`` ...); what a request may send is made from the same dataclass, every column optional
(a new record's required ones are checked with the rest of its values, and answered as a 422 listing every error)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model

from posting.masterdata.records import Table
from posting.masterdata.seeds import CHARTS
from posting.masterdata.validation import ImportPlan

Record = TypeVar("Record")


class Page(BaseModel, Generic[Record]):
    items: list[Record]
    next_cursor: str | None


class RowErrorOut(BaseModel):
    row: int = Field(description="The spreadsheet row of a CSV line (the header is row 1), the position of a YAML "
                                 "entry (from 1); 0 for the file as a whole")
    field: str
    message: str


class ImportResult(BaseModel):
    created: int
    updated: int
    unchanged: int
    errors: list[RowErrorOut] = Field(
        default_factory=list, description="Empty: a file with any error is refused whole (422 MasterDataRejected, "
                                          "whose body lists every error as here, with created and updated 0)")

    @classmethod
    def of(cls, plan: ImportPlan) -> ImportResult:
        return cls(created=plan.created, updated=plan.updated, unchanged=plan.unchanged)


class SeedIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chart: Literal[CHARTS] = Field(description="ifrs: a generic IFRS-style chart; cn-cas: the Chinese enterprise "
                                               "accounting standards' chart (企业会计准则)")
    replace: bool = Field(default=False, description="Deactivate the accounts and tax codes the chart does not have "
                                                     "(needed to switch charts: two active accounts never share a role)")


class SeedResult(BaseModel):
    accounts: ImportResult
    tax_codes: ImportResult


def input_model(table: Table) -> type[BaseModel]:
    """What a request may send of a record of ``table``: each of its columns, optional; no other field."""
    hints = get_type_hints(table.record)
    columns: dict[str, Any] = {name: (hints[name] | None, None) for name in table.column_names}
    return create_model(f"{table.record.__name__.removesuffix('Spec')}In", __config__=ConfigDict(extra="forbid"),
                        **columns)
