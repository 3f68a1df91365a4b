"""Webhooks end to end: a posting through the real API writes a delivery, the outbox hands it to the real queue, a
real rq worker sends it to a receiver running on this machine, which checks the signature itself; failures are
retried on the schedule and fail for good with the reason; deliveries are sent again on request; who may do what."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from core.audit import AuditEvent
from core.db import transaction, utcnow
from core.outbox import relay_pending
from core.queue import get_redis
from core.settings import get_settings
from core.permissions import Role
from models import WebhookDelivery
from tests.posting.documents import route, stored_document, voucher_of
from tests.redis_guard import empty_test_database
from tests.webhook_receiver import Reply, running_receiver
from workers.webhooks import deliver, stage_due_deliveries

INVOICE = {"invoice_number": "INV-7", "vendor_name": "Northwind", "invoice_date": "2026-03-02", "subtotal": "100.00",
           "tax_amount": "20.00", "tax_rate": "20", "total_amount": "120.00", "currency": "EUR"}
LEDGER_KEEPERS = (Role.ACCOUNTANT, Role.ADMIN)


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


@pytest.fixture
def receiver():
    with running_receiver() as server:
        yield server


@pytest.fixture
def retry_at_once(monkeypatch):
    """One retry, due at once: the schedule of a test that should not wait minutes."""
    monkeypatch.setenv("LEDGERDESK_WEBHOOK_RETRY_SECONDS", "[0]")
    get_settings.cache_clear()


def post_voucher(client, company) -> str:
    document = stored_document(company.id, **INVOICE)
    route(document)
    voucher_id = str(voucher_of(document).id)
    assert client.post(f"/api/v1/vouchers/{voucher_id}/approve").json()["status"] == "posted"
    return voucher_id


def deliveries(client, webhook: dict) -> list[dict]:
    return client.get(f"/api/v1/webhooks/{webhook['id']}/deliveries").json()["items"]


def send_due(run_jobs) -> None:
    """What the scheduler and the workers do: the outbox to the queue, due attempts staged, jobs run."""
    relay_pending()
    stage_due_deliveries()
    run_jobs()


def test_a_posting_is_delivered_signed_with_the_voucher_as_the_api_shows_it(company, accountant, receiver, run_jobs):
    created = accountant.post("/api/v1/webhooks", json={"url": receiver.url})
    assert created.status_code == 201, created.text
    webhook = created.json()
    assert webhook["events"] == ["voucher.posted", "voucher.reversed"] and webhook["secret"].startswith("whsec_")
    [listed] = accountant.get("/api/v1/webhooks").json()["items"]
    assert "secret" not in listed and listed["url"] == receiver.url and listed["active"] is True

    voucher_id = post_voucher(accountant, company)
    [waiting] = deliveries(accountant, webhook)
    assert (waiting["status"], waiting["attempts"], waiting["event"]) == ("pending", 0, "voucher.posted")
    assert receiver.received == [], "sent by a worker, after the posting committed"
    send_due(run_jobs)

    [request] = receiver.received
    timestamp, signed = request.headers["X-Ledgerdesk-Timestamp"], request.headers["X-Ledgerdesk-Signature"]
    expected = hmac.new(webhook["secret"].encode(), f"{timestamp}.".encode() + request.body, hashlib.sha256)
    assert signed == f"sha256={expected.hexdigest()}"
    assert (request.headers["X-Ledgerdesk-Event"], request.headers["X-Ledgerdesk-Delivery"]) == (
        "voucher.posted", waiting["id"])
    body = request.json()
    assert body["voucher"] == accountant.get(f"/api/v1/vouchers/{voucher_id}").json()
    assert body["event"] == "voucher.posted" and body["occurred_at"].startswith(body["voucher"]["posted_at"][:19])
    [delivered] = deliveries(accountant, webhook)
    assert (delivered["status"], delivered["attempts"], delivered["last_status_code"]) == ("delivered", 1, 200)
    assert delivered["delivered_at"] and delivered["next_attempt_at"] is None and delivered["payload"] == body

    assert deliver(waiting["id"], 1).startswith("skipped"), "a duplicate of the job sends nothing"
    send_due(run_jobs)
    assert len(receiver.received) == 1


def test_a_failed_attempt_is_retried_and_delivered_on_the_second(company, accountant, receiver, run_jobs,
                                                                 retry_at_once):
    webhook = accountant.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    receiver.script = [Reply(500, body=b"ERP is restarting")]
    post_voucher(accountant, company)
    relay_pending()
    run_jobs()
    [retrying] = deliveries(accountant, webhook)
    assert (retrying["status"], retrying["attempts"], retrying["last_status_code"]) == ("pending", 1, 500)
    assert retrying["last_error"] == "HTTP 500: ERP is restarting" and retrying["next_attempt_at"]
    send_due(run_jobs)
    [delivered] = deliveries(accountant, webhook)
    assert (delivered["status"], delivered["attempts"], delivered["last_status_code"]) == ("delivered", 2, 200)
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["X-Ledgerdesk-Delivery"] == second.headers["X-Ledgerdesk-Delivery"] == delivered["id"]


def test_a_retry_waits_its_turn(company, accountant, receiver, run_jobs, monkeypatch):
    monkeypatch.setenv("LEDGERDESK_WEBHOOK_RETRY_SECONDS", "[3600]")
    get_settings.cache_clear()
    webhook = accountant.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    receiver.default = Reply(503)
    post_voucher(accountant, company)
    send_due(run_jobs)
    assert stage_due_deliveries() == 0
    send_due(run_jobs)
    [waiting] = deliveries(accountant, webhook)
    assert (waiting["status"], waiting["attempts"], len(receiver.received)) == ("pending", 1, 1)


def test_a_receiver_that_never_answers_2xx_fails_the_delivery_with_the_reason_and_it_can_be_sent_again(
        company, accountant, receiver, run_jobs, retry_at_once):
    webhook = accountant.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    receiver.default = Reply(503, body=b"maintenance")
    post_voucher(accountant, company)
    for _ in range(3):
        send_due(run_jobs)
    [failed] = deliveries(accountant, webhook)
    assert (failed["status"], failed["attempts"], failed["last_status_code"]) == ("failed", 2, 503)
    assert failed["last_error"] == "HTTP 503: maintenance (after 2 attempts)" and failed["next_attempt_at"] is None
    assert len(receiver.received) == 2
    assert accountant.get(f"/api/v1/webhooks/{webhook['id']}/deliveries",
                          params={"status": "failed"}).json()["items"] == [failed]

    receiver.default = Reply(200)
    again = accountant.post(f"/api/v1/webhook-deliveries/{failed['id']}/redeliver")
    assert again.status_code == 201, again.text
    assert (again.json()["redelivery_of_id"], again.json()["status"], again.json()["payload"]) == (
        failed["id"], "pending", failed["payload"])
    pending = accountant.post(f"/api/v1/webhook-deliveries/{again.json()['id']}/redeliver")
    assert pending.status_code == 409 and "still being tried" in pending.json()["detail"]
    run_jobs()  # the redelivery was handed to the queue after its request
    newest = deliveries(accountant, webhook)[0]
    assert (newest["id"], newest["status"], newest["attempts"]) == (again.json()["id"], "delivered", 1)
    assert receiver.received[-1].headers["X-Ledgerdesk-Delivery"] == newest["id"]


def test_a_reversal_is_its_own_event_and_a_deleted_webhook_is_sent_nothing(company, accountant, receiver, run_jobs):
    every = accountant.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    reversals = accountant.post("/api/v1/webhooks", json={"url": receiver.url + "/reversals",
                                                          "events": ["voucher.reversed"]}).json()
    voucher_id = post_voucher(accountant, company)
    reversal = accountant.post(f"/api/v1/vouchers/{voucher_id}/reverse", json={"date": "2026-03-20"}).json()
    send_due(run_jobs)
    seen = sorted((r.path, r.headers["X-Ledgerdesk-Event"], r.json()["voucher"]["id"]) for r in receiver.received)
    assert seen == [("/hooks/ledgerdesk", "voucher.posted", voucher_id),
                    ("/hooks/ledgerdesk", "voucher.reversed", reversal["id"]),
                    ("/hooks/ledgerdesk/reversals", "voucher.reversed", reversal["id"])]
    assert next(r.json() for r in receiver.received if r.path.endswith("reversals"))["voucher"]["reverses_id"] == \
        voucher_id

    assert accountant.delete(f"/api/v1/webhooks/{reversals['id']}").status_code == 204
    post_voucher(accountant, company)  # a delivery for `every`, now pending
    assert accountant.delete(f"/api/v1/webhooks/{every['id']}").status_code == 204
    assert accountant.delete(f"/api/v1/webhooks/{every['id']}").status_code == 204, "deleting again changes nothing"
    send_due(run_jobs)
    assert len(receiver.received) == 3, "a deleted webhook is sent nothing"
    latest = deliveries(accountant, every)[0]
    assert (latest["status"], latest["last_error"]) == ("failed", "the webhook was deleted before the delivery went out")
    assert [w["active"] for w in accountant.get("/api/v1/webhooks").json()["items"]] == [False, False]
    refused = accountant.post(f"/api/v1/webhook-deliveries/{latest['id']}/redeliver")
    assert refused.status_code == 409 and "was deleted" in refused.json()["detail"]


def lease_ran_out() -> None:
    with transaction() as session:
        session.execute(update(WebhookDelivery).values(next_attempt_at=utcnow() - timedelta(seconds=1)))


def test_an_attempt_whose_job_was_lost_is_staged_again_and_sent_once(company, accountant, receiver, run_jobs):
    webhook = accountant.post("/api/v1/webhooks", json={"url": receiver.url}).json()
    post_voucher(accountant, company)
    lease_ran_out()  # while its job waits in the outbox (Redis down): not staged twice
    assert stage_due_deliveries() == 1
    relay_pending()
    empty_test_database(get_redis())  # and then Redis lost it
    lease_ran_out()
    assert stage_due_deliveries() == 1
    run_jobs()
    [delivered] = deliveries(accountant, webhook)
    assert (delivered["status"], delivered["attempts"], len(receiver.received)) == ("delivered", 1, 1)
    lease_ran_out()
    assert stage_due_deliveries() == 0, "a delivered delivery is never due"


def test_who_may_manage_webhooks_what_a_webhook_takes_and_each_company_sees_its_own(company, make_user, client_for,
                                                                                   accountant, receiver):
    for role in Role:
        caller = client_for(make_user(role))
        allowed = role in LEDGER_KEEPERS
        assert caller.get("/api/v1/webhooks").status_code == (200 if allowed else 403), role
        assert caller.post("/api/v1/webhooks", json={"url": receiver.url}).status_code == (201 if allowed else 403)
    for body, says in [({"url": "ftp://erp.example.com/x"}, "not a URL to deliver to"),
                       ({"url": "https://erp:pw@erp.example.com/x"}, "no user name or password"),
                       ({"url": receiver.url, "events": []}, "events"),
                       ({"url": receiver.url, "events": ["voucher.paid"]}, "events"),
                       ({"url": receiver.url, "secret": "mine"}, "secret")]:
        refused = accountant.post("/api/v1/webhooks", json=body)
        assert refused.status_code == 422 and says in refused.json()["detail"], body
    webhook = accountant.post("/api/v1/webhooks", json={"url": receiver.url, "events": ["voucher.posted"] * 2}).json()
    assert webhook["events"] == ["voucher.posted"]
    with transaction() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.entity_id == webhook["id"])).all()
    assert event.action == "webhook.created" and webhook["secret"] not in json.dumps(event.data)

    other = client_for(make_user("admin", company_slug="other"))
    assert other.get(f"/api/v1/webhooks/{webhook['id']}/deliveries").status_code == 404
    assert other.delete(f"/api/v1/webhooks/{webhook['id']}").status_code == 404
    assert all(w["id"] != webhook["id"] for w in other.get("/api/v1/webhooks").json()["items"])
    post_voucher(accountant, company)
    [delivery] = deliveries(accountant, webhook)
    assert other.post(f"/api/v1/webhook-deliveries/{delivery['id']}/redeliver").status_code == 404
