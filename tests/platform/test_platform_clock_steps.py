"""The nonce window is immune to steps of the platform's clock (issue 10, item 13): a
request captured before a +700 s step and back is still a replay."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from platform_helpers import VENUE, enroll, gzip_json, record

from cityplatform.store import PlatformStore
from cityplatform.testing import running_platform


class SteppedClock:
    """The platform's wall clock, which the test steps (time itself hardly passes)."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def step(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_a_request_captured_before_a_step_forward_and_back_is_still_a_replay(
    tmp_path: Path,
) -> None:
    clock = SteppedClock()
    with running_platform(tmp_path, clock=clock) as platform:
        kiosk = enroll(platform, VENUE)
        body = gzip_json({"records": [record()]})
        stamp = int(clock.now.timestamp())
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            **kiosk.headers("POST", "/v1/checkins", body, timestamp=stamp),
        }
        url = f"{platform.url}/v1/checkins"
        assert httpx.post(url, content=body, headers=headers).status_code == 200

        clock.step(700)  # e.g. a bad NTP answer; any request now prunes nonces
        later = kiosk.upload([record()], timestamp=int(clock.now.timestamp()))
        assert later.status_code == 200
        clock.step(-699)  # corrected: the captured request is within the skew again
        replay = httpx.post(url, content=body, headers=headers)

        assert replay.status_code == 401, replay.text
        assert replay.json()["error"] == "replayed_nonce"


def test_a_forgotten_request_is_a_replay_after_a_step_back(tmp_path: Path) -> None:
    # Real time passes (monotonic and wall alike), the nonce is forgotten; then the
    # wall clock is stepped back so the old request's timestamp is within the skew.
    start = datetime(2021, 9, 21, 3, 0, tzinfo=UTC)
    elapsed = [0.0]
    with PlatformStore(tmp_path / "p.db", monotonic=lambda: elapsed[0]) as store:
        stamp = start.timestamp()
        assert store.remember_nonce("k1", "n", stamp=stamp, now=start)
        elapsed[0] = 1000.0
        later = start + timedelta(seconds=1000)
        assert store.remember_nonce("k1", "m", stamp=later.timestamp(), now=later)
        assert store.count_nonces() == 1  # "n" is forgotten

        back = start + timedelta(seconds=10)
        assert not store.remember_nonce("k1", "n", stamp=stamp, now=back)
        # A fresh request after a step back of less than the window is not refused
        # (a larger step back refuses fresh requests too, until the clock catches up).
        smaller = later - timedelta(seconds=500)
        assert store.remember_nonce("k1", "o", stamp=smaller.timestamp(), now=smaller)


def test_nonces_are_still_forgotten_as_time_passes(tmp_path: Path) -> None:
    start = datetime(2021, 9, 21, 3, 0, tzinfo=UTC)
    elapsed = [0.0]
    with PlatformStore(tmp_path / "p.db", monotonic=lambda: elapsed[0]) as store:
        for n in range(5):
            moment = start + timedelta(seconds=300 * n)
            elapsed[0] = 300.0 * n
            store.remember_nonce("k1", os.urandom(4).hex(), stamp=moment.timestamp(), now=moment)

        assert store.count_nonces() == 3  # the last 600 s


def test_a_step_forward_forgets_nothing_early(tmp_path: Path) -> None:
    start = datetime(2021, 9, 21, 3, 0, tzinfo=UTC)
    with PlatformStore(tmp_path / "p.db", monotonic=lambda: 0.0) as store:
        store.remember_nonce("k1", "n", stamp=start.timestamp(), now=start)
        ahead = start + timedelta(days=30)
        store.remember_nonce("k1", "m", stamp=ahead.timestamp(), now=ahead)

        assert store.count_nonces() == 2


def test_a_schema_2_database_keeps_its_nonces(tmp_path: Path) -> None:
    path = tmp_path / "p.db"
    moment = datetime.now(UTC)
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE nonces (kiosk_id TEXT NOT NULL, nonce TEXT NOT NULL,"
            " seen_at REAL NOT NULL, PRIMARY KEY (kiosk_id, nonce)) STRICT"
        )
        db.execute("INSERT INTO nonces VALUES ('k1', 'n', ?)", (moment.timestamp(),))
    db.close()

    with PlatformStore(path) as store:
        assert not store.remember_nonce("k1", "n", stamp=moment.timestamp(), now=moment)
        assert store.remember_nonce("k1", "m", stamp=moment.timestamp(), now=moment)
