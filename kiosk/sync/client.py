"""The HTTP client for the city platform: the one adapter around ``httpx``.

Every failure becomes a :class:`~kiosk.errors.SyncError`: network trouble, timeouts,
5xx, 429 and unreadable replies are :class:`RetryLater` (with the server's
``Retry-After`` when it sent one); other 4xx are :class:`SyncRejected`.
Replies are read with a size cap, so a hostile or broken server cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import json
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import httpx

from kiosk.errors import EnrollmentError, RetryLater, SyncRejected
from kiosk.sync.device import b64url, raw_public_key, signature_headers
from kiosk.verify.keys import SigningKey

MAX_JSON_REPLY: Final = 1 << 20
MAX_BUNDLE_REPLY: Final = 256 << 20
USER_AGENT: Final = "hcm-kiosk/1"


@dataclass(frozen=True, slots=True)
class Ack:
    stored: int
    duplicates: int
    uuids: tuple[str, ...]
    #: Uuids the platform holds for *another* kiosk: not stored for this one (the kiosk
    #: resends those records under new uuids). Absent from an older platform's reply.
    conflicts: tuple[str, ...] = ()


#: The platform's error code for ``GET /v1/bundle`` before it published any bundle.
NO_BUNDLE: Final = "no_bundle"


@dataclass(frozen=True, slots=True)
class BundleReply:
    """``GET /v1/bundle``: a newer bundle's bytes, or None; ``published`` is False when the
    platform publishes no bundle at all yet (``404 no_bundle``), so that "nothing newer"
    is never said of a platform that has nothing."""

    data: bytes | None
    published: bool = True


@dataclass(frozen=True, slots=True)
class ServerTime:
    epoch_ms: int
    #: Local wall-clock milliseconds when the request left and the reply came back.
    sent_ms: int
    received_ms: int

    @property
    def drift_ms(self) -> int:
        """How far the server's clock is ahead of ours (negative: we are ahead)."""
        return self.epoch_ms - (self.sent_ms + self.received_ms) // 2


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return min(max(seconds, 0.0), 3600.0)


