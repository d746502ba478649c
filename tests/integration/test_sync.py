"""The sync worker against a real platform on 127.0.0.1, with faults injected into it."""

from __future__ import annotations

import io
import json
import random
import socket
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import World, ict, two_dose_card

from cityplatform.testing import RunningPlatform, running_platform
from kiosk import pipeline
from kiosk.cli import main
from kiosk.demo import builtin_document, demo_cards, demo_kit
from kiosk.domain import Holder
from kiosk.errors import EnrollmentError, RetryLater
from kiosk.paths import Paths
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import BACKOFF_CAP, SyncReport, SyncState, SyncWorker
from kiosk.verify.bundle import make_bundle
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.keys import load_public_key
from kiosk.verify.revocation import RevocationList

NOW = ict(2021, 10, 1)
VENUE = "HCM-Q1-000123"


@dataclass
class Kiosk:
    platform: RunningPlatform
    paths: Paths
    log: CheckInLog
    client: PlatformClient
    worker: SyncWorker
    world: World

    def record(self, n: int = 1) -> list[str]:
        decision = pipeline.process(
            self.world.city.issue(two_dose_card()), NOW, self.world.context()
        )
        return [self.log.record(decision).uuid for _ in range(n)]


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[RunningPlatform]:
    with running_platform(tmp_path) as running:
        yield running


def _kiosk(
    tmp_path: Path, platform: RunningPlatform, world: World, *, timeout: float = 5.0
) -> Kiosk:
    paths = Paths(data=tmp_path / "data", config=tmp_path / "config", logs=tmp_path / "logs")
    key = device_key(paths.data / "keys")
    client = PlatformClient(platform.url, timeout=timeout)
    kiosk_id = client.enroll(platform.token(VENUE), VENUE, "Entrance A", key)
    Enrollment(platform.url, kiosk_id, VENUE, "Entrance A").save(paths.data / "enrollment.json")
    log = CheckInLog.open(paths.data, kiosk_id=kiosk_id, venue_id=VENUE)
    trust = InstalledTrust(paths.trust)
    trust.pin_root(load_public_key(platform.root_pub))
    worker = SyncWorker(
        log, client, paths.data / "sync-state.json", trust=trust, rng=random.Random(1)
    )
    return Kiosk(platform, paths, log, client, worker, world)


@pytest.fixture
def kiosk(tmp_path: Path, platform: RunningPlatform, world: World) -> Iterator[Kiosk]:
    made = _kiosk(tmp_path, platform, world)
    yield made
    made.client.close()


def test_records_reach_the_platform_in_batches(kiosk: Kiosk) -> None:
    uuids = kiosk.record(1200)
    report = kiosk.worker.sync_once()
    assert report.ok, report
    assert (report.uploaded, report.duplicates, report.remaining) == (1200, 0, 0)
    assert kiosk.platform.store.checkin_uuids() == set(uuids)
    assert kiosk.log.queue_length() == 0
    assert report.drift_ms is not None
    assert abs(report.drift_ms) < 5_000
    assert kiosk.worker.state.last_error is None
    assert kiosk.worker.state.last_success is not None


def test_server_down_keeps_everything_and_backs_off(tmp_path: Path, world: World) -> None:
    with running_platform(tmp_path) as platform:
        kiosk = _kiosk(tmp_path, platform, world)
    # The platform is gone now; its port refuses connections.
    kiosk.record(3)
    report = kiosk.worker.sync_once()
    assert not report.ok
    assert report.remaining == 3
    assert kiosk.worker.state.failures == 1
    assert "ConnectError" in str(kiosk.worker.state.last_error)
    first = kiosk.worker.delay_after(report)
    kiosk.worker.sync_once()
    kiosk.worker.sync_once()
    third = kiosk.worker.delay_after(kiosk.worker.sync_once())
    assert 0.5 <= first <= 1.0  # 1 s ceiling with jitter in [ceiling/2, ceiling]
    assert 4.0 <= third <= 8.0  # doubled three times
    kiosk.client.close()


