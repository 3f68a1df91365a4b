"""The vendor master, and what clerks' confirmations taught about each vendor's documents."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin, utcnow


class Vendor(IdMixin, TimestampMixin, Base):
    __tablename__ = "vendors"
    __table_args__ = (UniqueConstraint("company_id", "name"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    tax_id: Mapped[str | None] = mapped_column(String(50), index=True)
    iban: Mapped[str | None] = mapped_column(String(50))
    default_account_code: Mapped[str | None] = mapped_column(String(20))
    cost_centre_code: Mapped[str | None] = mapped_column(String(20))
    payment_terms: Mapped[str | None] = mapped_column(String(100))
    """As agreed with the vendor, e.g. ``30 days net``."""
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default=text("'[]'"))
    """Other names the vendor's documents print (a trading name, an old name, a transliteration)."""


class VendorFieldMemory(IdMixin, TimestampMixin, Base):
    """Where one vendor's documents print one field, as clerks confirmed it (``extraction.vendor_memory``):
    ``memory`` holds the label words left of and above the value, its box on the page, its kind and the last value
    confirmed; ``confirmations`` counts the approved documents that agreed."""

    __tablename__ = "vendor_field_memories"
    __table_args__ = (UniqueConstraint("vendor_id", "field"),)

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    vendor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vendors.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    confirmations: Mapped[int] = mapped_column(default=1)
    memory: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    last_document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("documents.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
