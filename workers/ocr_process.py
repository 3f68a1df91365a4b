"""One OCR engine per worker, loaded once, in a process of its own.

rq forks a work horse for every document; an engine loaded in the worker before the fork would run without
its thread pool in each horse (twice as slow), and loading it in every horse costs time and memory per
document. So the worker starts this process (spawned: a fresh interpreter, its threads its own) and the horses
send it their page images one at a time and get the words back.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Client, Connection, Listener
from pathlib import Path

from PIL import Image

from core.errors import UnreadableDocument
from core.processes import die_with_parent, limit_memory
from extraction.ocr.engines import EngineOptions, TextModels, configured_options, load_engine, memory_limit_mb
from extraction.ocr.result import OcrPage
from extraction.reading import PageReader

log = logging.getLogger(__name__)
CONNECT_SECONDS = 120.0
"""How long a horse waits for the engine to be ready (it loads once, when its worker starts)."""


class OcrUnavailable(ConnectionError):
    """The worker's OCR process is gone or did not start: trouble around the document, so the job is tried
    again later (the worker starts the process again before the next job)."""


@dataclass(frozen=True)
class Endpoint:
    address: str
    authkey: bytes


_worker_endpoint: Endpoint | None = None
"""Set in a worker before it forks its horses: where its OCR process listens."""


def start_for_worker() -> OcrProcess | None:
    """Start this worker's OCR process (None when OCR is switched off); its horses will use it."""
    global _worker_endpoint
    options = configured_options()
    if options is None:
        return None
    process = OcrProcess(options, memory_limit_mb(options))
    process.ensure_running()
    _worker_endpoint = process.endpoint
    return process


def page_reader() -> PageReader | None:
    """How this process reads page images: through its worker's OCR process, or (outside a worker: ``eval``,
    a job run in-process) with an engine loaded here once. None when OCR is switched off."""
    options = configured_options()
    if options is None:
        return None
    if _worker_endpoint is not None:
        return RemoteReader(_worker_endpoint)
    from extraction.ocr.page import read_page  # numpy and OpenCV, only where pages are read here
    return partial(read_page, load_engine(options))


class OcrProcess:
    """The worker's OCR process: started with the worker, started again if it died, stopped with it."""

    def __init__(self, options: EngineOptions, memory_mb: int):
        self.options, self.memory_mb = options, memory_mb
        folder = Path(tempfile.mkdtemp(prefix="ledgerdesk-ocr-"))
        self.endpoint = Endpoint(str(folder / "ocr.sock"), os.urandom(32))
        self._process: multiprocessing.Process | None = None

    def ensure_running(self) -> None:
        if self._process is not None and self._process.is_alive():
            return
        if self._process is not None:
            log.warning("the OCR process ended (exit %s); starting it again", self._process.exitcode)
        Path(self.endpoint.address).unlink(missing_ok=True)
        context = multiprocessing.get_context("spawn")
        self._process = context.Process(target=serve, args=(self.endpoint, self.options, self.memory_mb, os.getpid()),
                                        name="ledgerdesk-ocr", daemon=True)
        self._process.start()

    def stop(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        shutil.rmtree(Path(self.endpoint.address).parent, ignore_errors=True)


def serve(endpoint: Endpoint, options: EngineOptions, memory_mb: int, worker_pid: int) -> None:
    """The OCR process: load the engine, then read pages for one horse at a time, while its worker lives."""
    die_with_parent(signal.SIGKILL, worker_pid)
    engine = load_engine(options)
    limit_memory(memory_mb)
    with Listener(endpoint.address, family="AF_UNIX", authkey=endpoint.authkey) as listener:
        while True:
            try:
                with listener.accept() as connection:
                    _answer(connection, engine)
            except OSError as exc:  # a horse that went away (its time limit), or a bad handshake
                log.warning("OCR connection ended: %s", exc)


def _answer(connection: Connection, engine: TextModels) -> None:
    while True:
        try:
            image = connection.recv()
        except EOFError:
            return
        connection.send(_read(engine, image))


def _read(engine: TextModels, image: Image.Image) -> tuple[str, object]:
    from extraction.ocr.page import read_page
    try:
        return "page", read_page(engine, image)
    except MemoryError:
        return "error", "reading it needed more memory than OCR may use"
    except Exception as exc:  # a page the engine chokes on must not stop it for the documents after
        log.exception("OCR failed on a page image")
        return "error", f"{type(exc).__name__}: {exc}"


class RemoteReader:
    """A horse's link to its worker's OCR process: callable like ``read_page`` with a loaded engine."""

    def __init__(self, endpoint: Endpoint):
        self._endpoint, self._connection = endpoint, None

    def __call__(self, image: Image.Image) -> OcrPage:
        connection = self._connect()
        try:
            connection.send(image)
            kind, value = connection.recv()
        except (EOFError, ConnectionError) as exc:
            raise OcrUnavailable("the OCR process stopped while it read a page") from exc
        if kind == "error":
            raise UnreadableDocument(f"A page image could not be read: {value}. Scan it at a lower resolution.")
        return value

    def _connect(self) -> Connection:
        """The connection; while the process loads its engine its socket does not exist yet, and a socket that
        refuses is one whose process died."""
        deadline = time.monotonic() + CONNECT_SECONDS
        while self._connection is None:
            try:
                self._connection = Client(self._endpoint.address, family="AF_UNIX", authkey=self._endpoint.authkey)
            except ConnectionRefusedError as exc:
                raise OcrUnavailable("the OCR process is not running") from exc
            except FileNotFoundError as exc:
                if time.monotonic() > deadline:
                    raise OcrUnavailable(f"the OCR process did not start within {CONNECT_SECONDS:g} s") from exc
                time.sleep(0.1)
        return self._connection
