"""Settings refuse unsafe defaults outside development."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.settings import Settings, normalize_database_url


def test_production_refuses_the_development_secret():
    with pytest.raises(ValidationError, match="SECRET_KEY"):
        Settings(env="production")
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env="production", secret_key="short")
    assert Settings(env="production", secret_key="x" * 40).env == "production"


def test_defaults_are_embedded(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url=None, redis_url=None)
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'ledgerdesk.db').resolve()}"
    assert settings.uses_embedded_redis


def test_postgres_urls_use_psycopg3():
    assert normalize_database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
