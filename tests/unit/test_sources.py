"""Frame sources: a real video file read through the camera's OpenCV capture path, a
folder of images, and a camera that is unplugged and plugged back (a fake capture,
with the clock and sleep injected so the outage costs no real time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
import segno
from helpers import NOW, World, one_dose_card, two_dose_card

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.domain import Verdict
from kiosk.errors import SourceUnavailable
from kiosk.scanner.decoders import make_decoder
from kiosk.scanner.loop import Debouncer, ScanLoop
from kiosk.scanner.sources import Frame, ImageFolderSource, OpenCvSource, SourceState

Image = npt.NDArray[np.uint8]
SIZE = (480, 640)  # height, width


def qr_frame(text: str, *, size: tuple[int, int] = SIZE, scale: int = 4) -> Image:
    """A white BGR frame with ``text`` as a QR code (error correction M) in the middle."""
    modules = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
    code = np.kron(
        np.where(modules == 1, 0, 255).astype(np.uint8), np.ones((scale, scale), np.uint8)
    )
    frame = np.full(size, 255, np.uint8)
    top, left = (size[0] - code.shape[0]) // 2, (size[1] - code.shape[1]) // 2
    frame[top : top + code.shape[0], left : left + code.shape[1]] = code
    return np.repeat(frame[:, :, np.newaxis], 3, axis=2)


def blank_frame() -> Image:
    return np.full((*SIZE, 3), 200, np.uint8)


def write_video(path: Path, frames: list[Image], fps: float = 30.0) -> Path:
    """An MJPG AVI, the codec every OpenCV build with a video backend can write."""
    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (width, height))
    assert writer.isOpened(), "this OpenCV build cannot write MJPG/AVI"
    for frame in frames:
        writer.write(frame)
    writer.release()
    assert path.stat().st_size > 0
    return path


class FakeClock:
    """Monotonic seconds that move only when told (or when the source 'sleeps')."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


def read_all(source: OpenCvSource | ImageFolderSource, limit: int = 10_000) -> list[Frame | None]:
    reads: list[Frame | None] = []
    while source.state is not SourceState.ENDED and len(reads) < limit:
        reads.append(source.read())
    return reads


# --- a real video file through the camera's capture path ------------------------------------


@pytest.fixture
def card_video(tmp_path: Path, world: World) -> tuple[Path, str]:
    text = world.city.issue(two_dose_card())
    frames = [blank_frame()] * 10 + [qr_frame(text)] * 20 + [blank_frame()] * 10
    return write_video(tmp_path / "card.avi", frames), text


def test_video_file_frames_and_states(card_video: tuple[Path, str]) -> None:
    path, _ = card_video
    source = OpenCvSource(str(path), live=False)
    states: list[SourceState] = []
    source.on_state(states.append)
    assert source.state is SourceState.STARTING
    assert source.name == f"video {path}"

    reads = read_all(source)
    frames = [r for r in reads if r is not None]
    assert len(frames) == 40
    assert reads[-1] is None  # the read that found the end
    assert [f.index for f in frames] == list(range(1, 41))
    assert all(f.image.shape == (*SIZE, 3) and f.image.dtype == np.uint8 for f in frames)
    assert states == [SourceState.LIVE, SourceState.ENDED]
    assert source.read() is None  # ended stays ended
    assert states == [SourceState.LIVE, SourceState.ENDED]
    source.close()
    assert source.state is SourceState.ENDED


def test_video_through_the_scan_loop_gives_one_green_decision(
    card_video: tuple[Path, str], world: World
) -> None:
    path, text = card_video
    clock = FakeClock()
    source = OpenCvSource(str(path), live=False, clock=clock)
    context = world.context()
    decided: list[bytes] = []

    def handle(payload: bytes) -> Decision:
        decided.append(payload)
        return pipeline.process(payload, NOW, context)

    loop: ScanLoop[Decision] = ScanLoop(
        source, make_decoder("zxing"), handle, debouncer=Debouncer(5.0), clock=clock
    )
    events = []
    codes_per_frame = []
    while (frame := source.read()) is not None or source.state is not SourceState.ENDED:
        if frame is None:
            continue
        clock.now += 1 / 30  # the video's frame rate: 20 frames of the card last 0.67 s
        found = loop.process(frame)
        events.extend(found)
        codes_per_frame.append(len(loop.decoder.decode(frame.image)))
    # The card was seen on (nearly) every one of its 20 frames, despite MJPG compression...
    assert sum(codes_per_frame) >= 18
    assert codes_per_frame[:10] == [0] * 10
    # ...and decided once.
    (event,) = events
    assert decided == [text.encode()]
    assert event.payload == text.encode()
    assert 11 <= event.frame_index <= 13
    assert event.result.verdict is Verdict.GREEN
    assert event.result.card is not None
    assert event.result.card.holder.name == "Nguyễn Văn An"
    assert loop.frames == 40
    assert loop.decode_errors == 0


