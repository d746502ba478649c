"""The station records every decision before handing it to the screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers import World, ict, two_dose_card

from kiosk.domain import Verdict
from kiosk.station import Station
from kiosk.store.log import CheckInLog

NOW = ict(2021, 10, 1)


def test_a_decision_comes_back_recorded(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    result = station.check_in(world.city.issue(two_dose_card()))
    assert result.error is None
    assert result.record is not None
    assert result.decision.verdict is Verdict.GREEN
    assert station.recorded.is_set()  # the sync worker is woken
    assert [r.uuid for r in log.unsynced()] == [result.record.uuid]


def test_a_full_disk_gives_an_error_to_show_not_an_admission(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    first = station.check_in(world.city.issue(two_dose_card()))
    assert first.record is not None
    pages = log._db.execute_sql("PRAGMA page_count").fetchone()[0]
    log._db.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    results = [station.check_in(world.city.issue(two_dose_card())) for _ in range(100)]
    failed = [r for r in results if r.error is not None]
    assert failed, "the log never filled up"
    assert all(r.record is None and "disk is full" in r.error for r in failed)  # type: ignore[operator]
    assert first.record.uuid in {r.uuid for r in log.unsynced(10_000)}


def test_without_a_log_nothing_is_recorded(world: World) -> None:
    result = Station(world.context, None, lambda: NOW).check_in("HCM1:garbage")
    assert (result.record, result.error, result.decision.verdict) == (None, None, Verdict.RED)


def test_a_returning_card_is_recorded_as_a_reentry(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    now = [NOW]
    station = Station(world.context, log, lambda: now[0], reentry_window=timedelta(hours=2))
    card = world.city.issue(two_dose_card())
    first = station.check_in(card)
    now[0] += timedelta(minutes=30)
    back = station.check_in(card)
    assert first.record is not None
    assert back.record is not None
    assert (first.returning_since, first.record.reentry) == (None, False)
    assert back.returning_since is not None
    assert back.record.reentry is True
    counts = log.people(NOW, NOW + timedelta(days=1))
    assert (counts.total_people, counts.scans, counts.reentries) == (1, 2, 1)


def test_a_manual_admission_records_who_was_admitted(tmp_path: Path, world: World) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    result = station.admit_manually(
        "Paper vaccination certificate: no. 012345", name="Phạm Minh Châu", phone="0912 345 678"
    )
    assert result.error is None
    assert result.record is not None
    assert (result.record.manual, result.record.verdict) == (True, Verdict.GREEN)
    assert (result.record.manual_name, result.record.manual_phone) == (
        "Phạm Minh Châu",
        "0912 345 678",
    )
    assert station.recorded.is_set()
    [sent] = log.unsynced()
    assert (sent.wire()["manual_name"], sent.wire()["manual_phone"]) == (
        "Phạm Minh Châu",
        "0912 345 678",
    )


@pytest.mark.parametrize(
    ("name", "phone", "problem"),
    [("", "0912 345 678", "no_name"), ("Lê Văn Tám", "", "no_phone"), ("An", "abc", "bad_phone")],
)
def test_a_manual_admission_without_a_way_to_reach_the_person_is_refused(
    tmp_path: Path, world: World, name: str, phone: str, problem: str
) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    with pytest.raises(ValueError, match=problem):
        station.admit_manually("paper certificate", name=name, phone=phone)
    assert log.count() == 0
    assert not station.recorded.is_set()


def test_scan_json_of_a_decision_not_recorded_does_not_read_as_admitted(
    tmp_path: Path, world: World
) -> None:
    """`kiosk scan --json` on a full disk: "verdict": "error", never "green"."""
    from kiosk.cli import scan_json

    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    recorded = station.check_in(world.city.issue(two_dose_card()))
    assert scan_json(recorded, 0.001)["verdict"] == "green"
    pages = log._db.execute_sql("PRAGMA page_count").fetchone()[0]
    log._db.execute_sql(f"PRAGMA max_page_count = {pages}")  # SQLite's own SQLITE_FULL
    results = [station.check_in(world.city.issue(two_dose_card())) for _ in range(100)]
    failed = next(r for r in results if r.record is None)
    line = scan_json(failed, 0.001)
    assert (line["verdict"], line["reason"], line["recorded"]) == ("error", "not_recorded", None)
    assert line["error_code"] == "disk_full"
    assert line["decided"] == "green"
