"""Training the contract field model (``extraction/learned/contracts.py``) from labelled contracts.

Kleister NDA (``expected.json``: parties, effective date, jurisdiction, term) gives real contracts; only files the
hold-out split does not keep are read, and a seeded fifth of them calibrates the model (temperatures, the parties'
threshold) and reports its scores. Synthetic contracts (``ledgerdesk.training.synthetic``, English and Chinese)
teach the fields Kleister does not label (title, number, expiry, value, payment terms, renewal) and Chinese. A candidate is a right answer for a field when its value compares equal to the
label the way ``ledgerdesk eval`` compares them; a field the labels leave out is not trained on, one they have but
no candidate matches is skipped for that document."""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from extraction.layout import document_lines
from extraction.learned.contracts import (
    FIELD_KINDS, MULTIPLE, ContractCandidates, chosen_fields, contract_candidates, contract_spec,
)
from extraction.learned.scorer import ABSENT, FieldScorer, ScoredDocument, ScorerSpec, TrainingOptions, train_scorer
from extraction.learned.contract_candidates import durations, places
from extraction.learned.document_text import document_text
from extraction.model import Line, Word
from ledgerdesk.evaluation.corpora import parse_kleister_pairs
from ledgerdesk.evaluation.metrics import FieldCounts, Value, as_values, compare_field, normalise
from ledgerdesk.evaluation.split import is_held_out
from ledgerdesk.training.page_cache import EmbeddingCache

CALIBRATION_SHARE = 0.2
SYNTHETIC_CONTRACTS = 120
"""Synthetic contracts added to the training (half English, half Chinese); a fifth more calibrate."""
SYNTHETIC_OTHERS = 40
"""Generated letters, memos, statements and the like: dates, names and places that are no contract's fields."""
SHORTENED_EVERY = 3
"""Every third generated contract loses its term or its governing-law clause, so the model learns to leave a
field out rather than guess (the generator always writes both)."""
SHORTENED_FIELDS = ("term", "jurisdiction")
KLEISTER_FIELDS = ("parties", "effective_date", "jurisdiction", "term")
"""What the Kleister NDA labels say of every document (a missing one is not on it)."""
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))
OPTIONS = TrainingOptions(epochs=25, learning_rate=1e-3, weight_decay=1e-3, dropout=0.2)


@dataclass(frozen=True)
class LabelledContract:
    """A contract's lines and its truth: field -> value, None when the field is not on it; fields left out are
    unknown."""

    name: str
    lines: list[Line]
    truth: dict[str, Value | None]


@dataclass
class ContractTrainingSummary:
    """What a training run did and how the model scored on its calibration documents."""

    out: Path
    training_documents: int
    calibration_documents: int
    fields: tuple[str, ...]
    seconds: float
    size_bytes: int
    calibration: dict[str, dict[str, FieldCounts]] = field(default_factory=dict)
    """Source (``kleister``, ``synthetic``) -> field -> counts on the calibration contracts of that source."""
    thresholds: dict[str, float] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary as lines for a person: sizes, time and each field's calibration P/R/F1."""
        rows = [f"model {self.out} ({self.size_bytes / 1024:.0f} KiB), {self.training_documents} training and "
                f"{self.calibration_documents} calibration documents, {self.seconds:.0f} s"]
        for source, fields in self.calibration.items():
            for name, counts in fields.items():
                if counts.expected + counts.predicted:
                    rows.append(f"  {source:<10} {name:<16} P {_shown(counts.precision)}  R {_shown(counts.recall)}"
                                f"  F1 {_shown(counts.f1)}  ({counts.expected} expected)")
        return rows


