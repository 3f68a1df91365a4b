"""Request and response shapes of the vendor master API."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from models import Vendor


class VendorIn(BaseModel):
    """A vendor to add. With ``document_id`` alone, the vendor the document's matching proposed (its
    ``vendor.proposal``) is created and the document is matched to it; given values take precedence."""

    name: str | None = Field(default=None, max_length=200)
    tax_id: str | None = Field(default=None, max_length=50)
    iban: str | None = Field(default=None, max_length=50)
    aliases: list[str] = Field(default_factory=list, max_length=50)
    default_account_code: str | None = Field(default=None, max_length=20)
    cost_centre_code: str | None = Field(default=None, max_length=20)
    payment_terms: str | None = Field(default=None, max_length=100)
    document_id: uuid.UUID | None = None


class VendorOut(BaseModel):
    id: uuid.UUID
    name: str
    tax_id: str | None
    iban: str | None
    aliases: list[str]
    default_account_code: str | None
    cost_centre_code: str | None
    payment_terms: str | None

    @classmethod
    def of(cls, vendor: Vendor) -> VendorOut:
        return cls(id=vendor.id, name=vendor.name, tax_id=vendor.tax_id, iban=vendor.iban,
                   aliases=list(vendor.aliases or []), default_account_code=vendor.default_account_code,
                   cost_centre_code=vendor.cost_centre_code, payment_terms=vendor.payment_terms)


class VendorList(BaseModel):
    items: list[VendorOut]
    next_cursor: None = None
