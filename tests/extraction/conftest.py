import socket

import pytest

from extraction.ocr.engines import EngineOptions, configured_options, load_engine


@pytest.fixture(scope="session")
def ocr_engine():
    """The configured engine, loaded once for the whole run (as a worker loads it once); jobs run in the tests'
    process share it."""
    return load_engine(configured_options() or EngineOptions())


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to reach another machine fails the test."""
    def refuse(self, address):
        raise AssertionError(f"network access to {address} during model loading")
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
