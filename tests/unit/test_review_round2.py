"""Fixes from the second review: fail closed, demo rows stay home, keys, drift, spin."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import World, ict, two_dose_card

from cityplatform.testing import running_platform
from kiosk import pipeline
from kiosk.config import Settings
from kiosk.domain import Reason, Verdict
from kiosk.errors import StoreError
from kiosk.paths import Paths
from kiosk.runtime import KioskRuntime
from kiosk.store.log import DEMO, CheckInLog, traced_id
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import SyncWorker
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.keys import load_public_key

NOW = ict(2021, 10, 1)


def _paths(tmp_path: Path) -> Paths:
    return Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")


def test_an_unknown_venue_category_admits_nobody(tmp_path: Path, world: World) -> None:
    paths = _paths(tmp_path)
    trust = InstalledTrust(paths.trust)
    trust.pin_root(world.root.public)
    trust.install(world.bundle())
    Settings(venue_category="restaurant").save(paths)  # not a category of the bundle
    runtime = KioskRuntime(paths, clock=lambda: NOW)
    result = runtime.station.check_in(world.city.issue(two_dose_card()))
    assert result.decision.reason is Reason.NOT_ADMITTED
    status = runtime.status()
    # Said as a venue problem of its own (issue 9), not as old trust data.
    assert (status.venue_problem, status.venue_category) == ("venue_unknown", "restaurant")
    assert not status.trust_stale
    runtime.close()


def test_a_known_venue_category_still_admits(tmp_path: Path, world: World) -> None:
    paths = _paths(tmp_path)
    trust = InstalledTrust(paths.trust)
    trust.pin_root(world.root.public)
    trust.install(world.bundle())
    Settings(venue_category="dine-in").save(paths)
    runtime = KioskRuntime(paths, clock=lambda: NOW)
    result = runtime.station.check_in(world.city.issue(two_dose_card()))
    assert result.decision.verdict is Verdict.GREEN
    assert runtime.venue_problem is None
    runtime.close()


def test_demo_check_ins_never_reach_the_platform(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    runtime = KioskRuntime(paths)  # not provisioned: the demo's keys judge
    demo_card = runtime.demo_texts()[0]
    assert runtime.station.check_in(demo_card).decision.verdict is Verdict.GREEN
    assert runtime.log.kiosk_id == DEMO
    assert runtime.log.queue_length() == 0  # nothing to upload
    with running_platform(tmp_path) as platform:
        InstalledTrust(paths.trust).pin_root(load_public_key(platform.root_pub))
        key = device_key(paths.data / "keys")
        client = PlatformClient(platform.url)
        kiosk_id = client.enroll(platform.token("V1"), "V1", "A", key)
        Enrollment(platform.url, kiosk_id, "V1", "A").save(paths.data / "enrollment.json")
        runtime.reload()
        worker = runtime.sync_worker()
        assert worker is not None
        report = worker.sync_once()
        assert report.ok, report
        assert platform.store.count_checkins() == 0
        client.close()
    assert runtime.log.count() == 1  # kept locally, for the day's log
    runtime.close()


def test_a_log_whose_key_is_lost_is_not_silently_rekeyed(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    log.record(pipeline.process(world.city.issue(two_dose_card()), NOW, world.context()))
    log.close()
    (tmp_path / "keys" / "store.key").unlink()
    with pytest.raises(StoreError, match="restore the key"):
        CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    assert not (tmp_path / "keys" / "store.key").exists()


def test_very_long_card_ids_are_kept_as_a_stable_digest() -> None:
    long_id = "https://" + "x" * 200 + "#rid"
    assert traced_id(long_id) == traced_id(long_id)
    assert len(traced_id(long_id)) <= 128
    assert traced_id("URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B").startswith("URN")


def test_a_card_still_held_up_is_not_returning(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    from kiosk.station import Station

    clock = [NOW]
    station = Station(world.context, log, lambda: clock[0], reentry_window=timedelta(hours=2))
    card = world.city.issue(two_dose_card())
    assert station.check_in(card).returning_since is None
    clock[0] = NOW + timedelta(seconds=5)  # held up: decided again after the debounce
    assert station.check_in(card).returning_since is None
    clock[0] = NOW + timedelta(minutes=30)  # back after half an hour
    assert station.check_in(card).returning_since == (NOW + timedelta(seconds=5)).astimezone(UTC)


class _CountingEvent(threading.Event):
    def __init__(self) -> None:
        super().__init__()
        self.waits = 0

    def wait(self, timeout: float | None = None) -> bool:
        self.waits += 1
        return super().wait(timeout)


def test_the_sync_thread_does_not_spin_while_offline(tmp_path: Path) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    client = PlatformClient("http://127.0.0.1:9", key=device_key(tmp_path / "keys"), kiosk_id="k")
    worker = SyncWorker(log, client, tmp_path / "state.json")
    stop, wake = threading.Event(), _CountingEvent()
    wake.set()  # a check-in was recorded
    thread = threading.Thread(target=worker.run, args=(stop, wake))
    thread.start()
    time.sleep(1.5)
    stop.set()
    thread.join(timeout=10)
    assert wake.waits < 20  # the bug: tens of thousands of returns from a set event
    client.close()


def test_a_kiosk_clock_far_off_gets_its_drift_measured(tmp_path: Path) -> None:
    with running_platform(tmp_path) as platform:
        key = device_key(tmp_path / "keys")
        kiosk_id = PlatformClient(platform.url).enroll(platform.token("V1"), "V1", "A", key)
        log = CheckInLog.open(tmp_path / "k", kiosk_id=kiosk_id, venue_id="V1")
        log.record(pipeline.process("x", datetime.now(UTC), pipeline.Context(*_empty())))
        ahead = lambda: time.time() + 600  # noqa: E731 - ten minutes fast
        client = PlatformClient(platform.url, key=key, kiosk_id=kiosk_id, wall_clock=ahead)
        worker = SyncWorker(log, client, tmp_path / "state.json", wall_clock=ahead)
        report = worker.sync_once()
        assert not report.ok
        assert "stale_timestamp" in str(report.error)
        assert worker.state.drift_ms is not None
        assert worker.state.drift_ms < -590_000
        assert worker.state.drift_warning
        client.close()


def _empty() -> tuple[object, object]:
    from kiosk.rules.ruleset import RuleBook
    from kiosk.verify.truststore import TrustStore

    return TrustStore(), RuleBook()


def test_enrollment_tokens_never_look_like_options(tmp_path: Path) -> None:
    with running_platform(tmp_path) as platform:
        tokens = [platform.token("V1") for _ in range(200)]
    assert not any(token.startswith("-") for token in tokens)
