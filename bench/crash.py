"""Kill a recording-and-syncing kiosk with SIGKILL at random moments; count what is lost.

A real platform runs on 127.0.0.1 (in this process); the kiosk is a child process
(bench/crash_child.py) that records check-ins and syncs them. It is killed with
SIGKILL after a random 50-600 ms, restarted, killed again... After the last kill, one
final sync runs. Every uuid the child printed (= committed, as the screen would have
shown it) must be on the platform exactly once.

With ``--corruption`` it damages a kiosk's log instead, as disks and people do — the
database truncated to nothing, one bit flipped in the WAL of a crash image, one bit
flipped in a record's sealed field — and counts for each: check-ins confirmed, still
readable, lost, and whether the kiosk saw it (a problem reported at open, or the record
quarantined). Damage that loses check-ins must never go unseen.

Run: .venv/bin/python bench/crash.py [--kills 200] [--seed 1] [--corruption [--rounds 20]]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cityplatform.testing import running_platform
from kiosk.decision import Decision
from kiosk.domain import Reason
from kiosk.errors import StoreError
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import SyncWorker

CHILD = Path(__file__).with_name("crash_child.py")


@dataclass(frozen=True, slots=True)
class CrashResult:
    kills: int
    confirmed: int
    recorded: int
    on_platform: int
    lost: int
    duplicated: int
    unconfirmed_recorded: int


def run(kills: int, seed: int, workdir: Path) -> CrashResult:
    rng = random.Random(seed)
    data = workdir / "kiosk"
    with running_platform(workdir) as platform:
        client = PlatformClient(platform.url)
        kiosk_id = client.enroll(
            platform.token("V-CRASH"), "V-CRASH", "crash", device_key(data / "keys")
        )
        client.close()
        Enrollment(platform.url, kiosk_id, "V-CRASH").save(data / "enrollment.json")
        confirmed: list[str] = []
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        for i in range(kills):
            child = subprocess.Popen(
                [sys.executable, str(CHILD), str(data), platform.url, str(seed * 100_000 + i)],
                stdout=subprocess.PIPE,
                env=env,
            )
            # Wait until it has started working (its first confirmation), then a random
            # moment more, so kills land in recording and in syncing alike.
            assert child.stdout is not None
            first = child.stdout.readline()
            time.sleep(rng.uniform(0.05, 0.6))
            child.send_signal(signal.SIGKILL)
            rest, _ = child.communicate()
            lines = (first + rest).decode().split("\n")
            # The last piece may be a line cut by the kill: only whole lines count.
            confirmed += [line for line in lines[:-1] if line]
        enrollment = Enrollment.load(data / "enrollment.json")
        assert enrollment is not None
        log = CheckInLog.open(data, kiosk_id=enrollment.kiosk_id, venue_id=enrollment.venue_id)
        client = PlatformClient(platform.url, key=device_key(data / "keys"), kiosk_id=kiosk_id)
        report = SyncWorker(log, client, data / "sync-state.json").sync_once()
        client.close()
        assert report.ok, report
        local = {
            r.uuid
            for r in log.between(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
        }
        on_platform = platform.store.checkin_uuids()
        rows = platform.store.count_checkins()
    confirmed_set = set(confirmed)
    return CrashResult(
        kills=kills,
        confirmed=len(confirmed_set),
        recorded=len(local),
        on_platform=rows,
        lost=len(confirmed_set - on_platform),
        # Stored more than once, or a record the kiosk never made, or a uuid confirmed twice.
        duplicated=(rows - len(on_platform))
        + len(on_platform - local)
        + (len(confirmed) - len(confirmed_set)),
        unconfirmed_recorded=len(local) - len(confirmed_set),
    )


@dataclass
class Damage:
    case: str
    rounds: int = 0
    confirmed: int = 0
    readable: int = 0
    detected: int = 0  # rounds in which the kiosk reported the damage
    lost_unseen: int = 0  # check-ins lost in rounds the kiosk did not report

    @property
    def lost(self) -> int:
        return self.confirmed - self.readable


def _decision() -> Decision:
    return Decision(reason=Reason.MALFORMED, at=datetime.now(UTC))


def _fill(directory: Path, count: int) -> tuple[CheckInLog, list[str]]:
    log = CheckInLog.open(directory, kiosk_id="k", venue_id="v")
    log._db.execute_sql("PRAGMA wal_autocheckpoint = 0")  # type: ignore[no-untyped-call]
    return log, [log.record(_decision()).uuid for _ in range(count)]


def _readable(directory: Path) -> tuple[int, bool]:
    """(check-ins the kiosk can still deliver or show, whether it reported damage)."""
    try:
        log = CheckInLog.open(directory, kiosk_id="k", venue_id="v")
    except StoreError:
        return 0, True  # refuses to open: loud
    try:
        log.unsynced(100_000)  # opens every record: damaged ones are quarantined
        return log.queue_length(), log.problem is not None or log.damaged_count() > 0
    finally:
        log.close()


def corruption(rounds: int, seed: int, workdir: Path) -> list[Damage]:
    rng = random.Random(seed)
    cases = {name: Damage(name) for name in ("truncated", "wal bit flip", "sealed bit flip")}
    for n in range(rounds):
        count = rng.randint(20, 200)
        # 1. The database truncated to nothing (the WAL and its index gone with it).
        here = workdir / f"t{n}"
        log, _ = _fill(here, count)
        log.close()
        (here / "checkins.sqlite3").write_bytes(b"")
        for extra in ("checkins.sqlite3-wal", "checkins.sqlite3-shm"):
            (here / extra).unlink(missing_ok=True)
        _tally(cases["truncated"], count, *_readable(here))
        # 2. A crash image (files copied while the log is open) with one bit flipped in
        # the WAL: SQLite drops the frames from the damaged one on.
        here, image = workdir / f"w{n}", workdir / f"wi{n}"
        log, _ = _fill(here, count)
        image.mkdir()
        for name in ("checkins.sqlite3", "checkins.sqlite3-wal", "checkins.mark"):
            shutil.copyfile(here / name, image / name)
        shutil.copytree(here / "keys", image / "keys")
        log.close()
        wal = bytearray((image / "checkins.sqlite3-wal").read_bytes())
        at = rng.randrange(32, len(wal))  # past the WAL header
        wal[at] ^= 1 << rng.randrange(8)
        (image / "checkins.sqlite3-wal").write_bytes(bytes(wal))
        _tally(cases["wal bit flip"], count, *_readable(image))
        # 3. One bit flipped in one record's sealed field.
        here = workdir / f"s{n}"
        log, uuids = _fill(here, count)
        log.close()
        with sqlite3.connect(here / "checkins.sqlite3") as db:
            victim = rng.choice(uuids)
            (sealed,) = db.execute(
                "SELECT holder FROM checkin WHERE uuid = ?", (victim,)
            ).fetchone()
            if sealed is None:
                (sealed,) = db.execute("SELECT card_id FROM checkin LIMIT 1").fetchone()
            blob = bytearray(sealed or b"\0" * 16)
            blob[rng.randrange(len(blob))] ^= 1 << rng.randrange(8)
            db.execute("UPDATE checkin SET holder = ? WHERE uuid = ?", (bytes(blob), victim))
        _tally(cases["sealed bit flip"], count, *_readable(here))
    return list(cases.values())


def _tally(damage: Damage, confirmed: int, readable: int, detected: bool) -> None:
    damage.rounds += 1
    damage.confirmed += confirmed
    damage.readable += readable
    damage.detected += detected
    if not detected:
        damage.lost_unseen += confirmed - readable


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corruption", action="store_true")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if args.corruption:
        logging.disable(logging.ERROR)  # the log's own alarms: counted below instead
        with tempfile.TemporaryDirectory() as tmp:
            found = corruption(args.rounds, args.seed, Path(tmp))
        print(f"# bench/crash.py --corruption --rounds {args.rounds} --seed {args.seed}")
        print(
            f"{'case':18}{'rounds':>7}{'confirmed':>10}{'readable':>9}{'lost':>6}"
            f"{'detected':>9}{'lost unseen':>12}"
        )
        for d in found:
            print(
                f"{d.case:18}{d.rounds:>7}{d.confirmed:>10}{d.readable:>9}{d.lost:>6}"
                f"{d.detected:>9}{d.lost_unseen:>12}"
            )
        return
    start = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        result = run(args.kills, args.seed, Path(tmp))
    took = time.monotonic() - start
    print(f"# bench/crash.py --kills {args.kills} --seed {args.seed}: {took:.0f} s")
    print(f"kills:                  {result.kills}")
    print(f"confirmed check-ins:    {result.confirmed}")
    print(
        f"recorded in the log:    {result.recorded} "
        f"({result.unconfirmed_recorded} committed but killed before confirming)"
    )
    print(f"on the platform:        {result.on_platform}")
    print(f"lost:                   {result.lost}")
    print(f"duplicated:             {result.duplicated}")


if __name__ == "__main__":
    main()
