"""``kiosk provision`` and ``kiosk selftest`` through ``kiosk.cli.main``, against a real
platform on 127.0.0.1 and real files under ``tmp_path``."""

from __future__ import annotations

import getpass
import io
import json
import os
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
from kiosk.cli_provision import DECODERS, RESTART_NOTE
from kiosk.config import Settings
from kiosk.paths import Paths
from kiosk.pin import PinStore
from kiosk.provisioning import CHECKS
from kiosk.qrimage import write_png
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


@pytest.fixture
def camera(tmp_path: Path) -> str:
    """A camera every machine has: a folder with one picture of a QR code (no webcam here)."""
    folder = tmp_path / "camera"
    folder.mkdir()
    write_png("HCM-KIOSK-SELF-TEST", folder / "frame.png")
    return f"folder:{folder}"


def pin_file(tmp_path: Path, text: str = "2468\n") -> Path:
    path = tmp_path / "pin.txt"
    path.write_text(text, "utf-8")
    return path


def bundle_file(path: Path, world: World, root: SigningKey, version: int = 1) -> Path:
    issued = datetime.now(UTC) - timedelta(minutes=1)
    path.write_bytes(bundle_bytes(root, [world.city.trusted], version=version, issued_at=issued))
    return path


def test_provision_everything_then_selftest_json_passes(
    kiosk: Kiosk, platform: RunningPlatform, world: World, tmp_path: Path, camera: str
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
        "--pin-file", pin_file(tmp_path),
        "--camera", camera,
        "--width", "640",
        "--height", "480",
        "--decoder", "zxing",
    )  # fmt: skip
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("✔")] == [
        "✔ root key",
        "✔ venue",
        "✔ manager PIN",
        "✔ platform",
        "✔ camera",
        "✔ decoder",
    ]
    assert f"✔ venue: {VENUE} “Phở 24”, category dine-in" in lines
    assert "  trust bundle version 1 installed" in result.out
    assert f"✔ camera: {camera} at 640x480" in lines
    assert lines[-1] == RESTART_NOTE
    settings = Settings.load(kiosk.paths)
    assert (settings.venue_id, settings.camera, settings.decoder) == (VENUE, camera, "zxing")
    assert PinStore.at(kiosk.paths).verify("2468").ok
    enrollment = Enrollment.load(kiosk.paths.data / "enrollment.json")
    assert enrollment is not None
    assert enrollment.kiosk_name == "Cửa A"

    report = kiosk("selftest", "--json")
    assert report.code == 0, report.out
    data = json.loads(report.out)
    assert data["ok"] is True
    assert [check["name"] for check in data["checks"]] == list(CHECKS)
    assert all(check["ok"] for check in data["checks"])
    statuses = {check["name"]: check["status"] for check in data["checks"]}
    assert statuses["manager PIN"] == "pass"
    assert statuses["sound"] in ("pass", "warn")  # warn: this machine may have no speaker


def test_provision_offline_from_a_bundle_file(kiosk: Kiosk, world: World, tmp_path: Path) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    usb = bundle_file(tmp_path / "bundle-4.cose", world, world.root, version=4)
    result = kiosk("provision", "--root", tmp_path / "root.pub", "--bundle", usb)
    assert result.code == 0, result.err
    assert "✔ bundle: trust bundle version 4 installed (issued " in result.out
    assert "1 issuer key(s), venue categories dine-in, hair-salon" in result.out
    assert InstalledTrust(kiosk.paths.trust).highest_version() == 4


