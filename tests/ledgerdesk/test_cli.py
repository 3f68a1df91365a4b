"""The command line as an operator uses it, in real subprocesses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import click
import httpx
import pytest

from ledgerdesk.cli import DatabaseCommand, main
from ledgerdesk.samples import SampleInvoice, render_invoice_pdf
from tests.ledgerdesk.processes import children_of, in_groups
from tests.posting.documents import route, stored_document, voucher_of

CLI = [sys.executable, "-m", "ledgerdesk.cli"]


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=120, env=env or dict(os.environ))


def test_createuser_and_token_create_print_what_they_should(client_for, anonymous):
    created = _run("createuser", "Ops@Example.test", "--role", "accountant", "--company", "ops-co",
                   "--password", "s3cret-s3cret")
    assert created.returncode == 0, created.stderr
    token = _run("token", "create", "--name", "ci", "--user", "ops@example.test")
    assert token.returncode == 0, token.stderr
    lines = token.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ldk_")
    listing = anonymous.get("/api/v1/documents", headers={"Authorization": f"Bearer {lines[0]}"})
    assert listing.status_code == 200 and listing.json() == {"items": [], "next_cursor": None}


def test_cli_errors_are_readable(company):
    duplicate = _run("createuser", "x@acme.test", "--role", "wizard", "--password", "pw")
    assert duplicate.returncode == 2 and "Unknown role 'wizard'" in duplicate.stderr
    missing = _run("token", "create", "--name", "n", "--user", "nobody@nowhere.test")
    assert missing.returncode == 2 and "No user has the e-mail" in missing.stderr and missing.stdout == ""


def test_import_writes_a_good_file_and_lists_every_error_of_a_bad_one(company, tmp_path: Path, make_user, client_for):
    good = tmp_path / "cost-centres.csv"
    good.write_text("code;name\nADM;Administration\nSAL;Sales\n", encoding="utf-8")
    imported = _run("import-master", "cost-centres", str(good), "--company", "acme")
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.strip() == "cost-centres: 2 created, 0 updated, 0 unchanged"
    bad = tmp_path / "employees.yaml"
    bad.write_text("- {number: E1, name: Ada, cost_centre_code: ADM}\n- {number: E2, name: Bob, cost_centre_code: OPS}\n"
                   "- {number: E3, name: '', email: nobody}\n", encoding="utf-8")
    refused = _run("import-master", "employees", str(bad), "--company", "acme")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "row 2, cost_centre_code: OPS is not an active cost centre: add it first (ledgerdesk import-master "
        "cost-centres, or in the same file for accounts) or correct the code",
        "row 3, email: 'nobody' is not an e-mail address",
        "row 3, name: required",
        "error: 3 errors in 2 rows; nothing was written. Correct them and send the whole file again."]
    client = client_for(make_user("accountant"))
    assert [c["code"] for c in client.get("/api/v1/cost-centres").json()["items"]] == ["ADM", "SAL"]
    assert client.get("/api/v1/employees").json()["items"] == [], "E1 was not written either"


def test_import_rules_adds_or_replaces_a_companys_posting_rules_and_lists_each_problem(company, tmp_path: Path,
                                                                                       make_user, client_for):
    rules = tmp_path / "rules.yaml"
    rules.write_text("- {name: Paper, conditions: {keywords: [paper]}, outcome: {account_code: '6100'}}\n"
                     "- {name: Toner, conditions: {keywords: [toner]}, outcome: {account_code: '6750'}}\n",
                     encoding="utf-8")
    assert _run("import-rules", str(rules), "--company", "acme").stderr.strip() == (
        "posting rules: 2 imported, 0 deleted")
    replaced = _run("import-rules", str(rules), "--company", "acme", "--replace")
    assert replaced.returncode == 0 and replaced.stderr.strip() == "posting rules: 2 imported, 2 deleted"
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {name: Paper again, conditions: {keywords: [PAPER]}, outcome: {account_code: '6000'}}\n"
                   "- {name: Lost, conditions: {keywords: [x]}, outcome: {cost_centre_code: NOPE}}\n", encoding="utf-8")
    refused = _run("import-rules", str(bad), "--company", "acme")
    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        "rule 3 'Paper again' has the same conditions as rule 1 'Paper' but another outcome, so it could never apply: "
        "make their conditions differ, or deactivate or delete one.",
        "rule 4 'Lost' names the cost centre NOPE, which is not an active cost centre: add it (POST "
        "/api/v1/cost-centres) or correct the code.",
        "error: 2 problem(s) with the posting rules; nothing was written."]
    client = client_for(make_user("accountant"))
    assert [rule["name"] for rule in client.get("/api/v1/posting-rules").json()["items"]] == ["Paper", "Toner"]


def test_seed_chart_switches_a_company_to_the_chinese_chart(company, make_user, client_for):
    refused = _run("seed-chart", "cn-cas", "--company", "acme")
    assert refused.returncode == 2 and "role payable is also that of account 2000" in refused.stderr
    switched = _run("seed-chart", "cn-cas", "--company", "acme", "--replace")
    assert switched.returncode == 0, switched.stderr
    assert switched.stderr.splitlines() == ["accounts: 92 created, 54 updated, 0 unchanged",
                                            "tax-codes: 13 created, 9 updated, 0 unchanged"]
    client = client_for(make_user("accountant"))
    assert client.get("/api/v1/accounts/660202").json()["name"] == "差旅费"
    missing = _run("seed-chart", "ifrs", "--company", "nobody")
    assert missing.returncode == 2 and missing.stderr.strip() == "error: No company has the slug 'nobody'."


def test_export_vouchers_makes_a_batch_once_and_writes_it_again_byte_for_byte(company, tmp_path: Path, make_user,
                                                                            client_for):
    accountant = client_for(make_user("accountant"))
    document = stored_document(company.id, invoice_number="INV-7", invoice_date="2026-03-02", total_amount="120.00",
                               subtotal="100.00", tax_amount="20.00", tax_rate="20", currency="EUR")
    route(document)
    assert accountant.post(f"/api/v1/vouchers/{voucher_of(document).id}/approve").json()["status"] == "posted"
    march = tmp_path / "march.xlsx"
    made = _run("export", "vouchers", "--company", "acme", "--period", "2026-03", "--format", "xlsx", "-o", str(march))
    assert made.returncode == 0, made.stderr
    [batch] = accountant.get("/api/v1/export-batches").json()["items"]
    assert made.stderr.strip() == f"1 voucher(s), batch {batch['id']}, written to {march}"
    assert (batch["created_by"], batch["format"]) == ("system:cli", "xlsx")
    assert march.read_bytes() == accountant.get(batch["download"]).content
    again = _run("export", "vouchers", "--company", "acme", "-o", str(tmp_path / "again.csv"))
    assert again.returncode == 0 and again.stderr.startswith("0 voucher(s), no batch")
    copy = tmp_path / "copy.xlsx"
    assert _run("export", "vouchers", "--company", "acme", "--batch", batch["id"], "-o", str(copy)).returncode == 0
    assert copy.read_bytes() == march.read_bytes()
    mixed = _run("export", "vouchers", "--company", "acme", "--batch", batch["id"], "--status", "posted", "-o",
                 str(copy))
    assert mixed.returncode == 2 and "--batch gives the batch as it was exported" in mixed.stderr
    wrong = _run("export", "vouchers", "--company", "acme", "--period", "2026-3", "-o", str(copy))
    assert wrong.returncode == 2 and wrong.stderr.strip().startswith("error: '2026-3' is not a period")


UNREACHABLE_DATABASE = "postgresql://ledgerdesk:s3cret-pw@127.0.0.1:1/ledgerdesk"
COMMANDS_THAT_NEED_THE_DATABASE = {"up", "migrate", "api", "worker", "scheduler", "createuser", "token create", "demo",
                                   "audit-verify", "import-master", "import-rules", "seed-chart", "export vouchers",
                                   "train suggestions"}


def _settings_only(tmp_path: Path, **settings: str) -> dict[str, str]:
    """This environment without the suite's LEDGERDESK_* settings, with ``settings`` instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERDESK_")}
    env["LEDGERDESK_DATA_DIR"] = str(tmp_path / "var")
    return env | {f"LEDGERDESK_{name.upper()}": value for name, value in settings.items()}


