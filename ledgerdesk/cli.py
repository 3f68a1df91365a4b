"""The ``ledgerdesk`` command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from core.db import transaction
from core.embedded_redis import EmbeddedRedisError
from core.errors import LedgerdeskError, MasterDataRejected, RuleConflict
from core.logs import configure_logging
from core.queue import QUEUES
from core.settings import get_settings
from ledgerdesk.startup import StartupError, check_database, check_port_free, load_settings
from posting.exports.filters import EXPORTED_STATUSES
from posting.exports.formats import FORMATS as EXPORT_FORMATS
from posting.masterdata.files import FORMATS
from posting.masterdata.records import TABLES
from posting.masterdata.seeds import CHARTS

EXPECTED_FAILURES = (StartupError, LedgerdeskError, EmbeddedRedisError)
"""Failures a person can fix (settings, database, input): one line on stderr and exit status 2, no traceback."""


class LedgerdeskGroup(click.Group):
    """The ``ledgerdesk`` group: any command's expected failure becomes ``error: ...`` and exit status 2."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except EXPECTED_FAILURES as failure:
            detail = failure.detail if isinstance(failure, LedgerdeskError) else str(failure)
            click.echo(f"error: {detail}", err=True)
            ctx.exit(2)


class DatabaseCommand(click.Command):
    """A command that needs the database: it connects once before it runs, so a bad URL is one clear line."""

    def invoke(self, ctx: click.Context):
        check_database(get_settings())
        return super().invoke(ctx)


@click.group(cls=LedgerdeskGroup)
def main() -> None:
    """ledgerdesk: document processing for finance teams. Settings come from LEDGERDESK_* variables or .env."""
    configure_logging(load_settings())


@main.command(cls=DatabaseCommand)
def migrate() -> None:
    """Bring the database schema up to date."""
    from models.migrate import upgrade_to_head

    upgrade_to_head(get_settings().resolved_database_url)
    click.echo("database is up to date", err=True)


@main.command(cls=DatabaseCommand)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="rq worker processes; the first takes ordinary documents only, the others large ones too")
def up(host: str, port: int, workers: int) -> None:
    """Migrate, then run API, workers and scheduler (and the embedded Redis), restarting any that dies;
    Ctrl-C stops all."""
    check_port_free(host, port)  # first: a busy port is one line, before alembic logs as it loads

    from ledgerdesk.demo import DEMO_PASSWORD, demo_email
    from ledgerdesk.supervisor import run_all
    from core.permissions import Role
    from models.migrate import upgrade_to_head

    settings = get_settings()
    upgrade_to_head(settings.resolved_database_url)

    def announce() -> None:
        click.echo(f"\n  ledgerdesk is running at http://{host}:{port}/   (API docs: http://{host}:{port}/docs)")
        if settings.env == "development":
            click.echo(f"  sign in as {demo_email(Role.CLERK)} / {DEMO_PASSWORD} (or admin@, approver@ ... same password)")
        click.echo("  Ctrl-C stops everything.\n")

    sys.exit(run_all(settings, host=host, port=port, workers=workers, on_ready=announce))


@main.command(cls=DatabaseCommand)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def api(host: str, port: int) -> None:
    """Run the HTTP API and pages."""
    import uvicorn

    from core.queue import redis_url

    # Start an embedded Redis now, on the main thread: the kernel's death signal that stops it with this
    # process is tied to the thread that starts it, and request threads come and go.
    redis_url()
    uvicorn.run("ledgerdesk.app:create_app", factory=True, host=host, port=port, log_config=None)


@main.command(cls=DatabaseCommand)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty")
@click.option("--queue", "queues", multiple=True, type=click.Choice(QUEUES), default=QUEUES, show_default=True,
              help="a queue to take jobs from, highest priority first (repeatable)")
def worker(burst: bool, queues: tuple[str, ...]) -> None:
    """Run an rq worker."""
    from workers.runner import run_worker

    run_worker(burst=burst, queues=tuple(queues))


