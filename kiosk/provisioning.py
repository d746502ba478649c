"""Technician provisioning, Qt-free: the steps behind ``kiosk provision`` and the wizard.

Each step works on a kiosk's :class:`~kiosk.paths.Paths` and says what went wrong in a
:class:`~kiosk.errors.KioskError` a technician can act on:

- :func:`set_venue` — venue id, name and category (a category the trust data knows);
- :func:`pin_root` — pin the city root key (from a file);
- :func:`enroll` — make the device key, enroll with the platform, then fetch the server
  time and the newest bundle;
- :func:`import_bundle` — install a signed bundle from a file (a USB stick);
- :func:`set_camera`, :func:`set_decoder`, :func:`list_cameras`, :func:`decode_test`;
  :func:`demo_camera_problem` — why the synthetic demo camera is refused here, if it is;
  :func:`camera_missing` — no device node for a camera;
- :func:`set_manager_pin`, :func:`reset_manager_pin` — the manager PIN, set by the
  technician (the wizard's PIN page, ``kiosk provision --pin-file``, ``kiosk pin``);
- :func:`self_test` — camera, decoder, trust data, clock, database, platform, sound and
  manager PIN: one :class:`Check` each (pass, warning or failure), every one bounded in
  time and never raising.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import secrets
import shutil
import sqlite3
import statistics
import threading
import time
import wave
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Final, Protocol
from urllib.parse import urlsplit

import numpy as np

from kiosk import qrimage
from kiosk.config import Settings
from kiosk.demo import builtin_document
from kiosk.errors import (
    BundleError,
    DecoderUnavailable,
    EnrollmentError,
    KeyFileError,
    KioskError,
    SourceUnavailable,
    StoreError,
    SyncError,
    UsageError,
)
from kiosk.paths import Paths
from kiosk.pin import DEFAULT_COST, PIN_RULE, PinProblem, PinStore, new_pin_problem
from kiosk.policy import VenueCategory, categories_from_json
from kiosk.runtime import TRUST_STALE_AFTER
from kiosk.scanner.decoders import (
    AUTO,
    NAMES,
    PYZBAR,
    ZXING,
    Image,
    PyzbarDecoder,
    QrDecoder,
    ZxingDecoder,
    make_decoder,
)
from kiosk.scanner.select import is_payload_source, open_frame_source
from kiosk.scanner.sources import Capture, Frame, FrameSource, SourceState, open_capture
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient, ServerTime
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import DRIFT_WARNING_MS, SyncWorker
from kiosk.verify.bundle import TrustBundle
from kiosk.verify.installed import InstalledTrust, InstallOutcome
from kiosk.verify.keys import PublicKey, load_public_key

logger = logging.getLogger(__name__)

#: What the self-test's decoder check and the synthetic camera show: not a card.
PROBE_TEXT: Final = "HCM-KIOSK-SELF-TEST-0123456789"
#: Below this much free space on the data disk the database check fails.
MIN_FREE_BYTES: Final = 100 * 1024 * 1024
#: Seconds each self-test check may wait for a device or the network.
CHECK_TIMEOUT: Final = 5.0
#: The platform's limits for ids and names (docs/platform.md: 1 to 64 characters).
MAX_ID: Final = 64
MAX_NAME: Final = 128
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")

CAMERA: Final = "camera"
DECODER: Final = "decoder"
TRUST: Final = "trust data"
CLOCK: Final = "clock"
DATABASE: Final = "database"
PLATFORM: Final = "platform"
SOUND: Final = "sound"
MANAGER_PIN: Final = "manager PIN"
#: The self-test's checks, in the order they are reported.
CHECKS: Final = (CAMERA, DECODER, TRUST, CLOCK, DATABASE, PLATFORM, SOUND, MANAGER_PIN)
#: Every :attr:`Check.code` the self-test gives (a front end words each one).
CHECK_CODES: Final = frozenset(
    {
        "camera_synthetic_refused",
        "camera_missing",
        "camera_keyboard_scanner",
        "camera_serial_ok",
        "camera_serial_missing",
        "camera_no_frame",
        "camera_ok",
        "camera_ok_synthetic",
        "decoder_failed",
        "decoder_ok",
        "decoder_ok_fallback",
        "trust_demo",
        "trust_no_root",
        "trust_no_bundle",
        "trust_problems",
        "bundle_ok",
        "database_unwritable",
        "database_readback_failed",
        "database_damaged",
        "database_low_space",
        "database_ok",
        "clock_not_enrolled",
        "clock_platform_unreachable",
        "clock_behind",
        "clock_ahead",
        "clock_drift_behind",
        "clock_drift_ahead",
        "platform_demo",
        "platform_not_enrolled",
        "platform_unreachable",
        "platform_ok",
        "sound_not_checked",
        "sound_unwritable",
        "sound_invalid_files",
        "sound_no_player",
        "sound_no_output",
        "sound_ok",
        "pin_not_set",
        "pin_unreadable",
        "pin_locked",
        "pin_set",
        "check_error",
        "internal_error",
        "check_hung",
    }
)
#: What a ``trust_problems`` check's ``problems`` value lists (comma-separated).
TRUST_PROBLEMS: Final = frozenset(
    {"trust_stale", "trust_future", "trust_no_issuer", "trust_no_rules", "trust_unknown_category"}
)

#: The demo camera's spec: it shows cards signed by this machine's demo keys.
SYNTHETIC: Final = "synthetic"

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _enrollment_path(paths: Paths) -> Path:
    return paths.data / "enrollment.json"


def is_provisioned(paths: Paths) -> bool:
    """A city root key is pinned or the kiosk is enrolled with a platform: it no longer
    runs the demo, and its check-ins are the city's."""
    return InstalledTrust(paths.trust).root() is not None or _enrollment_path(paths).exists()


def _text(value: str, what: str, limit: int, field: str) -> str:
    """``value`` stripped; ``field`` names it in an error's values (``venue_id``…)."""
    value = value.strip()
    if not value:
        raise UsageError(f"{what} must not be empty", code="text_empty", values={"field": field})
    if len(value) > limit:
        raise UsageError(
            f"{what} is longer than {limit} characters",
            code="text_too_long",
            values={"field": field, "limit": str(limit)},
        )
    if _CONTROL.search(value):
        raise UsageError(
            f"{what} must not contain control characters",
            code="text_control",
            values={"field": field},
        )
    return value


