"""The scan loop assembles a SMART Health Card shown as several QR codes (``shc:/i/n/``)
before the pipeline sees it: chunks in any order, across frames or in one frame, and
from a keyboard-wedge scanner line by line."""

from __future__ import annotations

from test_loop import FakeClock, ListSource, ScriptedDecoder, frame_of

from kiosk.scanner.loop import ScanLoop

JWS_DIGITS = ["5676", "2909", "5243"]
CHUNKS = [f"shc:/{i}/3/{d}".encode() for i, d in enumerate(JWS_DIGITS, 1)]
WHOLE = b"\n".join(CHUNKS)


def loop_with(script: dict[int, list[bytes]]) -> tuple[ScanLoop[bytes], list[bytes]]:
    handled: list[bytes] = []

    def handle(payload: bytes) -> bytes:
        handled.append(payload)
        return payload

    loop: ScanLoop[bytes] = ScanLoop(
        ListSource([]), ScriptedDecoder(script), handle, clock=FakeClock(step=0.1)
    )
    return loop, handled


def test_chunks_over_several_frames_are_decided_once_complete() -> None:
    loop, handled = loop_with({0: [CHUNKS[1]], 1: [CHUNKS[1]], 2: [CHUNKS[2]], 3: [CHUNKS[0]]})
    events = [loop.process(frame_of(i)) for i in range(4)]
    assert [len(e) for e in events] == [0, 0, 0, 1]
    assert handled == [WHOLE]
    assert events[3][0].payload == WHOLE


def test_all_chunks_in_one_frame() -> None:
    loop, handled = loop_with({0: [CHUNKS[2], CHUNKS[0], CHUNKS[1]]})
    assert len(loop.process(frame_of(0))) == 1
    assert handled == [WHOLE]


def test_other_cards_pass_straight_through_while_chunks_wait() -> None:
    loop, handled = loop_with({0: [CHUNKS[0], b"HCM1:CARD-A"], 1: [CHUNKS[1]], 2: [CHUNKS[2]]})
    for i in range(3):
        loop.process(frame_of(i))
    assert handled == [b"HCM1:CARD-A", WHOLE]


def test_keyboard_wedge_lines_are_assembled() -> None:
    loop, handled = loop_with({})
    assert loop.handle_payload(CHUNKS[0]) is None
    assert loop.handle_payload(CHUNKS[2]) is None
    event = loop.handle_payload(CHUNKS[1])
    assert event is not None
    assert event.payload == WHOLE
    assert handled == [WHOLE]
