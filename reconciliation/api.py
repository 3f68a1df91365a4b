"""The bank statements API: import a statement file, list statements and read one with its lines, the bank accounts
they made, and the CSV/Excel column profiles. Clerks, accountants and admins (``RECONCILE``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Form, Path, Query, Response, UploadFile

from core.auth import Principal
from core.blobs import StagedBlob, get_blob_store
from core.db import transaction
from core.outbox import relay_after_commit
from core.permissions import Permission
from core.settings import get_settings
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses, requires
from reconciliation import service
from reconciliation.schemas import (BankAccountList, BankAccountOut, ProfileFields, ProfileIn, ProfileList, ProfileOut,
                                    StatementImported, StatementList, StatementOut, StatementWithLines,
                                    TransactionOut, TransactionPage)

router = APIRouter(prefix="/api/v1", tags=["bank-statements"], responses=API_ERRORS)
Reconciler = Annotated[Principal, requires(Permission.RECONCILE)]
"""Resolved from the headers alone: a caller who may not reconcile is refused before the file is stored."""
Limit = Annotated[int, Query(ge=1, le=200)]
ProfileName = Annotated[str, Path(max_length=20, description="The profile's name")]
CHUNK_BYTES = 1024 * 1024


@router.post("/bank-statements", status_code=201, response_model=StatementImported,
             responses={200: {"model": StatementImported, "description": "The same file was imported before: its "
                                                                         "statements, every line a duplicate"},
                        **error_responses(413, 415, 422)})
def upload_statement(principal: Reconciler, response: Response, file: UploadFile, background: BackgroundTasks,
                     profile: Annotated[str | None, Form(max_length=20, description="The column profile of a CSV or "
                                                                                    "Excel file")] = None
                     ) -> StatementImported:
    """Import a CAMT.052/.053/.054, MT940/MT942, OFX, CSV or Excel statement (told from its contents). All or
    nothing: a file that cannot be imported is refused with where it broke (422 ``InvalidStatement``) and nothing is
    stored. Lines the account has already (overlapping statements) are counted as duplicates, not imported twice.
    The new lines are matched to open items by a worker right after (``GET /api/v1/bank-statements/{id}/matches``)."""
    with get_blob_store().stage(get_settings().max_statement_bytes) as staged:
        _copy(file, staged)
        imported = _import(principal, service.Upload(file.filename or "statement", staged, profile))
    if not imported.created:
        response.status_code = 200
    background.add_task(relay_after_commit)
    return StatementImported.of(imported)


def _copy(file: UploadFile, staged: StagedBlob) -> None:
    """Into the blob store's staging; past the size limit ``FileTooLarge`` (413) stops it."""
    while chunk := file.file.read(CHUNK_BYTES):
        staged.write(chunk)


def _import(principal: Principal, upload: service.Upload) -> service.Imported:
    """Look up, read the file outside any transaction, commit the original, store: each in its own step."""
    with transaction(read_only=True) as session:
        known = service.known_import(session, principal, upload.file.sha256)
        profile = None if known else service.column_profile(session, principal.company_id, upload.profile)
    if known:
        return known
    statements = service.read_upload(upload, profile)
    with transaction(read_only=True) as session:
        service.check_accounts(session, principal, statements)
    upload.file.commit()
    with transaction() as session:
        return service.store_import(session, principal, upload, statements)


@router.get("/bank-statements", response_model=StatementList, responses=error_responses(422))
def list_statements(principal: CurrentPrincipal, session: SessionDep,
                    account: Annotated[str | None, Query(max_length=70, description="An IBAN or account number")] = None,
                    limit: Limit = 50, cursor: str | None = None) -> StatementList:
    """Newest import first."""
    rows, next_cursor = service.list_statements(session, principal, account=account, limit=limit, cursor=cursor)
    return StatementList(items=[StatementOut.of(row, service.account_of(session, row)) for row in rows],
                         next_cursor=next_cursor)


@router.get("/bank-statements/{statement_id}", response_model=StatementWithLines, responses=error_responses(404, 422))
def get_statement(statement_id: uuid.UUID, principal: CurrentPrincipal, session: SessionDep, limit: Limit = 100,
                  cursor: str | None = None) -> StatementWithLines:
    """The statement with a page of its lines."""
    statement = service.get_statement(session, principal, statement_id)
    lines, next_cursor = service.statement_lines(session, statement, limit=limit, cursor=cursor)
    out = StatementOut.of(statement, service.account_of(session, statement))
    page = TransactionPage(items=[TransactionOut.of(line) for line in lines], next_cursor=next_cursor)
    return StatementWithLines(**out.model_dump(), transactions=page)


@router.get("/bank-accounts", response_model=BankAccountList, responses=error_responses(422))
def list_bank_accounts(principal: CurrentPrincipal, session: SessionDep, limit: Limit = 50,
                       cursor: str | None = None) -> BankAccountList:
    """The accounts statements were imported for, by identifier."""
    rows, next_cursor = service.list_accounts(session, principal, limit=limit, cursor=cursor)
    return BankAccountList(items=[BankAccountOut.of(row) for row in rows], next_cursor=next_cursor)


@router.get("/csv-profiles", response_model=ProfileList, responses=error_responses(422))
def list_profiles(principal: CurrentPrincipal, session: SessionDep, limit: Limit = 50,
                  cursor: str | None = None) -> ProfileList:
    rows, next_cursor = service.list_profiles(session, principal, limit=limit, cursor=cursor)
    return ProfileList(items=[ProfileOut.of(row) for row in rows], next_cursor=next_cursor)


@router.post("/csv-profiles", status_code=201, response_model=ProfileOut, responses=error_responses(400, 409, 422))
def create_profile(body: ProfileIn, principal: CurrentPrincipal, session: SessionDep) -> ProfileOut:
    """How a bank's CSV or Excel export is read (docs/bank-statements.md); 422 listing every problem."""
    return ProfileOut.of(service.create_profile(session, principal, body.model_dump(exclude_none=True)))


@router.get("/csv-profiles/{name}", response_model=ProfileOut, responses=error_responses(404))
def get_profile(name: ProfileName, principal: CurrentPrincipal, session: SessionDep) -> ProfileOut:
    return ProfileOut.of(service.get_profile(session, principal, name))


@router.patch("/csv-profiles/{name}", response_model=ProfileOut, responses=error_responses(400, 404, 422))
def update_profile(name: ProfileName, body: ProfileFields, principal: CurrentPrincipal,
                   session: SessionDep) -> ProfileOut:
    """Changes the fields given; ``null`` puts one back to its default."""
    return ProfileOut.of(service.update_profile(session, principal, name, body.model_dump(exclude_unset=True)))


@router.delete("/csv-profiles/{name}", status_code=204, response_class=Response, responses=error_responses(404))
def delete_profile(name: ProfileName, principal: CurrentPrincipal, session: SessionDep) -> Response:
    service.delete_profile(session, principal, name)
    return Response(status_code=204)
