"""Turn a source description (settings, ``--source``) into a frame or payload source.

``0`` or ``/dev/video2``: a camera. ``video:PATH``: a video file. ``folder:PATH``: a
folder of images. ``synthetic``: the demo camera. ``stdin``: a keyboard-wedge scanner's
lines on standard input. ``serial:/dev/ttyACM0[@9600]``: a serial scanner.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from kiosk.errors import SourceUnavailable
from kiosk.scanner.hardware import KeyboardWedge, PayloadSource, SerialScanner
from kiosk.scanner.sources import FrameSource, ImageFolderSource, OpenCvSource, SourceState

logger = logging.getLogger(__name__)


def is_payload_source(spec: str) -> bool:
    return spec == "stdin" or spec.startswith("serial:")


def open_frame_source(
    spec: str,
    *,
    resolution: tuple[int, int] = (1280, 720),
    demo_texts: Sequence[str] = (),
    demo_pace: tuple[float, float] = (2.0, 1.0),
    realtime: bool = True,
) -> FrameSource:
    """``demo_pace``: the synthetic camera's (seconds a card is held up, seconds the
    entrance stays empty before the next one)."""
    if spec == "synthetic":
        from kiosk.scanner.synthetic import SyntheticSource  # noqa: PLC0415 - demo only

        if not demo_texts:
            raise SourceUnavailable("the synthetic camera needs demo cards to show")
        held, empty = demo_pace
        return SyntheticSource(
            list(demo_texts),
            size=resolution,
            realtime=realtime,
            card_seconds=held,
            empty_seconds=empty,
        )
    if spec.startswith("video:"):
        path = Path(spec.removeprefix("video:"))
        if not path.is_file():
            raise SourceUnavailable(
                f"no video file {path}", code="camera_no_video_file", values={"file": str(path)}
            )
        return OpenCvSource(str(path), live=False)
    if spec.startswith("folder:"):
        return ImageFolderSource(Path(spec.removeprefix("folder:")))
    device: int | str = int(spec) if spec.isdigit() else spec
    if isinstance(device, str) and not Path(device).exists():
        raise SourceUnavailable(
            f"no camera {device!r}: give an index (0), a device (/dev/video0), "
            "video:FILE, folder:DIR or synthetic",
            code="camera_not_found",
            values={"camera": device},
        )
    return OpenCvSource(device, live=True, resolution=resolution)


class StreamScanner:
    """Lines typed into a stream (standard input), as a keyboard-wedge scanner types them.

    A reader thread feeds a queue, so ``read_payload`` honours its timeout even while
    nobody types. Reading raw chunks (not lines) lets CR-only line ends through a pipe.
    """

    name = "keyboard (stdin)"
    live = True

    def __init__(self, stream: IO[str] | IO[bytes]) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue()
        self._ended = False
        self._thread = threading.Thread(
            target=self._pump, args=(stream,), name="kiosk-stdin", daemon=True
        )
        self._thread.start()

    def _pump(self, stream: IO[str] | IO[bytes]) -> None:
        wedge = KeyboardWedge()
        try:
            for chunk in _chunks(stream):
                for payload in wedge.feed(chunk):
                    self._queue.put(payload)
            for payload in wedge.feed(b"\n"):
                self._queue.put(payload)
        except (OSError, ValueError):  # the stream was closed under us
            logger.debug("stdin closed", exc_info=True)
        finally:
            self._queue.put(None)

    @property
    def state(self) -> SourceState:
        return SourceState.ENDED if self._ended else SourceState.LIVE

    def read_payload(self, timeout: float) -> bytes | None:
        if self._ended:
            return None
        try:
            item = self._queue.get(timeout=timeout)
        except queue.Empty:
            return None
        if item is None:
            self._ended = True
        return item

    def close(self) -> None:
        self._ended = True


def _chunks(stream: IO[str] | IO[bytes]) -> Iterator[bytes | str]:
    chunk: bytes | str
    try:
        fd = stream.fileno()
    except (OSError, ValueError, AttributeError):
        fd = -1
    if fd >= 0 and not isinstance(stream, io.StringIO):
        while chunk := os.read(fd, 4096):
            yield chunk
        return
    while chunk := stream.readline():
        yield chunk


def open_payload_source(spec: str, *, stdin: IO[str] | IO[bytes] | None = None) -> PayloadSource:
    if spec == "stdin":
        return StreamScanner(stdin if stdin is not None else sys.stdin)
    port, _, baud = spec.removeprefix("serial:").partition("@")
    return SerialScanner(port, baudrate=int(baud) if baud.isdigit() else 9600)
