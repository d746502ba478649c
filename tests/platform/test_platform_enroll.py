"""``POST /v1/enroll``: one-time tokens bound to a venue."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from platform_helpers import VENUE, enroll_request, public_key_text

from cityplatform.testing import RunningPlatform
from kiosk.verify.keys import SigningKey

RFC3339_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_enroll_registers_the_kiosk_key(platform: RunningPlatform) -> None:
    key = SigningKey.generate()
    response = enroll_request(platform.url, platform.token(VENUE), VENUE, key)

    assert response.status_code == 201
    body = response.json()
    assert body["venue_id"] == VENUE
    assert RFC3339_UTC.fullmatch(body["server_time"])
    kiosk = platform.store.kiosk(body["kiosk_id"])
    assert kiosk is not None
    assert kiosk.enabled
    assert kiosk.venue_id == VENUE
    assert kiosk.name == "Entrance A"
    assert kiosk.public_key == key.public.spki[-32:]


def test_a_token_works_once(platform: RunningPlatform) -> None:
    token = platform.token(VENUE)
    assert enroll_request(platform.url, token, VENUE, SigningKey.generate()).status_code == 201

    again = enroll_request(platform.url, token, VENUE, SigningKey.generate())

    assert again.status_code == 403
    assert again.json()["error"] == "token_used"
    assert platform.store.stats()["kiosks_enabled"] == 1


def test_an_unknown_token_is_invalid(platform: RunningPlatform) -> None:
    response = enroll_request(platform.url, "no-such-token", VENUE, SigningKey.generate())

    assert response.status_code == 403
    assert response.json() == {"error": "token_invalid", "detail": "unknown enrollment token"}


def test_an_expired_token_is_invalid(platform: RunningPlatform) -> None:
    issued = datetime.now(UTC) - timedelta(hours=2)
    token = platform.store.issue_token(VENUE, timedelta(hours=1), now=issued)

    response = enroll_request(platform.url, token, VENUE, SigningKey.generate())

    assert response.status_code == 403
    assert response.json()["error"] == "token_invalid"


def test_the_venue_must_match_and_a_mismatch_does_not_use_the_token(
    platform: RunningPlatform,
) -> None:
    token = platform.token(VENUE)

    wrong = enroll_request(platform.url, token, "HCM-Q3-000999", SigningKey.generate())
    right = enroll_request(platform.url, token, VENUE, SigningKey.generate())

    assert wrong.status_code == 403
    assert wrong.json()["error"] == "token_venue_mismatch"
    assert right.status_code == 201


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"{", "application/json", 422),
        (b"[]", "application/json", 422),
        (b'{"token": "t"}', "application/json", 422),
        (b"\xff\xfe", "application/json", 422),
        (b"{}", "text/plain", 415),
        (b"{}", "", 415),
    ],
)
def test_malformed_enrollments_are_refused(
    platform: RunningPlatform, body: bytes, content_type: str, status: int
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = httpx.post(f"{platform.url}/v1/enroll", content=body, headers=headers)

    assert response.status_code == status
    assert response.json()["error"] in {"invalid_request", "unsupported_media_type"}
    assert set(response.json()) == {"error", "detail"}


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},
        {"kiosk_name": ""},
        {"kiosk_name": "x" * 65},
        {"kiosk_name": "bell\x07"},
        {"venue_id": 123},
        {"public_key": "A" * 42 + "B"},  # non-zero padding bits: not canonical base64url
        {"public_key": "not-base64!"},
        {"public_key": "AAAA"},
        {"token": None},
    ],
)
def test_invalid_fields_are_invalid_request_and_keep_the_token(
    platform: RunningPlatform, change: dict[str, object]
) -> None:
    token = platform.token(VENUE)
    body: dict[str, object] = {
        "token": token,
        "venue_id": VENUE,
        "kiosk_name": "Entrance A",
        "public_key": public_key_text(SigningKey.generate()),
        **change,
    }

    response = httpx.post(f"{platform.url}/v1/enroll", json=body)

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert enroll_request(platform.url, token, VENUE, SigningKey.generate()).status_code == 201


def test_an_oversized_enrollment_is_too_large(platform: RunningPlatform) -> None:
    response = httpx.post(
        f"{platform.url}/v1/enroll",
        content=b'{"token": "' + b"x" * 100_000 + b'"}',
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
