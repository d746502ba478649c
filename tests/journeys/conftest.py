"""Fixtures for the journeys: one X server for the session, one journey per test."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Display, Journey, journey, need_tools


@pytest.fixture(scope="session")
def display() -> Iterator[Display]:
    need_tools()
    made = Display()
    yield made
    made.close()


@pytest.fixture
def trip(display: Display, tmp_path: Path) -> Iterator[Journey]:
    yield from journey(display, tmp_path)


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path | None:
    """Where this journey's screenshots go: ``KIOSK_JOURNEY_SHOTS=DIR`` (the README's
    screenshots, scripts/screenshots.py) or nowhere."""
    root = os.environ.get("KIOSK_JOURNEY_SHOTS")
    return Path(root) / request.node.name if root else None
