"""``ledgerdesk eval classify``: the run and its tables (accuracy, confusion, precision and recall per type)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ledgerdesk.evaluation.classification import CorpusWords, TypeScores, chosen_files, generated_documents, \
    read_typed, score_types, timing_text
from ledgerdesk.evaluation.report import ratio_text, table
from ledgerdesk.evaluation.runner import default_engine
from ledgerdesk.evaluation.split import HOLDOUT_PERCENT

MAX_WRONG_SHOWN = 20
GENERATED_SEED = 20261121
"""Generated documents measured with ``--synthetic``: a seed training does not use (its default is 7)."""


def run_classify_eval(root: Path, *, split: str, limit: int | None, engine: str | None, as_json: bool,
                      cache_dir: Path, synthetic: int = 0) -> None:
    """Read the chosen files (from the cache where they were read before), classify each, print the report; with
    ``synthetic``, the same for that many generated documents, reported apart."""
    files, available = chosen_files(root, split, limit)
    if not files:
        raise click.UsageError(f"{root} holds none of sroie/img, contracts_nda/pdf, einvoice, cn_ofd")
    words = CorpusWords(cache_dir, (engine or default_engine()).split(",")[0])
    with click.progressbar(length=2 * len(files), label="eval classify", file=sys.stderr) as bar:
        read, failed = read_typed(files, words, bar.update)
        scores = score_types(read, bar.update)
    scores.failed = failed
    reports = [(scores, _heading(root, split, limit, available, len(files)))]
    if synthetic:
        reports.append((score_types(generated_documents(synthetic, GENERATED_SEED)), _generated_heading(synthetic)))
    if as_json:
        click.echo(json.dumps([scores_json(found, heading) for found, heading in reports], indent=2))
    else:
        click.echo("\n".join(text_report(found, heading) for found, heading in reports), nl=False)


def _generated_heading(count: int) -> str:
    return (f"generated documents: {count} (seed {GENERATED_SEED}, not trained on; the generator's templates are, "
            "so this is an optimistic check of the types the corpora lack)")


def _heading(root: Path, split: str, limit: int | None, available: int, chosen: int) -> str:
    held_out = f" ({HOLDOUT_PERCENT}% held out by a hash of the file name)" if split == "holdout" else ""
    limited = f", --limit {limit} per type" if limit is not None else ""
    return (f"ledgerdesk eval classify {root}\nsplit {split}: {chosen} of {available} typed files{held_out}"
            f"{limited}")


def text_report(scores: TypeScores, heading: str) -> str:
    """Accuracy, the confusion table, precision and recall per type, timing and the mistakes."""
    types = scores.types()
    parts = [heading, f"documents {scores.documents}, accuracy {ratio_text(scores.accuracy)}"
             f"{f', unreadable {len(scores.failed)}' if scores.failed else ''}",
             "confusion (rows: expected, columns: predicted)\n" + confusion_table(scores, types),
             "per type\n" + per_type_table(scores, types), timing_text(scores.seconds)]
    if scores.wrong:
        parts.append("\n".join([f"misclassified: {len(scores.wrong)}"] + [
            f"  {name}: {expected} -> {predicted} ({evidence})"
            for name, expected, predicted, evidence in scores.wrong[:MAX_WRONG_SHOWN]]))
    if scores.failed:
        parts.append("\n".join(["unreadable files:"] + [f"  {name}: {why}" for name, why in scores.failed]))
    return "\n\n".join(parts) + "\n"


def confusion_table(scores: TypeScores, types: list[str]) -> str:
    rows = [[expected, *(str(scores.confusion[expected][p]) for p in types)] for expected in types
            if expected in scores.confusion]
    return table(("expected", *types), rows)


def per_type_table(scores: TypeScores, types: list[str]) -> str:
    rows = [[t, str(sum(scores.confusion.get(t, {}).values())),
             str(sum(row[t] for row in scores.confusion.values())), ratio_text(scores.precision(t)),
             ratio_text(scores.recall(t)), ratio_text(_f1(scores.precision(t), scores.recall(t)))] for t in types]
    return table(("type", "expected", "predicted", "precision", "recall", "F1"), rows)


def _f1(precision: float | None, recall: float | None) -> float | None:
    if precision is None or recall is None or precision + recall == 0:
        return None
    return 2 * precision * recall / (precision + recall)


def scores_json(scores: TypeScores, heading: str) -> dict:
    return {"heading": heading, "documents": scores.documents, "accuracy": scores.accuracy,
            "confusion": {t: dict(row) for t, row in scores.confusion.items()},
            "per_type": {t: {"precision": scores.precision(t), "recall": scores.recall(t)} for t in scores.types()},
            "seconds": scores.seconds,
            "wrong": [dict(zip(("file", "expected", "predicted", "evidence"), w)) for w in scores.wrong],
            "failed": [{"file": name, "error": why} for name, why in scores.failed]}
