"""Who may change a voucher: every route that does, for every role, on the real app and database.

Only a holder of APPROVE_VOUCHERS makes a voucher ``approved``, whichever door they use: the voucher API, the
review API or the review page's form. The company posts on approval (``post_on_approval``, the default), so an
approval leaves the voucher and its document ``posted``. Reviewing (REVIEW) confirms a document's fields, redrafts
its draft voucher from corrections and may reject it with the document; a refused call changes nothing.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.auth import SESSION_COOKIE, Principal, principal_for
from core.db import get_session_factory, transaction
from core.errors import InvalidStatusTransition, PermissionDenied
from core.identity import User
from core.permissions import Permission, Role, has_permission
from models import Document, Extraction, ReviewTask, ReviewTaskStatus, Voucher
from posting import service as posting_service
from review_ui import service as review_service
from review_ui.pages import DONE_MESSAGES
from tests.conftest import PASSWORD
from tests.helpers import upload_invoice

ROLES = list(Role)
REVIEWERS = frozenset({Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN})
VOUCHER_APPROVERS = frozenset({Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN})

DECISIONS = ("approve", "reject", "return")
DOCUMENT_STATUS_AFTER = {"approve": "approved", "reject": "rejected", "return": "needs_review"}
APPROVED = "posted"
"""A voucher's and its document's status after an approval: the company posts on approval."""
NEW_TOTALS = {"subtotal": "100.00", "tax_amount": "19.00", "total_amount": "119.00"}
NEW_TOTAL_LINES = (("expense", Decimal("100.00"), Decimal("0.00")), ("input_tax", Decimal("19.00"), Decimal("0.00")),
                   ("payable", Decimal("0.00"), Decimal("119.00")))

each_role = pytest.mark.parametrize("role", ROLES)
each_decision = pytest.mark.parametrize("decision", DECISIONS)
with_and_without_new_totals = pytest.mark.parametrize("corrections", [{}, NEW_TOTALS], ids=["as-read", "new-totals"])


@dataclass(frozen=True)
class Snapshot:
    """Everything a voucher route may change, read from the database."""

    document_status: str
    extraction_versions: int
    open_review_tasks: int
    closed_review_tasks: tuple[tuple[str, uuid.UUID], ...]
    voucher_status: str
    approved_by_id: uuid.UUID | None
    lines: tuple[tuple[str, Decimal, Decimal], ...]


def snapshot(document_id: str) -> Snapshot:
    with transaction() as session:
        document = session.get(Document, uuid.UUID(document_id))
        [voucher] = session.scalars(select(Voucher).where(Voucher.document_id == document.id))
        tasks = list(session.scalars(select(ReviewTask).where(ReviewTask.document_id == document.id)))
        versions = session.scalar(select(func.count()).where(Extraction.document_id == document.id))
        return Snapshot(
            document_status=document.status, extraction_versions=versions,
            open_review_tasks=sum(task.status == ReviewTaskStatus.OPEN for task in tasks),
            closed_review_tasks=tuple((task.decision, task.decided_by_id) for task in tasks
                                      if task.status == ReviewTaskStatus.DONE),
            voucher_status=voucher.status, approved_by_id=voucher.approved_by_id,
            lines=tuple((line.kind, line.debit, line.credit) for line in voucher.lines),
        )


def expected_after_review(before: Snapshot, *, role: Role, user_id: uuid.UUID, decision: str,
                          corrections: dict[str, str]) -> Snapshot:
    """What a reviewer's decision leaves: the voucher is approved only for a role that may approve vouchers."""
    voucher_status = {"approve": APPROVED if role in VOUCHER_APPROVERS else "draft",
                      "reject": "rejected", "return": "draft"}[decision]
    return Snapshot(
        document_status=APPROVED if voucher_status == APPROVED else DOCUMENT_STATUS_AFTER[decision],
        extraction_versions=before.extraction_versions + (1 if corrections else 0),
        open_review_tasks=1 if decision == "return" else 0,
        closed_review_tasks=() if decision == "return" else ((decision, user_id),),
        voucher_status=voucher_status,
        approved_by_id=user_id if voucher_status == APPROVED else None,
        lines=NEW_TOTAL_LINES if corrections else before.lines,
    )