# --- venue -----------------------------------------------------------------------------


def known_categories(paths: Paths) -> dict[str, VenueCategory]:
    """The venue categories the kiosk judges with: the installed bundle's, else built-in."""
    installed = InstalledTrust(paths.trust)
    try:
        bundle = installed.load() if installed.root() is not None else None
    except KioskError as exc:
        logger.warning("installed trust bundle unusable (%s); built-in venue categories", exc)
        bundle = None
    if bundle is not None:
        return dict(bundle.venues)
    return categories_from_json(builtin_document("venues.json"))


def set_venue(paths: Paths, venue_id: str, name: str, category: str) -> Settings:
    """Save the venue's id, name and category (one the trust data knows)."""
    venue_id = _text(venue_id, "the venue id", MAX_ID, "venue_id")
    name = _text(name, "the venue name", MAX_NAME, "venue_name")
    category = category.strip()
    known = known_categories(paths)
    if category not in known:
        raise UsageError(
            f"unknown venue category {category!r}; known: {', '.join(sorted(known)) or 'none'}",
            code="venue_category_unknown",
            values={"category": category, "known": ", ".join(sorted(known))},
        )
    settings = replace(
        Settings.load(paths), venue_id=venue_id, venue_name=name, venue_category=category
    )
    settings.save(paths)
    return settings


# --- trust data --------------------------------------------------------------------------


def pin_root(paths: Paths, root_pub_path: Path, *, replace_pinned: bool = False) -> PublicKey:
    """Pin the city root public key from a file; a different pinned key needs
    ``replace_pinned`` (re-provisioning, which drops the old bundle)."""
    try:
        key = load_public_key(root_pub_path)
    except KeyFileError as exc:  # the same words, with a code saying which
        readable = root_pub_path.is_file() and os.access(root_pub_path, os.R_OK)
        raise KeyFileError(
            str(exc),
            code="root_not_a_key" if readable else "root_unreadable",
            values={"file": str(root_pub_path)},
        ) from exc
    InstalledTrust(paths.trust).pin_root(key, replace=replace_pinned)
    return key


@dataclass(frozen=True, slots=True)
class BundleImport:
    outcome: InstallOutcome
    version: int
    issued_at: datetime
    issuers: int
    venues: tuple[str, ...]


def import_bundle(paths: Paths, bundle_path: Path) -> BundleImport:
    """Install a signed trust bundle from a file (a USB stick)."""
    installed = InstalledTrust(paths.trust)
    if installed.root() is None:
        raise KeyFileError(
            "no city root key pinned: pin it before importing a bundle "
            "(kiosk provision --root PUB)",
            code="root_not_pinned",
        )
    try:
        data = bundle_path.read_bytes()
    except OSError as exc:
        raise UsageError(
            f"cannot read bundle file {bundle_path}: {exc.strerror}",
            code="bundle_unreadable",
            values={"file": str(bundle_path)},
        ) from exc
    try:
        outcome, bundle = installed.install(data)
    except BundleError as exc:  # signature, kind, rollback, malformed: name the file
        raise type(exc)(
            f"{bundle_path.name}: {exc}",
            code=exc.code,
            values={**exc.values, "file": bundle_path.name},
        ) from exc
    return _described(outcome, bundle)


def _described(outcome: InstallOutcome, bundle: TrustBundle) -> BundleImport:
    return BundleImport(
        outcome, bundle.version, bundle.issued_at, len(bundle.trust), tuple(sorted(bundle.venues))
    )


# --- the platform ------------------------------------------------------------------------


#: The codes of :class:`Detail` an enrollment reports (a front end words each one).
ENROLL_DETAIL_CODES: Final = frozenset(
    {
        "drift_not_measured",
        "moved_after_delivering",
        "bundle_none_newer",
        "bundle_not_published",  # url
        "bundle_fetch_failed",  # error_code, and that error's values
        "bundle_refused",  # error_code, and that error's values
    }
)


@dataclass(frozen=True, slots=True)
class Detail:
    """A note or problem of a step: its code, the values its words need (for a front end
    in another language) and its English text."""

    code: str
    text: str
    values: Mapping[str, str] = field(default_factory=dict)


def _error_values(exc: KioskError) -> dict[str, str]:
    """An error's code and values, as the values of a :class:`Detail` about it."""
    return {**exc.values, "error_code": exc.code or ""}