def test_a_bad_bundle_stops_provisioning_with_a_clear_error(
    kiosk: Kiosk, world: World, tmp_path: Path, camera: str
) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    forged = bundle_file(tmp_path / "forged.cose", world, SigningKey.generate())
    result = kiosk(
        "provision", "--root", tmp_path / "root.pub", "--bundle", forged, "--camera", camera
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
    assert "WARN    not set: the manager view stays closed" in rows["manager PIN"]
    assert lines[-1].startswith(f"2 of {len(CHECKS)} checks FAILED, ")  # and the warnings


def test_selftest_demo_passes_on_a_kiosk_that_is_not_provisioned(kiosk: Kiosk) -> None:
    assert kiosk("provision", "--camera", "synthetic").code == 0
    result = kiosk("selftest", "--demo")
    assert result.code == 0, result.out
    assert result.out.splitlines()[-1].startswith(f"all {len(CHECKS)} checks passed")


def test_registering_the_commands_loads_no_camera_decoder_or_http_library() -> None:
    code = (
        "import sys, kiosk.cli_provision; "
        "print(sorted({'cv2', 'httpx', 'numpy'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
    assert DECODERS == NAMES  # the spelled-out choices are the scanner's


# --- issue 9: the manager PIN at provisioning, kiosk pin ------------------------------------


class Terminal(io.StringIO):
    """Standard input that is a terminal (getpass itself is replaced in the tests)."""

    def isatty(self) -> bool:
        return True


def typed(monkeypatch: pytest.MonkeyPatch, *answers: str) -> list[str]:
    """getpass.getpass answers ``answers`` in turn; returns the prompts it was shown."""
    prompts: list[str] = []
    left = list(answers)

    def fake(prompt: str = "") -> str:
        prompts.append(prompt)
        return left.pop(0)

    monkeypatch.setattr(getpass, "getpass", fake)
    return prompts


def test_provision_sets_the_manager_pin_from_a_file_or_asks_twice(
    kiosk: Kiosk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = kiosk("provision", "--pin-file", pin_file(tmp_path, " 13579 \n2468\n"))
    assert result.code == 0, result.err
    assert "✔ manager PIN: set" in result.out.splitlines()
    assert PinStore.at(kiosk.paths).verify("13579").ok

    prompts = typed(monkeypatch, "8642", "8642")
    out = io.StringIO()
    code = cli.main(["provision", "--set-pin"], out=out, stdin=Terminal(), paths=kiosk.paths)
    assert code == 0
    assert prompts == ["New manager PIN (4 to 8 digits): ", "The same PIN again: "]
    assert PinStore.at(kiosk.paths).verify("8642").ok


@pytest.mark.parametrize(
    ("text", "answers", "message"),
    [
        ("12\n", (), "the manager PIN in "),
        ("", (), "is refused: a PIN is 4 to 8 digits"),
        (None, ("2468", "2469"), "typed differently the second time"),
        (None, ("24a8", "24a8"), "the manager PIN is refused: a PIN is 4 to 8 digits"),
    ],
)
def test_a_refused_pin_stops_provisioning_before_any_step(
    kiosk: Kiosk,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    text: str | None,
    answers: tuple[str, ...],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    typed(monkeypatch, *answers)
    pin_option = (
        ["--pin-file", str(pin_file(tmp_path, text))] if text is not None else ["--set-pin"]
    )
    argv = ["provision", "--venue-id", VENUE, "--venue-name", "A", "--category", "office"]
    out = io.StringIO()
    code = cli.main([*argv, *pin_option], out=out, stdin=Terminal(), paths=kiosk.paths)
    assert code == 2
    assert message in capsys.readouterr().err
    assert out.getvalue() == ""
    assert Settings.load(kiosk.paths) == Settings()  # the venue step did not run either
    assert not PinStore.at(kiosk.paths).is_set()


def test_asking_for_the_pin_needs_a_terminal_and_the_options_exclude_each_other(
    kiosk: Kiosk, tmp_path: Path
) -> None:
    result = kiosk("provision", "--set-pin")  # stdin is not a terminal under pytest
    assert result.code == 2
    assert "no terminal to type the PIN on: give --pin-file FILE" in result.err
    result = kiosk("pin", "set")
    assert result.code == 2
    assert "no terminal to type the PIN on" in result.err
    both = kiosk("provision", "--set-pin", "--pin-file", pin_file(tmp_path))
    assert both.code == 2
    assert "not allowed with argument" in both.err


def test_kiosk_pin_set_and_reset(
    kiosk: Kiosk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert kiosk("pin", "reset").out == (
        "no manager PIN was set: the manager view stays closed until a new one is set "
        "(kiosk pin set)\n"
    )
    result = kiosk("pin", "set", "--pin-file", pin_file(tmp_path, "1111\n"))
    assert (result.code, result.out) == (0, "manager PIN set (any lockout cleared)\n")
    pins = PinStore.at(kiosk.paths)
    for _ in range(5):
        pins.verify("0000")
    assert pins.locked_until() is not None  # the manager forgot it, and locked the view

    result = kiosk("pin", "reset")
    assert result.code == 0
    assert result.out.startswith("manager PIN removed: the manager view stays closed")
    assert not pins.is_set()
    assert pins.locked_until() is None
    typed(monkeypatch, "97531", "97531")
    out = io.StringIO()
    assert cli.main(["pin", "set"], out=out, stdin=Terminal(), paths=kiosk.paths) == 0
    assert pins.verify("97531").ok


# --- issue 9: no demo camera on a provisioned kiosk ------------------------------------------


def test_provision_refuses_the_synthetic_camera_for_a_provisioned_kiosk(
    kiosk: Kiosk, world: World, tmp_path: Path, camera: str
) -> None:
    (tmp_path / "root.pub").write_bytes(world.root.public.pem())
    result = kiosk("provision", "--root", tmp_path / "root.pub", "--camera", "synthetic")
    assert result.code == 2
    assert "--camera: the synthetic demo camera shows demo cards" in result.err
    assert InstalledTrust(kiosk.paths.trust).root() is None  # refused before any step

    # A demo kiosk set to the demo camera, then provisioned without --camera: refused too.
    assert kiosk("provision", "--camera", "synthetic").code == 0
    result = kiosk("provision", "--root", tmp_path / "root.pub")
    assert result.code == 2
    assert "--camera: the configured camera is synthetic; the synthetic demo camera" in result.err
    result = kiosk("provision", "--root", tmp_path / "root.pub", "--camera", camera)
    assert result.code == 0, result.err
    assert kiosk("provision", "--camera", "synthetic").code == 2
    assert kiosk("scan", "--source", "synthetic", "--seconds", "1").code == 2


# --- issue 9: no trust bundle from the platform is a failure ---------------------------------


def test_provision_fails_when_the_platform_publishes_no_bundle(
    kiosk: Kiosk, platform: RunningPlatform, tmp_path: Path, camera: str
) -> None:
    result = kiosk(
        "provision",
        "--venue-id", VENUE, "--venue-name", "A", "--category", "office",
        "--root", platform.root_pub,
        "--platform", platform.url, "--token", platform.token(VENUE),
        "--camera", camera,
    )  # fmt: skip
    assert result.code == 2
    assert "✔ platform: enrolled as kiosk " in result.out  # the token was spent: it says so
    assert "camera" not in result.out
    assert result.err.startswith(
        f"kiosk: error: no trust bundle from the platform: the platform at {platform.url} "
        "publishes no trust bundle yet"
    )
    assert Enrollment.load(kiosk.paths.data / "enrollment.json") is not None


def test_provision_fails_when_the_bundle_cannot_be_fetched_or_does_not_verify(
    kiosk: Kiosk, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    platform.store.publish_bundle(
        bundle_file(tmp_path / "b.cose", world, platform.root_key).read_bytes()
    )
    assert platform.faults is not None
    platform.faults.fail_next(1, path="/v1/bundle")
    venue = ("--venue-id", VENUE, "--venue-name", "A", "--category", "office")
    result = kiosk(
        "provision", *venue, "--root", platform.root_pub,
        "--platform", platform.url, "--token", platform.token(VENUE),
    )  # fmt: skip
    assert result.code == 2
    assert "the trust bundle could not be fetched: /v1/bundle?have=0: HTTP 500" in result.err

    other = Kiosk(tmp_path / "other", kiosk.capsys)
    (tmp_path / "wrong-root.pub").write_bytes(world.root.public.pem())  # not the platform's
    result = other(
        "provision", *venue, "--root", tmp_path / "wrong-root.pub",
        "--platform", platform.url, "--token", platform.token(VENUE),
    )  # fmt: skip
    assert result.code == 2
    assert "the platform's trust bundle was refused: " in result.err
    assert "signature does not match the pinned city root key" in result.err


def test_enrolling_needs_the_root_key_first_and_spends_no_token(
    kiosk: Kiosk, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    token = platform.token(VENUE)
    assert (
        kiosk("provision", "--venue-id", VENUE, "--venue-name", "A", "--category", "office").code
        == 0
    )
    result = kiosk("provision", "--platform", platform.url, "--token", token)
    assert result.code == 2
    assert "enrolling needs the city root key pinned first: give --root PUB" in result.err
    enroll = kiosk("enroll", "--platform", platform.url, "--token", token, "--venue", VENUE)
    assert enroll.code == 2
    assert "no city root key pinned: pin it before enrolling" in enroll.err
    assert platform.store.stats()["tokens_used"] == 0

    # kiosk enroll is the same step as provision --platform: it installs the bundle too.
    platform.store.publish_bundle(
        bundle_file(tmp_path / "b.cose", world, platform.root_key).read_bytes()
    )
    assert kiosk("trust", "pin-root", platform.root_pub).code == 0
    enroll = kiosk("enroll", "--platform", platform.url, "--token", token, "--venue", VENUE)
    assert enroll.code == 0, enroll.err
    assert enroll.out.startswith("✔ platform: enrolled as kiosk ")
    assert "  trust bundle version 1 installed" in enroll.out
    assert Settings.load(kiosk.paths).venue_id == VENUE


# --- issue 9: selftest without OpenCV's noise, --help without values it refuses --------------


def test_selftest_says_no_camera_found_and_prints_no_opencv_lines(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {**os.environ, "KIOSK_HOME": str(home)}
    for camera, detail in (
        ("0", "no camera found: /dev/video0 does not exist (is the camera plugged in?)"),
        ("/dev/null", "camera /dev/null: no frame within 1 s"),  # opened by OpenCV, in vain
    ):
        set_up = [sys.executable, "-m", "kiosk", "provision", "--camera", camera]
        subprocess.run(set_up, env=env, check=True, capture_output=True)
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "selftest", "--timeout", "1"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 1
        assert done.stderr == ""  # OpenCV says "[ WARN:0@0.1] global cap_v4l.cpp ..." unless told
        row = next(line for line in done.stdout.splitlines() if line.startswith("camera "))
        assert row.split(None, 2)[1:] == ["FAIL", detail]


def test_help_lists_only_the_values_a_command_accepts(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "500")  # one line per option: no "dine- in" wraps

    def help_of(*command: str) -> str:
        with pytest.raises(SystemExit):
            cli.build_parser().parse_args([*command, "--help"])
        return " ".join(kiosk.capsys.readouterr().out.split())

    provision = help_of("provision")
    camera = provision.rsplit("--camera SPEC", 1)[1].split("--width", 1)[0]
    assert "stdin" not in camera  # provision refuses hardware scanners as the camera
    assert "serial" not in camera
    assert "video:FILE, folder:DIR, or synthetic (the demo camera: only on a kiosk" in camera
    categories = "built in: dine-in, hair-salon, office, supermarket, takeaway"
    assert categories in provision
    assert "--decoder {auto,zxing,pyzbar}" in provision
    assert categories in help_of("verify")
    scan = help_of("scan")
    assert categories in scan
    assert "stdin, serial:PORT[@BAUD], or synthetic (the demo camera: not on a provisioned" in scan
    assert "--decoder {auto,zxing,pyzbar}" in help_of("scan-image")
    assert "--pin-file FILE" in help_of("pin", "set")


def test_opening_a_missing_camera_index_through_the_adapter_prints_nothing() -> None:
    # What selftest and the app do when a camera index has no device (or a node that is
    # no camera): OpenCV would print two "[ WARN:0@…] global cap_v4l.cpp …" lines per try.
    code = (
        "from kiosk.scanner.sources import open_capture; "
        "capture = open_capture(9); print(capture.isOpened()); capture.release()"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (done.stdout, done.stderr) == ("False\n", "")