def _assert_one_line_error(run: subprocess.CompletedProcess, stderr: str) -> str:
    assert run.returncode == 2, stderr
    assert len(stderr.splitlines()) == 1 and stderr.startswith("error: "), stderr
    assert "s3cret" not in stderr
    return stderr.strip()


def test_every_command_that_needs_the_database_checks_it_first():
    def database_commands(group: click.Group, prefix: str = "") -> set[str]:
        found = set()
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                found |= database_commands(command, f"{prefix}{name} ")
            elif isinstance(command, DatabaseCommand):
                found.add(prefix + name)
        return found

    assert database_commands(main) == COMMANDS_THAT_NEED_THE_DATABASE


@pytest.mark.parametrize("command", [("up",), ("api",), ("worker",), ("scheduler",),
                                     ("token", "create", "--name", "n")])
def test_an_unreachable_database_is_one_line_without_its_password(tmp_path: Path, command: tuple[str, ...]):
    run = _run(*command, env=_settings_only(tmp_path, database_url=UNREACHABLE_DATABASE))
    assert _assert_one_line_error(run, run.stderr) == (
        "error: cannot reach the database at postgresql+psycopg://ledgerdesk:***@127.0.0.1:1/ledgerdesk "
        "(connection refused); check LEDGERDESK_DATABASE_URL")
    assert not (tmp_path / "var" / "redis.log").exists()  # nothing started an embedded Redis before the check


