"""Server-rendered pages: sign-in, the review queue and the review of one document."""

from __future__ import annotations

import hmac
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from core.auth import SESSION_COOKIE, Principal, authenticate_password, sign_session
from core.errors import LedgerdeskError, NotAuthenticated, PermissionDenied
from core.permissions import Permission, has_permission
from core.settings import get_settings
from core.web import SessionDep, optional_principal
from extraction.fields import fields_for
from extraction.service import latest_extraction
from intake.service import get_document
from intake.views import document_out
from posting import service as posting_service
from posting.schemas import VoucherOut
from review_ui import service

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


@router.get("/", response_model=None)
def home(principal: MaybePrincipal) -> RedirectResponse:
    return RedirectResponse("/review" if principal else "/login", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/review") -> HTMLResponse:
    return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", response_model=None)
def login(request: Request, session: SessionDep, email: Annotated[str, Form()], password: Annotated[str, Form()],
          next: Annotated[str, Form()] = "/review") -> Response:
    user = authenticate_password(session, email, password)
    if user is None:
        return templates.TemplateResponse(request, "login.html", {"next": _safe_next(next),
                                          "error": "Unknown e-mail or wrong password."}, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, sign_session(user), httponly=True, samesite="lax",
                        secure=get_settings().env == "production", max_age=get_settings().session_max_age_seconds)
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/review", response_model=None)
def review_queue(request: Request, session: SessionDep, principal: MaybePrincipal) -> Response:
    if principal is None:
        return _login_redirect(request)
    if not has_permission(principal.role, Permission.REVIEW):
        return _error_page(request, principal, PermissionDenied("Your role does not review documents."))
    rows = service.queue(session, principal)
    return templates.TemplateResponse(request, "queue.html", {"principal": principal, "rows": rows})


@router.get("/review/{document_id}", response_model=None)
def review_document(request: Request, document_id: uuid.UUID, session: SessionDep,
                    principal: MaybePrincipal) -> Response:
    if principal is None:
        return _login_redirect(request)
    try:
        return _render_document(request, session, principal, document_id, error=None)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)


@router.post("/review/{document_id}", response_model=None)
async def submit_review(request: Request, document_id: uuid.UUID, session: SessionDep,
                        principal: MaybePrincipal) -> Response:
    if principal is None:
        return _login_redirect(request)
    form = await request.form()
    if not hmac.compare_digest(str(form.get("csrf_token", "")), principal.csrf_token):
        return _error_page(request, principal, PermissionDenied("The form expired; reload the page and try again."))
    document = get_document(session, principal, document_id)
    corrections = _changed_fields(form, session, document_id)
    decision = service.ReviewDecision(str(form.get("decision", "")), corrections, str(form.get("comment") or "") or None)
    try:
        service.decide(session, principal, document_id, decision)
    except LedgerdeskError as exc:
        session.rollback()
        return _render_document(request, session, principal, document.id, error=exc.detail, status_code=exc.status_code)
    return RedirectResponse("/review", status_code=303)


def _changed_fields(form, session, document_id: uuid.UUID) -> dict[str, str]:
    """Only the fields whose value the reviewer changed become corrections."""
    current = {name: field.get("value") for name, field in _current_fields(session, document_id).items()}
    changed = {}
    for key, value in form.multi_items():
        if key.startswith("field:"):
            name = key.removeprefix("field:")
            if str(value).strip() != str(current.get(name) or "").strip():
                changed[name] = str(value)
    return changed


def _current_fields(session, document_id: uuid.UUID) -> dict:
    extraction = latest_extraction(session, document_id)
    return extraction.fields if extraction else {}


def _render_document(request: Request, session, principal: Principal, document_id: uuid.UUID, *, error: str | None,
                     status_code: int = 200) -> Response:
    document = get_document(session, principal, document_id)
    view = document_out(session, document)
    voucher = posting_service.current_voucher(session, document.id)
    context = {
        "principal": principal, "doc": view, "error": error,
        "field_names": fields_for(view.doc_type), "voucher": VoucherOut.of(voucher) if voucher else None,
        "can_review": has_permission(principal.role, Permission.REVIEW) and view.status in service.REVIEWABLE,
    }
    return templates.TemplateResponse(request, "document.html", context, status_code=status_code)


def _error_page(request: Request, principal: Principal | None, error: LedgerdeskError) -> Response:
    if isinstance(error, NotAuthenticated):
        return _login_redirect(request)
    return templates.TemplateResponse(request, "error.html", {"principal": principal, "error": error},
                                      status_code=error.status_code)


def _safe_next(target: str) -> str:
    """Only same-site paths, so the login form cannot redirect elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") else "/review"
