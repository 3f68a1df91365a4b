"""Matching bank lines to open items: ``python -m bench.matching [--lines 100000] [--items 100000] [--seed 2]
[--naive 2000] [--service 1000] [--db sqlite|postgres]`` (part ``matching`` of make bench).

Statements and open items with known answers come from ``bench/matching_data.py`` (references with typing errors,
split and partial payments, fees and discounts, same amounts of different vendors, noise lines, unpaid invoices).
Three runs:

- the engine in process (``reconciliation.matching.engine.match_payments``) on ``--lines`` lines against ``--items``
  open items: wall and CPU time, the memory the run adds to the process, and the quality of its answers: precision
  and recall of the automatic matches and the share of paying lines matched automatically, per kind of line;
- a naive baseline in the same run on ``--naive`` lines against as many items: every line scored against every item
  with the engine's own evidence (no index, no subsets), beside the engine on the same lines;
- the service on a fresh database (``--db``): ``--service`` lines against as many items, stored as rows and matched
  as the worker matches them (read, match, store in batches; each automatic match posts its clearing voucher).

The weights were tuned on seed 1; the default seed 2 is the one reported. Targets (issue 10): automatic precision at
least 99.9%, at least 95% of paying lines matched automatically, 100,000 x 100,000 under 5 s. Nothing asserts on
time; the exit status is 1 when a decoy (a line that pays nothing, or one of an amount several vendors have, without
reference or counterparty) is matched automatically.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.matching_data import CASES, Scenario, generate
from bench.matching_store import ServiceRun, service_run
from bench.report import Target, heading, table
from bench.service import DATABASE_LABELS, DATABASES, interruptible, unwind_on_signals
from reconciliation.matching.engine import AMBIGUITY_MARGIN, match_payments
from reconciliation.matching.evidence import PaymentKeys, amount_fit, party_fit, reference_fit
from reconciliation.matching.index import Directory, party_key
from reconciliation.matching.model import Allocation, Proposal, Rules
from reconciliation.matching.names import compact_reference, digits_key

DECOYS = ("noise", "same amount")
"""Kinds of line that must never be matched automatically (a same-amount line only to its true item, by luck)."""
PRECISION_TARGET, SHARE_TARGET, SECONDS_TARGET = 0.999, 0.95, 5.0


@dataclass
class Quality:
    """What the answers were worth, per kind of line."""

    lines: Counter = field(default_factory=Counter)
    automatic: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    """Automatic matches to exactly the true items."""
    suggested: Counter = field(default_factory=Counter)

    @property
    def paying(self) -> int:
        return self.lines.total() - self.lines["noise"]

    @property
    def precision(self) -> float:
        return self.right.total() / self.automatic.total() if self.automatic.total() else 1.0

    @property
    def recall(self) -> float:
        return self.right.total() / self.paying if self.paying else 1.0

    @property
    def automatic_share(self) -> float:
        return (self.automatic.total() - self.automatic["noise"]) / self.paying if self.paying else 1.0

    @property
    def decoys_matched(self) -> int:
        return sum(self.automatic[kind] for kind in DECOYS)


def judge(scenario: Scenario, proposals: Sequence[Proposal]) -> Quality:
    quality = Quality(lines=Counter(scenario.kinds.values()))
    for proposal in proposals:
        kind = scenario.kinds[proposal.payment_id]
        if proposal.automatic:
            quality.automatic[kind] += 1
            quality.right[kind] += frozenset(proposal.item_ids) == scenario.answers[proposal.payment_id]
        else:
            quality.suggested[kind] += 1
    return quality


# --- the runs ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timed:
    name: str
    lines: int
    items: int
    seconds: float
    cpu_seconds: float
    extra_mb: float | None
    """What the run added to the process's peak memory (the data it was given not counted)."""
    quality: Quality


def engine_run(scenario: Scenario) -> Timed:
    resident = _memory("VmRSS")
    _reset_peak()
    started, cpu = time.perf_counter(), time.process_time()
    proposals = match_payments(scenario.payments, scenario.items, scenario.vendors, (), Rules())
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak = _memory("VmHWM")
    extra = peak - resident if peak is not None and resident is not None else None
    return Timed("engine (indexes)", len(scenario.payments), len(scenario.items), seconds, cpu_seconds, extra,
                 judge(scenario, proposals))


