"""Training the layout field model (``extraction/learned/layout_fields.py``) from labelled documents.

A labelled document is its lines, its type and the values a person says it holds. The candidates whose value
equals a labelled value (compared the way the evaluation compares them) are the right answers; for names and
addresses that OCR read with a slip, the closest candidate counts when it is nearly equal, so the model learns
where such fields are. A field a source does not label is left out of training for that document; a field a
source labels completely (the synthetic documents) and that is missing means "not on this document"."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.embeddings import Encode
from extraction.fields import fields_for
from extraction.layout import document_lines
from extraction.learned.candidates import Candidate
from extraction.learned.layout_fields import DOC_TYPES as LAYOUT_TYPES
from extraction.learned.layout_fields import FIELD_KINDS, LAYOUT_SPEC, scored_document
from extraction.learned.scorer import ABSENT, FieldScorer, ScoredDocument, TrainingOptions, train_scorer
from extraction.model import Line
from ledgerdesk.evaluation.metrics import normalise

NEARLY_EQUAL = 0.9
"""How alike (0..1) an OCR'd name or address must be to its label to be taught as the right place."""
FUZZY_FIELDS = {"vendor_name", "vendor_address", "customer_name", "merchant_name", "merchant_address",
                "employee_name", "purpose", "payment_terms", "payment_method"}


@dataclass(frozen=True)
class LabelledDocument:
    name: str
    lines: list[Line]
    doc_type: str
    values: dict[str, str]
    complete: bool
    """Whether every field of the type printed on the document is labelled (then a missing one is absent)."""


def training_document(labelled: LabelledDocument, encode_lines: Encode, *, exact: bool = False) -> ScoredDocument:
    """The document's candidates, features and the right candidates per field (``exact``: see ``targets``)."""
    found, document = scored_document(labelled.lines, labelled.doc_type, encode_lines)
    document.targets = targets(found, labelled, exact=exact)
    return document


def targets(found: list[Candidate], labelled: LabelledDocument, *, exact: bool = False) -> dict[str, list[int]]:
    """Field -> indices of the candidates holding its labelled value (``[ABSENT]`` when it is not printed).

    ``exact`` (calibration): a labelled value no candidate holds exactly has no right candidate, so the
    confidence learns to mean "this value is exactly right", OCR slips included."""
    result = {}
    for name in fields_for(labelled.doc_type):
        if name not in FIELD_KINDS:
            continue
        if name in labelled.values:
            indices = matching_candidates(found, name, labelled.values[name], fuzzy=not exact)
            if indices or exact:
                result[name] = indices or [ABSENT]
        elif labelled.complete:
            result[name] = [ABSENT]
    return result


def matching_candidates(found: list[Candidate], name: str, value: str, *, fuzzy: bool = True) -> list[int]:
    """The candidates of a field's kinds whose value is the labelled one, else (names and addresses, when
    ``fuzzy``) the nearly equal ones."""
    kinds, wanted = FIELD_KINDS[name], _compared(name, value)
    allowed = [(i, _compared(name, c.value)) for i, c in enumerate(found) if c.kind in kinds]
    exact = [i for i, seen in allowed if seen == wanted]
    if exact or not fuzzy or name not in FUZZY_FIELDS:
        return exact
    scored = [(difflib.SequenceMatcher(None, seen, wanted).ratio(), i) for i, seen in allowed]
    best = max((ratio for ratio, _ in scored), default=0.0)
    return [i for ratio, i in scored if ratio == best] if best >= NEARLY_EQUAL else []


def _compared(name: str, value: str) -> str:
    text = normalise(name, value)
    return text.replace(" ", "") if name.endswith(("_iban", "_tax_id")) else text


def train_layout_model(training: Iterable[LabelledDocument], calibration: Iterable[LabelledDocument], *,
                       options: TrainingOptions, encode_lines: Encode,
                       progress: Callable[[str], None] = print) -> FieldScorer:
    """A layout field model trained on ``training`` and calibrated on ``calibration`` (exact values only)."""
    learn = _featurized(training, encode_lines, "training", progress)
    check = _featurized(calibration, encode_lines, "calibration", progress, exact=True)
    progress(f"training on {len(learn)} documents, calibrating on {len(check)}")
    info = {"trained_on": len(learn), "calibrated_on": len(check), "epochs": options.epochs, "seed": options.seed}
    return train_scorer(LAYOUT_SPEC, learn, check, options, info)