def test_a_looping_video_starts_again(card_video: tuple[Path, str]) -> None:
    path, _ = card_video
    source = OpenCvSource(str(path), live=False, loop=True)
    states: list[SourceState] = []
    source.on_state(states.append)
    reads = [source.read() for _ in range(100)]
    gaps = [i for i, r in enumerate(reads) if r is None]
    assert gaps == [40, 81]  # one empty read at each restart, then the frames again
    indices = [r.index for r in reads if r is not None]
    assert indices == list(range(1, 99))  # numbering goes on across restarts
    assert states == [SourceState.LIVE]
    assert source.state is SourceState.LIVE
    source.close()
    assert source.state is SourceState.ENDED
    assert source.read() is None


@pytest.mark.parametrize("content", [None, b"", b"RIFF\x00\x00\x00\x00AVI garbage" * 10])
def test_a_missing_or_broken_video_is_source_unavailable(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "video.avi"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(SourceUnavailable, match="cannot open video"):
        OpenCvSource(str(path), live=False)


# --- a folder of images ----------------------------------------------------------------------


def test_image_folder_in_name_order_skipping_garbage(tmp_path: Path, world: World) -> None:
    text = world.city.issue(one_dose_card())
    assert cv2.imwrite(str(tmp_path / "b_card.png"), qr_frame(text))
    assert cv2.imwrite(str(tmp_path / "a_blank.png"), blank_frame())
    (tmp_path / "c_garbage.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png \x00\xff" * 20)
    (tmp_path / "d_empty.jpg").write_bytes(b"")
    (tmp_path / "e_notes.txt").write_text("not an image", "utf-8")
    (tmp_path / "f_subfolder.png").mkdir()  # a folder with an image's name
    assert cv2.imwrite(str(tmp_path / "g_last.PNG"), blank_frame())

    source = ImageFolderSource(tmp_path, clock=FakeClock())
    assert source.state is SourceState.LIVE
    reads = read_all(source)
    frames = [r for r in reads if r is not None]
    assert len(frames) == 3
    assert [f.index for f in frames] == [1, 2, 3]
    blank, card, last = frames
    decoder = make_decoder("zxing")
    assert decoder.decode(blank.image) == []
    assert decoder.decode(card.image) == [text.encode()]
    assert decoder.decode(last.image) == []
    # a_blank, b_card, c_garbage (None), d_empty (None), f_subfolder (None), g_last, end.
    assert [r is None for r in reads] == [False, False, True, True, True, False, True]
    assert source.state is SourceState.ENDED
    assert source.read() is None


def test_image_folder_loops(tmp_path: Path) -> None:
    assert cv2.imwrite(str(tmp_path / "one.png"), blank_frame())
    assert cv2.imwrite(str(tmp_path / "two.jpg"), blank_frame())
    source = ImageFolderSource(tmp_path, loop=True)
    reads = [source.read() for _ in range(7)]
    assert all(r is not None for r in reads)
    assert [r.index for r in reads if r is not None] == list(range(1, 8))
    assert source.state is SourceState.LIVE
    source.close()
    assert source.state is SourceState.ENDED
    assert source.read() is None


def test_empty_missing_or_imageless_folder_is_source_unavailable(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SourceUnavailable, match="holds no images"):
        ImageFolderSource(empty)
    with pytest.raises(SourceUnavailable, match="not a folder"):
        ImageFolderSource(tmp_path / "missing")
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "card.txt").write_text("HCM1:...", "utf-8")
    with pytest.raises(SourceUnavailable, match="holds no images"):
        ImageFolderSource(texts)
    a_file = tmp_path / "file.png"
    a_file.write_bytes(b"")
    with pytest.raises(SourceUnavailable, match="not a folder"):
        ImageFolderSource(a_file)


