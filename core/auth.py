"""Who is asking: bearer tokens, signed session cookies and passwords, resolved to a Principal."""

from __future__ import annotations

import secrets
import threading
import time
import uuid
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import transaction
from core.identity import ApiToken, User
from core.permissions import Permission, require_permission
from core.security import hash_token, verify_password
from core.settings import get_settings

SESSION_COOKIE = "ledgerdesk_session"


@dataclass(frozen=True)
class Principal:
    """The signed-in user as every service sees it."""

    user_id: uuid.UUID
    company_id: uuid.UUID
    role: str
    email: str
    display_name: str
    csrf_token: str = ""

    @property
    def actor(self) -> str:
        """How the audit log names this person."""
        return f"user:{self.email}"

    def require(self, permission: Permission) -> None:
        require_permission(self.role, permission)


def principal_for(user: User, csrf_token: str = "") -> Principal:
    return Principal(user.id, user.company_id, user.role, user.email, user.display_name, csrf_token)


def principal_from_token(session: Session, token: str) -> Principal | None:
    """The principal behind a bearer token, or None if the token is unknown or revoked."""
    api_token = session.scalars(select(ApiToken).where(ApiToken.token_hash == hash_token(token))).first()
    if api_token is None or api_token.revoked_at is not None or not api_token.user.is_active:
        return None
    return principal_for(api_token.user)


class TokenCache:
    """Bearer tokens resolved in the last few seconds, so a busy machine client costs no query per request.

    A revoked token or a deactivated user stops working within ``ttl`` seconds; ``ttl`` 0 turns it off.
    Keyed by the token's hash, like the database.
    """

    def __init__(self, size: int = 4096):
        self.size = size
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._lock = threading.Lock()

    def get(self, token: str, ttl: float) -> Principal | None:
        with self._lock:
            found = self._entries.get(hash_token(token))
        return found[1] if found and time.monotonic() - found[0] < ttl else None

    def put(self, token: str, principal: Principal) -> None:
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # simple and bounded: a full cache starts over
            self._entries[hash_token(token)] = (time.monotonic(), principal)


TOKEN_CACHE = TokenCache()


def principal_for_bearer(token: str) -> Principal | None:
    """The principal behind a bearer token, from the cache or one short read-only transaction."""
    ttl = get_settings().token_cache_seconds
    if principal := TOKEN_CACHE.get(token, ttl) if ttl else None:
        return principal
    with transaction(read_only=True) as session:
        principal = principal_from_token(session, token)
    if principal is not None and ttl:
        TOKEN_CACHE.put(token, principal)
    return principal


def authenticate_password(session: Session, email: str, password: str) -> User | None:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None or not user.is_active or not user.password_hash:
        return None
    return user if verify_password(password, user.password_hash) else None


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="ledgerdesk-session")


def sign_session(user: User) -> str:
    """A cookie value naming the user, with a fresh CSRF token for its forms."""
    return _serializer().dumps({"uid": str(user.id), "csrf": secrets.token_urlsafe(24)})


def principal_from_session_cookie(session: Session, cookie: str) -> Principal | None:
    try:
        data = _serializer().loads(cookie, max_age=get_settings().session_max_age_seconds)
        user = session.get(User, uuid.UUID(data["uid"]))
    except (BadSignature, KeyError, ValueError, TypeError):
        return None
    if user is None or not user.is_active:
        return None
    return principal_for(user, data.get("csrf", ""))