@main.command(cls=DatabaseCommand)
def scheduler() -> None:
    """Run the scheduler (moves outbox rows that missed the queue onto it)."""
    from workers.runner import run_scheduler

    run_scheduler()


@main.command(cls=DatabaseCommand)
@click.argument("email")
@click.option("--role", required=True, help="employee, clerk, approver, accountant, admin or auditor")
@click.option("--company", "company_slug", default=None, help="company slug (created if missing); default: the first")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", default="", help="full name")
def createuser(email: str, role: str, company_slug: str | None, password: str, name: str) -> None:
    """Create a user who signs in with EMAIL."""
    from ledgerdesk.admin import create_user, first_company, get_or_create_company

    with transaction() as session:
        company = get_or_create_company(session, company_slug) if company_slug else first_company(session)
        user = create_user(session, company=company, email=email, role=role, password=password, full_name=name)
        click.echo(f"created {user.email} ({user.role}) in company {company.slug}", err=True)


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create", cls=DatabaseCommand)
@click.option("--name", required=True, help="what the token is for")
@click.option("--user", "email", default=None, help="the user it acts as; default: the first company's admin")
def token_create(name: str, email: str | None) -> None:
    """Create an API token and print it (alone) on standard output."""
    from ledgerdesk.admin import create_token, find_user, first_admin

    with transaction() as session:
        user = find_user(session, email) if email else first_admin(session)
        plain = create_token(session, user=user, name=name)
    click.echo(plain)


@main.command("audit-verify", cls=DatabaseCommand)
@click.option("--company", "company_slug", default=None, help="company slug; default: every company")
def audit_verify(company_slug: str | None) -> None:
    """Check every company's audit chain; exits 1 and lists the problems if any event was changed."""
    from sqlalchemy import select

    from core.audit import seal_pending, verify_chain
    from core.identity import Company

    seal_pending()
    with transaction(read_only=True) as session:
        query = select(Company).order_by(Company.slug)
        companies = session.scalars(query.where(Company.slug == company_slug) if company_slug else query).all()
        problems = [(company.slug, problem) for company in companies for problem in verify_chain(session, company.id)]
    for slug, problem in problems:
        click.echo(f"{slug}: event {problem.seq} ({problem.event_id}): {problem.problem}")
    click.echo(f"{len(companies)} compan{'y' if len(companies) == 1 else 'ies'} checked, {len(problems)} problem(s)",
               err=True)
    sys.exit(1 if problems else 0)


@main.command("import-master", cls=DatabaseCommand)
@click.argument("table", type=click.Choice(tuple(TABLES)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--company", "company_slug", required=True, help="the slug of the company whose master data it is")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None, help="default: as the file's name says")
def import_command(table: str, path: Path, company_slug: str, fmt: str | None) -> None:
    """Import master data from a CSV or YAML file (its columns: docs/master-data.md). Every row is checked first;
    then all are written, or, if any is wrong, none (each error on a line, exit status 2)."""
    from ledgerdesk.admin import ADMIN_ACTOR, find_company
    from posting.masterdata.files import file_format
    from posting.masterdata.service import Editor, import_file

    with transaction() as session, _listing_rows_refused():
        editor = Editor(find_company(session, company_slug).id, ADMIN_ACTOR)
        plan = import_file(session, editor, table, path.read_bytes(), file_format(fmt, None, path.name), path.name)
    click.echo(f"{table}: {plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged", err=True)


@main.command("import-rules", cls=DatabaseCommand)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--company", "company_slug", required=True, help="the slug of the company whose posting rules they are")
@click.option("--replace", is_flag=True, help="delete the company's rules first (default: add the file's after them)")
def import_rules_command(path: Path, company_slug: str, replace: bool) -> None:
    """Import posting rules from a YAML or JSON file (docs/examples/posting-rules.yaml), in its order. Every rule is
    read and the whole list checked first; then all are written, or, if any is wrong, none (each error or problem
    on a line, exit status 2)."""
    from ledgerdesk.admin import ADMIN_ACTOR, find_company
    from posting.masterdata.service import Editor
    from posting.rules.service import import_rules

    with transaction() as session, _listing_rows_refused(), _listing_rule_problems():
        editor = Editor(find_company(session, company_slug).id, ADMIN_ACTOR)
        summary = import_rules(session, editor, path.read_bytes(), "replace" if replace else "append", path.name)
    click.echo(f"posting rules: {summary.created} imported, {summary.deleted} deleted", err=True)


@main.command("seed-chart", cls=DatabaseCommand)
@click.argument("chart", type=click.Choice(CHARTS))
@click.option("--company", "company_slug", required=True, help="the slug of the company")
@click.option("--replace", is_flag=True,
              help="deactivate the company's accounts and tax codes the chart does not have (to switch charts)")
def seed_chart_command(chart: str, company_slug: str, replace: bool) -> None:
    """Give a company the accounts and tax codes of a seed chart: ifrs (generic IFRS-style) or cn-cas (企业会计准则)."""
    from ledgerdesk.admin import ADMIN_ACTOR, find_company
    from posting.masterdata.service import Editor, seed_chart

    with transaction() as session, _listing_rows_refused():
        editor = Editor(find_company(session, company_slug).id, ADMIN_ACTOR)
        plans = seed_chart(session, editor, chart, "replace" if replace else "merge")
    for table, plan in plans.items():
        click.echo(f"{table}: {plan.created} created, {plan.updated} updated, {plan.unchanged} unchanged", err=True)


@main.group()
def export() -> None:
    """Exports of approved and posted vouchers (columns and formats: docs/posting.md)."""


@export.command("vouchers", cls=DatabaseCommand)
@click.option("--company", "company_slug", required=True, help="the slug of the company")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default=None,
              help="default: csv (with --batch, the batch's own)")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="the first voucher date")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="the last voucher date")
