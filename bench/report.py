"""Plain-text tables, percentiles, the heading that names the machine, and the targets of the summary.
Standard library only."""

from __future__ import annotations

import math
import os
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LATENCY_HEADERS = ["n", "p50", "p95", "p99", "max"]
"""The columns after the name in a :func:`latency_row` table (milliseconds)."""


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0..100) with linear interpolation between closest ranks."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def latency_row(name: str, seconds: Sequence[float], decimals: int = 0) -> list[str]:
    """``name, n, p50, p95, p99, max`` in milliseconds (with ``decimals`` places)."""
    if not seconds:
        return [name, "0", "-", "-", "-", "-"]
    return [name, str(len(seconds)), *(f"{percentile(seconds, q) * 1000:.{decimals}f}" for q in (50, 95, 99, 100))]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], left: int = 1) -> str:
    """A fixed-width table; the first ``left`` columns are left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells: Sequence[object]) -> str:
        return "  ".join(str(cell).ljust(width) if index < left else str(cell).rjust(width)
                         for index, (cell, width) in enumerate(zip(cells, widths))).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])


def heading(title: str, database: str) -> str:
    """The title of a part's table and the machine it ran on: ``title`` underlined, then cores, database, commit."""
    machine = f"machine: {os.cpu_count()} cores, {_memory()}; database: {database}; commit: {commit()}"
    return f"\n{title}\n{'=' * len(title)}\n{machine}\n"


def commit() -> str:
    """The checked-out commit (short), with ``+changes`` when the work tree differs from it."""
    root = Path(__file__).resolve().parent.parent
    try:
        head = _git(root, "rev-parse", "--short", "HEAD")
        dirty = _git(root, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} s"


def megabytes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MB"


def _git(root: Path, *arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=root, capture_output=True, text=True, check=True).stdout.strip()


def _memory() -> str:
    try:
        total_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                        if line.startswith("MemTotal:"))
    except (OSError, StopIteration):
        return "memory unknown"
    return f"{total_kb / 1024 / 1024:.0f} GB RAM"


@dataclass(frozen=True)
class Target:
    """One line of the summary: what was aimed at and what was measured."""

    part: str
    what: str
    target: str
    measured: str
    met: bool | None
    """None: nothing to meet, the figure is only reported."""
    correctness: bool = False
    """Missing it makes the benchmark exit with status 1 (a wrong result, not a slow one)."""

    @property
    def verdict(self) -> str:
        return "-" if self.met is None else "met" if self.met else "MISSED"


def targets_table(targets: Sequence[Target]) -> str:
    return table(["part", "target", "aim", "measured", ""],
                 [[t.part, t.what, t.target, t.measured, t.verdict] for t in targets], left=2)


def correctness_failed(targets: Sequence[Target]) -> bool:
    return any(t.correctness and t.met is False for t in targets)
