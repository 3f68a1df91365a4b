"""Structured e-invoices, read exactly and fast: ``python -m bench.einvoices [--count N] [--e2e-count M]`` (part
``einvoice`` of make bench).

The documents are written by the project's test builders (``bench/einvoice_files.py``): UBL / Peppol, CII /
XRechnung, Factur-X PDFs with their CII XML attached, ZUGFeRD 1.0 XML and Chinese OFD packages, each one
different, with the values it was generated with. Two measurements, printed as plain-text tables:

- in process, per format: N documents, each through ``read_einvoice`` and ``analyse_einvoice`` (timed
  together; the document's pages, where it has any, are read beforehand without OCR as the worker reads them,
  and timed apart): documents per second, p50/p95, and the share exact on every field (amounts as numbers, dates
  ISO, compared as the evaluation compares), with every field from the e-invoice at confidence 1.0 and no broken
  rule (an issue of severity ``error``);
- end to end, on the embedded defaults (``ledgerdesk up`` in a temporary dir, as ``bench/run.py``): the formats
  in turn, uploaded one after the other; time from upload until ``needs_review`` with a voucher (p50/p95, also
  per format), documents per minute, no page read by OCR and every field from the e-invoice, and the exact share.

Nothing here asserts on time. The exit status is 1 when a document was not read exactly, not from its
e-invoice, broke a rule, or did not reach review.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bench.einvoice_files import FORMATS, EInvoiceSample, generate, mixed
from bench.invoices import ACCURACY_FIELDS
from bench.report import LATENCY_HEADERS, Target, correctness_failed, heading, latency_row, share, table
from bench.run import (Measurement, Read, accuracy_rows, documents_per_minute, latency_rows, measure,
                       print_misreads, print_review_outcome, values)
from bench.service import DATABASE_LABELS, backend, interruptible, running_service, unwind_on_signals
from extraction.einvoice.reader import read_einvoice
from extraction.model import ExtractionResult
from extraction.pipeline import analyse_einvoice
from extraction.reading import ReadLimits, read_document
from ledgerdesk.evaluation.metrics import normalise
from ledgerdesk.evaluation.runner import read_limits

PART = "einvoice"
SOURCE = "einvoice"
IN_PROCESS_HEADERS = ["format", "n", "docs/s", "p50 ms", "p95 ms", "pages p50 ms", "exact", "from e-invoice",
                      "no broken rule"]
END_TO_END_HEADERS = ["format", "uploaded", "in review", "exact", "from e-invoice", "no broken rule",
                      "pages by OCR"]
Judged = tuple[EInvoiceSample, dict | None]
"""A sample and the document read from it, in the API's shape (None: nothing was read)."""


@dataclass(frozen=True)
class Reading:
    """One document read in process."""

    sample: EInvoiceSample
    page_seconds: float
    """Reading its pages without OCR (as the worker does before analysing), apart from ``seconds``."""
    seconds: float
    """``read_einvoice`` and ``analyse_einvoice`` together."""
    document: dict | None
    problem: str | None = None


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    unwind_on_signals()
    targets = run_part(args.count, args.e2e_count, seed=args.seed, workers=args.workers, timeout=args.timeout)
    return 1 if correctness_failed(targets) else 0


def run_part(count: int, e2e_count: int, *, seed: int = 1, workers: int = 2, timeout: float = 120.0) -> list[Target]:
    """Both measurements, their tables printed; the targets for the summary (no end to end when ``e2e_count``
    is 0)."""
    readings = {name: read_in_process(generate(name, count, seed)) for name in FORMATS}
    _print_in_process(readings, seed)
    targets = _in_process_targets(readings)
    if e2e_count:
        samples = mixed(e2e_count, seed)
        with backend("sqlite") as chosen, running_service(chosen, workers=workers) as service:
            measurements = measure(service, [(sample.filename, sample.data) for sample in samples], timeout)
        _print_end_to_end(samples, measurements, seed, workers)
        targets += _end_to_end_targets(samples, measurements)
    return targets


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.einvoices", description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200, help="documents per format read in process (default 200)")
    parser.add_argument("--e2e-count", type=int,
                        help="e-invoices uploaded to the service, the formats in turn (default: --count, at most "
                             "60; 0: none)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated e-invoices (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="ledgerdesk up --workers (default 2)")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds to wait for all uploads to reach review (default 120)")
    args = parser.parse_args(argv)
    if args.e2e_count is None:
        args.e2e_count = min(args.count, 60)
    if args.count < 1 or args.e2e_count < 0 or args.workers < 1:
        parser.error("--count and --workers must be at least 1, --e2e-count at least 0")
    return args


# In process.

