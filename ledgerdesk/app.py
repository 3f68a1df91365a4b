"""The FastAPI application factory."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from core.logs import configure_logging
from core.settings import get_settings
from core.web import RequestSizeLimit, install_error_handlers, publish_error_contract
from extraction.api import router as vendors_router
from intake.api import router as documents_router
from ledgerdesk.audit_api import router as audit_router
from ledgerdesk.ops import router as ops_router
from posting.api import router as vouchers_router
from posting.approvals.api import ROUTERS as approval_routers
from posting.budgets.api import router as budgets_router
from posting.exports.api import router as exports_router
from posting.ledger.api import router as ledger_router
from posting.masterdata.api import ROUTERS as master_data_routers
from posting.openitems.api import router as open_items_router
from posting.rules.api import router as posting_rules_router
from posting.suggestions.api import router as suggestions_router
from posting.webhooks.api import router as webhooks_router
from reconciliation.api import router as bank_statements_router
from reconciliation.matching.api import router as matching_router
from review_ui.api import router as review_router
from review_ui.pages import router as pages_router

STATIC_DIR = Path(__file__).resolve().parent.parent / "review_ui" / "static"


def create_app() -> FastAPI:
    """The whole HTTP surface: API under /api/v1, pages, static files, operations endpoints."""
    configure_logging(get_settings())  # also validates the settings at start, not at the first request
    app = FastAPI(title="ledgerdesk", version="0.1.0", description="Document processing for finance teams")
    install_error_handlers(app)
    publish_error_contract(app)
    app.add_middleware(RequestSizeLimit)
    for router in (documents_router, review_router, vouchers_router, ledger_router, open_items_router, vendors_router,
                   *master_data_routers, posting_rules_router, suggestions_router, *approval_routers, budgets_router,
                   exports_router, webhooks_router, bank_statements_router, matching_router, audit_router, ops_router,
                   pages_router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
