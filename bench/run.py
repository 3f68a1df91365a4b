"""End-to-end benchmark on the real stack: ``python -m bench.run [--count N]`` (``make bench``).

In a fresh temporary data dir, on the embedded defaults (SQLite, embedded Redis), it starts the API (uvicorn in
a thread) and real rq workers (``ledgerdesk worker`` subprocesses), uploads N generated invoices over HTTP and
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
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

PENDING = ("received", "processing")
POLL_INTERVAL = 0.01
POLL_OLDEST = 3
"""Each poll round asks about the oldest few unfinished documents (workers take them in order) ..."""
POLL_ALL_EVERY = 20
"""... and every so many rounds about all of them, so one stuck document does not hide the others."""


@dataclass
class Measurement:
    index: int
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
    data_dir = Path(tempfile.mkdtemp(prefix="ledgerdesk-bench-")) / "var"
    _use_embedded_defaults(data_dir)
    from bench import stack as parts  # only now: settings are read from the environment set above

    stack = parts.Stack(data_dir=data_dir)
    try:
        started = time.perf_counter()
        parts.start_redis(stack)
        parts.migrate()
        base_url = parts.start_api(stack)
        parts.start_workers(stack, args.workers)
        token = parts.create_api_token()
        setup = f"{parts.describe()}, stack started in {time.perf_counter() - started:.1f} s"
        return _benchmark(args, base_url, token, setup)
    finally:
        stack.stop()
        if args.keep:
            print(f"\ndata kept in {data_dir} (worker log: {stack.worker_log})")
        else:
            shutil.rmtree(data_dir.parent, ignore_errors=True)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20, help="invoices to upload (default 20)")
    parser.add_argument("--workers", type=int, default=1, help="rq worker processes (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated invoices (default 1)")
    parser.add_argument("--timeout", type=float, default=80.0,
                        help="seconds to wait for all documents to reach review (default 80)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir and worker log")
    args = parser.parse_args(argv)
    if args.count < 1 or args.workers < 1:
        parser.error("--count and --workers must be at least 1")
    return args


def _use_embedded_defaults(data_dir: Path) -> None:
    """Point this process and its children at a fresh data dir, whatever the shell or a .env configures."""
    data_dir.mkdir(parents=True)
    os.environ.update({
        "LEDGERDESK_DATA_DIR": str(data_dir),
        "LEDGERDESK_DATABASE_URL": "",  # empty means the SQLite file under the data dir
        "LEDGERDESK_ENV": "development",
    })
    os.environ.pop("LEDGERDESK_REDIS_URL", None)


def _benchmark(args: argparse.Namespace, base_url: str, token: str, setup: str) -> int:
    import httpx

    from bench.invoices import generate

    samples = generate(args.count, args.seed)
    headers = {"Authorization": f"Bearer {token}"}
    measurements: list[Measurement] = []
    uploaded: queue.Queue[Measurement | None] = queue.Queue()
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as uploads, \
            httpx.Client(base_url=base_url, headers=headers, timeout=30) as polls:
        stop_uploading = threading.Event()
        uploader = threading.Thread(target=_upload_all, name="bench-uploader",
                                    args=(uploads, samples, measurements, uploaded, stop_uploading))
        uploader.start()
        try:
            _poll_until_reviewed(polls, uploaded, deadline=time.perf_counter() + args.timeout)
        finally:
            stop_uploading.set()
            uploader.join()
    for measurement in measurements:
        if measurement.finished_at is None and measurement.problem is None:
            measurement.problem = f"did not reach review within {args.timeout:g} s"
    _print_report(args, samples, measurements, setup)
    return 0 if all(m.reviewed for m in measurements) else 1


def _upload_all(client, samples, measurements: list[Measurement], uploaded: queue.Queue,
                stop: threading.Event) -> None:
    """Upload every sample back to back; hand each to the poller as soon as it has an id."""
    try:
        for index, sample in enumerate(samples):
            if stop.is_set():
                break
            measurement = Measurement(index=index, started=time.perf_counter())
            measurements.append(measurement)
            try:
                response = client.post("/api/v1/documents",
                                        files={"file": (f"invoice-{index:03d}.pdf", sample.pdf, "application/pdf")})
            except Exception as error:  # report it in the table rather than stop the run
                measurement.problem = f"upload failed: {type(error).__name__}: {error}"
                continue
            measurement.upload_seconds = time.perf_counter() - measurement.started
            if response.status_code != 201:
                measurement.problem = f"upload answered {response.status_code}: {response.text[:200]}"
                continue
            measurement.document_id = response.json()["id"]
            uploaded.put(measurement)
    finally:
        uploaded.put(None)


def _poll_until_reviewed(client, uploaded: queue.Queue, deadline: float) -> None:
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


def _check(client, measurement: Measurement) -> None:
    document = client.get(f"/api/v1/documents/{measurement.document_id}").json()
    status = document.get("status")
    if status in PENDING:
        return
    measurement.finished_at = time.perf_counter()
    measurement.document = document
    if status != "needs_review" or not document.get("voucher_id"):
        reason = document.get("failure_reason") or "; ".join(document.get("review_reasons") or [])
        measurement.problem = f"ended {status}, voucher {document.get('voucher_id')}: {reason}"


def _print_report(args, samples, measurements: list[Measurement], setup: str) -> None:
    from bench.invoices import ACCURACY_FIELDS
    from bench.report import summary_row, table

    reviewed = [m for m in measurements if m.reviewed]
    print(f"ledgerdesk end-to-end benchmark: {args.count} generated invoices (seed {args.seed}), "
          f"{args.workers} rq worker(s), {os.cpu_count()} CPU(s)")
    print(f"{setup}; uploads sent back to back over HTTP\n")

    timings = [(m.document or {}).get("timings", {}) for m in reviewed]
    print(table(["latency (ms)", "n", "p50", "p95", "max"], [
        summary_row("upload (request to 201)", [m.upload_seconds for m in measurements if m.upload_seconds]),
        summary_row("time to review (upload to needs_review + voucher)", [m.review_seconds for m in reviewed]),
        summary_row("  worker: extraction", [t["extract"] for t in timings if "extract" in t]),
        summary_row("  worker: whole job", [t["total"] for t in timings if "total" in t]),
    ]))

    if reviewed:
        span = max(m.finished_at for m in reviewed) - min(m.started for m in measurements)
        print(f"\nthroughput: {len(reviewed)} documents reviewed in {span:.2f} s = "
              f"{len(reviewed) / span * 60:.1f} documents/minute")
    print(f"reached review: {len(reviewed)}/{len(measurements)}")
    for m in measurements:
        if not m.reviewed:
            print(f"  invoice {m.index:03d} ({m.document_id}): {m.problem}")

    print()
    print(table(["field", "correct", "of", "accuracy"], _accuracy_rows(samples, measurements, ACCURACY_FIELDS)))
    _print_misreads(samples, measurements, ACCURACY_FIELDS)


def _accuracy_rows(samples, measurements: list[Measurement], fields: tuple[str, ...]) -> list[list[str]]:
    read = [(samples[m.index].truth, _values(m.document)) for m in measurements if m.document]
    rows, correct_total = [], 0
    for name in fields:
        correct = sum(1 for truth, found in read if found.get(name) == truth[name])
        correct_total += correct
        rows.append([name, str(correct), str(len(read)), _share(correct, len(read))])
    checked = len(read) * len(fields)
    rows.append(["all fields", str(correct_total), str(checked), _share(correct_total, checked)])
    return rows


def _print_misreads(samples, measurements: list[Measurement], fields: tuple[str, ...], limit: int = 10) -> None:
    misreads = [(m.index, name, samples[m.index].truth[name], _values(m.document).get(name))
                for m in measurements if m.document for name in fields
                if _values(m.document).get(name) != samples[m.index].truth[name]]
    if misreads:
        print(f"\nmisread fields ({len(misreads)}; first {min(limit, len(misreads))}):")
        for index, name, expected, found in misreads[:limit]:
            print(f"  invoice {index:03d} {name}: expected {expected!r}, read {found!r}")


def _values(document: dict | None) -> dict[str, object]:
    return {name: field.get("value") for name, field in ((document or {}).get("fields") or {}).items()}


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


if __name__ == "__main__":
    sys.exit(main())
