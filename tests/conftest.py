"""Shared fixtures: every test gets keys of its own (see ``tests/helpers.py``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# ``tests/helpers.py`` is imported as ``helpers`` by the test modules.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from helpers import World, make_world

from kiosk import pipeline


@pytest.fixture
def world() -> World:
    """A fresh city root, city and lab issuers, a stranger key and a revoked card id."""
    return make_world()


@pytest.fixture
def context(world: World) -> pipeline.Context:
    """Judging context from the world's signed bundle, no venue."""
    return world.context()
