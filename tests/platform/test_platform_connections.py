"""A client that hangs up mid-body, and header blocks over the documented 16 KiB
(issue 10, item 14), against a real server on 127.0.0.1."""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlsplit

import httpx
import pytest
from platform_helpers import EnrolledKiosk, gzip_json, record

from cityplatform.app import MAX_HEADER_BYTES
from cityplatform.testing import RunningPlatform


def _connect(url: str) -> socket.socket:
    parts = urlsplit(url)
    return socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=5)


def _wait_for(caplog: pytest.LogCaptureFixture, words: str, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(words in r.getMessage() for r in caplog.records):
            return
        time.sleep(0.02)


@pytest.mark.parametrize("path", ["/v1/checkins", "/v1/enroll"])
def test_a_client_hanging_up_mid_body_is_a_client_abort_not_an_error(
    platform: RunningPlatform,
    kiosk: EnrolledKiosk,
    caplog: pytest.LogCaptureFixture,
    path: str,
) -> None:
    caplog.set_level(logging.DEBUG, logger="cityplatform")
    body = gzip_json({"records": [record() for _ in range(50)]})
    headers = kiosk.headers("POST", path, body)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Encoding: gzip\r\nContent-Length: {len(body)}\r\n"
        + "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        + "\r\n"
    )
    with _connect(platform.url) as sock:
        sock.sendall(head.encode("ascii") + body[: len(body) // 2])
        time.sleep(0.2)  # the platform is now waiting in the body
    _wait_for(caplog, "hung up")

    assert httpx.get(f"{platform.url}/v1/time").status_code == 200
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], messages
    assert not [r for r in caplog.records if r.exc_info], messages
    aborts = [r for r in caplog.records if "hung up" in r.getMessage()]
    assert aborts, messages
    assert all(r.levelno in (logging.INFO, logging.WARNING) for r in aborts)
    assert platform.store.count_checkins() == 0


@pytest.mark.parametrize("size", [17 * 1024, 20_000, 70_000])
def test_a_header_block_over_16_kib_is_431(platform: RunningPlatform, size: int) -> None:
    response = httpx.get(f"{platform.url}/v1/time", headers={"X-Padding": "a" * size})

    assert response.status_code == 431
    assert response.json()["error"] == "header_too_large"


def test_a_header_block_over_16_kib_in_many_headers_is_431(platform: RunningPlatform) -> None:
    headers = {f"X-Padding-{n}": "a" * 200 for n in range(100)}  # about 21 KB

    response = httpx.get(f"{platform.url}/v1/time", headers=headers)

    assert response.status_code == 431


def test_a_header_block_sent_slowly_over_16_kib_is_431(platform: RunningPlatform) -> None:
    with _connect(platform.url) as sock:
        sock.sendall(b"GET /v1/time HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for n in range(100):
            sock.sendall(f"X-Padding-{n}: {'a' * 200}\r\n".encode())
            time.sleep(0.001)
        sock.sendall(b"\r\n")
        reply = sock.recv(65536)

    assert reply.startswith(b"HTTP/1.1 431 ")


def test_a_header_block_just_under_the_limit_is_served(platform: RunningPlatform) -> None:
    response = httpx.get(
        f"{platform.url}/v1/time", headers={"X-Padding": "a" * (MAX_HEADER_BYTES - 1024)}
    )

    assert response.status_code == 200
