"""Approval routes with a session: the company's routes (list, create, replace, delete, import), the route a voucher
takes when it is drafted, its first step, each step approved or rejected with segregation of duties, and the queue
of what the caller may approve.

``posting.service`` calls in here and takes the locks first: drafting routes a voucher, ``approve_voucher`` approves a
routed voucher step by step (and the voucher itself after the last one), ``reject_at_step`` sends it back to review.
Nothing here approves or posts a voucher. Callers check permissions to manage routes (``MANAGE_MASTER_DATA``) and
commit.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Any

from sqlalchemy.orm import Session

from core import audit
from core.auth import Principal
from core.db import company_row, utcnow
from core.errors import (Conflict, InvalidStatusTransition, PermissionDenied, SegregationOfDuties,
                         UnsupportedFileType)
from core.identity import Company
from core.permissions import Permission, has_permission
from models import ApprovalDecision, ApprovalRoute, Document, DocumentStatus, Voucher, VoucherApproval
from posting.approvals import repository
from posting.approvals.duties import Hands, barred_by_duties
from posting.approvals.records import plan_routes, read_route
from posting.approvals.routes import RouteChoice, RouteSpec, Step, choose_route, step_at
from posting.masterdata.files import read_rows
from posting.masterdata.service import Editor
from posting.masterdata.validation import ImportPlan, Row, rejection

TABLE_NAME = "approval-routes"
"""As URLs and a YAML file's list name the routes."""
DECIDED = {ApprovalDecision.APPROVE: "approved", ApprovalDecision.REJECT: "rejected"}
NOT_WAITING = "the voucher waits at no approval step"


# --- the company's routes ---------------------------------------------------------------------------------------


def list_routes(session: Session, company_id: uuid.UUID) -> list[ApprovalRoute]:
    """Every route of the company, in the order they are tried."""
    return repository.company_routes(session, company_id)


def get_route(session: Session, company_id: uuid.UUID, route_id: uuid.UUID) -> ApprovalRoute:
    return company_row(session, ApprovalRoute, route_id, company_id, "Approval route")


def create_route(session: Session, editor: Editor, values: dict[str, Any]) -> ApprovalRoute:
    """Add a route; 409 if its code is taken, 422 with every error if it cannot be taken."""
    route = _read(session, editor.company_id, values)
    if repository.route_by_code(session, editor.company_id, route.code) is not None:
        raise Conflict(f"There is an approval route {route.code} already; change it with PUT, or choose another code.")
    return _write(session, editor, None, route, "api")


def replace_route(session: Session, editor: Editor, route_id: uuid.UUID, values: dict[str, Any]) -> ApprovalRoute:
    """Replace every field of a route. Vouchers already sent on it keep the steps they were sent with."""
    row = get_route(session, editor.company_id, route_id)
    route = _read(session, editor.company_id, values)
    holder = repository.route_by_code(session, editor.company_id, route.code)
    if holder is not None and holder.id != row.id:
        raise Conflict(f"The code {route.code} is that of another approval route; choose another code.")
    return _write(session, editor, row, route, "api")


def delete_route(session: Session, editor: Editor, route_id: uuid.UUID) -> None:
    """Delete a route no voucher was sent on; one that was stays for them, and is deactivated instead."""
    row = get_route(session, editor.company_id, route_id)
    used = repository.vouchers_on(session, row)
    if used:
        raise Conflict(f"{used} voucher{'s were' if used != 1 else ' was'} sent on approval route {row.code}, so it "
                       'stays for them: deactivate it instead (PUT with "active": false).')
    audit.record(session, company_id=editor.company_id, actor=editor.actor, action="approval_route.deleted",
                 entity_type="approval_route", entity_id=row.id, data={"code": row.code})
    session.delete(row)
    session.flush()


def import_routes(session: Session, editor: Editor, data: bytes, fmt: str, filename: str = "") -> ImportPlan:
    """Create and replace routes by code from a YAML file: every entry is checked first, then all are written, or
    none (``MasterDataRejected`` lists every error)."""
    if fmt != "yaml":
        raise UnsupportedFileType("Approval routes are imported from YAML (their conditions and steps are lists): "
                                  "send a .yaml file, or format=yaml.")
    rows = {row.code: row for row in repository.company_routes(session, editor.company_id)}
    existing = {code: repository.spec_of(row) for code, row in rows.items()}
    plan = plan_routes(read_rows(data, fmt, TABLE_NAME), existing, repository.directory(session, editor.company_id))
    if plan.errors:
        raise rejection(plan.errors)
    for change in plan.changes:
        _write(session, editor, rows.get(change.after.code), change.after, f"import {filename}".strip())
    return plan


