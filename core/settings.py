"""Settings from the environment (prefix ``LEDGERDESK_``) or a ``.env`` file."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import NonNegativeFloat, PositiveFloat, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET = "development-only-secret-change-me"


class Settings(BaseSettings):
    """Everything ledgerdesk can be told; every field has a working default for development."""

    model_config = SettingsConfigDict(env_prefix="LEDGERDESK_", env_file=".env", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./var")
    database_url: str | None = None
    """SQLAlchemy URL; empty means a SQLite file under ``data_dir``."""
    redis_url: str | None = None
    """Redis URL; empty means an embedded redis-server on a socket under ``data_dir``."""
    secret_key: str = DEVELOPMENT_SECRET
    log_format: Literal["auto", "json", "text"] = "auto"
    """``auto``: JSON lines in production, readable text otherwise."""
    log_level: str = "INFO"
    max_upload_bytes: int = 50 * 1024 * 1024
    """Largest file accepted at intake."""
    max_statement_bytes: int = 20 * 1024 * 1024
    """Largest bank statement accepted (``POST /api/v1/bank-statements``); a larger one is refused with 413."""
    max_pages: int = 500
    """A document with more pages fails with a readable reason (checked before any page is read)."""
    max_image_pixels: int = 60_000_000
    """An image page larger than this (width x height) fails with a readable reason instead of being decoded."""
    ocr_engine: Literal["rapidocr", "paddle", "none"] = "rapidocr"
    """Reads scans and photos: ``rapidocr`` (PP-OCRv6 on onnxruntime, the default), ``paddle`` (PaddleOCR itself,
    install extra ``[paddle]``) or ``none`` (pages without a text layer come without words)."""
    ocr_threads: int = 0
    """CPU threads OCR uses for one page; 0 means as many as the machine has cores, at most 4."""
    ocr_detection_side: int = 960
    """The longest side, in pixels, at which OCR looks for lines of text (it reads them at full size)."""
    ocr_memory_mb: int = 0
    """The memory limit of each worker's OCR process (the engine and one page image at a time); 0: the engine's
    own (2048 for rapidocr, 4096 for paddle, which keeps buffers for every input shape it has seen)."""
    ocr_dpi: int = 200
    """Resolution at which a PDF page without a usable text layer is drawn for OCR."""
    large_document_pages: int = 20
    """Documents with more pages are processed from the ``large`` queue, so they never hold up the others."""
    job_timeout_seconds: int = 600
    """The time limit of one document's processing; past it the document fails with a readable reason."""
    worker_nice: int = 10
    """CPU priority of workers (``nice``): on a shared machine the API's requests come first."""
    worker_heartbeat_seconds: int = 10
    """How often a worker reports that the job it runs is alive; silence for two of these (and 5 s) means it died."""
    max_job_memory_mb: int = 1024
    """The memory one document's processing may take (the rq work horse), beyond the models every horse starts with
    (about 450 MB); past it the document fails readably."""
    outbox_sweep_seconds: float = 5.0
    """How often the scheduler moves outbox rows that were not enqueued to the queue."""
    audit_seal_seconds: float = 1.0
    """How often the scheduler links newly recorded audit events into their company's hash chain."""
    recovery_sweep_seconds: float = 10.0
    """How often the scheduler looks for documents whose job the queue lost."""
    stalled_after_seconds: int = 15
    """A document waiting or in processing this long, whose job the queue lost (or whose worker died), is
    queued again by the scheduler's recovery sweep."""
    max_processing_attempts: int = 3
    """After this many starts without finishing (e.g. the worker was killed), the document fails for good."""
    webhook_retry_seconds: list[NonNegativeFloat] = [10, 60, 300, 1800, 7200]
    """The waits before the retries of a webhook delivery not answered 2xx (10 s, 1 min, 5 min, 30 min, 2 h): one
    attempt, then one after each wait; after the last the delivery fails with the reason."""
    webhook_timeout_seconds: PositiveFloat = 5.0
    """How long a webhook's receiver has to accept the connection, and then to answer."""
    session_max_age_seconds: int = 12 * 3600
    token_cache_seconds: float = 5.0
    """How long an API process remembers a resolved bearer token (a revoked token works at most this long)."""
    chart: Literal["ifrs", "cn-cas"] = "ifrs"
    """The chart of accounts and tax codes a new company starts with (``posting/seeds/``): ``ifrs``, a generic
    IFRS-style chart, or ``cn-cas``, the Chinese enterprise accounting standards' (企业会计准则) chart."""
    model_dir: Path | None = None
    """Where ``ledgerdesk train`` writes retrained models; empty means ``data_dir/models``. A model found here
    wins over the one shipped in the package (read when a process first classifies)."""

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> "Settings":
        if self.env == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("LEDGERDESK_SECRET_KEY must be set to a long random value in production")
        if self.env == "production" and len(self.secret_key) < 32:
            raise ValueError("LEDGERDESK_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to ``sqlite:///<data_dir>/ledgerdesk.db``."""
        if self.database_url:
            return normalize_database_url(self.database_url)
        return f"sqlite:///{(self.data_dir / 'ledgerdesk.db').resolve()}"

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"

    @property
    def models_dir(self) -> Path:
        """The folder of retrained models (``model_dir``, or ``models`` under ``data_dir``)."""
        return self.model_dir or self.data_dir / "models"

    @property
    def uses_embedded_redis(self) -> bool:
        return not self.redis_url


def normalize_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
