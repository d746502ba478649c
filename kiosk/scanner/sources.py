"""Frame sources behind one protocol: a camera, a video file, a folder of images.

Cameras and video files go through the same OpenCV capture path
(:class:`OpenCvSource`), so a test that writes a video with ``cv2.VideoWriter`` and
reads it back exercises the code a webcam runs. A camera that stops delivering
(unplugged, driver reset) is reported ``LOST`` and reopened with backoff until it comes
back; a video file ends (``ENDED``) unless it loops.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

import cv2
import numpy as np

from kiosk.errors import SourceUnavailable
from kiosk.scanner.imaging import Image

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES: Final = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".webp", ".tif", ".tiff"})


class SourceState(enum.StrEnum):
    STARTING = "starting"
    LIVE = "live"
    LOST = "lost"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class Frame:
    image: Image
    index: int
    #: ``time.monotonic()`` when the frame arrived from the device.
    captured_at: float


class FrameSource(Protocol):
    """Where frames come from. ``read`` blocks for at most about one frame interval.

    ``live``: a camera (frames keep coming; the scan loop decodes the newest and drops
    stale ones); not live: a file or folder (every frame is decoded).
    """

    name: str
    live: bool

    @property
    def state(self) -> SourceState: ...

    def read(self) -> Frame | None:
        """The next frame, or ``None`` when there is none now (lost, ended, not yet)."""
        ...

    def close(self) -> None: ...


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` the kiosk uses (a seam for the unplug tests)."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's names

    def read(self) -> tuple[bool, Image | None]: ...

    def set(self, prop_id: int, value: float) -> bool: ...

    def release(self) -> None: ...


def open_capture(device: int | str) -> Capture:
    """A real OpenCV capture: V4L2 for a camera index on Linux, any backend for a path."""
    # OpenCV's own warnings ("can't open camera by index") would go to stderr raw, every
    # retry; a missing camera is reported by the kiosk itself (the source's state).
    cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    if isinstance(device, int):
        return cv2.VideoCapture(device, cv2.CAP_V4L2)  # type: ignore[return-value]
    return cv2.VideoCapture(device)  # type: ignore[return-value]


class OpenCvSource:
    """A camera (device index or path such as ``/dev/video0``) or a video file.

    ``live=True`` (cameras): a lost device is reopened every ``retry_seconds`` (doubling
    to ``max_retry_seconds``) and ``read`` never ends. ``live=False`` (files): the
    source ends at the last frame, or starts again when ``loop`` is set.
    """

    def __init__(
        self,
        device: int | str,
        *,
        live: bool = True,
        loop: bool = False,
        resolution: tuple[int, int] | None = None,
        retry_seconds: float = 0.5,
        max_retry_seconds: float = 5.0,
        capture_factory: Callable[[int | str], Capture] = open_capture,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = f"camera {device}" if live else f"video {device}"
        self.live = live
        self._device = device
        self._live = live
        self._loop = loop
        self._resolution = resolution
        self._retry = retry_seconds
        self._max_retry = max_retry_seconds
        self._factory = capture_factory
        self._clock = clock
        self._sleep = sleep
        self._capture: Capture | None = None
        self._state = SourceState.STARTING
        self._index = 0
        self._backoff = retry_seconds
        self._next_attempt = 0.0
        self._lock = threading.Lock()
        self._closed = False
        self._on_state: list[Callable[[SourceState], None]] = []
        if not live:
            self._open()
            if self._capture is None:
                raise SourceUnavailable(
                    f"cannot open video {device}",
                    code="camera_not_found",
                    values={"camera": str(device)},
                )

    @property
    def state(self) -> SourceState:
        return self._state

    def on_state(self, listener: Callable[[SourceState], None]) -> None:
        """Call ``listener(state)`` on every change of state (from the reading thread)."""
        self._on_state.append(listener)

    def _set_state(self, state: SourceState) -> None:
        if state is not self._state:
            logger.info("%s: %s -> %s", self.name, self._state.value, state.value)
            self._state = state
            for listener in self._on_state:
                listener(state)

    def _open(self) -> None:
        try:
            capture = self._factory(self._device)
            opened = capture.isOpened()
        except Exception:  # OpenCV raises cv2.error and others on odd devices
            logger.exception("%s: opening failed", self.name)
            return
        if not opened:
            capture.release()
            return
        if self._resolution is not None:
            width, height = self._resolution
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, height)
        if self._live:
            capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame wins, in the driver too
        self._capture = capture

    def _drop(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def read(self) -> Frame | None:
        with self._lock:
            if self._closed or self._state is SourceState.ENDED:
                return None
            if self._capture is None:
                now = self._clock()
                if now < self._next_attempt:
                    self._sleep(min(self._next_attempt - now, 0.1))
                    return None
                self._open()
                if self._capture is None:
                    self._next_attempt = self._clock() + self._backoff
                    self._backoff = min(self._backoff * 2, self._max_retry)
                    self._set_state(SourceState.LOST)
                    return None
            try:
                ok, image = self._capture.read()
            except Exception:
                logger.exception("%s: read failed", self.name)
                ok, image = False, None
            if ok and image is not None and image.size:
                self._backoff = self._retry  # delivering again: the next outage starts short
                self._set_state(SourceState.LIVE)
                self._index += 1
                return Frame(image, self._index, self._clock())
            self._drop()
            if not self._live:
                if self._loop and self._index:
                    self._open()
                    return None
                self._set_state(SourceState.ENDED)
                return None
            self._next_attempt = self._clock() + self._backoff
            self._backoff = min(self._backoff * 2, self._max_retry)
            self._set_state(SourceState.LOST)
            return None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()
            self._set_state(SourceState.ENDED)


def read_image(path: Path) -> Image | None:
    """Read an image file as OpenCV does; ``None`` when it is not a readable image."""
    try:
        data = np.fromfile(path, dtype=np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    image = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return image if image is not None and image.size else None  # type: ignore[return-value]


class ImageFolderSource:
    """Every image in a folder, in name order, once (or looping)."""

    def __init__(
        self, folder: Path, *, loop: bool = False, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if not folder.is_dir():
            raise SourceUnavailable(
                f"{folder} is not a folder", code="camera_no_folder", values={"folder": str(folder)}
            )
        self.name = f"folder {folder}"
        self.live = False
        self._paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not self._paths:
            raise SourceUnavailable(
                f"{folder} holds no images ({', '.join(sorted(IMAGE_SUFFIXES))})"
            )
        self._loop = loop
        self._clock = clock
        self._iter: Iterator[Path] = iter(self._paths)
        self._index = 0
        self._state = SourceState.LIVE

    @property
    def state(self) -> SourceState:
        return self._state

    def read(self) -> Frame | None:
        if self._state is SourceState.ENDED:
            return None
        path = next(self._iter, None)
        if path is None:
            if not self._loop:
                self._state = SourceState.ENDED
                return None
            self._iter = iter(self._paths)
            path = next(self._iter)
        image = read_image(path)
        if image is None:
            logger.warning("%s: %s is not a readable image", self.name, path.name)
            return None
        self._index += 1
        return Frame(image, self._index, self._clock())

    def close(self) -> None:
        self._state = SourceState.ENDED
