"""One ``ledgerdesk eval`` from folder to summaries: read the folder, choose the samples, run every engine,
sum up. The command line only adds the progress bar and the printing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ledgerdesk.evaluation.corpora import Corpus, Sample, read_corpus
from ledgerdesk.evaluation.report import Selection
from ledgerdesk.evaluation.runner import EngineRun, default_engine, run_engines
from ledgerdesk.evaluation.scoring import RunSummary, summarise
from ledgerdesk.evaluation.split import choose

OCR_ONLY = "ocr"
"""The kind that measures reading alone (no classification, no fields)."""


@dataclass(frozen=True)
class Plan:
    """What a run will measure: the samples chosen from a corpus, and the engines to read them with."""

    corpus: Corpus
    samples: list[Sample]
    engines: list[str]
    selection: Selection

    @property
    def steps(self) -> int:
        return len(self.samples) * len(self.engines)


UNTRAINED_KINDS = (OCR_ONLY, "einvoice", "cn_ofd")
"""Kinds measured on every file by default: OCR, and e-invoices read by their specifications, learn nothing
from a corpus."""


def default_split(kind: str) -> str:
    """Scores of learned extraction are quoted on held-out files; untrained kinds read them all."""
    return "all" if kind in UNTRAINED_KINDS else "holdout"


def engine_names(option: str | None) -> list[str]:
    """``rapidocr,paddle`` as a list; the configured engine when not given."""
    names = [name.strip() for name in (option or "").split(",") if name.strip()]
    return list(dict.fromkeys(names)) or [default_engine()]


def plan(kind: str, root: Path, *, engines: str | None, split: str | None, limit: int | None) -> Plan:
    """Read the folder and choose its samples; raises ``CorpusError`` when the layout is not the kind's."""
    corpus = read_corpus(kind, root)
    split = split or default_split(kind)
    in_split = choose(corpus.samples, [s.name for s in corpus.samples], split)
    samples = in_split if limit is None else in_split[:limit]
    selection = Selection(kind, str(root), split, limit, len(corpus.samples), len(in_split), len(samples),
                          corpus.skipped, corpus.fields)
    return Plan(corpus, samples, engine_names(engines), selection)


def measure(chosen: Plan, progress: Callable[[int], None] = lambda done: None) -> tuple[list[EngineRun],
                                                                                         list[RunSummary]]:
    """Every chosen sample through the pipeline with each engine, and the numbers of each engine's run."""
    extract = chosen.selection.kind != OCR_ONLY
    runs = run_engines(chosen.samples, chosen.engines, extract=extract, progress=progress)
    return runs, [summarise(run, chosen.corpus.fields, extracted=extract) for run in runs]