@click.option("--period", default=None, help="a month, YYYY-MM")
@click.option("--status", type=click.Choice(EXPORTED_STATUSES), default=None, help="default: both")
@click.option("--batch", "batch_id", type=click.UUID, default=None, help="download this batch again, byte for byte")
@click.option("--include-exported", is_flag=True,
              help="write every matching voucher, exported or not, and make no batch")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="the file to write")
def export_vouchers_command(company_slug: str, fmt: str | None, start, end, period: str | None, status: str | None,
                            batch_id, include_exported: bool, output: Path) -> None:
    """Export the matching vouchers not exported before as a new batch (each marked, never exported by a batch
    again), as POST /api/v1/exports/vouchers does; or a batch again (--batch); or every matching voucher without a
    batch (--include-exported)."""
    from ledgerdesk.admin import find_company
    from posting.exports.filters import export_filter

    if batch_id and (start or end or period or status or include_exported):
        raise click.UsageError("--batch gives the batch as it was exported: leave out the other filters")
    with transaction() as session:
        company = find_company(session, company_slug)
        wanted = export_filter(start=start and start.date(), end=end and end.date(), period=period, status=status)
        made = _export_file(session, company.id, wanted, fmt, batch_id, include_exported)
        output.write_bytes(made.content)  # before the batch commits: no voucher is marked without its file written
    batch = f"batch {made.batch_id}" if made.batch_id else "no batch"
    click.echo(f"{made.voucher_count} voucher(s), {batch}, written to {output}", err=True)


def _export_file(session, company_id, wanted, fmt: str | None, batch_id, include_exported: bool):
    """A batch again, every matching voucher without a batch, or a new batch of those not exported before."""
    from ledgerdesk.admin import ADMIN_ACTOR
    from posting.exports import service

    if batch_id:
        return service.batch_file(session, company_id, batch_id, fmt)
    if include_exported:
        return service.read_vouchers(session, company_id, wanted, fmt or "csv", include_exported=True)
    return service.create_batch(session, service.Exporter(company_id, ADMIN_ACTOR), wanted, fmt or "csv")


@contextmanager
def _listing_rows_refused() -> Iterator[None]:
    """Rows refused are listed one error a line on stderr before the one-line error of the refusal."""
    try:
        yield
    except MasterDataRejected as refused:
        for error in refused.errors:
            click.echo(f"row {error['row']}, {error['field'] or 'file'}: {error['message']}", err=True)
        raise


