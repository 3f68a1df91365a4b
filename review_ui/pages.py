"""Server-rendered pages: sign-in, the review queue, the review of one document, and bank reconciliation.

Every form posts without JavaScript; ``static/review.js`` only adds highlighting and keyboard shortcuts.
"""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from core.auth import SESSION_COOKIE, Principal, authenticate_password, sign_session
from core.errors import InvalidRequest, LedgerdeskError, NotAuthenticated, NotFound, PermissionDenied
from core.outbox import relay_after_commit
from core.permissions import Permission, has_permission
from core.settings import get_settings
from core.web import SessionDep, optional_principal
from extraction.fields import fields_for, normalize_correction
from extraction import service as extraction_service
from extraction.service import latest_extraction
from intake import service as intake_service
from intake.views import document_out
from models import DocumentStatus
from posting import service as posting_service
from posting.approvals import service as approval_service
from posting.approvals.schemas import waiting_out
from posting.schemas import VoucherOut
from reconciliation.matching import service as matching_service
from review_ui import service

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")

MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]

ERROR_TITLES = {403: "Not allowed", 404: "Not found", 409: "Not possible now", 422: "Cannot do that",
                503: "Unavailable for a moment"}
DONE_MESSAGES = {"approve": "Document approved.", "reject": "Document rejected.",
                 "return": "Document returned to the queue.",
                 "approve_draft": "Document approved. Its voucher is a draft and waits for an approver.",
                 "awaiting_approval": "Document approved. Its voucher waits for the steps of its approval route.",
                 "step_approved": "Step approved.",
                 "step_rejected": "Voucher rejected; its document is back in the review queue."}
LOW_CONFIDENCE = 0.8


async def _form_data(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(_form_data)]


# --- template helpers -------------------------------------------------------------------------------------------


def _as_utc(value: datetime | str | None) -> datetime | None:
    if value is None or value == "":
        return None
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def format_when(value: datetime | str | None) -> str:
    """A stored timestamp as people read it: ``2024-03-12 14:05 UTC``."""
    moment = _as_utc(value)
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def format_iso(value: datetime | str | None) -> str:
    """A stored timestamp for ``<time datetime=...>``."""
    moment = _as_utc(value)
    return moment.isoformat(timespec="seconds") if moment else ""


def status_label(status: str | None) -> str:
    """``needs_review`` -> ``Needs review``."""
    return (status or "unknown").replace("_", " ").capitalize()


def box_style(bbox: list[float]) -> str:
    """CSS placing a field's box over its page image; ``bbox`` is ``[x0, y0, x1, y1]`` in page fractions."""
    x0, y0, x1, y1 = (float(v) * 100 for v in bbox)
    return f"left:{x0:.2f}%;top:{y0:.2f}%;width:{x1 - x0:.2f}%;height:{y1 - y0:.2f}%"


templates.env.filters.update(when=format_when, iso=format_iso, status_label=status_label, box_style=box_style)
templates.env.globals.update(LOW_CONFIDENCE=LOW_CONFIDENCE,
                             may=lambda principal, permission: has_permission(principal.role, Permission(permission)))


# --- sign-in ----------------------------------------------------------------------------------------------------


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
        context = {"next": _safe_next(next), "error": "Unknown e-mail or wrong password.", "email": email}
        return templates.TemplateResponse(request, "login.html", context, status_code=401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, sign_session(user), httponly=True, samesite="lax",
                        secure=get_settings().env == "production", max_age=get_settings().session_max_age_seconds)
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


# --- the queue --------------------------------------------------------------------------------------------------


@router.get("/review", response_model=None)
def review_queue(request: Request, session: SessionDep, principal: MaybePrincipal, done: str = "") -> Response:
    """Open review tasks, oldest first, and the documents that could not be processed."""
    if principal is None:
        return _login_redirect(request)
    if not has_permission(principal.role, Permission.REVIEW):
        return _error_page(request, principal, _may_not_review(principal))
    failed, _ = intake_service.list_documents(session, principal, status=DocumentStatus.FAILED, doc_type=None,
                                              limit=50, cursor=None)
    context = {"principal": principal, "rows": service.queue(session, principal), "failed": failed,
               "approvals": _approvals_for(session, principal), "flash": DONE_MESSAGES.get(done)}
    return templates.TemplateResponse(request, "queue.html", context)


