"""Technician provisioning (kiosk/provisioning.py): each step on a temp kiosk, enrollment and
the self-test against a real platform on 127.0.0.1, and the self-test's failures reported,
never raised."""

from __future__ import annotations

import ast
import json
import socket
import sqlite3
import sys
import threading
import time
import wave
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers import World, bundle_bytes

from cityplatform.testing import RunningPlatform, running_platform
from kiosk import provisioning
from kiosk.config import Settings
from kiosk.demo import demo_kit
from kiosk.errors import (
    BundleError,
    BundleKindError,
    BundleRollbackError,
    BundleSignatureError,
    DecoderUnavailable,
    EnrollmentError,
    KeyFileError,
    KioskError,
    SourceUnavailable,
    TrustError,
    UsageError,
)
from kiosk.formats import cbor
from kiosk.paths import Paths
from kiosk.pin import PinStore
from kiosk.store.log import CheckInLog
from kiosk.sync.device import Enrollment
from kiosk.ui.sound import CUES, PlayerSound
from kiosk.verify.bundle import CONTENT_TYPE
from kiosk.verify.installed import InstalledTrust, InstallOutcome
from kiosk.verify.keys import SigningKey

VENUE = "HCM-Q1-000123"


def _now() -> datetime:
    return datetime.now(UTC)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    root = tmp_path / "kiosk"
    return Paths(data=root / "data", config=root / "config", logs=root / "logs")


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[RunningPlatform]:
    with running_platform(tmp_path) as running:
        yield running


def fresh_bundle(world: World, root: SigningKey | None = None, **kwargs: object) -> bytes:
    """A bundle issued now (a bundle from 2021 would be stale for the self-test)."""
    kwargs.setdefault("issued_at", _now() - timedelta(minutes=5))
    return bundle_bytes(root or world.root, [world.city.trusted, world.lab.trusted], **kwargs)  # type: ignore[arg-type]


def write_file(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def pin(paths: Paths, key: SigningKey, tmp_path: Path) -> Path:
    pub = write_file(tmp_path / "city-root.pub", key.public.pem())
    provisioning.pin_root(paths, pub)
    return pub


def write_video(path: Path, text: str, frames: int = 12) -> Path:
    """An MJPG AVI whose every frame shows ``text`` as a QR code on a grey wall."""
    qr = provisioning.probe_image(text, scale=5)
    frame = np.full((480, 640, 3), 170, np.uint8)
    y, x = (480 - qr.shape[0]) // 2, (640 - qr.shape[1]) // 2
    frame[y : y + qr.shape[0], x : x + qr.shape[1]] = qr[:, :, None]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 15.0, (640, 480))
    assert writer.isOpened(), "this OpenCV build cannot write MJPG/AVI"
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path


# --- venue --------------------------------------------------------------------------------


def test_set_venue_saves_id_name_and_a_builtin_category(paths: Paths) -> None:
    provisioning.set_venue(paths, " HCM-Q1-000123 ", "Phở 24 Lê Lợi", "dine-in")
    settings = Settings.load(paths)
    assert (settings.venue_id, settings.venue_name, settings.venue_category) == (
        VENUE,
        "Phở 24 Lê Lợi",
        "dine-in",
    )
    assert settings.camera == Settings().camera  # other settings untouched


