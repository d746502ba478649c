"""Signed requests: the KIOSK-SIG-1 string, the clock window and nonce replay."""

from __future__ import annotations

import math
import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from platform_helpers import VENUE, EnrolledKiosk, enroll, gzip_json, record

from cityplatform import auth
from cityplatform.store import PlatformStore
from cityplatform.testing import RunningPlatform, running_platform
from kiosk.verify.keys import SigningKey


def _body() -> bytes:
    return gzip_json({"records": [record()]})


def test_a_correctly_signed_upload_is_accepted(kiosk: EnrolledKiosk) -> None:
    response = kiosk.post_body(_body())

    assert response.status_code == 200
    assert response.json()["stored"] == 1


def test_the_signing_string_is_the_documented_one() -> None:
    text = auth.signing_string("post", "/v1/checkins?x=1", "1632193323", "A" * 22, b"")

    assert text == (
        b"KIOSK-SIG-1\nPOST\n/v1/checkins?x=1\n1632193323\n" + b"A" * 22 + b"\n"
        b"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def _refusal(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == code


def test_a_signature_by_another_key_is_refused(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    response = kiosk.post_body(_body(), key=SigningKey.generate())

    _refusal(response, 401, "bad_signature")
    assert response.headers["WWW-Authenticate"] == "KIOSK-SIG-1"
    assert platform.store.count_checkins() == 0


def test_a_tampered_body_is_refused(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    signed_for = _body()
    sent = _body()
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        **kiosk.headers("POST", "/v1/checkins", signed_for),
    }

    response = httpx.post(f"{kiosk.url}/v1/checkins", content=sent, headers=headers)

    _refusal(response, 401, "bad_signature")
    assert platform.store.count_checkins() == 0


def test_the_query_is_part_of_the_signed_path(kiosk: EnrolledKiosk) -> None:
    body = _body()
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        **kiosk.headers("POST", "/v1/checkins", body),
    }

    response = httpx.post(f"{kiosk.url}/v1/checkins?batch=2", content=body, headers=headers)

    _refusal(response, 401, "bad_signature")


@pytest.mark.parametrize("skew", [-305, 305, -10_000])
def test_a_stale_timestamp_is_refused_with_the_server_time(kiosk: EnrolledKiosk, skew: int) -> None:
    # Just outside the 300 s window, rounded away from it: the server reads its clock a
    # moment after this one (on a loaded machine, up to a second or more), which made
    # "301 s ahead" an accepted 300.x s ahead now and then.
    now = time.time()
    stamp = math.ceil(now) + skew if skew > 0 else math.floor(now) + skew
    response = kiosk.post_body(_body(), timestamp=stamp)

    _refusal(response, 401, "stale_timestamp")
    server_time = datetime.fromisoformat(response.json()["server_time"])
    assert abs(server_time - datetime.now(UTC)) < timedelta(seconds=30)


@pytest.mark.parametrize("skew", [-290, 290])
def test_a_timestamp_within_the_window_is_accepted(kiosk: EnrolledKiosk, skew: int) -> None:
    assert kiosk.post_body(_body(), timestamp=int(time.time()) + skew).status_code == 200


def test_a_replayed_nonce_is_refused(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    nonce = os.urandom(16)
    assert kiosk.post_body(_body(), nonce=nonce).status_code == 200

    # A new body, a new signature, but the same nonce.
    replay = kiosk.post_body(_body(), nonce=nonce)

    _refusal(replay, 401, "replayed_nonce")
    assert platform.store.count_checkins() == 1


def test_a_replay_stays_refused_after_a_restart(tmp_path: Path) -> None:
    root = SigningKey.generate()
    nonce = os.urandom(16)
    body = _body()
    with running_platform(tmp_path, root_key=root) as first:
        kiosk = enroll(first, VENUE)
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            **kiosk.headers("POST", "/v1/checkins", body, nonce=nonce),
        }
        assert httpx.post(f"{first.url}/v1/checkins", content=body, headers=headers).is_success

    with running_platform(tmp_path, root_key=root) as second:
        replay = httpx.post(f"{second.url}/v1/checkins", content=body, headers=headers)

        _refusal(replay, 401, "replayed_nonce")
        assert second.store.count_checkins() == 1


def test_nonces_are_remembered_for_the_window_then_forgotten(tmp_path: Path) -> None:
    start = datetime(2021, 9, 21, 3, 0, tzinfo=UTC)
    elapsed = [0.0]

    def monotonic() -> float:  # time passes as the wall clock says (no step)
        return elapsed[0]

    def remember(kiosk: str, nonce: str, now: datetime) -> bool:
        elapsed[0] = (now - start).total_seconds()
        return store.remember_nonce(kiosk, nonce, now=now)

    with PlatformStore(tmp_path / "p.db", monotonic=monotonic) as store:
        assert remember("k1", "n", start)
        assert not remember("k1", "n", start + timedelta(seconds=599))
        assert remember("k2", "n", start + timedelta(seconds=599))
        assert remember("k1", "n", start + timedelta(seconds=601))
        # Pruning keeps the table to the last window.
        remember("k3", "m", start + timedelta(seconds=1300))
        assert store.count_nonces() == 1


def test_an_unknown_kiosk_is_refused(kiosk: EnrolledKiosk) -> None:
    stranger = EnrolledKiosk(kiosk.url, "00000000-0000-4000-8000-000000000000", VENUE, kiosk.key)

    _refusal(stranger.post_body(_body()), 401, "unknown_kiosk")


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        (auth.KIOSK_ID, None, "unknown_kiosk"),
        (auth.KIOSK_ID, "not-a-uuid", "unknown_kiosk"),
        (auth.KIOSK_ID, "x" * 8000, "unknown_kiosk"),
        (auth.TIMESTAMP, None, "bad_signature"),
        (auth.TIMESTAMP, "1.5", "bad_signature"),
        (auth.TIMESTAMP, "0001632193323", "bad_signature"),
        (auth.TIMESTAMP, "9" * 40, "bad_signature"),
        (auth.NONCE, None, "bad_signature"),
        (auth.NONCE, "short", "bad_signature"),
        (auth.NONCE, "A" * 21 + "B", "bad_signature"),
        (auth.SIGNATURE, None, "bad_signature"),
        (auth.SIGNATURE, "A" * 86, "bad_signature"),
        (auth.SIGNATURE, "é", "bad_signature"),
    ],
)
def test_missing_or_malformed_signature_headers_are_refused(
    kiosk: EnrolledKiosk, header: str, value: str | None, code: str
) -> None:
    body = _body()
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        **kiosk.headers("POST", "/v1/checkins", body),
    }
    if value is None:
        del headers[header]
    else:
        headers[header] = value

    response = httpx.post(
        f"{kiosk.url}/v1/checkins",
        content=body,
        headers={k: v.encode("utf-8") for k, v in headers.items()},
    )

    _refusal(response, 401, code)


def test_a_header_given_twice_is_refused(kiosk: EnrolledKiosk) -> None:
    body = _body()
    signed = kiosk.headers("POST", "/v1/checkins", body)
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Encoding", "gzip"),
        *signed.items(),
        (auth.NONCE, auth.b64url(os.urandom(16))),
    ]

    response = httpx.post(f"{kiosk.url}/v1/checkins", content=body, headers=headers)

    _refusal(response, 401, "bad_signature")


def test_a_disabled_kiosk_is_forbidden(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    assert platform.store.set_kiosk_enabled(kiosk.kiosk_id, False)

    _refusal(kiosk.post_body(_body()), 403, "kiosk_disabled")
    assert platform.store.count_checkins() == 0
