"""``ledgerdesk eval suggestions`` (the learned suggestions against the vendor's usual account, on a generated history)
and ``ledgerdesk train suggestions`` (a company's history learned again), run as commands."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import delete, func, select

from core.db import transaction
from ledgerdesk.cli import main
from ledgerdesk.evaluation.confirmed_history import VOCABULARY, confirmed_history
from models import AccountExample, Vendor, Voucher
from posting import service as posting_service
from tests.posting.documents import as_principal, route, stored_document, voucher_of


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def correct_of_all(report: str, method: str) -> float:
    [row] = [line for line in report.splitlines() if line.startswith(method)]
    return float(row.split()[-1])


def test_the_generated_history_is_seeded_dated_and_worded_per_account():
    invoices = confirmed_history(200, seed=5)
    assert confirmed_history(200, seed=5) == invoices and confirmed_history(200, seed=6) != invoices
    assert [invoice.day for invoice in invoices] == sorted(invoice.day for invoice in invoices)
    lines = [line for invoice in invoices for line in invoice.lines]
    assert {line.account_code for line in lines} <= set(VOCABULARY)
    assert {invoice.vendor.language for invoice in invoices} == {"en", "zh"}
    assert any(not invoice.vendor.in_master for invoice in invoices)
    assert len({line.description for line in lines}) > len(lines) / 2, "worded in varied ways"


def test_eval_suggestions_beats_the_vendors_usual_account_on_held_out_invoices():
    result = run("eval", "suggestions", "--count", "100", "--seed", "3")
    assert result.exit_code == 0, result.output
    report = result.stdout
    assert report.startswith("ledgerdesk eval suggestions: 100 generated invoices (seed 3), 37 vendors")
    assert "history: the oldest 80 invoices" in report and "held out: the newest 20" in report
    assert correct_of_all(report, "learned (nearest") > correct_of_all(report, "baseline: the vendor's usual") + 0.1
    assert "time per suggestion: median" in report


def test_eval_of_a_folder_still_needs_its_path():
    result = CliRunner().invoke(main, ["eval", "sroie"])
    assert result.exit_code == 2 and "eval sroie measures a labelled folder: give its PATH" in result.output


def test_train_suggestions_learns_a_companys_confirmed_history_again(company, make_user):
    with transaction() as session:
        vendor = Vendor(company_id=company.id, name="Northwind", default_account_code="6100")
        session.add(vendor)
        session.flush()
        vendor_id = vendor.id
    document = stored_document(company.id, "invoice", ({"description": "Printer paper", "amount": "10.00"},),
                               vendor_id=vendor_id, invoice_date="2026-03-02", total_amount="10.00")
    route(document)
    approver = as_principal(make_user("approver"))
    with transaction() as session:
        posting_service.approve_voucher(session, session.get(Voucher, voucher_of(document).id), approver)
        session.execute(delete(AccountExample))
    result = run("train", "suggestions", "--company", "acme")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == "1 confirmed lines of 1 vouchers learned"
    with transaction() as session:
        assert session.scalar(select(func.count()).select_from(AccountExample)) == 1
    unknown = CliRunner().invoke(main, ["train", "suggestions", "--company", "nobody"])
    assert unknown.exit_code == 2 and "No company has the slug 'nobody'." in unknown.output
