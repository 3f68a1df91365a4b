"""Identity: companies (tenants), their users and API tokens. In core because auth needs them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, IdMixin, TimestampMixin


class Company(IdMixin, TimestampMixin, Base):
    __tablename__ = "companies"

    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    base_currency: Mapped[str] = mapped_column(String(3), default="EUR")
    post_on_approval: Mapped[bool] = mapped_column(default=True, server_default=true())
    """Whether approving a voucher posts it at once (else ``POST /api/v1/vouchers/{id}/post`` does)."""


class User(IdMixin, TimestampMixin, Base):
    """A person who signs in; belongs to one company with one role there."""

    __tablename__ = "users"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)

    company: Mapped[Company] = relationship(lazy="joined")

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class ApiToken(IdMixin, TimestampMixin, Base):
    """A bearer token for machines; only the sha256 of the token is stored."""

    __tablename__ = "api_tokens"

    company_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("companies.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