class PlatformClient:
    def __init__(
        self,
        base_url: str,
        *,
        key: SigningKey | None = None,
        kiosk_id: str | None = None,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._key = key
        self._kiosk_id = kiosk_id
        self._clock = wall_clock
        try:
            self._http = httpx.Client(
                base_url=base_url.rstrip("/"),
                timeout=httpx.Timeout(timeout),
                transport=transport,
                headers={"User-Agent": USER_AGENT},
                follow_redirects=False,
            )
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise EnrollmentError(
                f"the platform URL {base_url!r} is not a valid URL",
                code="platform_url_invalid",
                values={"url": base_url},
            ) from exc

    def close(self) -> None:
        self._http.close()

    # -- plumbing ----------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: bytes = b"",
        headers: Mapping[str, str] = {},
        signed: bool = False,
        limit: int = MAX_JSON_REPLY,
    ) -> tuple[httpx.Response, bytes]:
        request = self._http.build_request(method, path, content=body, headers=dict(headers))
        if signed:
            if self._key is None or self._kiosk_id is None:
                raise EnrollmentError(
                    "this kiosk is not enrolled with a platform", code="not_enrolled"
                )
            # The path exactly as sent: with the platform URL's own prefix, if it has one.
            request.headers.update(
                signature_headers(
                    self._key,
                    kiosk_id=self._kiosk_id,
                    method=method,
                    path=request.url.raw_path.decode("ascii"),
                    body=body,
                    timestamp=int(self._clock()),
                    nonce=os.urandom(16),
                )
            )
        try:
            response = self._http.send(request, stream=True)
            try:
                chunks = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise RetryLater(
                            f"{path}: reply larger than {limit} bytes",
                            code="platform_bad_reply",
                            values={"path": path},
                        )
                    chunks.append(chunk)
                return response, b"".join(chunks)
            finally:
                response.close()
        except httpx.TimeoutException as exc:
            raise RetryLater(
                f"{path}: timed out", code="platform_timeout", values={"path": path}
            ) from exc
        except httpx.TransportError as exc:  # refused, reset, DNS, closed without reply…
            raise RetryLater(
                f"{path}: {type(exc).__name__}: {exc}",
                code="platform_unreachable",
                values={"path": path, "error": type(exc).__name__},
            ) from exc

    def _json(self, path: str, response: httpx.Response, data: bytes) -> dict[str, object]:
        status = response.status_code
        if status in (429, 503) or status >= 500:
            raise RetryLater(
                f"{path}: HTTP {status}",
                _retry_after(response),
                code="platform_unavailable",
                values={"path": path, "status": str(status)},
            )
        try:
            payload = json.loads(data)
        except (ValueError, UnicodeDecodeError) as exc:
            raise RetryLater(
                f"{path}: HTTP {status} with a reply that is not JSON",
                code="platform_bad_reply",
                values={"path": path},
            ) from exc
        if not isinstance(payload, dict):
            raise RetryLater(
                f"{path}: HTTP {status} with a reply that is not an object",
                code="platform_bad_reply",
                values={"path": path},
            )
        if status >= 400:
            code = str(payload.get("error", "unknown"))
            detail = payload.get("detail")
            index = payload.get("index")
            raise SyncRejected(
                f"{path}: HTTP {status} {code}: {detail!s:.200}",
                status,
                code,
                index if type(index) is int else None,
            )
        return payload

    # -- the protocol ------------------------------------------------------------------

    def enroll(self, token: str, venue_id: str, kiosk_name: str, key: SigningKey) -> str:
        body = json.dumps(
            {
                "token": token,
                "venue_id": venue_id,
                "kiosk_name": kiosk_name,
                "public_key": b64url(raw_public_key(key)),
            }
        ).encode()
        response, data = self._send(
            "POST", "/v1/enroll", body=body, headers={"Content-Type": "application/json"}
        )
        try:
            payload = self._json("/v1/enroll", response, data)
        except SyncRejected as exc:
            raise EnrollmentError(
                f"the platform refused the enrollment: {exc.code}",
                code="enroll_refused",
                values={"error": exc.code},
            ) from exc
        kiosk_id = payload.get("kiosk_id")
        if not isinstance(kiosk_id, str) or not kiosk_id:
            raise EnrollmentError(
                "the platform's enrollment reply has no kiosk_id", code="enroll_no_kiosk_id"
            )
        self._key, self._kiosk_id = key, kiosk_id
        return kiosk_id

    def upload(self, records: Sequence[Mapping[str, object]]) -> Ack:
        body = gzip.compress(json.dumps({"records": list(records)}).encode(), 6)
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        response, data = self._send("POST", "/v1/checkins", body=body, headers=headers, signed=True)
        payload = self._json("/v1/checkins", response, data)
        uuids = payload.get("uuids")
        stored, duplicates = payload.get("stored"), payload.get("duplicates")
        conflicts = payload.get("conflicts", [])
        if (
            not isinstance(uuids, list)
            or not all(isinstance(u, str) for u in uuids)
            or type(stored) is not int
            or type(duplicates) is not int
            or not isinstance(conflicts, list)
            or not all(isinstance(u, str) for u in conflicts)
            or set(conflicts) & set(uuids)  # acknowledged and refused at once: not a reply
        ):
            raise RetryLater(
                "/v1/checkins: the reply does not acknowledge records by uuid",
                code="platform_bad_reply",
                values={"path": "/v1/checkins"},
            )
        return Ack(stored, duplicates, tuple(uuids), tuple(conflicts))

    def bundle(self, have: int) -> BundleReply:
        """The platform's newest bundle when newer than ``have``; or why there is none."""
        path = f"/v1/bundle?have={int(have)}"
        response, data = self._send("GET", path, limit=MAX_BUNDLE_REPLY)
        if response.status_code == 304:
            return BundleReply(None)
        if response.status_code == 200:
            return BundleReply(data)
        try:
            self._json(path, response, data)  # raises for every error status
        except SyncRejected as exc:
            if exc.status == 404 and exc.code == NO_BUNDLE:
                return BundleReply(None, published=False)
            raise
        raise RetryLater(
            f"{path}: unexpected HTTP {response.status_code}",
            code="platform_bad_reply",
            values={"path": path},
        )

    def fetch_bundle(self, have: int) -> bytes | None:
        """The newer bundle's bytes, or None (nothing newer, or nothing published)."""
        return self.bundle(have).data

    def server_time(self) -> ServerTime:
        sent = int(self._clock() * 1000)
        response, data = self._send("GET", "/v1/time")
        received = int(self._clock() * 1000)
        payload = self._json("/v1/time", response, data)
        epoch_ms = payload.get("epoch_ms")
        if type(epoch_ms) is not int:
            raise RetryLater(
                "/v1/time: the reply has no epoch_ms",
                code="platform_bad_reply",
                values={"path": "/v1/time"},
            )
        return ServerTime(epoch_ms, sent, received)
