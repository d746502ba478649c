"""The scan loop: the debouncer, one frame synchronously (``process``), and the two
threads (newest frame wins, no backlog; a finite source ends; stop is prompt).

The synchronous tests use a fake clock and fake decoders; the threaded ones use real
threads with sleeps of a few milliseconds at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from kiosk.scanner.loop import Debouncer, FrameTiming, ScanEvent, ScanLoop
from kiosk.scanner.sources import Frame, SourceState

A, B, C = b"HCM1:CARD-A", b"HCM1:CARD-B", b"HCM1:CARD-C"
TINY = np.zeros((8, 8), np.uint8)


class FakeClock:
    def __init__(self, start: float = 100.0, step: float = 0.0) -> None:
        self.now = start
        self.step = step  # how far each reading moves the clock

    def __call__(self) -> float:
        now = self.now
        self.now += self.step
        return now


class ScriptedDecoder:
    """Returns the payloads scripted for each frame index (or raises when told to)."""

    name = "scripted"

    def __init__(self, script: dict[int, Sequence[bytes] | Exception] | None = None) -> None:
        self.script = script or {}
        self.seen: list[int] = []

    def decode(self, image: np.ndarray) -> list[bytes]:
        index = int(image[0, 0]) if image.size else -1
        self.seen.append(index)
        found = self.script.get(index, ())
        if isinstance(found, Exception):
            raise found
        return list(found)


def frame_of(index: int, captured_at: float = 100.0) -> Frame:
    """A frame whose first pixel carries its index (for ScriptedDecoder), as uint8."""
    image = TINY.copy()
    image[0, 0] = index % 256
    return Frame(image, index, captured_at)


class ListSource:
    """A FrameSource of given frames, delivered as fast as asked; ``live`` like a camera
    (newest frame wins) unless told otherwise (then every frame is decoded)."""

    def __init__(self, frames: Sequence[Frame], name: str = "list", *, live: bool = True) -> None:
        self.name = name
        self.live = live
        self._frames = list(frames)
        self._state = SourceState.STARTING
        self.reads = 0

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        self.reads += 1
        if self._state is SourceState.ENDED:
            return None
        if not self._frames:
            self._state = SourceState.ENDED
            return None
        self._state = SourceState.LIVE
        return self._frames.pop(0)

    def close(self) -> None:
        self._state = SourceState.ENDED


class EndlessSource:
    """A live camera that never ends: a new frame every read (about 1 ms apart)."""

    name = "endless"
    live = True

    def __init__(self) -> None:
        self._state = SourceState.LIVE
        self._index = 0
        self.closed = threading.Event()

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self.closed.is_set():
            return None
        time.sleep(0.001)
        self._index += 1
        return frame_of(self._index, time.monotonic())

    def close(self) -> None:
        self.closed.set()
        self._state = SourceState.ENDED


def echo(payload: bytes) -> str:
    return payload.decode()


def make_loop(
    decoder: ScriptedDecoder,
    *,
    frames: Sequence[Frame] = (),
    window: float = 5.0,
    clock: Callable[[], float] | None = None,
    **kwargs: object,
) -> ScanLoop[str]:
    return ScanLoop(
        ListSource(frames),
        decoder,
        echo,
        debouncer=Debouncer(window),
        clock=clock or FakeClock(),
        **kwargs,  # type: ignore[arg-type]
    )


# --- the debouncer -------------------------------------------------------------------------


def test_the_same_card_within_the_window_is_admitted_once() -> None:
    debouncer = Debouncer(window=5.0)
    assert debouncer.admit(A, 0.0)
    assert not any(debouncer.admit(A, t / 10) for t in range(1, 50))  # held 4.9 s


def test_a_card_held_in_view_is_one_decision_however_long() -> None:
    debouncer = Debouncer(window=5.0)
    admitted = [t / 10 for t in range(0, 600) if debouncer.admit(A, t / 10)]  # held 60 s
    assert admitted == [0.0]


def test_a_card_shown_again_after_the_window_out_of_sight_is_admitted() -> None:
    debouncer = Debouncer(window=5.0)
    assert debouncer.admit(A, 0.0)
    assert not debouncer.admit(A, 4.999)  # still in view: its window starts again
    assert not debouncer.admit(A, 9.0)
    assert debouncer.admit(A, 14.0)  # out of sight for 5 s, then back
    assert not debouncer.admit(A, 18.9)


def test_a_different_card_is_admitted_at_once() -> None:
    debouncer = Debouncer(window=5.0)
    assert debouncer.admit(A, 0.0)
    assert debouncer.admit(B, 0.0)
    assert debouncer.admit(C, 0.01)
    assert not debouncer.admit(A, 0.02)


def test_two_cards_alternating_in_view_each_once() -> None:
    debouncer = Debouncer(window=5.0)
    admitted: list[tuple[bytes, float]] = []
    for step in range(120):  # 12 s, the cards swapping every 0.1 s
        now = step / 10
        card = A if step % 2 == 0 else B
        if debouncer.admit(card, now):
            admitted.append((card, now))
    assert admitted == [(A, 0.0), (B, 0.1)]


def test_memory_is_bounded_and_the_oldest_card_is_forgotten() -> None:
    debouncer = Debouncer(window=5.0, memory=2)
    assert debouncer.admit(A, 0.0)
    assert debouncer.admit(B, 0.1)
    assert debouncer.admit(C, 0.3)  # A is the least recently seen: forgotten
    assert not debouncer.admit(B, 0.4)
    assert not debouncer.admit(C, 0.5)
    assert debouncer.admit(A, 0.6)  # forgotten, so admitted again within its window


def test_memory_is_least_recently_seen_first() -> None:
    debouncer = Debouncer(window=1.0, memory=2)
    assert debouncer.admit(A, 0.0)
    assert debouncer.admit(B, 0.5)
    assert not debouncer.admit(A, 0.9)  # A seen again: now the newest
    assert debouncer.admit(C, 1.1)  # so B is the one forgotten
    assert not debouncer.admit(A, 1.2)
    assert debouncer.admit(B, 1.3)


def test_many_cards_keep_memory_bounded() -> None:
    debouncer = Debouncer(window=60.0, memory=32)
    cards = [f"HCM1:{i}".encode() for i in range(1000)]
    assert all(debouncer.admit(card, i / 1000) for i, card in enumerate(cards))
    assert all(not debouncer.admit(card, 1.0) for card in cards[-32:])
    assert debouncer.admit(cards[-33], 1.0)


def test_forget_admits_everything_again() -> None:
    debouncer = Debouncer(window=5.0)
    assert debouncer.admit(A, 0.0)
    debouncer.forget()
    assert debouncer.admit(A, 0.1)


def test_a_zero_window_admits_every_time() -> None:
    debouncer = Debouncer(window=0.0)
    assert all(debouncer.admit(A, 1.0) for _ in range(3))


@pytest.mark.parametrize(("window", "memory"), [(-1.0, 32), (5.0, 0), (5.0, -3)])
def test_bad_debouncer_settings_are_refused(window: float, memory: int) -> None:
    with pytest.raises(ValueError, match="window"):
        Debouncer(window, memory)


# --- one frame, synchronously ------------------------------------------------------------------


def test_timing_of_a_frame_with_a_decision() -> None:
    clock = FakeClock(start=100.25, step=0.25)
    timings: list[FrameTiming] = []
    events: list[ScanEvent[str]] = []
    loop = make_loop(
        ScriptedDecoder({7: [A]}),
        clock=clock,
        on_frame=lambda _frame, timing: timings.append(timing),
        on_event=events.append,
    )
    (event,) = loop.process(frame_of(7, captured_at=100.0))
    assert event == ScanEvent(A, "HCM1:CARD-A", 7, 0.5)  # decided at 100.5
    assert events == [event]
    (timing,) = timings
    assert timing.index == 7
    assert timing.decode == 0.25  # decoded at 100.25
    assert timing.total == 0.75  # the last clock reading, at 100.75
    assert timing.codes == 1
    assert timing.dropped_before == 0
    assert loop.frames == 1
    assert loop.decode_errors == 0


def test_timing_of_a_frame_without_codes_or_decisions() -> None:
    timings: list[FrameTiming] = []
    loop = make_loop(
        ScriptedDecoder({2: [A]}),
        clock=FakeClock(start=100.0, step=0.01),
        on_frame=lambda _frame, timing: timings.append(timing),
    )
    assert loop.process(frame_of(1)) == []  # nothing in view
    assert loop.process(frame_of(2)) != []
    assert loop.process(frame_of(2)) == []  # in view, but debounced
    empty, decided, debounced = timings
    assert (empty.codes, empty.total) == (0, 0.0)
    assert decided.codes == 1
    assert decided.total > 0
    assert (debounced.codes, debounced.total) == (1, 0.0)
    assert all(t.decode >= 0 for t in timings)


def test_real_clock_timings_are_not_negative() -> None:
    timings: list[FrameTiming] = []
    loop: ScanLoop[str] = ScanLoop(
        ListSource([]),
        ScriptedDecoder({1: [A]}),
        echo,
        on_frame=lambda _frame, timing: timings.append(timing),
    )
    (event,) = loop.process(frame_of(1, captured_at=time.monotonic()))
    (timing,) = timings
    assert timing.decode >= 0
    assert timing.total >= timing.decode
    assert event.latency >= 0


def test_a_decoder_that_raises_is_counted_and_the_loop_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    decoder = ScriptedDecoder({2: RuntimeError("zxing exploded"), 3: [A]})
    timings: list[FrameTiming] = []
    loop = make_loop(decoder, on_frame=lambda _frame, timing: timings.append(timing))
    assert loop.process(frame_of(1)) == []
    assert loop.process(frame_of(2)) == []
    (event,) = loop.process(frame_of(3))
    assert event.payload == A
    assert loop.decode_errors == 1
    assert loop.frames == 3
    assert [t.codes for t in timings] == [0, 0, 1]
    assert "failed on frame 2" in caplog.text


def test_the_same_code_twice_in_one_frame_is_one_decision() -> None:
    handled: list[bytes] = []

    def handle(payload: bytes) -> int:
        handled.append(payload)
        return len(handled)

    loop: ScanLoop[int] = ScanLoop(
        ListSource([]),
        ScriptedDecoder({1: [A, A], 2: [B, A, B, C]}),
        handle,
        clock=FakeClock(),
    )
    assert [e.payload for e in loop.process(frame_of(1))] == [A]
    assert [e.payload for e in loop.process(frame_of(2))] == [B, C]  # A debounced, B once
    assert handled == [A, B, C]


def test_a_handler_error_propagates_from_process() -> None:
    """``handle`` is the pipeline, which turns every bad input into a decision itself."""

    def broken(payload: bytes) -> str:
        raise ValueError("pipeline bug")

    loop: ScanLoop[str] = ScanLoop(ListSource([]), ScriptedDecoder({1: [A]}), broken)
    with pytest.raises(ValueError, match="pipeline bug"):
        loop.process(frame_of(1))


def test_handle_payload_from_a_hardware_scanner_is_debounced() -> None:
    events: list[ScanEvent[str]] = []
    clock = FakeClock(step=0.5)
    loop = make_loop(ScriptedDecoder(), clock=clock, on_event=events.append)
    first = loop.handle_payload(A)
    assert first is not None
    assert (first.payload, first.result, first.frame_index) == (A, "HCM1:CARD-A", 0)
    assert first.latency >= 0
    assert loop.handle_payload(A) is None  # 0.5 s later: the same card
    assert loop.handle_payload(B) is not None
    clock.now += 10
    assert loop.handle_payload(A) is not None
    assert [e.payload for e in events] == [A, B, A]


# --- on threads ----------------------------------------------------------------------------------


class SlowDecoder(ScriptedDecoder):
    def __init__(self, script: dict[int, Sequence[bytes] | Exception], delay: float) -> None:
        super().__init__(script)
        self.delay = delay

    def decode(self, image: np.ndarray) -> list[bytes]:
        time.sleep(self.delay)
        return super().decode(image)


def test_a_file_source_has_every_frame_decoded_even_with_a_slow_decoder() -> None:
    frames = [frame_of(i, time.monotonic()) for i in range(1, 61)]
    source = ListSource(frames, live=False)  # a video file or a folder
    decoder = SlowDecoder({7: [A], 59: [B]}, delay=0.002)
    events: list[ScanEvent[str]] = []
    loop: ScanLoop[str] = ScanLoop(source, decoder, echo, on_event=events.append)
    loop.start()
    assert loop.wait(timeout=10)
    assert (loop.frames, loop.dropped) == (60, 0)
    assert [e.payload for e in events] == [A, B]
    loop.stop()


def test_newest_frame_wins_with_a_slow_decoder() -> None:
    frames = [frame_of(i, time.monotonic()) for i in range(1, 201)]
    source = ListSource(frames)
    decoder = SlowDecoder({200 % 256: [A]}, delay=0.003)
    states: list[SourceState] = []
    events: list[ScanEvent[str]] = []
    timings: list[FrameTiming] = []
    loop: ScanLoop[str] = ScanLoop(
        source,
        decoder,
        echo,
        on_state=states.append,
        on_event=events.append,
        on_frame=lambda _frame, timing: timings.append(timing),
    )
    loop.start()
    assert loop.wait(timeout=10)
    assert source.reads == 201  # every frame was read, then the end
    assert loop.dropped > 0  # frames were skipped rather than queued
    assert loop.frames + loop.dropped == 200
    assert loop.frames < 200
    assert [t.index for t in timings][-1] == 200  # the last frame was decoded
    assert [t.index for t in timings] == sorted(t.index for t in timings)
    assert sum(t.dropped_before for t in timings) == loop.dropped
    assert [e.payload for e in events] == [A]
    assert states == [SourceState.LIVE, SourceState.ENDED]
    loop.stop()


def test_start_twice_is_refused_and_stop_allows_a_restart() -> None:
    loop: ScanLoop[str] = ScanLoop(EndlessSource(), ScriptedDecoder(), echo)
    loop.start()
    try:
        with pytest.raises(RuntimeError, match="already running"):
            loop.start()
    finally:
        loop.stop()


def test_stop_is_prompt_with_an_endless_live_source() -> None:
    source = EndlessSource()
    decoder = SlowDecoder({}, delay=0.001)
    states: list[SourceState] = []
    loop: ScanLoop[str] = ScanLoop(source, decoder, echo, on_state=states.append)
    loop.start()
    threads = list(loop._threads)  # kept to check that stop() really ended them
    assert {t.name for t in threads} == {"kiosk-grab", "kiosk-scan"}
    assert all(t.daemon for t in threads)
    while len(decoder.seen) < 3:  # it is running
        time.sleep(0.001)
    assert not loop.wait(timeout=0.01)  # an endless source does not end by itself
    loop.stop(timeout=2.0)
    assert not any(t.is_alive() for t in threads)
    assert source.closed.is_set()
    assert states[0] is SourceState.LIVE


def test_a_source_whose_read_raises_does_not_stop_the_loop() -> None:
    class FlakySource(ListSource):
        def read(self) -> Frame | None:
            if self.reads in (0, 2):
                self.reads += 1
                raise OSError("USB hiccup")
            return super().read()

    source = FlakySource([frame_of(1), frame_of(2)])
    decoder = SlowDecoder({2: [A]}, delay=0.0)
    events: list[ScanEvent[str]] = []
    loop: ScanLoop[str] = ScanLoop(source, decoder, echo, on_event=events.append)
    loop.start()
    assert loop.wait(timeout=10)
    assert 2 in decoder.seen
    assert [e.payload for e in events] == [A]
    loop.stop()


class EndsWhileWorkerLooks(ListSource):
    """One frame, delivered just after the worker's wait for a frame timed out.

    The grabber's read blocks until the worker, its wait over, asks the source's state;
    that question is answered only once the grabber has delivered the frame and ended.
    This makes a real race deterministic: the frame arrives between the worker's
    ``take`` and its ``state is ENDED and not grabber.is_alive()`` check.
    """

    def __init__(self) -> None:
        super().__init__([frame_of(1)])
        self.worker_looking = threading.Event()
        self.grabber: threading.Thread | None = None

    def read(self) -> Frame | None:
        if self.reads == 0:
            self.grabber = threading.current_thread()
            self._state = SourceState.LIVE
            self.worker_looking.wait(5)
        return super().read()

    @property
    def state(self) -> SourceState:
        if threading.current_thread().name == "kiosk-scan" and not self.worker_looking.is_set():
            self.worker_looking.set()
            assert self.grabber is not None
            self.grabber.join(5)  # the frame is in the slot and the grabber is gone
        return self._state


def test_the_last_frame_is_processed_even_when_it_arrives_during_the_end_check() -> None:
    source = EndsWhileWorkerLooks()
    decoder = ScriptedDecoder({1: [A]})
    events: list[ScanEvent[str]] = []
    loop: ScanLoop[str] = ScanLoop(source, decoder, echo, on_event=events.append)
    loop.start()  # costs one 0.2 s wait for a frame
    assert loop.wait(timeout=5)
    loop.stop()
    assert decoder.seen == [1]
    assert [e.payload for e in events] == [A]
