"""Entry points: the rq worker and the scheduler that sweeps the outbox."""

from __future__ import annotations

import logging
import signal
import threading
import time

from rq import Worker
from rq.serializers import JSONSerializer

from core.outbox import relay_pending
from core.queue import DEFAULT_QUEUE, get_queue, get_redis
from core.settings import get_settings
from workers.recovery import requeue_lost_documents
from workers import jobs  # noqa: F401  imported before rq forks, so every job starts with the code loaded

log = logging.getLogger(__name__)

RECOVERY_INTERVAL_SECONDS = 60.0
"""How often the scheduler looks for documents whose job the queue lost."""


def run_worker(*, burst: bool = False, queues: tuple[str, ...] = (DEFAULT_QUEUE,)) -> bool:
    """Work jobs until stopped (or, with ``burst``, until the queues are empty)."""
    worker = Worker([get_queue(name) for name in queues], connection=get_redis(), serializer=JSONSerializer)
    return worker.work(burst=burst, logging_level="INFO", with_scheduler=True)


def run_scheduler(stop: threading.Event | None = None) -> None:
    """Every few seconds, move outbox rows that missed the queue (e.g. during a Redis outage) onto it;
    every minute, queue again the documents whose job the queue lost."""
    stop = stop or _stop_on_signals()
    interval = get_settings().outbox_sweep_seconds
    log.info("scheduler sweeping the outbox every %.1fs", interval)
    next_recovery = 0.0
    while not stop.is_set():
        try:
            if time.monotonic() >= next_recovery:
                requeue_lost_documents()
                next_recovery = time.monotonic() + RECOVERY_INTERVAL_SECONDS
            moved = relay_pending()
            if moved:
                log.info("outbox sweep enqueued %d job(s)", moved)
        except Exception:  # keep sweeping through database or queue outages
            log.exception("outbox sweep failed; trying again in %.1fs", interval)
        stop.wait(interval)


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    return stop
