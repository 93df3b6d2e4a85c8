"""Fixtures shared by the test modules."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.server import Server


@pytest.fixture
def server() -> Iterator[Server]:
    """A recording HTTP server on 127.0.0.1, shut down after the test whatever happens."""
    srv = Server()
    try:
        yield srv
    finally:
        srv.stop()