@pytest.mark.parametrize(
    ("venue_id", "name", "category", "message"),
    [
        ("HCM-1", "Shop", "karaoke", "unknown venue category 'karaoke'; known: dine-in"),
        ("  ", "Shop", "dine-in", "the venue id must not be empty"),
        ("HCM-1", "", "dine-in", "the venue name must not be empty"),
        ("x" * 65, "Shop", "dine-in", "longer than 64"),
        ("HCM\x001", "Shop", "dine-in", "control characters"),
    ],
)
def test_set_venue_refuses_bad_input_and_saves_nothing(
    paths: Paths, venue_id: str, name: str, category: str, message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        provisioning.set_venue(paths, venue_id, name, category)
    assert Settings.load(paths) == Settings()


def test_venue_categories_come_from_the_installed_bundle(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    venues = {"categories": [{"code": "karaoke", "admits": ["green"], "name": {"en": "Karaoke"}}]}
    pin(paths, world.root, tmp_path)
    provisioning.import_bundle(
        paths, write_file(tmp_path / "b.cose", fresh_bundle(world, venues=venues))
    )
    assert list(provisioning.known_categories(paths)) == ["karaoke"]
    provisioning.set_venue(paths, "HCM-1", "Karaoke Nice", "karaoke")
    with pytest.raises(UsageError, match="known: karaoke"):
        provisioning.set_venue(paths, "HCM-1", "Phở 24", "dine-in")


# --- root key and bundles --------------------------------------------------------------------


def test_pin_root_pins_and_refuses_another_key_unless_replacing(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    assert InstalledTrust(paths.trust).root() == world.root.public
    other = write_file(tmp_path / "other.pub", SigningKey.generate().public.pem())
    with pytest.raises(TrustError, match="a different root key is already pinned"):
        provisioning.pin_root(paths, other)
    key = provisioning.pin_root(paths, other, replace_pinned=True)
    assert InstalledTrust(paths.trust).root() == key


def test_pin_root_reports_a_file_that_is_no_key(paths: Paths, tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="is not a PEM or DER public key"):
        provisioning.pin_root(paths, write_file(tmp_path / "x.pub", b"hello"))
    with pytest.raises(KeyFileError, match="cannot read key file"):
        provisioning.pin_root(paths, tmp_path / "missing.pub")


def test_import_bundle_installs_a_good_bundle_then_finds_it_unchanged(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    path = write_file(tmp_path / "usb" / "bundle-3.cose", fresh_bundle(world, version=3))
    result = provisioning.import_bundle(paths, path)
    assert (result.outcome, result.version, result.issuers) == (InstallOutcome.INSTALLED, 3, 2)
    assert "dine-in" in result.venues
    assert InstalledTrust(paths.trust).highest_version() == 3
    assert provisioning.import_bundle(paths, path).outcome is InstallOutcome.UNCHANGED


def test_import_bundle_with_a_bad_signature_is_refused_clearly(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    forged = write_file(tmp_path / "forged.cose", fresh_bundle(world, SigningKey.generate()))
    with pytest.raises(
        BundleSignatureError,
        match=r"^forged\.cose: bundle signature does not match the pinned city root key$",
    ):
        provisioning.import_bundle(paths, forged)
    assert InstalledTrust(paths.trust).load() is None


def test_import_of_an_older_bundle_is_refused_as_a_rollback(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    provisioning.import_bundle(
        paths, write_file(tmp_path / "b5.cose", fresh_bundle(world, version=5))
    )
    with pytest.raises(
        BundleRollbackError,
        match=r"^b3\.cose: bundle version 3 is older than version 5 already accepted; "
        "refusing to roll back$",
    ):
        provisioning.import_bundle(
            paths, write_file(tmp_path / "b3.cose", fresh_bundle(world, version=3))
        )
    bundle = InstalledTrust(paths.trust).load()
    assert bundle is not None
    assert bundle.version == 5


def test_import_of_another_signed_document_is_refused_as_the_wrong_kind(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    from kiosk.formats import cose

    pin(paths, world.root, tmp_path)
    header = {
        1: cose.ALGORITHM_IDS[world.root.algorithm],
        4: world.root.public.kid,
        3: CONTENT_TYPE,
    }
    signed = cose.encode_sign1(cbor.dumps({"kind": "hcm-card"}), header, world.root.sign)
    with pytest.raises(BundleKindError, match="'hcm-card', not a hcm-trust-bundle"):
        provisioning.import_bundle(paths, write_file(tmp_path / "card.cose", signed))


def test_import_needs_a_pinned_root_and_a_readable_bundle_file(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    bundle = write_file(tmp_path / "b.cose", fresh_bundle(world))
    with pytest.raises(KeyFileError, match="no city root key pinned: pin it before importing"):
        provisioning.import_bundle(paths, bundle)
    pin(paths, world.root, tmp_path)
    with pytest.raises(UsageError, match="cannot read bundle file"):
        provisioning.import_bundle(paths, tmp_path / "nothing.cose")
    with pytest.raises(BundleError, match=r"^junk\.cose: not a trust bundle file"):
        provisioning.import_bundle(paths, write_file(tmp_path / "junk.cose", b"\x00junk"))


# --- enrollment ----------------------------------------------------------------------------


def test_enroll_registers_the_device_key_and_fetches_time_and_bundle(
    paths: Paths, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    platform.store.publish_bundle(fresh_bundle(world, platform.root_key, version=2))
    provisioning.pin_root(paths, platform.root_pub)
    provisioning.set_venue(paths, VENUE, "Phở 24", "dine-in")

    result = provisioning.enroll(paths, platform.url + "/", platform.token(VENUE), VENUE, "Cửa A")

    assert result.platform_url == platform.url
    assert result.venue_id == VENUE
    kiosk = platform.store.kiosk(result.kiosk_id)
    assert kiosk is not None
    assert kiosk.venue_id == VENUE
    assert Enrollment.load(paths.data / "enrollment.json") == Enrollment(
        platform.url, result.kiosk_id, VENUE, "Cửa A"
    )
    key_file = paths.data / "keys" / "device.key"
    assert key_file.stat().st_mode & 0o077 == 0
    assert result.drift_ms is not None
    assert abs(result.drift_ms) < 5_000
    assert result.bundle is not None
    assert result.bundle.version == 2
    assert InstalledTrust(paths.trust).highest_version() == 2
    assert result.notes == ()


def test_enroll_without_a_pinned_root_is_refused_before_the_token_is_spent(
    paths: Paths, platform: RunningPlatform, world: World
) -> None:
    # Enrolled without the city's root, the kiosk would judge with the demo's keys and
    # upload what they decided: refused before anything reaches the platform.
    token = platform.token(VENUE)
    with pytest.raises(KeyFileError, match="no city root key pinned: pin it before enrolling"):
        provisioning.enroll(paths, platform.url, token, VENUE)
    assert Enrollment.load(paths.data / "enrollment.json") is None
    assert platform.store.stats()["tokens_used"] == 0

    platform.store.publish_bundle(fresh_bundle(world, platform.root_key))
    provisioning.pin_root(paths, platform.root_pub)
    result = provisioning.enroll(paths, platform.url, token, VENUE)  # the same token: unspent
    assert result.bundle_problem is None
    # The name defaults to something the platform accepts (it refuses a blank one).
    enrollment = Enrollment.load(paths.data / "enrollment.json")
    assert enrollment is not None
    assert enrollment.kiosk_name == "Kiosk"
    assert Settings.load(paths).venue_id == VENUE


def test_enroll_says_plainly_when_the_platform_publishes_no_bundle(
    paths: Paths, platform: RunningPlatform
) -> None:
    provisioning.pin_root(paths, platform.root_pub)
    result = provisioning.enroll(paths, platform.url, platform.token(VENUE), VENUE)
    assert result.bundle is None
    assert result.bundle_problem is not None
    assert "publishes no trust bundle yet" in result.bundle_problem
    assert "cityplatform publish" in result.bundle_problem
    assert Enrollment.load(paths.data / "enrollment.json") is not None  # the enrollment stands


def test_enroll_reports_a_bundle_that_cannot_be_fetched_or_does_not_verify(
    paths: Paths, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    platform.store.publish_bundle(fresh_bundle(world, platform.root_key))
    provisioning.pin_root(paths, platform.root_pub)
    assert platform.faults is not None
    platform.faults.fail_next(1, path="/v1/bundle")
    result = provisioning.enroll(paths, platform.url, platform.token(VENUE), VENUE)
    assert result.bundle_problem == (
        "the trust bundle could not be fetched: /v1/bundle?have=0: HTTP 500 (run kiosk sync later)"
    )
    assert InstalledTrust(paths.trust).load() is None

    other = Paths(data=tmp_path / "o" / "d", config=tmp_path / "o" / "c", logs=tmp_path / "o" / "l")
    pin(other, world.root, tmp_path)  # not the platform's root
    result = provisioning.enroll(other, platform.url, platform.token(VENUE), VENUE)
    assert result.bundle_problem is not None
    assert result.bundle_problem.startswith("the platform's trust bundle was refused: ")
    assert "is the pinned root key the platform's?" in result.bundle_problem
    assert InstalledTrust(other.trust).load() is None


def test_enroll_refusals_are_clear_errors(paths: Paths, platform: RunningPlatform) -> None:
    provisioning.pin_root(paths, platform.root_pub)
    token = platform.token(VENUE)
    provisioning.enroll(paths, platform.url, token, VENUE, "A")
    with pytest.raises(EnrollmentError, match="refused the enrollment: token_used"):
        provisioning.enroll(paths, platform.url, token, VENUE, "A")
    with pytest.raises(EnrollmentError, match="token_venue_mismatch"):
        provisioning.enroll(paths, platform.url, platform.token(VENUE), "HCM-Q3-1", "A")
    with pytest.raises(UsageError, match="must start with https://"):
        provisioning.enroll(paths, "platform.example", token, VENUE, "A")
    with pytest.raises(UsageError, match="the enrollment token must not be empty"):
        provisioning.enroll(paths, platform.url, " ", VENUE, "A")


def test_enroll_with_the_platform_down_says_it_cannot_reach_it(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(
        EnrollmentError, match=f"cannot reach the platform at http://127.0.0.1:{port}"
    ):
        provisioning.enroll(paths, f"http://127.0.0.1:{port}", "t", VENUE, "A", timeout=2)
    assert Enrollment.load(paths.data / "enrollment.json") is None


def test_trust_errors_carry_codes_for_front_ends_in_other_languages(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    def code_of(call: object, *args: object) -> tuple[str | None, dict[str, str]]:
        with pytest.raises(KioskError) as caught:
            call(paths, *args)  # type: ignore[operator]
        return caught.value.code, dict(caught.value.values)

    bundle = write_file(tmp_path / "b3.cose", fresh_bundle(world, version=3))
    assert code_of(provisioning.import_bundle, bundle) == ("root_not_pinned", {})
    junk = write_file(tmp_path / "x.pub", b"hello")
    assert code_of(provisioning.pin_root, junk) == ("root_not_a_key", {"file": str(junk)})
    missing = tmp_path / "missing.pub"
    assert code_of(provisioning.pin_root, missing) == ("root_unreadable", {"file": str(missing)})
    pin(paths, world.root, tmp_path)
    other = write_file(tmp_path / "other.pub", SigningKey.generate().public.pem())
    assert code_of(provisioning.pin_root, other)[0] == "root_different"

    nothing = tmp_path / "nothing.cose"
    assert code_of(provisioning.import_bundle, nothing) == (
        "bundle_unreadable",
        {"file": str(nothing)},
    )
    junk_bundle = write_file(tmp_path / "junk.cose", b"\x00junk")
    assert code_of(provisioning.import_bundle, junk_bundle) == (
        "bundle_not_a_bundle",
        {"file": "junk.cose"},
    )
    forged = write_file(tmp_path / "forged.cose", fresh_bundle(world, SigningKey.generate()))
    assert code_of(provisioning.import_bundle, forged) == (
        "bundle_bad_signature",
        {"file": "forged.cose"},
    )
    provisioning.import_bundle(
        paths, write_file(tmp_path / "b5.cose", fresh_bundle(world, version=5))
    )
    assert code_of(provisioning.import_bundle, bundle) == (
        "bundle_rollback",
        {"version": "3", "highest": "5", "file": "b3.cose"},
    )


def test_enrollment_errors_and_details_carry_codes(
    paths: Paths, platform: RunningPlatform, world: World, tmp_path: Path
) -> None:
    provisioning.pin_root(paths, platform.root_pub)
    token = platform.token(VENUE)
    result = provisioning.enroll(paths, platform.url, token, VENUE, "A")
    assert result.problem_detail is not None
    assert result.problem_detail.code == "bundle_not_published"
    assert dict(result.problem_detail.values) == {"url": platform.url}
    assert result.problem_detail.text == result.bundle_problem
    assert [note.text for note in result.note_details] == list(result.notes)
    with pytest.raises(EnrollmentError) as used:
        provisioning.enroll(paths, platform.url, token, VENUE, "A")
    assert (used.value.code, dict(used.value.values)) == ("enroll_refused", {"error": "token_used"})
    assert str(used.value) == "the platform refused the enrollment: token_used"
    with pytest.raises(UsageError) as empty:
        provisioning.enroll(paths, platform.url, " ", VENUE, "A")
    assert (empty.value.code, dict(empty.value.values)) == ("text_empty", {"field": "token"})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    with pytest.raises(EnrollmentError) as down:
        provisioning.enroll(paths, url, "t", VENUE, "A", timeout=2)
    assert (down.value.code, dict(down.value.values)) == ("enroll_unreachable", {"url": url})

    platform.store.publish_bundle(fresh_bundle(world, platform.root_key))
    assert platform.faults is not None
    platform.faults.fail_next(1, path="/v1/bundle")
    other = Paths(data=tmp_path / "o" / "d", config=tmp_path / "o" / "c", logs=tmp_path / "o" / "l")
    provisioning.pin_root(other, platform.root_pub)
    failed = provisioning.enroll(other, platform.url, platform.token(VENUE), VENUE)
    assert failed.problem_detail is not None
    assert failed.problem_detail.code == "bundle_fetch_failed"
    assert failed.problem_detail.values["error_code"] == "platform_unavailable"
    assert failed.problem_detail.values["status"] == "500"


# --- camera and decoder ------------------------------------------------------------------------


def test_the_synthetic_camera_is_refused_on_a_provisioned_kiosk(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    provisioning.set_camera(paths, "synthetic")  # not provisioned: the demo's camera
    assert provisioning.demo_camera_problem(paths) is None
    pin(paths, world.root, tmp_path)
    problem = provisioning.demo_camera_problem(paths)
    assert problem is not None
    assert problem.startswith("the synthetic demo camera shows demo cards, not visitors'")
    with pytest.raises(UsageError, match="a provisioned kiosk cannot use it"):
        provisioning.set_camera(paths, "synthetic")
    report = provisioning.self_test(paths)
    assert report.check("camera") == provisioning.Check(
        "camera", False, problem, code="camera_synthetic_refused"
    )
    # ``kiosk selftest --demo`` is told it is a demo kiosk: the demo camera is its camera.
    assert provisioning.self_test(paths, demo=True).check("camera").ok


def test_the_demo_kiosk_whose_bundle_trusts_the_demo_keys_may_use_the_synthetic_camera(
    paths: Paths, tmp_path: Path
) -> None:
    kit = demo_kit(paths)
    pub = write_file(tmp_path / "demo-root.pub", kit.root.public.pem())
    provisioning.pin_root(paths, pub)
    assert provisioning.demo_camera_problem(paths) is not None  # no bundle yet
    provisioning.import_bundle(paths, write_file(tmp_path / "demo.cose", kit.bundle(_now())))
    assert provisioning.demo_camera_problem(paths) is None
    provisioning.set_camera(paths, "synthetic")
    assert provisioning.self_test(paths).check("camera").ok


def test_camera_missing_names_the_absent_device_node(tmp_path: Path) -> None:
    (tmp_path / "video1").touch()
    assert provisioning.camera_missing("1", device_dir=tmp_path) is None
    assert provisioning.camera_missing("0", device_dir=tmp_path) == (
        f"no camera found: {tmp_path / 'video0'} does not exist"
    )
    assert provisioning.camera_missing("/dev/video77") == (
        "no camera found: /dev/video77 does not exist"
    )
    assert provisioning.camera_missing("0", device_dir=tmp_path / "no-dev") is None  # not Linux
    for other in ("synthetic", "video:x.avi", "folder:x", "/dev/null"):
        assert provisioning.camera_missing(other) is None


def test_set_camera_and_decoder_save_settings(paths: Paths, tmp_path: Path) -> None:
    video = write_video(tmp_path / "door.avi", "x", frames=2)
    provisioning.set_camera(paths, "synthetic", 640, 480)
    assert (Settings.load(paths).camera, Settings.load(paths).camera_width) == ("synthetic", 640)
    provisioning.set_camera(paths, f"video:{video}")
    provisioning.set_decoder(paths, "pyzbar")
    settings = Settings.load(paths)
    assert (settings.camera, settings.camera_height, settings.decoder) == (
        f"video:{video}",
        720,
        "pyzbar",
    )


@pytest.mark.parametrize(
    ("spec", "size", "error", "message"),
    [
        ("/dev/video99", (1280, 720), SourceUnavailable, "no camera '/dev/video99'"),
        ("video:/nowhere.avi", (1280, 720), SourceUnavailable, "no video file /nowhere.avi"),
        ("", (1280, 720), UsageError, "must not be empty"),
        ("0", (10, 720), UsageError, "camera width 10 is not between"),
    ],
)
def test_set_camera_refuses_what_cannot_work(
    paths: Paths, spec: str, size: tuple[int, int], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        provisioning.set_camera(paths, spec, *size)
    assert Settings.load(paths) == Settings()


def test_set_decoder_refuses_unknown_and_unloadable_decoders(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(UsageError, match="unknown decoder 'quagga'"):
        provisioning.set_decoder(paths, "quagga")
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    with pytest.raises(DecoderUnavailable, match="zxing-cpp is not installed"):
        provisioning.set_decoder(paths, "zxing")
    assert Settings.load(paths).decoder == "auto"


class FakeCapture:
    def __init__(self, opens: bool) -> None:
        self.opens = opens
        self.released = False

    def isOpened(self) -> bool:
        return self.opens

    def read(self) -> tuple[bool, None]:
        return False, None

    def set(self, prop_id: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.released = True


def test_list_cameras_lists_video_devices_then_the_indices_that_open(tmp_path: Path) -> None:
    for name in ("video10", "video0", "video1", "null"):
        (tmp_path / name).touch()
    captures: dict[int | str, FakeCapture] = {}

    def factory(device: int | str) -> FakeCapture:
        captures[device] = FakeCapture(opens=device in (0, 10))
        return captures[device]

    found = provisioning.list_cameras(device_dir=tmp_path, capture_factory=factory)
    assert found == [str(tmp_path / n) for n in ("video0", "video1", "video10")] + ["0", "10"]
    assert sorted(captures, key=int) == [0, 1, 10]  # only the indices that have a node
    assert all(capture.released for capture in captures.values())
    (tmp_path / "empty").mkdir()  # Linux without cameras: nothing to probe
    assert provisioning.list_cameras(device_dir=tmp_path / "empty", capture_factory=factory) == []
    # No /dev at all (another system): indices 0 to 3 are probed.
    assert provisioning.list_cameras(device_dir=tmp_path / "none", capture_factory=factory) == ["0"]


def test_decode_test_on_a_video_file_counts_frames_codes_and_time(tmp_path: Path) -> None:
    video = write_video(tmp_path / "door.avi", "HCM1:TEST-CARD", frames=12)
    result = provisioning.decode_test(f"video:{video}", "auto", frames=10)
    assert (result.frames, result.frames_with_code, result.codes, result.distinct) == (
        10,
        10,
        10,
        1,
    )
    assert result.decoder == "zxing"
    assert result.median_decode_ms is not None
    assert result.median_decode_ms > 0
    assert result.note == ""


def test_decode_test_reports_a_source_that_ends_early(tmp_path: Path) -> None:
    video = write_video(tmp_path / "short.avi", "x", frames=4)
    result = provisioning.decode_test(f"video:{video}", "pyzbar", frames=30)
    assert (result.frames, result.decoder) == (4, "pyzbar")
    assert result.note == "the source ended after 4 frames"


def test_decode_test_of_the_synthetic_camera_reads_the_probe_text() -> None:
    result = provisioning.decode_test("synthetic", "auto", frames=20, resolution=(640, 480))
    assert result.frames == 20
    assert result.distinct == 1
    assert result.frames_with_code >= 10


def test_decode_test_raises_for_a_source_that_cannot_open() -> None:
    with pytest.raises(SourceUnavailable, match="no camera"):
        provisioning.decode_test("/dev/video99", "auto")
    with pytest.raises(SourceUnavailable, match="hardware scanner"):
        provisioning.decode_test("stdin", "auto")


# --- self-test ---------------------------------------------------------------------------------


@pytest.fixture
def camera(tmp_path: Path) -> str:
    """A camera that works on any machine: a video file (this one may have no webcam)."""
    return f"video:{write_video(tmp_path / 'entrance.avi', 'HCM1:TEST', frames=5)}"


@pytest.fixture
def provisioned(
    paths: Paths, platform: RunningPlatform, world: World, tmp_path: Path, camera: str
) -> Paths:
    """A kiosk provisioned as a technician would: root, venue, enrollment (bundle fetched),
    camera, manager PIN."""
    platform.store.publish_bundle(fresh_bundle(world, platform.root_key))
    provisioning.pin_root(paths, platform.root_pub)
    provisioning.set_venue(paths, VENUE, "Phở 24", "dine-in")
    provisioning.enroll(paths, platform.url, platform.token(VENUE), VENUE, "A")
    provisioning.set_camera(paths, camera)
    provisioning.set_manager_pin(paths, "2468", "2468")
    return paths


def _with(settings: Settings, **changes: object) -> Settings:
    return replace(settings, **changes)  # type: ignore[arg-type]


def checks(report: provisioning.SelfTestReport) -> dict[str, bool]:
    return {check.name: check.ok for check in report.checks}


def test_self_test_passes_on_a_provisioned_kiosk(provisioned: Paths, camera: str) -> None:
    report = provisioning.self_test(provisioned)
    assert report.ok, report.checks
    assert [check.name for check in report.checks] == list(provisioning.CHECKS)
    assert report.check("camera").detail.startswith(f"{camera.replace(':', ' ', 1)}: first frame")
    assert report.check("manager PIN") == provisioning.Check(
        "manager PIN", True, "set", code="pin_set"
    )
    assert "version 1" in report.check("trust data").detail
    assert report.check("platform").detail.startswith("http://127.0.0.1:")
    assert report.to_json()["ok"] is True


def test_self_test_passes_with_a_video_file_as_the_camera(
    provisioned: Paths, tmp_path: Path
) -> None:
    video = write_video(tmp_path / "door.avi", "HCM1:TEST", frames=5)
    provisioning.set_camera(provisioned, f"video:{video}")
    report = provisioning.self_test(provisioned)
    assert report.ok, report.checks
    assert report.check("camera").detail.startswith(f"video {video}: first frame 640x480")


def test_the_database_probe_adds_no_check_in_and_leaves_no_table(provisioned: Paths) -> None:
    report = provisioning.self_test(provisioned)
    assert report.check("database").ok
    log = CheckInLog.open(provisioned.data, kiosk_id="k", venue_id="v")
    try:
        assert log.count() == 0
    finally:
        log.close()
    with sqlite3.connect(provisioned.data / "checkins.sqlite3") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
    assert "selftest_probe" not in tables


def test_the_database_check_fails_when_free_space_is_low(provisioned: Paths) -> None:
    report = provisioning.self_test(provisioned, min_free_bytes=1 << 60)
    assert checks(report)["database"] is False
    assert "MiB free: below" in report.check("database").detail


def test_the_database_check_fails_when_the_log_is_locked(provisioned: Paths) -> None:
    blocker = sqlite3.connect(provisioned.data / "checkins.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        report = provisioning.self_test(provisioned, timeout=0.5)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert "database is locked" in report.check("database").detail
    assert checks(report) == dict.fromkeys(provisioning.CHECKS, True) | {"database": False}


def test_self_test_reports_no_root_pinned(paths: Paths) -> None:
    provisioning.set_camera(paths, "synthetic")
    report = provisioning.self_test(paths)
    assert not report.ok
    assert report.check("trust data") == provisioning.Check(
        "trust data",
        False,
        "no city root key pinned: pin the city's root key",
        code="trust_no_root",
    )
    assert report.check("platform").detail == "not enrolled with a city platform: enroll first"
    assert checks(report)["camera"]
    assert checks(report)["decoder"]
    assert checks(report)["database"]


def test_self_test_in_demo_mode_accepts_no_root_and_no_platform(paths: Paths) -> None:
    provisioning.set_camera(paths, "synthetic")
    report = provisioning.self_test(paths, demo=True)
    assert report.ok, report.checks
    assert "note" in report.check("platform").detail


def test_self_test_reports_a_root_without_a_bundle_and_a_stale_bundle(
    paths: Paths, world: World, tmp_path: Path
) -> None:
    pin(paths, world.root, tmp_path)
    detail = provisioning.self_test(paths, Settings(camera="synthetic")).check("trust data")
    assert not detail.ok
    assert "no trust bundle installed" in detail.detail
    old = fresh_bundle(world, issued_at=_now() - timedelta(days=30))
    provisioning.import_bundle(paths, write_file(tmp_path / "old.cose", old))
    check = provisioning.self_test(paths, Settings(camera="synthetic")).check("trust data")
    assert not check.ok
    assert check.detail.startswith("the bundle is 30 days old (more than 7 days)")
    wrong = Settings(camera="synthetic", venue_category="karaoke")
    check = provisioning.self_test(paths, wrong, clock=lambda: _now() - timedelta(days=29)).check(
        "trust data"
    )
    assert check.detail.startswith("the venue category 'karaoke' is not in the bundle")


def test_self_test_reports_a_camera_that_does_not_exist(provisioned: Paths) -> None:
    settings = Settings.load(provisioned)
    for camera, message in (
        ("/dev/video99", "no camera found: /dev/video99 does not exist"),
        ("7", "no camera found: /dev/video7 does not exist (is the camera plugged in?)"),
        ("/dev/null", "camera /dev/null: no frame within 1 s"),
        ("serial:/dev/ttyNOPE", "serial scanner: no port /dev/ttyNOPE"),
    ):
        report = provisioning.self_test(provisioned, _with(settings, camera=camera), timeout=1)
        assert checks(report) == dict.fromkeys(provisioning.CHECKS, True) | {"camera": False}
        assert message in report.check("camera").detail


def test_self_test_reports_the_platform_down(
    paths: Paths, world: World, tmp_path: Path, camera: str
) -> None:
    with running_platform(tmp_path) as platform:
        platform.store.publish_bundle(fresh_bundle(world, platform.root_key))
        provisioning.pin_root(paths, platform.root_pub)
        provisioning.enroll(paths, platform.url, platform.token(VENUE), VENUE, "A")
        provisioning.set_camera(paths, camera)
        assert provisioning.self_test(paths).ok
    report = provisioning.self_test(paths, timeout=1)
    assert checks(report) == dict.fromkeys(provisioning.CHECKS, True) | {"platform": False}
    assert "unreachable" in report.check("platform").detail
    assert report.check("clock").detail.startswith("not measured (platform unreachable)")


def test_self_test_reports_a_decoder_that_cannot_load(
    provisioned: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    report = provisioning.self_test(provisioned)
    assert checks(report) == dict.fromkeys(provisioning.CHECKS, True) | {"decoder": False}
    assert report.check("decoder").detail.startswith("no QR decoder can be loaded")


def test_self_test_notes_a_configured_decoder_that_fell_back(
    provisioned: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    report = provisioning.self_test(
        provisioned, _with(Settings.load(provisioned), decoder="pyzbar")
    )
    assert report.check("decoder").ok
    assert "pyzbar is configured but cannot load" in report.check("decoder").detail


def test_self_test_reports_a_clock_far_off(provisioned: Paths) -> None:
    report = provisioning.self_test(provisioned, clock=lambda: _now() + timedelta(hours=1))
    assert checks(report) == dict.fromkeys(provisioning.CHECKS, True) | {"clock": False}
    detail = report.check("clock").detail
    assert detail.startswith("36")
    assert "s ahead of the platform's clock (more than 120 s" in detail


def test_self_test_without_platform_checks_the_year(paths: Paths) -> None:
    report = provisioning.self_test(
        paths, Settings(camera="synthetic"), clock=lambda: datetime(2001, 1, 1, tzinfo=UTC)
    )
    assert report.check("clock") == provisioning.Check(
        "clock",
        False,
        "not measured (not enrolled); the year 2001 looks WRONG",
        code="clock_not_enrolled",
        values={"year": "2001", "year_ok": "no"},
    )


def test_self_test_is_bounded_when_the_platform_accepts_but_never_answers(
    provisioned: Paths,
) -> None:
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    enrollment = Enrollment.load(provisioned.data / "enrollment.json")
    assert enrollment is not None
    url = f"http://127.0.0.1:{silent.getsockname()[1]}"
    Enrollment(url, enrollment.kiosk_id, VENUE).save(provisioned.data / "enrollment.json")
    try:
        started = time.monotonic()
        report = provisioning.self_test(provisioned, timeout=0.5)
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 2.0 + 1  # 2 * timeout + 1, the hard bound, and some slack
    assert report.check("platform").detail == f"{url} unreachable: /v1/time: timed out"


def test_a_check_that_hangs_is_reported_not_waited_for(
    paths: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()

    def hang(settings: Settings) -> provisioning.Check:
        release.wait(30)
        raise AssertionError("too late")

    monkeypatch.setattr(provisioning, "_check_decoder", hang)
    try:
        started = time.monotonic()
        report = provisioning.self_test(paths, Settings(camera="synthetic"), timeout=0.2)
        assert time.monotonic() - started < 3
    finally:
        release.set()
    assert report.check("decoder") == provisioning.Check(
        "decoder",
        False,
        "no answer within 1 s (hanging)",
        code="check_hung",
        values={"seconds": "1"},
    )


def test_self_test_never_raises_on_a_corrupt_enrollment(paths: Paths) -> None:
    write_file(paths.data / "enrollment.json", b"{not json")
    report = provisioning.self_test(paths, Settings(camera="synthetic"))
    assert not report.check("platform").ok
    assert "enrollment.json is unreadable" in report.check("platform").detail
    assert report.check("database").ok


def test_self_test_report_json(paths: Paths) -> None:
    report = provisioning.SelfTestReport(
        datetime(2021, 10, 1, 3, tzinfo=UTC),
        (
            provisioning.Check("camera", True, "ok"),
            provisioning.Check("sound", True, "silent", warning=True, code="sound_no_output"),
            provisioning.Check("clock", False, "off", code="clock_behind", values={"seconds": "9"}),
        ),
    )
    # "code" and "values" were added later: the first four fields keep their meaning.
    assert report.to_json() == {
        "ok": False,
        "at": "2021-10-01T03:00:00+00:00",
        "checks": [
            {"name": "camera", "ok": True, "status": "pass", "detail": "ok"}
            | {"code": "", "values": {}},
            {"name": "sound", "ok": True, "status": "warn", "detail": "silent"}
            | {"code": "sound_no_output", "values": {}},
            {"name": "clock", "ok": False, "status": "fail", "detail": "off"}
            | {"code": "clock_behind", "values": {"seconds": "9"}},
        ],
    }
    json.dumps(report.to_json())  # plain JSON: the values are a dict, not a mapping proxy


# --- sound and the manager PIN ---------------------------------------------------------


def test_the_sound_check_makes_valid_sound_files_and_warns_without_an_output(
    paths: Paths,
) -> None:
    player = PlayerSound(provisioning.sound_dir(paths), player=["true"])
    silent = provisioning.self_test(paths, Settings(camera="synthetic"), sound=player, audio=list)
    check = silent.check("sound")
    assert (check.ok, check.status) == (True, "warn")
    assert check.detail == (
        f"{len(CUES)} sound files ok, but no audio output (no ALSA sound card, no PulseAudio "
        "or PipeWire server): the kiosk is silent"
    )
    for cue in CUES:
        with wave.open(str(player.path(cue)), "rb") as made:
            assert made.getnframes() > 0
    loud = provisioning.self_test(
        paths, Settings(camera="synthetic"), sound=player, audio=lambda: ["1 ALSA sound card(s)"]
    )
    assert loud.check("sound") == provisioning.Check(
        "sound",
        True,
        f"{len(CUES)} sound files ok; audio output: 1 ALSA sound card(s)",
        code="sound_ok",
        values={"count": str(len(CUES)), "outputs": "1 ALSA sound card(s)"},
    )
    no_player = PlayerSound(provisioning.sound_dir(paths), which=lambda _: None)
    check = provisioning.self_test(paths, sound=no_player, audio=lambda: ["x"]).check("sound")
    assert check.status == "warn"
    assert "no aplay or paplay: the kiosk is silent" in check.detail
    assert provisioning.self_test(paths).check("sound").status == "warn"  # nothing to check


def test_the_sound_check_fails_on_broken_or_unwritable_sound_files(
    paths: Paths, tmp_path: Path
) -> None:
    player = PlayerSound(provisioning.sound_dir(paths), player=["true"])
    player.prepare()
    player.path("admit").write_bytes(b"RIFF broken")
    check = provisioning.self_test(paths, sound=player, audio=lambda: ["x"]).check("sound")
    assert check == provisioning.Check(
        "sound",
        False,
        f"not valid sound files: {player.path('admit').name} (in {provisioning.sound_dir(paths)})",
        code="sound_invalid_files",
        values={
            "files": player.path("admit").name,
            "directory": str(provisioning.sound_dir(paths)),
        },
    )
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    stuck = Paths(data=blocked, config=tmp_path / "c", logs=tmp_path / "l")
    unwritable = PlayerSound(provisioning.sound_dir(stuck), player=["true"])
    check = provisioning._check_sound(provisioning.sound_dir(stuck), unwritable, list)
    assert not check.ok
    assert check.detail.startswith("the sound files cannot be written to ")


def test_audio_outputs_are_alsa_cards_and_sound_servers(tmp_path: Path) -> None:
    cards = write_file(
        tmp_path / "cards", b" 0 [PCH            ]: HDA-Intel - HDA Intel PCH\n   HDA Intel\n"
    )
    runtime = tmp_path / "run"
    (runtime / "pulse").mkdir(parents=True)
    (runtime / "pulse" / "native").touch()
    (runtime / "pipewire-0").touch()
    found = provisioning.audio_outputs(cards=cards, environ={"XDG_RUNTIME_DIR": str(runtime)})
    assert found == ["1 ALSA sound card(s)", "PulseAudio server", "PipeWire server"]
    none = write_file(tmp_path / "none", b"--- no soundcards ---\n")
    assert provisioning.audio_outputs(cards=none, environ={}) == []
    assert provisioning.audio_outputs(cards=tmp_path / "missing", environ={}) == []
    assert provisioning.audio_outputs(
        cards=tmp_path / "missing", environ={"PULSE_SERVER": "tcp:10.0.0.2"}
    ) == ["PulseAudio server tcp:10.0.0.2"]


def test_the_manager_pin_is_set_checked_twice_and_reset(paths: Paths) -> None:
    check = provisioning.self_test(paths).check("manager PIN")
    assert check.status == "warn"
    assert check.detail.startswith("not set: the manager view stays closed")
    with pytest.raises(UsageError, match="typed differently the second time"):
        provisioning.set_manager_pin(paths, "2468", "2469")
    with pytest.raises(UsageError, match="a PIN is 4 to 8 digits"):
        provisioning.set_manager_pin(paths, "12")
    assert not provisioning.manager_pin_is_set(paths)
    provisioning.set_manager_pin(paths, "2468", "2468")
    assert PinStore(paths.config / "manager-pin.json").verify("2468").ok
    assert provisioning.self_test(paths).check("manager PIN").status == "pass"
    assert provisioning.reset_manager_pin(paths) is True
    assert provisioning.reset_manager_pin(paths) is False
    assert not PinStore(paths.config / "manager-pin.json").is_set()


def test_a_damaged_or_locked_manager_pin_is_reported(paths: Paths) -> None:
    provisioning.set_manager_pin(paths, "2468")
    pins = PinStore(paths.config / "manager-pin.json")
    for _ in range(5):
        pins.verify("0000")
    check = provisioning.self_test(paths).check("manager PIN")
    assert check.status == "warn"
    assert check.detail.startswith("set; locked after wrong PINs until ")
    write_file(paths.config / "manager-pin.json", b"{damaged")
    check = provisioning.self_test(paths).check("manager PIN")
    assert not check.ok
    assert check.detail.endswith("set a new one (kiosk pin reset, kiosk pin set)")


# --- the self-test's codes (issue 9: every front end words a check in its own language) ---


def _literal_codes() -> tuple[set[str], set[str], list[int]]:
    """The literal ``code=`` of every ``Check(...)`` in kiosk/provisioning.py, the trust
    problem codes (``problems.append((CODE, ...))``), and the lines of checks without one."""
    tree = ast.parse(Path(provisioning.__file__).read_text("utf-8"))
    codes: set[str] = set()
    problems: set[str] = set()
    uncoded: list[int] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id == "Check":
            code = next((k.value for k in node.keywords if k.arg == "code"), None)
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                codes.add(code.value)
            elif isinstance(code, ast.IfExp) and all(
                isinstance(branch, ast.Constant) for branch in (code.body, code.orelse)
            ):
                codes |= {code.body.value, code.orelse.value}  # type: ignore[attr-defined]
            else:
                uncoded.append(node.lineno)
        elif (
            isinstance(func, ast.Attribute)
            and func.attr == "append"
            and isinstance(func.value, ast.Name)
            and func.value.id == "problems"
        ):
            (arg,) = node.args
            assert isinstance(arg, ast.Tuple)
            assert isinstance(arg.elts[0], ast.Constant)
            problems.add(str(arg.elts[0].value))
    return codes, problems, uncoded


def test_every_self_test_check_carries_a_listed_code() -> None:
    codes, problems, uncoded = _literal_codes()
    assert not uncoded, f"Check(...) without a literal code= at lines {uncoded}"
    assert codes == provisioning.CHECK_CODES
    assert problems == provisioning.TRUST_PROBLEMS


def test_a_self_test_check_has_its_code_and_values(
    provisioned: Paths, camera: str, tmp_path: Path
) -> None:
    report = provisioning.self_test(provisioned)
    assert report.check("trust data").code == "bundle_ok"
    assert report.check("trust data").values["version"] == "1"
    assert report.check("manager PIN").code == "pin_set"
    assert report.check("camera").code == "camera_ok"
    assert {check.code for check in report.checks} <= provisioning.CHECK_CODES
    missing = provisioning.self_test(provisioned, Settings(camera="/dev/video99"))
    assert missing.check("camera").code == "camera_missing"
    assert missing.check("camera").values == {"device": "/dev/video99"}
    assert missing.check("camera").detail == (
        "no camera found: /dev/video99 does not exist (is the camera plugged in?)"
    )
    with pytest.raises(TypeError):
        missing.check("camera").values["device"] = "x"  # type: ignore[index]
    as_json = missing.to_json()["checks"]
    assert isinstance(as_json, list)
    assert as_json[0]["code"] == "camera_missing"
    assert as_json[0]["values"] == {"device": "/dev/video99"}


def test_a_stale_bundle_lists_its_problems_as_codes(provisioned: Paths, camera: str) -> None:
    later = datetime.now(UTC) + timedelta(days=400)
    check = provisioning.self_test(provisioned, clock=lambda: later).check("trust data")
    assert check.code == "trust_problems"
    assert "trust_stale" in check.values["problems"].split(",")
    assert set(check.values["problems"].split(",")) <= provisioning.TRUST_PROBLEMS
    assert check.values["age_unit"] == "days"
    assert check.detail.startswith("the bundle is ")


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://platform.example", True),
        ("http://127.0.0.1:8470", True),
        ("http://127.8.9.10", True),
        ("http://localhost:8470", True),
        ("http://[::1]:8470", True),
        ("http://platform.example", False),
        ("http://10.0.0.5:8470", False),
        ("http://127.0.0.1.evil.example", False),
    ],
)
def test_plain_http_only_to_this_machine_unless_allowed(url: str, ok: bool) -> None:
    """Issue 10, item 9: plain http:// was accepted for any host."""
    from kiosk.errors import UsageError
    from kiosk.provisioning import _platform_url

    if ok:
        assert _platform_url(url) == url
    else:
        with pytest.raises(UsageError) as refused:
            _platform_url(url)
        assert refused.value.code == "platform_url_plain_http"
        assert _platform_url(url, allow_http=True) == url