def test_backoff_is_capped() -> None:
    worker = SyncWorker.__new__(SyncWorker)
    worker._rng = random.Random(3)
    for failures in (1, 5, 12, 40):
        worker.state = SyncState(failures=failures)
        delay = worker.delay_after(SyncReport(error="down"))
        assert 0 < delay <= BACKOFF_CAP


def test_server_errors_then_recovery_store_each_record_once(kiosk: Kiosk) -> None:
    uuids = kiosk.record(10)
    kiosk.platform.faults.fail_next(2, status=500)
    assert not kiosk.worker.sync_once().ok
    assert not kiosk.worker.sync_once().ok
    report = kiosk.worker.sync_once()
    assert report.ok, report
    assert kiosk.platform.store.checkin_uuids() == set(uuids)
    assert kiosk.platform.store.count_checkins() == 10


def test_429_retry_after_is_honoured(kiosk: Kiosk) -> None:
    kiosk.record(2)
    kiosk.platform.faults.throttle_next(1, retry_after=7)
    report = kiosk.worker.sync_once()
    assert report.retry_after == 7
    assert kiosk.worker.delay_after(report) == 7
    assert kiosk.worker.sync_once().ok


def test_a_timeout_loses_nothing(tmp_path: Path, platform: RunningPlatform, world: World) -> None:
    kiosk = _kiosk(tmp_path, platform, world, timeout=0.5)
    uuids = kiosk.record(5)
    kiosk.platform.faults.delay_next(1, seconds=2.0, path="/v1/checkins")
    report = kiosk.worker.sync_once()
    assert not report.ok
    assert "timed out" in str(report.error)
    assert kiosk.log.queue_length() == 5
    report = kiosk.worker.sync_once()
    assert report.ok, report
    # The delayed request may have been stored after the client gave up: then the
    # resend is acknowledged as a duplicate, never stored twice.
    assert report.uploaded + report.duplicates == 5
    assert kiosk.platform.store.count_checkins() == 5
    assert kiosk.platform.store.checkin_uuids() == set(uuids)
    kiosk.client.close()


def test_reset_after_commit_is_a_duplicate_not_a_second_copy(kiosk: Kiosk) -> None:
    uuids = kiosk.record(25)
    kiosk.platform.faults.commit_then_drop(1)
    report = kiosk.worker.sync_once()
    assert not report.ok  # the reply was lost
    assert kiosk.platform.store.count_checkins() == 25  # but the platform had committed
    assert kiosk.log.queue_length() == 25  # so the kiosk still holds them
    report = kiosk.worker.sync_once()
    assert report.ok, report
    assert (report.uploaded, report.duplicates) == (0, 25)
    assert kiosk.platform.store.count_checkins() == 25
    assert kiosk.platform.store.checkin_uuids() == set(uuids)
    assert kiosk.log.queue_length() == 0


@pytest.mark.parametrize("body_size", [0, 3 << 20], ids=["not-json", "oversized"])
def test_malformed_or_oversized_replies_are_retried(kiosk: Kiosk, body_size: int) -> None:
    kiosk.record(4)
    kiosk.platform.faults.malformed_next(1, body_size=body_size, path="/v1/checkins")
    report = kiosk.worker.sync_once()
    assert not report.ok
    assert kiosk.log.queue_length() == 4
    assert kiosk.worker.sync_once().ok
    assert kiosk.platform.store.count_checkins() == 4


def test_a_long_name_is_shortened_to_what_the_platform_takes(kiosk: Kiosk, world: World) -> None:
    long_name = "Nguyễn " + " ".join(["Văn"] * 45)  # a valid card; masked: 141 characters
    card = replace(two_dose_card(), holder=Holder(long_name, "1987"))
    decision = pipeline.process(world.city.issue(card), NOW, world.context())
    record = kiosk.log.record(decision)
    assert record.holder is not None
    assert len(record.holder) <= 128
    assert record.holder.endswith("…, 1987")
    report = kiosk.worker.sync_once()
    assert (report.ok, report.uploaded, report.refused) == (True, 1, 0)