def naive_run(scenario: Scenario) -> Timed:
    started, cpu = time.perf_counter(), time.process_time()
    proposals = naive_match(scenario, Rules())
    return Timed("naive (all pairs)", len(scenario.payments), len(scenario.items), time.perf_counter() - started,
                 time.process_time() - cpu, None, judge(scenario, proposals))


def naive_match(scenario: Scenario, rules: Rules) -> list[Proposal]:
    """Every line against every open item, each pair scored with the engine's evidence; the best item wins,
    automatic from the threshold when a reference or the counterparty speaks for it and no other item comes close.
    No index, no subsets, no date window."""
    directory = Directory(scenario.vendors, (), rules.alias_confirmations)
    proposals = []
    for payment in scenario.payments:
        keys, party = PaymentKeys.of(payment), directory.party_of(payment)
        scored = sorted((_pair(payment, keys, party, item, rules) for item in scenario.items), reverse=True)
        (score, certain, item_id), rival = scored[0], scored[1][0] if len(scored) > 1 else 0.0
        if item_id and score >= rules.suggest_threshold:
            automatic = score >= rules.auto_threshold and certain and rival < score - AMBIGUITY_MARGIN
            proposals.append(Proposal(payment.id, (Allocation(item_id, payment.paid),), payment.paid, 0, None,
                                      min(1.0, score), (), automatic))
    return proposals


def _pair(payment, keys, party, item, rules: Rules) -> tuple[float, bool, str]:
    amount = amount_fit(payment.paid, (item.open_amount,), rules, str) if item.currency == payment.currency else None
    if amount is None:
        return 0.0, False, ""
    reference = compact_reference(item.reference)
    evidence = (reference_fit(keys, reference, digits_key(reference), item, tuple(keys.compact)),
                party_fit(party, party_key(item), ""))
    certain = any(fit.weight > 0 for fit in evidence)
    return amount.fit.weight + sum(fit.weight for fit in evidence), certain, item.id


def _memory(name: str) -> float | None:
    """A figure of this process's /proc status in MB (``VmRSS`` now, ``VmHWM`` its peak)."""
    try:
        lines = Path("/proc/self/status").read_text().splitlines()
    except OSError:
        return None
    found = next((line for line in lines if line.startswith(f"{name}:")), None)
    return int(found.split()[1]) / 1024 if found else None