@dataclass(frozen=True, slots=True)
class EnrollResult:
    kiosk_id: str
    venue_id: str
    platform_url: str
    #: How far the platform's clock is ahead of ours, when it could be measured.
    drift_ms: int | None
    #: The initial bundle fetch, if a root key is pinned.
    bundle: BundleImport | None
    notes: tuple[str, ...] = ()
    #: Why the kiosk has no trust bundle from the platform (none published, unreachable,
    #: refused): the enrollment stands, but provisioning is not complete.
    bundle_problem: str | None = None
    #: ``notes`` and ``bundle_problem`` with their codes and values.
    note_details: tuple[Detail, ...] = ()
    problem_detail: Detail | None = None


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _platform_url(url: str, *, allow_http: bool = False) -> str:
    """The platform's URL, checked: https, or plain http for this machine only (a test
    bench, the demo) unless ``allow_http`` (a network whose operator says it is safe):
    over plain http on a network anyone between the kiosk and the platform could read
    the check-ins and answer in the platform's place."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"the platform URL {url!r} must start with https:// (or http://)",
            code="platform_url_invalid",
            values={"url": url},
        )
    if parts.scheme == "http" and not allow_http and not _loopback(parts.hostname or ""):
        raise UsageError(
            f"the platform URL {url!r} is plain http to another machine: use https:// "
            "(or --allow-http, where the network's operator says it is safe)",
            code="platform_url_plain_http",
            values={"url": url},
        )
    return url


def _deliver_before_moving(paths: Paths, venue_id: str, timeout: float) -> list[Detail]:
    """A kiosk moving to another venue first delivers what it recorded at the old one:
    once enrolled at the new venue, the platform would refuse each of those records.
    Raises EnrollmentError (before any token is spent) when they cannot be delivered."""
    old = Enrollment.load(_enrollment_path(paths))
    if old is None or old.venue_id == venue_id:
        return []
    log = CheckInLog.open(paths.data, kiosk_id=old.kiosk_id, venue_id=old.venue_id)
    try:
        waiting = log.queue_length()
        if not waiting:
            return []
        client = PlatformClient(
            old.platform_url,
            key=device_key(paths.data / "keys"),
            kiosk_id=old.kiosk_id,
            timeout=timeout,
        )
        try:
            SyncWorker(log, client, paths.data / "sync-state.json").sync_once()
        finally:
            client.close()
        left = log.queue_length()
    finally:
        log.close()
    if left:
        raise EnrollmentError(
            f"{left} check-in(s) recorded at venue {old.venue_id} have not reached the "
            f"platform yet: connect the kiosk and run kiosk sync before moving it to "
            f"{venue_id} (the platform would refuse them once it is enrolled there)",
            code="enroll_queue_undelivered",
            values={"count": str(left), "venue": old.venue_id, "new_venue": venue_id},
        )
    return [
        Detail(
            "moved_after_delivering",
            f"delivered {waiting} check-in(s) recorded at venue {old.venue_id} before moving",
            {"count": str(waiting), "venue": old.venue_id},
        )
    ]


def enroll(
    paths: Paths,
    platform_url: str,
    token: str,
    venue_id: str,
    kiosk_name: str = "",
    *,
    timeout: float = 10.0,
    clock: Clock = _utc_now,
    allow_http: bool = False,
) -> EnrollResult:
    """Make the device key, enroll with the platform, save the enrollment, then fetch the
    server time and the newest bundle.

    The city root key must be pinned first: a kiosk enrolled without it would judge with
    the demo's keys. The enrollment stands once the platform took it (the token is
    spent), so what goes wrong afterwards is reported, never raised: a failed time
    measurement as a note, a missing or refused bundle as ``bundle_problem`` (the front
    ends treat that as a failed step). The venue id is saved in the settings too (the
    platform has just confirmed it)."""
    url = _platform_url(platform_url, allow_http=allow_http)
    token = _text(token, "the enrollment token", 128, "token")
    venue_id = _text(venue_id, "the venue id", MAX_ID, "venue_id")
    installed = InstalledTrust(paths.trust)
    if installed.root() is None:
        raise KeyFileError(
            "no city root key pinned: pin it before enrolling (kiosk provision --root PUB), "
            "or the kiosk would judge cards with the demo's keys",
            code="root_not_pinned",
        )
    moved = _deliver_before_moving(paths, venue_id, timeout)
    settings = Settings.load(paths)
    default_name = (settings.venue_name or "Kiosk")[:MAX_ID]  # the platform allows 64
    kiosk_name = _text(kiosk_name or default_name, "the kiosk name", MAX_ID, "kiosk_name")
    key = device_key(paths.data / "keys")
    client = PlatformClient(url, timeout=timeout, wall_clock=lambda: clock().timestamp())
    notes: list[Detail] = list(moved)
    drift: int | None = None
    fetched: BundleImport | None = None
    problem: Detail | None = None
    try:
        try:
            kiosk_id = client.enroll(token, venue_id, kiosk_name, key)
        except EnrollmentError:
            raise
        except SyncError as exc:  # unreachable, timed out, 5xx
            raise EnrollmentError(
                f"cannot reach the platform at {url}: {exc}",
                code="enroll_timeout" if exc.code == "platform_timeout" else "enroll_unreachable",
                values={"url": url},
            ) from exc
        Enrollment(url, kiosk_id, venue_id, kiosk_name).save(_enrollment_path(paths))
        if settings.venue_id != venue_id:
            replace(settings, venue_id=venue_id).save(paths)
        try:
            drift = client.server_time().drift_ms
        except SyncError as exc:
            notes.append(
                Detail("drift_not_measured", f"clock drift not measured: {exc}", _error_values(exc))
            )
        try:
            reply = client.bundle(installed.highest_version())
            if not reply.published:
                problem = Detail(
                    "bundle_not_published",
                    f"the platform at {url} publishes no trust bundle yet: its operator "
                    "publishes one (cityplatform publish --issuer ISSUER.pub), "
                    "then run kiosk sync",
                    {"url": url},
                )
            elif reply.data is None:
                notes.append(Detail("bundle_none_newer", "the platform has no newer trust bundle"))
            else:
                fetched = _described(*installed.install(reply.data))
        except SyncError as exc:
            problem = Detail(
                "bundle_fetch_failed",
                f"the trust bundle could not be fetched: {exc} (run kiosk sync later)",
                _error_values(exc),
            )
        except BundleError as exc:
            problem = Detail(
                "bundle_refused",
                f"the platform's trust bundle was refused: {exc} "
                "(is the pinned root key the platform's?)",
                _error_values(exc),
            )
    finally:
        client.close()
    logger.info("enrolled as kiosk %s at venue %s", kiosk_id, venue_id)
    if problem is not None:
        logger.info("enrolled, but no trust bundle: %s", problem.text)  # the caller says it
    return EnrollResult(
        kiosk_id,
        venue_id,
        url,
        drift,
        fetched,
        tuple(note.text for note in notes),
        None if problem is None else problem.text,
        tuple(notes),
        problem,
    )


# --- camera and decoder ------------------------------------------------------------------


def _check_camera_spec(spec: str) -> str:
    spec = spec.strip()
    if not spec:
        raise UsageError("the camera must not be empty", code="camera_empty")
    if spec == SYNTHETIC or spec.isdigit() or is_payload_source(spec):
        return spec
    if spec.startswith("video:"):
        if not Path(spec.removeprefix("video:")).is_file():
            raise SourceUnavailable(
                f"no video file {spec.removeprefix('video:')}",
                code="camera_no_video_file",
                values={"file": spec.removeprefix("video:")},
            )
        return spec
    if spec.startswith("folder:"):
        if not Path(spec.removeprefix("folder:")).is_dir():
            raise SourceUnavailable(
                f"no folder {spec.removeprefix('folder:')}",
                code="camera_no_folder",
                values={"folder": spec.removeprefix("folder:")},
            )
        return spec
    if not Path(spec).exists():
        raise SourceUnavailable(
            f"no camera {spec!r}: give an index (0), a device (/dev/video0), "
            "video:FILE, folder:DIR or synthetic",
            code="camera_not_found",
            values={"camera": spec},
        )
    return spec


def _trusts_demo_issuer(paths: Paths) -> bool:
    """Whether the installed bundle trusts this machine's demo issuer (the demo kiosk and
    its demo platform do). Reads the demo's public key only: makes no demo keys."""
    demo_pub = paths.demo / "issuer-city.pub"
    installed = InstalledTrust(paths.trust)
    try:
        if not demo_pub.exists() or installed.root() is None:
            return False
        bundle = installed.load()
        kid = load_public_key(demo_pub).kid
    except KioskError:
        return False
    return bundle is not None and any(key.kid == kid for key in bundle.trust)