def _read(session: Session, company_id: uuid.UUID, values: dict[str, Any]) -> RouteSpec:
    route, errors = read_route(Row(1, values), repository.directory(session, company_id))
    if errors:
        raise rejection(errors)
    return route


def _write(session: Session, editor: Editor, row: ApprovalRoute | None, route: RouteSpec, via: str) -> ApprovalRoute:
    """Store the route, recorded in the audit log: a new route's values, or each changed field's old and new."""
    before = repository.spec_of(row) if row is not None else None
    row = repository.store(session, editor.company_id, row, route)
    session.flush()
    values = asdict(route)
    data = {"values": values} if before is None else {
        "changes": {name: [old, values[name]] for name, old in asdict(before).items() if old != values[name]}}
    audit.record(session, company_id=editor.company_id, actor=editor.actor,
                 action=f"approval_route.{'created' if before is None else 'updated'}", entity_type="approval_route",
                 entity_id=row.id, data={"code": route.code, "via": via, **data})
    return row


# --- a voucher on its route -------------------------------------------------------------------------------------


def route_voucher(session: Session, document: Document, voucher: Voucher, actor: str,
                  named_route: str | None = None) -> RouteChoice:
    """Choose the route of a voucher just drafted (``named_route``: the code a posting rule names) and keep its
    steps on the voucher. It waits at none yet: its document's review, or ``await_approval``, comes first."""
    company = session.get(Company, document.company_id)
    rows = {row.code: row for row in repository.company_routes(session, company.id)}
    facts = repository.voucher_facts(session, document, voucher, company.base_currency)
    choice = choose_route([repository.spec_of(row) for row in rows.values()], facts, named_route)
    route_id = rows[choice.route.code].id if choice.route else None
    steps = [step.as_json() for step in choice.steps] if choice.route else None
    changed = (voucher.approval_route_id, voucher.approval_steps) != (route_id, steps)
    voucher.approval_route_id, voucher.approval_steps, voucher.approval_step = route_id, steps, None
    if changed and choice.route:  # a redraft that keeps its route is not news
        audit.record(session, company_id=voucher.company_id, actor=actor, action="voucher.routed",
                     entity_type="voucher", entity_id=voucher.id,
                     data={"route": choice.route.code, "steps": len(steps), "why": choice.why})
    return choice


def has_steps(voucher: Voucher | None) -> bool:
    """Whether the voucher's route asks for approvers: then it never goes straight through, and no one approves it
    outside its steps."""
    return voucher is not None and bool(voucher.approval_steps)


def await_approval(session: Session, document: Document, voucher: Voucher, actor: str) -> None:
    """Send a voucher whose route has steps to its first one: its document is ``awaiting_approval`` until the last
    step is approved (or a step rejects it)."""
    voucher.approval_step = 1
    document.status = DocumentStatus.AWAITING_APPROVAL
    audit.record(session, company_id=document.company_id, actor=actor, action=f"document.{document.status}",
                 entity_type="document", entity_id=document.id,
                 data={"route": "approval", "voucher_id": str(voucher.id), "approval_route": _route_code(voucher),
                       "next_step": _steps(voucher)[0].name})


def approve_current_step(session: Session, voucher: Voucher, principal: Principal, *, step: int | None = None,
                         comment: str | None = None) -> bool:
    """Approve the step the voucher waits at (``step``, when given, must be that one); whether it still waits for a
    later step. A voucher without steps waits for none: False, and nothing is recorded. The caller has locked the
    voucher and its document."""
    steps = _steps(voucher)
    if not steps and step is None:
        return False
    current = _waiting_step(voucher, steps, step)
    _ensure_asked(principal, voucher, current)
    barred = barred_by_duties(principal.user_id, _hands(session, voucher), voucher.approval_step)
    if barred:
        raise SegregationOfDuties(f"You may not approve step {voucher.approval_step} '{current.name}' of voucher "
                                  f"{voucher.id}: {barred}. Segregation of duties: someone else the step asks for "
                                  f"({current.who}) must approve it.")
    _decide(session, voucher, principal, current, ApprovalDecision.APPROVE, comment)
    voucher.approval_step += 1
    return voucher.approval_step <= len(steps)


def reject_current_step(session: Session, voucher: Voucher, principal: Principal, comment: str, *,
                        step: int | None = None) -> str:
    """Reject the voucher at the step it waits at; answers the reason its document goes back to review with. The
    caller has locked the voucher and its document, and rejects the voucher."""
    current = _waiting_step(voucher, _steps(voucher), step)
    _ensure_asked(principal, voucher, current)
    number = voucher.approval_step
    _decide(session, voucher, principal, current, ApprovalDecision.REJECT, comment)
    voucher.approval_step = None
    return (f"voucher {voucher.id} was rejected at step {number} '{current.name}' of approval route "
            f"'{voucher.chosen_route.name}' by {principal.email}: {comment}. Correct the fields and approve to "
            "draft a new voucher, or reject the document")


