"""The posting rules API: list, read, add, change, move, delete, import and export a company's rules, and explain
which rules decide each line of a document's voucher (a dry run), and make a voucher line a rule. Staff read and
explain; reviewers make lines rules; accountants and admins change (``MANAGE_MASTER_DATA``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.datastructures import UploadFile

from core.auth import Principal
from core.errors import InvalidRequest, UnsupportedFileType
from core.permissions import Permission
from core.web import API_ERRORS, CurrentPrincipal, SessionDep, error_responses, requires
from posting.masterdata.api import editor
from posting.masterdata.service import Editor
from posting.rules import service
from posting.rules.schemas import ExplainIn, ExplanationOut, ImportOut, PromoteIn, RuleIn, RuleList, RuleOut
from posting.rules.service import Mode

router = APIRouter(prefix="/api/v1/posting-rules", tags=["posting-rules"], responses=API_ERRORS)
RuleId = Annotated[uuid.UUID, Path(description="The rule's id")]
Changer = Annotated[Principal, requires(Permission.MANAGE_MASTER_DATA)]
"""Resolved from the headers alone: a caller who may not change rules is refused before a file is read."""

YAML_FILE = {"description": "The rules as YAML, in order; importing it with mode=replace gives the same rules",
             "content": {"application/yaml": {"schema": {
                 "type": "object", "required": ["posting_rules"],
                 "properties": {"posting_rules": {"type": "array", "items": {
                     "type": "object", "description": "name, active, conditions, outcome (only those it has)"}}}}}}}
RULES_FILE = {"type": "object", "required": ["file"], "properties": {"file": {
    "type": "string", "format": "binary",
    "description": "A YAML or JSON file of rules, as docs/examples/posting-rules.yaml"}}}
IMPORT_BODY = {"required": True, "content": {
    "application/json": {"schema": {"description": "A list of rules, or {\"posting_rules\": [...]}"}},
    "application/yaml": {"schema": {"type": "string"}},
    "multipart/form-data": {"schema": RULES_FILE}}}


@dataclass(frozen=True)
class RulesFile:
    data: bytes
    filename: str


async def rules_file(request: Request) -> RulesFile:
    """The rules a request sends: its body (YAML or JSON), or the multipart field ``file``."""
    content_type = request.headers.get("content-type", "").lower()
    if not content_type.startswith("multipart/form-data"):
        sent = RulesFile(await request.body(), "")
    else:
        upload = (await request.form()).get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidRequest("Send the rules as the multipart field 'file', or as the body (YAML or JSON).")
        sent, content_type = RulesFile(await upload.read(), upload.filename or ""), upload.content_type or ""
    if "csv" in content_type or PurePath(sent.filename).suffix.lower() == ".csv":
        raise UnsupportedFileType("Posting rules are imported from YAML or JSON (their conditions are nested), not "
                                  "CSV: see docs/examples/posting-rules.yaml.")
    return sent


@router.get("", response_model=RuleList, summary="List the posting rules")
def list_rules(principal: CurrentPrincipal, session: SessionDep) -> RuleList:
    """Every rule of the company, in the order they are tried (the first that matches a line decides it)."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return RuleList(items=[RuleOut.of(row) for row in service.list_rules(session, principal.company_id)])


@router.post("", status_code=201, response_model=RuleOut, responses=error_responses(400, 413, 422),
             summary="Add a posting rule")
def create_rule(body: RuleIn, principal: CurrentPrincipal, session: SessionDep) -> RuleOut:
    """Appended, or at ``position`` with the rules from there on moving down. Refused whole (422) with every error:
    values that cannot be read (``MasterDataRejected``), or a rule that conflicts with another, makes cost centres
    go round in a circle, or names a code the master data lacks (``RuleConflict``)."""
    row = service.create_rule(session, editor(principal), body.values(), body.position)
    return RuleOut.of(row)


@router.post("/from-line", status_code=201, response_model=RuleOut, responses=error_responses(403, 404, 422),
             summary="Make a voucher line a posting rule")
def promote_line(body: PromoteIn, principal: CurrentPrincipal, session: SessionDep) -> RuleOut:
    """One step from a line's account (learned from history, or set by a clerk) to a rule: the line's vendor and the
    telling words of its description (or ``keywords``) -> its account. Reviewers may do it (it is how they teach
    the system); the rule is then the accountants' to change, and the audit log names the line it came from."""
    principal.require(Permission.REVIEW)
    keywords = tuple(body.keywords) if body.keywords is not None else None
    row = service.promote_line(session, Editor(principal.company_id, principal.actor), body.voucher_line_id,
                               keywords=keywords, name=body.name, position=body.position)
    return RuleOut.of(row)


@router.get("/export", response_class=Response, responses={200: YAML_FILE}, summary="Export the posting rules")
def export_rules(principal: CurrentPrincipal, session: SessionDep) -> Response:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return Response(service.export_rules(session, principal.company_id), media_type="application/yaml",
                    headers={"Content-Disposition": 'attachment; filename="posting-rules.yaml"'})


@router.post("/import", response_model=ImportOut, openapi_extra={"requestBody": IMPORT_BODY},
             responses=error_responses(400, 413, 415, 422), summary="Import posting rules from YAML or JSON")
def import_rules(principal: Changer, session: SessionDep, sent: Annotated[RulesFile, Depends(rules_file)],
                 mode: Annotated[Mode, Query(description="append: after the company's rules; replace: instead of "
                                                         "them")] = "append") -> ImportOut:
    """The rules of the body (YAML or JSON) or of the multipart field ``file``, in their order; all are checked
    with the company's (422 as for one rule), then all written, or none."""
    summary = service.import_rules(session, editor(principal), sent.data, mode, sent.filename)
    return ImportOut.of(summary)


@router.post("/explain", response_model=ExplanationOut, responses=error_responses(400, 404, 413, 422),
             summary="Explain which rules decide a document's voucher lines")
def explain(body: ExplainIn, principal: CurrentPrincipal, session: SessionDep) -> ExplanationOut:
    """Drafts the document's voucher from its latest fields with the company's rules as they are now, and answers
    each expense line with the rules that decide it and why. A dry run: nothing is stored."""
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return ExplanationOut.of(service.explain(session, principal.company_id, body.document_id))


@router.get("/{rule_id:uuid}", response_model=RuleOut, responses=error_responses(404), summary="Read a posting rule")
def get_rule(rule_id: RuleId, principal: CurrentPrincipal, session: SessionDep) -> RuleOut:
    principal.require(Permission.VIEW_ALL_DOCUMENTS)
    return RuleOut.of(service.get_rule(session, principal.company_id, rule_id))


@router.put("/{rule_id:uuid}", response_model=RuleOut, responses=error_responses(400, 404, 413, 422),
            summary="Change or move a posting rule")
def update_rule(rule_id: RuleId, body: RuleIn, principal: CurrentPrincipal, session: SessionDep) -> RuleOut:
    """The rule becomes the one sent (what it leaves out is not kept); with ``position`` it moves there."""
    row = service.update_rule(session, editor(principal), rule_id, body.values(), body.position)
    return RuleOut.of(row)


@router.delete("/{rule_id:uuid}", status_code=204, response_class=Response, responses=error_responses(404),
               summary="Delete a posting rule")
def delete_rule(rule_id: RuleId, principal: CurrentPrincipal, session: SessionDep) -> Response:
    """The rules after it move up one."""
    service.delete_rule(session, editor(principal), rule_id)
    return Response(status_code=204)
