"""Every injected fault, as a client on a real socket sees it."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx
import pytest
from platform_helpers import VENUE, EnrolledKiosk, enroll, record

from cityplatform.app import create_app
from cityplatform.faults import FaultKind, Faults
from cityplatform.store import PlatformStore
from cityplatform.testing import RunningPlatform, running_platform


def _time(platform: RunningPlatform, timeout: float = 10.0) -> httpx.Response:
    return httpx.get(f"{platform.url}/v1/time", timeout=timeout)


def test_fail_next_answers_500_then_recovers(platform: RunningPlatform) -> None:
    platform.faults.fail_next(2)

    statuses = [_time(platform).status_code for _ in range(3)]

    assert statuses == [500, 500, 200]
    assert platform.faults.injected == [(FaultKind.FAIL, "/v1/time")] * 2


def test_a_failed_upload_stores_nothing(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    platform.faults.fail_next(1, path="/v1/checkins")

    response = kiosk.upload([record()])

    assert response.status_code == 500
    assert response.json()["error"] == "injected_fault"
    assert platform.store.count_checkins() == 0


@pytest.mark.parametrize("status", [429, 503])
def test_throttle_next_answers_with_retry_after(platform: RunningPlatform, status: int) -> None:
    platform.faults.throttle_next(1, retry_after=7, status=status)

    response = _time(platform)

    assert response.status_code == status
    assert response.headers["Retry-After"] == "7"
    assert response.json()["error"] in {"rate_limited", "unavailable"}
    assert _time(platform).status_code == 200


def test_faults_for_one_path_leave_the_others_alone(platform: RunningPlatform) -> None:
    platform.faults.fail_next(1, path="/v1/checkins")

    assert _time(platform).status_code == 200
    assert platform.faults.pending() == 1


def test_delay_next_makes_the_client_time_out(platform: RunningPlatform) -> None:
    platform.faults.delay_next(1, seconds=1.0)

    with pytest.raises(httpx.ReadTimeout):
        _time(platform, timeout=0.2)
    assert _time(platform, timeout=0.5).status_code == 200


def test_a_delayed_upload_is_committed_although_the_client_gave_up(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    platform.faults.delay_next(1, seconds=1.0, path="/v1/checkins")
    records = [record(), record()]

    with pytest.raises(httpx.ReadTimeout):
        kiosk.upload(records, timeout=0.3)

    assert platform.store.checkin_uuids() == {r["uuid"] for r in records}


def test_commit_then_drop_stores_and_disconnects(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    platform.faults.commit_then_drop(1)
    records = [record() for _ in range(3)]

    with pytest.raises(httpx.TransportError) as dropped:
        kiosk.upload(records)

    # Not a single byte of a reply: the connection closed after the commit.
    assert isinstance(dropped.value, httpx.RemoteProtocolError)
    assert "without sending a response" in str(dropped.value)
    assert platform.store.checkin_uuids() == {r["uuid"] for r in records}

    # The kiosk sends the batch again; it is acknowledged, nothing is stored twice.
    again = kiosk.upload(records)
    assert again.json() == {
        "stored": 0,
        "duplicates": 3,
        "uuids": [r["uuid"] for r in records],
        "conflicts": [],
    }
    assert platform.store.count_checkins() == 3


def test_commit_then_drop_touches_only_uploads(platform: RunningPlatform) -> None:
    platform.faults.commit_then_drop(1)

    assert _time(platform).status_code == 200
    assert platform.faults.pending() == 1


def test_malformed_next_answers_200_with_a_body_that_is_not_json(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    platform.faults.malformed_next(1, path="/v1/checkins")
    one = record()

    response = kiosk.upload([one])

    assert response.status_code == 200
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()
    # The request itself was handled: a retry is acknowledged as a duplicate.
    assert platform.store.checkin_uuids() == {one["uuid"]}


def test_malformed_next_can_send_a_huge_body(platform: RunningPlatform) -> None:
    size = 64 * 1024 * 1024
    platform.faults.malformed_next(1, body_size=size)
    cap = 1024 * 1024

    with httpx.stream("GET", f"{platform.url}/v1/time", timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["Content-Length"] == str(size)
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > cap:
                break  # what a careful client does: stop reading past its own cap

    assert received > cap
    assert _time(platform).status_code == 200


def test_an_app_without_faults_never_injects(tmp_path: Path) -> None:
    faults = Faults()
    faults.fail_next(5)
    with PlatformStore(tmp_path / "p.db") as store:
        app = create_app(store)  # production: no fault hook at all
        assert getattr(app, "faults", None) is None
    assert faults.pending() == 5


def test_faults_given_at_start_apply(tmp_path: Path) -> None:
    faults = Faults()
    with running_platform(tmp_path, faults=faults) as platform:
        kiosk = enroll(platform, VENUE)
        faults.throttle_next(1, retry_after=3, path="/v1/checkins")

        response = kiosk.upload([record()])

        assert response.status_code == 429
        assert platform.faults is faults


def test_faults_are_thread_safe() -> None:
    faults = Faults()
    faults.fail_next(1000)
    taken: list[object] = []

    def worker() -> None:
        for _ in range(300):
            taken.append(faults.take("/v1/time"))

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(fault is not None for fault in taken) == 1000
    assert faults.pending() == 0


def test_faults_refuse_a_nonsense_count() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        Faults().fail_next(0)


def test_stopping_a_platform_with_a_held_response_is_quick(tmp_path: Path) -> None:
    started = time.monotonic()
    with running_platform(tmp_path) as platform:
        platform.faults.delay_next(1, seconds=30)
        with pytest.raises(httpx.ReadTimeout):
            _time(platform, timeout=0.2)
    assert time.monotonic() - started < 10
