"""``ledgerdesk demo``: a demo company with its chart, a user for each role and a few invoices."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.auth import principal_for
from core.blobs import get_blob_store
from core.identity import User
from core.permissions import Role
from core.settings import get_settings
from intake import service as intake_service
from ledgerdesk.admin import create_user, get_or_create_company
from ledgerdesk.samples import InvoiceLine, SampleInvoice, render_invoice_pdf

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_DOMAIN = "demo.ledgerdesk.test"


def demo_email(role: Role) -> str:
    return f"{role.value}@{DEMO_DOMAIN}"


def demo_invoices() -> list[SampleInvoice]:
    base = SampleInvoice()
    return [
        base,
        replace(base, vendor_name="Contoso Cloud Services BV", vendor_tax_id="NL123456789B01",
                invoice_number="CCS-88231", invoice_date=date(2024, 4, 2), tax_rate=Decimal("21"),
                lines=(InvoiceLine("Cloud hosting, April", Decimal("1"), Decimal("840.00")),)),
        replace(base, vendor_name="Fabrikam Travel GmbH", vendor_tax_id="DE811234567", invoice_number="FT-2024-117",
                invoice_date=date(2024, 4, 9), tax_rate=Decimal("7"),
                lines=(InvoiceLine("Rail tickets Berlin - Munich", Decimal("2"), Decimal("129.90")),)),
    ]


def seed_demo(session: Session) -> list[str]:
    """Create what is missing of the demo; returns lines describing what was created."""
    if get_settings().env == "production":
        raise RuntimeError("The demo (with its known password) is not created in production.")
    company = get_or_create_company(session, DEMO_SLUG, "Demo Trading GmbH", "EUR")
    created = []
    for role in Role:
        if not session.scalars(select(User).where(User.email == demo_email(role))).first():
            create_user(session, company=company, email=demo_email(role), role=role, password=DEMO_PASSWORD,
                        full_name=f"Demo {role.value}")
            created.append(f"user {demo_email(role)}")
    clerk = principal_for(session.scalars(select(User).where(User.email == demo_email(Role.CLERK))).one())
    for invoice in demo_invoices():
        with get_blob_store().stage_bytes(render_invoice_pdf(invoice)) as pdf:
            upload = intake_service.Upload(f"{invoice.invoice_number}.pdf", pdf, source="demo")
            received = intake_service.receive(session, principal=clerk, upload=upload)
        if received.created:
            created.append(f"document {upload.filename}")
    return created
