"""Production logs are one JSON object per line."""

from __future__ import annotations

import json
import logging
import sys

from core.logs import JsonFormatter, configure_logging
from core.settings import Settings


def test_json_lines_carry_level_logger_message_and_exception():
    try:
        raise ValueError("bad total")
    except ValueError:
        record = logging.LogRecord("workers.jobs", logging.ERROR, __file__, 1, "document %s failed", ("d-1",),
                                   exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "error" and entry["logger"] == "workers.jobs"
    assert entry["message"] == "document d-1 failed" and "ValueError: bad total" in entry["exception"]


def test_production_logs_json_and_development_logs_text():
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    try:
        configure_logging(Settings(env="production", secret_key="x" * 40))
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
        configure_logging(Settings(env="development"))
        assert not isinstance(root.handlers[0].formatter, JsonFormatter)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
