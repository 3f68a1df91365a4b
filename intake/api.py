"""The documents API: upload, read, list, the original file and page images, retry."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, Header, Query, Request, Response
from fastapi.responses import FileResponse
from starlette.concurrency import run_in_threadpool

from core.blobs import get_blob_store
from core.outbox import relay_after_commit
from core.settings import get_settings
from core.auth import Principal
from core.db import transaction
from core.errors import NotFound
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses, requires
from intake import service
from intake.upload_form import REQUEST_BODY, read_upload_form
from intake.sniff import ACCEPTED_TYPES
from intake.schemas import DocumentCreated, DocumentList, DocumentOut, ExtractionVersionList
from intake.views import document_out, document_summary, extraction_versions
from models import Document

router = APIRouter(prefix="/api/v1/documents", tags=["documents"], responses=API_ERRORS)

ORIGINAL_FILE = {"description": "The original bytes, of the type judged from them at upload",
                 "content": {media_type: {} for media_type in ACCEPTED_TYPES}}
PAGE_IMAGE = {"description": "The page as a PNG image", "content": {"image/png": {}}}


Uploader = Annotated[Principal, requires(Permission.UPLOAD)]
"""Resolved from the headers alone: a caller who may not upload is refused before the body is read."""


@router.post("", status_code=201, response_model=DocumentCreated, openapi_extra={"requestBody": REQUEST_BODY},
             responses={200: {"model": DocumentCreated, "description": "The same bytes were uploaded before"},
                        **error_responses(409, 413, 415)})
async def upload_document(
    request: Request,
    principal: Uploader,
    response: Response,
    background: BackgroundTasks,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> DocumentCreated:
    """Store a document and start processing it; answers at once, workers do the rest.

    The body is streamed into the blob store as it arrives: a file over the limit is refused (413) when the
    limit is passed, not after the whole body was read.
    """
    with get_blob_store().stage(get_settings().max_upload_bytes) as staged:
        form = await read_upload_form(request.headers.get("content-type", ""), request.stream(), staged)
        upload = service.Upload(form.filename or "upload", staged, form.fields.get("source") or "api",
                                form.fields.get("external_id") or None, form.fields.get("doc_type") or None,
                                idempotency_key)
        received = await run_in_threadpool(_receive, principal, upload)
    if received.created:
        background.add_task(relay_after_commit)
    else:
        response.status_code = 200
    return DocumentCreated(id=received.document_id, status=received.status, sha256=received.sha256,
                           duplicate_of=received.duplicate_of)


def _receive(principal: Principal, upload: service.Upload) -> service.Received:
    with transaction() as session:
        return service.receive(session, principal=principal, upload=upload)


@router.get("", response_model=DocumentList)
def list_documents(
    principal: CurrentPrincipal,
    session: SessionDep,
    status: str | None = None,
    doc_type: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: str | None = None,
) -> DocumentList:
    rows, next_cursor = service.list_documents(session, principal, status=status, doc_type=doc_type, limit=limit,
                                               cursor=cursor)
    return DocumentList(items=[document_summary(d) for d in rows], next_cursor=next_cursor)


@router.get("/{document_id}", response_model=DocumentOut, responses=error_responses(404))
def get_document(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> DocumentOut:
    return document_out(session, service.get_document(session, principal, document_id))


@router.get("/{document_id}/extractions", response_model=ExtractionVersionList, responses=error_responses(404))
def list_extractions(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> ExtractionVersionList:
    """Every version of the fields, newest first: who changed what, and when."""
    document = service.get_document(session, principal, document_id)
    return ExtractionVersionList(items=extraction_versions(session, document))


@router.get("/{document_id}/file", response_class=FileResponse,
            responses={200: ORIGINAL_FILE, **error_responses(404)})
def get_file(document_id: uuid.UUID, principal: CurrentPrincipal) -> FileResponse:
    """The original bytes, exactly as uploaded."""
    document = _look_up(principal, document_id)
    inline = document.media_type == "application/pdf" or document.media_type.startswith("image/")
    disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(document.filename, safe='')}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "sandbox"}  # an uploaded file never runs script in our origin
    return FileResponse(_stored_path(document.sha256), media_type=document.media_type, headers=headers)


@router.get("/{document_id}/pages/{number}.png", response_class=FileResponse,
            responses={200: PAGE_IMAGE, **error_responses(404)})
def get_page_image(document_id: uuid.UUID, number: int, principal: CurrentPrincipal) -> FileResponse:
    """The page as the worker drew it for the review page (never drawn here, so a request costs no more than
    reading a file)."""
    with transaction(read_only=True) as session:
        key = service.page_image_key(session, principal, document_id, number)
    return FileResponse(_stored_path(key), media_type="image/png", headers={"Cache-Control": "private, max-age=86400"})


def _look_up(principal: Principal, document_id: uuid.UUID) -> Document:
    """The document, from a transaction that ends before its file is read."""
    with transaction(read_only=True) as session:
        return service.get_document(session, principal, document_id)


def _stored_path(key: str):
    path = get_blob_store().path_for(key)
    if not path.exists():
        raise NotFound(f"The stored file {key} is missing; an administrator should restore the blob store.")
    return path


@router.post("/{document_id}/retry", response_model=DocumentCreated, responses=error_responses(404, 409))
def retry_document(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                   background: BackgroundTasks) -> DocumentCreated:
    """Process a failed document again."""
    document = service.retry(session, principal, document_id)
    background.add_task(relay_after_commit)
    return DocumentCreated(id=document.id, status=document.status, sha256=document.sha256, duplicate_of=None)
