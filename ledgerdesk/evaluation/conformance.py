"""E-invoice conformance, per folder and format: does every valid e-invoice parse, reconcile and give every field
of its own XML exactly, is every invalid one refused or flagged (never accepted silently), and how many
documents a second. Pure: outcomes in, rows out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extraction.einvoice.checks import is_sum_rule
from ledgerdesk.evaluation.metrics import compare_field
from ledgerdesk.evaluation.runner import Outcome

UNREADABLE = "refused (unreadable)"


@dataclass(frozen=True)
class ConformanceRow:
    folder: str
    format: str
    valid: int
    parsed: int
    exact: int
    """Valid samples whose every expected field came out exactly (after the usual normalising)."""
    reconciled: int
    flagged: int
    """Parsed valid samples sent to a person for something besides their sums (schema, XRechnung or Peppol
    rules, PDF/A, decimals, dates): the price of catching every invalid one."""
    invalid: int
    caught: int
    """Invalid samples refused, or flagged with an error or a warning."""
    seconds: float

    @property
    def silently_accepted(self) -> int:
        return self.invalid - self.caught

    @property
    def per_second(self) -> float | None:
        return (self.valid + self.invalid) / self.seconds if self.seconds > 0 else None


def conformance(outcomes: Sequence[Outcome], root: Path) -> list[ConformanceRow]:
    """A row per top-level folder and e-invoice format, in that order."""
    groups: dict[tuple[str, str], list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[(_folder(outcome, root), _format(outcome))].append(outcome)
    return [_row(folder, format_, members) for (folder, format_), members in sorted(groups.items())]


def _folder(outcome: Outcome, root: Path) -> str:
    relative = outcome.sample.path.relative_to(root)
    return relative.parts[0] if len(relative.parts) > 1 else "."


def _format(outcome: Outcome) -> str:
    if outcome.error:
        return UNREADABLE
    return outcome.structured_format or "no e-invoice found"


def _row(folder: str, format_: str, outcomes: list[Outcome]) -> ConformanceRow:
    valid = [o for o in outcomes if o.sample.valid]
    invalid = [o for o in outcomes if not o.sample.valid]
    parsed = [o for o in valid if not o.error and o.structured_format]
    return ConformanceRow(
        folder, format_, len(valid), len(parsed), sum(is_exact(o) for o in parsed),
        sum(reconciles(o) for o in parsed), sum(is_flagged(o) for o in parsed), len(invalid),
        sum(is_caught(o) for o in invalid),
        sum(o.total_seconds for o in outcomes))


def is_exact(outcome: Outcome) -> bool:
    """Every field the sample's key states came out with the same value."""
    return all(compare_field(name, expected, outcome.fields.get(name)).false_negatives == 0
               for name, expected in outcome.sample.expected.items())


def reconciles(outcome: Outcome) -> bool:
    return not any(is_sum_rule(rule) for rule in outcome.flags)


def is_flagged(outcome: Outcome) -> bool:
    return any(not is_sum_rule(rule) for rule in outcome.flags)


def is_caught(outcome: Outcome) -> bool:
    """Refused with a reason, or sent to a person with one: anything but straight through."""
    return bool(outcome.error) or not outcome.structured_format or bool(outcome.flags)


def mismatched_fields(outcome: Outcome) -> list[str]:
    """``field: expected != produced`` for each field of a valid sample that did not come out exactly."""
    return [f"{name}: {expected!r} != {outcome.fields.get(name)!r}" for name, expected in outcome.sample.expected.items()
            if compare_field(name, expected, outcome.fields.get(name)).false_negatives]
