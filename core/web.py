"""FastAPI plumbing shared by every router: sessions, the current principal, errors, cursors."""

from __future__ import annotations

import base64
import html
import json
import logging
from collections.abc import Iterator, Mapping
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPBearer
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from core.auth import SESSION_COOKIE, Principal, principal_for_bearer, principal_from_session_cookie
from core.db import DATABASE_DOWN, transaction
from core.errors import (DatabaseUnavailable, ErrorBody, FileTooLarge, InvalidRequest, LedgerdeskError,
                         NotAuthenticated, QueueUnavailable, ServiceUnavailable)
from core.permissions import Permission
from core.queue import QUEUE_DOWN
from core.settings import get_settings

log = logging.getLogger(__name__)


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def get_db(request: Request) -> Iterator[Session]:
    """The request's unit of work: committed when the endpoint returns, rolled back on error.

    Reading requests get a read-only transaction: it never waits for a writer and cannot change anything.
    """
    with transaction(read_only=request.method in SAFE_METHODS) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_db, scope="function")]


BEARER_TOKEN = HTTPBearer(auto_error=False, scheme_name="bearerToken",
                          description="An API token (`ledgerdesk token create`); reads also accept the pages' "
                                      "session cookie.")
"""Declares the API's authentication in OpenAPI; ``get_principal`` reads and checks the header itself."""


def get_principal(request: Request, _declared: Annotated[Any, Depends(BEARER_TOKEN)]) -> Principal:
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
            await render_error(Request(scope), _body_too_large())(scope, receive, send)
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


HTTP_ERROR_NAMES = {400: "BadRequest", 404: "NotFound", 405: "MethodNotAllowed", 413: "FileTooLarge"}
"""Names of the errors Starlette and FastAPI raise themselves (a route that does not exist, a body that cannot be
parsed ...)."""


def install_error_handlers(app: FastAPI) -> None:
    """Render every failure as ``{"error", "detail"}`` (a small HTML page for a browser asking for a page).

    Expected failures keep their own status; a database or queue that is down is a 503 with ``Retry-After``;
    anything else is a 500 ``InternalError`` (Starlette raises it again after the response, so the server logs
    it with its traceback).
    """
    app.add_exception_handler(LedgerdeskError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for dependency_error in DATABASE_DOWN + QUEUE_DOWN:
        app.add_exception_handler(dependency_error, _dependency_down)
    app.add_exception_handler(Exception, _unexpected_error)


async def _domain_error(request: Request, exc: LedgerdeskError) -> Response:
    return render_error(request, exc)


async def _validation_error(request: Request, exc: RequestValidationError) -> Response:
    detail = "; ".join(_describe_validation_error(e) for e in exc.errors())
    return error_response(request, "ValidationError", detail, 422)


async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
    name = HTTP_ERROR_NAMES.get(exc.status_code, "HTTPError")
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (methods := allowed_methods(request)):
        headers["Allow"] = methods
    return error_response(request, name, str(exc.detail), exc.status_code, headers)


def allowed_methods(request: Request) -> str:
    """Every method the app's routes take at the request's path. The router's own 405 names the methods of the
    first route that matched the path only (``POST`` for ``/api/v1/documents``, which also takes ``GET``).

    As in OpenAPI, a path without parameters that matches is the request's path alone: ``/api/v1/accounts/import``
    takes ``POST``, though ``/api/v1/accounts/{key}`` would match it too."""
    matching = [route for route in iter_route_contexts(request.app.routes)
                if route.methods and route.matches(request.scope)[0] is not Match.NONE]
    concrete = [route for route in matching if "{" not in (route.path_format or "")]
    return ", ".join(sorted({method for route in concrete or matching for method in route.methods}))


async def _dependency_down(request: Request, exc: Exception) -> Response:
    unavailable = dependency_unavailable(exc)
    log.warning("%s %s answered 503 %s: %s: %s", request.method, request.url.path, type(unavailable).__name__,
                type(exc).__name__, exc)
    return render_error(request, unavailable)


async def _unexpected_error(request: Request, _exc: Exception) -> Response:
    detail = ("Something went wrong on our side and it was logged. Try again; if it keeps happening, "
              "tell an administrator what you did and when.")
    return error_response(request, "InternalError", detail, 500)


def dependency_unavailable(exc: Exception) -> ServiceUnavailable:
    """The 503 error that stands for ``exc``, one of ``DATABASE_DOWN`` or ``QUEUE_DOWN``."""
    if isinstance(exc, QUEUE_DOWN):
        return QueueUnavailable("The job queue cannot be reached. Try again in a few seconds; if it keeps "
                                "happening, an administrator should look at Redis (GET /readyz names what is down).")
    return DatabaseUnavailable("The database cannot be reached or is too busy. Try again in a few seconds; if it keeps "
                               "happening, an administrator should look at it (GET /readyz names what is down).")


def render_error(request: Request, error: LedgerdeskError) -> Response:
    """The response for a named error, with its status and headers."""
    return error_response(request, type(error).__name__, error.detail, error.status_code, error.headers, error.extra)


def error_response(request: Request, name: str, detail: str, status_code: int,
                   headers: Mapping[str, str] | None = None, extra: Mapping[str, Any] | None = None) -> Response:
    """``{"error": name, "detail": detail}`` (and the error's ``extra`` fields), or the same as a small HTML page for
    a browser asking for a page."""
    if _wants_page(request):
        page = _PLAIN_PAGE.format(title=html.escape(name), detail=html.escape(detail))
        return HTMLResponse(page, status_code=status_code, headers=headers)
    body = ErrorBody(error=name, detail=detail).model_dump() | dict(extra or {})
    return JSONResponse(body, status_code=status_code, headers=headers)


_PLAIN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} · ledgerdesk</title>
<link rel="stylesheet" href="/static/app.css"></head><body><main><section class="card narrow"><h1>{title}</h1>
<p class="error" role="alert">{detail}</p><p><a href="/review">Back to the review queue</a></p></section></main></body></html>"""


def _wants_page(request: Request) -> bool:
    """A browser asking for a page (not the API) gets an HTML error page."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def _describe_validation_error(error: dict[str, Any]) -> str:
    location = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
    return f"{location}: {error.get('msg', 'invalid')}"


