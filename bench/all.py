"""Every benchmark, then a summary of the targets: ``python -m bench.all [--quick] [--part NAME ...]``
(``make bench``, with ``BENCH_ARGS="--quick"`` for a short run).

Parts, in order (each also runs alone, see bench/README.md):

- ``load``: 1,000 uploads from 32 clients, on SQLite and on PostgreSQL, with workers and with them paused;
- ``faults``: a work horse, a worker, Redis, and the rq scheduler's worker then a horse, killed during batches
  of 300 uploads from 8 clients;
- ``hostile``: hostile files one at a time, and page images fetched six at once;
- ``e2e``: time to review and extraction accuracy on generated invoices;
- ``photos``: receipt photos, one at a time, from upload to review with their words read by OCR;
- ``einvoice``: structured e-invoices (UBL, CII, Factur-X, ZUGFeRD 1.0, OFD) read in process, per format, and
  end to end: speed, and every field exact;
- ``vouchers``: vouchers drafted for 10,000 generated documents, in memory and drafted and stored;
- ``matching``: bank lines matched to open items: 100,000 x 100,000 in process with precision and recall, a naive
  all-pairs baseline on 2,000 x 2,000, and 1,000 lines through the service on SQLite.

Nothing asserts on time. The exit status is 1 when a result was wrong (an upload not acknowledged, a document
not stored or processed exactly once, a worker crashed on a hostile file, the API down) or a part could not run.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from bench import einvoices, faults, hostile, load, matching, photos, run, vouchers
from bench.report import Target, correctness_failed, heading, targets_table
from bench.service import DATABASES, interruptible, unwind_on_signals


@dataclass(frozen=True)
class Sizes:
    load_count: int
    load_clients: int
    fault_count: int
    fault_clients: int
    hostile_slow: bool
    """Include the hostile files that take minutes (the 200-page PDF)."""
    e2e_count: int
    photo_count: int
    einvoice_count: int
    """E-invoices of each format read in process."""
    einvoice_e2e_count: int
    """E-invoices uploaded to the service, the formats in turn."""
    voucher_count: int
    matching_lines: int
    """Bank lines (and about as many open items) the matching engine matches in process."""


FULL = Sizes(load_count=1000, load_clients=32, fault_count=300, fault_clients=8, hostile_slow=True, e2e_count=20,
             photo_count=20, einvoice_count=200, einvoice_e2e_count=60, voucher_count=10_000, matching_lines=100_000)
QUICK = Sizes(load_count=200, load_clients=32, fault_count=60, fault_clients=8, hostile_slow=False, e2e_count=10,
              photo_count=5, einvoice_count=30, einvoice_e2e_count=15, voucher_count=2_000, matching_lines=20_000)

PARTS: dict[str, Callable[[Sizes], list[Target]]] = {
    "load": lambda sizes: load.run_part(list(DATABASES), sizes.load_count, sizes.load_clients, list(load.MODES), None),
    "faults": lambda sizes: faults.run_part(sizes.fault_count, sizes.fault_clients, list(faults.FAULTS)),
    "hostile": lambda sizes: hostile.run_part(include_slow=sizes.hostile_slow),
    "e2e": lambda sizes: run.run_part(sizes.e2e_count, workers=2, seed=1, timeout=120),
    "photos": lambda sizes: photos.run_part(sizes.photo_count),
    "einvoice": lambda sizes: einvoices.run_part(sizes.einvoice_count, sizes.einvoice_e2e_count),
    "vouchers": lambda sizes: vouchers.run_part(sizes.voucher_count, history=sizes.voucher_count // 10),
    "matching": lambda sizes: matching.run_part(sizes.matching_lines, sizes.matching_lines,
                                                naive=min(2_000, sizes.matching_lines // 10)),
}


def run_parts(names: list[str], sizes: Sizes) -> list[Target]:
    """Each part in turn; a part that breaks is reported (with its traceback) and the others still run."""
    targets: list[Target] = []
    for name in names:
        started = time.perf_counter()
        try:
            targets += PARTS[name](sizes)
        except Exception as error:  # noqa: BLE001 - one broken part must not hide the others' figures
            traceback.print_exc()
            targets.append(Target(name, "the part ran to the end", "yes", f"{type(error).__name__}: {error}",
                                  False, correctness=True))
        print(f"\n({name} took {time.perf_counter() - started:.0f} s)")
        sys.stdout.flush()
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs: 200 uploads, 60 per fault, no 200-page PDF, 10 invoices end to end, "
                             "30 e-invoices per format in process and 15 end to end, 2,000 vouchers, 20,000 bank "
                             "lines matched")
    parser.add_argument("--part", action="append", choices=list(PARTS),
                        help="run only this part (repeatable; default all)")
    args = parser.parse_args(argv)
    unwind_on_signals()
    started = time.perf_counter()
    targets = run_parts(args.part or list(PARTS), QUICK if args.quick else FULL)
    print(heading(f"Summary{' (quick run)' if args.quick else ''}: targets and what was measured",
                  "SQLite + embedded Redis, PostgreSQL + redis-server (as each part says)"))
    print(targets_table(targets))
    failed = correctness_failed(targets)
    print(f"\n{len(targets)} lines, {sum(t.met is False for t in targets)} missed, "
          f"{'some results WRONG (exit status 1)' if failed else 'every result correct'}; "
          f"{(time.perf_counter() - started) / 60:.1f} minutes in all")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(interruptible(main))
