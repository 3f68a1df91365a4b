"""Health, readiness and Prometheus metrics."""

from __future__ import annotations

from tests.helpers import upload_invoice


def test_health_and_readiness(anonymous):
    assert anonymous.get("/healthz").json() == {"status": "ok"}
    ready = anonymous.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "queue": "ok"}


def test_metrics_count_documents_jobs_and_queue(make_user, client_for, run_jobs, anonymous):
    clerk = client_for(make_user("clerk"))
    upload_invoice(clerk)
    before = anonymous.get("/metrics").text
    assert 'ledgerdesk_queue_depth{queue="default"} 1.0' in before
    assert 'ledgerdesk_documents{status="received"} 1.0' in before
    run_jobs()
    after = anonymous.get("/metrics").text
    assert 'ledgerdesk_documents{status="needs_review"} 1.0' in after
    assert 'ledgerdesk_queue_depth{queue="default"} 0.0' in after
    assert 'ledgerdesk_job_duration_seconds_count{job="process_document"} 1.0' in after
    assert 'ledgerdesk_outbox_pending{outbox="default"} 0.0' in after


def test_errors_have_one_shape(anonymous):
    missing = anonymous.get("/api/v1/nothing-here")
    assert missing.status_code == 404 and set(missing.json()) == {"error", "detail"}


def test_a_browser_gets_an_error_page_the_api_gets_json(anonymous):
    page = anonymous.get("/review/not-a-document-id", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Back to the review queue" in page.text
    api = anonymous.get("/api/v1/documents/not-an-id/file", headers={"Accept": "text/html"})
    assert api.headers["content-type"] == "application/json"