# --- one document -----------------------------------------------------------------------------------------------


@router.get("/review/{document_id:uuid}", response_model=None)
def review_document(request: Request, document_id: uuid.UUID, session: SessionDep,
                    principal: MaybePrincipal) -> Response:
    if principal is None:
        return _login_redirect(request)
    try:
        _require_reader(principal)
        return _render_document(request, session, principal, document_id)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)


@router.post("/review/{document_id:uuid}", response_model=None)
def submit_review(request: Request, document_id: uuid.UUID, session: SessionDep, principal: MaybePrincipal,
                  form: FormDep) -> Response:
    """Apply the reviewer's decision; on a refused value, show the page again with what they typed."""
    if principal is None:
        return _login_redirect(request)
    try:
        _check_csrf(form, principal)
        _require_reviewer(principal)
        intake_service.get_document(session, principal, document_id)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)
    decision = _decision_from(form, session, document_id)
    try:
        _check_values(session, principal, document_id, decision.corrections)
        document = service.decide(session, principal, document_id, decision)
    except LedgerdeskError as exc:
        session.rollback()
        return _render_document(request, session, principal, document_id, error=exc.detail,
                                status_code=exc.status_code, submitted=_submitted_values(form),
                                field_errors=getattr(exc, "field_errors", None))
    return RedirectResponse(f"/review?{urlencode({'done': _done(session, document, decision)})}", status_code=303)


def _done(session, document, decision: service.ReviewDecision) -> str:
    """Which message the queue shows after a decision."""
    if document.status == DocumentStatus.AWAITING_APPROVAL:
        return "awaiting_approval"
    return "approve_draft" if service.voucher_waits_for_approver(session, document) else decision.decision


@router.post("/review/{document_id:uuid}/approval", response_model=None)
def decide_step(request: Request, document_id: uuid.UUID, session: SessionDep, principal: MaybePrincipal,
                form: FormDep) -> Response:
    """Approve or reject the step of its approval route the document's voucher waits at."""
    if principal is None:
        return _login_redirect(request)
    try:
        _check_csrf(form, principal)
        document = intake_service.get_document(session, principal, document_id)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)
    try:
        done = _decide_step(session, principal, document, form)
    except LedgerdeskError as exc:
        session.rollback()
        return _render_document(request, session, principal, document_id, error=exc.detail,
                                status_code=exc.status_code)
    return RedirectResponse(f"/review?{urlencode({'done': done})}", status_code=303)


def _decide_step(session, principal: Principal, document, form: FormData) -> str:
    voucher = posting_service.current_voucher(session, document.id)
    if voucher is None:
        raise InvalidRequest("The document has no voucher to approve.")
    step = int(form["step"]) if str(form.get("step", "")).isdigit() else None
    comment = str(form.get("comment") or "").strip() or None
    if form.get("decision") == "reject":
        if comment is None:
            raise InvalidRequest("Say why you reject the voucher: the comment goes back to review with the document.")
        posting_service.reject_at_step(session, voucher, principal, comment, step=step)
        return "step_rejected"
    posting_service.approve_voucher(session, voucher, principal, step=step, comment=comment)
    return "step_approved"


@router.post("/review/{document_id:uuid}/retry", response_model=None)
def retry_document(request: Request, document_id: uuid.UUID, session: SessionDep, principal: MaybePrincipal,
                   form: FormDep, background: BackgroundTasks) -> Response:
    """Send a failed document through processing again."""
    if principal is None:
        return _login_redirect(request)
    try:
        _check_csrf(form, principal)
        intake_service.retry(session, principal, document_id)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)
    background.add_task(relay_after_commit)
    return RedirectResponse(f"/review/{document_id}", status_code=303)


