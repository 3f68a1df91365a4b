"""The documents API: upload, read, list, the original file and page images, retry."""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, BackgroundTasks, File, Form, Header, Query, Response, UploadFile

from core.blobs import get_blob_store
from core.outbox import relay_after_commit
from core.settings import get_settings
from core.auth import Principal
from core.db import transaction
from core.web import CurrentPrincipal, SessionDep
from intake import service
from intake.render import page_png
from intake.schemas import DocumentCreated, DocumentList, DocumentOut, ExtractionVersionList
from intake.views import document_out, document_summary, extraction_versions
from models import Document

router = APIRouter(prefix="/api/v1/documents", tags=["documents"])


def read_limited(upload: UploadFile, max_bytes: int) -> bytes:
    """The upload's bytes, at most one byte past the limit, so an oversized file is refused without loading it."""
    return upload.file.read(max_bytes + 1)


@router.post("", status_code=201, response_model=DocumentCreated,
             responses={200: {"model": DocumentCreated, "description": "The same bytes were uploaded before"}})
def upload_document(
    principal: CurrentPrincipal,
    session: SessionDep,
    response: Response,
    background: BackgroundTasks,
    file: Annotated[UploadFile, File(description="The document: PDF, PNG, JPEG, TIFF, XML or OFD")],
    doc_type: Annotated[str | None, Form()] = None,
    source: Annotated[str, Form()] = "api",
    external_id: Annotated[str | None, Form()] = None,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> DocumentCreated:
    """Store a document and start processing it; answers at once, workers do the rest."""
    settings = get_settings()
    data = read_limited(file, settings.max_upload_bytes)
    upload = service.Upload(file.filename or "upload", data, source, external_id, doc_type, idempotency_key)
    received = service.receive(session, principal=principal, upload=upload, blobs=get_blob_store(),
                               max_bytes=settings.max_upload_bytes)
    if received.created:
        background.add_task(relay_after_commit)
    else:
        response.status_code = 200
    document = received.document
    return DocumentCreated(id=document.id, status=document.status, sha256=document.sha256,
                           duplicate_of=received.duplicate_of)


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


@router.get("/{document_id}", response_model=DocumentOut)
def get_document(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> DocumentOut:
    return document_out(session, service.get_document(session, principal, document_id))


@router.get("/{document_id}/extractions", response_model=ExtractionVersionList)
def list_extractions(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep) -> ExtractionVersionList:
    """Every version of the fields, newest first: who changed what, and when."""
    document = service.get_document(session, principal, document_id)
    return ExtractionVersionList(items=extraction_versions(session, document))


@router.get("/{document_id}/file")
def get_file(document_id: uuid.UUID, principal: CurrentPrincipal) -> Response:
    """The original bytes, exactly as uploaded."""
    document = _look_up(principal, document_id)
    inline = document.media_type == "application/pdf" or document.media_type.startswith("image/")
    disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(document.filename, safe='')}"
    headers = {"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff",
               "Content-Security-Policy": "sandbox"}  # an uploaded file never runs script in our origin
    return Response(get_blob_store().get(document.sha256), media_type=document.media_type, headers=headers)


@router.get("/{document_id}/pages/{number}.png")
def get_page_image(document_id: uuid.UUID, number: int, principal: CurrentPrincipal) -> Response:
    document = _look_up(principal, document_id)
    png = page_png(get_blob_store().get(document.sha256), document.media_type, number)
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


def _look_up(principal: Principal, document_id: uuid.UUID) -> Document:
    """The document, from a transaction that ends before its file is read or drawn."""
    with transaction(read_only=True) as session:
        return service.get_document(session, principal, document_id)


@router.post("/{document_id}/retry", response_model=DocumentCreated)
def retry_document(document_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep,
                   background: BackgroundTasks) -> DocumentCreated:
    """Process a failed document again."""
    document = service.retry(session, principal, document_id)
    background.add_task(relay_after_commit)
    return DocumentCreated(id=document.id, status=document.status, sha256=document.sha256, duplicate_of=None)