def test_a_record_the_platform_refuses_is_kept_and_set_aside(kiosk: Kiosk, world: World) -> None:
    good = kiosk.record(3)
    # A venue id longer than the protocol allows (a mistyped provisioning, say).
    bad_log = CheckInLog.open(kiosk.paths.data, kiosk_id=kiosk.log.kiosk_id, venue_id="V" * 65)
    bad = bad_log.record(pipeline.process("x", NOW, world.context())).uuid
    more = kiosk.record(2)
    report = kiosk.worker.sync_once()
    assert report.ok, report
    assert report.refused == 1
    assert kiosk.platform.store.checkin_uuids() == set(good + more)
    assert bad not in kiosk.platform.store.checkin_uuids()
    assert kiosk.log.queue_length() == 0
    assert kiosk.log.count() == 6  # the refused record is kept, never deleted


def test_a_restarted_kiosk_resumes(tmp_path: Path, platform: RunningPlatform, world: World) -> None:
    first = _kiosk(tmp_path, platform, world)
    uuids = first.record(7)
    first.log.close()
    first.client.close()
    enrollment = Enrollment.load(tmp_path / "data" / "enrollment.json")
    assert enrollment is not None
    log = CheckInLog.open(tmp_path / "data", kiosk_id=enrollment.kiosk_id, venue_id=VENUE)
    client = PlatformClient(
        platform.url, key=device_key(tmp_path / "data" / "keys"), kiosk_id=enrollment.kiosk_id
    )
    report = SyncWorker(log, client, tmp_path / "data" / "sync-state.json").sync_once()
    assert report.ok, report
    assert platform.store.checkin_uuids() == set(uuids)
    client.close()


def test_purge_waits_for_sync_and_retention(kiosk: Kiosk) -> None:
    kiosk.record(3)
    assert kiosk.log.purge(datetime.now(UTC) + timedelta(days=400)) == 0  # unsynced: kept
    assert kiosk.worker.sync_once().ok
    assert kiosk.log.purge(datetime.now(UTC) + timedelta(days=20)) == 0
    assert kiosk.log.purge(datetime.now(UTC) + timedelta(days=22)) == 3