@dataclass(frozen=True)
class Scene:
    """A user of one role with an API client, and an invoice the worker left waiting for review."""

    role: Role
    user: User
    api: TestClient
    document_id: str
    voucher_id: str
    before: Snapshot


@pytest.fixture
def scene(make_user, client_for, run_jobs) -> Callable[[Role], Scene]:
    """``scene(role)``. The invoice is the acting user's own upload when their role may upload, so a refusal
    comes from the role and not from a document they cannot see."""

    def _scene(role: Role) -> Scene:
        user = make_user(role)
        api = client_for(user)
        uploader = api if has_permission(role, Permission.UPLOAD) else client_for(make_user("clerk"))
        document_id = upload_invoice(uploader)["id"]
        run_jobs()
        before = snapshot(document_id)
        assert (before.document_status, before.voucher_status, before.extraction_versions) == ("needs_review",
                                                                                              "draft", 1)
        voucher_id = uploader.get(f"/api/v1/documents/{document_id}").json()["voucher_id"]
        return Scene(role, user, api, document_id, voucher_id, before)

    return _scene


@pytest.fixture
def signed_in(app) -> Callable[[User], tuple[TestClient, str]]:
    """``signed_in(user)``: a browser-like client with the user's session cookie, and the form token it holds.

    The cookie is signed, not encrypted, so whoever holds it can read the token without ever seeing a form:
    the role check of the page must hold even with a valid token.
    """

    def _signed_in(user: User) -> tuple[TestClient, str]:
        client = TestClient(app, follow_redirects=False)
        login = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert login.status_code == 303, login.text
        _, payload = URLSafeTimedSerializer("only-reading").loads_unsafe(client.cookies[SESSION_COOKIE])
        return client, payload["csrf"]

    return _signed_in


def assert_may_cause(role: Role, after: Snapshot) -> None:
    """Whatever happened, a role without APPROVE_VOUCHERS never leaves a voucher approved (or posted)."""
    if role not in VOUCHER_APPROVERS:
        assert after.voucher_status not in ("approved", "posted") and after.approved_by_id is None


def assert_refused_api(response, before: Snapshot, after: Snapshot) -> None:
    assert response.status_code == 403, response.text
    assert response.json()["error"] == "PermissionDenied"
    assert after == before


# --- the table these tests assume ----------------------------------------------------------------------------


def test_the_roles_named_here_are_those_of_the_permission_table():
    assert {role for role in Role if has_permission(role, Permission.REVIEW)} == REVIEWERS
    assert {role for role in Role if has_permission(role, Permission.APPROVE_VOUCHERS)} == VOUCHER_APPROVERS


def test_every_role_that_approves_vouchers_may_also_review():
    """Approving a voucher also confirms its document and closes its review task: a reviewer's act."""
    assert VOUCHER_APPROVERS <= REVIEWERS


# --- POST /api/v1/vouchers/{id}/approve ----------------------------------------------------------------------


@each_role
def test_voucher_approval_route(scene, role):
    s = scene(role)
    response = s.api.post(f"/api/v1/vouchers/{s.voucher_id}/approve")
    after = snapshot(s.document_id)
    if role in VOUCHER_APPROVERS:
        assert response.status_code == 200, response.text
        assert response.json()["status"] == APPROVED
        assert after == replace(s.before, document_status=APPROVED, open_review_tasks=0,
                                closed_review_tasks=(("approve", s.user.id),), voucher_status=APPROVED,
                                approved_by_id=s.user.id)
    else:
        assert_refused_api(response, s.before, after)
    assert_may_cause(role, after)


# --- POST /api/v1/documents/{id}/review ----------------------------------------------------------------------


