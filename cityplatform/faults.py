"""Injected failures, so kiosk tests can meet a misbehaving platform on a real socket.

A :class:`Faults` object holds a queue of rules; the app asks it once per HTTP request
(:meth:`Faults.take`) and the first rule that matches the request's path is used up by
one. Only an app built with ``create_app(..., faults=Faults())`` consults one: a
production platform never has one.

Modes (each for the next ``n`` matching requests):

- ``fail_next``: answer ``500`` (or another status) without handling the request.
- ``throttle_next``: answer ``429`` (or ``503``) with ``Retry-After: S``, unhandled.
- ``delay_next``: handle the request at once, hold its response back ``S`` seconds
  (so a client timeout fires after the platform did the work).
- ``commit_then_drop``: handle a ``POST /v1/checkins`` (records are committed), then
  close the connection without sending a byte of the response.
- ``malformed_next``: handle the request, then answer ``200`` with a body that is not
  JSON, or with a huge body.
"""

from __future__ import annotations

import asyncio
import enum
import json
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CHECKINS_PATH: Final = "/v1/checkins"
NOT_JSON: Final = b"<html><body>502 Bad Gateway (injected)</body></html>"


class FaultKind(enum.Enum):
    FAIL = "fail"
    THROTTLE = "throttle"
    DELAY = "delay"
    DROP_AFTER_COMMIT = "drop_after_commit"
    MALFORMED = "malformed"


@dataclass(frozen=True, slots=True)
class Fault:
    kind: FaultKind
    #: Only requests to this exact path match; ``None`` matches every path.
    path: str | None = None
    status: int = 500
    retry_after: int | None = None
    seconds: float = 0.0
    #: For ``MALFORMED``: 0 sends a short non-JSON body, more sends that many bytes.
    body_size: int = 0


@dataclass(slots=True)
class _Rule:
    fault: Fault
    remaining: int


class Faults:
    """Thread-safe queue of injected failures (the app runs on an event loop thread, the
    test that sets them up on another)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[_Rule] = []
        self._injected: list[tuple[FaultKind, str]] = []

    def _add(self, fault: Fault, n: int) -> None:
        if n < 1:
            raise ValueError("n must be at least 1")
        with self._lock:
            self._rules.append(_Rule(fault, n))

    def fail_next(self, n: int = 1, *, status: int = 500, path: str | None = None) -> None:
        self._add(Fault(FaultKind.FAIL, path, status=status), n)

    def throttle_next(
        self,
        n: int = 1,
        *,
        retry_after: int = 1,
        status: int = 429,
        path: str | None = None,
    ) -> None:
        self._add(Fault(FaultKind.THROTTLE, path, status=status, retry_after=retry_after), n)

    def delay_next(self, n: int = 1, *, seconds: float, path: str | None = None) -> None:
        self._add(Fault(FaultKind.DELAY, path, seconds=seconds), n)

    def commit_then_drop(self, n: int = 1) -> None:
        self._add(Fault(FaultKind.DROP_AFTER_COMMIT, CHECKINS_PATH), n)

    def malformed_next(self, n: int = 1, *, body_size: int = 0, path: str | None = None) -> None:
        """``body_size`` 0: a short HTML body; otherwise that many bytes (a huge reply)."""
        self._add(Fault(FaultKind.MALFORMED, path, status=200, body_size=body_size), n)

    def clear(self) -> None:
        with self._lock:
            self._rules.clear()

    def pending(self) -> int:
        """How many requests the queued rules will still affect."""
        with self._lock:
            return sum(rule.remaining for rule in self._rules)

    @property
    def injected(self) -> list[tuple[FaultKind, str]]:
        """Every fault used so far, with the path of the request it hit."""
        with self._lock:
            return list(self._injected)

    def take(self, path: str) -> Fault | None:
        """The fault for a request to ``path``, used up; ``None`` when no rule matches."""
        with self._lock:
            for i, rule in enumerate(self._rules):
                if rule.fault.path is None or rule.fault.path == path:
                    rule.remaining -= 1
                    if rule.remaining == 0:
                        del self._rules[i]
                    self._injected.append((rule.fault.kind, path))
                    return rule.fault
        return None


async def _drain(receive: Receive) -> None:
    """Read the request body to its end, so the client can finish sending it."""
    while True:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return


async def _send_json(
    send: Send, status: int, body: Mapping[str, object], headers: list[tuple[bytes, bytes]]
) -> None:
    data = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(data)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": data, "more_body": False})


async def _swallow(message: Message) -> None:
    del message


async def apply(fault: Fault, app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> bool:
    """Serve one request under ``fault``. True: the caller must abort the connection
    without a response (see ``PlatformApp.__call__``)."""
    if fault.kind is FaultKind.FAIL:
        await _drain(receive)
        error = {"error": "injected_fault", "detail": "injected failure (test hook)"}
        await _send_json(send, fault.status, error, [(b"connection", b"close")])
        return False
    if fault.kind is FaultKind.THROTTLE:
        await _drain(receive)
        code = "rate_limited" if fault.status == 429 else "unavailable"
        retry = [] if fault.retry_after is None else [(b"retry-after", b"%d" % fault.retry_after)]
        await _send_json(send, fault.status, {"error": code, "detail": "try again later"}, retry)
        return False
    if fault.kind is FaultKind.DELAY:
        held = False

        async def late_send(message: Message) -> None:
            nonlocal held
            if not held:
                held = True
                await asyncio.sleep(fault.seconds)
            await send(message)

        await app(scope, receive, late_send)
        return False
    if fault.kind is FaultKind.DROP_AFTER_COMMIT:
        await app(scope, receive, _swallow)
        return True
    # MALFORMED: the request is handled (and committed); its reply is replaced.
    await app(scope, receive, _swallow)
    size = fault.body_size or len(NOT_JSON)
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(size).encode()),
            ],
        }
    )
    if not fault.body_size:
        await send({"type": "http.response.body", "body": NOT_JSON, "more_body": False})
        return False
    chunk = b"x" * (1024 * 1024)
    left = size
    while left > 0:
        part = chunk[: min(left, len(chunk))]
        left -= len(part)
        await send({"type": "http.response.body", "body": part, "more_body": left > 0})
    return False
