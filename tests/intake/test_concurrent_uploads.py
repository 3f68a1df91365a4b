"""Many clients uploading at once against the real web server: every upload is acknowledged, every document
stored once and processed once, and the audit chain stays whole (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import threading

import httpx
from sqlalchemy import func, select

from core import audit
from core.db import transaction
from core.identity import User
from ledgerdesk.admin import create_token
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from models import AuditEvent, Document, Extraction

CLIENTS, UPLOADS_EACH = 16, 6


def _upload_all(base_url: str, token: str, files: list[bytes], answers: list) -> None:
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as client:
        for data in files:
            response = client.post("/api/v1/documents", files={"file": ("invoice.pdf", data, "application/pdf")})
            answers.append((response.status_code, response.json()))


def test_concurrent_uploads_are_all_acknowledged_stored_and_processed_once(live_server, company, make_user,
                                                                           run_jobs):
    with transaction() as session:
        token = create_token(session, user=session.get(User, make_user("clerk").id), name="tests")
    batches = [[render_invoice_pdf(SampleInvoice(invoice_number=f"C{c}-{n}")) for n in range(UPLOADS_EACH)]
               for c in range(CLIENTS)]
    batches[1][0] = batches[0][0]  # one file sent by two clients at once: still one document
    answers: list = []
    threads = [threading.Thread(target=_upload_all, args=(live_server, token, batch, answers)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert sorted(status for status, _ in answers).count(201) == CLIENTS * UPLOADS_EACH - 1
    assert len(answers) == CLIENTS * UPLOADS_EACH and all(status in (200, 201) for status, _ in answers)
    documents = {body["id"] for _, body in answers}
    assert len(documents) == CLIENTS * UPLOADS_EACH - 1
    run_jobs()
    audit.seal_pending()
    with transaction(read_only=True) as session:
        assert session.scalar(select(func.count()).select_from(Document)) == len(documents)
        assert session.scalar(select(func.count()).select_from(Document)
                              .where(Document.status == "needs_review")) == len(documents)
        assert session.scalar(select(func.count()).select_from(Extraction)) == len(documents)
        extracted = session.scalar(select(func.count()).where(AuditEvent.action == "document.extracted"))
        assert extracted == len(documents)
        assert audit.verify_chain(session, company.id) == []
