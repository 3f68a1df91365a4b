"""Logging: one JSON object per line in production (for log collectors), readable lines in development."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

from core.settings import Settings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


class JsonFormatter(logging.Formatter):
    """``{"at", "level", "logger", "message", ...}``; exceptions go in ``"exception"``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


QUIET_LIBRARIES = ("fontTools",)
"""Libraries whose INFO lines describe their own internals (fontTools logs every glyph table it subsets)."""


def configure_logging(settings: Settings) -> None:
    """Send logs to standard error in the format the settings ask for."""
    handler = logging.StreamHandler(sys.stderr)
    json_logs = settings.log_format == "json" or (settings.log_format == "auto" and settings.env == "production")
    handler.setFormatter(JsonFormatter() if json_logs else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    for chatty in QUIET_LIBRARIES:
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
