import pytest

from extraction.ocr.engines import EngineOptions, configured_options, load_engine


@pytest.fixture(scope="session")
def ocr_engine():
    """The configured engine, loaded once for the whole run (as a worker loads it once); jobs run in the tests'
    process share it."""
    return load_engine(configured_options() or EngineOptions())
