"""End to end: time to review and extraction accuracy (``python -m bench.run [--count N]``, part of make bench).

In a fresh temporary data dir, on the embedded defaults (SQLite, embedded Redis), it starts the real service
(``ledgerdesk up``: API, workers, scheduler), uploads N generated invoices over HTTP one after the other and
prints, as plain-text tables:

- upload latency: request sent until the 201 arrived;
- time to review: request sent until ``GET /api/v1/documents/{id}`` shows ``needs_review`` and a ``voucher_id``
  (uploads go out back to back, so this includes waiting in the queue);
- the worker's own timings per document, throughput in documents per minute;
- extraction accuracy: the share of documents whose field equals the value the invoice was generated with.

Nothing here asserts on time. The exit status is 1 when some document did not reach review.
"""

from __future__ import annotations

import argparse
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bench.client import Connection
from bench.invoices import ACCURACY_FIELDS, GeneratedInvoice, generate
from bench.report import LATENCY_HEADERS, Target, correctness_failed, heading, latency_row, share, table
from bench.service import DATABASE_LABELS, Service, backend, interruptible, running_service, unwind_on_signals

PART = "end to end"
PENDING = ("received", "processing")
POLL_INTERVAL = 0.01
POLL_OLDEST = 3
"""Each poll round asks about the oldest few unfinished documents (workers take them in order) ..."""
POLL_ALL_EVERY = 20
"""... and every so many rounds about all of them, so one stuck document does not hide the others."""

Read = tuple[str, Mapping[str, object], Mapping[str, object]]
"""One document's name, the values it was generated with, and the values read from it (by field)."""
SameValue = Callable[[str, object, object], bool]
"""Whether a field's read value counts as the generated one: ``same(field, truth, found)``."""


@dataclass
class Measurement:
    index: int
    name: str
    """The uploaded file's name."""
    started: float
    upload_seconds: float | None = None
    document_id: str | None = None
    finished_at: float | None = None
    document: dict | None = None
    problem: str | None = None

    @property
    def reviewed(self) -> bool:
        return self.problem is None and self.finished_at is not None

    @property
    def review_seconds(self) -> float | None:
        return self.finished_at - self.started if self.reviewed else None


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    unwind_on_signals()
    return 1 if correctness_failed(run_part(args.count, args.workers, args.seed, args.timeout)) else 0


