"""Load: many distinct invoice uploads from concurrent clients against the real service.

``python -m bench.load --db sqlite --count 1000 --clients 32`` starts ``ledgerdesk up`` (API, 2 workers,
scheduler) on a fresh backend, sends the uploads, and reports how many were acknowledged (HTTP 201), the
errors by status, the acknowledgement latency, then waits until no document is received or processing and
checks each upload was stored once and processed once, how long that took and the documents per minute.
A second run with the workers paused (``ledgerdesk api`` and ``ledgerdesk scheduler`` alone) shows the API's
own latency with nothing competing for the CPU. The API's peak resident memory is reported for both.
Nothing here asserts on time; the exit status is 1 when an upload was not acknowledged, or a document was
not stored or processed exactly once.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from bench import procs
from bench.client import Upload, outcomes, upload_concurrently
from bench.invoices import upload_files
from bench.records import DocumentRecord, Records
from bench.report import Target, correctness_failed, heading, latency_row, share, table
from bench.service import DATABASE_LABELS, DATABASES, backend, interruptible, running_service, unwind_on_signals

PART = "load"
MODES = ("workers", "paused")


@dataclass
class LoadRun:
    """One run's uploads and what the database held afterwards."""

    database: str
    workers_paused: bool
    clients: int
    uploads: list[Upload]
    upload_seconds: float
    copies: Counter
    documents: dict[str, DocumentRecord] = field(default_factory=dict)
    settled_after: float | None = None
    """Seconds from the first upload until no document was received or processing (None: paused, or too slow)."""
    api_peak_mb: float = 0.0

    @property
    def name(self) -> str:
        return f"{self.database}{', workers paused' if self.workers_paused else ''}"

    @property
    def acknowledged(self) -> list[Upload]:
        return [upload for upload in self.uploads if upload.acknowledged]

    @property
    def stored_once(self) -> int:
        """Acknowledged uploads held by exactly one ``documents`` row."""
        return sum(1 for upload in self.acknowledged if self.copies[upload.sha256] == 1)

    @property
    def processed_once(self) -> int:
        return sum(1 for record in self.documents.values() if record.processed_once)

    @property
    def processed_twice(self) -> int:
        return sum(1 for record in self.documents.values() if record.processed_more_than_once)

    @property
    def documents_per_minute(self) -> float | None:
        return len(self.documents) / self.settled_after * 60 if self.settled_after else None

    def problems(self) -> list[str]:
        """Wrong results (not slow ones): the exit status is 1 if there are any."""
        count = len(self.uploads)
        found = []
        if len(self.acknowledged) != count:
            found.append(f"{count - len(self.acknowledged)} of {count} uploads not acknowledged")
        if self.stored_once != len(self.acknowledged) or sum(self.copies.values()) != len(self.acknowledged):
            found.append(f"stored once: {self.stored_once} of {len(self.acknowledged)}, "
                         f"{sum(self.copies.values())} documents rows")
        if not self.workers_paused and self.processed_once != len(self.acknowledged):
            found.append(f"processed once: {self.processed_once} of {len(self.acknowledged)}")
        return found


def run_load(database: str, files: list[tuple[str, bytes]], clients: int, *, workers_paused: bool,
             timeout: float) -> LoadRun:
    """Upload ``files`` from ``clients`` threads to a fresh service on ``database``; wait for the workers."""
    with backend(database) as chosen, running_service(chosen, api_only=workers_paused) as service, \
            Records(chosen.database_url) as records:
        api = service.api_pid()
        started = time.perf_counter()
        uploads = upload_concurrently(service.base_url, service.token, files, clients)
        run = LoadRun(database, workers_paused, clients, uploads, time.perf_counter() - started,
                      records.copies_by_sha256())
        if not workers_paused:
            settled_at = records.wait_until_settled(len(run.acknowledged), timeout)
            first_sent = min(upload.sent_at for upload in uploads)
            run.settled_after = settled_at - first_sent if settled_at else None
            run.documents = records.documents()
        run.api_peak_mb = procs.peak_rss_mb(api)
        return run


