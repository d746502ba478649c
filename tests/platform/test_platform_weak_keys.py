"""Enrollment refuses weak Ed25519 device keys (issue 10, item 8).

The small-order points are computed here with an independent few lines of Edwards
arithmetic (affine, RFC 8032), not taken from the platform's own module.
"""

from __future__ import annotations

import base64
import os
import sqlite3
import time
from datetime import timedelta

import httpx
import pytest
from platform_helpers import VENUE, gzip_json, record

from cityplatform import auth
from cityplatform.testing import RunningPlatform
from kiosk.verify.keys import SigningKey

P = 2**255 - 19
D = -121665 * pow(121666, P - 2, P) % P
IDENTITY = (0, 1)


def add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    (x1, y1), (x2, y2) = a, b
    k = D * x1 * x2 * y1 * y2 % P
    x = (x1 * y2 + x2 * y1) * pow(1 + k, P - 2, P) % P
    y = (y1 * y2 + x1 * x2) * pow(1 - k, P - 2, P) % P
    return (x, y)


def times(n: int, point: tuple[int, int]) -> tuple[int, int]:
    result = IDENTITY
    for _ in range(n):
        result = add(result, point)
    return result


def x_of(y: int, sign: int) -> int | None:
    xx = (y * y - 1) * pow(D * y * y + 1, P - 2, P) % P
    x = pow(xx, (P + 3) // 8, P)
    if x * x % P != xx:
        x = x * pow(2, (P - 1) // 4, P) % P
    if x * x % P != xx:
        return None
    return P - x if x & 1 != sign else x


def encode(point: tuple[int, int]) -> bytes:
    x, y = point
    return (y | (x & 1) << 255).to_bytes(32, "little")


def small_order_points() -> list[bytes]:
    # For any point Q, l*Q lies in the torsion subgroup (the curve's order is 8*l); walk
    # y = 2, 3, ... until l*Q has order exactly 8, and take its eight multiples.
    ell = 2**252 + 27742317777372353535851937790883648493
    for y in range(2, 200):
        x = x_of(y, 0)
        if x is None:
            continue
        q = (x, y)
        t, r, n = IDENTITY, q, ell
        while n:
            if n & 1:
                t = add(t, r)
            r = add(r, r)
            n >>= 1
        if times(4, t) != IDENTITY:  # order exactly 8: it generates all eight
            points = {encode(times(k, t)) for k in range(8)}
            assert len(points) == 8
            assert times(8, t) == IDENTITY
            return sorted(points)
    raise AssertionError("no point of order 8 found")


SMALL_ORDER = small_order_points()


def test_the_computed_points_are_the_well_known_ones() -> None:
    known = {
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    }
    assert known <= {point.hex() for point in SMALL_ORDER}


def enroll_raw(platform: RunningPlatform, raw: bytes, token: str) -> httpx.Response:
    return httpx.post(
        f"{platform.url}/v1/enroll",
        json={
            "token": token,
            "venue_id": VENUE,
            "kiosk_name": "Entrance A",
            "public_key": base64.urlsafe_b64encode(raw).rstrip(b"=").decode(),
        },
        timeout=10.0,
    )


@pytest.mark.parametrize("raw", SMALL_ORDER, ids=[p.hex()[:8] for p in SMALL_ORDER])
def test_small_order_keys_are_refused_and_keep_the_token(
    platform: RunningPlatform, raw: bytes
) -> None:
    token = platform.token(VENUE)

    response = enroll_raw(platform, raw, token)

    assert response.status_code == 400, response.text
    assert response.json()["error"] == "weak_public_key"
    assert "small order" in response.json()["detail"]
    assert platform.store.stats()["kiosks_enabled"] == 0
    good = SigningKey.generate().public.spki[-32:]
    assert enroll_raw(platform, good, token).status_code == 201


def non_canonical() -> list[bytes]:
    """``y >= p`` (aliases of y = 0..18 that are points) and ``x = 0`` with the sign bit."""
    found = [(P + k).to_bytes(32, "little") for k in range(19) if x_of(k, 0) is not None]
    # Also an alias with a point of large order, so only the encoding can refuse it.
    assert any(encode((x_of(k, 0) or 0, k)) not in SMALL_ORDER for k in range(19) if x_of(k, 0))
    return [*found, (1 | 1 << 255).to_bytes(32, "little")]


@pytest.mark.parametrize("raw", non_canonical(), ids=lambda raw: raw.hex()[:4] + raw.hex()[-2:])
def test_non_canonical_keys_are_refused(platform: RunningPlatform, raw: bytes) -> None:
    response = enroll_raw(platform, raw, platform.token(VENUE))

    assert response.status_code == 400, response.text
    assert response.json()["error"] == "weak_public_key"
    assert "non-canonical" in response.json()["detail"]


def test_a_mixed_order_key_is_refused(platform: RunningPlatform) -> None:
    good = SigningKey.generate().public.spki[-32:]
    y = int.from_bytes(good, "little") & ((1 << 255) - 1)
    point = (x_of(y, good[31] >> 7) or 0, y)
    mixed = encode(add(point, (0, P - 1)))  # plus the point of order 2

    response = enroll_raw(platform, mixed, platform.token(VENUE))

    assert response.status_code == 400
    assert response.json()["error"] == "weak_public_key"


def test_an_identity_key_enrolled_earlier_cannot_sign(platform: RunningPlatform) -> None:
    # A kiosk enrolled with the identity point before the check: with it, R = identity
    # and S = 0 verify for every message (no private key needed).
    identity = (1).to_bytes(32, "little")
    kiosk = platform.store.enroll(
        platform.store.issue_token(VENUE, timedelta(hours=1)),
        VENUE,
        public_key=SigningKey.generate().public.spki[-32:],
        name="old",
    )
    with sqlite3.connect(platform.data_dir / "platform.db") as db:
        db.execute("UPDATE kiosks SET public_key = ? WHERE id = ?", (identity, kiosk.id))
    body = gzip_json({"records": [record()]})
    headers = auth.sign_request(
        SigningKey.generate(),
        kiosk.id,
        "POST",
        "/v1/checkins",
        body,
        timestamp=int(time.time()),
        nonce=os.urandom(16),
    )
    headers[auth.SIGNATURE] = auth.b64url(identity + bytes(32))

    response = httpx.post(
        f"{platform.url}/v1/checkins",
        content=body,
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip", **headers},
    )

    assert response.status_code == 401
    assert response.json()["error"] == "bad_signature"
    assert platform.store.count_checkins() == 0