@contextmanager
def _listing_rule_problems() -> Iterator[None]:
    """Each problem of posting rules refused on a line on stderr before the one-line error of the refusal."""
    try:
        yield
    except RuleConflict as refused:
        for problem in refused.problems:
            click.echo(problem["message"], err=True)
        raise LedgerdeskError(f"{len(refused.problems)} problem(s) with the posting rules; nothing was written.") \
            from None


@main.command(cls=DatabaseCommand)
@click.option("--chart", type=click.Choice(CHARTS), default=None,
              help="the demo company's chart of accounts (default: the chart setting, ifrs unless set)")
def demo(chart: str | None) -> None:
    """Create a demo company with its chart, cost centres, employees, users for each role and a few invoices
    (idempotent).

    The invoices wait in the outbox; the scheduler of ``ledgerdesk up`` sends them to the workers.
    """
    from ledgerdesk.demo import DEMO_PASSWORD, seed_demo

    with transaction() as session:
        created = seed_demo(session, chart)
    for line in created:
        click.echo(f"created {line}", err=True)
    click.echo(f"demo ready; every demo user's password is {DEMO_PASSWORD!r}", err=True)


EVAL_KINDS = ("ocr", "sroie", "kleister", "einvoice", "invoice_pages", "cn_ofd", "generic", "classify", "bank",
              "suggestions")


@main.command("eval")
@click.argument("kind", type=click.Choice(EVAL_KINDS))
@click.argument("path", type=click.Path(exists=True, file_okay=False, path_type=Path), required=False)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="measure at most N files of the split")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object (with every file's outcome) instead")
@click.option("--engine", "engines", default=None, metavar="NAMES",
              help="OCR engines to compare, comma-separated (rapidocr,paddle; none: text layers only); "
                   "default: the configured one")
@click.option("--split", type=click.Choice(("holdout", "all")), default=None,
              help="holdout: the 20% of files held out by a hash of their name (the default, except for ocr); "
                   "all: every file")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="classify only: the cache of corpus files' words; default: DATA_DIR/cache/pages")
@click.option("--synthetic", type=click.IntRange(min=0), default=0,
              help="also measure N generated documents, reported apart: classify their types (every type), for the "
                   "field kinds the line items of invoices, receipts and expense claims")
@click.option("--count", type=click.IntRange(min=10), default=1000, show_default=True,
              help="suggestions only: the invoices of the generated history")
@click.option("--seed", type=int, default=7, show_default=True, help="suggestions only: the generator's seed")
def eval_command(kind: str, path: Path | None, limit: int | None, as_json: bool, engines: str | None,
                 split: str | None, cache_dir: Path | None, synthetic: int, count: int, seed: int) -> None:
    """Accuracy and speed of reading and extraction on a labelled folder (see docs/evaluation.md).

    KIND is the folder's layout: ocr or sroie (SROIE), kleister (Kleister NDA), einvoice, invoice_pages (the
    e-invoice PDFs read from their pages, scored against their XML), cn_ofd, generic (files and labels.json);
    classify measures document types over a corpora folder (sroie/, contracts_nda/, einvoice/, cn_ofd/); bank the
    bank statement readers' conformance on a folder of mt940/, camt/ and ofx/ statements with their expected outputs.
    Runs the pipeline in this process: no server, no database. suggestions (no PATH) measures learned account
    suggestions on a generated confirmed history, in a temporary database of its own.
    """
    if kind == "suggestions":
        _eval_suggestions(count, seed)
        return
    if path is None:
        raise click.UsageError(f"eval {kind} measures a labelled folder: give its PATH")
    if kind == "bank":
        _bank_eval(path, as_json)
        return
    if kind == "classify":
        from ledgerdesk.evaluation.classify_report import run_classify_eval

        run_classify_eval(path, split=split or "holdout", limit=limit, engine=engines, as_json=as_json,
                          cache_dir=cache_dir or _page_cache_dir(), synthetic=synthetic)
        return
    from ledgerdesk.evaluation.corpora import CorpusError
    from ledgerdesk.evaluation.measure import measure, plan
    from ledgerdesk.evaluation.generated_items import generated_heading
    from ledgerdesk.evaluation.report import items_json, items_table, json_report, text_report

    try:
        chosen = plan(kind, path, engines=engines, split=split, limit=limit)
    except CorpusError as exc:
        raise click.UsageError(str(exc)) from exc
    with click.progressbar(length=chosen.steps, label=f"eval {kind}", file=sys.stderr) as bar:
        runs, summaries = measure(chosen, progress=bar.update)
    generated = _generated_items(synthetic) if synthetic and kind != "ocr" else None
    if as_json:
        report = json_report(chosen.selection, runs, summaries)
        if generated is not None:
            report["generated_line_items"] = {name: items_json(counts) for name, counts in generated.items()}
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        click.echo(text_report(chosen.selection, summaries, runs), nl=False)
        if generated is not None:
            click.echo(f"\n{generated_heading(synthetic)}\n{items_table(generated)}")


