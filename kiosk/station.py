"""The check-in station: the one place where a decision becomes a recorded check-in.

``check_in(payload)`` judges the payload (the pipeline) and commits the decision to the
log before returning it, so whatever shows a decision shows a recorded one. When the
log cannot record (disk full), the result says so and carries no admission.
"""

from __future__ import annotations

import enum
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.domain import Reason
from kiosk.errors import StoreError
from kiosk.store.log import CheckIn, CheckInLog, manual_admission_problems

logger = logging.getLogger(__name__)

#: Check-ins this recent don't make a card "returning" (it is still being held up).
RECENT = timedelta(minutes=1)


class NotRecorded(enum.StrEnum):
    """Why a check-in was not recorded, as a code: the screen words it in its language
    (``error`` keeps the store's English message for the log and the manager)."""

    DISK_FULL = "disk_full"
    LOG_FAILED = "log_failed"
    NO_LOG = "no_log"


def not_recorded(exc: StoreError) -> NotRecorded:
    """The code of a store failure: a full disk (SQLite's SQLITE_FULL, anywhere in the
    chain of causes) or any other failure of the log."""
    seen: BaseException | None = exc
    while seen is not None:
        if "disk is full" in str(seen):
            return NotRecorded.DISK_FULL
        seen = seen.__cause__ or seen.__context__
    return NotRecorded.LOG_FAILED


@dataclass(frozen=True, slots=True)
class CheckInResult:
    decision: Decision
    #: The committed record; ``None`` when nothing is recorded (no log, or it failed).
    record: CheckIn | None
    #: Why the decision could not be recorded; the screen must show this, not a verdict.
    error: str | None = None
    #: When this card last checked in here within the re-entry window (a returning card).
    returning_since: datetime | None = None
    #: ``error`` as a code, for words in the screen's language; set whenever ``error`` is.
    error_code: NotRecorded | None = None


class Station:
    def __init__(
        self,
        context: Callable[[], pipeline.Context],
        log: CheckInLog | None,
        clock: Callable[[], datetime],
        *,
        recorded: threading.Event | None = None,
        reentry_window: timedelta = timedelta(0),
    ) -> None:
        self._context = context
        self._log = log
        self._clock = clock
        self._reentry = reentry_window
        #: Set after every commit: wakes the sync worker.
        self.recorded = recorded or threading.Event()

    def check_in(self, payload: str | bytes) -> CheckInResult:
        decision = pipeline.process(payload, self._clock(), self._context())
        if self._log is None:
            return CheckInResult(decision, None)
        try:
            returning = None
            if self._reentry and decision.card is not None:
                # A card still held up (decided again after the debounce window) is not a
                # person coming back: only admissions over a minute ago count.
                returning = self._log.last_seen(
                    decision.card.card_id,
                    decision.at - self._reentry,
                    until=decision.at - RECENT,
                )
            record = self._log.record(decision, reentry=returning is not None)
        except StoreError as exc:
            logger.error("check-in not recorded: %s", exc)
            return CheckInResult(decision, None, str(exc), error_code=not_recorded(exc))
        self.recorded.set()
        return CheckInResult(decision, record, returning_since=returning)

    def admit_manually(self, reason: str, *, name: str, phone: str) -> CheckInResult:
        """A guard admitted someone on a paper certificate: recorded (and synced) as manual,
        green, reason ``manual_admission``; ``reason`` (required) says what was checked,
        ``name`` and ``phone`` (required: contact tracing must reach the person) who it was.

        Front ends check the input first with
        :func:`kiosk.store.log.manual_admission_problems` (and word its problems);
        input it refuses raises ValueError here.

        The in-memory decision is the kiosk's own view (no card verified); the record is
        what counts."""
        problems = manual_admission_problems(reason, name, phone)
        if problems:
            raise ValueError("manual admission refused: " + ", ".join(problems))
        decision = Decision(
            reason=Reason.NO_VALID_BASIS, at=self._clock(), detail="manual admission"
        )
        if self._log is None:
            return CheckInResult(decision, None, "no check-in log", error_code=NotRecorded.NO_LOG)
        try:
            record = self._log.record(
                decision,
                manual=True,
                manual_reason=reason,
                manual_name=name,
                manual_phone=phone,
            )
        except StoreError as exc:
            return CheckInResult(decision, None, str(exc), error_code=not_recorded(exc))
        self.recorded.set()
        return CheckInResult(decision, record)
