"""The sync worker: drains the check-in outbox, pulls bundles, measures clock drift.

Nothing is lost: a record leaves the outbox only when the platform acknowledges its
uuid, and is deleted only a retention period later. Nothing is duplicated: uploads are
idempotent by uuid, so a batch resent after a lost reply is acknowledged, not stored
twice. Failures back off exponentially with jitter, or as long as ``Retry-After`` says.
State lives in the database and ``sync-state.json``, so a restart resumes.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from kiosk.errors import BundleError, RetryLater, StoreError, SyncError, SyncRejected
from kiosk.fileio import write_atomic
from kiosk.store.log import CheckInLog
from kiosk.sync.client import PlatformClient
from kiosk.verify.bundle import TrustBundle
from kiosk.verify.installed import InstalledTrust, InstallOutcome

logger = logging.getLogger(__name__)

BATCH: Final = 500
#: Between passes when all went well.
INTERVAL: Final = 30.0
BACKOFF_BASE: Final = 1.0
BACKOFF_CAP: Final = 300.0
#: What a pass says of a platform that publishes no bundle at all (never "up to date").
NO_BUNDLE_PUBLISHED: Final = "the platform publishes no trust bundle yet"
#: The guard is warned past this much clock drift (cards are judged on our clock).
DRIFT_WARNING_MS: Final = 120_000


@dataclass(frozen=True, slots=True)
class SyncState:
    last_attempt: str | None = None
    last_success: str | None = None
    last_error: str | None = None
    drift_ms: int | None = None
    bundle_version: int | None = None
    failures: int = 0

    @classmethod
    def load(cls, path: Path) -> SyncState:
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            raw = None
        state = cls(**raw) if isinstance(raw, dict) and set(raw) <= _STATE_FIELDS else None
        if state is None or not state.well_formed():
            logger.warning("%s is unreadable; starting a fresh sync state", path)
            return cls()
        return state

    def well_formed(self) -> bool:
        texts = (self.last_attempt, self.last_success, self.last_error)
        numbers = (self.drift_ms, self.bundle_version)
        try:
            for moment in (self.last_attempt, self.last_success):
                if moment is not None:
                    datetime.fromisoformat(moment)
        except (TypeError, ValueError):
            return False
        return (
            all(t is None or isinstance(t, str) for t in texts)
            and all(n is None or type(n) is int for n in numbers)
            and type(self.failures) is int
        )

    def save(self, path: Path) -> None:
        write_atomic(path, (json.dumps(asdict(self), indent=2) + "\n").encode())

    @property
    def drift_warning(self) -> bool:
        return self.drift_ms is not None and abs(self.drift_ms) > DRIFT_WARNING_MS


_STATE_FIELDS: Final = frozenset(
    {"last_attempt", "last_success", "last_error", "drift_ms", "bundle_version", "failures"}
)


@dataclass(frozen=True, slots=True)
class SyncReport:
    uploaded: int = 0
    duplicates: int = 0
    refused: int = 0
    remaining: int = 0
    bundle: str = ""
    drift_ms: int | None = None
    error: str | None = None
    retry_after: float | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.error is None


class SyncWorker:
    def __init__(
        self,
        log: CheckInLog,
        client: PlatformClient,
        state_path: Path,
        *,
        trust: InstalledTrust | None = None,
        on_bundle: Callable[[TrustBundle], None] | None = None,
        batch: int = BATCH,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
    ) -> None:
        self._log = log
        self._client = client
        self._state_path = state_path
        self._trust = trust
        self._on_bundle = on_bundle
        self._batch = batch
        self._clock = wall_clock
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self.state = SyncState.load(state_path)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), UTC)

    # -- one pass ----------------------------------------------------------------------

    def _drain(self) -> tuple[int, int, int]:
        uploaded = duplicates = refused = 0
        while records := self._log.unsynced(self._batch):
            sent = {record.uuid for record in records}
            try:
                ack = self._client.upload([record.wire() for record in records])
            except SyncRejected as exc:
                if exc.index is None or not 0 <= exc.index < len(records):
                    raise
                bad = records[exc.index]
                logger.error("platform refused record %s: %s", bad.uuid, exc.code)
                self._log.mark_refused(bad.uuid, f"{exc.code}: {exc}")
                refused += 1
                continue
            acknowledged = [u for u in ack.uuids if u in sent]
            self._log.mark_synced(acknowledged, self._now())
            # A uuid another kiosk already holds: this record was NOT stored. It goes
            # again under a new uuid; the original stays in the log, flagged, for audit.
            resent = [u for u in ack.conflicts if u in sent]
            for conflicting in resent:
                new = self._log.reissue(conflicting)
                logger.warning("uuid %s is another kiosk's: resending as %s", conflicting, new)
            uploaded += ack.stored
            duplicates += ack.duplicates
            if not acknowledged and not resent:
                raise RetryLater("the platform acknowledged none of the records sent")
        return uploaded, duplicates, refused

    def _pull_bundle(self) -> str:
        if self._trust is None or self._trust.root() is None:
            return "no pinned root: bundles not pulled"
        reply = self._client.bundle(self._trust.highest_version())
        if not reply.published:
            return NO_BUNDLE_PUBLISHED
        data = reply.data
        if data is None:
            return "bundle up to date"
        try:
            outcome, bundle = self._trust.install(data)
        except BundleError as exc:  # keep the bundle we have; say why
            logger.error("refused a bundle from the platform: %s", exc)
            return f"bundle refused: {exc}"
        if outcome is InstallOutcome.INSTALLED and self._on_bundle is not None:
            self._on_bundle(bundle)
        self.state = replace(self.state, bundle_version=bundle.version)
        return f"bundle version {bundle.version} {outcome.value}"

    def sync_once(self) -> SyncReport:
        """One pass: upload everything waiting, pull a newer bundle, measure drift."""
        now = self._now().isoformat(timespec="seconds")
        self.state = replace(self.state, last_attempt=now)
        uploaded = duplicates = refused = 0
        try:
            uploaded, duplicates, refused = self._drain()
            bundle_note = self._pull_bundle()
            drift = self._client.server_time().drift_ms
        except (SyncError, StoreError) as exc:
            retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
            if isinstance(exc, SyncRejected) and exc.code == "stale_timestamp":
                self._measure_drift()  # our clock is off: say by how much
            self.state = replace(
                self.state, last_error=f"{now} {exc}", failures=self.state.failures + 1
            )
            self.state.save(self._state_path)
            logger.warning("sync failed: %s", exc)
            return SyncReport(
                uploaded,
                duplicates,
                refused,
                self._log.queue_length(),
                error=str(exc),
                retry_after=retry_after,
            )
        purged = self._log.purge(self._now())
        self.state = replace(
            self.state, last_success=now, last_error=None, drift_ms=drift, failures=0
        )
        self.state.save(self._state_path)
        notes = (f"purged {purged} records synced over the retention period",) if purged else ()
        return SyncReport(
            uploaded,
            duplicates,
            refused,
            self._log.queue_length(),
            bundle=bundle_note,
            drift_ms=drift,
            notes=notes,
        )

    def _measure_drift(self) -> None:
        try:
            drift = self._client.server_time().drift_ms
        except SyncError:
            return
        self.state = replace(self.state, drift_ms=drift)

    # -- forever -----------------------------------------------------------------------

    def delay_after(self, report: SyncReport) -> float:
        """Seconds to wait before the next pass."""
        if report.ok:
            return INTERVAL
        if report.retry_after is not None:
            return report.retry_after
        ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** min(self.state.failures - 1, 20))
        return self._rng.uniform(ceiling / 2, ceiling)  # "equal jitter": never 0, never > cap

    def run(self, stop: threading.Event, wake: threading.Event | None = None) -> None:
        """Pass after pass until ``stop``; ``wake`` (set when a check-in is recorded)
        cuts a quiet wait short so new records go out promptly."""
        while not stop.is_set():
            try:
                report = self.sync_once()
            except Exception:  # a bug must not kill the worker; the records are safe
                logger.exception("sync pass crashed")
                report = SyncReport(error="internal error")
                self.state = replace(self.state, failures=self.state.failures + 1)
            delay = self.delay_after(report)
            if wake is None:
                stop.wait(delay)
                continue
            deadline = time.monotonic() + delay
            while not stop.is_set() and time.monotonic() < deadline:
                if wake.wait(min(1.0, max(0.0, deadline - time.monotonic()))):
                    wake.clear()  # always: a set event must not make this loop spin
                    if report.ok:
                        break  # a new check-in: send it now; after a failure, back off