def test_a_malformed_database_url_is_one_line_without_its_password(tmp_path: Path):
    up = _run("up", env=_settings_only(tmp_path, database_url="postgresql://ledgerdesk:s3cret-pw@db:port/ledgerdesk"))
    line = _assert_one_line_error(up, up.stderr)
    assert line.startswith("error: LEDGERDESK_DATABASE_URL is not usable: postgresql+psycopg://ledgerdesk:***@db:port/")


def test_production_with_the_development_secret_is_refused_in_one_line(tmp_path: Path):
    up = _run("up", env=_settings_only(tmp_path, env="production"))
    line = _assert_one_line_error(up, up.stderr)
    assert "LEDGERDESK_SECRET_KEY must be set to a long random value in production" in line


def test_up_on_a_busy_port_is_one_line(tmp_path: Path):
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        up = _run("up", "--port", str(port), env=_settings_only(tmp_path))
    line = _assert_one_line_error(up, up.stderr)
    assert line == (f"error: cannot listen on 127.0.0.1:{port} (address already in use); "
                    "stop what uses it or choose another --port")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_up_runs_everything_on_the_embedded_defaults(tmp_path: Path):
    """`ledgerdesk up` in an empty data dir: migrate, API, worker, scheduler, embedded Redis; Ctrl-C stops all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGERDESK_")}
    env |= {"LEDGERDESK_DATA_DIR": str(tmp_path / "var"), "LEDGERDESK_ENV": "development"}
    assert _run("migrate", env=env).returncode == 0
    demo = _run("demo", env=env)
    assert demo.returncode == 0, demo.stderr
    token = _run("token", "create", "--name", "smoke", env=env).stdout.strip()
    port = _free_port()
    up = subprocess.Popen([*CLI, "up", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_ready(base)
        headers = {"Authorization": f"Bearer {token}"}
        data = render_invoice_pdf(SampleInvoice(invoice_number="UP-1"))
        created = httpx.post(f"{base}/api/v1/documents", files={"file": ("up.pdf", data)}, headers=headers).json()
        status = _wait_for_status(f"{base}/api/v1/documents/{created['id']}", headers, "needs_review")
        assert status == "needs_review"
        demo_docs = httpx.get(f"{base}/api/v1/documents?status=needs_review", headers=headers).json()["items"]
        every = httpx.get(f"{base}/api/v1/documents", headers=headers).json()["items"]
        assert len(demo_docs) == 4, [(d["filename"], d["status"]) for d in every]  # three demo invoices and ours
    finally:
        parts = set(children_of(up.pid))  # each part leads a process group of its own
        up.send_signal(signal.SIGINT)
        output, _ = up.communicate(timeout=30)
    assert up.returncode == 0
    assert in_groups(parts) == {}
    assert f"http://127.0.0.1:{port}/" in output and "sign in as" in output
    assert not (tmp_path / "var" / "redis.sock").exists() or not _answers(tmp_path / "var" / "redis.sock")


def _wait_until_ready(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("ledgerdesk up did not become ready")


def _wait_for_status(url: str, headers: dict[str, str], wanted: str, timeout: float = 60) -> str:
    deadline, status = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        status = httpx.get(url, headers=headers).json()["status"]
        if status == wanted:
            return status
        time.sleep(0.2)
    return status


def _answers(socket_path: Path) -> bool:
    import redis

    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def test_audit_verify_reports_a_changed_event(company):
    from sqlalchemy import text

    from core.db import transaction

    assert _run("audit-verify").returncode == 0
    with transaction() as session:
        session.execute(text("UPDATE audit_events SET action = 'company.renamed'"))
    tampered = _run("audit-verify", "--company", "acme")
    assert tampered.returncode == 1
    assert "acme: event 1" in tampered.stdout and "the row was changed" in tampered.stdout
