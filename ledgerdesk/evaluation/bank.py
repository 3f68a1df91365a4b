"""``ledgerdesk eval bank``: conformance of the bank statement readers on a corpus folder laid out as
``~/data/corpora/bank`` (``mt940/``, ``camt/``, ``ofx/``). Every file is read as an upload is (format told from its
contents, the same checks), and its outcome compared with what it is expected to give (``bank_expected``): read,
with the same amounts, dates, counts and balances; or refused with a reason, when it is meant to be. No database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from core.errors import LedgerdeskError
from ledgerdesk.evaluation.bank_expected import Expected, ExpectedLine, expected_camt, expected_mt940, expected_ofx
from reconciliation.statements.detect import MT940_TAG
from reconciliation.statements.model import Statement, Transaction
from reconciliation.statements.reading import read_statements

FORMATS = ("mt940", "camt", "ofx")


@dataclass(frozen=True)
class Outcome:
    path: Path
    format: str
    expected: Expected
    statements: tuple[Statement, ...] = ()
    refusal: str | None = None
    disagreements: tuple[str, ...] = field(default=())

    @property
    def refused_correctly(self) -> bool:
        return self.refusal is not None and self.expected.refusal is not None

    @property
    def agrees(self) -> bool:
        """Read as expected (values agreeing) or refused as expected."""
        return self.refused_correctly or (self.refusal is None and self.expected.refusal is None
                                          and not self.disagreements)


@dataclass(frozen=True)
class FormatRow:
    format: str
    files: int
    parsed: int
    refused_correctly: int
    statements: int
    balanced: int
    unbalanced_warned: int
    not_checkable: int
    with_values: int
    values_agreeing: int


def corpus_files(root: Path) -> list[tuple[str, Path]]:
    """``(format, path)`` of every statement file under ``root``, by the folder it is in."""
    found = [("mt940", p) for p in sorted((root / "mt940").rglob("*")) if _is_mt940(p)]
    found += [("camt", p) for p in sorted((root / "camt").rglob("*.xml"))]
    found += [("ofx", p) for p in sorted((root / "ofx").rglob("*.ofx"))]
    return found


def _is_mt940(path: Path) -> bool:
    if path.suffix == ".sta":
        return True
    return path.suffix == ".txt" and bool(MT940_TAG.search(path.read_bytes()[:65536]))


def expected_of(kind: str, path: Path, root: Path) -> Expected:
    readers: dict[str, Callable[[], Expected]] = {"mt940": lambda: expected_mt940(path),
                                                  "camt": lambda: expected_camt(path),
                                                  "ofx": lambda: expected_ofx(path, root / "ofx")}
    return readers[kind]()


def evaluate(root: Path, progress: Callable[[int], None] = lambda done: None) -> list[Outcome]:
    """Every statement file of the corpus read and compared."""
    outcomes = []
    for kind, path in corpus_files(root):
        outcomes.append(evaluate_file(kind, path, expected_of(kind, path, root)))
        progress(1)
    return outcomes


def evaluate_file(kind: str, path: Path, expected: Expected) -> Outcome:
    try:
        statements = tuple(read_statements(path.read_bytes()))
    except LedgerdeskError as refusal:
        return Outcome(path, kind, expected, refusal=refusal.detail)
    problems = ([f"read, but meant to be refused: {expected.refusal}"] if expected.refusal
                else disagreements(expected, statements))
    return Outcome(path, kind, expected, statements, disagreements=tuple(problems))


def disagreements(expected: Expected, statements: tuple[Statement, ...]) -> list[str]:
    """Every value that differs from the expected output."""
    found = []
    if expected.statements is not None and expected.statements != len(statements):
        found.append(f"statements: expected {expected.statements}, read {len(statements)}")
    for group, lines in expected.lines.items():
        found += _line_disagreements(group, lines, _lines_of(statements, group))
    found += _balance_disagreements("opening", expected.openings, [s.opening for s in statements])
    found += _balance_disagreements("closing", expected.closings, [s.closing for s in statements])
    return found


def _lines_of(statements: tuple[Statement, ...], group: str | None) -> list[Transaction]:
    chosen = [s for s in statements if group is None or s.reference == group]
    return [line for statement in chosen for line in statement.transactions]


def _line_disagreements(group: str | None, expected: tuple[ExpectedLine, ...], read: list[Transaction]) -> list[str]:
    where = f"statement {group}: " if group else ""
    if len(expected) != len(read):
        return [f"{where}lines: expected {len(expected)}, read {len(read)}"]
    return [f"{where}line {n}: {problem}" for n, (want, got) in enumerate(zip(expected, read), start=1)
            for problem in _line_problems(want, got)]


def _line_problems(want: ExpectedLine, got: Transaction) -> list[str]:
    checks = [("amount", want.amount, got.amount), ("currency", want.currency, got.currency),
              ("booking date", want.booking_date, got.booking_date), ("value date", want.value_date, got.value_date),
              ("end-to-end id", want.end_to_end_id, got.end_to_end_id)]
    problems = [f"{name} expected {expected}, read {found}" for name, expected, found in checks
                if expected is not None and expected != found]
    if want.reference and not _carries(got, want.reference):
        problems.append(f"reference {want.reference!r} is neither its creditor reference nor one of its tokens")
    return problems


def _carries(line: Transaction, reference: str) -> bool:
    compact = reference.replace(" ", "").upper()
    return compact == (line.creditor_reference or "") or compact in line.reference_tokens \
        or reference.upper() in line.remittance.upper()


def _balance_disagreements(kind: str, expected: tuple[tuple[Decimal, str], ...], read: list) -> list[str]:
    have = {(balance.amount, balance.currency) for balance in read if balance is not None}
    return [f"{kind} balance {amount} {currency} was not read" for amount, currency in expected
            if (amount, currency) not in have]


# --- the table ----------------------------------------------------------------------------------------------------


def summarise(outcomes: list[Outcome]) -> list[FormatRow]:
    return [_row(kind, [o for o in outcomes if o.format == kind]) for kind in FORMATS]


def _row(kind: str, outcomes: list[Outcome]) -> FormatRow:
    statements = [statement for outcome in outcomes for statement in outcome.statements]
    warned = [s for s in statements if any(w.startswith("unbalanced") for w in s.warnings)]
    unchecked = [s for s in statements if any(w.startswith("the balances were not checked") for w in s.warnings)]
    with_values = [o for o in outcomes if o.expected.has_values or o.expected.refusal]
    return FormatRow(kind, len(outcomes), sum(o.refusal is None for o in outcomes),
                     sum(o.refused_correctly for o in outcomes), len(statements),
                     len(statements) - len(warned) - len(unchecked), len(warned), len(unchecked), len(with_values),
                     sum(o.agrees for o in with_values))


HEADINGS = ("format", "files", "parsed", "refused correctly", "statements", "balanced", "unbalanced (warned)",
            "not checkable", "with expected", "agreeing")


def report(outcomes: list[Outcome], root: Path) -> str:
    """The table per format, then every disagreement and every refusal, file by file."""
    rows = [[str(value) for value in vars(row).values()] for row in summarise(outcomes)]
    widths = [max(len(cell) for cell in column) for column in zip(HEADINGS, *rows)]
    table = [" | ".join(cell.rjust(width) for cell, width in zip(line, widths)) for line in [HEADINGS, *rows]]
    lines = [f"bank statement conformance on {root}", "", *table, ""]
    lines += _listing("disagreements", [o for o in outcomes if not o.agrees and o.expected.refusal is None
                                        or o.refusal is None and o.disagreements], root, _disagreement_text)
    lines += _listing("refusals", [o for o in outcomes if o.refusal], root, _refusal_text)
    return "\n".join(lines) + "\n"


def _listing(title: str, outcomes: list[Outcome], root: Path, text: Callable[[Outcome], str]) -> list[str]:
    if not outcomes:
        return [f"{title}: none", ""]
    return [f"{title} ({len(outcomes)}):", *(f"  {o.path.relative_to(root)}: {text(o)}" for o in outcomes), ""]


def _disagreement_text(outcome: Outcome) -> str:
    if outcome.refusal:
        return f"refused, but meant to be read: {outcome.refusal}"
    return "; ".join(outcome.disagreements)


def _refusal_text(outcome: Outcome) -> str:
    verdict = f"correct ({outcome.expected.refusal})" if outcome.expected.refusal else "WRONG"
    return f"{verdict}: {outcome.refusal}"


def json_report(outcomes: list[Outcome], root: Path) -> dict:
    """The same as one JSON object: the rows, and every file's outcome."""
    files = [{"path": str(o.path.relative_to(root)), "format": o.format, "statements": len(o.statements),
              "refusal": o.refusal, "meant_to_be_refused": o.expected.refusal, "agrees": o.agrees,
              "disagreements": list(o.disagreements),
              "warnings": [w for statement in o.statements for w in statement.warnings]} for o in outcomes]
    return {"root": str(root), "rows": [vars(row) for row in summarise(outcomes)], "files": files}
