"""The exports API: approved and posted vouchers as CSV, JSON or XLSX, and export batches.

``GET /api/v1/exports/vouchers`` reads and never marks anything: the vouchers not exported yet (or every matching
one, ``include_exported``), or a batch again (``batch``). ``POST`` makes a batch: it marks the vouchers it exports,
so it is not a GET, which proxies, prefetchers and retries repeat, which the pages' session cookie may send from
another site, and which runs in a read-only transaction here. Staff and auditors read (as they read vouchers);
accountants and admins make batches (``MANAGE_LEDGER``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses
from posting.exports import service
from posting.exports.formats import MEDIA_TYPES, ExportFile
from posting.exports.schemas import ExportBatchList, ExportBatchOut, ExportQuery, ExportRead

router = APIRouter(prefix="/api/v1", tags=["exports"], responses=API_ERRORS)

EXPORT_HEADERS: dict[str, Any] = {
    "Content-Disposition": {"description": "attachment; filename=vouchers-<batch>.<format> (vouchers.<format> "
                                           "without a batch)", "schema": {"type": "string"}},
    "X-Export-Count": {"description": "How many vouchers the file holds", "required": True,
                       "schema": {"type": "integer", "minimum": 0}},
    "X-Export-Batch": {"description": "The batch the file is (absent when it is none)", "schema": {"type": "string"}},
}
EXPORT_FILE = {"description": "One row per voucher line in the documented columns (docs/posting.md)",
               "content": {media_type: {} for media_type in MEDIA_TYPES.values()}, "headers": EXPORT_HEADERS}


@router.get("/exports/vouchers", response_class=Response, responses={200: EXPORT_FILE, **error_responses(404, 422)})
def read_vouchers(principal: CurrentPrincipal, session: SessionDep, query: Annotated[ExportRead, Query()]) -> Response:
    """The approved and posted vouchers not exported yet (``include_exported``: also those exported), as a file;
    or, with ``batch``, that batch's file again, byte for byte. Marks nothing: ``POST`` makes a batch."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    if query.batch:
        return file_response(service.batch_file(session, principal.company_id, query.batch, query.format))
    export = service.read_vouchers(session, principal.company_id, query.export_filter(), query.format or "csv",
                                   include_exported=query.include_exported)
    return file_response(export)


@router.post("/exports/vouchers", status_code=201, response_class=Response,
             responses={201: EXPORT_FILE, 200: EXPORT_FILE | {"description": "Nothing new to export: the file has "
                                                                             "the header alone; no batch was made"},
                        **error_responses(422)})
def export_vouchers(principal: CurrentPrincipal, session: SessionDep,
                    query: Annotated[ExportQuery, Query()]) -> Response:
    """Export the matching vouchers not exported before as a new batch (201; ``X-Export-Batch`` names it): each is
    marked with it and never exported by a batch again. ``GET ?batch=`` downloads it again."""
    exporter = service.exporter_of(principal)
    export = service.create_batch(session, exporter, query.export_filter(), query.format or "csv")
    return file_response(export, 201 if export.batch_id else 200)


@router.get("/export-batches", response_model=ExportBatchList)
def list_batches(principal: CurrentPrincipal, session: SessionDep,
                 limit: Annotated[int, Query(ge=1, le=200)] = 50, cursor: str | None = None) -> ExportBatchList:
    """Newest first."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    rows, next_cursor = service.list_batches(session, principal.company_id, limit=limit, cursor=cursor)
    return ExportBatchList(items=[ExportBatchOut.of(batch) for batch in rows], next_cursor=next_cursor)


def file_response(export: ExportFile, status_code: int = 200) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{export.filename}"',
               "X-Export-Count": str(export.voucher_count)}
    if export.batch_id:
        headers["X-Export-Batch"] = str(export.batch_id)
    return Response(export.content, status_code, headers, media_type=export.media_type)
