"""A minimal reference client for the platform tests: enroll, sign, upload.

It follows ``docs/sync-protocol.md`` independently of the kiosk's sync code, so these
tests check the platform against the document, not against one client.
"""

from __future__ import annotations

import gzip
import json
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from cityplatform import auth
from cityplatform.testing import RunningPlatform
from kiosk.verify.keys import SigningKey

VENUE = "HCM-Q1-000123"
HOLDER = "Nguyễn V. A., 1987"
CARD_ID = "7c1e0d2a-5b7f-4a51-9b1f-0e4c3c2d1a00"


def record(**overrides: Any) -> dict[str, Any]:
    """One valid check-in record (a green admission), with fields replaced."""
    value: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "at": "2021-09-21T10:02:03.120+07:00",
        "venue_id": VENUE,
        "card_id": CARD_ID,
        "card_format": "HCM1",
        "verdict": "green",
        "reason": "admitted_green",
        "holder": HOLDER,
        "manual": False,
        "manual_reason": None,
        "rules_version": "HCM-2021-09-20",
    }
    value.update(overrides)
    return value


def gzip_json(payload: object) -> bytes:
    return gzip.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


@dataclass(frozen=True)
class EnrolledKiosk:
    url: str
    kiosk_id: str
    venue_id: str
    key: SigningKey

    def headers(
        self,
        method: str,
        path: str,
        body: bytes,
        *,
        timestamp: int | None = None,
        nonce: bytes | None = None,
        key: SigningKey | None = None,
    ) -> dict[str, str]:
        return auth.sign_request(
            key or self.key,
            self.kiosk_id,
            method,
            path,
            body,
            timestamp=int(time.time()) if timestamp is None else timestamp,
            nonce=os.urandom(16) if nonce is None else nonce,
        )

    def post_body(
        self,
        body: bytes,
        *,
        path: str = "/v1/checkins",
        extra_headers: dict[str, str] | None = None,
        client: httpx.Client | None = None,
        timeout: float = 10.0,
        **sign: Any,
    ) -> httpx.Response:
        """POST ``body`` (already compressed) signed, as ``application/json`` + gzip."""
        headers = {
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            **self.headers("POST", path, body, **sign),
            **(extra_headers or {}),
        }
        if client is not None:
            return client.post(self.url + path, content=body, headers=headers)
        return httpx.post(self.url + path, content=body, headers=headers, timeout=timeout)

    def upload(self, records: list[dict[str, Any]], **kwargs: Any) -> httpx.Response:
        return self.post_body(gzip_json({"records": records}), **kwargs)


def public_key_text(key: SigningKey) -> str:
    return auth.b64url(auth.raw_public_key(key.public))


def enroll_request(
    url: str, token: str, venue_id: str, key: SigningKey, name: str = "Entrance A"
) -> httpx.Response:
    return httpx.post(
        f"{url}/v1/enroll",
        json={
            "token": token,
            "venue_id": venue_id,
            "kiosk_name": name,
            "public_key": public_key_text(key),
        },
        timeout=10.0,
    )


def enroll(platform: RunningPlatform, venue_id: str = VENUE) -> EnrolledKiosk:
    key = SigningKey.generate()
    response = enroll_request(platform.url, platform.token(venue_id), venue_id, key)
    assert response.status_code == 201, response.text
    return EnrolledKiosk(platform.url, response.json()["kiosk_id"], venue_id, key)
