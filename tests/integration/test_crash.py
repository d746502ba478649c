"""SIGKILL a recording-and-syncing kiosk at random moments: nothing lost, nothing twice.

The full run (200 kills) is `bench/crash.py`; here a shorter one keeps the suite quick.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from crash import run


def test_killed_kiosks_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    result = run(kills=12, seed=7, workdir=tmp_path)
    assert result.kills == 12
    assert result.confirmed > 12  # every run confirmed some check-ins before its kill
    assert result.lost == 0
    assert result.duplicated == 0
    assert result.on_platform == result.recorded
