"""The network at the door goes away: decisions go on; the records reach the platform
exactly once when it is back."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from harness import Journey, city_kiosk, panel, wait_for


@pytest.mark.slow
def test_offline_then_online_every_record_reaches_the_platform_once(
    trip: Journey, tmp_path: Path
) -> None:
    kiosk = city_kiosk(trip, tmp_path / "home")
    people = [("Nguyễn Văn An", "1987-05-12"), ("Trần Thị Lan", "1990"), ("Lê Văn Tám", "1975")]
    cards = [kiosk.card(name, birth) for name, birth in people]
    app = trip.app(kiosk.home, "run").start()
    app.see("Trực tuyến", timeout=30)  # online once the first sync went through

    kiosk.platform.stop()  # the entrance's network is down
    after = 0.0
    for (name, _), card in zip(people, cards, strict=True):
        app.scan(card)
        state = app.wait_decision(after=after)
        assert panel(state)["tone"] == "green", (panel(state)["headline"], panel(state)["details"])
        assert panel(state)["holder"] == name
        after = state["written"]
        app.wait("back to scanning", lambda s: s.get("panel") is None, timeout=20)
    app.see("Ngoại tuyến", timeout=60)  # offline: the strip says so once a sync failed
    app.see("3 lượt chờ đồng bộ", timeout=20)
    assert kiosk.platform.checkins() == []

    kiosk.platform.start()  # back, on the same address
    wait_for("3 check-ins on the platform", lambda: len(kiosk.platform.checkins()) >= 3, 90)
    app.see("0 lượt chờ đồng bộ", timeout=30)
    time.sleep(3)  # a second pass must not send them again
    stored = kiosk.platform.checkins()
    assert len(stored) == 3
    with sqlite3.connect(kiosk.home / "data" / "checkins.sqlite3") as log:
        local = {row[0] for row in log.execute("SELECT uuid FROM checkin")}
    assert {row["uuid"] for row in stored} == local
    assert {row["verdict"] for row in stored} == {"green"}
