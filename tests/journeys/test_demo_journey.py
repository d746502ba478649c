"""A newcomer's first command: ``scripts/run`` on a machine with nothing provisioned.

It runs ``kiosk run``, which starts the demo: the app on the synthetic camera with a
demo platform on loopback. A person watching sees green, yellow and red within 30 s,
each long enough to read; Ctrl-C or a SIGTERM leaves nothing running."""

from __future__ import annotations

import itertools
import signal
from pathlib import Path

import pytest
from harness import Journey, checkins, panel, wait_for

#: What the demo's first visitors are meant to show (kiosk.demo.entrance_cards).
GREEN = "Thẻ xanh: được vào"
NOT_TRUSTED = "Nơi cấp không được tin cậy"


@pytest.mark.slow
def test_the_demo_shows_green_yellow_and_red_within_30_s(
    trip: Journey, tmp_path: Path, shots: Path | None
) -> None:
    app = trip.app(tmp_path / "home", "run", shots=shots).start()
    # Full screen on a bare X server: the whole screen, not a default-sized window.
    window = app.state()["window"]
    assert (window["w"], window["h"]) == trip.display.size
    assert (window["x"], window["y"]) == (0, 0)

    seen: dict[str, dict[str, object]] = {}

    def three_colours() -> bool:
        state = app.state()
        if state.get("panel") and panel(state)["tone"] not in seen:
            seen[panel(state)["tone"]] = panel(state)
            app.snap(f"guard-{panel(state)['tone']}")
        return {"green", "yellow", "red"} <= set(seen)

    wait_for("green, yellow and red decisions", three_colours, timeout=30, every=0.05)
    assert seen["green"]["headline"] == GREEN
    assert seen["green"]["shape"] == "circle"
    assert seen["yellow"]["shape"] == "triangle"
    assert seen["red"]["shape"] == "octagon"
    assert seen["red"]["headline"] == "Thẻ đã hết hạn"  # the demo's expired card
    assert seen["red"]["holder"] == "Phan Thị Hồng"
    assert seen["green"]["holder"]
    assert seen["green"]["birth_year"]
    left = app.stop(signal.SIGTERM)
    assert left == [], "processes left running after SIGTERM"

    shown = [p for s in app.history if (p := s.get("panel"))]
    assert all(NOT_TRUSTED not in str(p["headline"]) for p in shown)
    # Each decision stayed on screen until read: a different panel replaced it only
    # after 3 s at least (a red one: longer).
    changes = []
    for before, after in zip(app.history, app.history[1:], strict=False):
        if before.get("panel") != after.get("panel"):
            changes.append(after)
    decided = [s for s in changes if s.get("panel")]
    for first, second in itertools.pairwise(decided):
        assert second["written"] - first["written"] >= 3.0
    # What the screen showed is what the log holds: one record per person shown.
    log = tmp_path / "home" / "data" / "demo" / "kiosk" / "data" / "checkins.sqlite3"
    recorded = checkins(log)
    assert len(recorded) >= 3
    assert {verdict for verdict, _ in recorded} == {"green", "yellow", "red"}
    assert all(reason != "unknown_key" for _, reason in recorded)


@pytest.mark.slow
def test_ctrl_c_leaves_nothing_running(trip: Journey, tmp_path: Path) -> None:
    app = trip.app(tmp_path / "home", "demo", "--windowed").start()
    app.wait_decision(timeout=30)
    assert app.stop(signal.SIGINT) == []
    assert app.process is not None
    assert app.process.returncode in (0, 130, -signal.SIGINT)
