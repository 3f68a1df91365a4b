"""Run summaries as plain-text tables, or as one JSON object (``--json``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ledgerdesk.evaluation.conformance import (ConformanceRow, conformance, is_caught, is_exact, is_flagged,
                                               mismatched_fields)
from ledgerdesk.evaluation.item_scores import ItemCounts
from ledgerdesk.evaluation.metrics import Value, as_values, character_errors, compare_field, matched_tokens, ratio
from ledgerdesk.evaluation.runner import EngineRun, Outcome
from ledgerdesk.evaluation.scoring import Extraction, Reading, RunSummary, Speed, predicted_values
from ledgerdesk.evaluation.split import HOLDOUT_PERCENT

MAX_ERRORS_SHOWN = 10
STAGES = ("read", "ocr", "extract")
OCR_STEPS = ("detect", "orientation", "recognize")


@dataclass(frozen=True)
class Selection:
    """What was measured: the folder, its kind, and which of its samples the split and limit chose."""

    kind: str
    path: str
    split: str
    limit: int | None
    available: int
    """Labelled files in the folder."""
    in_split: int
    selected: int
    """Files measured: those of the split, cut to ``limit``."""
    skipped: dict[str, int]
    fields: tuple[str, ...]


def text_report(selection: Selection, summaries: Sequence[RunSummary], runs: Sequence[EngineRun] = ()) -> str:
    """The tables for a person: what was measured, a row per engine, then per-field and per-type detail (and,
    for e-invoices, conformance per folder and format)."""
    parts = [_heading(selection)]
    if selection.kind == "ocr":
        parts.append(table(OCR_HEADERS, [_ocr_row(s) for s in summaries]))
    else:
        parts.append(table(FIELD_HEADERS, [_field_row(s) for s in summaries]))
        parts.extend(_extraction_detail(s) for s in summaries if s.extraction is not None)
        parts.extend(_items_text(selection, s) for s in summaries if s.extraction and s.extraction.items)
    if selection.kind in STRUCTURED_KINDS:
        parts.extend(_conformance_text(run, Path(selection.path)) for run in runs)
    parts.extend(_errors(s) for s in summaries if s.errors)
    return "\n\n".join(parts) + "\n"


STRUCTURED_KINDS = ("einvoice", "cn_ofd")
CONFORMANCE_HEADERS = ("folder", "format", "valid", "parsed", "exact", "reconcile", "flagged", "invalid", "caught",
                       "silently accepted", "docs/s")


def _conformance_text(run: EngineRun, root: Path) -> str:
    rows = conformance(run.outcomes, root)
    lines = [f"e-invoice conformance ({run.engine}): valid files must parse, reconcile and give every field of "
             "their XML exactly; invalid ones must be refused or flagged",
             table(CONFORMANCE_HEADERS, [_conformance_row(row) for row in rows])]
    lines += _conformance_totals(rows, run.outcomes)
    return "\n".join(lines)


def _conformance_row(row: ConformanceRow) -> list[str]:
    return [row.folder, row.format, str(row.valid), str(row.parsed), str(row.exact), str(row.reconciled),
            str(row.flagged), str(row.invalid), str(row.caught), str(row.silently_accepted),
            "-" if row.per_second is None else f"{row.per_second:.0f}"]


def _conformance_totals(rows: Sequence[ConformanceRow], outcomes: Sequence[Outcome]) -> list[str]:
    valid, exact = sum(r.valid for r in rows), sum(r.exact for r in rows)
    invalid, caught = sum(r.invalid for r in rows), sum(r.caught for r in rows)
    seconds = sum(r.seconds for r in rows)
    lines = [f"valid exact on every field: {exact}/{valid}; invalid caught: {caught}/{invalid}; "
             f"throughput {(valid + invalid) / seconds:.0f} documents/s" if seconds else "nothing measured"]
    inexact = [(o.sample.name, mismatched_fields(o)) for o in outcomes if o.sample.valid and not is_exact(o)]
    lines += [f"  not exact: {name}: {'; '.join(problems) or 'not parsed'}" for name, problems in inexact]
    lines += [f"  accepted silently: {o.sample.name}" for o in outcomes if not o.sample.valid and not is_caught(o)]
    lines += [f"  valid but flagged: {o.sample.name}: {', '.join(dict.fromkeys(o.flags))}" for o in outcomes
              if o.sample.valid and not o.error and o.structured_format and is_flagged(o)]
    return lines


def _heading(selection: Selection) -> str:
    held_out = f" ({HOLDOUT_PERCENT}% held out by a hash of the file name)" if selection.split == "holdout" else ""
    limited = f", --limit {selection.limit}" if selection.limit is not None else ""
    lines = [f"ledgerdesk eval {selection.kind} {selection.path}",
             f"split {selection.split}: {selection.in_split} of {selection.available} labelled files{held_out}"
             f"{limited}: {selection.selected} measured"]
    if selection.skipped:
        lines.append("left out while reading the folder: "
                     + "; ".join(f"{why}: {count}" for why, count in sorted(selection.skipped.items())))
    if selection.selected == 0:
        lines.append("nothing to measure: the split chose no files (try --split all)")
    return "\n".join(lines)


OCR_HEADERS = ("engine", "pages", "errors", "token recall", "CER", "s/page p50", "s/page p95", "read", "detect",
               "orient", "recognize", "ocr other", "load s", "peak RSS MB")
FIELD_HEADERS = ("engine", "docs", "pages", "ocr pages", "errors", "type acc", "micro P", "micro R", "micro F1",
                 "macro F1", "s/doc p50", "s/doc p95", "read", "ocr", "extract", "peak RSS MB")


def _ocr_row(summary: RunSummary) -> list[str]:
    if summary.load_error:
        return [summary.engine, f"could not load: {summary.load_error}"]
    speed, reading = summary.speed, summary.reading
    recall, cer = (reading.token_recall, reading.character_error_rate) if reading else (None, None)
    return [summary.engine, str(speed.pages), str(len(summary.errors)), ratio_text(recall), ratio_text(cer),
            seconds_text(speed.per_page_median), seconds_text(speed.per_page_p95), *_ocr_split(speed),
            f"{summary.load_seconds:.1f}", f"{summary.peak_rss_mb:.0f}"]


def _ocr_split(speed: Speed) -> list[str]:
    """Shares of the time: reading, each OCR model, the rest of OCR (turning, cropping, splitting words)."""
    stages, total = speed.stage_seconds, _total_seconds(speed)
    ocr_other = stages.get("ocr", 0.0) - sum(stages.get(step, 0.0) for step in OCR_STEPS)
    return [share_text(stages.get(step, 0.0), total) for step in ("read", *OCR_STEPS)] + [share_text(ocr_other, total)]


def _total_seconds(speed: Speed) -> float:
    return sum(speed.stage_seconds.get(stage, 0.0) for stage in STAGES)


def _field_row(summary: RunSummary) -> list[str]:
    if summary.load_error or summary.extraction is None:
        return [summary.engine, f"could not load: {summary.load_error}"]
    speed, found, total = summary.speed, summary.extraction, _total_seconds(summary.speed)
    return [summary.engine, str(speed.documents + len(summary.errors)), str(speed.pages), str(speed.ocr_pages),
            str(len(summary.errors)), ratio_text(found.doc_type_accuracy), ratio_text(found.pooled.precision),
            ratio_text(found.pooled.recall), ratio_text(found.micro_f1), ratio_text(found.macro_f1),
            seconds_text(speed.per_document_median), seconds_text(speed.per_document_p95),
            *(share_text(speed.stage_seconds.get(stage, 0.0), total) for stage in STAGES),
            f"{summary.peak_rss_mb:.0f}"]


def _extraction_detail(summary: RunSummary) -> str:
    found: Extraction = summary.extraction
    rows = [[name, str(c.expected), str(c.predicted), str(c.true_positives), ratio_text(c.precision),
             ratio_text(c.recall), ratio_text(c.f1)] for name, c in found.field_counts.items()]
    parts = [f"fields ({summary.engine})",
             table(("field", "expected", "predicted", "correct", "precision", "recall", "F1"), rows)
             if rows else "no fields are labelled in this folder"]
    types = "; ".join(f"{expected} -> " + ", ".join(f"{p} {n}" for p, n in _most_first(got))
                      for expected, got in sorted(found.doc_types.items()))
    parts.append(f"document types, expected -> predicted ({summary.engine}): {types or '-'}")
    produced = ", ".join(f"{name} {n}" for name, n in _most_first(found.produced))
    parts.append(f"fields produced, by documents ({summary.engine}): {produced or 'none'}")
    if any(b.values for b in found.reliability):
        parts.append(_reliability_text(summary.engine, found))
    if (reading := summary.reading) is not None:
        parts.append(f"OCR against the reference transcripts ({summary.engine}): token recall "
                     f"{ratio_text(reading.token_recall)}, CER {ratio_text(reading.character_error_rate)}")
    return "\n".join(parts)


def _reliability_text(engine: str, found: Extraction) -> str:
    bins = [[f"{b.low:.2f}-{b.high:.2f}", str(b.values), ratio_text(b.mean_confidence), ratio_text(b.accuracy)]
            for b in found.reliability if b.values]
    floors = [[f"{s.floor:.2f}", str(s.straight), ratio_text(s.rate), str(s.all_right), ratio_text(s.precision)]
              for s in found.straight_through]
    return "\n".join([
        f"reliability of the scored fields' confidences ({engine})",
        table(("confidence", "values", "mean confidence", "accuracy"), bins),
        f"straight-through by confidence floor ({engine}; complete, nothing flagged, every field at the floor; "
        "the vendor master is not consulted here)",
        table(("floor", "documents", "rate", "all fields right", "right share"), floors)])


def _items_text(selection: Selection, summary: RunSummary) -> str:
    which = ("the held-out files measured above (the line model never trained on them)" if selection.split == "holdout"
             else "every file measured above (the line model trained on those not held out)")
    return (f"line items ({summary.engine}) on {which}, matched by amount and description\n"
            + items_table({selection.kind: summary.extraction.items}))


ITEM_HEADERS = ("group", "docs", "expected", "read", "matched", "precision", "recall", "F1", "amount",
                "quantity", "unit price", "description", "docs all right")


def items_table(rows: dict[str, ItemCounts]) -> str:
    """Items found against expected per group of documents, and how often the matched ones' values agree
    exactly."""
    return table(ITEM_HEADERS, [_item_row(name, counts) for name, counts in rows.items()])


def _item_row(name: str, c: ItemCounts) -> list[str]:
    return [name, str(c.documents), str(c.expected), str(c.read), str(c.matched), ratio_text(c.found.precision),
            ratio_text(c.found.recall), ratio_text(c.found.f1), ratio_text(ratio(c.amount_right, c.matched)),
            ratio_text(ratio(c.quantity_right, c.quantity_expected)), ratio_text(ratio(c.price_right, c.price_expected)),
            ratio_text(ratio(c.description_right, c.matched)), ratio_text(ratio(c.documents_right, c.documents))]


def items_json(counts: ItemCounts) -> dict[str, Any]:
    return asdict(counts) | {"precision": rounded(counts.found.precision), "recall": rounded(counts.found.recall),
                             "f1": rounded(counts.found.f1)}


def _most_first(counts: dict[str, int]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def _errors(summary: RunSummary) -> str:
    shown = summary.errors[:MAX_ERRORS_SHOWN]
    more = len(summary.errors) - len(shown)
    lines = [f"files that failed ({summary.engine}): {len(summary.errors)}"]
    lines += [f"  {name}: {reason}" for name, reason in shown]
    return "\n".join(lines + ([f"  ... and {more} more (--json lists all)"] if more else []))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A fixed-width table, the first column left-aligned, the others right-aligned; a short row (an engine
    that could not load) runs its last cell on across the columns."""
    full = [row for row in rows if len(row) == len(headers)]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *full)]
    widths[0] = max(len(str(row[0])) for row in [headers, *rows])

    def line(cells: Sequence[str]) -> str:
        first, *rest = (str(c) for c in cells)
        if len(cells) < len(headers):
            return "  ".join([first.ljust(widths[0]), *rest])
        return "  ".join([first.ljust(widths[0]), *(c.rjust(w) for c, w in zip(rest, widths[1:]))]).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *(line(row) for row in rows)])


