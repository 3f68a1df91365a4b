"""``ledgerdesk train classifier``: the document-type model rebuilt from three sources.

- generated documents of every type in English, Chinese and German (``ledgerdesk.training.synthetic``), read
  from their PDFs' text layers as the workers read them;
- the corpora's documents (``ledgerdesk.evaluation.classification``) that are not held out for evaluation;
- documents clerks confirmed (``--from-db``): the stored words of their pages and the type of their latest
  human extraction.

Seeded throughout: the same sources and seed give the same model."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from extraction.classify import MODEL_FILE
from extraction.learned.doc_classifier import DocumentClassifier, TrainingOptions, train_classifier
from extraction.learned.doc_features import DocumentText, document_text, features
from extraction.model import PageText, word_from_json
from models.document import DOC_TYPES

Say = Callable[[str], None]
LANGUAGES = ("en", "zh", "de")
HEAD_LINES = (3, 12)
"""Generated documents are also learned from their first few lines (a number in this range), so that a short
document, or a page whose OCR read little, is still recognised."""


@dataclass(frozen=True)
class Example:
    """One labelled document, reduced to its text and layout."""

    document: DocumentText
    doc_type: str
    origin: str
    """``synthetic``, ``corpus:<folder>`` or ``database``."""


@dataclass(frozen=True)
class TrainingPlan:
    synthetic: int = 600
    """Generated documents (spread over the types and languages); 0 for none."""
    corpora: Path | None = None
    cache_dir: Path | None = None
    """The page cache of corpus files' words (``var/cache/pages``)."""
    engine: str = "rapidocr"
    """The OCR engine for corpus photos not cached yet."""
    from_db: bool = False
    seed: int = 7


def synthetic_examples(count: int, seed: int, say: Say = print) -> list[Example]:
    """``count`` generated documents of every type and language the generator draws, read from their PDFs' text
    layers."""
    from ledgerdesk.training.page_cache import read_pages
    from ledgerdesk.training.synthetic import ALL_TYPES, synthetic_documents

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it logs every font subset at INFO
    examples = []
    for made in synthetic_documents(count, seed=seed, doc_types=ALL_TYPES, languages=LANGUAGES):
        examples.append(Example(document_text(read_pages(made.pdf, None)), made.doc_type, "synthetic"))
        if len(examples) % 100 == 0:
            say(f"  generated {len(examples)}/{count}")
    return examples


def corpus_examples(root: Path, cache_dir: Path, engine: str, say: Say = print) -> list[Example]:
    """The corpora's documents that are not held out, with their folder's type."""
    from ledgerdesk.evaluation.classification import CorpusWords, read_typed, typed_files
    from ledgerdesk.evaluation.split import is_held_out

    files = [typed for typed in typed_files(root) if not is_held_out(typed.name)]
    done = Counter()

    def tick(count: int) -> None:
        done["files"] += count
        if done["files"] % 50 == 0 or done["files"] == len(files):
            say(f"  read {done['files']}/{len(files)} corpus files")

    read, failed = read_typed(files, CorpusWords(cache_dir, engine), tick)
    for name, reason in failed:
        say(f"  left out {name}: {reason}")
    return [Example(document_text(pages), typed.doc_type, f"corpus:{_folder(root, typed.path)}")
            for typed, pages in read]


def _folder(root: Path, path: Path) -> str:
    return path.relative_to(root).parts[0]


def database_examples(say: Say = print) -> list[Example]:
    """Documents whose latest human extraction names their type, with the words stored for their pages."""
    from core.db import transaction

    with transaction(read_only=True) as session:
        labelled = confirmed_pages(session)
    say(f"  {len(labelled)} confirmed documents in the database")
    return [Example(document_text(pages), doc_type, "database") for pages, doc_type in labelled]


