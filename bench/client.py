"""A lean HTTP client, so that the benchmark's own work does not crowd out the service on a small machine:
``http.client`` with one keep-alive connection per thread, multipart bodies built by hand, uploads from N
threads at once, and a probe that keeps asking ``/healthz`` in the background."""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

DOCUMENTS = "/api/v1/documents"
RECONNECT_ERRORS = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError,
                    http.client.CannotSendRequest)
"""What a kept-alive connection the server has closed meanwhile raises: the request is sent once more."""


@dataclass(frozen=True)
class Answer:
    status: int
    """The HTTP status; 0 when no answer came (the error says why)."""
    body: bytes
    seconds: float
    error: str | None = None

    def json(self) -> dict:
        return json.loads(self.body) if self.body else {}

    @property
    def outcome(self) -> str:
        """``201``, ``503``, ... or the error when nothing came back (``timeout``, ``ConnectionRefusedError``)."""
        return str(self.status) if self.status else (self.error or "no answer")


class Connection:
    """One keep-alive HTTP connection to the service, as one client (one thread) uses it."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 60.0):
        address = urlsplit(base_url)
        self._host, self._port, self._timeout = address.hostname, address.port, timeout
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._connection: http.client.HTTPConnection | None = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Answer:
        """Send and read the whole answer; a dropped connection or a timeout is an ``Answer`` with status 0."""
        started = time.perf_counter()
        try:
            status, data = self._exchange(method, path, body, headers or {})
        except (OSError, http.client.HTTPException) as error:
            self.close()
            name = "timeout" if isinstance(error, TimeoutError) else type(error).__name__
            return Answer(0, b"", time.perf_counter() - started, name)
        return Answer(status, data, time.perf_counter() - started)

    def upload(self, data: bytes, filename: str) -> Answer:
        body, content_type = multipart_file(data, filename)
        return self.request("POST", DOCUMENTS, body, {"Content-Type": content_type})

    def get_json(self, path: str) -> dict:
        answer = self.request("GET", path)
        if answer.status != 200:
            raise RuntimeError(f"GET {path} answered {answer.outcome}: {answer.body[:300]!r}")
        return answer.json()

    def _exchange(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
        reused = self._connection is not None
        try:
            return self._send(method, path, body, headers)
        except RECONNECT_ERRORS:
            if not reused:
                raise
            self.close()  # the server closed the idle connection: once more on a new one
            return self._send(method, path, body, headers)

    def _send(self, method: str, path: str, body: bytes | None, headers: dict) -> tuple[int, bytes]:
        if self._connection is None:
            self._connection = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        self._connection.request(method, path, body=body, headers=self._headers | headers)
        response = self._connection.getresponse()
        return response.status, response.read()


def multipart_file(data: bytes, filename: str, field_name: str = "file") -> tuple[bytes, str]:
    """A ``multipart/form-data`` body with one file, and its Content-Type header."""
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Upload:
    """One file sent, and what the service answered."""

    index: int
    sha256: str
    sent_at: float = 0.0
    """``time.time()`` when the request went out."""
    answer: Answer | None = None

    @property
    def acknowledged(self) -> bool:
        return self.answer is not None and self.answer.status == 201

    @property
    def document_id(self) -> str | None:
        return self.answer.json().get("id") if self.acknowledged else None


def upload_concurrently(base_url: str, token: str, files: Sequence[tuple[str, bytes]], clients: int) -> list[Upload]:
    """Send ``files`` (``(filename, bytes)``) from ``clients`` threads, each on its own connection, each taking
    the next file as soon as its previous answer arrived; returns one ``Upload`` per file, in order."""
    uploads = [Upload(index, hashlib.sha256(data).hexdigest()) for index, (_, data) in enumerate(files)]
    next_index = iter(range(len(files)))
    lock = threading.Lock()

    def client() -> None:
        with Connection(base_url, token) as connection:
            while True:
                with lock:
                    index = next(next_index, None)
                if index is None:
                    return
                uploads[index].sent_at = time.time()
                uploads[index].answer = connection.upload(files[index][1], files[index][0])

    threads = [threading.Thread(target=client, name=f"client-{n}") for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return uploads


def outcomes(uploads: Sequence[Upload]) -> Counter:
    """How many uploads got each answer (``201``, ``503``, ``timeout`` ...)."""
    return Counter(upload.answer.outcome if upload.answer else "not sent" for upload in uploads)


@dataclass
class HealthProbe:
    """Asks ``/healthz`` every ``every`` seconds in a thread while it is entered; ``with HealthProbe(url) as
    probe: ...`` then ``probe.failures``, ``probe.max_seconds``."""

    base_url: str
    every: float = 0.2
    timeout: float = 10.0
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._probe, name="healthz-probe", daemon=True)

    def __enter__(self) -> HealthProbe:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def max_seconds(self) -> float | None:
        return max(self.latencies) if self.latencies else None

    @property
    def up(self) -> bool:
        return bool(self.latencies) and not self.failures

    def summary(self) -> str:
        """``1234 probes, max 45 ms, 0 failed``."""
        worst = f"{self.max_seconds * 1000:.0f} ms" if self.latencies else "-"
        return f"{len(self.latencies) + len(self.failures)} probes, max {worst}, {len(self.failures)} failed"

    def _probe(self) -> None:
        with Connection(self.base_url, timeout=self.timeout) as connection:
            while not self._stop.is_set():
                answer = connection.request("GET", "/healthz")
                if answer.status == 200:
                    self.latencies.append(answer.seconds)
                else:
                    self.failures.append(f"{time.strftime('%H:%M:%S')} {answer.outcome}")
                self._stop.wait(self.every)
