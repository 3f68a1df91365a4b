"""FastAPI plumbing shared by every router: sessions, the current principal, errors, cursors."""

from __future__ import annotations

import base64
import html
import json
import logging
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from core.auth import SESSION_COOKIE, Principal, principal_for_bearer, principal_from_session_cookie
from core.db import transaction
from core.errors import FileTooLarge, InvalidRequest, LedgerdeskError, NotAuthenticated, error_body
from core.settings import get_settings
from core.permissions import Permission

log = logging.getLogger(__name__)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the endpoint returns, rolled back on error.

    Reading requests get a read-only transaction: it never waits for a writer and cannot change anything.
    """
    with transaction(read_only=request.method in SAFE_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


def get_principal(request: Request) -> Principal:
    """The API caller: a bearer token, or the pages' session cookie for reads only.

    Changes through the API need a bearer token, so a cookie alone cannot be ridden by another site
    (the pages' own forms carry a CSRF token instead).
    """
    principal = _principal_from_request(request, allow_cookie=request.method in SAFE_METHODS)
    if principal is None:
        raise NotAuthenticated("Send 'Authorization: Bearer <token>' or sign in at /login.")
    return principal


def optional_principal(request: Request) -> Principal | None:
    """The pages' caller, if signed in; the pages check their forms' CSRF token themselves."""
    return _principal_from_request(request, allow_cookie=True)


def _principal_from_request(request: Request, *, allow_cookie: bool) -> Principal | None:
    """Resolved apart from the request's unit of work, so that starts only when it needs to."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise NotAuthenticated("The Authorization header must be 'Bearer <token>'.")
        principal = principal_for_bearer(token.strip())
        if principal is None:
            raise NotAuthenticated("The API token is unknown or revoked.")
        return principal
    cookie = request.cookies.get(SESSION_COOKIE) if allow_cookie else None
    if not cookie:
        return None
    with transaction(read_only=True) as session:
        return principal_from_session_cookie(session, cookie)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def requires(permission: Permission):
    """A dependency that yields the principal if it holds ``permission``, else 403."""

    async def dependency(principal: CurrentPrincipal) -> Principal:  # async: no thread for a check in memory
        principal.require(permission)
        return principal

    return Depends(dependency)


MULTIPART_OVERHEAD = 1024 * 1024
"""Room for the form fields and boundaries around an upload of the largest accepted size."""


class RequestSizeLimit:
    """Refuse a request body beyond any upload we accept: at once when its Content-Length says so, otherwise
    as soon as the bytes that arrived pass the limit (a chunked body is never read to its end)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = get_settings().max_upload_bytes + MULTIPART_OVERHEAD
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > limit:
            error = _body_too_large()
            await JSONResponse(error_body(error), status_code=error.status_code)(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def counted() -> dict:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise StarletteHTTPException(413, _body_too_large().detail)  # FastAPI passes it on as it is
        return message

    return counted


def _body_too_large() -> FileTooLarge:
    limit = get_settings().max_upload_bytes
    return FileTooLarge(f"The request has more than {limit:,} bytes, the largest accepted; split or compress the file.")


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure as ``{"error", "detail"}``; expected failures are never a 500."""

    @app.exception_handler(LedgerdeskError)
    async def _domain_error(_request: Request, exc: LedgerdeskError):
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(error_body(exc), status_code=exc.status_code, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError):
        detail = "; ".join(_describe_validation_error(e) for e in exc.errors())
        return JSONResponse({"error": "ValidationError", "detail": detail}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException):
        name = {404: "NotFound", 405: "MethodNotAllowed", 413: "FileTooLarge"}.get(exc.status_code, "HTTPError")
        if _wants_page(request):
            return HTMLResponse(_PLAIN_PAGE.format(title=html.escape(name), detail=html.escape(str(exc.detail))),
                                status_code=exc.status_code)
        return JSONResponse({"error": name, "detail": str(exc.detail)}, status_code=exc.status_code)


_PLAIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · ledgerdesk</title>
<link rel="stylesheet" href="/static/app.css"></head><body><main><section class="card narrow"><h1>{title}</h1>
<p class="error" role="alert">{detail}</p><p><a href="/review">Back to the review queue</a></p></section></main></body></html>"""


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API) gets an HTML error page."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _describe_validation_error(error: dict[str, Any]) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{location}: {error.get('msg', 'invalid')}"


def encode_cursor(values: list[str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def decode_cursor(cursor: str) -> list[str]:
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (ValueError, TypeError) as exc:
        raise InvalidRequest("The cursor is not one this API gave out; start again without it.") from exc
    if not isinstance(values, list):
        raise InvalidRequest("The cursor is not one this API gave out; start again without it.")
    return [str(v) for v in values]