def _steps(voucher: Voucher) -> tuple[Step, ...]:
    return tuple(Step.of(step) for step in voucher.approval_steps or ())


def _route_code(voucher: Voucher) -> str | None:
    return voucher.chosen_route.code if voucher.chosen_route else None


def _waiting_step(voucher: Voucher, steps: tuple[Step, ...], step: int | None) -> Step:
    """The step the voucher waits at; 409 when it waits at none, or at another than ``step``."""
    current = step_at(steps, voucher.approval_step)
    if current is None:
        raise InvalidStatusTransition(_not_waiting(voucher, steps))
    if step is not None and step != voucher.approval_step:
        raise Conflict(f"Voucher {voucher.id} waits at step {voucher.approval_step} '{current.name}', not at step "
                       f"{step}: someone decided meanwhile. Reload it and decide again.")
    return current


def _not_waiting(voucher: Voucher, steps: tuple[Step, ...]) -> str:
    if not steps:
        return (f"Voucher {voucher.id} has no approval steps: approve it without a step, or reject it with its "
                "document's review.")
    return (f"Voucher {voucher.id} follows approval route '{voucher.chosen_route.name}', but waits at no step: its "
            f"document's review comes first (POST /api/v1/documents/{voucher.document_id}/review).")


def _asks_for(step: Step, principal: Principal) -> bool:
    """Whether the step asks for the caller (who must be able to approve vouchers at all)."""
    return has_permission(principal.role, Permission.APPROVE_VOUCHERS) and step.is_for(principal.role, principal.email)


def _ensure_asked(principal: Principal, voucher: Voucher, step: Step) -> None:
    principal.require(Permission.APPROVE_VOUCHERS)
    if not _asks_for(step, principal):
        raise PermissionDenied(f"Step {voucher.approval_step} '{step.name}' of approval route "
                               f"'{voucher.chosen_route.name}' is for {step.who}; you are {principal.email}, of "
                               f"the role {principal.role}.")


def _hands(session: Session, voucher: Voucher) -> Hands:
    return repository.hands_on(session, voucher.company_id, [voucher])[voucher.id]


def _decide(session: Session, voucher: Voucher, principal: Principal, step: Step, decision: ApprovalDecision,
            comment: str | None) -> None:
    """Keep one decision at the step the voucher waits at, and record it in the audit log."""
    number = voucher.approval_step
    voucher.approvals.append(VoucherApproval(company_id=voucher.company_id, step=number, step_name=step.name,
                                             user_id=principal.user_id, decision=decision, comment=comment,
                                             at=utcnow()))
    audit.record(session, company_id=voucher.company_id, actor=principal.actor,
                 action=f"voucher.step_{DECIDED[decision]}", entity_type="voucher", entity_id=voucher.id,
                 data={"document_id": str(voucher.document_id), "route": _route_code(voucher), "step": number,
                       "step_name": step.name, "comment": comment})


# --- who may approve what now -----------------------------------------------------------------------------------


def queue(session: Session, principal: Principal, *, limit: int = 50,
          cursor: str | None = None) -> tuple[list[tuple[Voucher, Document]], str | None]:
    """The vouchers, newest first, waiting at a step the caller may approve now: the step asks for them and no rule
    of segregation of duties bars them. A page holds the caller's among ``limit`` waiting vouchers (it may hold
    fewer); ``next_cursor`` goes on."""
    principal.require(Permission.APPROVE_VOUCHERS)
    rows, next_cursor = repository.waiting_page(session, principal.company_id, limit=limit, cursor=cursor)
    hands = repository.hands_on(session, principal.company_id, [voucher for voucher, _ in rows])
    return [(voucher, document) for voucher, document in rows
            if _barrier(principal, voucher, hands[voucher.id]) is None], next_cursor


def barrier(session: Session, principal: Principal, voucher: Voucher) -> str | None:
    """Why the caller may not approve the step the voucher waits at now (``step 1 'Finance' is for role approver``,
    ``you uploaded this document``); None when they may."""
    if voucher.approval_step is None:
        return NOT_WAITING
    return _barrier(principal, voucher, _hands(session, voucher))


def _barrier(principal: Principal, voucher: Voucher, hands: Hands) -> str | None:
    step = step_at(_steps(voucher), voucher.approval_step)
    if step is None:
        return NOT_WAITING
    if not _asks_for(step, principal):
        return f"step {voucher.approval_step} '{step.name}' is for {step.who}"
    return barred_by_duties(principal.user_id, hands, voucher.approval_step)