def _bank_eval(root: Path, as_json: bool) -> None:
    """Conformance of the bank statement readers on a folder laid out as ~/data/corpora/bank."""
    from ledgerdesk.evaluation.bank import corpus_files, evaluate, json_report, report

    with click.progressbar(length=len(corpus_files(root)), label="eval bank", file=sys.stderr) as bar:
        outcomes = evaluate(root, progress=bar.update)
    if as_json:
        click.echo(json.dumps(json_report(outcomes, root), ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(report(outcomes, root), nl=False)


def _eval_suggestions(count: int, seed: int) -> None:
    from ledgerdesk.evaluation.suggestions import run_suggestion_eval, text_report

    with click.progressbar(length=count, label="eval suggestions", file=sys.stderr) as bar:
        scores = run_suggestion_eval(count, seed, progress=bar.update)
    click.echo(text_report(scores), nl=False)


def _generated_items(count: int):
    from ledgerdesk.evaluation.generated_items import generated_item_scores

    with click.progressbar(length=count, label="generated line items", file=sys.stderr) as bar:
        return generated_item_scores(count, progress=bar.update)


@main.group()
def train() -> None:
    """Rebuild the learned models from labelled documents (see docs/training.md and docs/evaluation.md)."""


def model_options(*, corpora: str, synthetic: int, synthetic_help: str, epochs: int):
    """The options of a command that rebuilds a shipped model from corpora and generated documents."""
    options = (
        click.option("--corpora", type=click.Path(file_okay=False, path_type=Path), default=None, help=corpora),
        click.option("--synthetic", type=click.IntRange(min=0), default=synthetic, show_default=True,
                     help=synthetic_help),
        click.option("--epochs", type=click.IntRange(min=1), default=epochs, show_default=True),
        click.option("--seed", type=int, default=7, show_default=True),
        click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="where to write the model; default: the one shipped in extraction/trained/"),
        click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("var/cache/pages"),
                     show_default=True, help="where the words of corpus files are kept between runs"),
    )

    def apply(command):
        for option in reversed(options):
            command = option(command)
        return command
    return apply


def _written(target: Path) -> None:
    click.echo(f"model written to {target} ({target.stat().st_size // 1024} KB)", err=True)


@train.command("extraction")
@model_options(corpora="a folder with sroie/ and einvoice/ (held-out files are never trained on)", synthetic=700,
               synthetic_help="generated invoices, receipts and expense claims to train on too", epochs=15)
def train_extraction_command(corpora: Path | None, synthetic: int, epochs: int, seed: int, out: Path | None,
                             cache: Path) -> None:
    """The layout field model of invoices, receipts and expense claims."""
    from extraction.learned.layout_fields import MODEL_FILE
    from extraction.learned.scorer import TrainingOptions
    from ledgerdesk.training.layout_fields import train_extraction

    target = out or MODEL_FILE
    train_extraction(corpora, target, cache=cache, synthetic=synthetic,
                     options=TrainingOptions(epochs=epochs, seed=seed), progress=lambda m: click.echo(m, err=True))
    _written(target)


