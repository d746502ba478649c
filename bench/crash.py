"""Kill a recording-and-syncing kiosk with SIGKILL at random moments; count what is lost.

A real platform runs on 127.0.0.1 (in this process); the kiosk is a child process
(bench/crash_child.py) that records check-ins and syncs them. It is killed with
SIGKILL after a random 50-600 ms, restarted, killed again... After the last kill, one
final sync runs. Every uuid the child printed (= committed, as the screen would have
shown it) must be on the platform exactly once.

Run: .venv/bin/python bench/crash.py [--kills 200] [--seed 1]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cityplatform.testing import running_platform
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
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
