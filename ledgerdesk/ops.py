"""Operations endpoints: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from core import outbox
from core.db import transaction
from core.errors import ServiceUnavailable
from core.metrics import gauge_family, job_duration_family
from core.queue import get_queue, get_redis
from core.web import ERROR_HEADERS, QUEUE_DOWN, error_responses
from intake.service import count_by_status

router = APIRouter(tags=["operations"])
JOBS = ("process_document",)


class Health(BaseModel):
    status: Literal["ok"]


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    checks: dict[str, str]
    """``ok``, or ``unreachable: <error>``, for ``database`` and ``queue``."""


NOT_READY = {"model": Readiness, "description": "The database or the queue does not answer; the checks name which",
             "headers": ERROR_HEADERS[503]}


@router.get("/healthz", response_model=Health)
def healthz() -> dict[str, str]:
    """The process is up."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness, responses={503: NOT_READY})
def readyz() -> JSONResponse:
    """The database and the queue answer; 503 names whichever does not."""
    checks = {"database": _check_database(), "queue": _check_queue()}
    if all(value == "ok" for value in checks.values()):
        return JSONResponse({"status": "ok", "checks": checks})
    return JSONResponse({"status": "unavailable", "checks": checks}, status_code=503,
                        headers={"Retry-After": str(ServiceUnavailable.retry_after_seconds)})


def _check_database() -> str:
    try:
        with transaction(read_only=True) as session:
            session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok"


def _check_queue() -> str:
    try:
        get_redis().ping()
    except QUEUE_DOWN as exc:
        return f"unreachable: {type(exc).__name__}"
    return "ok"


class _LedgerdeskCollector:
    """Reads the live figures at scrape time."""

    def collect(self):
        with transaction(read_only=True) as session:
            counts = count_by_status(session)
            pending = outbox.pending_count(session)
        yield gauge_family("ledgerdesk_documents", "Documents by status", "status",
                           {status: float(count) for status, count in counts.items()})
        yield gauge_family("ledgerdesk_outbox_pending", "Jobs waiting in the outbox for the queue", "outbox",
                           {"default": float(pending)})
        try:
            queue = get_queue()
            yield gauge_family("ledgerdesk_queue_depth", "Jobs waiting in the rq queue", "queue",
                               {queue.name: float(queue.count)})
            yield job_duration_family(JOBS)
        except QUEUE_DOWN:
            return  # the database's figures are still worth a scrape


PROMETHEUS_TEXT = {"description": "The Prometheus text exposition format",
                   "content": {"text/plain": {"schema": {"type": "string"}}}}


@router.get("/metrics", response_class=Response, responses={200: PROMETHEUS_TEXT, **error_responses(503)})
def metrics() -> Response:
    """Prometheus text: documents by status, the outbox, the queue and job durations (no auth: counts only)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_LedgerdeskCollector())
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