def _reset_peak() -> None:
    """Start the peak (VmHWM) afresh, so it is the run's own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


# --- the part ---------------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    arguments = _parse_args(argv)
    unwind_on_signals()
    targets = interruptible(lambda: run_part(arguments.lines, arguments.items, seed=arguments.seed,
                                             naive=arguments.naive, service=arguments.service, database=arguments.db))
    return 1 if not isinstance(targets, list) or any(t.correctness and not t.met for t in targets) else 0


def run_part(lines: int = 100_000, items: int = 100_000, *, seed: int = 2, naive: int = 2_000, service: int = 1_000,
             database: str = "sqlite") -> list[Target]:
    print(heading(f"Matching {lines:,} bank lines against {items:,} open items (seed {seed})", "none (in process)"))
    scenario = generate(lines, items, seed)
    big = engine_run(scenario)
    print(_quality_table(big.quality))
    small = generate(naive, naive, seed)
    runs = [big, engine_run(small), naive_run(small)]
    print(_speed_table(runs))
    stored = None
    if service:
        stored_scenario = generate(service, service, seed)
        stored = service_run(stored_scenario, database)
        print(heading(f"Matching {service:,} lines against {service:,} items through the service",
                      DATABASE_LABELS[database]))
        print(_service_table(stored, judge(stored_scenario, stored.proposals)))
    return _targets(big, runs[2], stored)


def _quality_table(quality: Quality) -> str:
    rows = [[kind, quality.lines[kind], quality.automatic[kind], quality.right[kind], quality.suggested[kind],
             quality.lines[kind] - quality.automatic[kind] - quality.suggested[kind]] for kind in CASES]
    rows.append(["all", quality.lines.total(), quality.automatic.total(), quality.right.total(),
                 quality.suggested.total(), quality.lines.total() - quality.automatic.total()
                 - quality.suggested.total()])
    return table(["kind of line", "lines", "automatic", "right", "suggested", "none"], rows) + (
        f"\n\nautomatic precision {quality.precision:.3%}, recall {quality.recall:.2%}, paying lines matched "
        f"automatically {quality.automatic_share:.2%}, decoys matched automatically {quality.decoys_matched}")


def _speed_table(runs: Sequence[Timed]) -> str:
    rows = [[run.name, f"{run.lines:,} x {run.items:,}", f"{run.seconds:.2f}", f"{run.cpu_seconds:.2f}",
             f"{run.seconds / run.lines * 1e6:,.0f}", "-" if run.extra_mb is None else f"{run.extra_mb:,.0f}",
             f"{run.quality.precision:.2%}", f"{run.quality.automatic_share:.2%}"] for run in runs]
    naive, indexed = runs[2], runs[1]
    pairs = runs[0].lines * runs[0].items / (naive.lines * naive.items)
    return "\n" + table(["run", "lines x items", "wall s", "cpu s", "us/line", "memory MB", "precision",
                         "automatic"], rows) + (
        f"\n\nthe naive baseline is {naive.seconds / max(indexed.seconds, 1e-9):,.0f} times slower on "
        f"{naive.lines:,} x {naive.items:,}; at {runs[0].lines:,} x {runs[0].items:,} it would take about "
        f"{naive.seconds * pairs:,.0f} s ({naive.seconds * pairs / 3600:,.1f} hours: it grows with lines x items)")


def _service_table(run: ServiceRun, quality: Quality) -> str:
    rows = [[phase, f"{seconds:.2f}", f"{seconds / run.lines * 1000:.2f}"] for phase, seconds in run.phases.items()]
    rows.append(["all", f"{run.seconds:.2f}", f"{run.seconds / run.lines * 1000:.2f}"])
    return table(["phase", "seconds", "ms/line"], rows) + (
        f"\n\n{run.automatic} matched automatically (each with its clearing voucher posted), "
        f"{len(run.proposals) - run.automatic} suggested; automatic precision {quality.precision:.2%}, paying lines "
        f"matched automatically {quality.automatic_share:.2%}")


def _targets(big: Timed, naive: Timed, stored: ServiceRun | None) -> list[Target]:
    quality = big.quality
    size = f"{big.lines:,} x {big.items:,}"
    targets = [
        Target("matching", "automatic matches right (precision)", f">= {PRECISION_TARGET:.1%}",
               f"{quality.precision:.3%}", quality.precision >= PRECISION_TARGET),
        Target("matching", "paying lines matched automatically", f">= {SHARE_TARGET:.0%}",
               f"{quality.automatic_share:.2%}", quality.automatic_share >= SHARE_TARGET),
        Target("matching", f"engine on {size}", f"< {SECONDS_TARGET:.0f} s",
               f"{big.seconds:.2f} s ({big.cpu_seconds:.2f} s cpu)", big.seconds < SECONDS_TARGET),
        Target("matching", "no decoy matched automatically", "0", str(quality.decoys_matched),
               quality.decoys_matched == 0, correctness=True),
        Target("matching", f"naive all pairs on {naive.lines:,} x {naive.items:,}", "reported",
               f"{naive.seconds:.2f} s", None)]
    if stored:
        targets.append(Target("matching", "through the service, per line", "reported",
                              f"{stored.seconds / stored.lines * 1000:.2f} ms", None))
    return targets


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=100_000, help="bank lines for the engine (default 100000)")
    parser.add_argument("--items", type=int, default=100_000, help="open items for the engine (default 100000)")
    parser.add_argument("--seed", type=int, default=2, help="the generator's seed (tuned on 1; default 2)")
    parser.add_argument("--naive", type=int, default=2_000, help="lines and items of the naive baseline")
    parser.add_argument("--service", type=int, default=1_000, help="lines and items through the service; 0: none")
    parser.add_argument("--db", choices=DATABASES, default="sqlite", help="the service's backend (default sqlite)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
