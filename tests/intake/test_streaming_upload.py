"""Uploads against the real web server: the caller is checked before the body is read, and a body is refused
as soon as it passes the size limit, whether or not it declared its length."""

from __future__ import annotations

import select
import socket
from urllib.parse import urlsplit

import pytest

from core.db import transaction
from core.identity import User
from ledgerdesk.admin import create_token
from models import Document

CHUNK = b"0" * (1024 * 1024)
BODY_MEGABYTES = 200


def _token(user: User) -> str:
    with transaction() as session:
        return create_token(session, user=session.get(User, user.id), name="tests")


def _chunked_upload(base_url: str, token: str | None) -> tuple[int, int]:
    """Send a 200 MB multipart upload with ``Transfer-Encoding: chunked`` until the server answers.

    Returns the status code and how many megabytes of body went out before the answer came.
    """
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=30) as connection:
        connection.sendall(_request_head(address.netloc, token))
        connection.sendall(_chunk(b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n'
                                  b"%PDF-1.4\n"))
        sent = 0
        while sent < BODY_MEGABYTES and not _answered(connection):
            try:
                connection.sendall(_chunk(CHUNK))
            except OSError:  # the server closed the connection after answering
                break
            sent += 1
        return _status(connection), sent


def _request_head(host: str, token: str | None) -> bytes:
    lines = ["POST /api/v1/documents HTTP/1.1", f"Host: {host}", "Transfer-Encoding: chunked",
             "Content-Type: multipart/form-data; boundary=b"]
    if token:
        lines.append(f"Authorization: Bearer {token}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _chunk(data: bytes) -> bytes:
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _answered(connection: socket.socket) -> bool:
    return bool(select.select([connection], [], [], 0)[0])


def _status(connection: socket.socket) -> int:
    connection.settimeout(30)
    return int(connection.recv(4096).split(b" ", 2)[1])


def _use_upload_limit(monkeypatch, limit: int) -> None:
    monkeypatch.setenv("LEDGERDESK_MAX_UPLOAD_BYTES", str(limit))
    from core.settings import get_settings

    get_settings.cache_clear()


def test_a_chunked_upload_over_the_limit_is_refused_while_it_arrives(live_server, make_user, monkeypatch):
    _use_upload_limit(monkeypatch, 2_000_000)
    status, sent = _chunked_upload(live_server, _token(make_user("clerk")))
    assert status == 413
    assert sent < BODY_MEGABYTES / 4  # refused near the limit, not after the 200 MB
    with transaction(read_only=True) as session:
        assert session.query(Document).count() == 0


@pytest.mark.parametrize("role, expected", [(None, 401), ("auditor", 403)])
def test_a_caller_who_may_not_upload_is_refused_before_the_body_is_read(live_server, make_user, role, expected):
    token = _token(make_user(role)) if role else None
    status, sent = _chunked_upload(live_server, token)
    assert status == expected
    assert sent < BODY_MEGABYTES / 4


def test_a_chunked_json_body_over_the_limit_is_refused_too(make_user, client_for, monkeypatch):
    _use_upload_limit(monkeypatch, 1000)
    clerk = client_for(make_user("clerk"))
    pieces = (b'{"decision": "approve", "comment": "' + b"x" * 100_000 for _ in range(30))
    response = clerk.post("/api/v1/documents/00000000-0000-0000-0000-000000000001/review", content=pieces,
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and response.json()["error"] == "FileTooLarge"
