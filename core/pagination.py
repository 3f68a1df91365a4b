"""Keyset pagination, newest first, for every list endpoint: ``{"items", "next_cursor"}``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_

from core.errors import InvalidRequest
from core.web import decode_cursor, encode_cursor

MAX_LIMIT = 200


def paginate(query: Select, model: Any, *, limit: int, cursor: str | None, created_field: str = "created_at") -> Select:
    """Order ``query`` newest first and start after ``cursor``; fetches one extra row to detect a next page."""
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}.")
    created = getattr(model, created_field)
    if cursor:
        created_at, last_id = _cursor_values(cursor)
        query = query.where(or_(created < created_at, and_(created == created_at, model.id < last_id)))
    return query.order_by(created.desc(), model.id.desc()).limit(limit + 1)


def page_of(rows: list[Any], limit: int, created_field: str = "created_at") -> tuple[list[Any], str | None]:
    """The rows of this page and the cursor of the next one (None on the last page)."""
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor([getattr(last, created_field).isoformat(), str(last.id)])


def _cursor_values(cursor: str) -> tuple[datetime, uuid.UUID]:
    values = decode_cursor(cursor)
    try:
        return datetime.fromisoformat(values[0]), uuid.UUID(values[1])
    except (IndexError, ValueError) as exc:
        raise InvalidRequest("The cursor is not one this API gave out; start again without it.") from exc
