"""The approval routes API (staff read; accountants and admins change, ``MANAGE_MASTER_DATA``) and the approval queue
(what the caller may approve now). Approving and rejecting a step are the vouchers API's (``posting.api``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Query, Response, UploadFile

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.approvals import service
from posting.approvals.schemas import RouteIn, RouteList, RouteOut, WaitingList, waiting_out
from posting.masterdata.api import editor
from posting.masterdata.files import file_format
from posting.masterdata.schemas import ImportResult

routes_router = APIRouter(prefix="/api/v1/approval-routes", tags=["approval-routes"], responses=API_ERRORS)
queue_router = APIRouter(prefix="/api/v1/approvals", tags=["approval-routes"], responses=API_ERRORS)


@routes_router.get("", response_model=RouteList)
def list_routes(principal: CurrentPrincipal, session: SessionDep) -> RouteList:
    """Every route, in the order they are tried: by position, then code."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return RouteList(items=[RouteOut.of(row) for row in service.list_routes(session, principal.company_id)])


@routes_router.post("", status_code=201, response_model=RouteOut, responses=error_responses(409, 413, 422))
def create_route(body: RouteIn, principal: CurrentPrincipal, session: SessionDep) -> RouteOut:
    """Add a route; 409 if its code is taken, 422 ``MasterDataRejected`` listing every error (a step's role that may
    not approve vouchers, an unknown e-mail, vendor or cost centre, amount_min above amount_max ...)."""
    return RouteOut.of(service.create_route(session, editor(principal), body.model_dump(mode="json")))


@routes_router.post("/import", response_model=ImportResult, responses=error_responses(400, 413, 415, 422))
def import_routes(principal: CurrentPrincipal, session: SessionDep, file: UploadFile,
                  format: Annotated[str | None, Form(description="yaml; default: as the file's content type or "
                                                                 "name says")] = None) -> ImportResult:
    """Creates and replaces routes by code from a YAML file (a list of routes, or one under ``approval-routes:``);
    any wrong entry refuses the whole file (422 ``MasterDataRejected`` with every error) and nothing is written."""
    changer = editor(principal)
    fmt = file_format(format, file.content_type, file.filename)
    return ImportResult.of(service.import_routes(session, changer, file.file.read(), fmt, file.filename or ""))


# ``:uuid``: only an id matches, so /import with a method it does not take answers 405, not a 422 for a bad id.
@routes_router.get("/{route_id:uuid}", response_model=RouteOut, responses=error_responses(404))
def get_route(route_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> RouteOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return RouteOut.of(service.get_route(session, principal.company_id, route_id))


@routes_router.put("/{route_id:uuid}", response_model=RouteOut, responses=error_responses(404, 409, 413, 422))
def replace_route(route_id: uuid.UUID, body: RouteIn, principal: CurrentPrincipal, session: SessionDep) -> RouteOut:
    """Replace every field of the route. Vouchers already on it keep the steps they were sent with."""
    changer = editor(principal)
    return RouteOut.of(service.replace_route(session, changer, route_id, body.model_dump(mode="json")))


@routes_router.delete("/{route_id:uuid}", status_code=204, response_class=Response,
                      responses=error_responses(404, 409))
def delete_route(route_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """Delete a route no voucher was sent on (409 otherwise: deactivate it instead)."""
    service.delete_route(session, editor(principal), route_id)
    return Response(status_code=204)


@queue_router.get("", response_model=WaitingList, responses=error_responses(422))
def approval_queue(principal: CurrentPrincipal, session: SessionDep,
                   limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> WaitingList:
    """The vouchers waiting at a step the caller may approve now (the step asks for them, and they did not upload
    the document, decide its review or approve an earlier step), newest first."""
    rows, next_cursor = service.queue(session, principal, limit=limit, cursor=cursor)
    return WaitingList(items=[waiting_out(voucher, document.filename, document.doc_type) for voucher, document in rows],
                       next_cursor=next_cursor)


ROUTERS = (routes_router, queue_router)
"""Both routers, for the app to include."""