def load_table(runs: list[LoadRun]) -> str:
    """One column per run."""
    rows = [
        ["uploads (clients)", *(f"{len(r.uploads)} ({r.clients})" for r in runs)],
        ["acknowledged (201)", *(f"{len(r.acknowledged)} ({share(len(r.acknowledged), len(r.uploads))})"
                                 for r in runs)],
        ["errors by status", *(_errors(r) for r in runs)],
        *_latency_rows(runs),
        ["upload phase", *(f"{r.upload_seconds:.1f} s ({len(r.uploads) / r.upload_seconds:.0f}/s)" for r in runs)],
        ["stored once", *(f"{r.stored_once}/{len(r.acknowledged)}" for r in runs)],
        ["processed once", *("- (paused)" if r.workers_paused else f"{r.processed_once}/{len(r.acknowledged)}"
                             for r in runs)],
        ["processed twice or more", *("-" if r.workers_paused else str(r.processed_twice) for r in runs)],
        ["final statuses", *("-" if r.workers_paused else _statuses(r) for r in runs)],
        ["all processed after", *(_settled(r) for r in runs)],
        ["documents/minute", *(f"{r.documents_per_minute:.0f}" if r.documents_per_minute else "-" for r in runs)],
        ["API peak RSS", *(f"{r.api_peak_mb:.0f} MB" for r in runs)],
    ]
    return table(["", *(r.name for r in runs)], rows)


def _latency_rows(runs: list[LoadRun]) -> list[list[str]]:
    cells = [latency_row("", [u.answer.seconds for u in r.acknowledged])[1:] for r in runs]
    names = ["ack latency p50 (ms)", "ack latency p95 (ms)", "ack latency p99 (ms)", "ack latency max (ms)"]
    return [[name, *(column[index + 1] for column in cells)] for index, name in enumerate(names)]


def _errors(run: LoadRun) -> str:
    errors = {outcome: n for outcome, n in outcomes(run.uploads).items() if outcome != "201"}
    return ", ".join(f"{outcome}: {n}" for outcome, n in sorted(errors.items())) or "none"


def _statuses(run: LoadRun) -> str:
    counts = Counter(record.status for record in run.documents.values())
    return ", ".join(f"{status} {n}" for status, n in counts.most_common())


def _settled(run: LoadRun) -> str:
    if run.workers_paused:
        return "- (paused)"
    return f"{run.settled_after:.1f} s" if run.settled_after else "not within the timeout"


def load_targets(runs: list[LoadRun]) -> list[Target]:
    targets = []
    for run in runs:
        count, acked = len(run.uploads), len(run.acknowledged)
        targets.append(Target(PART, f"{run.name}: uploads acknowledged", "100%",
                              f"{acked}/{count}", acked == count, correctness=True))
        targets.append(Target(PART, f"{run.name}: stored exactly once", "all",
                              f"{run.stored_once}/{acked}", not any("stored" in p for p in run.problems()),
                              correctness=True))
        latencies = [u.answer.seconds for u in run.acknowledged]
        p50, p95, p99 = latency_row("", latencies)[2:5]
        targets.append(Target(PART, f"{run.name}: ack latency p50/p95/p99", "(reported)",
                              f"{p50}/{p95}/{p99} ms", None))
        if not run.workers_paused:
            targets.append(Target(PART, f"{run.name}: processed exactly once", "all",
                                  f"{run.processed_once}/{acked}", run.processed_once == acked, correctness=True))
            rate = run.documents_per_minute
            targets.append(Target(PART, f"{run.name}: documents/minute", "(reported)",
                                  f"{rate:.0f}" if rate else "not finished", None))
    return targets


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    unwind_on_signals()
    targets = run_part(args.db, args.count, args.clients, args.mode, args.timeout)
    return 1 if correctness_failed(targets) else 0


def run_part(databases: list[str], count: int, clients: int, modes: list[str], timeout: float | None) -> list[Target]:
    """Every run asked for, its table printed per database; the targets for the summary."""
    files = upload_files(count)
    timeout = timeout or 120 + 1.5 * count
    runs: list[LoadRun] = []
    for database in databases:
        done = [run_load(database, files, clients, workers_paused=mode == "paused", timeout=timeout)
                for mode in modes]
        print(heading(f"Load: {count} uploads from {clients} clients, ledgerdesk up with 2 workers"
                      + (" (and API + scheduler alone)" if "paused" in modes else ""), DATABASE_LABELS[database]))
        print(load_table(done))
        for run in done:
            for problem in run.problems():
                print(f"  PROBLEM {run.name}: {problem}")
        runs += done
        sys.stdout.flush()
    return load_targets(runs)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", choices=DATABASES,
                        help="sqlite or postgres (repeat for both; default both)")
    parser.add_argument("--count", type=int, default=1000, help="uploads per run (default 1000)")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument("--mode", action="append", choices=MODES,
                        help="workers: with 2 workers processing; paused: API and scheduler alone "
                             "(repeat for both; default both)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds to wait for every document to be processed (default 120 + 1.5 per upload)")
    args = parser.parse_args(argv)
    args.db, args.mode = args.db or list(DATABASES), args.mode or list(MODES)
    if args.count < 1 or args.clients < 1:
        parser.error("--count and --clients must be at least 1")
    return args


if __name__ == "__main__":
    sys.exit(interruptible(main))