@each_role
@each_decision
@with_and_without_new_totals
def test_review_api(scene, role, decision, corrections):
    s = scene(role)
    response = s.api.post(f"/api/v1/documents/{s.document_id}/review",
                          json={"decision": decision, "corrections": corrections})
    after = snapshot(s.document_id)
    if role in REVIEWERS:
        assert response.status_code == 200, response.text
        body = response.json()
        expected = expected_after_review(s.before, role=role, user_id=s.user.id, decision=decision,
                                         corrections=corrections)
        assert (body["status"], body["voucher_id"]) == (expected.document_status, s.voucher_id)
        assert after == expected
    else:
        assert_refused_api(response, s.before, after)
    assert_may_cause(role, after)


# --- POST /review/{id}, the review page's form --------------------------------------------------------------


@each_role
@each_decision
@with_and_without_new_totals
def test_review_page_form(scene, signed_in, role, decision, corrections):
    s = scene(role)
    browser, csrf_token = signed_in(s.user)
    form = {"decision": decision, "csrf_token": csrf_token} | {f"field:{k}": v for k, v in corrections.items()}
    response = browser.post(f"/review/{s.document_id}", data=form)
    after = snapshot(s.document_id)
    if role in REVIEWERS:
        assert response.status_code == 303, response.text
        expected = expected_after_review(s.before, role=role, user_id=s.user.id, decision=decision,
                                         corrections=corrections)
        assert after == expected
        waits = decision == "approve" and expected.voucher_status == "draft"
        done = "approve_draft" if waits else decision
        assert response.headers["location"] == f"/review?done={done}"
        assert DONE_MESSAGES[done] in browser.get(response.headers["location"]).text
    else:
        assert response.status_code == 403
        assert "may not review documents" in response.text
        assert after == s.before
    assert_may_cause(role, after)


# --- the whole story, and the service behind every door ---------------------------------------------------------


