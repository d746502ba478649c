"""Hardware barcode scanners: the keyboard wedge's line splitting, ``lines_from``, and
the serial scanner over a real pseudo-terminal (unplug and replug with an injected
opener).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from helpers import World, two_dose_card

from kiosk.errors import SourceUnavailable
from kiosk.scanner.hardware import MAX_LINE, KeyboardWedge, SerialScanner, lines_from, open_serial
from kiosk.scanner.sources import SourceState

CARD = "HCM1:NCFOXN%TSMAHO.JHVK5*R/PB.I71CT*9HAM"

# --- the keyboard wedge ---------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["\r\n", "\n", "\r"])
def test_a_line_with_any_ending(ending: str) -> None:
    wedge = KeyboardWedge()
    assert wedge.feed(CARD + ending) == [CARD.encode()]
    assert wedge.feed(ending) == []  # nothing left over


def test_without_an_ending_nothing_is_returned_yet() -> None:
    wedge = KeyboardWedge()
    assert wedge.feed(CARD) == []
    assert wedge.feed("\r\n") == [CARD.encode()]


def test_several_lines_in_one_chunk() -> None:
    wedge = KeyboardWedge()
    assert wedge.feed("A1\r\nB2\nC3\rD4\r\n") == [b"A1", b"B2", b"C3", b"D4"]


def test_a_line_split_across_chunks() -> None:
    wedge = KeyboardWedge()
    chunks = [CARD[:7], CARD[7:20], CARD[20:], "\r", "\nNEXT", "\r\n"]
    payloads = [p for chunk in chunks for p in wedge.feed(chunk)]
    assert payloads == [CARD.encode(), b"NEXT"]


def test_one_character_at_a_time() -> None:
    wedge = KeyboardWedge()
    text = f"{CARD}\r\n{CARD[::-1]}\r\n"
    payloads = [p for ch in text for p in wedge.feed(ch)]
    assert payloads == [CARD.encode(), CARD[::-1].encode()]


def test_empty_and_blank_lines_are_ignored() -> None:
    wedge = KeyboardWedge()
    assert wedge.feed("\r\n\r\n\n\r") == []
    assert wedge.feed("   \r\n\t\n") == []
    assert wedge.feed("\r\nA\r\n\r\nB\n\n") == [b"A", b"B"]


def test_spaces_around_a_payload_are_trimmed() -> None:
    assert KeyboardWedge().feed("  HCM1:X \t\r\n") == [b"HCM1:X"]


def test_a_line_over_max_line_is_dropped_whole(caplog: pytest.LogCaptureFixture) -> None:
    wedge = KeyboardWedge(max_line=16)
    with caplog.at_level(logging.WARNING, logger="kiosk.scanner.hardware"):
        assert wedge.feed("X" * 17) == []
        assert wedge.feed("Y" * 100) == []  # still the same long line
        assert wedge.feed("\r\n") == []  # its end: nothing of it comes out
    assert wedge.feed("HCM1:NEXT\r\n") == [b"HCM1:NEXT"]  # the next line works
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # one warning per long line, not per byte


def test_a_line_of_exactly_max_line_is_kept() -> None:
    wedge = KeyboardWedge(max_line=16)
    assert wedge.feed("A" * 16 + "\n" + "B" * 17 + "\n" + "C\n") == [b"A" * 16, b"C"]


def test_the_default_max_line_drops_a_huge_line_and_keeps_the_next() -> None:
    wedge = KeyboardWedge()
    huge = "H" * (MAX_LINE + 1)
    assert wedge.feed(huge + "\r\n" + CARD + "\r\n") == [CARD.encode()]
    assert wedge.feed("Z" * MAX_LINE + "\n") == [b"Z" * MAX_LINE]


def test_str_and_bytes_input_give_the_same_payloads() -> None:
    text = "HCM1:AB\r\nNguyễn\n"
    assert KeyboardWedge().feed(text) == KeyboardWedge().feed(text.encode("utf-8"))
    assert KeyboardWedge().feed(text) == [b"HCM1:AB", "Nguyễn".encode()]


def test_bytearray_and_memoryview_input() -> None:
    assert KeyboardWedge().feed(bytearray(b"A\r\n")) == [b"A"]
    assert KeyboardWedge().feed(memoryview(b"B\n")) == [b"B"]


def test_non_utf8_bytes_are_kept_as_bytes() -> None:
    wedge = KeyboardWedge()
    assert wedge.feed(b"\xff\xfe\x80HCM1\xc3\r\n") == [b"\xff\xfe\x80HCM1\xc3"]
    # A str that came from undecodable bytes (surrogateescape) gives the bytes back.
    assert wedge.feed(b"\xff\x00A\n".decode("utf-8", "surrogateescape")) == [b"\xff\x00A"]


def test_a_utf8_character_split_across_chunks_is_whole_in_the_payload() -> None:
    wedge = KeyboardWedge()
    data = "ễ\n".encode()
    assert wedge.feed(data[:1]) == []
    assert wedge.feed(data[1:]) == ["ễ".encode()]


# --- lines_from --------------------------------------------------------------------------------


def test_lines_from_a_text_stream() -> None:
    stream = io.StringIO(f"{CARD}\r\n\r\nB2\rC3\nlast line without an ending")
    assert list(lines_from(stream)) == [
        CARD.encode(),
        b"B2",
        b"C3",
        b"last line without an ending",
    ]


def test_lines_from_a_byte_stream() -> None:
    stream = io.BytesIO(b"A1\r\n\xff\xfe\r\n\n\nB2\r\n")
    assert list(lines_from(stream)) == [b"A1", b"\xff\xfe", b"B2"]


def test_lines_from_an_empty_stream() -> None:
    assert list(lines_from(io.StringIO(""))) == []
    assert list(lines_from(io.BytesIO(b"\r\n\r\n"))) == []


def test_lines_from_is_lazy() -> None:
    """A payload comes out as soon as its line is read, not at the end of the stream."""

    class OneLineAtATime(io.BytesIO):
        def __init__(self) -> None:
            super().__init__(b"A\r\nB\r\nC\r\n")
            self.lines_read = 0

        def readline(self, size: int | None = -1) -> bytes:
            self.lines_read += 1
            return super().readline(size)

    stream = OneLineAtATime()
    payloads = lines_from(stream)
    assert next(payloads) == b"A"
    assert stream.lines_read == 1
    assert next(payloads) == b"B"
    assert stream.lines_read == 2


# --- the serial scanner over a real pseudo-terminal ---------------------------------------------


@pytest.fixture
def pty() -> Iterator[tuple[int, str]]:
    """A pseudo-terminal: (master fd, slave device name). The slave stays open here too."""
    master, slave = os.openpty()
    name = os.ttyname(slave)
    try:
        yield master, name
    finally:
        for fd in (master, slave):
            with contextlib.suppress(OSError):  # already closed by the test
                os.close(fd)


def test_serial_scanner_over_a_real_pty(pty: tuple[int, str], world: World) -> None:
    master, name = pty
    card = world.city.issue(two_dose_card())
    scanner = SerialScanner(name, baudrate=9600)  # the real pyserial opener
    try:
        assert scanner.state is SourceState.LIVE
        assert scanner.name == f"serial {name}"
        os.write(master, card.encode() + b"\r\n")
        assert scanner.read_payload(timeout=5.0) == card.encode()
        # Two payloads in one burst, the second split over two writes.
        os.write(master, b"HCM1:ONE\r\nHCM1:")
        os.write(master, b"TWO\r\n")
        assert scanner.read_payload(timeout=5.0) == b"HCM1:ONE"
        assert scanner.read_payload(timeout=5.0) == b"HCM1:TWO"
        assert scanner.read_payload(timeout=0.0) is None  # nothing typed: no wait
    finally:
        scanner.close()
    assert scanner.state is SourceState.ENDED
    assert scanner.read_payload(timeout=0.0) is None


def test_a_real_pty_closing_is_a_lost_scanner_not_an_exception(pty: tuple[int, str]) -> None:
    master, name = pty
    scanner = SerialScanner(name, retry_seconds=60.0)
    os.close(master)  # the scanner's cable pulled: reads fail with EIO
    assert scanner.read_payload(timeout=0.0) is None
    assert scanner.state is SourceState.LOST
    assert scanner.read_payload(timeout=0.0) is None  # waiting for the retry: no exception
    scanner.close()
    assert scanner.state is SourceState.ENDED


class Unplugged(OSError):
    """What pyserial raises when the device vanishes (SerialException is an OSError)."""


@dataclass
class FakePort:
    chunks: list[bytes | Exception]
    closed: bool = False

    @property
    def in_waiting(self) -> int:
        return len(self.chunks[0]) if self.chunks and isinstance(self.chunks[0], bytes) else 0

    def read(self, size: int = 1) -> bytes:
        assert not self.closed
        if not self.chunks:
            return b""  # pyserial's read timeout
        chunk = self.chunks.pop(0)
        if isinstance(chunk, Exception):
            raise chunk
        return chunk

    def close(self) -> None:
        self.closed = True


@dataclass
class FakeOpener:
    plan: list[FakePort | Exception]
    calls: list[tuple[str, int]] = field(default_factory=list)

    def __call__(self, port: str, baudrate: int) -> FakePort:
        self.calls.append((port, baudrate))
        planned = self.plan.pop(0)
        if isinstance(planned, Exception):
            raise planned
        return planned


class FakeClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_serial_unplug_and_replug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("time.sleep", lambda s: pytest.fail(f"real sleep({s})"))
    first = FakePort([b"HCM1:BEFORE\r\n", Unplugged(5, "Input/output error")])
    second = FakePort([b"HCM1:AFTER\r\n"])
    gone = SourceUnavailable("cannot open serial port /dev/ttyACM0: [Errno 2] No such file")
    opener = FakeOpener([first, gone, gone, second])
    clock = FakeClock()
    scanner = SerialScanner(
        "/dev/ttyACM0", baudrate=115200, retry_seconds=1.0, opener=opener, clock=clock
    )
    assert scanner.state is SourceState.LIVE
    assert scanner.read_payload(timeout=0.0) == b"HCM1:BEFORE"

    assert scanner.read_payload(timeout=0.0) is None  # unplugged
    assert scanner.state is SourceState.LOST
    assert first.closed
    assert len(opener.calls) == 1  # not retried before retry_seconds
    clock.now += 1.0
    assert scanner.read_payload(timeout=0.0) is None  # still unplugged: open fails
    assert scanner.state is SourceState.LOST
    assert len(opener.calls) == 2
    clock.now += 0.5
    assert scanner.read_payload(timeout=0.0) is None
    assert len(opener.calls) == 2  # waits a full retry_seconds after a failed open
    clock.now += 0.5
    assert scanner.read_payload(timeout=0.0) is None
    assert len(opener.calls) == 3
    clock.now += 1.0
    assert scanner.read_payload(timeout=0.0) == b"HCM1:AFTER"  # plugged back
    assert scanner.state is SourceState.LIVE
    assert opener.calls == [("/dev/ttyACM0", 115200)] * 4
    scanner.close()
    assert second.closed
    assert scanner.state is SourceState.ENDED


def test_a_partial_line_before_an_unplug_is_discarded() -> None:
    before = FakePort([b"HCM1:HALF", Unplugged(5, "Input/output error")])
    after = FakePort([b"HCM1:NEW\r\n"])
    clock = FakeClock()
    scanner = SerialScanner(
        "/dev/ttyACM0", retry_seconds=1.0, opener=FakeOpener([before, after]), clock=clock
    )
    assert scanner.read_payload(timeout=0.0) is None
    assert scanner.read_payload(timeout=0.0) is None
    assert scanner.state is SourceState.LOST
    clock.now += 1.0
    assert scanner.read_payload(timeout=0.0) == b"HCM1:NEW"


def test_a_wrong_port_fails_loudly_at_start() -> None:
    with pytest.raises(SourceUnavailable, match="cannot open serial port /dev/nonexistent-tty"):
        SerialScanner("/dev/nonexistent-tty")
    with pytest.raises(SourceUnavailable, match="cannot open serial port"):
        open_serial("/dev/nonexistent-tty", 9600)


def test_missing_pyserial_is_source_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "serial", None)
    with pytest.raises(SourceUnavailable, match="pyserial"):
        SerialScanner("/dev/ttyACM0")
    with pytest.raises(SourceUnavailable, match="pip install pyserial"):
        open_serial("/dev/ttyACM0", 9600)


def test_close_ends_and_is_idempotent() -> None:
    port = FakePort([b"HCM1:X\r\n"])
    scanner = SerialScanner("/dev/ttyACM0", opener=FakeOpener([port]), clock=FakeClock())
    scanner.close()
    assert port.closed
    assert scanner.state is SourceState.ENDED
    assert scanner.read_payload(timeout=0.0) is None
    scanner.close()
    assert scanner.state is SourceState.ENDED
