"""rq plumbing: the Redis connection, queues, and enqueueing jobs by name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache

import redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer

from core import embedded_redis
from core.settings import get_settings

DEFAULT_QUEUE = "default"
LARGE_QUEUE = "large"
"""Documents with many pages wait here, so one long document never holds up the ordinary ones."""
QUEUES = (DEFAULT_QUEUE, LARGE_QUEUE)
JOB_MODULE = "workers.jobs"
"""Jobs are enqueued by name (``workers.jobs.<name>``) so nothing imports ``workers``."""

RETRY_INTERVALS = [5, 30, 120]
QUEUE_DOWN: tuple[type[Exception], ...] = (redis.RedisError, embedded_redis.EmbeddedRedisError)
"""What the job queue raises when its Redis cannot be reached."""


def redis_url() -> str:
    """The configured Redis URL, or the embedded server's socket (started if it is not running)."""
    settings = get_settings()
    if settings.redis_url:
        return settings.redis_url
    if not embedded_redis.is_running(settings.data_dir):
        embedded_redis.start(settings.data_dir)
    return embedded_redis.url_for(settings.data_dir)


@lru_cache
def get_redis() -> redis.Redis:
    """A connection pool to the queue's Redis, with short timeouts so an outage fails fast."""
    return redis.Redis.from_url(redis_url(), socket_connect_timeout=1, socket_timeout=5)


def get_queue(name: str = DEFAULT_QUEUE) -> Queue:
    settings = get_settings()
    return Queue(name, connection=get_redis(), serializer=JSONSerializer, default_timeout=settings.job_timeout_seconds)


@dataclass(frozen=True)
class QueuedCall:
    """Job ``workers.jobs.<name>(*args)`` for queue ``queue_name`` under a deterministic id."""

    queue_name: str
    name: str
    args: list
    job_id: str
    at_front: bool = False
    """Ahead of everything waiting (a job that was lost and has waited long enough already)."""


def enqueue_batch(calls: list[QueuedCall]) -> None:
    """Put every call on its queue in one Redis round trip; retries of transient failures are declared here."""
    with get_redis().pipeline() as pipeline:
        for queue_name, batch in _by_queue(calls).items():
            queue = get_queue(queue_name)
            queue.enqueue_many([_job_data(call) for call in batch], pipeline=pipeline)
        pipeline.execute()


def _by_queue(calls: list[QueuedCall]) -> dict[str, list[QueuedCall]]:
    grouped: dict[str, list[QueuedCall]] = {}
    for call in calls:
        grouped.setdefault(call.queue_name, []).append(call)
    return grouped


def _job_data(call: QueuedCall):
    return Queue.prepare_data(
        f"{JOB_MODULE}.{call.name}", args=call.args, job_id=call.job_id, at_front=call.at_front,
        retry=Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS, enqueue_at_front=True),
        failure_ttl=7 * 24 * 3600, result_ttl=24 * 3600, timeout=get_settings().job_timeout_seconds,
    )


WAITING_STATUSES = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


def stale_heartbeat_seconds() -> float:
    """A running job not heard of for this long (two missed heartbeats) lost its worker (killed, or its machine
    gone)."""
    return 2 * get_settings().worker_heartbeat_seconds + 5


def live_job_ids(job_ids: list[str]) -> set[str]:
    """Those of ``job_ids`` the queue still holds waiting, or running with a worker that is alive."""
    jobs = Job.fetch_many(job_ids, connection=get_redis(), serializer=JSONSerializer)
    return {job.id for job in jobs if job is not None and _is_live(job)}


def _is_live(job: Job) -> bool:
    status = job.get_status(refresh=False)
    if status == JobStatus.SCHEDULED:
        return not _long_overdue(job)
    if status in WAITING_STATUSES:
        return True
    if status != JobStatus.STARTED or job.last_heartbeat is None:
        return False
    heartbeat = job.last_heartbeat if job.last_heartbeat.tzinfo else job.last_heartbeat.replace(tzinfo=timezone.utc)
    return (datetime.now(timezone.utc) - heartbeat).total_seconds() < stale_heartbeat_seconds()


def _long_overdue(job: Job) -> bool:
    """A scheduled job (an rq retry) whose time passed long ago: no scheduler moves it (the worker holding rq's
    scheduler lock died, and the lock outlives it), so it is as lost as a job the queue forgot."""
    registry = ScheduledJobRegistry(job.origin, connection=get_redis(), serializer=JSONSerializer)
    try:
        due = registry.get_scheduled_time(job)
    except NoSuchJobError:
        return True
    return (datetime.now(timezone.utc) - due).total_seconds() > stale_heartbeat_seconds()


def reset_queue_cache() -> None:
    if get_redis.cache_info().currsize:
        get_redis().close()
    get_redis.cache_clear()
