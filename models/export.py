"""Export batches: each time the vouchers not exported before were taken out of the system, and the file they went
out in, so the same batch can be downloaded again byte for byte."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin, TimestampMixin


class ExportBatch(IdMixin, TimestampMixin, Base):
    """The vouchers of one export (each marked with the batch in ``Voucher.export_batch_id``) and its file."""

    __tablename__ = "export_batches"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    created_by: Mapped[str] = mapped_column(String(300))
    """Who exported it, as the audit log names them: ``user:ada@example.com``, ``system:cli``."""
    format: Mapped[str] = mapped_column(String(10))
    """``csv``, ``json`` or ``xlsx``: the file's format, in which the batch is downloaded again."""
    filters: Mapped[dict[str, Any]] = mapped_column(JSON)
    """What was asked for: ``{"from": "2026-03-01", "to": "2026-03-31", "statuses": ["posted"]}``."""
    voucher_count: Mapped[int]
    line_count: Mapped[int]
    blob_key: Mapped[str] = mapped_column(String(64))
    """The file in the blob store (its sha256)."""
