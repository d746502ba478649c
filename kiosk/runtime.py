"""The running kiosk, Qt-free: what the app (and the headless commands) are made of.

Built from ``Paths`` and ``Settings``: the trust data (reloaded when a new bundle is
installed), the check-in log, the station, the scan loop and the sync worker, and the
status the guard's strip shows. The Qt app only wraps this in threads and widgets.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final

from kiosk import pipeline
from kiosk.config import Settings
from kiosk.demo import demo_kit, entrance_cards
from kiosk.domain import CITY_TZ, Verdict
from kiosk.paths import Paths
from kiosk.policy import VenueCategory
from kiosk.scanner.decoders import QrDecoder, make_decoder
from kiosk.scanner.loop import Debouncer, FrameTiming, ScanEvent, ScanLoop
from kiosk.scanner.select import open_frame_source
from kiosk.scanner.sources import Frame, FrameSource, SourceState
from kiosk.station import CheckInResult, Station
from kiosk.store.log import DEMO, LOCAL, CheckInLog, DayCounts
from kiosk.sync.client import PlatformClient
from kiosk.sync.device import Enrollment, device_key
from kiosk.sync.worker import SyncState, SyncWorker
from kiosk.trustdata import TrustData, load_trust
from kiosk.verify.bundle import TrustBundle
from kiosk.verify.installed import InstalledTrust

logger = logging.getLogger(__name__)

#: The demo camera: each visitor holds the card up this long, and the next steps up this
#: long after the longest decision (a red one) has gone from the screen.
DEMO_CARD_SECONDS: Final = 2.0
DEMO_PAUSE_SECONDS: Final = 1.5


#: Trust data older than this is flagged on the status strip.
TRUST_STALE_AFTER: Final = timedelta(days=7)


class Network(enum.StrEnum):
    """Where the kiosk stands with its platform, as the status strip tells it."""

    NOT_ENROLLED = "not_enrolled"  # no platform to be online with
    CONNECTING = "connecting"  # enrolled, and no sync attempt has ended yet
    ONLINE = "online"  # the last attempt succeeded
    OFFLINE = "offline"  # the last attempt failed (``last_error`` says why)


class VenueProblem(enum.StrEnum):
    """Why a provisioned kiosk refuses every card: its venue category (fail closed)."""

    UNSET = "venue_unset"  # no category in the settings
    UNKNOWN = "venue_unknown"  # a category the trust data does not know


@dataclass(frozen=True, slots=True)
class KioskStatus:
    """What the guard's status strip shows (worded by :mod:`kiosk.ui.stripview`)."""

    network: Network
    waiting: int
    last_sync: datetime | None
    last_error: str | None
    trust_source: str
    trust_age: timedelta | None
    #: The trust data is old or missing (not: the venue is wrong, see ``venue_problem``).
    trust_stale: bool
    drift_seconds: float | None
    drift_warning: bool
    camera: SourceState
    #: Today's check-ins: people (a returning card is not another person) and scans.
    today: DayCounts
    venue_problem: VenueProblem | None = None
    #: The venue category of the settings, for ``VenueProblem.UNKNOWN``'s words.
    venue_category: str | None = None
    #: Records quarantined because they cannot be read (never sent): a technician's job.
    damaged: int = 0
    #: The check-in log as found at start: ``damaged``, ``shrunk``, ``replaced`` or
    #: ``mark_damaged`` (kiosk.store.log), None when nothing is wrong.
    log_problem: str | None = None


def network_of(state: SyncState, *, enrolled: bool) -> Network:
    """Offline only once an attempt has failed: a fresh kiosk is still connecting."""
    if not enrolled:
        return Network.NOT_ENROLLED
    if state.last_error is not None:
        return Network.OFFLINE
    return Network.ONLINE if state.last_success is not None else Network.CONNECTING


def _parse(moment: str | None) -> datetime | None:
    return datetime.fromisoformat(moment) if moment else None


