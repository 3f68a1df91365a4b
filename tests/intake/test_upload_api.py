"""Uploads through the HTTP API: answers, duplicates, idempotency, bad input and who may see what."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from core.blobs import get_blob_store
from core.db import transaction
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from models import Document, Page
from tests.helpers import upload, upload_invoice


def test_upload_answers_201_and_keeps_the_original(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    data = render_invoice_pdf(SampleInvoice())
    response = clerk.post("/api/v1/documents", files={"file": ("../../etc/inv.pdf", data, "text/plain")},
                          data={"source": "email", "external_id": "msg-1"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "status", "sha256", "duplicate_of"}
    assert body["status"] == "received"
    assert get_blob_store().get(body["sha256"]) == data
    document = clerk.get(f"/api/v1/documents/{body['id']}").json()
    assert document["filename"] == "inv.pdf" and document["source"] == "email" and document["external_id"] == "msg-1"
    original = clerk.get(f"/api/v1/documents/{body['id']}/file")
    assert original.content == data and original.headers["content-type"] == "application/pdf"


def test_same_bytes_in_the_same_company_give_the_existing_document(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    data = render_invoice_pdf(SampleInvoice())
    first = upload(clerk, data)
    response = clerk.post("/api/v1/documents", files={"file": ("again.pdf", data, "application/pdf")})
    assert response.status_code == 200
    assert response.json()["id"] == first["id"] and response.json()["duplicate_of"] == first["id"]
    other_company = client_for(make_user("clerk", company_slug="other"))
    elsewhere = upload(other_company, data)
    assert elsewhere["id"] != first["id"] and elsewhere["duplicate_of"] is None


def test_idempotency_key_replays_and_refuses_other_bytes(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    headers = {"Idempotency-Key": "scanner-7-0001"}
    data = render_invoice_pdf(SampleInvoice())
    first = clerk.post("/api/v1/documents", files={"file": ("a.pdf", data)}, headers=headers)
    replay = clerk.post("/api/v1/documents", files={"file": ("a.pdf", data)}, headers=headers)
    assert first.status_code == replay.status_code == 201 and first.json() == replay.json()
    other = render_invoice_pdf(SampleInvoice(invoice_number="OTHER"))
    clash = clerk.post("/api/v1/documents", files={"file": ("b.pdf", other)}, headers=headers)
    assert clash.status_code == 409 and clash.json()["error"] == "IdempotencyKeyReused"


@pytest.mark.parametrize("data, status, error", [
    (b"", 422, "EmptyFile"),
    (b"MZ\x90\x00\x03" + b"\x00" * 100, 415, "UnsupportedFileType"),
    (b"just some words, though the name says pdf", 415, "UnsupportedFileType"),
])
def test_bad_files_are_refused_with_a_clear_error(make_user, client_for, data, status, error):
    clerk = client_for(make_user("clerk"))
    response = clerk.post("/api/v1/documents", files={"file": ("invoice.pdf", data, "application/pdf")})
    assert response.status_code == status
    assert response.json()["error"] == error and response.json()["detail"]
    with transaction() as session:
        assert session.scalars(select(Document)).first() is None


def test_files_over_the_limit_are_refused(make_user, client_for, monkeypatch):
    monkeypatch.setenv("LEDGERDESK_MAX_UPLOAD_BYTES", "1000")
    from core.settings import get_settings

    get_settings.cache_clear()
    clerk = client_for(make_user("clerk"))
    response = clerk.post("/api/v1/documents", files={"file": ("big.pdf", b"%PDF-1.4\n" + b"0" * 5000)})
    assert response.status_code == 413 and response.json()["error"] == "FileTooLarge"
    huge = clerk.post("/api/v1/documents", files={"file": ("huge.pdf", b"%PDF-1.4\n" + b"0" * 2_000_000)})
    assert huge.status_code == 413 and "request has more than 1,000 bytes" in huge.json()["detail"]


def test_a_pdf_that_cannot_be_opened_fails_readably_keeps_the_original_and_can_be_retried(
        make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref"
    created = upload(clerk, broken)
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["status"] == "failed"
    assert "PDF" in document["failure_reason"] and "damaged" in document["failure_reason"]
    assert clerk.get(f"/api/v1/documents/{created['id']}/file").content == broken
    retried = clerk.post(f"/api/v1/documents/{created['id']}/retry")
    assert retried.status_code == 200 and retried.json()["status"] == "received"
    run_jobs()
    assert clerk.get(f"/api/v1/documents/{created['id']}").json()["status"] == "failed"


def test_wrong_token_and_missing_token_get_401_never_data(make_user, client_for, anonymous):
    upload_invoice(client_for(make_user("clerk")))
    for headers in ({}, {"Authorization": "Bearer ldk_not-a-token"}, {"Authorization": "Basic abc"}):
        response = anonymous.get("/api/v1/documents", headers=headers)
        assert response.status_code == 401 and response.json()["error"] == "NotAuthenticated"
        assert "items" not in response.json()


def test_a_user_never_sees_another_companys_documents(make_user, client_for, run_jobs):
    ours = client_for(make_user("clerk"))
    theirs = client_for(make_user("admin", company_slug="rival"))
    document = upload_invoice(ours)
    run_jobs()
    voucher_id = ours.get(f"/api/v1/documents/{document['id']}").json()["voucher_id"]

    assert theirs.get("/api/v1/documents").json()["items"] == []
    for path in (f"/api/v1/documents/{document['id']}", f"/api/v1/documents/{document['id']}/file",
                 f"/api/v1/documents/{document['id']}/pages/1.png", f"/api/v1/vouchers/{voucher_id}"):
        response = theirs.get(path)
        assert response.status_code == 404, path
    assert theirs.get("/api/v1/vouchers").json()["items"] == []
    review = theirs.post(f"/api/v1/documents/{document['id']}/review", json={"decision": "approve"})
    assert review.status_code == 404
    assert ours.get(f"/api/v1/documents/{document['id']}").json()["status"] == "needs_review"


def test_roles_limit_what_a_user_may_do(make_user, client_for, run_jobs):
    employee = client_for(make_user("employee"))
    colleague = client_for(make_user("employee"))
    auditor = client_for(make_user("auditor"))
    mine = upload_invoice(employee)
    run_jobs()
    assert colleague.get(f"/api/v1/documents/{mine['id']}").status_code == 404
    assert [d["id"] for d in employee.get("/api/v1/documents").json()["items"]] == [mine["id"]]
    assert employee.post(f"/api/v1/documents/{mine['id']}/review", json={"decision": "approve"}).status_code == 403
    assert auditor.get(f"/api/v1/documents/{mine['id']}").status_code == 200
    refused = auditor.post("/api/v1/documents", files={"file": ("x.pdf", render_invoice_pdf(SampleInvoice()))})
    assert refused.status_code == 403 and refused.json()["error"] == "PermissionDenied"


def test_list_pages_with_a_cursor(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    ids = [upload_invoice(clerk, SampleInvoice(invoice_number=f"N-{i}"))["id"] for i in range(5)]
    seen, cursor = [], None
    while True:
        page = clerk.get("/api/v1/documents", params={"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))
    assert clerk.get("/api/v1/documents", params={"cursor": "garbage!"}).json()["error"] == "InvalidRequest"
    assert clerk.get("/api/v1/documents", params={"limit": 0}).status_code == 422


def test_concurrent_uploads_of_the_same_bytes_make_one_document(make_user):
    import threading

    from core.auth import principal_for
    from intake.service import Upload, receive

    principal = principal_for(make_user("clerk"))
    data = render_invoice_pdf(SampleInvoice(invoice_number="RACE-1"))
    barrier, results = threading.Barrier(2), []

    def upload_once() -> None:
        barrier.wait()
        with transaction() as session, get_blob_store().stage_bytes(data) as staged:
            received = receive(session, principal=principal, upload=Upload("race.pdf", staged))
            results.append((received.created, received.document_id))

    threads = [threading.Thread(target=upload_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(created for created, _ in results) == [False, True]
    assert len({document_id for _, document_id in results}) == 1


def test_the_session_cookie_reads_the_api_but_cannot_change_anything(make_user, client_for, anonymous, run_jobs):
    from core.auth import SESSION_COOKIE, sign_session

    user = make_user("clerk")
    document = upload_invoice(client_for(user))
    run_jobs()
    anonymous.cookies.set(SESSION_COOKIE, sign_session(user))
    assert anonymous.get(f"/api/v1/documents/{document['id']}").status_code == 200
    refused = anonymous.post(f"/api/v1/documents/{document['id']}/review", json={"decision": "approve"})
    assert refused.status_code == 401
    assert anonymous.get(f"/api/v1/documents/{document['id']}").json()["status"] == "needs_review"


def test_originals_are_served_so_they_cannot_run_script(make_user, client_for):
    clerk = client_for(make_user("clerk"))
    xml = (b"<?xml version='1.0'?><Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'>"
           b"<script xmlns='http://www.w3.org/1999/xhtml'>alert(1)</script></Invoice>")
    created = clerk.post("/api/v1/documents", files={"file": ("x.xml", xml, "application/xml")}).json()
    response = clerk.get(f"/api/v1/documents/{created['id']}/file")
    assert response.content == xml
    assert response.headers["content-disposition"].startswith("attachment")
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_page_images_are_drawn_by_the_worker_and_served_from_storage(make_user, client_for, run_jobs):
    clerk = client_for(make_user("clerk"))
    created = upload_invoice(clerk)
    waiting = clerk.get(f"/api/v1/documents/{created['id']}/pages/1.png")
    assert waiting.status_code == 404 and "drawn while it is processed" in waiting.json()["detail"]
    run_jobs()
    page = clerk.get(f"/api/v1/documents/{created['id']}/pages/1.png")
    assert page.status_code == 200 and page.headers["content-type"] == "image/png"
    with transaction() as session:
        stored = session.scalars(select(Page.image_key).where(Page.document_id == uuid.UUID(created["id"]))).one()
    assert page.content == get_blob_store().get(stored)
    missing = clerk.get(f"/api/v1/documents/{created['id']}/pages/2.png")
    assert missing.status_code == 404 and "there is no page 2" in missing.json()["detail"]


def test_a_photo_gets_its_page_image_and_a_reason_to_enter_fields_by_hand(make_user, client_for, run_jobs):
    import io

    from PIL import Image

    clerk = client_for(make_user("clerk"))
    buffer = io.BytesIO()
    Image.new("RGB", (3000, 4000), "white").save(buffer, format="JPEG")
    created = upload(clerk, buffer.getvalue(), filename="receipt.jpg")
    run_jobs()
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    assert document["page_count"] == 1 and document["status"] == "needs_review"
    assert any(issue["rule"] == "no_text" for issue in document["validation"])
    image = Image.open(io.BytesIO(clerk.get(f"/api/v1/documents/{created['id']}/pages/1.png").content))
    assert image.size == (1732, 2309)  # scaled down to four megapixels
