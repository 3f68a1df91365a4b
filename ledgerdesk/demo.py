"""``ledgerdesk demo``: a demo company with its chart of accounts (the generic IFRS-style one, or with ``--chart
cn-cas`` the Chinese one), cost centres, a project, a user for each role with an employee record, and a few
invoices."""

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
from core.identity import Company
from core.settings import get_settings
from intake import service as intake_service
from ledgerdesk.admin import ADMIN_ACTOR, create_user, get_or_create_company
from ledgerdesk.samples import InvoiceLine, SampleInvoice, render_invoice_pdf
from posting.masterdata.service import Editor, import_rows, seed_chart
from posting.masterdata.validation import Row

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


DEMO_COST_CENTRES = (("ADM", "Administration"), ("FIN", "Finance"), ("SAL", "Sales"), ("OPS", "Operations"))
DEMO_PROJECTS = (("P-2024-01", "Website relaunch"),)


def demo_master_data() -> dict[str, list[Row]]:
    """Cost centres, a project and an employee record for each demo user, as rows to import."""
    employees = [Row(n, {"number": f"E{n:03d}", "name": f"Demo {role.value}", "email": demo_email(role),
                         "user_email": demo_email(role), "cost_centre_code": "FIN" if role != Role.EMPLOYEE else "SAL"})
                 for n, role in enumerate(Role, start=1)]
    return {"cost-centres": [Row(n, {"code": c, "name": name}) for n, (c, name) in enumerate(DEMO_COST_CENTRES, 1)],
            "projects": [Row(n, {"code": c, "name": name}) for n, (c, name) in enumerate(DEMO_PROJECTS, 1)],
            "employees": employees}


def seed_demo(session: Session, chart: str | None = None) -> list[str]:
    """Create what is missing of the demo (with ``chart``, give the company that chart); returns lines describing
    what was created."""
    if get_settings().env == "production":
        raise RuntimeError("The demo (with its known password) is not created in production.")
    company = _demo_company(session, chart)
    return _demo_users(session, company) + _demo_master_data(session, company) + _demo_documents(session)


def _demo_users(session: Session, company: Company) -> list[str]:
    created = []
    for role in Role:
        if not session.scalars(select(User).where(User.email == demo_email(role))).first():
            create_user(session, company=company, email=demo_email(role), role=role, password=DEMO_PASSWORD,
                        full_name=f"Demo {role.value}")
            created.append(f"user {demo_email(role)}")
    return created


def _demo_master_data(session: Session, company: Company) -> list[str]:
    plans = {table: import_rows(session, Editor(company.id, ADMIN_ACTOR), table, rows, "demo")
             for table, rows in demo_master_data().items()}
    return [f"{plan.created} {table}" for table, plan in plans.items() if plan.created]


def _demo_documents(session: Session) -> list[str]:
    clerk = principal_for(session.scalars(select(User).where(User.email == demo_email(Role.CLERK))).one())
    created = []
    for invoice in demo_invoices():
        with get_blob_store().stage_bytes(render_invoice_pdf(invoice)) as pdf:
            upload = intake_service.Upload(f"{invoice.invoice_number}.pdf", pdf, source="demo")
            received = intake_service.receive(session, principal=clerk, upload=upload)
        if received.created:
            created.append(f"document {upload.filename}")
    return created


def _demo_company(session: Session, chart: str | None) -> Company:
    """The demo company; a chart asked for replaces the one it has (Chinese: in yuan, when it is created)."""
    chosen = chart or get_settings().chart
    company = get_or_create_company(session, DEMO_SLUG, "Demo Trading GmbH", "CNY" if chosen == "cn-cas" else "EUR",
                                    chosen)
    if chart:
        seed_chart(session, Editor(company.id, ADMIN_ACTOR), chart, "replace")
    return company
