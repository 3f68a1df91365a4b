"""Keyset pagination for every list endpoint (``{"items", "next_cursor"}``): newest first, or by a key such as an
account's code."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute

from core.errors import InvalidRequest
from core.web import decode_cursor, encode_cursor

MAX_LIMIT = 200
_FOREIGN_CURSOR = "The cursor is not one this API gave out; start again without it."


def paginate(query: Select, model: Any, *, limit: int, cursor: str | None, created_field: str = "created_at") -> Select:
    """Order ``query`` newest first by ``created_field`` (a timestamp, or a date such as an exchange rate's) and start
    after ``cursor``; fetches one extra row to detect a next page."""
    _check_limit(limit)
    created = getattr(model, created_field)
    if cursor:
        created_at, last_id = _cursor_values(cursor)
        query = query.where(or_(created < created_at, and_(created == created_at, model.id < last_id)))
    return query.order_by(created.desc(), model.id.desc()).limit(limit + 1)


def paginate_by_key(query: Select, key: InstrumentedAttribute, *, limit: int, cursor: str | None) -> Select:
    """Order ``query`` by ``key`` (unique in what it selects) and start after ``cursor``; one extra row as above."""
    _check_limit(limit)
    if cursor:
        query = query.where(key > _key_value(cursor, key.type.python_type))
    return query.order_by(key).limit(limit + 1)


def page_of(rows: list[Any], limit: int, created_field: str = "created_at") -> tuple[list[Any], str | None]:
    """The rows of this page and the cursor of the next one (None on the last page)."""
    return _split(rows, limit, lambda last: [getattr(last, created_field).isoformat(), str(last.id)])


def page_by_key(rows: list[Any], limit: int, key: str) -> tuple[list[Any], str | None]:
    """``page_of`` for rows from ``paginate_by_key``: the cursor holds the last row's ``key``."""
    return _split(rows, limit, lambda last: [getattr(last, key)])


def _split(rows: list[Any], limit: int, cursor_of: Callable[[Any], list[str]]) -> tuple[list[Any], str | None]:
    if len(rows) <= limit:
        return rows, None
    return rows[:limit], encode_cursor(cursor_of(rows[limit - 1]))


def _check_limit(limit: int) -> None:
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}.")


def _cursor_values(cursor: str) -> tuple[datetime | date, uuid.UUID]:
    values = decode_cursor(cursor)
    try:
        when = date.fromisoformat(values[0]) if len(values[0]) == 10 else datetime.fromisoformat(values[0])
        return when, uuid.UUID(values[1])
    except (IndexError, ValueError) as exc:
        raise InvalidRequest(_FOREIGN_CURSOR) from exc


def _key_value(cursor: str, kind: type) -> Any:
    """The cursor's key as the key column's type (an integer key compares as a number, not as text)."""
    values = decode_cursor(cursor)
    if len(values) != 1:
        raise InvalidRequest(_FOREIGN_CURSOR)
    try:
        return kind(values[0])
    except ValueError as exc:
        raise InvalidRequest(_FOREIGN_CURSOR) from exc
