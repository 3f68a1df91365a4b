"""Request and response shapes of the exports API."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models import ExportBatch
from posting.exports.filters import ExportFilter, export_filter

Format = Literal["csv", "json", "xlsx"]


class ExportQuery(BaseModel):
    """Which vouchers an export takes, and its format."""

    model_config = ConfigDict(extra="forbid")

    format: Format | None = Field(default=None, description="csv (the default), json or xlsx")
    from_: date | None = Field(default=None, alias="from", description="The first voucher date (inclusive)")
    to: date | None = Field(default=None, description="The last voucher date (inclusive)")
    period: str | None = Field(default=None, description="A month, YYYY-MM: the vouchers dated in it",
                               examples=["2026-03"])
    status: Literal["approved", "posted"] | None = Field(default=None, description="Default: both")

    def export_filter(self) -> ExportFilter:
        return export_filter(start=self.from_, end=self.to, period=self.period, status=self.status)


class ExportRead(ExportQuery):
    batch: uuid.UUID | None = Field(default=None, description="A batch to download again: the very file it was")
    include_exported: bool = Field(default=False, description="Also the vouchers exported in a batch already")

    @model_validator(mode="after")
    def _batch_alone(self) -> ExportRead:
        others = [name for name in ("from_", "to", "period", "status") if getattr(self, name) is not None]
        if self.batch and (others or self.include_exported):
            raise ValueError("batch gives the batch as it was exported; leave out from, to, period, status and "
                             "include_exported (format may stay)")
        return self


class ExportBatchOut(BaseModel):
    id: uuid.UUID
    created_at: datetime
    created_by: str = Field(description="Who exported it: user:<e-mail>, or system:cli")
    format: str
    filters: dict[str, Any] = Field(description="What was asked for: from, to (voucher dates) and statuses")
    voucher_count: int
    line_count: int
    download: str = Field(description="Where to download it again, byte for byte")

    @classmethod
    def of(cls, batch: ExportBatch) -> ExportBatchOut:
        return cls(id=batch.id, created_at=batch.created_at, created_by=batch.created_by, format=batch.format,
                   filters=batch.filters, voucher_count=batch.voucher_count, line_count=batch.line_count,
                   download=f"/api/v1/exports/vouchers?batch={batch.id}")


class ExportBatchList(BaseModel):
    items: list[ExportBatchOut]
    next_cursor: str | None
