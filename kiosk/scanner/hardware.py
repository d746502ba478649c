"""Hardware barcode scanners: keyboard-wedge (USB HID) and serial (USB CDC).

A keyboard-mode scanner types the payload and presses Enter; :class:`KeyboardWedge`
turns typed text into payloads (the Qt window feeds it key events; ``kiosk scan
--source stdin`` feeds it standard input). A serial scanner sends the same bytes over a
serial port; :class:`SerialScanner` reads them with pyserial, when installed, and
reopens the port when the scanner is unplugged and plugged back.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
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