def ratio_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def seconds_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def share_text(part: float, whole: float) -> str:
    share = ratio(part, whole)
    return "-" if share is None else f"{100 * share:.0f}%"


def rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def json_report(selection: Selection, runs: Sequence[EngineRun], summaries: Sequence[RunSummary]) -> dict[str, Any]:
    """Everything in one JSON-ready object: the selection, each engine's numbers and each file's outcome."""
    return {
        "kind": selection.kind, "path": selection.path, "split": selection.split, "limit": selection.limit,
        "available": selection.available, "in_split": selection.in_split, "selected": selection.selected,
        "skipped": selection.skipped, "fields": list(selection.fields),
        "engines": [_summary_json(summary, run, selection.fields) for summary, run in zip(summaries, runs)],
    } | ({"conformance": {run.engine: [asdict(row) for row in conformance(run.outcomes, Path(selection.path))]
                          for run in runs}} if selection.kind in STRUCTURED_KINDS else {})


def _summary_json(summary: RunSummary, run: EngineRun, fields: Sequence[str]) -> dict[str, Any]:
    extracted = summary.extraction is not None
    return {
        "engine": summary.engine, "load_seconds": rounded(summary.load_seconds), "load_error": summary.load_error,
        "peak_rss_mb": rounded(summary.peak_rss_mb, 1), "documents": summary.speed.documents + len(summary.errors),
        "pages": summary.speed.pages, "ocr_pages": summary.speed.ocr_pages,
        "errors": [{"file": name, "error": why} for name, why in summary.errors],
        "seconds": _speed_json(summary.speed),
        "ocr": _reading_json(summary.reading) if summary.reading else None,
        "extraction": _extraction_json(summary.extraction) if extracted else None,
        "samples": [_sample_json(outcome, fields, extracted=extracted) for outcome in run.outcomes],
    }


