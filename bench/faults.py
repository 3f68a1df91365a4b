"""Faults: parts of the real service killed while a batch of uploads is being processed.

``python -m bench.faults --count 300 --clients 8`` starts ``ledgerdesk up`` on the embedded defaults (SQLite,
the embedded Redis it supervises, 2 workers) and, for each fault, sends a batch of ``count`` invoice uploads
from ``clients`` clients; when half of the batch is acknowledged it strikes:

- ``horse``: kill -9 the work horse an rq worker forked for the document it is processing;
- ``worker``: kill -9 a busy worker's main process (``ledgerdesk up`` starts it again);
- ``redis``: kill -9 the embedded redis-server and delete its snapshot and append-only file, so the supervisor
  starts it again empty;
- ``scheduler``: kill -9 the worker whose rq scheduler holds the queue's scheduler lock, then (once it is back)
  a work horse, whose job rq then schedules for a retry.

Each fault gets a batch of its own, so that a document lost in one fault is not lost again in the next and the
time to recover is the fault's own. For each: every document must end processed exactly once; the documents
that were lost are those the fault's job belonged to, those started more than once, and those the recovery
sweep queued again (``document.requeued``); the time to recover runs from the kill until the last of them
finished (target: within 60 s). ``/healthz`` is asked every 0.2 s throughout: the API must stay up.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench import procs
from bench.client import HealthProbe, Upload, upload_concurrently
from bench.invoices import upload_files
from bench.records import DocumentRecord, Records
from bench.report import Target, correctness_failed, heading, table
from bench.service import (DATABASE_LABELS, Service, backend, interruptible, running_service, supervisor_restarts,
                           unwind_on_signals)

PART = "faults"
RECOVERY_TARGET = 60.0
"""Seconds within which lost jobs must be processed again (issue 5)."""
SETTLE_TIMEOUT = 300.0
JOB_PREFIX = "process_document-"


@dataclass
class Strike:
    """What a fault did, and when."""

    at: float
    """``time.time()`` of the kill."""
    detail: str
    lost_document: str | None = None
    """The document whose job was running in what was killed, when known."""
    restarted_after: float | None = None
    """Seconds until the supervisor had the killed part running again (None: it need not restart)."""


@dataclass
class FaultRound:
    fault: str
    uploads: list[Upload]
    strike: Strike
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    settled: bool = False
    health: HealthProbe | None = None
    restarts: list[str] = field(default_factory=list)
    """The parts ``ledgerdesk up`` restarted during the round, and how each had ended."""

    @property
    def ids(self) -> set[str]:
        return {upload.document_id for upload in self.uploads if upload.acknowledged}

    @property
    def mine(self) -> list[DocumentRecord]:
        return [self.documents[i] for i in self.ids if i in self.documents]

    @property
    def lost(self) -> list[DocumentRecord]:
        """The round's documents the fault cost their job."""
        return [record for record in self.mine
                if record.id == self.strike.lost_document or record.attempts > 1
                or any(at >= self.strike.at for at in record.requeued_at)]

    @property
    def requeued(self) -> int:
        return sum(1 for record in self.mine if any(at >= self.strike.at for at in record.requeued_at))

    @property
    def recovered_after(self) -> float | None:
        """Seconds from the kill until the last lost document finished (None if one never did)."""
        if not self.lost or any(record.pending for record in self.lost):
            return None
        return max(record.changed_at for record in self.lost) - self.strike.at

    @property
    def processed_once(self) -> int:
        return sum(1 for record in self.mine if record.processed_once and record.status != "failed")

    @property
    def all_processed_once(self) -> bool:
        return self.settled and len(self.ids) == len(self.uploads) == self.processed_once

    def problems(self) -> list[str]:
        found = []
        if not self.settled:
            found.append(f"documents still waiting {SETTLE_TIMEOUT:.0f} s after the batch")
        if len(self.ids) != len(self.uploads):
            found.append(f"{len(self.uploads) - len(self.ids)} of {len(self.uploads)} uploads not acknowledged")
        if self.processed_once != len(self.ids):
            found.append(f"processed exactly once: {self.processed_once} of {len(self.ids)}")
        if self.health and not self.health.up:
            found.append(f"/healthz failed: {', '.join(self.health.failures[:5])}")
        return found