# --- a camera that is unplugged and plugged back -------------------------------------------


class CaptureError(Exception):
    """Stands in for ``cv2.error`` (OpenCV raises it from read() on a vanished device)."""


@dataclass
class FakeCapture:
    """A capture that delivers ``frames`` frames, then fails as an unplugged camera does."""

    opened: bool = True
    frames: int = 0
    read_raises: bool = False
    released: bool = False
    props: dict[int, float] = field(default_factory=dict)
    delivered: int = 0

    def isOpened(self) -> bool:  # OpenCV's name
        return self.opened

    def read(self) -> tuple[bool, Image | None]:
        assert not self.released, "read after release"
        if self.delivered < self.frames:
            self.delivered += 1
            return True, np.full((48, 64, 3), self.delivered % 256, np.uint8)
        if self.read_raises:
            raise CaptureError("VIDIOC_DQBUF: No such device")
        return False, None

    def set(self, prop_id: int, value: float) -> bool:
        self.props[prop_id] = value
        return True

    def release(self) -> None:
        self.released = True


@dataclass
class FakeCamera:
    """A capture factory: each open takes the next planned capture (or exception)."""

    plan: list[FakeCapture | Exception]
    clock: FakeClock
    opened_at: list[float] = field(default_factory=list)
    devices: list[int | str] = field(default_factory=list)

    def __call__(self, device: int | str) -> FakeCapture:
        self.opened_at.append(self.clock.now)
        self.devices.append(device)
        planned = self.plan.pop(0) if len(self.plan) > 1 else self.plan[0]
        if isinstance(planned, Exception):
            raise planned
        return planned


def camera(
    plan: list[FakeCapture | Exception], **kwargs: object
) -> tuple[OpenCvSource, FakeCamera, FakeClock, list[SourceState]]:
    clock = FakeClock()
    factory = FakeCamera(plan, clock)
    source = OpenCvSource(
        0,
        live=True,
        capture_factory=factory,
        clock=clock,
        sleep=clock.sleep,
        **kwargs,  # type: ignore[arg-type]
    )
    states: list[SourceState] = []
    source.on_state(states.append)
    return source, factory, clock, states


def read_until(
    source: OpenCvSource, stop: Callable[[list[Frame | None]], bool], limit: int = 500
) -> list[Frame | None]:
    reads: list[Frame | None] = []
    while not stop(reads):
        assert len(reads) < limit, "the source never got there"
        reads.append(source.read())
    return reads


def test_camera_unplugged_and_plugged_back(monkeypatch: pytest.MonkeyPatch) -> None:
    # No real sleeping anywhere: the source must use the injected sleep only.
    def no_real_sleep(seconds: float) -> None:
        raise AssertionError(f"real time.sleep({seconds}) during a camera outage")

    monkeypatch.setattr("time.sleep", no_real_sleep)
    first, second, third = FakeCapture(frames=5), FakeCapture(frames=3), FakeCapture(frames=1)
    failed_opens = [FakeCapture(opened=False) for _ in range(4)]
    source, factory, clock, states = camera(
        [first, *failed_opens, second, third], retry_seconds=0.5, max_retry_seconds=1.5
    )
    assert source.state is SourceState.STARTING
    assert source.name == "camera 0"

    # Plugged in: five frames, then the read fails (unplugged).
    reads = read_until(source, lambda r: len(r) == 6)
    assert [r.index for r in reads[:5] if r is not None] == [1, 2, 3, 4, 5]
    assert reads[5] is None
    assert states == [SourceState.LIVE, SourceState.LOST]
    assert first.released
    assert first.props[cv2.CAP_PROP_BUFFERSIZE] == 1  # newest frame wins in the driver too

    # The outage: reads return None at once (the injected sleep moves the fake clock).
    lost_at = clock.now
    reads = read_until(source, lambda r: bool(r) and r[-1] is not None)
    assert all(r is None for r in reads[:-1])
    assert reads[-1] is not None
    assert reads[-1].index == 6  # numbering goes on after a reconnect
    assert states == [SourceState.LIVE, SourceState.LOST, SourceState.LIVE]
    assert all(capture.released for capture in failed_opens)
    assert all(0 < s <= 0.1 for s in clock.sleeps)  # waits in short slices (stays responsive)
    assert factory.devices == [0] * 6

    # Backoff grows between attempts (0.5, then doubling), capped at max_retry_seconds.
    attempts = [t - lost_at for t in factory.opened_at[1:]]
    gaps = [round(b - a, 6) for a, b in zip([0.0, *attempts], attempts, strict=False)]
    assert gaps == [0.5, 1.0, 1.5, 1.5, 1.5]

    # Plugged back: frames flow; a second unplug is LOST again.
    reads = read_until(source, lambda r: len(r) == 3)
    assert [r.index for r in reads if r is not None] == [7, 8]
    assert states[-1] is SourceState.LOST
    assert second.released
    # It delivered in between, so the next outage starts with a short retry again.
    lost_again_at = clock.now
    reads = read_until(source, lambda r: bool(r) and r[-1] is not None)
    assert round(factory.opened_at[-1] - lost_again_at, 6) == 0.5
    assert states[-3:] == [SourceState.LIVE, SourceState.LOST, SourceState.LIVE]

    source.close()
    assert states[-1] is SourceState.ENDED
    assert source.read() is None


