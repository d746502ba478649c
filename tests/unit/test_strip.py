"""The status strip tells the truth (issue 9): its words without Qt, and the status the
runtime hands it (network, venue problem, people and scans, the camera's state)."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from helpers import World, ict

from kiosk import pipeline
from kiosk.config import Settings
from kiosk.domain import Verdict
from kiosk.paths import Paths
from kiosk.runtime import KioskRuntime, KioskStatus, Network, VenueProblem, network_of
from kiosk.scanner.sources import Image, OpenCvSource, SourceState
from kiosk.scanner.synthetic import SyntheticSource
from kiosk.store.log import DayCounts
from kiosk.sync.device import Enrollment
from kiosk.sync.worker import SyncState
from kiosk.ui.stripview import (
    PROBLEMS,
    StripView,
    problem_words,
    scanning_words,
    strip_view,
)
from kiosk.verify.installed import InstalledTrust

NOW = ict(2021, 10, 1, 10)


def _status(**changes: object) -> KioskStatus:
    values: dict[str, object] = {
        "network": Network.ONLINE,
        "waiting": 0,
        "last_sync": NOW,
        "last_error": None,
        "trust_source": "installed bundle version 7",
        "trust_age": timedelta(days=2),
        "trust_stale": False,
        "drift_seconds": None,
        "drift_warning": False,
        "camera": SourceState.LIVE,
        "today": DayCounts(
            people={Verdict.GREEN: 10, Verdict.YELLOW: 1, Verdict.RED: 1}, scans=15, reentries=3
        ),
    }
    values.update(changes)
    return KioskStatus(**values)  # type: ignore[arg-type]


def _text(view: StripView, name: str) -> str | None:
    item = dict(view.items())[name]
    return None if item is None else item.text


# --- the words -------------------------------------------------------------------------


def test_people_per_verdict_and_scans_apart() -> None:
    view = strip_view(_status())
    assert _text(view, "today") == "Today: 12 people"
    assert [_text(view, name) for name in ("green", "yellow", "red")] == [
        "10 green",
        "1 yellow",
        "1 red",
    ]
    assert _text(view, "scans") == "15 scans"


def test_nothing_is_offline_before_an_attempt_failed() -> None:
    connecting = strip_view(_status(network=Network.CONNECTING, last_sync=None))
    assert (connecting.network.text, connecting.network.level) == ("Connecting…", "ok")
    assert connecting.last_sync is not None
    assert connecting.last_sync.text == "Not synced yet"
    offline = strip_view(_status(network=Network.OFFLINE, last_error="refused", last_sync=None))
    assert (offline.network.text, offline.network.level) == ("⚠ Offline", "warn")
    assert offline.network.tooltip == "refused"
    assert offline.last_sync is not None
    assert offline.last_sync.text == "Never synced"
    unenrolled = strip_view(_status(network=Network.NOT_ENROLLED, last_sync=None))
    assert unenrolled.network.text == "⚠ Not enrolled"
    assert unenrolled.last_sync is None


def test_a_venue_problem_is_its_own_alert() -> None:
    assert strip_view(_status()).venue is None
    unset = strip_view(_status(venue_problem=VenueProblem.UNSET)).venue
    assert unset is not None
    assert unset.level == "alert"
    assert unset.text.startswith("⚠ Venue category not set: every card is refused")
    unknown = strip_view(
        _status(venue_problem=VenueProblem.UNKNOWN, venue_category="karaoke")
    ).venue
    assert unknown is not None
    assert "karaoke" in unknown.text
    assert "Trust data" not in unknown.text


def test_no_camera_and_the_camera_states() -> None:
    words = {
        state: strip_view(_status(camera=state)).camera.text
        for state in (SourceState.LIVE, SourceState.STARTING, SourceState.LOST)
    }
    assert words == {
        SourceState.LIVE: "Camera on",
        SourceState.STARTING: "Camera starting…",
        SourceState.LOST: "⚠ Camera lost: check the cable",
    }
    none = strip_view(_status(camera=SourceState.STARTING), no_camera=True).camera
    assert (none.text, none.level) == ("⚠ No camera: use the hand scanner", "warn")


def test_the_scanning_page_without_a_camera() -> None:
    assert scanning_words(SourceState.LIVE).prompt.endswith("to the camera")
    for words in (scanning_words(None, no_camera=True), scanning_words(SourceState.LOST)):
        assert words.prompt == "No camera: use the hand scanner"
        assert "camera" not in words.prompt.replace("No camera", "")


def test_every_word_goes_through_the_injected_translator() -> None:
    calls: list[tuple[str, str]] = []

    def translate(context: str, source: str) -> str:
        calls.append((context, source))
        return "«" + source + "»"

    status = _status(network=Network.OFFLINE, venue_problem=VenueProblem.UNSET, drift_warning=True)
    view = strip_view(status, translate, no_camera=True)
    for name, item in view.items():
        assert item is not None, name
        assert "«" in item.text, name
    assert {context for context, _ in calls} == {"StatusStrip"}
    calls.clear()
    scanning_words(None, translate, no_camera=True)
    for code in (*PROBLEMS, "something-new"):
        assert problem_words(code, translate).startswith("«")
    assert {context for context, _ in calls} == {"GuardScreen"}


def test_stripview_imports_no_qt() -> None:
    code = (
        "import sys, kiosk.ui.stripview; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"


# --- the status the runtime hands over ------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "enrolled", "network"),
    [
        (SyncState(), False, Network.NOT_ENROLLED),
        (SyncState(), True, Network.CONNECTING),
        (SyncState(last_attempt="2021-10-01T03:00:00+00:00"), True, Network.CONNECTING),
        (SyncState(last_error="2021-10-01T03:00:00+00:00 refused"), True, Network.OFFLINE),
        (SyncState(last_success="2021-10-01T03:00:00+00:00"), True, Network.ONLINE),
        (
            SyncState(last_success="2021-10-01T03:00:00+00:00", last_error="x refused"),
            True,
            Network.OFFLINE,
        ),
    ],
)
def test_network_of(state: SyncState, enrolled: bool, network: Network) -> None:
    assert network_of(state, enrolled=enrolled) is network


def _paths(tmp_path: Path) -> Paths:
    return Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")


def test_a_freshly_enrolled_kiosk_is_connecting_not_offline(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    Enrollment("http://127.0.0.1:9", "K1", "V1", "Entrance").save(paths.data / "enrollment.json")
    runtime = KioskRuntime(paths, clock=lambda: NOW)
    try:
        assert runtime.status().network is Network.CONNECTING
        SyncState(last_error="2021-10-01T03:00:00+00:00 refused").save(
            paths.data / "sync-state.json"
        )
        assert runtime.status().network is Network.OFFLINE
    finally:
        runtime.close()


@pytest.mark.parametrize(
    ("category", "problem"),
    [(None, VenueProblem.UNSET), ("restaurant", VenueProblem.UNKNOWN), ("dine-in", None)],
)
def test_a_venue_problem_is_not_folded_into_the_trust_data(
    tmp_path: Path, world: World, category: str | None, problem: VenueProblem | None
) -> None:
    paths = _paths(tmp_path)
    trust = InstalledTrust(paths.trust)
    trust.pin_root(world.root.public)
    trust.install(world.bundle())
    Settings(venue_category=category).save(paths)
    runtime = KioskRuntime(paths, clock=lambda: NOW)
    try:
        status = runtime.status()
    finally:
        runtime.close()
    assert status.venue_problem is problem
    assert status.venue_category == category
    assert not status.trust_stale  # the bundle is days old, not too old
    assert status.trust_source == runtime.trust.source  # no venue words in the tooltip


def test_today_counts_a_returning_card_as_a_scan_not_a_person(tmp_path: Path) -> None:
    runtime = KioskRuntime(_paths(tmp_path), clock=lambda: NOW)  # the demo's keys judge
    try:
        card = runtime.demo_texts()[0]
        first = runtime.station.check_in(card)
        assert first.record is not None
        again = pipeline.process(card, NOW + timedelta(minutes=5), runtime.context())
        runtime.log.record(again, reentry=True)
        today = runtime.status().today
    finally:
        runtime.close()
    verdict = first.decision.verdict
    assert today.people[verdict] == 1
    assert sum(today.people.values()) == 1
    assert (today.scans, today.reentries) == (2, 1)


# --- the camera's state reaches the strip --------------------------------------------------


class _Capture:
    """A camera that opens and delivers small grey frames, as a webcam would."""

    def isOpened(self) -> bool:  # OpenCV's name
        return True

    def read(self) -> tuple[bool, Image | None]:
        time.sleep(0.01)
        return True, np.full((48, 64, 3), 128, np.uint8)

    def set(self, _prop: int, _value: float) -> bool:
        return True

    def release(self) -> None:
        pass


@pytest.mark.parametrize("kind", ["opencv camera", "synthetic"])
def test_the_first_frame_makes_the_camera_live(tmp_path: Path, kind: str) -> None:
    runtime = KioskRuntime(_paths(tmp_path), clock=lambda: NOW)
    source = (
        OpenCvSource(0, live=True, capture_factory=lambda _device: _Capture())
        if kind == "opencv camera"
        else SyntheticSource(["HCM1:DEMO"], size=(320, 240), fps=30.0)
    )
    assert runtime.status().camera is SourceState.STARTING
    first_frame = threading.Event()
    loop = runtime.scan_loop(source, on_frame=lambda _frame, _timing: first_frame.set())
    loop.start()
    try:
        assert first_frame.wait(10)
        assert runtime.status().camera is SourceState.LIVE
    finally:
        loop.stop()
        runtime.close()


def test_a_stopped_loop_no_longer_speaks_for_the_camera(tmp_path: Path) -> None:
    """The old loop's thread ending after a new loop started must not turn the strip's
    "camera on" into "camera stopped"."""
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    Settings(camera="synthetic").save(paths)
    runtime = KioskRuntime(paths)
    try:
        old = runtime.scan_loop(SyntheticSource(["x"], realtime=False))
        new = runtime.scan_loop(SyntheticSource(["y"], realtime=False))
        assert runtime.camera_state is SourceState.STARTING
        new._on_state(SourceState.LIVE)  # type: ignore[misc]
        old._on_state(SourceState.ENDED)  # type: ignore[misc]
        assert runtime.camera_state is SourceState.LIVE
    finally:
        runtime.close()


def test_an_enrolled_kiosk_judging_with_the_demos_keys_uploads_nothing(tmp_path: Path) -> None:
    """Its root key gone (so the demo's trust data judges): its check-ins are the demo's."""
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    Enrollment("http://127.0.0.1:9", "kiosk-1", "HCM-Q1-000123", "Door").save(
        paths.data / "enrollment.json"
    )
    runtime = KioskRuntime(paths)
    try:
        assert runtime.trust.demo
        runtime.station.check_in(runtime.demo_texts()[0])
        assert runtime.log.queue_length() == 0  # nothing waits to go to the platform
        assert runtime.log.unsynced() == []
    finally:
        runtime.close()


def test_damaged_records_are_an_alert_on_the_strip(tmp_path: Path) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    runtime = KioskRuntime(paths)
    try:
        view = strip_view(replace(runtime.status(), damaged=2))
        assert view.waiting.level == "alert"
        assert "2 damaged record(s) kept aside: call the technician" in view.waiting.text
        assert strip_view(runtime.status()).waiting.level == "ok"
    finally:
        runtime.close()


def test_a_replaced_log_is_an_alert_not_an_empty_queue(tmp_path: Path) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    runtime = KioskRuntime(paths)
    try:
        view = strip_view(replace(runtime.status(), log_problem="replaced"))
        assert view.waiting.level == "alert"
        assert "The check-in log was replaced: call the technician" in view.waiting.text
    finally:
        runtime.close()