def demo_camera_problem(paths: Paths, *, provisioned: bool | None = None) -> str | None:
    """Why the synthetic demo camera may not be this kiosk's camera, or None when it may.

    Its cards are signed by this machine's demo keys: fine on a kiosk that is not
    provisioned (it judges with the demo's trust data, and its check-ins never leave it)
    and on the demo kiosk (its demo platform trusts those keys). A provisioned kiosk
    would refuse every one of them and send each refusal to the city platform.
    ``provisioned``: judge as if the kiosk were (or were not) provisioned already, for a
    command that is about to provision it."""
    if provisioned is None:
        provisioned = is_provisioned(paths)
    if not provisioned or _trusts_demo_issuer(paths):
        return None
    return (
        "the synthetic demo camera shows demo cards, not visitors': a provisioned kiosk "
        "cannot use it (each demo card would be refused and its check-in sent to the city "
        "platform); choose a real camera: 0, /dev/video0, video:FILE or folder:DIR"
    )


def camera_missing(spec: str, *, device_dir: Path = Path("/dev")) -> str | None:
    """Why there is no camera at all for ``spec`` (an index or a device path): its device
    node does not exist. None when there may be one (or ``spec`` is no such camera)."""
    node = _missing_node(spec, device_dir)
    return None if node is None else f"no camera found: {node} does not exist"


def _missing_node(spec: str, device_dir: Path) -> str | None:
    """The device node ``spec`` names that does not exist, or None."""
    spec = spec.strip()
    if spec.isdigit():
        if not device_dir.is_dir():  # not Linux: only opening it can tell
            return None
        node = device_dir / f"video{int(spec)}"
        return None if node.exists() else str(node)
    if spec.startswith("/") and not Path(spec).exists():
        return spec
    return None


def set_camera(paths: Paths, spec: str, width: int = 1280, height: int = 720) -> Settings:
    """Save the camera (index, device, ``video:FILE``, ``folder:DIR`` or, on a kiosk that
    is not provisioned, ``synthetic``) and its resolution."""
    spec = check_camera_spec(spec)
    if spec == SYNTHETIC:
        problem = demo_camera_problem(paths)
        if problem is not None:
            raise UsageError(problem, code="camera_demo_refused")
    for value, what in ((width, "width"), (height, "height")):
        if not 64 <= value <= 8192:
            raise UsageError(
                f"camera {what} {value} is not between 64 and 8192 pixels",
                code="camera_size",
                values={"what": what, "value": str(value)},
            )
    settings = replace(Settings.load(paths), camera=spec, camera_width=width, camera_height=height)
    settings.save(paths)
    return settings


def _decoder_named(name: str) -> QrDecoder:
    """Exactly the decoder asked for (``auto``: the best one that loads), no fallback."""
    factories: Mapping[str, Callable[[], QrDecoder]] = {
        AUTO: lambda: make_decoder(AUTO),
        ZXING: ZxingDecoder,
        PYZBAR: PyzbarDecoder,
    }
    factory = factories.get(name)
    if factory is None:
        raise UsageError(
            f"unknown decoder {name!r}; choose one of {', '.join(NAMES)}",
            code="decoder_unknown",
            values={"decoder": name},
        )
    try:
        return factory()
    except DecoderUnavailable as exc:  # the same words, with a code
        if exc.code is not None:
            raise
        raise DecoderUnavailable(
            str(exc), code="decoder_unavailable", values={"decoder": name}
        ) from exc


def check_camera_spec(spec: str) -> str:
    """The camera spec, checked (as set_camera checks it) without saving anything."""
    spec = _check_camera_spec(spec)
    if is_payload_source(spec):
        raise UsageError(
            f"{spec!r} is a hardware scanner, not a camera: the app reads keyboard-mode "
            "scanners as they are (no setting needed); serial scanners work with "
            "kiosk scan --source serial:PORT",
            code="camera_is_scanner",
            values={"camera": spec},
        )
    return spec


def check_decoder(name: str) -> None:
    """Raise when the decoder does not load (as set_decoder checks it), saving nothing."""
    _decoder_named(name.strip())


def set_decoder(paths: Paths, name: str) -> Settings:
    """Save the QR decoder (``auto``, ``zxing`` or ``pyzbar``) after checking it loads."""
    _decoder_named(name.strip())
    settings = replace(Settings.load(paths), decoder=name.strip())
    settings.save(paths)
    return settings


def list_cameras(
    *,
    device_dir: Path = Path("/dev"),
    probe_indices: Sequence[int] | None = None,
    capture_factory: Callable[[int | str], Capture] = open_capture,
) -> list[str]:
    """Video devices (``/dev/video*``), then the camera indices that open.

    On Linux index N is ``/dev/videoN``, so only the indices of existing nodes are
    probed (opening a missing index is slow and noisy); without ``/dev``, 0 to 3 are."""

    def number(path: Path) -> int:
        digits = path.name.removeprefix("video")
        return int(digits) if digits.isdigit() else -1

    devices = sorted(device_dir.glob("video*"), key=lambda p: (number(p), p.name))
    if probe_indices is None:
        probe_indices = (
            [n for n in map(number, devices) if n >= 0] if device_dir.is_dir() else range(4)
        )
    found = [str(path) for path in devices]
    for index in probe_indices:
        try:
            capture = capture_factory(index)
            opened = capture.isOpened()
            capture.release()
        except Exception:  # OpenCV raises cv2.error and others on odd devices
            logger.debug("camera index %d does not open", index, exc_info=True)
            continue
        if opened:
            found.append(str(index))
    return found


