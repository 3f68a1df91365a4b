"""The demo company: its chart (the IFRS-style one unless told), cost centres, a project and an employee record for
each demo user; ``--chart cn-cas`` gives it the Chinese chart instead."""

from __future__ import annotations

from sqlalchemy import select

from core.db import transaction
from core.identity import Company
from core.permissions import Role
from ledgerdesk.demo import DEMO_SLUG, demo_email, seed_demo
from models import Account, Employee


def demo_state() -> tuple[Company, dict[str, Account], dict[str, Employee]]:
    with transaction() as session:
        company = session.scalars(select(Company).where(Company.slug == DEMO_SLUG)).one()
        accounts = {a.code: a for a in session.scalars(select(Account).where(Account.company_id == company.id))}
        employees = {e.number: e for e in session.scalars(select(Employee).where(Employee.company_id == company.id))}
        return company, accounts, employees


def test_the_demo_has_the_ifrs_chart_and_an_employee_for_each_user():
    with transaction() as session:
        created = seed_demo(session)
    assert {"4 cost-centres", "1 projects", "6 employees"} <= set(created)
    company, accounts, employees = demo_state()
    assert company.base_currency == "EUR" and accounts["2000"].role == "payable" and "2202" not in accounts
    clerk = next(e for e in employees.values() if e.email == demo_email(Role.CLERK))
    assert clerk.user.email == demo_email(Role.CLERK) and clerk.cost_centre_code == "FIN"
    with transaction() as session:
        again = seed_demo(session)
    assert not [line for line in again if not line.startswith("document ")], "nothing but documents is created twice"


def test_the_demo_takes_the_chinese_chart_when_asked():
    with transaction() as session:
        seed_demo(session, "cn-cas")
    company, accounts, _ = demo_state()
    assert company.base_currency == "CNY"
    assert accounts["2202"].role == "payable" and accounts["660202"].name == "差旅费" and "2000" not in accounts
