"""The scan loop: newest frame -> QR decode -> debounce -> pipeline, on worker threads.

Qt-free. One thread grabs frames and keeps only the newest (a camera that delivers
faster than we decode never builds a backlog of stale frames; dropped frames are
counted); one worker decodes, debounces and hands each new payload to ``handle`` (the
pipeline plus the check-in log), then reports the decision and the timing.
``process(frame)`` runs the same steps synchronously, for tests and benchmarks.

A SMART Health Card split over several QR codes (``shc:/1/3/…``) is assembled here, by
:class:`kiosk.formats.shc.ChunkAssembler`, before the pipeline sees it: the chunks may
be scanned in any order, and only the complete card is decided.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kiosk.formats.shc import ChunkAssembler
from kiosk.scanner.decoders import QrDecoder
from kiosk.scanner.sources import Frame, FrameSource, SourceState

logger = logging.getLogger(__name__)

T = TypeVar("T")


class Debouncer:
    """One decision per card while it is held in view; a new card at once.

    A card is decided again only after it has been out of sight for ``window`` seconds:
    every sighting restarts its window, so a card held up for a minute is one decision
    and one record, and a person who steps away and comes back is decided again.
    Remembers the last ``memory`` payloads, so two cards alternating in view each get
    one decision instead of one per frame.
    """

    def __init__(self, window: float = 5.0, memory: int = 32) -> None:
        if window < 0 or memory < 1:
            raise ValueError("window must be >= 0 and memory >= 1")
        self.window = window
        self._memory = memory
        self._last: OrderedDict[bytes, float] = OrderedDict()

    def admit(self, payload: bytes, now: float) -> bool:
        last = self._last.get(payload)
        self._last[payload] = now  # seen now: the window starts again
        self._last.move_to_end(payload)
        while len(self._last) > self._memory:
            self._last.popitem(last=False)
        return last is None or now - last >= self.window

    def forget(self) -> None:
        self._last.clear()


@dataclass(frozen=True, slots=True)
class FrameTiming:
    index: int
    #: Seconds from the frame's arrival to the end of QR decoding.
    decode: float
    #: Seconds from the frame's arrival until its payloads were decided (0 when none).
    total: float
    codes: int
    dropped_before: int


@dataclass(frozen=True, slots=True)
class ScanEvent(Generic[T]):
    payload: bytes
    result: T
    frame_index: int
    #: Seconds from the frame's arrival to the decision.
    latency: float


class _FrameSlot:
    """A one-frame mailbox between the grabber and the worker.

    Live sources (cameras): putting a frame replaces one not yet taken (newest frame
    wins, counted as dropped). Finite sources (video files, folders): putting waits
    until the worker took the previous frame, so every frame is decoded.
    """

    def __init__(self, *, lossless: bool) -> None:
        self._frame: Frame | None = None
        self._cond = threading.Condition()
        self._lossless = lossless
        self.dropped = 0

    def put(self, frame: Frame, stop: threading.Event) -> None:
        with self._cond:
            while self._lossless and self._frame is not None and not stop.is_set():
                self._cond.wait(0.1)
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._cond.notify_all()

    def take(self, timeout: float) -> Frame | None:
        with self._cond:
            if self._frame is None and timeout > 0:
                self._cond.wait(timeout)
            frame, self._frame = self._frame, None
            self._cond.notify_all()
            return frame


class ScanLoop(Generic[T]):
    def __init__(
        self,
        source: FrameSource,
        decoder: QrDecoder,
        handle: Callable[[bytes], T],
        *,
        debouncer: Debouncer | None = None,
        on_event: Callable[[ScanEvent[T]], None] | None = None,
        on_frame: Callable[[Frame, FrameTiming], None] | None = None,
        on_state: Callable[[SourceState], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        max_events: int | None = None,
        assembler: ChunkAssembler | None = None,
    ) -> None:
        self.source = source
        self.decoder = decoder
        self._handle = handle
        self.debouncer = debouncer or Debouncer()
        #: Holds the chunks of a multi-part SMART Health Card until all are read.
        self.assembler = assembler or ChunkAssembler()
        self._on_event = on_event
        self._on_frame = on_frame
        self._on_state = on_state
        self._clock = clock
        # Sources say whether they are live; a camera is, a file or folder is not.
        self._slot = _FrameSlot(lossless=not source.live)
        self._max_events = max_events
        self.events = 0
        #: Set when the loop has nothing more to do (finite source done, or max_events).
        self.finished = threading.Event()
        self._stop = threading.Event()
        self._payload_lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._last_state: SourceState | None = None
        self._dropped_reported = 0
        self.frames = 0
        self.decode_errors = 0

    # -- the steps, synchronously ------------------------------------------------------

    def process(self, frame: Frame) -> list[ScanEvent[T]]:
        """Decode one frame, debounce, hand new payloads on; return what was decided."""
        self.frames += 1
        try:
            payloads = self.decoder.decode(frame.image)
        except Exception:  # a decoder bug on one odd frame must not stop the kiosk
            self.decode_errors += 1
            logger.exception("decoder %s failed on frame %d", self.decoder.name, frame.index)
            payloads = []
        decoded_at = self._clock()
        events = []
        codes = list(dict.fromkeys(payloads))  # a frame may show one code twice
        for code in codes:
            if self.finished.is_set() or not self.debouncer.admit(code, decoded_at):
                continue
            payload = self.assembler.add(code, decoded_at)
            if payload is None:  # one chunk of a card in several parts: wait for the rest
                continue
            result = self._handle(payload)
            events.append(
                ScanEvent(payload, result, frame.index, self._clock() - frame.captured_at)
            )
            self.events += 1
            if self._max_events is not None and self.events >= self._max_events:
                self.finished.set()
        dropped = self._slot.dropped - self._dropped_reported
        self._dropped_reported = self._slot.dropped
        timing = FrameTiming(
            index=frame.index,
            decode=decoded_at - frame.captured_at,
            total=(self._clock() - frame.captured_at) if events else 0.0,
            codes=len(codes),
            dropped_before=dropped,
        )
        if self._on_frame is not None:
            self._on_frame(frame, timing)
        if self._on_event is not None:
            for event in events:
                self._on_event(event)
        return events

    def handle_payload(self, payload: bytes) -> ScanEvent[T] | None:
        """A payload typed by a keyboard-wedge or serial scanner: debounce and decide.

        Reported through ``on_event`` like a camera scan (the caller need not show it)."""
        with self._payload_lock:  # scans from several threads: one at a time, in order
            now = self._clock()
            if not self.debouncer.admit(payload, now):
                return None
            whole = self.assembler.add(payload, now)
            if whole is None:  # one chunk of a card in several parts: wait for the rest
                return None
            event = ScanEvent(whole, self._handle(whole), 0, self._clock() - now)
        if self._on_event is not None:
            self._on_event(event)
        return event

    # -- on threads --------------------------------------------------------------------

    @property
    def dropped(self) -> int:
        return self._slot.dropped

    def _report_state(self) -> None:
        state = self.source.state
        if state is not self._last_state:
            self._last_state = state
            if self._on_state is not None:
                self._on_state(state)

    def _grab(self) -> None:
        while not self._stop.is_set():
            try:
                frame = self.source.read()
            except Exception:
                logger.exception("%s: read failed", self.source.name)
                frame = None
            self._report_state()
            if frame is not None:
                self._slot.put(frame, self._stop)
            elif self.source.state is SourceState.ENDED:
                break

    def _work(self, grabber: threading.Thread) -> None:
        while not self._stop.is_set() and not self.finished.is_set():
            frame = self._slot.take(timeout=0.2)
            if frame is not None:
                self._process_safely(frame)
            elif self.source.state is SourceState.ENDED and not grabber.is_alive():
                last = self._slot.take(timeout=0)  # the grabber may have put one more
                if last is not None:
                    self._process_safely(last)
                break
        self.finished.set()

    def _process_safely(self, frame: Frame) -> None:
        """A failure on one frame (the log, a listener) must not end scanning for good."""
        try:
            self.process(frame)
        except Exception:
            logger.exception("scanning frame %d failed; going on with the next", frame.index)

    def start(self) -> None:
        if self._threads:
            raise RuntimeError("the scan loop is already running")
        self._stop.clear()
        self.finished.clear()
        grabber = threading.Thread(target=self._grab, name="kiosk-grab", daemon=True)
        worker = threading.Thread(
            target=self._work, args=(grabber,), name="kiosk-scan", daemon=True
        )
        self._threads = [grabber, worker]
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        self.source.close()
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the loop is done (a finite source ended, or ``max_events`` reached)."""
        return self.finished.wait(timeout)