# The faults.

def kill_work_horse(service: Service) -> Strike:
    """Stop a work horse in the middle of its document, note the job, then kill -9 it."""
    while True:
        horse = procs.wait_for(lambda: next(iter(service.horse_pids()), None), 60, "a work horse")
        try:
            os.kill(horse, signal.SIGSTOP)  # frozen mid-job: the job it runs can be read without a race
            job = _job_of_horse(service, horse)
            os.kill(horse, signal.SIGKILL if job else signal.SIGCONT)  # a horse between jobs is let go
        except ProcessLookupError:
            continue  # it finished meanwhile: take the next one
        if job:
            return Strike(time.time(), f"horse {horse} ({_short(job)})", _document_of(job))


def kill_worker(service: Service) -> Strike:
    """kill -9 the main process of a worker that is running a job; wait for the supervisor to start it again."""
    worker, job = procs.wait_for(lambda: _busy_worker(service), 60, "a busy worker")
    before = set(service.pids("worker"))
    os.kill(worker, signal.SIGKILL)
    at = time.time()
    procs.wait_for(lambda: set(service.pids("worker")) - before, 120, "the supervisor to restart the worker")
    return Strike(at, f"worker {worker} ({_short(job)})", _document_of(job), time.time() - at)


def restart_redis_empty(service: Service) -> Strike:
    """kill -9 the embedded redis-server and delete its files; wait until the supervisor's new one answers."""
    from core import embedded_redis

    (server,) = service.pids("redis")
    os.kill(server, signal.SIGKILL)
    at = time.time()
    procs.wait_for(lambda: not procs.is_alive(server), 10, "redis-server to die")
    data_dir = service.backend.data_dir
    deleted = [name for name in (embedded_redis.SNAPSHOT_FILE, embedded_redis.APPEND_ONLY_FILE)
               if _delete(data_dir / name)]
    procs.wait_for(lambda: [pid for pid in service.pids("redis") if pid != server], 120,
                   "the supervisor to restart redis-server")
    procs.wait_for(lambda: embedded_redis.is_running(data_dir), 60, "the new redis-server to answer")
    return Strike(at, f"redis-server {server}; deleted {', '.join(deleted) or 'no files'}",
                  restarted_after=time.time() - at)


def kill_scheduling_worker_then_horse(service: Service) -> Strike:
    """kill -9 the worker whose rq scheduler holds the default queue's lock, and once ``ledgerdesk up`` has
    started it again, a work horse: rq schedules the retry of the horse's job, which an rq scheduler must move
    to the queue."""
    worker = procs.wait_for(lambda: _scheduling_worker(service), 60, "a worker running rq's scheduler")
    before = set(service.pids("worker"))
    os.kill(worker, signal.SIGKILL)
    procs.wait_for(lambda: set(service.pids("worker")) - before, 120, "the supervisor to restart the worker")
    strike = kill_work_horse(service)
    strike.detail = f"worker {worker} (rq scheduler), then {strike.detail}"
    return strike


FAULTS: dict[str, Callable[[Service], Strike]] = {
    "horse": kill_work_horse, "worker": kill_worker, "redis": restart_redis_empty,
    "scheduler": kill_scheduling_worker_then_horse}
FAULT_NAMES = {"horse": "kill -9 a work horse", "worker": "kill -9 a worker's main process",
               "redis": "Redis killed, restarted empty",
               "scheduler": "kill -9 the rq scheduler's worker, then a horse"}


