"""Webhook signing, the retry schedule and what a delivery carries, as plain values; and sending one attempt to a
real receiver on this machine: its answer, a redirect not followed, a receiver too slow or not there."""

from __future__ import annotations

import hashlib
import hmac
import socket
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from core.errors import InvalidRequest
from posting.webhooks.deliveries import (Answer, attempt_limit, body_of, payload, posting_event, receiver_url,
                                         retry_delay)
from posting.webhooks.sending import SignedRequest, post
from posting.webhooks.signing import is_authentic, new_secret, signature, signed_headers
from tests.webhook_receiver import Reply, running_receiver

SECRET = "whsec_test-secret"
BODY = b'{"event":"voucher.posted"}'


def test_the_signature_is_the_hmac_sha256_of_the_timestamp_a_dot_and_the_body():
    # the expected value comes from: printf '%s' '1764400000.{"event":"voucher.posted"}' |
    #   openssl dgst -sha256 -hmac 'whsec_test-secret'
    assert signature(SECRET, 1764400000, BODY) == (
        "sha256=6adc753e8baf90227d02a54dbd85db0f7412de83acf17d9691093b4b92e38aa6")


def test_the_headers_name_the_event_the_delivery_and_the_signed_timestamp():
    delivery = uuid.UUID(int=5)
    headers = signed_headers(SECRET, event="voucher.reversed", delivery_id=delivery, body=BODY, timestamp=1764400000)
    assert headers["X-Ledgerdesk-Event"] == "voucher.reversed" and headers["X-Ledgerdesk-Delivery"] == str(delivery)
    assert headers["X-Ledgerdesk-Timestamp"] == "1764400000" and headers["Content-Type"] == "application/json"
    assert headers["X-Ledgerdesk-Signature"] == signature(SECRET, 1764400000, BODY)


def test_a_receiver_accepts_only_our_fresh_signature_of_these_very_bytes():
    signed = signature(SECRET, 1764400000, BODY)
    assert is_authentic(SECRET, "1764400000", BODY, signed, now=1764400100)
    assert not is_authentic(SECRET, "1764400000", BODY + b" ", signed, now=1764400100), "a changed body"
    assert not is_authentic("whsec_another", "1764400000", BODY, signed, now=1764400100), "another secret"
    assert not is_authentic(SECRET, "1764400001", BODY, signed, now=1764400100), "another timestamp"
    assert not is_authentic(SECRET, "1764400000", BODY, signed, now=1764400000 + 301), "played again too late"
    assert not is_authentic(SECRET, "soon", BODY, signed, now=1764400100)


def test_secrets_are_new_each_time_and_long():
    first, second = new_secret(), new_secret()
    assert first != second and first.startswith("whsec_") and len(first) >= 6 + 43


def test_one_attempt_then_one_after_each_wait_of_the_schedule():
    schedule = [10, 60, 300, 1800, 7200]
    assert attempt_limit(schedule) == 6
    assert [retry_delay(made, schedule) for made in range(1, 7)] == [
        timedelta(seconds=10), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=2),
        None]
    assert retry_delay(1, []) is None and attempt_limit([]) == 1


def test_a_delivery_carries_the_event_and_the_voucher_in_bytes_that_do_not_change():
    sent = payload(posting_event(None), datetime(2026, 3, 2, 8, tzinfo=timezone.utc), {"id": "v", "lines": []})
    assert sent == {"event": "voucher.posted", "occurred_at": "2026-03-02T08:00:00+00:00",
                    "voucher": {"id": "v", "lines": []}}
    assert posting_event(uuid.UUID(int=1)) == "voucher.reversed"
    assert body_of(sent) == body_of(dict(reversed(sent.items())))
    assert body_of({"name": "应付账款"}) == '{"name":"应付账款"}'.encode()


@pytest.mark.parametrize(("url", "says"), [("ftp://erp.example.com/x", "not a URL to deliver to"),
                                           ("https:///path-only", "not a URL to deliver to"),
                                           ("erp.example.com/hook", "not a URL to deliver to"),
                                           ("http://[::1/hook", "not a URL to deliver to"),
                                           ("http://erp.example.com:99999/hook", "not a URL to deliver to"),
                                           ("https://erp.example.com/a hook", "percent-encode them"),
                                           ("https://例子.测试/hook", "xn-- form"),
                                           ("https://erp:s3cret@erp.example.com/hook", "no user name or password")])
def test_a_url_deliveries_cannot_go_to_is_refused(url, says):
    with pytest.raises(InvalidRequest) as refused:
        receiver_url(url)
    assert says in refused.value.detail
    assert receiver_url(" https://erp.example.com/hook ") == "https://erp.example.com/hook"


def _request(url: str) -> SignedRequest:
    return SignedRequest(url, signed_headers(SECRET, event="voucher.posted", delivery_id=uuid.UUID(int=1), body=BODY,
                                             timestamp=1764400000), BODY)


def test_sending_posts_the_signed_body_and_reads_the_answer():
    with running_receiver() as receiver:
        receiver.script = [Reply(204), Reply(500, body=b"database is down\n" + b"x" * 500)]
        assert post(_request(receiver.url), timeout=5) == Answer(204)
        failed = post(_request(receiver.url), timeout=5)
    assert not failed.delivered and failed.status_code == 500
    assert failed.error.startswith("HTTP 500: database is down") and len(failed.error) < 250
    [first, _] = receiver.received
    assert first.body == BODY and first.path == "/hooks/ledgerdesk"
    expected = hmac.new(SECRET.encode(), b"1764400000." + BODY, hashlib.sha256).hexdigest()
    assert first.headers["X-Ledgerdesk-Signature"] == f"sha256={expected}"


def test_a_redirect_is_not_followed():
    with running_receiver() as receiver:
        receiver.default = Reply(302, headers={"Location": "http://127.0.0.1:9/elsewhere"})
        answer = post(_request(receiver.url), timeout=5)
    assert answer.status_code == 302 and not answer.delivered and len(receiver.received) == 1
    assert answer.error == ("HTTP 302: redirects are not followed (Location: http://127.0.0.1:9/elsewhere); give "
                            "the webhook the final URL")


def test_a_slow_or_absent_receiver_is_an_answer_without_a_status():
    with running_receiver() as receiver:
        receiver.default = Reply(200, delay=1.5)
        slow = post(_request(receiver.url), timeout=0.3)
    assert slow == Answer(None, "no answer within 0.3 s")
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    absent = post(_request(f"http://127.0.0.1:{port}/hook"), timeout=1)
    assert absent.status_code is None and absent.error.startswith("the receiver could not be reached")
