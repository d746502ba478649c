"""Fixtures for the city platform's tests: a real server on 127.0.0.1 per test."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# Until ``cityplatform`` is part of the installed distribution, import it from the checkout.
_REPO = Path(__file__).resolve().parents[2]
if str(_REPO) not in sys.path:
    sys.path.insert(1, str(_REPO))

from platform_helpers import VENUE, EnrolledKiosk, enroll  # noqa: E402 - needs the path

from cityplatform.testing import RunningPlatform, running_platform  # noqa: E402


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[RunningPlatform]:
    """A fresh platform (its own database and root key) served on a free port."""
    with running_platform(tmp_path) as running:
        yield running


@pytest.fixture
def kiosk(platform: RunningPlatform) -> EnrolledKiosk:
    """A kiosk enrolled at ``VENUE`` on ``platform``, with a device key of its own."""
    return enroll(platform, VENUE)