def _delete(path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True


def _rq_workers(service: Service) -> list:
    import redis
    from rq import Worker
    from rq.serializers import JSONSerializer

    with redis.Redis.from_url(service.backend.redis_url, socket_timeout=2) as connection:
        return [(worker.pid, worker.get_current_job_id())
                for worker in Worker.all(connection=connection, serializer=JSONSerializer)]


def _job_of_horse(service: Service, horse: int) -> str | None:
    parent = next((worker for worker in service.pids("worker") if horse in procs.children(worker)), None)
    return next((job for pid, job in _rq_workers(service) if pid == parent and job), None)


def _busy_worker(service: Service) -> tuple[int, str] | None:
    busy = {worker for worker in service.pids("worker") if any(procs.leads_its_group(child)
                                                                 for child in procs.children(worker))}
    return next(((pid, job) for pid, job in _rq_workers(service) if pid in busy and job), None)


def _short(job: str) -> str:
    """``process_document-b71aca58-...-1`` -> ``document b71aca58``."""
    document = _document_of(job)
    return f"document {document[:8]}" if document else job


def _scheduling_worker(service: Service) -> int | None:
    """The worker whose rq scheduler (a child process of it) holds the default queue's scheduler lock."""
    import redis

    with redis.Redis.from_url(service.backend.redis_url, socket_timeout=2) as connection:
        scheduler = connection.get("rq:scheduler-lock:default")
        pid = scheduler and connection.hget(f"rq:scheduler:{scheduler.decode()}", "pid")
    return next((worker for worker in service.pids("worker") if pid and int(pid) in procs.children(worker)), None)


def _document_of(job: str | None) -> str | None:
    """``process_document-<id>-<n>`` -> ``<id>``."""
    if not job or not job.startswith(JOB_PREFIX):
        return None
    return job[len(JOB_PREFIX):].rsplit("-", 1)[0]


# A round: a batch, a fault in the middle of it, and the reckoning.

def run_round(service: Service, records: Records, fault: str, files: list[tuple[str, bytes]],
              clients: int) -> FaultRound:
    log_start = service.log_size()
    with HealthProbe(service.base_url) as health:
        uploads, strike = _upload_and_strike(service, records, files, clients, FAULTS[fault])
        ids = {upload.document_id for upload in uploads if upload.acknowledged}
        settled = records.wait_until_finished(ids, SETTLE_TIMEOUT) is not None
    result = FaultRound(fault, uploads, strike, records.documents(), settled, health)
    result.restarts = supervisor_restarts(service.log_since(log_start))
    return result


def _upload_and_strike(service: Service, records: Records, files: list[tuple[str, bytes]], clients: int,
                       strike: Callable[[Service], Strike]) -> tuple[list[Upload], Strike]:
    """Upload in a thread; strike once half the batch is in the database."""
    before = _document_count(records)
    done: list[list[Upload]] = []
    sender = threading.Thread(target=lambda: done.append(
        upload_concurrently(service.base_url, service.token, files, clients)), name="fault-uploads")
    sender.start()
    try:
        procs.wait_for(lambda: _document_count(records) - before >= len(files) // 2 or not sender.is_alive(), 120,
                       "half of the batch to be received")
        struck = strike(service)
    finally:
        sender.join()
    return done[0], struck


def _document_count(records: Records) -> int:
    return sum(records.status_counts().values())


def faults_table(rounds: list[FaultRound]) -> str:
    rows = [
        ["what was killed", *(r.strike.detail for r in rounds)],
        ["uploads acknowledged", *(f"{len(r.ids)}/{len(r.uploads)}" for r in rounds)],
        ["supervisor restarted it after", *("-" if r.strike.restarted_after is None
                                            else f"{r.strike.restarted_after:.1f} s" for r in rounds)],
        ["documents lost", *(str(len(r.lost)) for r in rounds)],
        ["  of which queued again by recovery", *(str(r.requeued) for r in rounds)],
        ["lost documents back after", *(_recovery(r) for r in rounds)],
        ["processed exactly once", *(f"{r.processed_once}/{len(r.ids)}" for r in rounds)],
        ["/healthz meanwhile", *(r.health.summary() for r in rounds)],
        ["parts restarted by ledgerdesk up", *("; ".join(r.restarts) or "none" for r in rounds)],
    ]
    return table(["", *(FAULT_NAMES[r.fault] for r in rounds)], rows)


def _recovery(fault_round: FaultRound) -> str:
    if not fault_round.lost:
        return "nothing lost"
    after = fault_round.recovered_after
    return "NOT BACK" if after is None else f"{after:.1f} s"


def faults_targets(rounds: list[FaultRound]) -> list[Target]:
    targets = []
    for fault_round in rounds:
        name, after = FAULT_NAMES[fault_round.fault], fault_round.recovered_after
        targets.append(Target(PART, f"{name}: processed exactly once", "all",
                              f"{fault_round.processed_once}/{len(fault_round.uploads)}",
                              fault_round.all_processed_once, correctness=True))
        targets.append(Target(PART, f"{name}: lost jobs back", f"<= {RECOVERY_TARGET:.0f} s", _recovery(fault_round),
                              after is not None and after <= RECOVERY_TARGET if fault_round.lost else True))
        targets.append(Target(PART, f"{name}: API up (/healthz)", "no failure", fault_round.health.summary(),
                              fault_round.health.up, correctness=True))
    return targets


def job_story(service: Service, record: DocumentRecord) -> str:
    """Where a document that did not come back stands, in the database and in the queue, for the report."""
    import redis
    from rq.job import Job
    from rq.serializers import JSONSerializer

    line = f"document {record.id}: {record.status}, started {record.attempts} time(s), job {record.job_id}"
    try:
        with redis.Redis.from_url(service.backend.redis_url, socket_timeout=2) as connection:
            ids = [f"{JOB_PREFIX}{record.id}-{n}" for n in range(1, 6)]
            jobs = [job for job in Job.fetch_many(ids, connection=connection, serializer=JSONSerializer) if job]
            locks = {key.decode(): connection.get(key).decode() for key in connection.scan_iter("rq:scheduler-lock:*")}
            return line + "".join(f"\n      rq {job.id}: {job.get_status(refresh=False)}, origin {job.origin}, "
                                  f"last heartbeat {job.last_heartbeat}, retries left {job.retries_left}"
                                  for job in jobs) + f"\n      rq scheduler locks: {locks or 'none'}"
    except redis.RedisError as error:
        return f"{line} (queue unreadable: {error})"


def run_part(count: int, clients: int, faults: list[str]) -> list[Target]:
    files = upload_files(count * len(faults), seed=5)
    stories = []
    with backend("sqlite") as chosen, running_service(chosen) as service, Records(chosen.database_url) as records:
        rounds = []
        for number, fault in enumerate(faults):
            rounds.append(run_round(service, records, fault, files[number * count:(number + 1) * count], clients))
            stories += [(FAULT_NAMES[fault], job_story(service, record))
                        for record in rounds[-1].mine if record.pending]
    print(heading(f"Faults: {count} uploads from {clients} clients per fault, ledgerdesk up with 2 workers",
                  DATABASE_LABELS["sqlite"]))
    print(faults_table(rounds))
    for fault_round in rounds:
        for problem in fault_round.problems():
            print(f"  PROBLEM {FAULT_NAMES[fault_round.fault]}: {problem}")
    for fault, story in stories:
        print(f"  still waiting after {fault}: {story}")
    sys.stdout.flush()
    return faults_targets(rounds)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    unwind_on_signals()
    return 1 if correctness_failed(run_part(args.count, args.clients, args.fault)) else 0


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.faults", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300, help="uploads per fault (default 300)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--fault", action="append", choices=list(FAULTS),
                        help="horse, worker, redis or scheduler (repeat for several; default all four)")
    args = parser.parse_args(argv)
    args.fault = args.fault or list(FAULTS)
    if args.count < 2 or args.clients < 1:
        parser.error("--count must be at least 2 and --clients at least 1")
    return args


if __name__ == "__main__":
    sys.exit(interruptible(main))