def _speed_json(speed: Speed) -> dict[str, Any]:
    return {"per_page_median": rounded(speed.per_page_median), "per_page_p95": rounded(speed.per_page_p95),
            "per_document_median": rounded(speed.per_document_median),
            "per_document_p95": rounded(speed.per_document_p95),
            "by_stage": {stage: rounded(seconds) for stage, seconds in sorted(speed.stage_seconds.items())}}


def _reading_json(reading: Reading) -> dict[str, Any]:
    return {"token_recall": rounded(reading.token_recall),
            "character_error_rate": rounded(reading.character_error_rate),
            "reference_tokens": reading.reference_tokens, "matched_tokens": reading.matched_tokens,
            "reference_characters": reading.reference_characters, "character_edits": reading.character_edits}


def _extraction_json(found: Extraction) -> dict[str, Any]:
    return {"doc_type_accuracy": rounded(found.doc_type_accuracy), "doc_types": found.doc_types,
            "micro_precision": rounded(found.pooled.precision), "micro_recall": rounded(found.pooled.recall),
            "micro_f1": rounded(found.micro_f1), "macro_f1": rounded(found.macro_f1), "produced": found.produced,
            "reliability": [{"low": b.low, "high": b.high, "values": b.values,
                             "mean_confidence": rounded(b.mean_confidence), "accuracy": rounded(b.accuracy)}
                            for b in found.reliability],
            "straight_through": [{"floor": s.floor, "documents": s.straight, "rate": rounded(s.rate),
                                  "all_right": s.all_right, "right_share": rounded(s.precision)}
                                 for s in found.straight_through],
            "line_items": items_json(found.items) if found.items is not None else None,
            "fields": {name: {"expected": c.expected, "predicted": c.predicted, "correct": c.true_positives,
                              "precision": rounded(c.precision), "recall": rounded(c.recall), "f1": rounded(c.f1)}
                       for name, c in found.field_counts.items()}}


