"""Request and response shapes of the periods and posting settings API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class PeriodOut(BaseModel):
    period: str = Field(description="YYYY-MM", examples=["2026-03"])
    start: date
    end: date
    status: str = Field(description="open or closed")
    changed_by: str | None = Field(description="Who closed or reopened it last (e-mail)")
    changed_at: datetime | None


class PeriodList(BaseModel):
    items: list[PeriodOut]
    next_cursor: str | None = None


class PostingSettingsOut(BaseModel):
    base_currency: str
    post_on_approval: bool = Field(description="Approving a voucher posts it at once (else POST "
                                               "/api/v1/vouchers/{id}/post does)")


class PostingSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    post_on_approval: bool
