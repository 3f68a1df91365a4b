"""Hostile files: what each costs the real service, and what it answers.

``python -m bench.hostile`` starts ``ledgerdesk up`` on the embedded defaults (SQLite, embedded Redis, 2 workers)
and uploads the files of ``bench.hostile_files`` one at a time, each made in memory by the benchmark: dense
50- and 200-page text PDFs, a large image within the pixel limit, 13000x13000 and 30000x30000 one-colour PNGs,
a PDF with 300,000 pages, one with a zero-size MediaBox, HTML and SVG named ``.pdf``, a corrupt PDF and an
encrypted one. For each it reports the HTTP answer, the final status, the failure reason (which must be
readable), the seconds until the document finished, and the peak resident memory of the worker's work horse:
sampled from /proc every 50 ms, and as the job reported it (target: under 1 GB). Then it fetches the page image
of the big-image document six at once, again and again, and reports the API's peak resident memory and the
``/healthz`` latency meanwhile. The exit status is 1 when a worker crashed or a work horse was killed on a file,
a document did not finish, an upload got a 5xx answer, or a failure reason was not readable.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from bench import procs
from bench.client import Answer, Connection, HealthProbe
from bench.hostile_files import HostileFile, hostile_files
from bench.records import Records
from bench.report import Target, correctness_failed, heading, latency_row, megabytes, table
from bench.service import (DATABASE_LABELS, Service, backend, interruptible, running_service, supervisor_restarts,
                           unwind_on_signals)

PART = "hostile"
MEMORY_TARGET_MB = 1024
FINISH_TIMEOUT = 660.0
"""Seconds to wait for one document: the job time limit (600 s) and a minute."""
FETCHERS = 6
FETCH_ROUNDS = 50
EXCEPTION_LINE = re.compile(r"^(?:[\w.]+\.)?(?P<name>\w+(?:Error|Exception))\b")
HORSE_DIED = re.compile(r"work horse of (?P<job>\S+) ended \(status (?P<status>-?\d+), peak (?P<peak>\d+) MB\)")


@dataclass
class HostileResult:
    file: HostileFile
    size: int
    answer: Answer
    status: str = "-"
    failure_reason: str | None = None
    seconds: float | None = None
    horse_peak_mb: float = 0.0
    """The largest resident memory sampled in one work horse while the document was processed."""
    reported_peak_mb: float | None = None
    """The work horse's own peak (``ru_maxrss``) as stored in the document's timings."""
    worker_trouble: list[str] | None = None
    """Work horses that died and parts that had to be restarted meanwhile (a problem)."""
    worker_errors: Counter = field(default_factory=Counter)
    """The exceptions whose tracebacks the workers logged meanwhile, by name."""
    attempts: int | None = None
    document_id: str | None = None

    @property
    def finished(self) -> bool:
        return self.answer.status != 201 or self.status not in ("received", "processing", "-")

    @property
    def peak_mb(self) -> float:
        return max(self.horse_peak_mb, self.reported_peak_mb or 0.0)

    @property
    def reason(self) -> str:
        """Why it was refused or failed, as the person who uploaded it reads it."""
        if self.answer.status not in (200, 201):
            return _error_detail(self.answer)
        return self.failure_reason or ""

    @property
    def reason_readable(self) -> bool:
        refused_or_failed = self.answer.status not in (200, 201) or self.status == "failed"
        return not refused_or_failed or (bool(self.reason.strip()) and "Traceback" not in self.reason)

    def problems(self) -> list[str]:
        found = []
        if self.answer.status >= 500 or self.answer.status == 0:
            found.append(f"upload answered {self.answer.outcome}")
        if not self.finished:
            found.append(f"still {self.status} after {FINISH_TIMEOUT:.0f} s")
        if self.worker_trouble:
            found.append("; ".join(self.worker_trouble))
        if not self.reason_readable:
            found.append(f"unreadable reason: {self.reason!r}")
        return found


def run_file(service: Service, records: Records, connection: Connection, hostile: HostileFile) -> HostileResult:
    """Upload one file and follow its document to the end, sampling the work horses' memory meanwhile."""
    data = hostile.make()
    log_start = service.log_size()
    with procs.PeakMemory(service.horse_pids) as horses:
        sent = time.time()
        answer = connection.upload(data, hostile.filename)
        result = HostileResult(hostile, len(data), answer)
        if answer.status == 201:
            result.document_id = answer.json()["id"]
            finished_at = records.wait_until_finished({result.document_id}, FINISH_TIMEOUT)
            result.seconds = finished_at - sent if finished_at else None
            time.sleep(0.3)  # a horse that died is reported by its worker a moment later
    result.horse_peak_mb = horses.mb
    if result.document_id:
        record = records.documents()[result.document_id]
        result.status, result.failure_reason = record.status, record.failure_reason
        result.reported_peak_mb = record.timings.get("peak_memory_mb")
        result.attempts = record.attempts
    log = service.log_since(log_start)
    result.worker_trouble, result.worker_errors = _worker_trouble(log), logged_exceptions(log)
    return result