@router.post("/review/{document_id:uuid}/vendor", response_model=None)
def create_vendor(request: Request, document_id: uuid.UUID, session: SessionDep, principal: MaybePrincipal,
                  form: FormDep) -> Response:
    """Add the vendor the document's matching proposed to the vendor master, in one click."""
    if principal is None:
        return _login_redirect(request)
    try:
        _check_csrf(form, principal)
        _require_reviewer(principal)
        intake_service.get_document(session, principal, document_id)
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)
    try:
        extraction_service.create_vendor(session, principal, name=None, document_id=document_id)
    except LedgerdeskError as exc:
        session.rollback()
        return _render_document(request, session, principal, document_id, error=exc.detail,
                                status_code=exc.status_code)
    return RedirectResponse(f"/review/{document_id}", status_code=303)


def _decision_from(form: FormData, session, document_id: uuid.UUID) -> service.ReviewDecision:
    corrections = _changed_fields(form, session, document_id)
    comment = str(form.get("comment") or "").strip() or None
    return service.ReviewDecision(str(form.get("decision", "")), corrections, comment)


def _submitted_values(form: FormData) -> dict[str, str]:
    """What the reviewer typed, keyed by field name and ``comment``, to put back into the form."""
    values = {key.removeprefix("field:"): str(value) for key, value in form.multi_items() if key.startswith("field:")}
    return values | {"comment": str(form.get("comment") or "")}


def _changed_fields(form: FormData, session, document_id: uuid.UUID) -> dict[str, str]:
    """Only the fields whose value the reviewer changed become corrections."""
    current = {name: field.get("value") for name, field in _current_fields(session, document_id).items()}
    changed = {}
    for name, value in _submitted_values(form).items():
        if name != "comment" and value.strip() != str(current.get(name) or "").strip():
            changed[name] = value
    return changed


class FieldErrors(InvalidRequest):
    """Typed values that are not valid for their fields; ``field_errors`` maps each field to its message."""

    def __init__(self, field_errors: dict[str, str]):
        super().__init__(" ".join(field_errors.values()))
        self.field_errors = field_errors


def _check_values(session, principal: Principal, document_id: uuid.UUID, corrections: dict[str, str]) -> None:
    """Check every typed value before deciding, so each problem is shown beside its input at once."""
    doc_type = intake_service.get_document(session, principal, document_id).doc_type
    errors = {}
    for name, value in corrections.items():
        try:
            normalize_correction(doc_type, name, value)
        except InvalidRequest as exc:
            errors[name] = exc.detail
    if errors:
        raise FieldErrors(errors)


def _current_fields(session, document_id: uuid.UUID) -> dict:
    extraction = latest_extraction(session, document_id)
    return extraction.fields if extraction else {}


def _render_document(request: Request, session, principal: Principal, document_id: uuid.UUID, *,
                     error: str | None = None, status_code: int = 200,
                     submitted: dict[str, str] | None = None,
                     field_errors: dict[str, str] | None = None) -> Response:
    document = intake_service.get_document(session, principal, document_id)
    view = document_out(session, document)
    voucher = posting_service.current_voucher(session, document.id)
    may_review = has_permission(principal.role, Permission.REVIEW)
    context = {
        "principal": principal, "doc": view, "error": error, "submitted": submitted or {},
        "field_errors": field_errors or {},
        "field_names": fields_for(view.doc_type), "voucher": VoucherOut.of(voucher) if voucher else None,
        "voucher_waits": service.voucher_waits_for_approver(session, document),
        "approval_barrier": approval_service.barrier(session, principal, voucher) if voucher else None,
        "can_review": may_review and view.status in service.REVIEWABLE,
        "can_retry": may_review and view.status == DocumentStatus.FAILED,
    }
    return templates.TemplateResponse(request, "document.html", context, status_code=status_code)


def _approvals_for(session, principal: Principal) -> list:
    """What the caller may approve now, for the queue page (none for a role that approves nothing)."""
    if not has_permission(principal.role, Permission.APPROVE_VOUCHERS):
        return []
    rows, _ = approval_service.queue(session, principal, limit=50)
    return [waiting_out(voucher, document.filename, document.doc_type) for voucher, document in rows]