def _sample_json(outcome: Outcome, fields: Sequence[str], *, extracted: bool) -> dict[str, Any]:
    row: dict[str, Any] = {"file": str(outcome.sample.path), "pages": outcome.pages, "ocr_pages": outcome.ocr_pages,
                           "error": outcome.error,
                           "seconds": {stage: rounded(s) for stage, s in sorted(outcome.seconds.items())}}
    reference = outcome.sample.reference_tokens
    if reference is not None:
        edits, length = character_errors(reference, outcome.tokens or [])
        row["token_recall"] = rounded(ratio(matched_tokens(reference, outcome.tokens or []), len(reference)))
        row["character_error_rate"] = rounded(ratio(edits, length))
    if extracted and outcome.sample.items is not None:
        row["line_items"] = {"expected": list(outcome.sample.items), "read": outcome.line_items}
    if extracted:
        predicted = predicted_values(outcome.fields, fields)
        row |= {"doc_type": outcome.doc_type, "expected_doc_type": outcome.sample.expected_doc_type,
                "fields": {name: _field_json(name, outcome.sample.expected.get(name), predicted.get(name))
                           for name in fields}}
    return row


def _field_json(name: str, expected: Value | None, predicted: Value | None) -> dict[str, Any]:
    return {"expected": list(as_values(expected)), "predicted": list(as_values(predicted)),
            "correct": compare_field(name, expected, predicted).true_positives}
