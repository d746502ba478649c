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
from kiosk.store.log import (
    SCHEMA_VERSION,
    CheckInLog,
    DayCounts,
    ManualProblem,
    clean_phone,
    manual_admission_problems,
    masked_holder,
    phone_is_valid,
)
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
    log.record(decision)
    log.record(
        decision,
        manual=True,
        manual_reason="Giấy chứng nhận tiêm chủng bản giấy",
        manual_name="Phạm Minh Châu",
        manual_phone="0912 345 678",
    )
    log.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("checkins.sqlite3*"))
    card_id = decision.card.card_id.encode()  # type: ignore[union-attr]
    for secret in (card_id, "Nguyễn", "bản giấy", "Phạm Minh", "Châu", "0912", "345 678"):
        assert (secret if isinstance(secret, bytes) else secret.encode()) not in raw
    assert (tmp_path / "keys" / "store.key").stat().st_mode & 0o777 == 0o600


def test_the_database_without_its_key_does_not_open(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    log.record(_green(world))
    log.close()
    with pytest.raises(StoreError, match="does not open"):
        CheckInLog(
            tmp_path / "checkins.sqlite3",
            Sealer(bytes(32)),
            kiosk_id="kiosk-1",
            venue_id="HCM-Q1-1",
        )


def test_manual_admission_needs_a_reason(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = pipeline.process("paper certificate", NOW, world.context())
    with pytest.raises(StoreError, match="reason"):
        log.record(decision, manual=True, manual_reason="  ", manual_name="Lê Văn Tám")
    recorded = log.record(
        decision, manual=True, manual_reason="paper certificate checked", manual_name="Lê Văn Tám"
    )
    assert (recorded.manual, recorded.verdict, recorded.reason) == (
        True,
        Verdict.GREEN,
        "manual_admission",
    )
    assert log.unsynced()[0].manual_reason == "paper certificate checked"


def test_manual_admission_records_the_persons_name_and_phone(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    decision = pipeline.process("paper certificate", NOW, world.context())
    with pytest.raises(StoreError, match="name"):
        log.record(decision, manual=True, manual_reason="paper", manual_name=" \t ")
    with pytest.raises(StoreError, match="name"):
        log.record(decision, manual=True, manual_reason="paper")
    with pytest.raises(StoreError, match="phone"):
        log.record(
            decision, manual=True, manual_reason="paper", manual_name="An", manual_phone="call me"
        )
    with pytest.raises(StoreError, match="only with a manual"):
        log.record(_green(world), manual_name="Somebody")
    with pytest.raises(StoreError, match="longer"):
        log.record(decision, manual=True, manual_reason="paper", manual_name="N" * 129)
    assert log.count() == 0

    recorded = log.record(
        decision,
        manual=True,
        manual_reason="paper certificate",
        manual_name="  Phạm   Minh\nChâu ",
        manual_phone=" +84 (91) 234-5678 ",
    )
    assert (recorded.manual_name, recorded.manual_phone) == ("Phạm Minh Châu", "+84 91 234 5678")
    [read] = log.unsynced()
    assert read == recorded
    without_phone = log.record(decision, manual=True, manual_reason="paper", manual_name="Bảo")
    assert (without_phone.manual_name, without_phone.manual_phone) == ("Bảo", None)
    assert log.record(_green(world)).manual_name is None


@pytest.mark.parametrize(
    ("phone", "valid", "cleaned"),
    [
        ("0912345678", True, "0912345678"),
        ("0912 345 678", True, "0912 345 678"),
        ("+84 912 345 678", True, "+84 912 345 678"),
        ("+ 84  912-345.678", True, "+84 912 345 678"),
        ("(028) 3822 1234", True, "028 3822 1234"),
        ("０９１２３４５６７８", True, "0912345678"),  # full-width digits, from a phone IME
        ("12345", False, "12345"),  # too short to reach anyone
        ("1234567890123456", False, "1234567890123456"),  # longer than E.164
        ("0912 345 67a", False, "0912 345 67a"),
        ("84+912345678", False, "84+912345678"),
        ("+", False, "+"),
        ("", False, ""),
    ],
)
def test_phone_numbers_are_checked_loosely(phone: str, valid: bool, cleaned: str) -> None:
    assert phone_is_valid(phone) is valid
    assert clean_phone(phone) == cleaned


def test_the_manual_admission_rule_names_every_problem() -> None:
    assert manual_admission_problems("paper cert 123", "Lê Văn Tám", "0912 345 678") == []
    assert manual_admission_problems(" ", "", "") == [
        ManualProblem.NO_REASON,
        ManualProblem.NO_NAME,
        ManualProblem.NO_PHONE,
    ]
    assert manual_admission_problems("r" * 501, "N" * 129, "12") == [
        ManualProblem.REASON_TOO_LONG,
        ManualProblem.NAME_TOO_LONG,
        ManualProblem.BAD_PHONE,
    ]
    assert manual_admission_problems("paper", "An", "", phone_required=False) == []


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
    # An ordinary check-in carries exactly the fields of schema 1: a platform that does
    # not know schema 2's yet (it forbids unknown fields) still takes it.
    assert set(wire) == {
        "uuid", "at", "venue_id", "card_id", "card_format", "verdict", "reason",
        "holder", "manual", "manual_reason", "rules_version",
    }  # fmt: skip
    assert datetime.fromisoformat(str(wire["at"])) == NOW
    manual = log.record(
        pipeline.process("paper", NOW, world.context()),
        manual=True,
        manual_reason="paper certificate",
        manual_name="Phạm Minh Châu",
        manual_phone="0912 345 678",
    ).wire()
    assert (manual["manual_name"], manual["manual_phone"]) == ("Phạm Minh Châu", "0912 345 678")
    assert log.record(_green(world), reentry=True).wire()["reentry"] is True


# -- people, scans and re-entries (schema 2) ----------------------------------------------


def test_people_count_a_reentry_as_a_scan_not_as_another_person(
    tmp_path: Path, world: World
) -> None:
    log = _log(tmp_path)
    green = _green(world)
    log.record(green)
    log.record(green, reentry=True)  # the same card, back from a smoke break
    log.record(green, reentry=True)
    log.record(pipeline.process("not a card", NOW, world.context()))
    log.record(
        pipeline.process("paper", NOW, world.context()),
        manual=True,
        manual_reason="paper certificate",
        manual_name="Lê Văn Tám",
    )
    log.record(pipeline.process("x", NOW + timedelta(days=1), world.context()))  # another day
    counts = log.people(NOW, NOW + timedelta(days=1))
    assert counts == DayCounts(
        people={Verdict.GREEN: 2, Verdict.YELLOW: 0, Verdict.RED: 1},
        scans=4,
        reentries=2,
        manual=1,
    )
    assert counts.total_people == 3
    # counts() is unchanged: check-ins, re-entries included.
    assert log.counts(NOW, NOW + timedelta(days=1)) == {
        Verdict.GREEN: 4,
        Verdict.YELLOW: 0,
        Verdict.RED: 1,
    }
    assert [r.reentry for r in log.between(NOW, NOW + timedelta(days=1))] == [
        False, True, True, False, False,
    ]  # fmt: skip


# -- schema 1 to 2 ---------------------------------------------------------------------------

#: The check-in log as a kiosk of schema 1 made it (peewee's DDL of that version), so
#: the upgrade is tested on such a file, not on whatever the current code would make.
SCHEMA_1 = (
    'CREATE TABLE "meta" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE "checkin" ("id" INTEGER NOT NULL PRIMARY KEY, "uuid" TEXT NOT NULL,'
    ' "at_ms" INTEGER NOT NULL, "kiosk_id" TEXT NOT NULL, "venue_id" TEXT NOT NULL,'
    ' "card_ref" BLOB, "card_id" BLOB, "card_format" TEXT, "verdict" TEXT NOT NULL,'
    ' "reason" TEXT NOT NULL, "holder" BLOB, "manual" INTEGER NOT NULL,'
    ' "manual_reason" BLOB, "rules_version" TEXT, "synced_at_ms" INTEGER, "refused" TEXT)',
    'CREATE UNIQUE INDEX "checkinrow_uuid" ON "checkin" ("uuid")',
    'CREATE INDEX "checkinrow_at_ms" ON "checkin" ("at_ms")',
    'CREATE INDEX "checkinrow_card_ref" ON "checkin" ("card_ref")',
    "CREATE INDEX checkin_unsynced ON checkin(id) WHERE synced_at_ms IS NULL",
    "INSERT INTO meta VALUES ('schema_version', '1')",
)


def _schema_1_log(directory: Path) -> tuple[list[str], str]:
    """A schema-1 log with two unsynced records (a scan, a manual admission) and a synced
    one; returns the unsynced uuids and the synced one."""
    sealer = Sealer.from_file(directory / "keys" / "store.key", create=True)
    at_ms = int(NOW.timestamp() * 1000)
    rows = []
    for n, (manual, synced) in enumerate([(False, False), (True, False), (False, True)]):
        record_uuid = str(uuid.uuid4())
        context = record_uuid.encode()
        rows.append(
            (
                record_uuid,
                at_ms + n * 1000,
                "kiosk-1",
                "HCM-Q1-1",
                None if manual else sealer.reference("card-7"),
                None if manual else sealer.seal("card-7", context + b"|card"),
                None if manual else "HCM1",
                "green",
                "manual_admission" if manual else "admitted_green",
                None if manual else sealer.seal("Nguyễn V. A., 1987", context + b"|holder"),
                int(manual),
                sealer.seal("giấy tiêm chủng 0123", context + b"|manual") if manual else None,
                None if manual else "HCM-2021-09-20",
                at_ms + 5000 if synced else None,
            )
        )
    with sqlite3.connect(directory / "checkins.sqlite3") as db:
        for statement in SCHEMA_1:
            db.execute(statement)
        db.executemany(
            "INSERT INTO checkin (uuid, at_ms, kiosk_id, venue_id, card_ref, card_id,"
            " card_format, verdict, reason, holder, manual, manual_reason, rules_version,"
            " synced_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    db.close()
    return [row[0] for row in rows[:2]], rows[2][0]


def test_a_schema_1_log_is_upgraded_keeping_every_record(tmp_path: Path, world: World) -> None:
    unsynced, synced = _schema_1_log(tmp_path)

    log = _log(tmp_path)

    assert log.schema_version == SCHEMA_VERSION == 3
    assert log.count() == 3
    pending = log.unsynced()
    assert [r.uuid for r in pending] == unsynced  # still waiting to be uploaded, in order
    scan, manual = pending
    assert (scan.card_id, scan.holder, scan.rules_version) == (
        "card-7",
        "Nguyễn V. A., 1987",
        "HCM-2021-09-20",
    )
    assert (manual.manual, manual.manual_reason) == (True, "giấy tiêm chủng 0123")
    for record in pending:  # what schema 1 did not know is empty
        assert (record.manual_name, record.manual_phone, record.reentry) == (None, None, False)
        assert "reentry" not in record.wire()
    assert synced in {r.uuid for r in log.between(NOW, NOW + timedelta(days=1))}
    assert log.last_seen("card-7", NOW - timedelta(hours=1)) is not None  # card_ref kept
    assert log.people(NOW, NOW + timedelta(days=1)).people[Verdict.GREEN] == 3

    # New records use the new columns, next to the old ones.
    new = log.record(_green(world), reentry=True)
    assert log.unsynced()[-1] == new
    log.close()
    again = _log(tmp_path)  # opening again migrates nothing more
    assert again.schema_version == 3
    assert again.count() == 4


def test_a_failed_upgrade_leaves_the_schema_1_log_as_it_was(tmp_path: Path) -> None:
    _schema_1_log(tmp_path)
    with sqlite3.connect(tmp_path / "checkins.sqlite3") as db:
        db.execute('ALTER TABLE checkin ADD COLUMN "reentry" INTEGER')  # a clash: step 2 fails
    db.close()
    with pytest.raises(StoreError, match="cannot open"):
        _log(tmp_path)
    with sqlite3.connect(tmp_path / "checkins.sqlite3") as db:
        version = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        columns = {row[1] for row in db.execute("PRAGMA table_info(checkin)")}
        count = db.execute("SELECT count(*) FROM checkin").fetchone()[0]
    db.close()
    assert version == ("1",)
    assert "manual_name" not in columns  # the migration's transaction was rolled back
    assert count == 3


# -- the store key file (issue 10, items 12 and 17) ---------------------------------------


def test_a_store_key_that_is_a_dangling_symlink_is_a_clear_error(tmp_path: Path) -> None:
    from kiosk.store.sealing import Sealer

    key = tmp_path / "keys" / "store.key"
    key.parent.mkdir()
    key.symlink_to(tmp_path / "nowhere")
    with pytest.raises(StoreError, match="symbolic link"):
        Sealer.from_file(key)
    assert not (tmp_path / "nowhere").exists()  # nothing was written through it


def test_a_new_store_key_that_cannot_be_written_leaves_no_empty_key(tmp_path: Path) -> None:
    """First start on a full disk: the write fails (here: a file size limit of 0, the
    kernel's own EFBIG), and no 0-byte key is left to block every later check-in."""
    import subprocess
    import sys

    key = tmp_path / "keys" / "store.key"
    script = f"""
import resource, signal
from pathlib import Path
from kiosk.errors import StoreError
from kiosk.store.sealing import Sealer
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
try:
    Sealer.from_file(Path({str(key)!r}))
except StoreError as exc:
    print("refused:", exc)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "refused: cannot write a new store key" in result.stdout, result.stdout
    assert not key.exists()
    assert list(key.parent.iterdir()) == []  # no temporary file either


def test_one_damaged_record_is_quarantined_and_the_rest_go_on(tmp_path: Path, world: World) -> None:
    """Issue 10, item 10: a bit flipped in one record's sealed field made every later
    sync and the manager's day fail. Now that record is kept, flagged and counted."""
    import sqlite3

    log = _log(tmp_path)
    records = [log.record(_green(world)) for _ in range(3)]
    log.close()
    with sqlite3.connect(tmp_path / "checkins.sqlite3") as db:
        (sealed,) = db.execute(
            "SELECT holder FROM checkin WHERE uuid = ?", (records[1].uuid,)
        ).fetchone()
        flipped = bytes([sealed[0], sealed[1] ^ 0x01, *sealed[2:]])
        db.execute("UPDATE checkin SET holder = ? WHERE uuid = ?", (flipped, records[1].uuid))
    log = _log(tmp_path)  # the key is still this log's: it opens
    assert [r.uuid for r in log.unsynced()] == [records[0].uuid, records[2].uuid]
    assert log.damaged_count() == 1
    assert log.queue_length() == 2  # what can still be delivered
    day = log.between(NOW - timedelta(days=1), NOW + timedelta(days=1))
    assert [r.uuid for r in day] == [records[0].uuid, records[2].uuid]
    assert log.count() == 3  # kept, not deleted


# -- damage is seen, never taken for an empty log (issue 10, item 12) ---------------------


def test_a_log_truncated_to_nothing_is_reported_replaced(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    for _ in range(10):
        log.record(_green(world))
    log.close()
    (tmp_path / "checkins.sqlite3").write_bytes(b"")
    for leftover in ("checkins.sqlite3-wal", "checkins.sqlite3-shm"):
        (tmp_path / leftover).unlink(missing_ok=True)
    again = _log(tmp_path)
    assert again.queue_length() == 0
    assert again.problem_code == "replaced"
    assert again.problem is not None
    assert "10 check-in(s)" in again.problem


def test_a_log_and_its_key_both_gone_are_reported_not_silently_new(
    tmp_path: Path, world: World
) -> None:
    log = _log(tmp_path)
    log.record(_green(world))
    log.close()
    for name in ("checkins.sqlite3", "checkins.sqlite3-wal", "checkins.sqlite3-shm"):
        (tmp_path / name).unlink(missing_ok=True)
    (tmp_path / "keys" / "store.key").unlink()
    again = _log(tmp_path)
    assert again.problem_code == "replaced"


def test_a_log_rolled_back_to_an_older_copy_is_reported_shrunk(
    tmp_path: Path, world: World
) -> None:
    """What a flipped bit in the WAL does: the frames after it are dropped at recovery,
    and the log opens with fewer check-ins than were shown as recorded."""
    import shutil

    log = _log(tmp_path)
    for _ in range(5):
        log.record(_green(world))
    log._db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copyfile(tmp_path / "checkins.sqlite3", tmp_path / "five.sqlite3")
    for _ in range(5):
        log.record(_green(world))
    log.close()
    shutil.copyfile(tmp_path / "five.sqlite3", tmp_path / "checkins.sqlite3")
    for leftover in ("checkins.sqlite3-wal", "checkins.sqlite3-shm"):
        (tmp_path / leftover).unlink(missing_ok=True)
    again = _log(tmp_path)
    assert again.count() == 5
    assert again.problem_code == "shrunk"
    assert "10 were recorded" in (again.problem or "")


def test_a_healthy_log_reports_nothing(tmp_path: Path, world: World) -> None:
    log = _log(tmp_path)
    log.record(_green(world))
    log.close()
    again = _log(tmp_path)
    assert again.problem is None
    again.record(_green(world))
    again.close()
    assert _log(tmp_path).problem is None


def test_the_self_test_fails_a_replaced_log(tmp_path: Path, world: World) -> None:
    from kiosk.paths import Paths
    from kiosk.provisioning import self_test

    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    log = CheckInLog.open(paths.data, kiosk_id="k", venue_id="v")
    log.record(_green(world))
    log.close()
    (paths.data / "checkins.sqlite3").write_bytes(b"")
    report = self_test(paths, timeout=5)
    check = report.check("database")
    assert not check.ok
    assert check.code == "database_damaged"
