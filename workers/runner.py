"""Entry points: the rq worker, and the scheduler that runs the periodic sweeps."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from rq import Queue, Worker
from rq.job import Job
from rq.serializers import JSONSerializer

from core.audit import seal_pending
from core.outbox import relay_pending
from core.processes import die_with_parent, limit_memory, memory_in_use_mb
from core.queue import QUEUES, get_queue, get_redis
from core.settings import get_settings
from extraction.learned import preload_models
from workers.horses import horse_died
from workers.ocr_process import OcrProcess, start_for_worker
from workers.recovery import requeue_lost_documents
from workers.webhooks import stage_due_deliveries
from workers import jobs  # noqa: F401  imported before rq forks, so every job starts with the code loaded

log = logging.getLogger(__name__)


@dataclass
class Periodic:
    """A sweep the scheduler runs every ``every`` seconds; it returns how many things it moved."""

    name: str
    every: float
    run: Callable[[], int]
    due_at: float = 0.0


class BoundedWorker(Worker):
    """An rq worker whose work horses (one forked per job) have a memory ceiling and die with their worker, and
    read page images through the worker's OCR process (started again before a job if it died)."""

    ocr: OcrProcess | None = None
    worker_pid: int = 0

    def execute_job(self, job: Job, queue: Queue) -> None:
        if self.ocr is not None:
            self.ocr.ensure_running()
        self.worker_pid = os.getpid()
        super().execute_job(job, queue)

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        # a killed worker leaves no horse running on behind the queue's back
        die_with_parent(signal.SIGKILL, self.worker_pid)
        # the limit is what one document may take beyond the models every horse starts with
        limit_memory(int(memory_in_use_mb()) + get_settings().max_job_memory_mb)
        super().main_work_horse(job, queue)


def run_worker(*, burst: bool = False, queues: tuple[str, ...] = QUEUES) -> bool:
    """Work jobs until stopped (or, with ``burst``, until the queues are empty), in the order of ``queues``."""
    os.nice(get_settings().worker_nice)  # the API answers people; background work takes the CPU it leaves
    worker = BoundedWorker([get_queue(name) for name in queues], connection=get_redis(), serializer=JSONSerializer,
                           job_monitoring_interval=get_settings().worker_heartbeat_seconds, work_horse_killed_handler=horse_died)
    worker.ocr = start_for_worker()
    preload_models()  # before the first job, so no document waits for it: every horse forks with the models loaded
    try:
        return worker.work(burst=burst, logging_level="INFO", with_scheduler=True)
    finally:
        if worker.ocr is not None:
            worker.ocr.stop()


def scheduler_sweeps() -> list[Periodic]:
    """Outbox rows that missed the queue, audit events to seal, documents whose job the queue lost, webhook
    deliveries whose next attempt is due."""
    settings = get_settings()
    return [Periodic("outbox", settings.outbox_sweep_seconds, relay_pending),
            Periodic("audit seal", settings.audit_seal_seconds, seal_pending),
            Periodic("recovery", settings.recovery_sweep_seconds, requeue_lost_documents),
            Periodic("webhook attempts", settings.outbox_sweep_seconds, stage_due_deliveries)]


def run_scheduler(stop: threading.Event | None = None) -> None:
    """Run every sweep when it is due until stopped; an outage of the database or queue only delays them."""
    stop = stop or _stop_on_signals()
    sweeps = scheduler_sweeps()
    log.info("scheduler running: %s", ", ".join(f"{s.name} every {s.every:g}s" for s in sweeps))
    while not stop.is_set():
        for sweep in sweeps:
            if time.monotonic() >= sweep.due_at:
                _run_sweep(sweep)
        stop.wait(max(0.01, min(s.due_at for s in sweeps) - time.monotonic()))


def _run_sweep(sweep: Periodic) -> None:
    try:
        moved = sweep.run()
        if moved:
            log.info("%s sweep: %d", sweep.name, moved)
    except Exception:  # keep sweeping through database or queue outages
        log.exception("%s sweep failed; trying again in %gs", sweep.name, sweep.every)
    sweep.due_at = time.monotonic() + sweep.every


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