def confirmed_pages(session) -> list[tuple[list[PageText], str]]:
    """(pages, type) of every document with a human extraction that names a type, the latest one deciding."""
    from sqlalchemy import func, select

    from models.document import Extraction, Page

    latest = (select(Extraction.document_id, func.max(Extraction.version).label("version"))
              .where(Extraction.kind == "human").group_by(Extraction.document_id).subquery())
    query = (select(Extraction.document_id, Extraction.doc_type)
             .join(latest, (latest.c.document_id == Extraction.document_id) & (latest.c.version == Extraction.version))
             .order_by(Extraction.document_id))
    types = {document_id: doc_type for document_id, doc_type in session.execute(query) if doc_type in DOC_TYPES}
    pages: dict = {}
    for page in session.scalars(select(Page).where(Page.document_id.in_(types)).order_by(Page.number)):
        pages.setdefault(page.document_id, []).append(_page_text(page))
    return [(pages[document_id], types[document_id]) for document_id in sorted(pages, key=str)]


def _page_text(page) -> PageText:
    return PageText(page.number, page.width, page.height, page.source, tuple(map(word_from_json, page.words or [])))


def head_crops(examples: Sequence[Example], seed: int) -> list[Example]:
    """The first lines of each generated example, as an example of its own."""
    rng, crops = random.Random(seed), []
    for example in examples:
        lines = example.document.lines
        if example.origin == "synthetic" and len(lines) > HEAD_LINES[0] + 1:
            kept = rng.randint(HEAD_LINES[0], min(HEAD_LINES[1], len(lines) - 1))
            crops.append(Example(replace(example.document, lines=lines[:kept]), example.doc_type, "synthetic:head"))
    return crops


def gather(plan: TrainingPlan, say: Say = print) -> list[Example]:
    """Every example the plan names, in a fixed order."""
    examples: list[Example] = []
    if plan.synthetic:
        say(f"generating {plan.synthetic} documents (seed {plan.seed})")
        made = synthetic_examples(plan.synthetic, plan.seed, say)
        examples += made + head_crops(made, plan.seed)
    if plan.corpora is not None:
        say(f"reading the corpora in {plan.corpora} (held-out files excluded)")
        examples += corpus_examples(plan.corpora, plan.cache_dir or Path("var/cache/pages"), plan.engine, say)
    if plan.from_db:
        say("reading confirmed documents from the database")
        examples += database_examples(say)
    return examples


def train(examples: Sequence[Example], *, seed: int, say: Say = print) -> DocumentClassifier:
    """A classifier trained on ``examples`` (the empty ones left out: a page without text is ``other`` anyway)."""
    from core.embeddings import shared_encoder

    usable = [e for e in examples if any(line.strip() for line in e.document.lines)]
    if not usable:
        raise ValueError("no training documents with text; give --corpora, --synthetic or --from-db")
    say(f"computing features of {len(usable)} documents ({len(examples) - len(usable)} without text left out)")
    rows = features([e.document for e in usable], shared_encoder())
    say(f"training on {rows.shape[0]} x {rows.shape[1]} features")
    return train_classifier(rows, [e.doc_type for e in usable], DOC_TYPES, TrainingOptions(seed=seed),
                            info=training_info(usable, seed))


def training_info(examples: Iterable[Example], seed: int) -> dict:
    """What the model was trained on, kept in its file."""
    by_type = Counter(e.doc_type for e in examples)
    by_origin = Counter(e.origin for e in examples)
    return {"seed": seed, "documents": dict(sorted(by_type.items())), "origins": dict(sorted(by_origin.items()))}


def default_output() -> Path:
    """Where a retrained model goes: the settings' model folder, where it wins over the shipped one."""
    from core.settings import get_settings

    return get_settings().models_dir / MODEL_FILE


def run(plan: TrainingPlan, output: Path, say: Say = print) -> DocumentClassifier:
    """Gather, train, save; says what it does as it goes."""
    examples = gather(plan, say)
    say("examples by type: " + ", ".join(f"{t} {n}" for t, n in sorted(Counter(e.doc_type for e in examples).items())))
    model = train(examples, seed=plan.seed, say=say)
    model.save(output)
    say(f"saved {output} ({output.stat().st_size / 1024:.0f} KB)")
    return model
