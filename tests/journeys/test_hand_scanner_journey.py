"""A visitor scans a card on the hand scanner while the manager's PIN pad is open.

The scan is a scan (by its prefix and typing speed): the visitor gets a decision on the
guard screen, the PIN pad counts no attempt, and five such scans do not lock the
manager out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import Journey, city_kiosk, panel

PIN = "2468"


@pytest.mark.slow
def test_scans_typed_into_the_pin_pad_are_decisions_not_pin_attempts(
    trip: Journey, tmp_path: Path
) -> None:
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    kiosk = city_kiosk(trip, tmp_path / "home", "--pin-file", str(pin_file))
    people = [f"Khách Số {n}" for n in range(1, 6)]
    cards = [kiosk.card(name, "1980") for name in people]
    app = trip.app(kiosk.home, "run").start()

    for name, card in zip(people, cards, strict=True):
        app.key("F2")
        app.see("Mã PIN quản lý")  # the PIN pad is open and has the keys
        app.scan(card)
        # The previous visitor's decision may still be up (4 s): wait for this one's.
        state = app.wait(
            f"{name}'s decision",
            lambda s, name=name: bool(s.get("panel")) and s["panel"]["holder"] == name,
        )
        assert state["screen"] == "GuardScreen"
        assert panel(state)["tone"] == "green"

    pins = json.loads((kiosk.home / "config" / "manager-pin.json").read_text())
    assert pins.get("failures", 0) == 0, pins
    # The manager is not locked out: the right PIN, typed as a person types it, opens
    # the day's log, which lists the five visitors.
    app.key("F2")
    app.see("Mã PIN quản lý")
    app.type(PIN)
    app.key("Return")
    state = app.wait("the day's log", lambda s: bool(s.get("tables")), timeout=20)
    rows = state["tables"][0]["rows"]
    assert len(rows) == 5