# --- guards and errors ------------------------------------------------------------------------------------------


def _check_csrf(form: FormData, principal: Principal) -> None:
    sent = str(form.get("csrf_token", "")).encode()  # bytes: compare_digest refuses non-ASCII str
    if not principal.csrf_token or not hmac.compare_digest(sent, principal.csrf_token.encode()):
        raise PermissionDenied("The form expired or did not come from this site; reload the page and try again.")


def _may_not_review(principal: Principal) -> PermissionDenied:
    return PermissionDenied(f"Your role ({principal.role}) may not review documents. "
                            "Ask an administrator if you need access to the review queue.")


def _require_reviewer(principal: Principal) -> None:
    if not has_permission(principal.role, Permission.REVIEW):
        raise _may_not_review(principal)


def _require_reader(principal: Principal) -> None:
    """Reviewers and those who see every document (auditors, read-only) may open the review page."""
    if not (has_permission(principal.role, Permission.REVIEW)
            or has_permission(principal.role, Permission.VIEW_ALL_DOCUMENTS)):
        raise _may_not_review(principal)


def _login_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?{urlencode({'next': request.url.path})}", status_code=303)


def _error_page(request: Request, principal: Principal | None, error: LedgerdeskError) -> Response:
    if isinstance(error, NotAuthenticated):
        return _login_redirect(request)
    context = {"principal": principal, "error": error,
               "title": ERROR_TITLES.get(error.status_code, "Something went wrong")}
    return templates.TemplateResponse(request, "error.html", context, status_code=error.status_code,
                                      headers=error.headers)


def _safe_next(target: str) -> str:
    """Only same-site paths, so the login form cannot redirect elsewhere."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/review"


# --- reconciliation ---------------------------------------------------------------------------------------------

MATCH_DECISIONS = {"confirm": matching_service.confirm, "reject": matching_service.reject}
DECIDED_MESSAGES = {"confirm": "Match confirmed: its clearing voucher is posted.",
                    "reject": "Match rejected: the line is unmatched again and nothing of it stays posted."}


@router.get("/reconciliation", response_model=None)
def reconciliation_page(request: Request, session: SessionDep, principal: MaybePrincipal, done: str = "") -> Response:
    """Suggestions to confirm or reject (with their reasons), automatic matches to check, lines nothing fits."""
    if principal is None:
        return _login_redirect(request)
    try:
        return _render_reconciliation(request, session, principal, flash=DECIDED_MESSAGES.get(done))
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)


@router.post("/reconciliation/matches/{match_id:uuid}/{decision}", response_model=None)
def decide_match(request: Request, match_id: uuid.UUID, decision: str, session: SessionDep,
                 principal: MaybePrincipal, form: FormDep) -> Response:
    """Confirm or reject a match; a refusal (the items were paid meanwhile ...) shows the page again saying why."""
    if principal is None:
        return _login_redirect(request)
    decide = MATCH_DECISIONS.get(decision)
    try:
        _check_csrf(form, principal)
        principal.require(Permission.RECONCILE)
        if decide is None:
            raise NotFound(f"A match is confirmed or rejected, not {decision!r}.")
    except LedgerdeskError as exc:
        return _error_page(request, principal, exc)
    try:
        decide(session, principal, match_id)
    except LedgerdeskError as exc:
        session.rollback()
        return _render_reconciliation(request, session, principal, error=exc.detail, status_code=exc.status_code)
    return RedirectResponse(f"/reconciliation?{urlencode({'done': decision})}", status_code=303)


def _render_reconciliation(request: Request, session, principal: Principal, *, flash: str | None = None,
                           error: str | None = None, status_code: int = 200) -> Response:
    context = {"principal": principal, "board": matching_service.board(session, principal), "flash": flash,
               "error": error}
    return templates.TemplateResponse(request, "reconciliation.html", context, status_code=status_code)
