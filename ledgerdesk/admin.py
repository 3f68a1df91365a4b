"""Companies, users and tokens, as the command line creates them."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from core import audit
from core.errors import Conflict, InvalidRequest, NotFound
from core.identity import ApiToken, Company, User
from core.permissions import Role
from core.security import hash_password, hash_token, new_api_token
from core.settings import get_settings
from posting.service import ensure_default_chart

ADMIN_ACTOR = "system:cli"


def get_or_create_company(session: Session, slug: str, name: str | None = None, currency: str = "EUR",
                          chart: str | None = None) -> Company:
    """The company with ``slug``, created if missing with the seed ``chart`` of accounts and tax codes (default: the
    ``chart`` setting)."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,62}", slug):
        raise InvalidRequest("A company slug is lower-case letters, digits and dashes, e.g. 'acme-gmbh'.")
    company = session.scalars(select(Company).where(Company.slug == slug)).first()
    if company is None:
        company = Company(slug=slug, name=name or slug, base_currency=currency)
        session.add(company)
        session.flush()
        chart = chart or get_settings().chart
        ensure_default_chart(session, company.id, chart, audited=False)
        audit.record(session, company_id=company.id, actor=ADMIN_ACTOR, action="company.created",
                     entity_type="company", entity_id=company.id, data={"slug": slug, "chart": chart})
    return company


def find_company(session: Session, slug: str) -> Company:
    company = session.scalars(select(Company).where(Company.slug == slug)).first()
    if company is None:
        raise NotFound(f"No company has the slug {slug!r}.")
    return company


def first_company(session: Session) -> Company:
    company = session.scalars(select(Company).order_by(Company.created_at).limit(1)).first()
    return company or get_or_create_company(session, "default", "Default company")


def create_user(session: Session, *, company: Company, email: str, role: str, password: str | None,
                full_name: str = "") -> User:
    if role not in {r.value for r in Role}:
        raise InvalidRequest(f"Unknown role {role!r}; use one of {', '.join(r.value for r in Role)}.")
    email = email.strip().lower()
    if session.scalars(select(User).where(User.email == email)).first():
        raise Conflict(f"A user with the e-mail {email} already exists.")
    user = User(company_id=company.id, email=email, role=role, full_name=full_name,
                password_hash=hash_password(password) if password else None)
    session.add(user)
    session.flush()
    audit.record(session, company_id=company.id, actor=ADMIN_ACTOR, action="user.created", entity_type="user",
                 entity_id=user.id, data={"email": email, "role": role})
    return user


def find_user(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(f"No user has the e-mail {email}.")
    return user


def first_admin(session: Session) -> User:
    """The first company's first admin, created (without a password) if there is none."""
    company = first_company(session)
    admin = session.scalars(select(User).where(User.company_id == company.id, User.role == Role.ADMIN)
                            .order_by(User.created_at).limit(1)).first()
    return admin or create_user(session, company=company, email=f"admin@{company.slug}.invalid", role=Role.ADMIN,
                                password=None, full_name="Administrator")


def create_token(session: Session, *, user: User, name: str) -> str:
    """A new API token for ``user``; the plain token is returned once and never stored."""
    token = new_api_token()
    session.add(ApiToken(company_id=user.company_id, user_id=user.id, name=name, token_hash=hash_token(token)))
    session.flush()
    audit.record(session, company_id=user.company_id, actor=ADMIN_ACTOR, action="token.created", entity_type="user",
                 entity_id=user.id, data={"name": name})
    return token
