"""Scans and photos through real workers: each worker reads page images in its own OCR process, loaded once;
a dead OCR process is started again before the next document."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.extraction.pictures import encoded, text_page
from tests.helpers import upload
from tests.workers.conftest import children, wait_for, wait_until_done


def ocr_process_of(worker_pid: int) -> int:
    """The worker's spawned OCR process (a fresh interpreter started by ``multiprocessing.spawn``)."""
    def find() -> int | None:
        return next((pid for pid in children(worker_pid) if b"spawn_main" in _command_line(pid)), None)
    return wait_for(find, 30, "the worker's OCR process")


def _command_line(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return b""


def photo(number: str) -> bytes:
    return encoded(text_page(("CORNER CAFE", f"RECEIPT {number}", "TOTAL 12.50")), "PNG")


def test_a_photo_is_read_by_the_workers_ocr_process(make_user, client_for, start_worker):
    clerk = client_for(make_user("clerk"))
    start_worker()
    created = upload(clerk, photo("A-100"), filename="receipt.png")
    assert wait_until_done(created["id"], timeout=120) == "needs_review"
    document = clerk.get(f"/api/v1/documents/{created['id']}").json()
    [page] = document["pages"]
    assert page["source"] == "ocr" and page["words"] == 6
    image = clerk.get(page["image_url"])
    assert image.status_code == 200 and image.headers["content-type"] == "image/png"


def test_a_killed_ocr_process_is_started_again_for_the_next_document(make_user, client_for, start_worker):
    clerk = client_for(make_user("clerk"))
    worker = start_worker()
    first = upload(clerk, photo("B-1"), filename="first.png")
    assert wait_until_done(first["id"], timeout=120) == "needs_review"
    killed = ocr_process_of(worker.pid)
    os.kill(killed, signal.SIGKILL)
    second = upload(clerk, photo("B-2"), filename="second.png")
    assert wait_until_done(second["id"], timeout=120) == "needs_review"
    assert ocr_process_of(worker.pid) != killed
    assert clerk.get(f"/api/v1/documents/{second['id']}").json()["pages"][0]["words"] == 6


STARTER_THAT_DIES_AT_ONCE = """
import os, sys
from extraction.ocr.engines import configured_options, memory_limit_mb
from workers.ocr_process import OcrProcess
options = configured_options()
process = OcrProcess(options, memory_limit_mb(options))
process.ensure_running()
print(process._process.pid, flush=True)
os._exit(0)  # killed before its OCR process could watch it: no clean stop, no time for the child
"""


def test_an_ocr_process_whose_worker_died_while_it_started_ends_too():
    starter = subprocess.run([sys.executable, "-c", STARTER_THAT_DIES_AT_ONCE], capture_output=True, text=True,
                             timeout=60, env={**os.environ, "LEDGERDESK_OCR_ENGINE": "rapidocr"})
    assert starter.returncode == 0, starter.stderr
    orphan = int(starter.stdout.split()[0])
    wait_for(lambda: not Path(f"/proc/{orphan}").exists() or _is_zombie(orphan), 30,
             f"the orphaned OCR process {orphan} to end")


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