def test_a_bundle_signed_by_another_root_is_refused(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    kiosk = _kiosk(tmp_path, platform, world)
    data = make_bundle(  # the platform publishes only bundles signed by its own root
        platform.root_key,
        version=3,
        issued_at=datetime.now(UTC),
        issuers=[world.city.trusted],
        rules=builtin_document("rules.json"),
        venues=builtin_document("venues.json"),
        revocations=RevocationList(),
    )
    platform.store.publish_bundle(data)
    # This kiosk pinned another root (say, a wrong provisioning): the bundle must not apply.
    InstalledTrust(kiosk.paths.trust).pin_root(world.root.public, replace=True)
    report = kiosk.worker.sync_once()
    assert report.ok
    assert report.bundle.startswith("bundle refused")
    assert InstalledTrust(kiosk.paths.trust).load() is None
    # With the right root the same bundle installs, and an older one is never applied.
    InstalledTrust(kiosk.paths.trust).pin_root(load_public_key(platform.root_pub), replace=True)
    assert kiosk.worker.sync_once().bundle == "bundle version 3 installed"
    assert kiosk.worker.sync_once().bundle == "bundle up to date"
    kiosk.client.close()


def test_enrollment_with_a_used_token_is_refused(platform: RunningPlatform, tmp_path: Path) -> None:
    token = platform.token(VENUE)
    key = device_key(tmp_path / "keys")
    client = PlatformClient(platform.url)
    client.enroll(token, VENUE, "A", key)
    with pytest.raises(EnrollmentError, match="token_used"):
        client.enroll(token, VENUE, "B", key)
    client.close()


def test_nothing_listens_is_retry_later() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = PlatformClient(f"http://127.0.0.1:{port}", timeout=1.0)
    with pytest.raises(RetryLater):
        client.server_time()
    client.close()


def test_kiosk_sync_and_status_commands(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    kiosk = _kiosk(tmp_path, platform, world)
    kiosk.record(4)
    out = io.StringIO()
    assert main(["sync", "--status", "--json"], out=out, paths=kiosk.paths) == 0
    before = json.loads(out.getvalue())
    assert before["queue"] == 4
    out = io.StringIO()
    assert main(["sync"], out=out, paths=kiosk.paths) == 0
    assert "uploaded 4" in out.getvalue()
    out = io.StringIO()
    assert main(["sync", "--status", "--json"], out=out, paths=kiosk.paths) == 0
    after = json.loads(out.getvalue())
    assert after["queue"] == 0
    assert after["last_success"] is not None
    assert after["drift_warning"] is False
    kiosk.client.close()


def test_kiosk_sync_without_enrollment_is_a_usage_error(tmp_path: Path) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    assert main(["sync"], out=io.StringIO(), paths=paths) == 2


# --- issue 9: "up to date" only when there is something to be up to date with ----------------


def test_a_platform_with_no_bundle_is_never_called_up_to_date(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    kiosk = _kiosk(tmp_path, platform, world)
    report = kiosk.worker.sync_once()
    assert report.ok
    assert report.bundle == "the platform publishes no trust bundle yet"
    out = io.StringIO()
    assert main(["sync"], out=out, paths=kiosk.paths) == 0
    assert "the platform publishes no trust bundle yet" in out.getvalue().splitlines()
    assert "up to date" not in out.getvalue()
    kiosk.client.close()


# --- issue 9: check-ins judged with the demo's keys never reach a real platform ---------------


def _scan(paths: Paths, *cards: str) -> str:
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{card}\n" for card in cards))
    argv = ["scan", "--source", "stdin", "--max-decisions", str(len(cards))]
    assert main(argv, out=out, stdin=stdin, paths=paths) == 0
    return out.getvalue()


def test_an_enrolled_kiosk_never_uploads_a_check_in_judged_with_demo_trust(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    paths = Paths(data=tmp_path / "data", config=tmp_path / "config", logs=tmp_path / "logs")
    demo_card = demo_cards(demo_kit(paths), datetime.now(UTC))[0]
    # Before provisioning: the demo's trust data judges (green), the log records it as the
    # demo's.
    assert "GREEN" in _scan(paths, demo_card.text)

    # Provisioned with the city's trust data and enrolled.
    bundle = make_bundle(
        platform.root_key,
        version=1,
        issued_at=datetime.now(UTC),
        issuers=[world.city.trusted],
        rules=builtin_document("rules.json"),
        venues=builtin_document("venues.json"),
        revocations=RevocationList(),
    )
    platform.store.publish_bundle(bundle)
    provision = [
        "provision", "--venue-id", VENUE, "--venue-name", "Phở 24", "--category", "dine-in",
        "--root", str(platform.root_pub), "--platform", platform.url,
        "--token", platform.token(VENUE),
    ]  # fmt: skip
    assert main(provision, out=io.StringIO(), paths=paths) == 0
    now = datetime.now(UTC)
    city_card = world.city.issue(
        two_dose_card(
            (now - timedelta(days=60)).date(),
            issued_at=now - timedelta(days=50),
            expires_at=now + timedelta(days=300),
        )
    )
    assert "GREEN" in _scan(paths, city_card)
    assert "RED" in _scan(paths, demo_card.text)  # city trust: the demo's key is unknown

    # The kiosk loses its pinned root (a damaged disk, a careless re-provisioning): it
    # judges with the demo's keys again, and what it decides so is still the demo's.
    InstalledTrust(paths.trust).root_path.unlink()
    assert "GREEN" in _scan(paths, demo_card.text)

    out = io.StringIO()
    assert main(["sync", "--json"], out=out, paths=paths) == 0
    report = json.loads(out.getvalue())
    assert (report["uploaded"], report["remaining"]) == (2, 0)  # the city card, the red demo one
    assert platform.store.stats()["checkins"] == 2
    log = CheckInLog.open(paths.data, kiosk_id="x", venue_id="x")
    try:
        records = log.between(now - timedelta(days=1), now + timedelta(days=1))
    finally:
        log.close()
    owners = sorted((record.kiosk_id == "demo", record.synced_at is not None) for record in records)
    assert owners == [(False, True), (False, True), (True, False), (True, False)]


def test_a_uuid_another_kiosk_holds_is_resent_under_a_new_one(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    """Issue 10, item 7: the platform acknowledged a uuid *another* kiosk had stored, so
    this kiosk marked its own, different record synced and it never arrived."""
    first = _kiosk(tmp_path / "a", platform, world)
    second = _kiosk(tmp_path / "b", platform, world)
    try:
        (shared,) = first.record()
        assert first.worker.sync_once().ok
        decision = pipeline.process(
            world.city.issue(two_dose_card()), NOW + timedelta(hours=1), world.context()
        )
        mine = second.log.record(decision, record_uuid=shared)  # the same uuid, by chance
        report = second.worker.sync_once()
        assert report.ok, report
        stored = platform.store.checkin_uuids()
        assert shared in stored
        assert len(stored) == 2  # both check-ins, each once
        (new,) = stored - {shared}
        assert second.log.queue_length() == 0
        assert second.log.unsynced() == []
        # The original is kept, flagged with where it went, never sent again.
        assert second.log.refused_count() == 1
        assert mine.uuid == shared
        assert second.worker.sync_once().ok
        assert platform.store.count_checkins() == 2
        assert new != shared
    finally:
        first.client.close()
        second.client.close()


def test_moving_to_another_venue_first_delivers_the_old_venues_queue(
    tmp_path: Path, platform: RunningPlatform, world: World
) -> None:
    """Issue 10, item 11: re-enrolled at a new venue, the kiosk's unsynced records of
    the old one were refused one by one and flagged forever."""
    from kiosk.provisioning import enroll

    kiosk = _kiosk(tmp_path, platform, world)
    kiosk.client.close()
    waiting = kiosk.record(3)
    kiosk.log.close()
    new_venue = "HCM-Q3-000777"
    token = platform.token(new_venue)
    result = enroll(kiosk.paths, platform.url, token, new_venue)
    assert {detail.code for detail in result.note_details} >= {"moved_after_delivering"}
    assert set(waiting) <= platform.store.checkin_uuids()  # delivered under the old venue
    log = CheckInLog.open(kiosk.paths.data, kiosk_id="x", venue_id=new_venue)
    assert log.queue_length() == 0
    assert log.refused_count() == 0
    log.close()


def test_a_kiosk_that_cannot_deliver_its_queue_does_not_move(tmp_path: Path, world: World) -> None:
    from kiosk.errors import EnrollmentError
    from kiosk.provisioning import enroll

    with running_platform(tmp_path / "p") as platform:
        kiosk = _kiosk(tmp_path, platform, world)
        token = platform.token("HCM-Q3-000777")
        url = platform.url
    kiosk.client.close()
    kiosk.record(2)
    kiosk.log.close()
    # The platform is gone: the queue cannot be delivered, so the kiosk stays where it is.
    with pytest.raises(EnrollmentError) as refused:
        enroll(kiosk.paths, url, token, "HCM-Q3-000777", timeout=1.0)
    assert refused.value.code == "enroll_queue_undelivered"
    assert "2 check-in(s) recorded at venue HCM-Q1-000123" in str(refused.value)
    stays = Enrollment.load(kiosk.paths.data / "enrollment.json")
    assert stays is not None
    assert stays.venue_id == VENUE
