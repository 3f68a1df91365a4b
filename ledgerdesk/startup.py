"""What the command line checks before it starts work: valid settings and a reachable database.

Each failure becomes a :class:`StartupError` whose message is one line that says what is wrong and what to
do; the CLI prints it and exits 2. URLs are printed without their password.
"""

from __future__ import annotations

import re
import socket

from pydantic import ValidationError
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from core.db import get_engine
from core.settings import Settings, get_settings

EXAMPLE_DATABASE_URL = "postgresql://user:password@host:5432/name"


class StartupError(Exception):
    """Something outside the code stops a command from starting; the message is one line for a person."""


def load_settings() -> Settings:
    """The validated settings, or a StartupError naming each invalid setting."""
    try:
        return get_settings()
    except ValidationError as error:
        raise StartupError(describe_invalid_settings(error.errors(include_url=False, include_input=False))) from None


def check_database(settings: Settings) -> None:
    """Connect to the configured database once, or raise a StartupError that says why that failed."""
    url = settings.resolved_database_url
    try:
        with get_engine().connect():
            pass
    except NoSuchModuleError:
        raise StartupError(_unusable_url(url, f"no database driver for '{url.split(':', 1)[0]}'")) from None
    except ImportError as error:
        raise StartupError(_unusable_url(url, f"driver not installed: {error.name}")) from None
    except (ArgumentError, ValueError):
        raise StartupError(_unusable_url(url, "not a database URL")) from None
    except DBAPIError as error:
        raise StartupError(_unreachable(settings, short_reason(str(error.orig)))) from None
    except OSError as error:
        raise StartupError(_unreachable(settings, (error.strerror or str(error)).lower())) from None


def check_port_free(host: str, port: int) -> None:
    """Raise a StartupError if something already listens on ``host:port`` (as uvicorn binds: address reuse on)."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        with socket.socket(family, kind) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as error:
        problem = f"cannot listen on {host}:{port} ({(error.strerror or str(error)).lower()})"
        raise StartupError(f"{problem}; stop what uses it or choose another --port") from None


def describe_invalid_settings(errors: list[dict]) -> str:
    """One line for pydantic's validation errors of the settings, naming each variable."""
    problems = "; ".join(_describe_setting_error(error) for error in errors)
    return f"invalid settings (LEDGERDESK_* variables or .env): {problems}"


def _describe_setting_error(error: dict) -> str:
    message = error["msg"].removeprefix("Value error, ")
    if not error["loc"]:
        return message  # a check across settings; its message names them
    variable = "LEDGERDESK_" + "_".join(str(part) for part in error["loc"]).upper()
    return f"{variable}: {message[:1].lower()}{message[1:]}"


def redact_url(url: str) -> str:
    """``url`` safe to print: its password replaced by ``***``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def short_reason(message: str) -> str:
    """The gist of a driver's error: ``connection refused`` from ``connection failed: ...: Connection refused``."""
    lines = message.strip().splitlines()
    reason = lines[0].rsplit(": ", 1)[-1].strip() if lines else "unknown error"
    reason = re.sub(r"^\[Errno -?\d+\]\s*", "", reason)
    return reason[:1].lower() + reason[1:]


def _unreachable(settings: Settings, reason: str) -> str:
    where = "LEDGERDESK_DATABASE_URL" if settings.database_url else "LEDGERDESK_DATA_DIR"
    return f"cannot reach the database at {redact_url(settings.resolved_database_url)} ({reason}); check {where}"


def _unusable_url(url: str, reason: str) -> str:
    return (f"LEDGERDESK_DATABASE_URL is not usable: {redact_url(url)} ({reason}); "
            f"write it like {EXAMPLE_DATABASE_URL}")