def _featurized(documents: Iterable[LabelledDocument], encode_lines: Encode, what: str,
                progress: Callable[[str], None], *, exact: bool = False) -> list[ScoredDocument]:
    featurized = []
    for count, labelled in enumerate(documents, 1):
        featurized.append(training_document(labelled, encode_lines, exact=exact))
        if count % 100 == 0:
            progress(f"{what}: {count} documents read")
    return featurized


def sroie_documents(root: Path, pages_of: Callable[[Path], list], names: Sequence[str] | None = None):
    """SROIE receipts as labelled documents (company, date, address, total; the rest not labelled)."""
    from ledgerdesk.evaluation.corpora import read_sroie

    for sample in read_sroie(root).samples:
        if names is None or sample.name in names:
            yield LabelledDocument(sample.name, document_lines(pages_of(sample.path)), "receipt",
                                   {k: str(v) for k, v in sample.expected.items()}, complete=False)


def synthetic_layout_documents(count: int, *, seed: int):
    """Generated invoices, receipts and expense claims (English, German, French and Chinese) with every printed field
    labelled."""
    from ledgerdesk.training.page_cache import read_pages
    from ledgerdesk.training.synthetic import synthetic_documents

    for index, generated in enumerate(synthetic_documents(count, seed=seed, doc_types=LAYOUT_TYPES,
                                                          languages=("en", "zh", "de", "fr"))):
        values = {k: str(v) for k, v in generated.fields.items() if k in FIELD_KINDS and v is not None}
        yield LabelledDocument(f"synthetic-{seed}-{index}", document_lines(read_pages(generated.pdf, None)),
                               generated.doc_type, values, complete=True)


def einvoice_page_documents(root: Path, pages_of: Callable[[Path], list]):
    """The printed pages of the e-invoice PDFs, labelled with the XML inside them (names, addresses and totals
    as the XML states them, which the page may print a little differently)."""
    from ledgerdesk.evaluation.corpora import read_invoice_pages

    for sample in read_invoice_pages(root).samples:
        values = {k: str(v) for k, v in sample.expected.items() if k in FIELD_KINDS}
        yield LabelledDocument(sample.name, document_lines(pages_of(sample.path)), "invoice", values, complete=False)


def corpus_documents(corpora: Path, cache: Path, progress: Callable[[str], None]) -> list[LabelledDocument]:
    """The labelled documents of the corpora folder that are not held out: SROIE receipts (read by OCR, once,
    then from ``cache``) and the printed pages of the e-invoice PDFs."""
    from ledgerdesk.evaluation.split import is_held_out
    from ledgerdesk.training.page_cache import PageCache, lazy_ocr_reader

    documents: list[LabelledDocument] = []
    if (corpora / "sroie").is_dir():
        progress("reading SROIE receipts (OCR on the first run, then from the cache)")
        documents += sroie_documents(corpora / "sroie", PageCache(cache, "rapidocr", lazy_ocr_reader("rapidocr")).pages)
    if (corpora / "einvoice").is_dir():
        documents += einvoice_page_documents(corpora / "einvoice", PageCache(cache, "none", None).pages)
    return [d for d in documents if d.lines and not is_held_out(d.name)]


def train_extraction(corpora: Path | None, out: Path, *, cache: Path, synthetic: int, options: TrainingOptions,
                     progress: Callable[[str], None] = print) -> FieldScorer:
    """The layout field model from the corpora (held-out files excluded) and ``synthetic`` generated documents,
    written to ``out``. Every fourth corpus document calibrates the confidences instead of training: real
    documents, because generated ones are easier and would make the model sure of itself where it should not be
    (without corpora, every fifth generated document calibrates)."""
    from core.embeddings import shared_encoder
    from ledgerdesk.training.page_cache import EmbeddingCache

    real = corpus_documents(corpora, cache, progress) if corpora else []
    progress(f"{len(real)} corpus documents; generating {synthetic} synthetic ones")
    generated = list(synthetic_layout_documents(synthetic, seed=options.seed))
    learn, check = calibration_split(real, generated)
    lines = EmbeddingCache(cache / "line_embeddings", shared_encoder().encode_lines)
    try:
        model = train_layout_model(learn, check, options=options, encode_lines=lines.encode, progress=progress)
    finally:
        lines.save()
    model.save(out)
    return model


def calibration_split(real: list[LabelledDocument], generated: list[LabelledDocument]):
    """(training, calibration): every fourth real document calibrates; every fifth generated one when there are
    no real documents."""
    if real:
        return [d for i, d in enumerate(real) if i % 4] + generated, real[::4]
    return [d for i, d in enumerate(generated) if i % 5], generated[::5]