def read_in_process(samples: Sequence[EInvoiceSample]) -> list[Reading]:
    """Each sample read; the first once before, untimed, so the format's first-use costs are not counted."""
    limits, today = read_limits(), date.today()
    _read(samples[0], limits, today)
    return [_read(sample, limits, today) for sample in samples]


def _read(sample: EInvoiceSample, limits: ReadLimits, today: date) -> Reading:
    """One document: its pages (timed apart), then its e-invoice read and analysed as the worker does."""
    started = time.perf_counter()
    try:
        pages = [page.text for page in read_document(sample.data, sample.media_type, limits)]
        pages_read = time.perf_counter()
        structured = read_einvoice(sample.data, sample.media_type)
        result = analyse_einvoice(structured.einvoice, pages, today) if structured.einvoice else None
        finished = time.perf_counter()
    except Exception as error:  # noqa: BLE001 - one document that breaks the reader is a finding, not the end
        return Reading(sample, 0.0, 0.0, None, f"{type(error).__name__}: {error}")
    problem = None if result else structured.problem or "no e-invoice found in the file"
    return Reading(sample, pages_read - started, finished - pages_read,
                   _as_document(result) if result else None, problem)


def _as_document(result: ExtractionResult) -> dict:
    """The result in the shape the API shows a document in, so one set of checks judges both measurements."""
    return {"fields": {name: found.as_json() for name, found in result.fields.items()},
            "validation": [issue.as_json() for issue in result.issues],
            "pages": [{"number": page.number, "source": page.source} for page in result.pages]}


def _print_in_process(readings: dict[str, list[Reading]], seed: int) -> None:
    count = max(len(format_readings) for format_readings in readings.values())
    print(heading(f"E-invoices in process: {count} generated documents per format (seed {seed}), "
                  "read_einvoice + analyse_einvoice one after the other", "none (in process)"))
    print(table(IN_PROCESS_HEADERS, [_in_process_row(name, rows) for name, rows in readings.items()]))
    everything = [reading for rows in readings.values() for reading in rows]
    for reading in everything:
        if reading.problem:
            print(f"  {reading.sample.filename}: {reading.problem}")
    _print_findings([(reading.sample, reading.document) for reading in everything])
    sys.stdout.flush()


def _in_process_row(name: str, readings: list[Reading]) -> list[str]:
    timed = _timed(readings)
    _, n, p50, p95, *_ = latency_row(name, [reading.seconds for reading in timed], decimals=2)
    pages_p50 = latency_row(name, [reading.page_seconds for reading in timed], decimals=1)[2]
    judged = [(reading.sample, reading.document) for reading in readings]
    return [name, n, _per_second(readings), p50, p95, pages_p50, *_judgement_cells(judged)]


def _timed(readings: list[Reading]) -> list[Reading]:
    """The readings that gave a result (one that broke the reader has no time to count)."""
    return [reading for reading in readings if reading.document is not None]


def _per_second(readings: list[Reading]) -> str:
    timed = _timed(readings)
    seconds = sum(reading.seconds for reading in timed)
    return f"{len(timed) / seconds:.0f}" if seconds else "-"


def _in_process_targets(readings: dict[str, list[Reading]]) -> list[Target]:
    judged = [(reading.sample, reading.document) for rows in readings.values() for reading in rows]
    speeds = ", ".join(f"{name.split()[0]} {_per_second(rows)}" for name, rows in readings.items())
    return [*_correctness_targets("in process", judged),
            Target(PART, "in process: documents/s per format", "(reported)", speeds, None)]


# End to end.

def _print_end_to_end(samples: list[EInvoiceSample], measurements: list[Measurement], seed: int,
                      workers: int) -> None:
    print(heading(f"E-invoices end to end: {len(samples)} generated e-invoices ({len(FORMATS)} formats in turn, "
                  f"seed {seed}) uploaded one after the other, ledgerdesk up with {workers} workers",
                  DATABASE_LABELS["sqlite"]))
    print(table(["latency (ms)", *LATENCY_HEADERS], [*latency_rows(measurements),
                                                      *_review_rows_per_format(samples, measurements)]))
    print_review_outcome(measurements)
    print()
    print(table(END_TO_END_HEADERS, [_end_to_end_row(name, samples, measurements) for name in FORMATS]))
    judged = _judged(samples, measurements)
    print()
    print(table(["field", "exact", "of", "share"], accuracy_rows(_read_values(judged), ACCURACY_FIELDS, same_value)))
    _print_findings(judged)
    sys.stdout.flush()


def _review_rows_per_format(samples: list[EInvoiceSample], measurements: list[Measurement]) -> list[list[str]]:
    return [latency_row(f"  time to review: {name}", [m.review_seconds for m in measurements
                                                      if m.reviewed and samples[m.index].format == name])
            for name in FORMATS]