# --- what the published OpenAPI says about errors -------------------------------------------------------------

ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The body cannot be parsed",
    401: "No valid credentials: send 'Authorization: Bearer <token>'",
    403: "The caller's role may not do this",
    404: "It does not exist, or it belongs to another company",
    409: "It conflicts with the current state (already decided, not failed, an Idempotency-Key used for another file)",
    413: "The body is larger than the largest accepted upload",
    415: "The file is of a type that is not accepted (judged from its bytes)",
    422: "A parameter or the body is not valid",
    503: "The database or the job queue is unreachable or busy; try again after Retry-After seconds",
}
ERROR_HEADERS: dict[int, dict[str, dict[str, Any]]] = {
    401: {"WWW-Authenticate": {"description": "The scheme to authenticate with: Bearer", "required": True,
                               "schema": {"type": "string"}}},
    503: {"Retry-After": {"description": "Seconds to wait before trying again", "required": True,
                          "schema": {"type": "integer", "minimum": 0}}},
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` of a route or router that may answer ``statuses``: each an ``ErrorBody`` with its headers."""
    return {status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status],
                     **({"headers": ERROR_HEADERS[status]} if status in ERROR_HEADERS else {})}
            for status in statuses}


API_ERRORS = error_responses(401, 403, 503)
"""What every route of the API may answer (its routes add their own: 404, 409 ...; FastAPI adds 422 where a
parameter or body is validated, which ``publish_error_contract`` declares as ``ErrorBody``)."""

FASTAPI_VALIDATION_SCHEMAS = ("HTTPValidationError", "ValidationError")
_FASTAPI_VALIDATION_REF = "#/components/schemas/HTTPValidationError"


def publish_error_contract(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI declare the 422 the validation handler answers (``ErrorBody``), not FastAPI's own."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_validation_errors(build())
        return app.openapi_schema

    app.openapi = openapi


def declare_validation_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with each of FastAPI's ``HTTPValidationError`` responses replaced by an ``ErrorBody`` one."""
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.get("responses", {}) if isinstance(operation, dict) else {}
            if _is_fastapi_validation_error(responses.get("422")):
                responses["422"] = _error_body_response(422)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name in FASTAPI_VALIDATION_SCHEMAS:
        components.pop(name, None)
    components.setdefault("ErrorBody", ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}"))
    return schema


def _is_fastapi_validation_error(response: dict[str, Any] | None) -> bool:
    schema = (response or {}).get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("$ref") == _FASTAPI_VALIDATION_REF


def _error_body_response(status: int) -> dict[str, Any]:
    return {"description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}}


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
