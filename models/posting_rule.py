"""Posting rules: a company's ordered, editable rules that decide where an expense line of a voucher goes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text, true
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class PostingRule(IdMixin, TimestampMixin, Base):
    """One rule: when its ``conditions`` hold for an expense line, its ``outcome`` decides the line's account, tax
    code, cost centre, project or approval route. The first matching rule by ``position`` wins
    (``posting.rules.matching``)."""

    __tablename__ = "posting_rules"
    __table_args__ = (Index("ix_posting_rules_company_position", "company_id", "position"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    position: Mapped[int]
    """1, 2, 3 ... in the company without gaps: the order rules are tried in, and how people name them."""
    name: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    """Only the conditions the rule has: ``{"vendor": "Amazon Web Services", "keywords": ["EC2"]}``."""
    outcome: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Only what the rule sets: ``{"account_code": "6500", "cost_centre_code": "IT"}``."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
