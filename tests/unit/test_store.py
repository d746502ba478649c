"""The check-in log: durable, sealed, the outbox for sync, purged only after sync."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import World, ict, two_dose_card

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.domain import Reason, Verdict
from kiosk.errors import StoreError
from kiosk.store.log import SCHEMA_VERSION, CheckInLog, masked_holder
from kiosk.store.sealing import Sealer

NOW = ict(2021, 10, 1)


def _log(tmp_path: Path, **kwargs: object) -> CheckInLog:
    return CheckInLog.open(tmp_path, kiosk_id="kiosk-1", venue_id="HCM-Q1-1", **kwargs)  # type: ignore[arg-type]


def _green(world: World) -> Decision:
    decision = pipeline.process(world.city.issue(two_dose_card()), NOW, world.context())
    assert decision.verdict is Verdict.GREEN
    return decision


def test_a_recorded_check_in_reads_back(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = _green(world)
    recorded = log.record(decision)
    [read] = log.unsynced()
    assert read == recorded
    assert read.card_id == decision.card.card_id  # type: ignore[union-attr]
    assert read.holder == "Nguyễn V. A., 1987"
    assert (read.verdict, read.reason, read.venue_id) == (
        Verdict.GREEN,
        "admitted_green",
        "HCM-Q1-1",
    )
    assert read.at == NOW.astimezone(UTC)


def test_a_red_without_a_card_is_recorded_too(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = pipeline.process("not a card", NOW, world.context())
    recorded = log.record(decision)
    assert (recorded.verdict, recorded.reason, recorded.card_id) == (
        Verdict.RED,
        Reason.UNSUPPORTED_FORMAT.value,
        None,
    )


def test_personal_fields_are_sealed_at_rest(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = _green(world)
    log.record(decision, manual=True, manual_reason="Giấy chứng nhận tiêm chủng bản giấy")
    log.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("checkins.sqlite3*"))
    card_id = decision.card.card_id.encode()  # type: ignore[union-attr]
    for secret in (card_id, "Nguyễn".encode(), "bản giấy".encode()):
        assert secret not in raw
    assert (tmp_path / "keys" / "store.key").stat().st_mode & 0o777 == 0o600


def test_the_database_without_its_key_does_not_open(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    log.record(_green(world))
    log.close()
    other = CheckInLog(
        tmp_path / "checkins.sqlite3",
        Sealer(bytes(32)),
        kiosk_id="kiosk-1",
        venue_id="HCM-Q1-1",
    )
    with pytest.raises(StoreError, match="does not open"):
        other.unsynced()


def test_manual_admission_needs_a_reason(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = pipeline.process("paper certificate", NOW, world.context())
    with pytest.raises(StoreError, match="reason"):
        log.record(decision, manual=True, manual_reason="  ")
    recorded = log.record(decision, manual=True, manual_reason="paper certificate checked")
    assert (recorded.manual, recorded.verdict, recorded.reason) == (
        True,
        Verdict.GREEN,
        "manual_admission",
    )
    assert log.unsynced()[0].manual_reason == "paper certificate checked"


def test_sync_marks_and_purges_only_after_retention(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    records = [log.record(_green(world)) for _ in range(5)]
    assert log.queue_length() == 5
    synced_at = NOW
    assert log.mark_synced([r.uuid for r in records[:3]] + [str(uuid.uuid4())], synced_at) == 3
    assert log.mark_synced([records[0].uuid], synced_at) == 0  # already synced: unchanged
    assert [r.uuid for r in log.unsynced()] == [r.uuid for r in records[3:]]
    assert log.purge(synced_at + timedelta(days=20)) == 0  # within retention
    assert log.purge(synced_at + timedelta(days=22)) == 3
    assert log.count() == 2  # the unsynced two are never purged
    assert log.purge(synced_at + timedelta(days=3650)) == 0


def test_refused_records_are_kept_but_not_resent(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    bad, good = log.record(_green(world)), log.record(_green(world))
    log.mark_refused(bad.uuid, "invalid_request: holder too long")
    assert [r.uuid for r in log.unsynced()] == [good.uuid]
    assert log.count() == 2
    assert log.purge(NOW + timedelta(days=3650)) == 0


def test_schema_version_and_reopen(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    log.record(_green(world))
    assert log.schema_version == SCHEMA_VERSION
    log.close()
    again = _log(tmp_path)
    assert again.count() == 1
    assert again.schema_version == SCHEMA_VERSION


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    _log(tmp_path).close()
    with sqlite3.connect(tmp_path / "checkins.sqlite3") as db:
        db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer"):
        _log(tmp_path)


def test_disk_full_is_a_clear_error_and_earlier_records_survive(
    tmp_path: Path, world: World
) -> None:
    log = _log(tmp_path)
    kept = [log.record(_green(world)) for _ in range(3)]
    # SQLite's own limit on the file: the real SQLITE_FULL path, as on a full disk.
    pages = log._db.execute_sql("PRAGMA page_count").fetchone()[0]
    log._db.execute_sql(f"PRAGMA max_page_count = {pages}")
    decision = _green(world)

    def fill() -> None:
        for _ in range(200):
            log.record(decision)

    with pytest.raises(StoreError, match="disk is full"):
        fill()
    log.close()
    again = _log(tmp_path)
    uuids = {r.uuid for r in again.unsynced(10_000)}
    assert {r.uuid for r in kept} <= uuids


def test_last_seen_for_re_entry(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = _green(world)
    log.record(decision)
    card_id = decision.card.card_id  # type: ignore[union-attr]
    assert log.last_seen(card_id, NOW - timedelta(hours=1)) == NOW.astimezone(UTC)
    assert log.last_seen(card_id, NOW + timedelta(seconds=1)) is None
    assert log.last_seen("someone-else", NOW - timedelta(days=1)) is None


def test_day_log_between(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    for hours in (0, 5, 30):
        decision = pipeline.process("x", NOW + timedelta(hours=hours), world.context())
        log.record(decision)
    day = log.between(NOW, NOW + timedelta(days=1))
    assert [r.at for r in day] == [(NOW + timedelta(hours=h)).astimezone(UTC) for h in (0, 5)]


def test_masked_holder_without_a_card_is_none(world: World) -> None:
    assert masked_holder(pipeline.process("", NOW, world.context())) is None


def test_wire_format_matches_the_protocol(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    wire = log.record(_green(world)).wire()
    assert set(wire) == {
        "uuid", "at", "venue_id", "card_id", "card_format", "verdict", "reason",
        "holder", "manual", "manual_reason", "rules_version",
    }  # fmt: skip
    assert datetime.fromisoformat(str(wire["at"])) == NOW