def test_a_clerks_approval_leaves_the_voucher_for_an_approver(scene, make_user, client_for):
    s = scene(Role.CLERK)
    reviewed = s.api.post(f"/api/v1/documents/{s.document_id}/review",
                          json={"decision": "approve", "corrections": NEW_TOTALS})
    assert reviewed.status_code == 200 and reviewed.json()["status"] == "approved"
    waiting = s.api.get(f"/api/v1/vouchers/{reviewed.json()['voucher_id']}").json()
    assert waiting["status"] == "draft" and waiting["total_debit"] == "119.00"

    assert s.api.post(f"/api/v1/vouchers/{s.voucher_id}/approve").status_code == 403
    approver = make_user(Role.APPROVER)
    approved = client_for(approver).post(f"/api/v1/vouchers/{s.voucher_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == APPROVED
    assert approved.json()["lines"] == waiting["lines"]
    after = snapshot(s.document_id)
    assert (after.document_status, after.approved_by_id) == (APPROVED, approver.id)
    assert after.closed_review_tasks == (("approve", s.user.id),)


SERVICE_REFUSALS = [(posting_service.approve_voucher, role) for role in ROLES if role not in VOUCHER_APPROVERS] + [
    (posting_service.reject_voucher, role) for role in ROLES if role not in REVIEWERS]


@pytest.mark.parametrize(("change", "role"), SERVICE_REFUSALS,
                         ids=[f"{change.__name__}-{role}" for change, role in SERVICE_REFUSALS])
def test_the_voucher_service_checks_the_permission_itself(scene, change, role):
    """Defence in depth: a caller that forgot the check (a new route, a job) still cannot lend the permission."""
    s = scene(role)
    with transaction() as session:
        principal = principal_for(session.get(User, s.user.id))
        with pytest.raises(PermissionDenied):
            change(session, session.get(Voucher, uuid.UUID(s.voucher_id)), principal)
    assert snapshot(s.document_id) == s.before


# --- decisions that cross: each sees what the other committed ---------------------------------------------------


@dataclass
class EarlyReader:
    """A session that read the document and its draft voucher before someone else's decision and keeps what it
    read, as a PostgreSQL transaction does between its statements. Its transaction is ended so that SQLite, which
    runs writers one at a time, lets the other decision through."""

    session: Session
    principal: Principal
    document: Document
    voucher: Voucher


def early_reader(s: Scene, user: User) -> EarlyReader:
    session = get_session_factory()()
    reader = EarlyReader(session, principal_for(session.get(User, user.id)),
                         session.get(Document, uuid.UUID(s.document_id)), session.get(Voucher, uuid.UUID(s.voucher_id)))
    session.commit()
    return reader


def approve_voucher_as(user: User, voucher_id: str) -> None:
    with transaction() as session:
        posting_service.approve_voucher(session, session.get(Voucher, uuid.UUID(voucher_id)),
                                        principal_for(session.get(User, user.id)))


def decide_as(user: User, document_id: str, decision: str, corrections: dict[str, str] | None = None) -> None:
    with transaction() as session:
        review_service.decide(session, principal_for(session.get(User, user.id)), uuid.UUID(document_id),
                              review_service.ReviewDecision(decision, corrections or {}))


def test_a_redraft_never_rewrites_a_voucher_approved_meanwhile(scene, make_user):
    s = scene(Role.CLERK)
    clerk = early_reader(s, s.user)
    approver = make_user(Role.APPROVER)
    approve_voucher_as(approver, s.voucher_id)
    with clerk.session, pytest.raises(InvalidStatusTransition):
        review_service.decide(clerk.session, clerk.principal, clerk.document.id,
                              review_service.ReviewDecision("approve", NEW_TOTALS))
    after = snapshot(s.document_id)
    assert (after.voucher_status, after.approved_by_id, after.lines) == (APPROVED, approver.id, s.before.lines)
    assert after.extraction_versions == s.before.extraction_versions


@pytest.mark.parametrize(("decision", "final_status"), [("approve", APPROVED), ("reject", "rejected")])
def test_an_approval_sees_the_review_committed_meanwhile(scene, make_user, decision, final_status):
    """An approver who read the draft before a clerk's decision approves what the clerk left: the redrafted lines,
    or nothing once the clerk rejected the voucher."""
    s = scene(Role.CLERK)
    approver = early_reader(s, make_user(Role.APPROVER))
    decide_as(s.user, s.document_id, decision, NEW_TOTALS)
    with approver.session:
        if final_status == "rejected":
            with pytest.raises(InvalidStatusTransition):
                posting_service.approve_voucher(approver.session, approver.voucher, approver.principal)
        else:
            approved = posting_service.approve_voucher(approver.session, approver.voucher, approver.principal)
            assert tuple((line.kind, line.debit, line.credit) for line in approved.lines) == NEW_TOTAL_LINES
            approver.session.commit()
    after = snapshot(s.document_id)
    assert (after.voucher_status, after.lines) == (final_status, NEW_TOTAL_LINES)


def test_an_approval_waits_for_a_review_in_flight(scene, make_user):
    """Two transactions at once: the approval waits (for the document's row lock on PostgreSQL; SQLite runs writers
    one at a time), then sees the rejection."""
    s = scene(Role.CLERK)
    approver = make_user(Role.APPROVER)
    outcome: list[BaseException | None] = []

    def approve() -> None:
        try:
            approve_voucher_as(approver, s.voucher_id)
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - handed over to the test's thread
            outcome.append(exc)

    approval = threading.Thread(target=approve)
    with transaction() as session:
        review_service.decide(session, principal_for(session.get(User, s.user.id)), uuid.UUID(s.document_id),
                              review_service.ReviewDecision("reject"))
        approval.start()
        approval.join(timeout=1)
        assert approval.is_alive(), f"the approval did not wait for the review in flight: {outcome}"
    approval.join(timeout=30)
    assert [type(exc) for exc in outcome] == [InvalidStatusTransition]
    assert snapshot(s.document_id).voucher_status == "rejected"