def _shown(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def train_contract_model(corpus_root: Path | None, out: Path, *, seed: int,
                         progress: Callable[[str], None] = print, cache: Path | None = None) -> ContractTrainingSummary:
    """Train on the Kleister NDA folder ``corpus_root`` (its training part; None: generated contracts alone) and
    generated contracts, calibrate on a seeded fifth, and write the model to ``out``; the same inputs and seed give
    the same model. ``cache`` keeps the words of corpus files (default: the data folder's ``cache/pages``)."""
    from core.embeddings import shared_encoder

    started = time.perf_counter()
    contracts = kleister_contracts(corpus_root, page_reader(cache)) if corpus_root else []
    contracts += synthetic_contracts(SYNTHETIC_CONTRACTS + SYNTHETIC_CONTRACTS // 4, seed, progress)
    if not contracts:
        raise ValueError("no labelled contracts to train on: give the Kleister NDA folder")
    learn, check = calibration_split(contracts, seed)
    progress(f"{len(learn)} training and {len(check)} calibration contracts")
    fields = tuple(name for name in FIELD_KINDS if any(name in c.truth for c in contracts))
    spec = contract_spec(fields)
    sentences = EmbeddingCache(data_dir() / "cache" / "contract_sentences", shared_encoder().encode)
    learn_docs = featurized(learn, spec, sentences.encode, "training", progress)
    check_docs = featurized(check, spec, sentences.encode, "calibration", progress)
    sentences.save()
    progress(f"training the chooser for {', '.join(fields)}")
    scorer = train_scorer(spec, [d for _, d in learn_docs], [d for _, d in check_docs],
                          TrainingOptions(**{**OPTIONS.__dict__, "seed": seed}), {"producer": "contract-fields/1"})
    thresholds = fitted_thresholds(scorer, check, [f for f, _ in check_docs])
    scorer.info = {**scorer.info, "thresholds": thresholds, "seed": seed, "documents": len(learn)}
    scorer.save(out)
    counts = {source: scored(scorer, *_from_source(check, [f for f, _ in check_docs], source), fields)
              for source in ("kleister", "synthetic")}
    return ContractTrainingSummary(out, len(learn), len(check), fields, time.perf_counter() - started,
                                   out.stat().st_size, counts, thresholds)


def data_dir() -> Path:
    from core.settings import get_settings

    return Path(get_settings().data_dir)


def _from_source(contracts: Sequence[LabelledContract], found: Sequence[ContractCandidates],
                 source: str) -> tuple[list[LabelledContract], list[ContractCandidates]]:
    pairs = [(c, f) for c, f in zip(contracts, found) if c.name.startswith("synthetic-") == (source == "synthetic")]
    return [c for c, _ in pairs], [f for _, f in pairs]


def page_reader(cache: Path | None = None) -> Callable[[Path], list]:
    """Pages of corpus files, their text layers kept in ``cache`` (default ``var/cache/pages``) under ``none``."""
    from ledgerdesk.training.page_cache import PageCache

    return PageCache(cache or data_dir() / "cache" / "pages", "none", None).pages


def kleister_contracts(root: Path, pages_of: Callable[[Path], list]) -> list[LabelledContract]:
    """The Kleister NDA files not held out, with their labels."""
    labels = json.loads((root / "expected.json").read_text("utf-8"))
    contracts = []
    for name, pairs in sorted(labels.items()):
        path = root / "pdf" / name
        if is_held_out(name) or not path.is_file():
            continue
        expected = parse_kleister_pairs(str(pairs))
        truth = {key: expected.get(key) for key in KLEISTER_FIELDS}
        contracts.append(LabelledContract(name, document_lines(pages_of(path)), truth))
    return contracts


def synthetic_contracts(count: int, seed: int, progress: Callable[[str], None]) -> list[LabelledContract]:
    """``count`` generated contracts in English and Chinese, read through their text layer, with their truth in
    the extractor's canonical forms; none when the generator is not installed."""
    try:
        from ledgerdesk.training.synthetic import synthetic_documents
    except ImportError:
        progress("no synthetic generator (ledgerdesk.training.synthetic): Kleister fields only")
        return []
    from ledgerdesk.training.page_cache import read_pages

    contracts = []
    for index, made in enumerate(synthetic_documents(count, seed=seed, doc_types=("contract",))):
        contract = LabelledContract(f"synthetic-{index:04d}-{made.language}", document_lines(read_pages(made.pdf, None)),
                                    synthetic_truth(made.fields))
        if index % SHORTENED_EVERY == 0:
            contract = shortened(contract, SHORTENED_FIELDS[index // SHORTENED_EVERY % 2], made.printed)
        contracts.append(contract)
    others = synthetic_documents(SYNTHETIC_OTHERS * count // SYNTHETIC_CONTRACTS, seed=seed + 1,
                                 doc_types=("other", "invoice", "bank_statement"))
    for index, made in enumerate(others):
        contracts.append(LabelledContract(f"synthetic-other-{index:04d}-{made.language}",
                                          document_lines(read_pages(made.pdf, None)), dict.fromkeys(FIELD_KINDS)))
    progress(f"{len(contracts)} synthetic documents drawn")
    return contracts


def shortened(contract: LabelledContract, name: str, printed: dict[str, str]) -> LabelledContract:
    """``contract`` without the lines that print field ``name``; every field whose printed text was on the
    contract and went with them is then not on it."""
    text = document_text(contract.lines)
    found = _printed_span(text.text, printed.get(name, ""))
    if found is None:
        return contract
    dropped = set(range(text.line_index(found[0]), text.line_index(found[1] - 1) + 1))
    lines = [line for index, line in enumerate(contract.lines) if index not in dropped]
    before, after = "".join(text.text.split()), "".join(document_text(lines).text.split())
    gone = {field for field, shown in printed.items()
            if isinstance(shown, str) and "".join(shown.split()) in before and "".join(shown.split()) not in after}
    truth = {field: None if field in gone else value for field, value in contract.truth.items()}
    return LabelledContract(contract.name, lines, truth)


def _printed_span(text: str, printed: str) -> tuple[int, int] | None:
    """Where ``printed`` stands in ``text``, whatever spaces or line breaks fall inside it."""
    if not printed.strip():
        return None
    pattern = r"\s*".join(re.escape(char) for char in "".join(printed.split()))
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def synthetic_truth(fields: dict[str, object]) -> dict[str, Value | None]:
    """The generator's truth in the extractor's forms (``two (2) years`` -> ``2 years``, ``the State of
    Delaware`` -> ``Delaware``); the fields it did not write are not on the contract."""
    truth: dict[str, Value | None] = {name: None for name in FIELD_KINDS}
    for name, value in fields.items():
        if name in FIELD_KINDS:
            truth[name] = tuple(map(str, value)) if isinstance(value, (list, tuple)) else str(value)
    for name, finder in (("term", durations), ("jurisdiction", places)):
        if isinstance(truth.get(name), str):
            found = list(finder(document_text([_single_line(truth[name])])))
            truth[name] = found[0].value if found else truth[name]
    return truth


def _single_line(text: str) -> Line:
    """``text`` as one line of words (to run a finder over a label)."""
    return Line(1, tuple(Word(word, (0.0, 0.0, 0.1, 0.1)) for word in text.split()))


def calibration_split(contracts: Sequence[LabelledContract], seed: int) -> tuple[list[LabelledContract],
                                                                                    list[LabelledContract]]:
    """A seeded ``CALIBRATION_SHARE`` of the contracts set apart for calibration."""
    order = sorted(contracts, key=lambda c: c.name)
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(order) * CALIBRATION_SHARE))
    return order[cut:], order[:cut]


def featurized(contracts: Iterable[LabelledContract], spec: ScorerSpec, encode, what: str,
               progress: Callable[[str], None]) -> list[tuple[ContractCandidates, ScoredDocument]]:
    """Each contract's candidates and features, with the targets its truth gives."""
    documents = []
    for count, contract in enumerate(contracts, start=1):
        found = contract_candidates(contract.lines, encode)
        scored = found.scored(spec)
        scored.targets = targets(found, contract.truth, spec)
        documents.append((found, scored))
        if count % 25 == 0:
            progress(f"{what}: {count} contracts read")
    return documents


def targets(found: ContractCandidates, truth: dict[str, Value | None], spec: ScorerSpec) -> dict[str, list[int]]:
    """Field -> the candidates holding its value, ``[ABSENT]`` when it is not on the document; fields whose value
    no candidate holds are left out."""
    result = {}
    for name in spec.fields:
        if name not in truth:
            continue
        wanted = {compared(name, v) for v in as_values(truth[name])}
        if not wanted:
            result[name] = [ABSENT]
            continue
        kinds = spec.field_kinds[name]
        hits = [i for i, c in enumerate(found.candidates) if c.kind in kinds and compared(name, c.value) in wanted]
        if hits:
            result[name] = hits
    return result


def compared(name: str, value: str) -> str:
    """A value as the evaluation compares it, ``&`` read as ``and`` (Kleister writes ``and``, the synthetic
    truth prints ``&``)."""
    return normalise(name, value.replace("&", " and "))


def fitted_thresholds(scorer: FieldScorer, contracts: Sequence[LabelledContract],
                      found: Sequence[ContractCandidates]) -> dict[str, float]:
    """For each ``multiple`` field, the probability a candidate needs that gives the best F1 on the
    calibration contracts."""
    thresholds = {}
    for name in MULTIPLE:
        if name not in scorer.spec.fields:
            continue
        def f1(threshold: float) -> float:
            return scored(scorer, contracts, found, (name,), {name: threshold})[name].f1 or 0.0
        thresholds[name] = max(THRESHOLDS, key=f1)
    return thresholds


def scored(scorer: FieldScorer, contracts: Sequence[LabelledContract], found: Sequence[ContractCandidates],
           fields: Sequence[str], thresholds: dict[str, float] | None = None) -> dict[str, FieldCounts]:
    """Entity-level counts per field of the model's choices against the truth, as ``ledgerdesk eval`` counts."""
    totals = {name: FieldCounts() for name in fields}
    for contract, candidates in zip(contracts, found):
        chosen = chosen_fields(scorer, candidates, thresholds)
        for name in fields:
            if name in contract.truth:
                predicted = chosen[name].value if name in chosen else None
                totals[name] += compare_field(name, _with_and(contract.truth[name]), _plain(predicted))
    return totals


def _with_and(value: Value | None) -> Value | None:
    """A truth value with ``&`` written ``and``, as the extractor writes names."""
    if value is None:
        return None
    if isinstance(value, str):
        return " ".join(value.replace("&", " and ").split())
    return tuple(_with_and(v) for v in value)


def _plain(value: object) -> Value | None:
    if value is None:
        return None
    return tuple(map(str, value)) if isinstance(value, list) else str(value)