@train.command("line-items")
@model_options(corpora="a folder with einvoice/ (its PDFs' XML is their truth; held-out files are never trained on)",
               synthetic=900, synthetic_help="generated invoices, receipts and expense claims to train on", epochs=40)
def train_line_items_command(corpora: Path | None, synthetic: int, epochs: int, seed: int, out: Path | None,
                             cache: Path) -> None:
    """The line model that finds the line items of invoices and receipts and the items of expense claims."""
    from extraction.learned.line_items import MODEL_FILE
    from extraction.learned.scorer import TrainingOptions
    from ledgerdesk.training.line_items import train_line_items

    target = out or MODEL_FILE
    try:
        train_line_items(corpora, target, cache=cache, synthetic=synthetic,
                         options=TrainingOptions(epochs=epochs, seed=seed), progress=lambda m: click.echo(m, err=True))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    _written(target)


@train.command("classifier")
@click.option("--corpora", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="a corpora folder (sroie/, contracts_nda/, einvoice/, cn_ofd/); its held-out files are never used")
@click.option("--synthetic", type=click.IntRange(min=0), default=600, show_default=True,
              help="generated documents of every type in English, Chinese and German")
@click.option("--from-db", is_flag=True, help="add the documents clerks confirmed (their latest human type)")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="the cache of corpus files' words; default: DATA_DIR/cache/pages")
@click.option("--engine", default="rapidocr", show_default=True, help="OCR engine for corpus photos not cached yet")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="the model file; default: the model folder (MODEL_DIR, or DATA_DIR/models), where it wins "
                   "over the shipped model")
def train_classifier_command(corpora: Path | None, synthetic: int, from_db: bool, seed: int, cache_dir: Path | None,
                             engine: str, output: Path | None) -> None:
    """Train the document-type classifier and save it (progress on standard error)."""
    from ledgerdesk.training.classifier import TrainingPlan, default_output, run

    if from_db:
        check_database(get_settings())
    plan = TrainingPlan(synthetic=synthetic, corpora=corpora, cache_dir=cache_dir or _page_cache_dir(),
                        engine=engine, from_db=from_db, seed=seed)
    try:
        run(plan, output or default_output(), say=lambda line: click.echo(line, err=True))
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc


@train.command("suggestions", cls=DatabaseCommand)
@click.option("--company", "company_slug", required=True, help="the slug of the company")
def train_suggestions_command(company_slug: str) -> None:
    """Learn a company's confirmed history again for its account suggestions: every expense and asset line of its
    approved and posted vouchers not reversed, embedded anew (after vouchers were imported, or the encoder changed).
    Approving a voucher learns its lines anyway."""
    from ledgerdesk.training.suggestions import relearn_suggestions

    relearned = relearn_suggestions(company_slug, progress=lambda line: click.echo(line, err=True))
    click.echo(f"{relearned.lines} confirmed lines of {relearned.vouchers} vouchers learned", err=True)


def _page_cache_dir() -> Path:
    return get_settings().data_dir / "cache" / "pages"


@train.command("contracts")
@click.option("--corpus", type=click.Path(exists=True, file_okay=False, path_type=Path), default=None,
              help="the Kleister NDA folder (expected.json, pdf/); held-out files are never trained on")
@click.option("--seed", type=int, default=7, show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="where to write the model; default: the one shipped in extraction/trained/")
@click.option("--cache", type=click.Path(file_okay=False, path_type=Path), default=Path("var/cache/pages"),
              show_default=True, help="where the words of corpus files are kept between runs")
def train_contracts_command(corpus: Path | None, seed: int, out: Path | None, cache: Path) -> None:
    """The contract field model (parties, dates, term, jurisdiction, value, ...), from Kleister NDA and generated
    contracts in English and Chinese."""
    from extraction.learned.contracts import MODEL_PATH
    from ledgerdesk.training.contracts import train_contract_model

    summary = train_contract_model(corpus, out or MODEL_PATH, seed=seed, cache=cache,
                                   progress=lambda m: click.echo(m, err=True))
    click.echo("\n".join(summary.lines()))

if __name__ == "__main__":
    main()
