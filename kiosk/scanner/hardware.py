"""Hardware barcode scanners: keyboard-wedge (USB HID) and serial (USB CDC).

A keyboard-mode scanner types the payload and presses Enter; :class:`KeyboardWedge`
turns typed text into payloads (the Qt window feeds it key events; ``kiosk scan
--source stdin`` feeds it standard input). A serial scanner sends the same bytes over a
serial port; :class:`SerialScanner` reads them with pyserial, when installed, and
reopens the port when the scanner is unplugged and plugged back.
"""

from __future__ import annotations

import enum
import logging
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Final, Protocol

from kiosk.errors import SourceUnavailable
from kiosk.scanner.sources import SourceState

logger = logging.getLogger(__name__)

#: Longer lines are not a card (a QR holds at most 4,296 characters): dropped whole.
MAX_LINE: Final = 8192


class PayloadSource(Protocol):
    name: str

    @property
    def state(self) -> SourceState: ...

    def read_payload(self, timeout: float) -> bytes | None: ...

    def close(self) -> None: ...


class KeyboardWedge:
    """Splits typed characters into payloads at CR, LF or CR LF; ignores empty lines."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self._buffer = bytearray()
        self._max = max_line
        self._overflowed = False

    def feed(self, data: bytes | str) -> list[bytes]:
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        payloads = []
        for byte in data:
            if byte in (0x0D, 0x0A):
                if self._buffer and not self._overflowed:
                    payloads.append(bytes(self._buffer).strip())
                self._buffer.clear()
                self._overflowed = False
            elif len(self._buffer) >= self._max:
                if not self._overflowed:
                    logger.warning("scanner line longer than %d bytes dropped", self._max)
                self._overflowed = True
            else:
                self._buffer.append(byte)
        return [p for p in payloads if p]


#: What card payloads begin with (HCM1, EU DCC, SMART Health Card), compared case-blind.
CARD_PREFIXES: Final = ("HCM1:", "HC1:", "SHC:/")
#: A keyboard-mode scanner types a key every few milliseconds; a person, every 100 ms or
#: more. Keys this close together (median) are a scanner's.
SCANNER_GAP: Final = 0.035
#: ...over at least this many keys (a person's quick double tap is not a scan).
SCANNER_BURST: Final = 6
#: Held keys are handed on when no key followed for this long (a person typing).
HOLD_SECONDS: Final = 0.15


class Typed(enum.Enum):
    HOLD = "hold"  # keep the key for now (it may be part of a scan)
    RELEASE = "release"  # a person typed: hand on the held keys, then this one
    SCAN = "scan"  # a scanner typed a payload: hand on nothing


@dataclass(frozen=True, slots=True)
class TypedStep:
    action: Typed
    payload: bytes = b""


class ScanTyping:
    """Tells a keyboard-mode scanner's typing from a person's, whatever has focus.

    A scan typed while the manager's PIN pad or a text field has focus must be a scan
    (the visitor gets a decision), never a PIN attempt. Every printable key is held
    until it is clear who typed it: at Enter, a line that starts with a card prefix or
    came in a burst of keys :data:`SCANNER_GAP` apart is a scan; anything else, and any
    held keys after :data:`HOLD_SECONDS` without a key, were a person's and go on to
    the focused field, in order (at most that much later). Qt-free: the window feeds it
    key texts and times (``"\n"`` for Enter) and does what each step says."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self._text: list[str] = []
        self._times: list[float] = []
        self._max = max_line

    @property
    def holding(self) -> bool:
        return bool(self._text)

    def _scan_like(self) -> bool:
        text = "".join(self._text).upper()
        if text.startswith(CARD_PREFIXES):
            return True
        if len(self._times) < SCANNER_BURST:
            return False
        gaps = [b - a for a, b in zip(self._times, self._times[1:], strict=False)]
        return statistics.median(gaps) <= SCANNER_GAP

    def _end(self, scan: bool) -> TypedStep:
        payload = "".join(self._text).strip().encode("utf-8", "surrogateescape")
        self._text.clear()
        self._times.clear()
        if scan and payload and len(payload) <= self._max:
            return TypedStep(Typed.SCAN, payload)
        return TypedStep(Typed.RELEASE)

    def key(self, text: str, at: float) -> TypedStep:
        """One key press: its text (``"\n"`` for Enter) and when it came."""
        if text in ("\n", "\r"):
            if not self._text:
                return TypedStep(Typed.RELEASE)  # a lone Enter: the person's
            return self._end(self._scan_like())
        self._text.append(text)
        self._times.append(at)
        return TypedStep(Typed.HOLD)

    def idle(self, at: float) -> TypedStep | None:
        """No key for a while: a person's keys go on; a scanner's line without an Enter
        (some scanners send none) is a scan. None: nothing held or not idle yet."""
        if not self._times or at - self._times[-1] < HOLD_SECONDS:
            return None
        return self._end(self._scan_like())