def run_part(count: int, workers: int, seed: int, timeout: float) -> list[Target]:
    """Upload, follow each document to review, print the tables; the targets for the summary."""
    samples = generate(count, seed)
    files = [(f"invoice-{index:03d}.pdf", sample.pdf) for index, sample in enumerate(samples)]
    with backend("sqlite") as chosen, running_service(chosen, workers=workers) as service:
        measurements = measure(service, files, timeout)
    _print_report(samples, measurements, seed, workers)
    return _targets(samples, measurements)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="invoices to upload (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="ledgerdesk up --workers (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated invoices (default 1)")
    parser.add_argument("--timeout", type=float, default=80.0,
                        help="seconds to wait for all documents to reach review (default 80)")
    args = parser.parse_args(argv)
    if args.count < 1 or args.workers < 1:
        parser.error("--count and --workers must be at least 1")
    return args


def measure(service: Service, files: Sequence[tuple[str, bytes]], timeout: float) -> list[Measurement]:
    """Upload every ``(filename, bytes)`` back to back in a thread while this one follows the uploaded documents
    until they are in review (``needs_review`` with a voucher); one ``Measurement`` per file, in order."""
    measurements: list[Measurement] = []
    uploaded: queue.Queue[Measurement | None] = queue.Queue()
    stop_uploading = threading.Event()
    with Connection(service.base_url, service.token) as uploads, Connection(service.base_url, service.token) as polls:
        uploader = threading.Thread(target=_upload_all, name="bench-uploader",
                                    args=(uploads, files, measurements, uploaded, stop_uploading))
        uploader.start()
        try:
            _poll_until_reviewed(polls, uploaded, deadline=time.perf_counter() + timeout)
        finally:
            stop_uploading.set()
            uploader.join()
    for measurement in measurements:
        if measurement.finished_at is None and measurement.problem is None:
            measurement.problem = f"did not reach review within {timeout:g} s"
    return measurements


def _upload_all(client: Connection, files: Sequence[tuple[str, bytes]], measurements: list[Measurement],
                uploaded: queue.Queue, stop: threading.Event) -> None:
    """Upload every file back to back; hand each to the poller as soon as it has an id."""
    try:
        for index, (filename, data) in enumerate(files):
            if stop.is_set():
                break
            measurement = Measurement(index=index, name=filename, started=time.perf_counter())
            measurements.append(measurement)
            answer = client.upload(data, filename)
            measurement.upload_seconds = answer.seconds
            if answer.status != 201:
                measurement.problem = f"upload answered {answer.outcome}: {answer.body[:200]!r}"
                continue
            measurement.document_id = answer.json()["id"]
            uploaded.put(measurement)
    finally:
        uploaded.put(None)


def _poll_until_reviewed(client: Connection, uploaded: queue.Queue, deadline: float) -> None:
    """Ask about the oldest unfinished documents until every upload is finished or the deadline passes."""
    unfinished: list[Measurement] = []
    uploads_done = False
    rounds = 0
    while (unfinished or not uploads_done) and time.perf_counter() < deadline:
        rounds += 1
        while True:
            try:
                item = uploaded.get_nowait()
            except queue.Empty:
                break
            if item is None:
                uploads_done = True
            else:
                unfinished.append(item)
        for measurement in unfinished if rounds % POLL_ALL_EVERY == 0 else unfinished[:POLL_OLDEST]:
            _check(client, measurement)
        unfinished = [m for m in unfinished if m.finished_at is None]
        time.sleep(POLL_INTERVAL)


def _check(client: Connection, measurement: Measurement) -> None:
    document = client.get_json(f"/api/v1/documents/{measurement.document_id}")
    status = document.get("status")
    if status in PENDING:
        return
    measurement.finished_at = time.perf_counter()
    measurement.document = document
    if status != "needs_review" or not document.get("voucher_id"):
        reason = document.get("failure_reason") or "; ".join(document.get("review_reasons") or [])
        measurement.problem = f"ended {status}, voucher {document.get('voucher_id')}: {reason}"


def _print_report(samples: list[GeneratedInvoice], measurements: list[Measurement], seed: int,
                  workers: int) -> None:
    print(heading(f"End to end: {len(samples)} generated invoices (seed {seed}) uploaded one after the other, "
                  f"ledgerdesk up with {workers} workers", DATABASE_LABELS["sqlite"]))
    print(table(["latency (ms)", *LATENCY_HEADERS], latency_rows(measurements)))
    print_review_outcome(measurements)
    print()
    read = _read(samples, measurements)
    print(table(["field", "correct", "of", "accuracy"], accuracy_rows(read, ACCURACY_FIELDS)))
    print_misreads(read, ACCURACY_FIELDS)
    sys.stdout.flush()


def latency_rows(measurements: list[Measurement]) -> list[list[str]]:
    """Upload latency, time to review, and the worker's own timings, as :func:`latency_row` rows."""
    reviewed = [m for m in measurements if m.reviewed]
    timings = [(m.document or {}).get("timings", {}) for m in reviewed]
    return [
        latency_row("upload (request to 201)", [m.upload_seconds for m in measurements if m.upload_seconds]),
        latency_row("time to review (upload to needs_review + voucher)", [m.review_seconds for m in reviewed]),
        latency_row("  worker: reading the pages", [t["read"] for t in timings if "read" in t]),
        latency_row("  worker: classifying and extracting", [t["analyse"] for t in timings if "analyse" in t]),
        latency_row("  worker: the rest (storing, vendor, duplicates, voucher)",
                    [t["total"] - t["read"] - t["analyse"] for t in timings if "analyse" in t]),
        latency_row("  worker: whole job", [t["total"] for t in timings if "total" in t]),
    ]


def review_span(measurements: list[Measurement]) -> float | None:
    """Seconds from the first upload until the last document was in review (None: none was)."""
    reviewed = [m for m in measurements if m.reviewed]
    return max(m.finished_at for m in reviewed) - min(m.started for m in measurements) if reviewed else None


def documents_per_minute(measurements: list[Measurement]) -> float | None:
    span = review_span(measurements)
    return None if span is None else sum(m.reviewed for m in measurements) / span * 60


def print_review_outcome(measurements: list[Measurement]) -> None:
    """Throughput, how many reached review, and why each other one did not."""
    reviewed = [m for m in measurements if m.reviewed]
    if reviewed:
        print(f"\nthroughput: {len(reviewed)} documents reviewed in {review_span(measurements):.2f} s = "
              f"{documents_per_minute(measurements):.1f} documents/minute")
    print(f"reached review: {len(reviewed)}/{len(measurements)}")
    for m in measurements:
        if not m.reviewed:
            print(f"  {m.name} ({m.document_id}): {m.problem}")


def _targets(samples: list[GeneratedInvoice], measurements: list[Measurement]) -> list[Target]:
    reviewed = [m for m in measurements if m.reviewed]
    *_, (_, correct, checked, accuracy) = accuracy_rows(_read(samples, measurements), ACCURACY_FIELDS)
    p95 = latency_row("", [m.review_seconds for m in reviewed])[3]
    return [
        Target(PART, "invoices reaching review with a voucher", "all", f"{len(reviewed)}/{len(measurements)}",
               len(reviewed) == len(measurements), correctness=True),
        Target(PART, "time to review p95", "(reported)", f"{p95} ms", None),
        Target(PART, "extraction accuracy, all fields", "(reported)", f"{accuracy} ({correct}/{checked})", None),
    ]


def _read(samples: list[GeneratedInvoice], measurements: list[Measurement]) -> list[Read]:
    return [(m.name, samples[m.index].truth, values(m.document)) for m in measurements if m.document]


def _equal(_field: str, truth: object, found: object) -> bool:
    return found == truth


def accuracy_rows(read: Sequence[Read], fields: Sequence[str], same: SameValue = _equal) -> list[list[str]]:
    """Per field, and for all fields together: how many documents gave the generated value, of how many."""
    rows, correct_total = [], 0
    for name in fields:
        correct = sum(1 for _, truth, found in read if same(name, truth[name], found.get(name)))
        correct_total += correct
        rows.append([name, str(correct), str(len(read)), share(correct, len(read))])
    checked = len(read) * len(fields)
    rows.append(["all fields", str(correct_total), str(checked), share(correct_total, checked)])
    return rows


def print_misreads(read: Sequence[Read], fields: Sequence[str], same: SameValue = _equal, limit: int = 10) -> None:
    misreads = [(document, name, truth[name], found.get(name)) for document, truth, found in read for name in fields
                if not same(name, truth[name], found.get(name))]
    if misreads:
        print(f"\nmisread fields ({len(misreads)}; first {min(limit, len(misreads))}):")
        for document, name, expected, found in misreads[:limit]:
            print(f"  {document} {name}: expected {expected!r}, read {found!r}")


def values(document: dict | None) -> dict[str, object]:
    """A document's field values as the API shows them (``{"total_amount": "1344.50", ...}``)."""
    return {name: field.get("value") for name, field in ((document or {}).get("fields") or {}).items()}


if __name__ == "__main__":
    sys.exit(interruptible(main))
