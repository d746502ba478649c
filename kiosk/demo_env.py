"""The demo environment: a reference platform on loopback and a demo kiosk enrolled with it.

``kiosk demo`` needs no set-up and no camera: it starts the reference city platform
(``python -m cityplatform serve``, a child process: the kiosk never imports the platform)
on a free port of 127.0.0.1, which publishes a trust bundle for this machine's demo
issuer keys; then it provisions a demo kiosk under ``<data>/demo/kiosk`` (its own log,
keys and settings, apart from any real provisioning): pins the platform's root key,
enrolls with a one-time token, syncs once to install the bundle. The camera is the
synthetic one, showing the demo cards.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Final

from kiosk.config import Settings
from kiosk.demo import demo_kit
from kiosk.errors import KioskError, RetryLater
from kiosk.paths import Paths
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.keys import load_public_key

logger = logging.getLogger(__name__)

DEMO_VENUE: Final = "DEMO-Q1-0001"
DEMO_VENUE_NAME: Final = "Siêu thị Bến Thành (demo)"
START_TIMEOUT: Final = 30.0
#: prctl(2): the signal the kernel sends a child when its parent thread exits.
PR_SET_PDEATHSIG: Final = 1


def _die_with_parent() -> None:
    """In the platform child: the kernel ends it when the kiosk dies, however it dies
    (SIGKILL, a crash), so no demo platform is left behind. Linux only; elsewhere the
    kiosk's own clean-up (``__exit__``) is all there is."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class DemoEnvironment:
    """``with DemoEnvironment(paths) as demo:`` — ``demo.kiosk_paths`` is provisioned."""

    paths: Paths
    platform: bool = True
    process: subprocess.Popen[bytes] | None = None
    url: str = ""

    @property
    def kiosk_paths(self) -> Paths:
        root = self.paths.demo / "kiosk"
        # The demo camera signs its cards with the keys the demo platform's bundle
        # trusts: the machine's demo keys, not a second set under the demo kiosk's data.
        return Paths(
            data=root / "data",
            config=root / "config",
            logs=root / "logs",
            demo_keys=self.paths.demo,
        )

    @property
    def platform_dir(self) -> Path:
        return self.paths.demo / "platform"

    def _platform(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own interpreter and package
            [sys.executable, "-m", "cityplatform", *args, "--data", str(self.platform_dir)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        if result.returncode != 0:
            raise KioskError(f"the demo platform refused {args[0]}: {result.stderr.strip()}")
        return result.stdout.strip()

    def __enter__(self) -> DemoEnvironment:
        kit_dir = self.paths.demo
        demo_kit(self.paths)  # the demo issuer keys the platform's bundle will trust
        kiosk = self.kiosk_paths
        settings = Settings.load(kiosk)
        if settings == Settings():
            settings = Settings(
                camera="synthetic",
                venue_id=DEMO_VENUE,
                venue_name=DEMO_VENUE_NAME,
                venue_category="supermarket",
            )
            settings.save(kiosk)
        if not self.platform:
            return self
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.platform_dir.mkdir(parents=True, exist_ok=True)
        log = (self.platform_dir / "platform.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and package
            [
                sys.executable,
                "-m",
                "cityplatform",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--data",
                str(self.platform_dir),
                "--demo-kit",
                str(kit_dir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - set before any thread starts
        )
        log.close()
        try:
            self._wait_until_up()
            self._provision(kiosk)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_until_up(self) -> None:
        client = PlatformClient(self.url, timeout=1.0)
        deadline = time.monotonic() + START_TIMEOUT
        try:
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise KioskError(
                        f"the demo platform stopped; see {self.platform_dir / 'platform.log'}"
                    )
                try:
                    client.server_time()
                    return
                except RetryLater:
                    time.sleep(0.1)
        finally:
            client.close()
        raise KioskError(f"the demo platform did not start within {START_TIMEOUT:.0f} s")

    def _provision(self, kiosk: Paths) -> None:
        trust = InstalledTrust(kiosk.trust)
        root = load_public_key(Path(self._platform("root-key")))
        trust.pin_root(root, replace=True)
        enrollment = Enrollment.load(kiosk.data / "enrollment.json")
        key = device_key(kiosk.data / "keys")
        # The demo platform keeps its database, so an enrollment made before stays good;
        # its URL (the port) changes every run.
        if enrollment is None:
            token = self._platform("token", "--venue", DEMO_VENUE)
            client = PlatformClient(self.url)
            try:
                kiosk_id = client.enroll(token, DEMO_VENUE, "Demo kiosk", key)
            finally:
                client.close()
            enrollment = Enrollment(self.url, kiosk_id, DEMO_VENUE, "Demo kiosk")
        else:
            enrollment = Enrollment(self.url, enrollment.kiosk_id, DEMO_VENUE, "Demo kiosk")
        enrollment.save(kiosk.data / "enrollment.json")
        client = PlatformClient(self.url, key=key, kiosk_id=enrollment.kiosk_id)
        try:
            data = client.fetch_bundle(trust.highest_version())
        finally:
            client.close()
        if data is not None:
            trust.install(data)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
            self.process = None
