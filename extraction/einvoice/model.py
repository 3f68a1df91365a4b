"""What a structured e-invoice states, whatever its syntax: plain values, read exactly as the XML has them.

Every reader (UBL, CII, ZUGFeRD 1.0, the Chinese e-invoice XML and its OFD forms) returns an ``EInvoice``;
checking the sums and turning it into canonical fields are done once, for all of them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from extraction.model import BBox, Issue

SYNTAXES = ("UBL", "CII", "ZUGFeRD 1.0", "CN e-invoice XML", "CN XBRL", "OFD tags")
"""Names of the syntaxes a reader reports (``EInvoice.syntax``)."""


@dataclass(frozen=True)
class InvoiceLine:
    """One line item (EN 16931 BG-25); ``amount`` is the line's net amount (BT-131)."""

    description: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    tax_category: str | None = None
    tax_rate: Decimal | None = None
    tax_amount: Decimal | None = None
    """Stated per line only by some syntaxes (the Chinese ones)."""
    adjustments: Decimal = Decimal(0)
    """The line's charges less its allowances (BG-28, BG-27), which its net amount includes."""


@dataclass(frozen=True)
class TaxSubtotal:
    """The VAT breakdown for one category and rate (BG-23)."""

    category: str | None
    rate: Decimal | None
    taxable_amount: Decimal | None
    tax_amount: Decimal | None


@dataclass(frozen=True)
class AllowanceCharge:
    """A document-level allowance (BG-20) or charge (BG-21)."""

    is_charge: bool
    amount: Decimal
    reason: str | None = None
    tax_category: str | None = None
    tax_rate: Decimal | None = None

    @property
    def signed(self) -> Decimal:
        """The amount as it changes the net: a charge adds, an allowance takes off."""
        return self.amount if self.is_charge else -self.amount


def net_adjustment(adjustments: Iterable[AllowanceCharge]) -> Decimal:
    """Charges less allowances."""
    return sum((adjustment.signed for adjustment in adjustments), Decimal(0))


@dataclass(frozen=True)
class Totals:
    """The document totals (BG-22) as stated; None where the document leaves one out."""

    line_net: Decimal | None = None  # BT-106
    allowances: Decimal | None = None  # BT-107
    charges: Decimal | None = None  # BT-108
    without_tax: Decimal | None = None  # BT-109
    tax: Decimal | None = None  # BT-110
    with_tax: Decimal | None = None  # BT-112
    prepaid: Decimal | None = None  # BT-113
    rounding: Decimal | None = None  # BT-114
    due: Decimal | None = None  # BT-115
    third_party: Decimal | None = None
    """Payments to third parties the amount due includes (XRechnung's extension, BG-DEX-09)."""


@dataclass(frozen=True)
class Located:
    """Where a value is drawn on the document's page (OFD text objects): page number and box."""

    page: int
    bbox: BBox


@dataclass(frozen=True)
class EInvoice:
    """One e-invoice as its XML states it.

    ``values`` holds the canonical invoice fields (DESIGN.md section 5, plus ``vendor_bic``,
    ``payment_reference``, ``vendor_electronic_address``, ``customer_electronic_address``) as text written
    in the document, except dates, which are ISO (``2024-05-28``). ``evidence`` says, per field, where in the
    document it stands (``cac:AccountingSupplierParty/.../cbc:RegistrationName``). Amounts are as stated:
    a credit note's are positive here and made negative when it becomes fields.
    """

    syntax: str
    profile: str | None
    is_credit_note: bool
    values: dict[str, str]
    evidence: dict[str, str]
    lines: tuple[InvoiceLine, ...] = ()
    tax_subtotals: tuple[TaxSubtotal, ...] = ()
    allowances_charges: tuple[AllowanceCharge, ...] = ()
    totals: Totals = field(default_factory=Totals)
    locations: dict[str, Located] = field(default_factory=dict)
    """Fields whose value is drawn on a page the reader knows (the tagged text objects of an OFD)."""
    violations: tuple[Issue, ...] = ()
    """What the file breaks besides its own numbers, found while reading it: its schema, the rules of the
    specification it claims (XRechnung, Peppol), the PDF/A container it came in."""

    @property
    def description(self) -> str:
        """``UBL (Peppol BIS Billing 3.0) credit note``: what a person sees as the document's format."""
        kind = "credit note" if self.is_credit_note else "invoice"
        if self.profile and self.profile.startswith(self.syntax):
            return f"{self.profile} {kind}"  # ZUGFeRD 1.0's profiles name their syntax already
        return f"{self.syntax}{f' ({self.profile})' if self.profile else ''} {kind}"


@dataclass(frozen=True)
class StructuredInvoice:
    """The e-invoice a file carries (None: it carries none), or why the one inside a PDF could not be read
    (the PDF's pages are still read, so the document is not lost)."""

    einvoice: EInvoice | None = None
    problem: str | None = None


class NotAnEInvoice(Exception):
    """The XML parsed but holds no e-invoice the reader reads (its root element is something else)."""