def _worker_trouble(log: str) -> list[str]:
    """Work horses that died and parts ``ledgerdesk up`` had to restart, from the service's log."""
    died = [f"work horse died (status {m['status']}, peak {m['peak']} MB)" for m in HORSE_DIED.finditer(log)]
    return died + [f"restarted {restart}" for restart in supervisor_restarts(log)]


def logged_exceptions(log: str) -> Counter:
    """The exception each logged traceback ended with, counted by name."""
    found: Counter = Counter()
    lines = log.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("Traceback (most recent call last):"):
            last = next((m for later in lines[index + 1:] if (m := EXCEPTION_LINE.match(later))), None)
            if last:
                found[last["name"]] += 1
    return found


def _error_detail(answer: Answer) -> str:
    try:
        body = answer.json()
    except ValueError:
        return answer.outcome
    return f"{body.get('error', '')}: {body.get('detail', '')}"


@dataclass
class PageFetch:
    fetched: int
    failed: list[str]
    latencies: list[float]
    image_bytes: int
    api_rss_before_mb: float
    api_peak_mb: float
    health: HealthProbe


def fetch_pages_at_once(service: Service, document_id: str, fetchers: int = FETCHERS,
                        rounds: int = FETCH_ROUNDS) -> PageFetch:
    """``fetchers`` clients each fetch page 1's image ``rounds`` times, all at once, with /healthz probed."""
    api = service.api_pid()
    rss_before = procs.rss_mb(api)
    exact = procs.reset_peak_rss(api)
    answers: list[Answer] = []
    with HealthProbe(service.base_url, every=0.05) as health, procs.PeakMemory(lambda: [api]) as sampled:
        threads = [threading.Thread(target=_fetch_repeatedly, args=(service, document_id, rounds, answers))
                   for _ in range(fetchers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    peak = max(procs.peak_rss_mb(api), sampled.mb) if exact else max(sampled.mb, rss_before)
    good = [a for a in answers if a.status == 200]
    return PageFetch(len(good), [a.outcome for a in answers if a.status != 200], [a.seconds for a in good],
                     len(good[0].body) if good else 0, rss_before, peak, health)


def _fetch_repeatedly(service: Service, document_id: str, rounds: int, answers: list[Answer]) -> None:
    with Connection(service.base_url, service.token) as connection:
        for _ in range(rounds):
            answers.append(connection.request("GET", f"/api/v1/documents/{document_id}/pages/1.png"))


def hostile_table(results: list[HostileResult]) -> str:
    rows = [[r.file.name, f"{r.size / 1024:,.0f} KB", r.answer.outcome, r.status, r.attempts or "-",
             "-" if r.seconds is None else f"{r.seconds:.1f}", megabytes(r.horse_peak_mb or None),
             megabytes(r.reported_peak_mb), "; ".join(r.worker_trouble or []) or "ok",
             ", ".join(f"{name} x{n}" for name, n in r.worker_errors.items()) or "-"] for r in results]
    return table(["file", "size", "HTTP", "final status", "starts", "seconds", "horse peak (sampled)",
                  "(reported)", "workers", "tracebacks logged"], rows)


def reasons_text(results: list[HostileResult]) -> str:
    lines = ["why each was refused or failed, as the uploader reads it:"]
    for result in results:
        if result.reason:
            wrapped = textwrap.fill(result.reason, 110, initial_indent="    ", subsequent_indent="    ")
            lines.append(f"  {result.file.name}:\n{wrapped}")
    return "\n".join(lines)


def fetch_table(fetch: PageFetch, name: str) -> str:
    title = f"page 1's image of '{name}', fetched by {FETCHERS} clients at once, {FETCH_ROUNDS} times each:\n"
    return title + table(["page images at once", ""], [
        ["fetches answered 200", f"{fetch.fetched} of {fetch.fetched + len(fetch.failed)}"
         + (f" (others: {', '.join(sorted(set(fetch.failed)))})" if fetch.failed else "")],
        ["image size", f"{fetch.image_bytes / 1024:,.0f} KB"],
        ["fetch latency p50 / p95 / max (ms)", " / ".join(latency_row("", fetch.latencies)[i] for i in (2, 3, 5))],
        ["API RSS before", megabytes(fetch.api_rss_before_mb)],
        ["API peak RSS meanwhile", megabytes(fetch.api_peak_mb)],
        ["/healthz meanwhile", fetch.health.summary()],
    ])


def hostile_targets(results: list[HostileResult], fetch: PageFetch | None) -> list[Target]:
    targets = []
    for result in results:
        processed = result.answer.status == 201
        if processed:
            targets.append(Target(PART, f"{result.file.name}: peak worker memory", f"< {MEMORY_TARGET_MB} MB",
                                  megabytes(result.peak_mb), result.peak_mb < MEMORY_TARGET_MB))
        targets.append(Target(PART, f"{result.file.name}: handled, readable reason", "no crash",
                              ", ".join(filter(None, [result.answer.outcome, result.status if processed else None]))
                              + ("" if not result.problems() else f" ({'; '.join(result.problems())})"),
                              not result.problems(), correctness=True))
    if fetch is not None:
        targets.append(Target(PART, f"page images {FETCHERS} at once: API up (/healthz)", "no failure",
                              fetch.health.summary(), fetch.health.up and not fetch.failed, correctness=True))
        targets.append(Target(PART, f"page images {FETCHERS} at once: API peak RSS", "(reported)",
                              megabytes(fetch.api_peak_mb), None))
    return targets


def run_part(only: list[str] | None = None, include_slow: bool = True) -> list[Target]:
    files = [f for f in hostile_files() if (not only or any(word in f.filename for word in only))
             and (include_slow or not f.slow)]
    with backend("sqlite") as chosen, running_service(chosen) as service, Records(chosen.database_url) as records:
        with Connection(service.base_url, service.token, timeout=120) as connection:
            results = [run_file(service, records, connection, hostile) for hostile in files]
        big = next((r for r in results if r.file.fetch_pages and r.status not in ("failed", "-")), None)
        fetch = fetch_pages_at_once(service, big.document_id) if big else None
    print(heading("Hostile files, one at a time: ledgerdesk up with 2 workers", DATABASE_LABELS["sqlite"]))
    print(hostile_table(results))
    print()
    print(reasons_text(results))
    if fetch is not None:
        print()
        print(fetch_table(fetch, big.file.name))
    for result in results:
        for problem in result.problems():
            print(f"  PROBLEM {result.file.name}: {problem}")
    sys.stdout.flush()
    return hostile_targets(results, fetch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", help="only the files whose name contains this (repeatable)")
    parser.add_argument("--quick", action="store_true", help="leave out the files that take minutes")
    args = parser.parse_args(argv)
    unwind_on_signals()
    return 1 if correctness_failed(run_part(args.only, include_slow=not args.quick)) else 0


if __name__ == "__main__":
    sys.exit(interruptible(main))
