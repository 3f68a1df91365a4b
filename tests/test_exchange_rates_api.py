"""The exchange rates API on the real app and database: one rate added, a file imported all or nothing, the list
newest date first, who may read and change, company scoping, the audit log; and the rate a voucher is converted at."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from core.audit import AuditEvent
from core.db import transaction
from core.permissions import Role
from posting.masterdata.repository import latest_rate
from tests.test_master_data_api import import_file

RATES_CSV = b"""from_currency;to_currency;date;rate;source
USD;EUR;2026-03-02;0,9210;ECB
usd;eur;2026-02-27;0.9187;ECB
CNY;EUR;2026-03-02;0.1271;ECB
"""


@pytest.fixture
def accountant(make_user, client_for):
    return client_for(make_user("accountant"))


def rate(**values) -> dict:
    return {"from_currency": "USD", "to_currency": "EUR", "date": "2026-03-02", "rate": "0.921", "source": "ECB"} | values


def test_a_rate_is_added_listed_and_a_second_of_the_same_day_refused(accountant):
    created = accountant.post("/api/v1/exchange-rates", json=rate(from_currency="usd"))
    assert created.status_code == 201, created.text
    assert created.json() == {"from_currency": "USD", "to_currency": "EUR", "date": "2026-03-02",
                              "rate": "0.92100000", "source": "ECB"}
    again = accountant.post("/api/v1/exchange-rates", json=rate(rate="0.95"))
    assert again.status_code == 409 and "import the rate again" in again.json()["detail"]
    assert [r["rate"] for r in accountant.get("/api/v1/exchange-rates").json()["items"]] == ["0.92100000"]


def test_a_wrong_rate_is_refused_with_every_error(accountant):
    refused = accountant.post("/api/v1/exchange-rates", json={"from_currency": "XYZ", "to_currency": "EUR",
                                                              "date": "2026-03-02", "rate": "0.123456789"})
    assert refused.status_code == 422 and refused.json()["error"] == "MasterDataRejected"
    assert [(e["field"], e["message"]) for e in refused.json()["errors"]] == [
        ("from_currency", "'XYZ' is not an ISO 4217 currency code, such as EUR, USD or CNY"),
        ("rate", "'0.123456789' is not a rate above 0 with at most eight decimals")]
    same = accountant.post("/api/v1/exchange-rates", json=rate(to_currency="USD"))
    assert same.status_code == 422 and same.json()["errors"][0]["message"] == (
        "a rate converts USD into another currency")
    not_a_day = accountant.post("/api/v1/exchange-rates", json=rate(date="02.03.2026"))
    assert not_a_day.status_code == 422 and "date" in not_a_day.json()["detail"]
    assert accountant.get("/api/v1/exchange-rates").json()["items"] == []


def test_a_file_of_rates_is_imported_and_imported_again_changes_a_rate(accountant):
    imported = import_file(accountant, "exchange-rates", RATES_CSV, "rates.csv")
    assert imported.status_code == 200 and imported.json() == {"created": 3, "updated": 0, "unchanged": 0,
                                                               "errors": []}
    listed = accountant.get("/api/v1/exchange-rates", params={"from_currency": "usd", "limit": 1}).json()
    assert [(r["date"], r["rate"]) for r in listed["items"]] == [("2026-03-02", "0.92100000")], "newest date first"
    older = accountant.get("/api/v1/exchange-rates", params={"from_currency": "USD", "cursor": listed["next_cursor"]})
    assert [r["date"] for r in older.json()["items"]] == ["2026-02-27"] and older.json()["next_cursor"] is None
    changed = import_file(accountant, "exchange-rates", b"from_currency,to_currency,date,rate\nUSD,EUR,2026-03-02,0.93\n",
                          "fix.csv")
    assert changed.json()["updated"] == 1
    with transaction() as session:
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "exchange_rate.updated"))
        assert event.data["key"] == "USD/EUR 2026-03-02"
        assert event.data["changes"]["rate"] == ["0.92100000", "0.93000000"]


def test_a_file_with_a_wrong_row_writes_nothing(accountant):
    data = RATES_CSV + b"USD;EUR;2026-03-02;0.95;twice\nGBP;EUR;2026-13-01;1.17;\n"
    refused = import_file(accountant, "exchange-rates", data, "rates.csv")
    assert refused.status_code == 422
    assert [(e["row"], e["field"], e["message"]) for e in refused.json()["errors"]] == [
        (5, "key", "USD/EUR 2026-03-02 is on row 2 already"),
        (6, "date", "'2026-13-01' is not a date: write it as YYYY-MM-DD")]
    assert accountant.get("/api/v1/exchange-rates").json()["items"] == []


@pytest.mark.parametrize("role", list(Role))
def test_staff_read_rates_and_accountants_and_admins_change_them(make_user, client_for, role):
    caller = client_for(make_user(role))
    may_read = role in (Role.CLERK, Role.APPROVER, Role.ACCOUNTANT, Role.ADMIN, Role.AUDITOR)
    assert caller.get("/api/v1/exchange-rates").status_code == (200 if may_read else 403)
    added = caller.post("/api/v1/exchange-rates", json=rate())
    assert added.status_code == (201 if role in (Role.ACCOUNTANT, Role.ADMIN) else 403)


def test_each_company_sees_its_own_rates(accountant, make_user, client_for):
    other = client_for(make_user("accountant", company_slug="other"))
    assert other.post("/api/v1/exchange-rates", json=rate(rate="7.5")).status_code == 201
    assert accountant.get("/api/v1/exchange-rates").json()["items"] == []
    assert accountant.post("/api/v1/exchange-rates", json=rate()).status_code == 201, "the same day, another company"


def test_the_rate_of_a_day_is_the_newest_on_or_before_it(accountant, company):
    import_file(accountant, "exchange-rates", RATES_CSV, "rates.csv")
    with transaction() as session:
        found = [latest_rate(session, company.id, "USD", "EUR", day) for day in
                 (date(2026, 2, 26), date(2026, 2, 27), date(2026, 3, 1), date(2026, 3, 9))]
        assert [(r.date.isoformat(), str(r.rate)) if r else None for r in found] == [
            None, ("2026-02-27", "0.91870000"), ("2026-02-27", "0.91870000"), ("2026-03-02", "0.92100000")]
        assert latest_rate(session, company.id, "EUR", "USD", date(2026, 3, 9)) is None, "a pair has a direction"