def open_camera(
    spec: str, *, resolution: tuple[int, int] = (1280, 720), realtime: bool = True
) -> FrameSource:
    """The frame source for ``spec``; the synthetic camera shows the self-test's probe."""
    if is_payload_source(spec):
        raise SourceUnavailable(
            f"{spec} is a hardware scanner: it delivers no picture",
            code="camera_is_scanner",
            values={"camera": spec},
        )
    return open_frame_source(
        spec, resolution=resolution, demo_texts=(PROBE_TEXT,), realtime=realtime
    )


def _first_frame(source: FrameSource, deadline: float) -> Frame | None:
    while time.monotonic() < deadline:
        frame = source.read()
        if frame is not None:
            return frame
        if source.state is SourceState.ENDED:
            return None
        time.sleep(0.01)
    return None


@dataclass(frozen=True, slots=True)
class DecodeTestResult:
    source: str
    decoder: str
    #: Frames read from the source, and how many of them held at least one QR code.
    frames: int
    frames_with_code: int
    #: QR codes decoded in all, and how many different texts they held.
    codes: int
    distinct: int
    median_decode_ms: float | None
    #: Set when fewer frames than asked for arrived in time (or the source ended).
    note: str = ""


def decode_test(
    spec: str,
    decoder: str,
    frames: int = 30,
    *,
    resolution: tuple[int, int] = (1280, 720),
    timeout: float = 20.0,
) -> DecodeTestResult:
    """Open the source, decode ``frames`` frames and report how it went.

    Raises :class:`SourceUnavailable` / :class:`DecoderUnavailable` when either cannot
    be opened; a source that delivers too few frames in ``timeout`` is reported."""
    qr = _decoder_named(decoder)
    source = open_camera(spec, resolution=resolution, realtime=False)
    read = with_code = codes = 0
    texts: set[bytes] = set()
    durations: list[float] = []
    deadline = time.monotonic() + timeout
    note = ""
    try:
        while read < frames:
            frame = _first_frame(source, deadline)
            if frame is None:
                ended = source.state is SourceState.ENDED
                note = (
                    f"the source ended after {read} frames"
                    if ended
                    else (f"only {read} frames in {timeout:.0f} s")
                )
                break
            read += 1
            start = time.perf_counter()
            found = qr.decode(frame.image)
            durations.append((time.perf_counter() - start) * 1000)
            codes += len(found)
            with_code += bool(found)
            texts.update(found)
    finally:
        source.close()
    median = round(statistics.median(durations), 2) if durations else None
    return DecodeTestResult(source.name, qr.name, read, with_code, codes, len(texts), median, note)


# --- the manager PIN ---------------------------------------------------------------------


def set_manager_pin(
    paths: Paths, pin: str, confirmation: str | None = None, *, cost: int = DEFAULT_COST
) -> None:
    """Set the manager PIN (the technician's step; also clears a lockout). ``confirmation``:
    the PIN typed a second time, when the front end asks twice."""
    problem = new_pin_problem(pin, confirmation)
    if problem is PinProblem.FORMAT:
        raise UsageError(f"the manager PIN is refused: {PIN_RULE}", code="pin_refused")
    if problem is PinProblem.MISMATCH:
        raise UsageError(
            "the manager PIN was typed differently the second time", code="pin_mismatch"
        )
    PinStore.at(paths, cost=cost).set_pin(pin)


def reset_manager_pin(paths: Paths) -> bool:
    """Remove the manager PIN and any lockout (a forgotten PIN): the manager view stays
    closed until a PIN is set again. True when there was one. Whoever can run this has
    the kiosk's shell, which is the authorisation (docs/platform.md)."""
    return PinStore.at(paths).reset()


def manager_pin_is_set(paths: Paths) -> bool:
    return PinStore.at(paths).is_set()