def test_a_read_that_raises_is_a_lost_camera() -> None:
    broken = FakeCapture(frames=2, read_raises=True)
    source, _, _, states = camera([broken, FakeCapture(frames=100)])
    reads = [source.read() for _ in range(3)]
    assert [r is None for r in reads] == [False, False, True]
    assert states == [SourceState.LIVE, SourceState.LOST]
    assert broken.released
    reads = read_until(source, lambda r: bool(r) and r[-1] is not None)
    assert states == [SourceState.LIVE, SourceState.LOST, SourceState.LIVE]


@pytest.mark.parametrize(
    "error", [CaptureError("cv2.error: can't open camera"), OSError(19, "No such device")]
)
def test_a_factory_that_raises_is_lost_not_an_exception(error: Exception) -> None:
    source, factory, _, states = camera([error, error, FakeCapture(frames=1)])
    assert source.read() is None
    assert source.state is SourceState.LOST
    assert states == [SourceState.LOST]  # STARTING -> LOST: never seen
    reads = read_until(source, lambda r: bool(r) and r[-1] is not None)
    assert all(r is None for r in reads[:-1])
    assert states == [SourceState.LOST, SourceState.LIVE]
    assert len(factory.opened_at) == 3


def test_a_camera_that_is_never_there_keeps_trying_with_capped_backoff() -> None:
    source, factory, clock, states = camera(
        [FakeCapture(opened=False)], retry_seconds=0.25, max_retry_seconds=2.0
    )
    start = clock.now
    for _ in range(300):
        assert source.read() is None
    assert states == [SourceState.LOST]
    gaps = np.diff([start, *factory.opened_at])
    assert gaps[0] == 0  # the first attempt is at once
    assert list(np.round(gaps[1:5], 6)) == [0.25, 0.5, 1.0, 2.0]
    assert set(np.round(gaps[5:], 6)) == {2.0}
    source.close()
    assert source.state is SourceState.ENDED
    assert source.read() is None


def test_resolution_is_asked_of_the_capture() -> None:
    capture = FakeCapture(frames=1)
    source, _, _, _ = camera([capture], resolution=(1280, 720))
    assert source.read() is not None
    assert capture.props[cv2.CAP_PROP_FRAME_WIDTH] == 1280
    assert capture.props[cv2.CAP_PROP_FRAME_HEIGHT] == 720


def test_backoff_grows_for_a_camera_that_opens_but_delivers_nothing() -> None:
    """A V4L2 device busy in another process opens, then fails every read: the retries
    still back off to max_retry_seconds instead of hammering it every retry_seconds."""
    source, factory, _, states = camera(
        [FakeCapture(opened=True, frames=0)], retry_seconds=0.25, max_retry_seconds=2.0
    )
    for _ in range(300):
        assert source.read() is None
    assert states == [SourceState.LOST]
    gaps = np.round(np.diff(factory.opened_at), 6)
    assert max(gaps) == 2.0