def log_owner(enrollment: Enrollment | None, *, demo: bool) -> dict[str, str]:
    """Whose check-ins the log records: ``demo`` when judged with the demo's keys (never
    uploaded, even by an enrolled kiosk whose root key went missing); else the enrolled
    kiosk's; before enrollment ``local`` (adopted at enrollment)."""
    if demo:
        return {"kiosk_id": DEMO, "venue_id": DEMO}
    if enrollment is not None:
        return {"kiosk_id": enrollment.kiosk_id, "venue_id": enrollment.venue_id}
    return {"kiosk_id": LOCAL, "venue_id": LOCAL}


class KioskRuntime:
    def __init__(
        self,
        paths: Paths,
        settings: Settings | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.paths = paths
        self.settings = settings or Settings.load(paths)
        self.clock = clock
        self.enrollment = Enrollment.load(paths.data / "enrollment.json")
        self.trust = load_trust(paths, clock())
        self.log = CheckInLog.open(paths.data, **log_owner(self.enrollment, demo=self.trust.demo))
        if self.enrollment is not None and not self.trust.demo:
            self.log.adopt(self.enrollment.kiosk_id, self.enrollment.venue_id)
        self._trust_lock = threading.Lock()
        self.venue_problem: VenueProblem | None = None
        self._context = self._make_context(self.trust)
        self.station = Station(
            self.context,
            self.log,
            clock,
            reentry_window=timedelta(minutes=self.settings.reentry_minutes),
        )
        self.camera_state = SourceState.STARTING
        self._loop_generation = 0

    def provisioning_stamp(self) -> tuple[tuple[str, int], ...]:
        """What provisioning writes, by modification time: settings, enrollment and trust
        data. A change made while the app runs (``kiosk provision`` in a terminal) shows
        as a new stamp, and the app applies it (:meth:`reload`)."""
        files = [self.paths.config / "kiosk.json", self.paths.data / "enrollment.json"]
        if self.paths.trust.is_dir():
            files.extend(sorted(self.paths.trust.iterdir()))
        stamp = []
        for path in files:
            try:
                stamp.append((path.name, path.stat().st_mtime_ns))
            except OSError:
                continue
        return tuple(stamp)

    def reload(self) -> None:
        """After provisioning: settings, enrollment and trust data as they are now on disk."""
        self.settings = Settings.load(self.paths)
        self.enrollment = Enrollment.load(self.paths.data / "enrollment.json")
        self.reload_trust()
        owner = log_owner(self.enrollment, demo=self.trust.demo)
        if self.enrollment is not None and not self.trust.demo:
            adopted = self.log.adopt(owner["kiosk_id"], owner["venue_id"])
            if adopted:
                logger.info("%d check-ins made before enrollment now belong to it", adopted)
        else:
            self.log.kiosk_id, self.log.venue_id = owner["kiosk_id"], owner["venue_id"]
        self.station = Station(
            self.context,
            self.log,
            self.clock,
            reentry_window=timedelta(minutes=self.settings.reentry_minutes),
            recorded=self.station.recorded,
        )

    # -- trust ---------------------------------------------------------------------

    def _make_context(self, data: TrustData) -> pipeline.Context:
        return pipeline.Context(
            data.trust, data.rules, data.revocations, self._venue(data), data.venues
        )

    def _venue(self, data: TrustData) -> VenueCategory | None:
        """The venue's admission policy. A provisioned kiosk whose category is unset or
        unknown to its trust data admits nobody (fail closed) and says so on the strip."""
        code = self.settings.venue_category
        venue = data.venues.get(code or "")
        self.venue_problem = None
        if venue is None and data.provisioned:
            self.venue_problem = VenueProblem.UNKNOWN if code else VenueProblem.UNSET
            logger.error(
                "venue category %r %s: every card is refused",
                code,
                "is not in the trust data" if code else "is not set",
            )
            return VenueCategory(code or "unset", frozenset(), {})
        return venue

    def context(self) -> pipeline.Context:
        with self._trust_lock:
            return self._context

    def reload_trust(self, _bundle: TrustBundle | None = None) -> None:
        """After a new bundle was installed (sync, USB): judge with it from now on."""
        data = load_trust(self.paths, self.clock())
        with self._trust_lock:
            self.trust = data
            self._context = self._make_context(data)
        logger.info("trust data reloaded: %s", data.source)

    # -- scanning ------------------------------------------------------------------

    def demo_texts(self) -> list[str]:
        """What the demo camera shows: one card per person, a realistic mix."""
        return [card.text for card in entrance_cards(demo_kit(self.paths), self.clock())]

    def frame_source(self, *, realtime: bool = True) -> FrameSource:
        spec = self.settings.camera
        return open_frame_source(
            spec,
            resolution=(self.settings.camera_width, self.settings.camera_height),
            demo_texts=self.demo_texts() if spec == "synthetic" else (),
            # The next demo visitor steps up after the longest decision has been read.
            demo_pace=(
                DEMO_CARD_SECONDS,
                self.settings.shown_seconds(red=True) + DEMO_PAUSE_SECONDS - DEMO_CARD_SECONDS,
            ),
            realtime=realtime,
        )

    def decoder(self) -> QrDecoder:
        return make_decoder(self.settings.decoder)

    def scan_loop(
        self,
        source: FrameSource,
        *,
        on_event: Callable[[ScanEvent[CheckInResult]], None] | None = None,
        on_frame: Callable[[Frame, FrameTiming], None] | None = None,
        on_state: Callable[[SourceState], None] | None = None,
    ) -> ScanLoop[CheckInResult]:
        """A new loop for ``source``; the camera state is its from now on: a loop stopped
        before (whose thread may still be ending) no longer speaks for the camera."""
        self._loop_generation += 1
        generation = self._loop_generation
        self.camera_state = SourceState.STARTING

        def state_changed(state: SourceState) -> None:
            if generation != self._loop_generation:
                return
            self.camera_state = state
            if on_state is not None:
                on_state(state)

        return ScanLoop(
            source,
            self.decoder(),
            self.station.check_in,
            debouncer=Debouncer(self.settings.debounce_seconds),
            on_event=on_event,
            on_frame=on_frame,
            on_state=state_changed,
        )

    # -- sync ----------------------------------------------------------------------

    def sync_worker(self, *, timeout: float = 10.0) -> SyncWorker | None:
        """None when the kiosk is not enrolled with a platform."""
        if self.enrollment is None:
            return None
        client = PlatformClient(
            self.enrollment.platform_url,
            key=device_key(self.paths.data / "keys"),
            kiosk_id=self.enrollment.kiosk_id,
            timeout=timeout,
        )
        return SyncWorker(
            self.log,
            client,
            self.paths.data / "sync-state.json",
            trust=InstalledTrust(self.paths.trust),
            on_bundle=self.reload_trust,
        )

    # -- status --------------------------------------------------------------------

    def _day(self) -> tuple[datetime, datetime]:
        now = self.clock().astimezone(CITY_TZ)
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return start, start + timedelta(days=1)

    def today(self) -> dict[Verdict, int]:
        """Today's check-ins per verdict (every scan counts; see :meth:`today_counts`)."""
        return self.log.counts(*self._day())

    def today_counts(self) -> DayCounts:
        """Today's people per verdict (a returning card is not another person) and scans."""
        return self.log.people(*self._day())

    def status(self) -> KioskStatus:
        state = SyncState.load(self.paths.data / "sync-state.json")
        now = self.clock()
        issued = self.trust.issued_at
        age = now - issued if issued else None
        return KioskStatus(
            network=network_of(state, enrolled=self.enrollment is not None),
            waiting=self.log.queue_length(),
            damaged=self.log.damaged_count(),
            log_problem=self.log.problem_code,
            last_sync=_parse(state.last_success),
            last_error=state.last_error,
            trust_source=self.trust.source,
            trust_age=age,
            trust_stale=(age is not None and age > TRUST_STALE_AFTER and not self.trust.demo)
            or (self.trust.provisioned and self.trust.bundle is None),
            drift_seconds=None if state.drift_ms is None else state.drift_ms / 1000,
            drift_warning=state.drift_warning,
            camera=self.camera_state,
            today=self.today_counts(),
            venue_problem=self.venue_problem,
            venue_category=self.settings.venue_category or None,
        )

    def close(self) -> None:
        self.log.close()
