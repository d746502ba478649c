"""``kiosk provision`` and ``kiosk selftest`` through ``kiosk.cli.main``, against a real
platform on 127.0.0.1 and real files under ``tmp_path``."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers import World, bundle_bytes

from cityplatform.testing import RunningPlatform, running_platform
from kiosk import cli
from kiosk.cli_provision import DECODERS
from kiosk.config import Settings
from kiosk.paths import Paths
from kiosk.provisioning import CHECKS
from kiosk.scanner.decoders import NAMES
from kiosk.sync.device import Enrollment
from kiosk.verify.installed import InstalledTrust
from kiosk.verify.keys import SigningKey

VENUE = "HCM-Q1-000123"


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Kiosk:
    home: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def paths(self) -> Paths:
        return Paths(data=self.home / "data", config=self.home / "config", logs=self.home / "logs")

    def __call__(self, *argv: str | Path) -> Result:
        out = io.StringIO()
        self.capsys.readouterr()
        code = cli.main([str(a) for a in argv], out=out, paths=self.paths)
        return Result(code, out.getvalue(), self.capsys.readouterr().err)


@pytest.fixture
def kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    return Kiosk(tmp_path / "kiosk", capsys)


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[RunningPlatform]:
    with running_platform(tmp_path) as running:
        yield running


def bundle_file(path: Path, world: World, root: SigningKey, version: int = 1) -> Path:
    issued = datetime.now(UTC) - timedelta(minutes=1)
    path.write_bytes(bundle_bytes(root, [world.city.trusted], version=version, issued_at=issued))
    return path


def test_provision_everything_then_selftest_json_passes(
    kiosk: Kiosk, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    platform.store.publish_bundle(
        bundle_file(tmp_path / "b.cose", world, platform.root_key).read_bytes()
    )
    result = kiosk(
        "provision",
        "--venue-id", VENUE,
        "--venue-name", "Phở 24",
        "--category", "dine-in",
        "--root", platform.root_pub,
        "--platform", platform.url,
        "--token", platform.token(VENUE),
        "--kiosk-name", "Cửa A",
        "--camera", "synthetic",
        "--width", "640",
        "--height", "480",
        "--decoder", "zxing",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("✔")] == [
        "✔ root key",
        "✔ venue",
        "✔ platform",
        "✔ camera",
        "✔ decoder",
    ]
    assert f"✔ venue: {VENUE} “Phở 24”, category dine-in" in lines
    assert "  trust bundle version 1 installed" in result.out
    assert "✔ camera: synthetic at 640x480" in lines
    settings = Settings.load(kiosk.paths)
    assert (settings.venue_id, settings.camera, settings.decoder) == (VENUE, "synthetic", "zxing")
    enrollment = Enrollment.load(kiosk.paths.data / "enrollment.json")
    assert enrollment is not None
    assert enrollment.kiosk_name == "Cửa A"

    report = kiosk("selftest", "--json")
    assert report.code == 0, report.out
    data = json.loads(report.out)
    assert data["ok"] is True
    assert [check["name"] for check in data["checks"]] == list(CHECKS)
    assert all(check["ok"] for check in data["checks"])


def test_provision_offline_from_a_bundle_file(kiosk: Kiosk, world: World, tmp_path: Path) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    usb = bundle_file(tmp_path / "bundle-4.cose", world, world.root, version=4)
    result = kiosk("provision", "--root", tmp_path / "root.pub", "--bundle", usb)
    assert result.code == 0, result.err
    assert "✔ bundle: trust bundle version 4 installed (issued " in result.out
    assert "1 issuer key(s), venue categories dine-in, hair-salon" in result.out
    assert InstalledTrust(kiosk.paths.trust).highest_version() == 4


def test_a_bad_bundle_stops_provisioning_with_a_clear_error(
    kiosk: Kiosk, world: World, tmp_path: Path
) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    forged = bundle_file(tmp_path / "forged.cose", world, SigningKey.generate())
    result = kiosk(
        "provision", "--root", tmp_path / "root.pub", "--bundle", forged, "--camera", "synthetic"
    )
    assert result.code == 2
    assert result.out.startswith("✔ root key: pinned city root key ")
    assert "camera" not in result.out  # later steps did not run
    assert result.err == (
        "kiosk: error: forged.cose: bundle signature does not match the pinned city root key\n"
    )


def test_an_older_bundle_is_refused_as_a_rollback(
    kiosk: Kiosk, world: World, tmp_path: Path
) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    new = bundle_file(tmp_path / "b5.cose", world, world.root, version=5)
    old = bundle_file(tmp_path / "b2.cose", world, world.root, version=2)
    assert kiosk("provision", "--root", tmp_path / "root.pub", "--bundle", new).code == 0
    result = kiosk("provision", "--bundle", old)
    assert result.code == 2
    assert "b2.cose: bundle version 2 is older than version 5 already accepted" in result.err


def test_venue_options_update_the_venue_set_before(kiosk: Kiosk) -> None:
    assert (
        kiosk("provision", "--venue-id", VENUE, "--venue-name", "A", "--category", "office").code
        == 0
    )
    assert kiosk("provision", "--category", "supermarket").code == 0
    settings = Settings.load(kiosk.paths)
    assert (settings.venue_id, settings.venue_name, settings.venue_category) == (
        VENUE,
        "A",
        "supermarket",
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ((), "nothing to provision"),
        (("--platform", "http://127.0.0.1:1"), "--platform and --token go together"),
        (("--category", "dine-in"), "no venue set yet: give --venue-id, --venue-name"),
        (("--platform", "http://x", "--token", "t"), "enrolling needs the venue id"),
        (("--replace-root",), "--replace-root needs --root PUB"),
        (("--decoder", "quagga"), "invalid choice: 'quagga'"),
        (
            ("--venue-id", "X", "--venue-name", "Y", "--category", "karaoke"),
            "unknown venue category 'karaoke'",
        ),
        (("--camera", "/dev/video99"), "no camera '/dev/video99'"),
    ],
)
def test_provision_usage_errors_exit_2_and_change_nothing(
    kiosk: Kiosk, argv: tuple[str, ...], message: str
) -> None:
    result = kiosk("provision", *argv)
    assert result.code == 2
    assert message in result.err
    assert result.out == ""
    assert Settings.load(kiosk.paths) == Settings()


def test_selftest_prints_a_table_and_exits_1_on_failures(kiosk: Kiosk) -> None:
    assert kiosk("provision", "--camera", "synthetic").code == 0
    result = kiosk("selftest", "--timeout", "1")
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0].split() == ["check", "result", "detail"]
    rows = {line.split("  ")[0].strip(): line for line in lines[1:-1]}
    assert list(rows) == list(CHECKS)
    assert "FAIL    no city root key pinned" in rows["trust data"]
    assert "PASS" in rows["camera"]
    assert "FAIL    not enrolled" in rows["platform"]
    assert lines[-1] == "2 of 6 checks FAILED"


def test_selftest_demo_passes_on_a_kiosk_that_is_not_provisioned(kiosk: Kiosk) -> None:
    assert kiosk("provision", "--camera", "synthetic").code == 0
    result = kiosk("selftest", "--demo")
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1] == "all 6 checks passed"


def test_registering_the_commands_loads_no_camera_decoder_or_http_library() -> None:
    code = (
        "import sys, kiosk.cli_provision; "
        "print(sorted({'cv2', 'httpx', 'numpy'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert DECODERS == NAMES  # the spelled-out choices are the scanner's
