"""Request shapes of the review API."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ReviewIn(BaseModel):
    decision: Literal["approve", "reject", "return"]
    corrections: dict[str, Any] = Field(default_factory=dict)
    comment: str | None = Field(default=None, max_length=2000)