# --- self-test ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """One self-test result. ``warning``: it passed (``ok``), but something is worth
    fixing (no speaker, no manager PIN); a warning does not fail the self-test."""

    name: str
    ok: bool
    #: The English sentence (the command line's); front ends in other languages word
    #: ``code`` with ``values`` instead (the wizard does), falling back to this.
    detail: str
    warning: bool = False
    #: What the detail says, machine-readable: one of :data:`CHECK_CODES`.
    code: str = ""
    #: The values the detail's words need (a device path, a bundle version, ...).
    values: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", MappingProxyType(dict(self.values)))

    @property
    def status(self) -> str:
        """``pass``, ``warn`` or ``fail``."""
        if not self.ok:
            return "fail"
        return "warn" if self.warning else "pass"


@dataclass(frozen=True, slots=True)
class SelfTestReport:
    at: datetime
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    def check(self, name: str) -> Check:
        return next(check for check in self.checks if check.name == name)

    def to_json(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "at": self.at.isoformat(timespec="seconds"),
            "checks": [
                {
                    "name": check.name,
                    "ok": check.ok,
                    "status": check.status,
                    "detail": check.detail,
                    "code": check.code,
                    "values": dict(check.values),
                }
                for check in self.checks
            ],
        }


def probe_image(text: str = PROBE_TEXT, *, scale: int = 6) -> Image:
    """``text`` as a QR code in an 8-bit grey image (quiet zone of 4 modules)."""
    matrix = np.array(qrimage.modules(text), dtype=bool)
    pixels = np.where(matrix, 0, 255).astype(np.uint8)
    pixels = np.pad(pixels, 4, constant_values=255)
    return np.kron(pixels, np.ones((scale, scale), dtype=np.uint8))


def _check_camera(paths: Paths, settings: Settings, timeout: float, demo: bool) -> Check:
    spec = settings.camera
    if spec == SYNTHETIC and not demo:
        problem = demo_camera_problem(paths)
        if problem is not None:
            return Check(CAMERA, False, problem, code="camera_synthetic_refused")
    missing = camera_missing(spec)
    if missing is not None:
        node = _missing_node(spec, Path("/dev")) or spec
        return Check(
            CAMERA,
            False,
            f"{missing} (is the camera plugged in?)",
            code="camera_missing",
            values={"device": node},
        )
    if spec == "stdin":
        return Check(
            CAMERA,
            True,
            "keyboard-mode scanner (types into the kiosk): not testable",
            code="camera_keyboard_scanner",
        )
    if spec.startswith("serial:"):
        port = spec.removeprefix("serial:").partition("@")[0]
        if Path(port).exists():
            return Check(
                CAMERA,
                True,
                f"serial scanner on {port}: the port exists",
                code="camera_serial_ok",
                values={"port": port},
            )
        return Check(
            CAMERA,
            False,
            f"serial scanner: no port {port}",
            code="camera_serial_missing",
            values={"port": port},
        )
    source = open_camera(spec, resolution=(settings.camera_width, settings.camera_height))
    try:
        start = time.monotonic()
        frame = _first_frame(source, start + timeout)
        elapsed = time.monotonic() - start
    finally:
        source.close()
    if frame is None:
        return Check(
            CAMERA,
            False,
            f"{source.name}: no frame within {timeout:.0f} s",
            code="camera_no_frame",
            values={"camera": source.name, "seconds": f"{timeout:.0f}"},
        )
    height, width = frame.image.shape[:2]
    values = {
        "camera": source.name,
        "width": str(width),
        "height": str(height),
        "ms": f"{elapsed * 1000:.0f}",
    }
    detail = f"{source.name}: first frame {width}x{height} after {elapsed * 1000:.0f} ms"
    if spec == SYNTHETIC:
        detail += " (note: the synthetic demo camera, not a real one)"
        return Check(CAMERA, True, detail, code="camera_ok_synthetic", values=values)
    return Check(CAMERA, True, detail, code="camera_ok", values=values)


def _check_decoder(settings: Settings) -> Check:
    decoder = make_decoder(settings.decoder)
    start = time.perf_counter()
    found = decoder.decode(probe_image())
    elapsed = (time.perf_counter() - start) * 1000
    if found != [PROBE_TEXT.encode()]:
        return Check(
            DECODER,
            False,
            f"{decoder.name} did not read a clean test QR code",
            code="decoder_failed",
            values={"decoder": decoder.name},
        )
    values = {"decoder": decoder.name, "ms": f"{elapsed:.1f}"}
    detail = f"{decoder.name} read a test QR code in {elapsed:.1f} ms"
    if settings.decoder not in (AUTO, decoder.name):
        detail += f" (note: {settings.decoder} is configured but cannot load)"
        values["configured"] = settings.decoder
        return Check(DECODER, True, detail, code="decoder_ok_fallback", values=values)
    return Check(DECODER, True, detail, code="decoder_ok", values=values)


def _age(delta: timedelta) -> str:
    number, unit = _age_parts(delta)
    return f"{number} {unit}"


def _age_parts(delta: timedelta) -> tuple[str, str]:
    """An age as a number and its unit: ``min``, ``h`` or ``days``."""
    seconds = delta.total_seconds()
    if seconds < 3600:
        return f"{max(seconds, 0) / 60:.0f}", "min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f}", "h"
    return f"{seconds / 86400:.0f}", "days"


def _check_trust(paths: Paths, settings: Settings, now: datetime, demo: bool) -> Check:
    installed = InstalledTrust(paths.trust)
    root = installed.root()
    if root is None:
        if demo:
            return Check(
                TRUST, True, "demo trust data (note: no city root key pinned)", code="trust_demo"
            )
        return Check(
            TRUST, False, "no city root key pinned: pin the city's root key", code="trust_no_root"
        )
    bundle = installed.load()
    if bundle is None:
        return Check(
            TRUST,
            False,
            f"root key {root.kid.hex()} pinned, but no trust bundle installed: "
            "every card is red until one is (sync, or import a bundle file)",
            code="trust_no_bundle",
            values={"kid": root.kid.hex()},
        )
    # (code, English): the codes go in the check's "problems" value, comma-separated.
    problems: list[tuple[str, str]] = []
    age = now - bundle.issued_at
    if age > TRUST_STALE_AFTER:
        problems.append(
            (
                "trust_stale",
                f"the bundle is {_age(age)} old (more than {TRUST_STALE_AFTER.days} days)",
            )
        )
    if age < -timedelta(hours=1):
        problems.append(
            ("trust_future", "the bundle was issued in the future: is the clock behind?")
        )
    if not len(bundle.trust):
        problems.append(("trust_no_issuer", "the bundle trusts no issuer key"))
    rule_set = bundle.rules.in_force(now)
    if rule_set is None:
        problems.append(("trust_no_rules", "no rule set is in force now"))
    category = settings.venue_category
    if category is not None and category not in bundle.venues:
        problems.append(
            ("trust_unknown_category", f"the venue category {category!r} is not in the bundle")
        )
    rules = rule_set.version if rule_set else "none"
    summary = (
        f"bundle version {bundle.version}, issued {_age(age)} ago, "
        f"{len(bundle.trust)} issuer key(s), rules {rules} in force"
    )
    number, unit = _age_parts(age)
    values = {
        "version": str(bundle.version),
        "age": number,
        "age_unit": unit,
        "issuers": str(len(bundle.trust)),
        "rules": str(rule_set.version) if rule_set else "",
    }
    if problems:
        values |= {
            "problems": ",".join(code for code, _ in problems),
            "stale_days": str(TRUST_STALE_AFTER.days),
            "category": category or "",
        }
        detail = "; ".join(text for _, text in problems) + f" ({summary})"
        return Check(TRUST, False, detail, code="trust_problems", values=values)
    return Check(TRUST, True, summary, code="bundle_ok", values=values)


def _check_database(paths: Paths, min_free_bytes: int, timeout: float) -> Check:
    # No record is written, so the log's kiosk and venue ids do not matter here.
    log = CheckInLog.open(paths.data, kiosk_id="self-test", venue_id="self-test")
    try:
        records = log.count()
        path = log.path
        problem, problem_code = log.problem, log.problem_code
    finally:
        log.close()
    if problem is not None:  # damaged, rolled back or replaced: never "ok, 0 check-ins"
        return Check(
            DATABASE,
            False,
            problem,
            code="database_damaged",
            values={"file": path.name, "problem": problem_code or "damaged"},
        )
    # A probe table written and read in a transaction that is then rolled back: proves
    # the file takes writes (lock, disk, permissions) without touching the check-in table.
    probe = secrets.token_hex(8)
    connection = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            connection.execute("CREATE TABLE selftest_probe (token TEXT NOT NULL)")
            connection.execute("INSERT INTO selftest_probe VALUES (?)", (probe,))
            row = connection.execute("SELECT token FROM selftest_probe").fetchone()
        finally:
            connection.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return Check(
            DATABASE,
            False,
            f"{path.name} cannot be written: {exc}",
            code="database_unwritable",
            values={"file": path.name, "error": str(exc)},
        )
    finally:
        connection.close()
    if row != (probe,):
        return Check(
            DATABASE,
            False,
            f"{path.name}: a written probe did not read back",
            code="database_readback_failed",
            values={"file": path.name},
        )
    free = shutil.disk_usage(path.parent).free
    values = {"file": path.name, "records": str(records), "free_mib": str(free >> 20)}
    detail = f"{path.name}: {records} check-in(s), write and read back ok; {free >> 20} MiB free"
    if free < min_free_bytes:
        values["min_mib"] = str(min_free_bytes >> 20)
        return Check(
            DATABASE,
            False,
            f"{detail}: below {min_free_bytes >> 20} MiB",
            code="database_low_space",
            values=values,
        )
    return Check(DATABASE, True, detail, code="database_ok", values=values)


def _check_platform_and_clock(
    paths: Paths, clock: Clock, timeout: float, demo: bool
) -> list[Check]:
    now = clock()
    sane = 2021 <= now.year < 2100
    year_note = f"the year {now.year} looks {'right' if sane else 'WRONG'}"
    year = {"year": str(now.year), "year_ok": "yes" if sane else "no"}
    enrollment = Enrollment.load(_enrollment_path(paths))
    if enrollment is None:
        platform = (
            Check(PLATFORM, True, "demo: no platform (note: not enrolled)", code="platform_demo")
            if demo
            else Check(
                PLATFORM,
                False,
                "not enrolled with a city platform: enroll first",
                code="platform_not_enrolled",
            )
        )
        clock_check = Check(
            CLOCK,
            sane,
            f"not measured (not enrolled); {year_note}",
            code="clock_not_enrolled",
            values=year,
        )
        return [clock_check, platform]
    client = PlatformClient(
        enrollment.platform_url, timeout=timeout, wall_clock=lambda: clock().timestamp()
    )
    answer: ServerTime | None = None
    try:
        answer = client.server_time()
    except SyncError as exc:
        platform = Check(
            PLATFORM,
            False,
            f"{enrollment.platform_url} unreachable: {exc}",
            code="platform_unreachable",
            values={"url": enrollment.platform_url, "error": str(exc)},
        )
    finally:
        client.close()
    if answer is None:
        clock_check = Check(
            CLOCK,
            sane,
            f"not measured (platform unreachable); {year_note}",
            code="clock_platform_unreachable",
            values=year,
        )
        return [clock_check, platform]
    round_trip = answer.received_ms - answer.sent_ms
    platform = Check(
        PLATFORM,
        True,
        f"{enrollment.platform_url} answered GET /v1/time in {round_trip} ms",
        code="platform_ok",
        values={"url": enrollment.platform_url, "ms": str(round_trip)},
    )
    drift = answer.drift_ms / 1000
    behind = drift > 0
    ahead = f"{abs(drift):.1f} s {'behind' if behind else 'ahead of'} the platform's clock"
    values = {"seconds": f"{abs(drift):.1f}"}
    if abs(answer.drift_ms) > DRIFT_WARNING_MS:
        limit = DRIFT_WARNING_MS // 1000
        values["limit"] = str(limit)
        clock_check = Check(
            CLOCK,
            False,
            f"{ahead} (more than {limit} s: cards are judged on this clock)",
            code="clock_drift_behind" if behind else "clock_drift_ahead",
            values=values,
        )
    else:
        clock_check = Check(
            CLOCK, True, ahead, code="clock_behind" if behind else "clock_ahead", values=values
        )
    return [clock_check, platform]


class SoundOutput(Protocol):
    """What the sound check needs of the app's sound player (``kiosk.ui.sound.PlayerSound``,
    which this layer may not import): make its sound files, and say whether a player
    program exists."""

    @property
    def available(self) -> bool: ...

    def prepare(self) -> None: ...


def sound_dir(paths: Paths) -> Path:
    """Where the app keeps its generated sound files (``kiosk.ui.app`` uses the same)."""
    return paths.data / "sounds"


_ALSA_CARD: Final = re.compile(r"^\s*\d+\s+\[", re.MULTILINE)


def audio_outputs(
    *,
    cards: Path = Path("/proc/asound/cards"),
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """The audio outputs a player could use: ALSA sound cards, a PulseAudio or PipeWire
    server (its socket, or ``PULSE_SERVER``). Empty on a machine without sound."""
    env = os.environ if environ is None else environ
    found = []
    try:
        count = len(_ALSA_CARD.findall(cards.read_text("utf-8", "replace")))
    except OSError:
        count = 0
    if count:
        found.append(f"{count} ALSA sound card(s)")
    if env.get("PULSE_SERVER"):
        found.append(f"PulseAudio server {env['PULSE_SERVER']}")
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime:
        if (Path(runtime) / "pulse" / "native").exists():
            found.append("PulseAudio server")
        if (Path(runtime) / "pipewire-0").exists():
            found.append("PipeWire server")
    return found


def _valid_wav(path: Path) -> bool:
    try:
        with wave.open(str(path), "rb") as sound:
            return (
                sound.getsampwidth() == 2 and sound.getnchannels() >= 1 and sound.getnframes() > 0
            )
    except (OSError, EOFError, wave.Error):
        return False


def _check_sound(
    directory: Path, sound: SoundOutput | None, outputs: Callable[[], list[str]]
) -> Check:
    if sound is None:
        return Check(
            SOUND,
            True,
            "not checked (no sound player given)",
            warning=True,
            code="sound_not_checked",
        )
    sound.prepare()  # writes what is missing; logs (never raises) what it cannot write
    files = sorted(directory.glob("*.wav"))
    if not files:
        return Check(
            SOUND,
            False,
            f"the sound files cannot be written to {directory}",
            code="sound_unwritable",
            values={"directory": str(directory)},
        )
    bad = [path.name for path in files if not _valid_wav(path)]
    if bad:
        return Check(
            SOUND,
            False,
            f"not valid sound files: {', '.join(bad)} (in {directory})",
            code="sound_invalid_files",
            values={"files": ", ".join(bad), "directory": str(directory)},
        )
    made = f"{len(files)} sound files ok"
    values = {"count": str(len(files))}
    if not sound.available:
        return Check(
            SOUND,
            True,
            f"{made}, but no aplay or paplay: the kiosk is silent (apt-get install alsa-utils)",
            warning=True,
            code="sound_no_player",
            values=values,
        )
    found = outputs()
    if not found:
        return Check(
            SOUND,
            True,
            f"{made}, but no audio output (no ALSA sound card, no PulseAudio or PipeWire "
            "server): the kiosk is silent",
            warning=True,
            code="sound_no_output",
            values=values,
        )
    values["outputs"] = ", ".join(found)
    return Check(
        SOUND, True, f"{made}; audio output: {', '.join(found)}", code="sound_ok", values=values
    )


def _check_manager_pin(paths: Paths) -> Check:
    pins = PinStore.at(paths)
    try:
        if not pins.is_set():
            return Check(
                MANAGER_PIN,
                True,
                "not set: the manager view stays closed until one is (kiosk pin set)",
                warning=True,
                code="pin_not_set",
            )
        until = pins.locked_until()
    except StoreError as exc:
        return Check(
            MANAGER_PIN,
            False,
            f"{exc}: set a new one (kiosk pin reset, kiosk pin set)",
            code="pin_unreadable",
            values={"error": str(exc)},
        )
    if until is not None:
        when = until.astimezone(UTC).strftime("%H:%M UTC")
        return Check(
            MANAGER_PIN,
            True,
            f"set; locked after wrong PINs until {when}",
            warning=True,
            code="pin_locked",
            values={"until": when},
        )
    return Check(MANAGER_PIN, True, "set", code="pin_set")


def _guarded(names: Sequence[str], probe: Callable[[], list[Check]]) -> list[Check]:
    """Run one probe; whatever it raises becomes failed checks."""
    try:
        return probe()
    except KioskError as exc:
        return [
            Check(name, False, str(exc), code="check_error", values={"error": str(exc)})
            for name in names
        ]
    except Exception as exc:  # a self-test reports, it never crashes
        logger.exception("self-test of %s crashed", ", ".join(names))
        error = f"{type(exc).__name__}: {exc}"
        return [
            Check(
                name,
                False,
                f"internal error: {error}",
                code="internal_error",
                values={"error": error},
            )
            for name in names
        ]


def self_test(
    paths: Paths,
    settings: Settings | None = None,
    *,
    clock: Clock = _utc_now,
    demo: bool = False,
    timeout: float = CHECK_TIMEOUT,
    min_free_bytes: int = MIN_FREE_BYTES,
    sound: SoundOutput | None = None,
    audio: Callable[[], list[str]] = audio_outputs,
) -> SelfTestReport:
    """Check camera, decoder, trust data, clock, database, platform, sound and manager
    PIN; never raises. ``sound``: the app's player (its files are made in
    :func:`sound_dir`); ``audio``: lists the audio outputs (a seam for tests).

    The checks run side by side, each in a thread of its own; each waits at most
    ``timeout`` for a device or the network, and one that has not answered by
    ``2 * timeout + 1`` seconds is reported as hanging (its thread is left behind).
    ``demo``: a kiosk without platform or pinned root, where neither is a failure."""
    settings = settings if settings is not None else _settings_or_default(paths)
    now = clock()
    probes: list[tuple[Sequence[str], Callable[[], list[Check]]]] = [
        ((CAMERA,), lambda: [_check_camera(paths, settings, timeout, demo)]),
        ((DECODER,), lambda: [_check_decoder(settings)]),
        ((TRUST,), lambda: [_check_trust(paths, settings, now, demo)]),
        ((DATABASE,), lambda: [_check_database(paths, min_free_bytes, timeout)]),
        ((CLOCK, PLATFORM), lambda: _check_platform_and_clock(paths, clock, timeout, demo)),
        ((SOUND,), lambda: [_check_sound(sound_dir(paths), sound, audio)]),
        ((MANAGER_PIN,), lambda: [_check_manager_pin(paths)]),
    ]
    results: dict[str, Check] = {}
    threads = []
    for names, probe in probes:

        def run(names: Sequence[str] = names, probe: Callable[[], list[Check]] = probe) -> None:
            for check in _guarded(names, probe):
                results[check.name] = check

        thread = threading.Thread(target=run, name=f"selftest-{names[0]}", daemon=True)
        thread.start()
        threads.append(thread)
    deadline = time.monotonic() + 2 * timeout + 1
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    seconds = f"{2 * timeout + 1:.0f}"
    hung = f"no answer within {seconds} s (hanging)"
    checks = tuple(
        results.get(name)
        or Check(name, False, hung, code="check_hung", values={"seconds": seconds})
        for name in CHECKS
    )
    return SelfTestReport(now, checks)


def _settings_or_default(paths: Paths) -> Settings:
    try:
        return Settings.load(paths)
    except KioskError:
        logger.warning("settings unreadable; self-testing the defaults", exc_info=True)
        return Settings()
