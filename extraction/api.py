"""The vendor master API: list the company's vendors, add one (also straight from a document's proposal)."""

from __future__ import annotations

from fastapi import APIRouter

from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from extraction import service
from extraction.schemas import VendorIn, VendorList, VendorOut

router = APIRouter(prefix="/api/v1/vendors", tags=["vendors"], responses=API_ERRORS)


@router.get("", response_model=VendorList)
def list_vendors(principal: CurrentPrincipal, session: SessionDep) -> VendorList:
    """The company's vendors, by name."""
    return VendorList(items=[VendorOut.of(v) for v in service.list_vendors(session, principal)])


@router.post("", status_code=201, response_model=VendorOut, responses=error_responses(404, 409, 422))
def create_vendor(body: VendorIn, principal: CurrentPrincipal, session: SessionDep) -> VendorOut:
    """Add a vendor; ``{"document_id": ...}`` alone creates the one the document's ``unknown_vendor`` issue
    proposes and matches the document to it."""
    vendor = service.create_vendor(session, principal, name=body.name, tax_id=body.tax_id, iban=body.iban,
                                   aliases=body.aliases, default_account_code=body.default_account_code,
                                   cost_centre_code=body.cost_centre_code, payment_terms=body.payment_terms,
                                   document_id=body.document_id)
    return VendorOut.of(vendor)