def _end_to_end_row(name: str, samples: list[EInvoiceSample], measurements: list[Measurement]) -> list[str]:
    of_format = [m for m in measurements if samples[m.index].format == name]
    ocr_pages = sum(page.get("source") == "ocr" for m in of_format for page in (m.document or {}).get("pages") or [])
    judged = [(samples[m.index], m.document) for m in of_format]
    return [name, str(len(of_format)), str(sum(m.reviewed for m in of_format)), *_judgement_cells(judged),
            str(ocr_pages)]


def _judged(samples: list[EInvoiceSample], measurements: list[Measurement]) -> list[Judged]:
    """Every sample with the document the service showed in review (None where it did not reach review)."""
    documents = {m.index: m.document for m in measurements if m.reviewed}
    return [(sample, documents.get(index)) for index, sample in enumerate(samples)]


def _end_to_end_targets(samples: list[EInvoiceSample], measurements: list[Measurement]) -> list[Target]:
    reviewed = [m for m in measurements if m.reviewed]
    _, _, p50, p95, *_ = latency_row("", [m.review_seconds for m in reviewed])
    per_minute = documents_per_minute(measurements)
    return [
        Target(PART, "end to end: e-invoices reaching review with a voucher", "all",
               f"{len(reviewed)}/{len(samples)}", len(reviewed) == len(samples), correctness=True),
        *_correctness_targets("end to end", _judged(samples, measurements)),
        Target(PART, "end to end: upload to review p50 / p95", "(reported)", f"{p50} / {p95} ms", None),
        Target(PART, "end to end: documents/minute", "(reported)",
               "-" if per_minute is None else f"{per_minute:.0f}", None),
    ]


# Judging a document.

def same_value(field: str, truth: object, found: object) -> bool:
    """Equal as the evaluation compares: amounts as numbers, dates as ISO dates, text without case or extra
    spaces."""
    return found is not None and normalise(field, str(truth)) == normalise(field, str(found))


def is_exact(sample: EInvoiceSample, document: dict | None) -> bool:
    found = values(document)
    return document is not None and all(same_value(name, sample.truth[name], found.get(name))
                                        for name in ACCURACY_FIELDS)


def from_einvoice(document: dict | None) -> bool:
    """Every field taken from the e-invoice at confidence 1.0, and no page read by OCR."""
    fields, pages = (document or {}).get("fields") or {}, (document or {}).get("pages") or []
    return (bool(fields) and all(f.get("source") == SOURCE and f.get("confidence") == 1.0 for f in fields.values())
            and not any(page.get("source") == "ocr" for page in pages))


def broken_rules(document: dict | None) -> list[str]:
    """The messages of the issues of severity ``error`` (a sum that does not add up, say)."""
    return [issue["message"] for issue in (document or {}).get("validation") or [] if issue["severity"] == "error"]


def _judgement_cells(judged: list[Judged]) -> list[str]:
    """Exact, from the e-invoice, no broken rule: each as ``n/of``."""
    read = [document for _, document in judged if document is not None]
    return [f"{sum(is_exact(sample, document) for sample, document in judged)}/{len(judged)}",
            f"{sum(from_einvoice(document) for document in read)}/{len(judged)}",
            f"{sum(not broken_rules(document) for document in read)}/{len(judged)}"]


def _correctness_targets(where: str, judged: list[Judged]) -> list[Target]:
    read = [document for _, document in judged if document is not None]
    exact = sum(is_exact(sample, document) for sample, document in judged)
    clean = sum(from_einvoice(document) and not broken_rules(document) for document in read)
    return [
        Target(PART, f"{where}: documents exact on every field", "100%",
               f"{share(exact, len(judged))} ({exact}/{len(judged)})", exact == len(judged), correctness=True),
        Target(PART, f"{where}: fields from the e-invoice at confidence 1.0, no OCR, no broken rule", "all",
               f"{clean}/{len(judged)}", clean == len(judged), correctness=True),
    ]


def _read_values(judged: list[Judged]) -> list[Read]:
    return [(sample.filename, sample.truth, values(document)) for sample, document in judged if document is not None]


def _print_findings(judged: list[Judged]) -> None:
    """Fields read wrong, documents not from their e-invoice or breaking a rule, and how often each other issue
    (a warning) came up."""
    print_misreads(_read_values(judged), ACCURACY_FIELDS, same_value)
    for sample, document in judged:
        if document is not None and not from_einvoice(document):
            print(f"  {sample.filename}: a field not from the e-invoice at confidence 1.0, or a page read by OCR")
        for message in broken_rules(document):
            print(f"  {sample.filename}: {message}")
    others = Counter(issue["rule"] for _, document in judged for issue in (document or {}).get("validation") or []
                     if issue["severity"] != "error")
    if others:
        print("other issues (not errors): " + ", ".join(f"{rule} {n}" for rule, n in others.most_common()))


if __name__ == "__main__":
    sys.exit(interruptible(main))