def lines_from(stream: IO[bytes] | IO[str]) -> Iterator[bytes]:
    """Payloads typed into ``stream`` (standard input, a pipe, a file)."""
    wedge = KeyboardWedge()
    while chunk := stream.readline():
        yield from wedge.feed(chunk)
    yield from wedge.feed("\n")


class _SerialPort(Protocol):
    def read(self, size: int = 1) -> bytes: ...

    def close(self) -> None: ...

    @property
    def in_waiting(self) -> int: ...


def open_serial(port: str, baudrate: int) -> _SerialPort:
    try:
        import serial  # noqa: PLC0415 - optional dependency
    except ImportError as exc:
        raise SourceUnavailable(
            "serial scanners need pyserial: .venv/bin/pip install pyserial"
        ) from exc
    try:
        return serial.Serial(port, baudrate=baudrate, timeout=0.1)  # type: ignore[no-any-return]
    except (serial.SerialException, OSError, ValueError) as exc:
        raise SourceUnavailable(f"cannot open serial port {port}: {exc}") from exc


class SerialScanner:
    """A USB CDC (virtual serial port) barcode scanner, e.g. ``/dev/ttyACM0``."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        retry_seconds: float = 1.0,
        opener: Callable[[str, int], _SerialPort] = open_serial,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = f"serial {port}"
        self._port_name = port
        self._baudrate = baudrate
        self._retry = retry_seconds
        self._opener = opener
        self._clock = clock
        self._sleep = sleep
        self.live = True
        self._port: _SerialPort | None = None
        self._wedge = KeyboardWedge()
        self._pending: list[bytes] = []
        self._state = SourceState.STARTING
        self._next_attempt = 0.0
        self._lock = threading.Lock()
        self._port = self._opener(port, baudrate)  # fail loudly at start: a wrong port
        self._state = SourceState.LIVE

    @property
    def state(self) -> SourceState:
        return self._state

    def read_payload(self, timeout: float) -> bytes | None:
        deadline = self._clock() + timeout
        with self._lock:
            while not self._pending:
                if self._state is SourceState.ENDED:
                    return None
                if self._port is None and not self._reopen():
                    if self._clock() >= deadline:
                        return None
                    self._sleep(min(0.05, max(0.0, deadline - self._clock())))
                    continue
                assert self._port is not None
                try:
                    chunk = self._port.read(max(1, self._port.in_waiting))
                except Exception as exc:  # noqa: BLE001 - pyserial raises several kinds on unplug
                    logger.warning("%s lost: %s", self.name, exc)
                    self._lose()
                    continue
                self._pending.extend(self._wedge.feed(chunk))
                if not self._pending and self._clock() >= deadline:
                    return None
            return self._pending.pop(0)

    def _lose(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            except OSError:  # closing a vanished device may fail too (SerialException)
                logger.debug("closing %s failed", self.name, exc_info=True)
        self._port = None
        self._wedge = KeyboardWedge()  # a half line from before the unplug is not a card
        self._state = SourceState.LOST
        self._next_attempt = self._clock() + self._retry

    def _reopen(self) -> bool:
        if self._clock() < self._next_attempt:
            return False
        try:
            self._port = self._opener(self._port_name, self._baudrate)
        except (SourceUnavailable, OSError):
            self._next_attempt = self._clock() + self._retry
            return False
        self._state = SourceState.LIVE
        return True

    def close(self) -> None:
        with self._lock:
            if self._port is not None:
                self._port.close()
                self._port = None
            self._state = SourceState.ENDED
