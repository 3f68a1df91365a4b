"""What learned account suggestions (``posting.suggestions``) learn from: each confirmed expense or asset line of an
approved voucher, with its embedding, so history is embedded once and not again for every draft."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, IdMixin


class AccountExample(IdMixin, Base):
    """A confirmed line: who sold it, what it said and the account it was posted to. Written when its voucher is
    approved, deleted when the voucher is reversed; ``ledgerdesk train suggestions`` rebuilds them all."""

    __tablename__ = "account_examples"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    voucher_line_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("voucher_lines.id"), unique=True)
    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vouchers.id"), index=True)
    vendor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vendors.id"))
    vendor_name: Mapped[str] = mapped_column(String(200), default="")
    """The vendor master's name, else the name printed (a receipt's merchant); empty for an expense claim."""
    description: Mapped[str] = mapped_column(Text, default="")
    account_code: Mapped[str] = mapped_column(String(20))
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    """The embedding of the description (``core.embeddings.vector_bytes``: float32 values)."""
    confirmed_at: Mapped[datetime]
    """When the voucher was approved."""
