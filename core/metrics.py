"""Prometheus metrics shared across processes: job durations are kept in Redis, counts read live."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import redis
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily

from core.queue import get_redis

log = logging.getLogger(__name__)

BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)
_KEY = "ledgerdesk:metrics:job_seconds:{job}"


def observe_job_duration(job: str, seconds: float) -> None:
    """Count one finished job in the shared histogram; a Redis hiccup never fails the job."""
    key = _KEY.format(job=job)
    try:
        pipe = get_redis().pipeline()
        for bound in BUCKETS:
            if seconds <= bound:
                pipe.hincrby(key, f"le_{bound}", 1)
        pipe.hincrby(key, "count", 1)
        pipe.hincrbyfloat(key, "sum", seconds)
        pipe.execute()
    except redis.RedisError as exc:
        log.warning("job duration not recorded: %s", exc)


def job_duration_family(jobs: Iterable[str]) -> HistogramMetricFamily:
    family = HistogramMetricFamily("ledgerdesk_job_duration_seconds", "Time jobs took, by job", labels=["job"])
    for job in jobs:
        raw = {k.decode(): float(v) for k, v in get_redis().hgetall(_KEY.format(job=job)).items()}
        buckets = [(str(bound), raw.get(f"le_{bound}", 0.0)) for bound in BUCKETS]
        buckets.append(("+Inf", raw.get("count", 0.0)))
        family.add_metric([job], buckets, raw.get("sum", 0.0))
    return family


def gauge_family(name: str, documentation: str, label: str, values: dict[str, float]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, value in sorted(values.items()):
        family.add_metric([key], value)
    return family
