"""A real platform on 127.0.0.1 for tests: in a thread, or as a separate process.

:func:`running_platform` serves the app with uvicorn in a background thread of the test
process (the store and the fault hook are right there to inspect and steer).
:func:`platform_process` runs ``python -m cityplatform serve`` as a child process, for
tests in which the kiosk side is killed while the platform keeps running.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

from cityplatform.app import PARSER_HEADER_LIMIT, create_app
from cityplatform.faults import Faults
from cityplatform.store import PlatformStore, system_clock
from kiosk.verify.keys import SigningKey, load_signing_key

#: Seconds to wait for a platform to answer ``GET /v1/time``.
START_TIMEOUT = 20.0


@dataclass(frozen=True, slots=True)
class RunningPlatform:
    url: str
    store: PlatformStore
    faults: Faults
    root_key: SigningKey
    #: The directory of the database and of ``root.pub`` (what a kiosk pins).
    data_dir: Path

    @property
    def root_pub(self) -> Path:
        return self.data_dir / "root.pub"

    def token(self, venue_id: str, ttl: timedelta = timedelta(hours=72)) -> str:
        return self.store.issue_token(venue_id, ttl)


@dataclass(frozen=True, slots=True)
class PlatformProcess:
    url: str
    data_dir: Path
    process: subprocess.Popen[bytes]

    @property
    def root_pub(self) -> Path:
        return self.data_dir / "root.pub"

    def root_key(self) -> SigningKey:
        return load_signing_key(self.data_dir / "root.key")

    def open_store(self) -> PlatformStore:
        """A second connection to the running platform's database (WAL allows it)."""
        return PlatformStore(self.data_dir / "platform.db", root=self.root_key().public)

    def token(self, venue_id: str, ttl: timedelta = timedelta(hours=72)) -> str:
        with self.open_store() as store:
            return store.issue_token(venue_id, ttl)


def _wait_until_up(
    url: str, alive: Callable[[], bool], started: Callable[[], bool] = lambda: True
) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError("the platform stopped while starting")
        if started():
            try:
                if httpx.get(f"{url}/v1/time", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
        time.sleep(0.01)
    raise RuntimeError(f"the platform at {url} did not answer within {START_TIMEOUT} s")


@contextmanager
def running_platform(
    tmp_path: Path,
    *,
    faults: Faults | None = None,
    root_key: SigningKey | None = None,
    clock: Callable[[], datetime] = system_clock,
    busy_timeout: float = 10.0,
) -> Iterator[RunningPlatform]:
    """Serve a fresh platform (database in ``tmp_path/platform``) until the block ends.

    The same ``tmp_path`` and ``root_key`` again reopen the same database (a restart).
    A ``Faults`` object is always attached (a new, empty one when none is given).
    """
    data_dir = tmp_path / "platform"
    data_dir.mkdir(parents=True, exist_ok=True)
    key = root_key or SigningKey.generate()
    (data_dir / "root.pub").write_bytes(key.public.pem())
    hook = faults if faults is not None else Faults()
    store = PlatformStore(
        data_dir / "platform.db", root=key.public, clock=clock, busy_timeout=busy_timeout
    )
    app = create_app(store, clock=clock, faults=hook, root_key=key)
    # proto=IPPROTO_TCP: asyncio sets TCP_NODELAY only on sockets that say they are TCP;
    # without it every keep-alive response waits 40 ms for a delayed ACK.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        http="h11",
        h11_max_incomplete_event_size=PARSER_HEADER_LIMIT,
        lifespan="off",
        log_config=None,
        access_log=False,
        timeout_graceful_shutdown=1,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="cityplatform", daemon=True
    )
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, thread.is_alive, lambda: server.started)
        yield RunningPlatform(url, store, hook, key, data_dir)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def platform_process(
    tmp_path: Path, port: int | None = None, *, demo_kit: Path | None = None
) -> Iterator[PlatformProcess]:
    """Run ``python -m cityplatform serve`` on 127.0.0.1 (data in ``tmp_path/platform``)
    until the block ends; the process is terminated (then killed) at the end."""
    data_dir = tmp_path / "platform"
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "cityplatform",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--data",
        str(data_dir),
    ]
    if demo_kit is not None:
        command += ["--demo-kit", str(demo_kit)]
    log = (tmp_path / "platform.log").open("wb")
    # The child imports this very package, installed or not.
    source_root = str(Path(__file__).resolve().parent.parent)
    python_path = os.pathsep.join(filter(None, [source_root, os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": python_path}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command, stdout=log, stderr=subprocess.STDOUT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, lambda: process.poll() is None)
        yield PlatformProcess(url, data_dir, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
