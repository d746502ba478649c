"""Camera-like frames holding demo cards: a synthetic webcam for the demo, tests and benchmarks.

A frame is a scene a kiosk webcam would see at an entrance: a wall with light falloff,
plaster grain, a notice or a door frame, a counter; in front of it a hand-held printed
card or a phone showing the card's QR code (error correction M, as cards are printed),
its side 25-45 % of the frame height (a phone 20-40 cm from a 720p webcam). The
variants are the conditions that make real scans fail:

``clean``         in focus, well lit, held roughly square to the camera
``blur``          out of focus plus a little motion blur
``noise``         strong sensor noise and JPEG artefacts (a cheap webcam's compressed stream)
``rotate17``      held 17 degrees off upright
``perspective``   tilted 30-40 degrees out of the image plane
``low_contrast``  a dim entrance: a printed card, dark grey on mid grey, few grey levels
``phone_glare``   a backlit phone screen: moire from its pixel grid, a specular glare blob

Everything random comes from the ``numpy.random.Generator`` passed in, so a seed gives the
same frame (with the same numpy and OpenCV versions). QR module matrices and card and phone
pictures are made once per text and cached; the per-frame work is one perspective warp of
the card into its bounding box, a few small filters and noise from a pre-generated pool.

Render cost, median ms (``bench/scan.py`` prints it; 2-core AMD EPYC VM, shared):

=============================================  =========  ==========
                                               640x480    1280x720
=============================================  =========  ==========
``render_card``, fresh scene, by variant        2.0-3.7    6.6-9.3
``empty_frame``                                 1.6        4.8
:class:`SyntheticSource` frame (scene kept)     1.4        3.1
=============================================  =========  ==========

At 15 fps a frame may take 66 ms, so the live demo leaves nearly all of it to decoding.

The decode rates per variant are measured by ``bench/scan.py`` and recorded in
``docs/design/003-qr-decoder.md``.
"""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Final, TypeVar

import cv2
import numpy as np
import numpy.typing as npt

from kiosk import qrimage
from kiosk.scanner.imaging import Image
from kiosk.scanner.sources import Frame, SourceState

logger = logging.getLogger(__name__)

_T = TypeVar("_T", bound=np.generic)

VARIANTS: Final[tuple[str, ...]] = (
    "clean",
    "blur",
    "noise",
    "rotate17",
    "perspective",
    "low_contrast",
    "phone_glare",
)

#: Sprite pixels per QR module: card and phone pictures, and the phone with a pixel grid
#: (finer, so that the grid is finer than the camera's pixels and aliases into moire).
_MODULE_PX: Final = 6
_GRID_MODULE_PX: Final = 9
#: Lens blur applied to the pixel grid before sampling, in sprite pixels (see _phone_sprite).
_GRID_LENS_SIGMA: Final = 0.5
#: The glare blob's standard deviation, as a fraction of the QR side.
_GLARE: Final = (0.15, 0.28)
#: Standard deviation of the pre-generated noise pool (int16), scaled down when added.
_POOL_SIGMA: Final = 16.0
_POOL_PAD: Final = 64

_INK: Final = (34, 32, 30)
_PAPER: Final = (228, 236, 240)
_SCREEN_WHITE: Final = (250, 250, 250)
_SCREEN_BLACK: Final = (40, 38, 38)
_SKIN: Final = (120, 156, 212)

_WALLS: Final = (
    (196, 214, 222),
    (200, 204, 206),
    (178, 204, 186),
    (212, 196, 172),
    (160, 176, 190),
)
_COUNTERS: Final = ((58, 92, 138), (70, 78, 86), (150, 160, 168), (40, 60, 96))


# -- pictures of the card and the phone (cached per text) ------------------------------


@functools.lru_cache(maxsize=64)
def qr_modules(text: str) -> npt.NDArray[np.bool_]:
    """The QR module matrix of ``text`` (True = dark), error correction M, no quiet zone."""
    return _frozen(np.array(qrimage.modules(text), dtype=bool))


def _frozen(array: npt.NDArray[_T]) -> npt.NDArray[_T]:
    """Cached arrays are shared between frames: make writing to one an error."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True, slots=True)
class _Sprite:
    """A flat picture of the card or phone and where the QR code sits on it."""

    image: Image
    qr_x: int
    qr_y: int
    qr_px: int
    #: Where a thumb holds it, in sprite pixels.
    grips: tuple[tuple[float, float], ...]


def _qr_block(
    text: str, module_px: int, dark: tuple[int, int, int], light: tuple[int, int, int]
) -> Image:
    modules = qr_modules(text)
    big = np.kron(modules, np.ones((module_px, module_px), dtype=bool))
    block = np.empty((*big.shape, 3), dtype=np.uint8)
    block[:] = light
    block[big] = dark
    return block


def _text_lines(img: Image, box: tuple[int, int, int, int], *, rows: int, shade: int) -> None:
    """Grey bars where a card prints names and dates (cheaper and font-free)."""
    x, y, width, height = box
    step = height / rows
    for i in range(rows):
        top = int(y + i * step + step * 0.3)
        length = int(width * (0.45 + 0.5 * ((i * 37) % 10) / 10))
        cv2.rectangle(img, (x, top), (x + length, top + max(2, int(step * 0.35))), (shade,) * 3, -1)


@functools.lru_cache(maxsize=64)
def _card_sprite(text: str) -> _Sprite:
    """A printed card, landscape: a coloured band and text on the left, the QR on the right."""
    q = len(qr_modules(text)) * _MODULE_PX
    quiet = 4 * _MODULE_PX
    pad = q // 16
    height = q + 2 * quiet + 2 * pad
    width = int(height * 1.58)
    img = np.empty((height, width, 3), dtype=np.uint8)
    img[:] = _PAPER
    band = int(height * 0.16)
    img[:band, : width - q - 2 * quiet - pad] = (70, 150, 40)
    cv2.putText(
        img,
        "TP. HO CHI MINH",
        (pad, int(band * 0.66)),
        cv2.FONT_HERSHEY_SIMPLEX,
        band / 80,
        (250, 250, 250),
        max(1, band // 24),
        cv2.LINE_AA,
    )
    text_w = width - q - 2 * quiet - 3 * pad
    _text_lines(img, (pad, band + pad, text_w, height - band - 2 * pad), rows=7, shade=90)
    qr_x = width - pad - quiet - q
    qr_y = (height - q) // 2
    img[qr_y : qr_y + q, qr_x : qr_x + q] = _qr_block(text, _MODULE_PX, _INK, _PAPER)
    grips = ((0.0, height * 0.72), (width * 0.25, float(height)))
    return _Sprite(_frozen(img), qr_x, qr_y, q, grips)


@functools.lru_cache(maxsize=64)
def _phone_sprite(text: str, pixel_grid: bool) -> _Sprite:
    """A phone, portrait, showing the card in an app; optionally with its pixel grid."""
    module_px = _GRID_MODULE_PX if pixel_grid else _MODULE_PX
    q = len(qr_modules(text)) * module_px
    quiet = 4 * module_px
    pad = q // 14
    screen_w = q + 2 * quiet + 2 * pad
    screen_h = int(screen_w * 2.0)
    bezel = max(4, screen_w // 24)
    width, height = screen_w + 2 * bezel, screen_h + 3 * bezel
    img = np.empty((height, width, 3), dtype=np.uint8)
    img[:] = (24, 22, 22)
    screen = img[2 * bezel : 2 * bezel + screen_h, bezel : bezel + screen_w]
    screen[:] = _SCREEN_WHITE
    status = screen_h // 28
    screen[:status] = (50, 46, 44)
    header = int(screen_h * 0.1)
    screen[status : status + header] = (70, 150, 40)
    cv2.putText(
        screen,
        "Ho Chi Minh City",
        (pad, status + int(header * 0.62)),
        cv2.FONT_HERSHEY_SIMPLEX,
        header / 75,
        (250, 250, 250),
        max(1, header // 30),
        cv2.LINE_AA,
    )
    qr_y = status + header + int(screen_h * 0.06)
    qr_x = (screen_w - q) // 2
    screen[qr_y : qr_y + q, qr_x : qr_x + q] = _qr_block(
        text, module_px, _SCREEN_BLACK, _SCREEN_WHITE
    )
    below = qr_y + q + quiet + pad
    _text_lines(screen, (pad, below, screen_w - 2 * pad, screen_h - below - pad), rows=6, shade=110)
    if pixel_grid:
        # An RGB-stripe panel: each column lights one channel, a dark line every third row.
        # Sampled by the camera at 2-3 sprite pixels per camera pixel, this aliases into moire.
        cols = np.full((screen_w, 3), 0.62, dtype=np.float32)
        cols[np.arange(screen_w), np.arange(screen_w) % 3] = 1.0
        rows = np.where(np.arange(screen_h) % 3 == 2, 0.55, 1.0).astype(np.float32)
        lit = screen.astype(np.float32) * cols[None, :, :] * rows[:, None, None]
        # The lens blurs the grid before the sensor samples it: what survives is faint.
        lit = np.asarray(cv2.GaussianBlur(lit, (0, 0), _GRID_LENS_SIGMA), dtype=np.float32)
        screen[:] = np.clip(lit * 1.35, 0, 255).astype(np.uint8)
    grips = ((0.0, height * 0.78), (float(width), height * 0.70))
    return _Sprite(_frozen(img), bezel + qr_x, 2 * bezel + qr_y, q, grips)


# -- the scene ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _noise_pool(width: int, height: int) -> npt.NDArray[np.int16]:
    """Gaussian noise a little larger than a frame; frames add a randomly offset crop."""
    pool_rng = np.random.default_rng(0x5C0FFEE)
    shape = (height + _POOL_PAD, width + _POOL_PAD)
    # After demosaicing, sensor noise is mostly shared by the channels (luma), a little not.
    luma = pool_rng.standard_normal((*shape, 1), dtype=np.float32)
    chroma = pool_rng.standard_normal((*shape, 3), dtype=np.float32)
    noise = (0.95 * luma + 0.31 * chroma) * _POOL_SIGMA
    return _frozen(np.rint(noise).astype(np.int16))


def _add_noise(img: Image, sigma: float, rng: np.random.Generator) -> Image:
    if sigma <= 0:
        return img
    h, w = img.shape[:2]
    pool = _noise_pool(w, h)
    dy, dx = (int(v) for v in rng.integers(0, _POOL_PAD, size=2))
    crop = pool[dy : dy + h, dx : dx + w]
    return _u8(cv2.addWeighted(img, 1.0, crop, sigma / _POOL_SIGMA, 0.0, dtype=cv2.CV_8U))


def _u8(mat: object) -> Image:
    """OpenCV returns ``MatLike``; the frames here are always uint8 arrays."""
    assert isinstance(mat, np.ndarray)
    assert mat.dtype == np.uint8
    return mat


def _check_size(size: tuple[int, int]) -> tuple[int, int]:
    width, height = size
    if width < 64 or height < 64:
        raise ValueError(f"frame size {size} is too small (at least 64x64)")
    return int(width), int(height)


def _scene(size: tuple[int, int], rng: np.random.Generator) -> Image:
    """An entrance seen by the kiosk's camera: wall, light falloff, a notice, a counter."""
    width, height = size
    wall = np.array(_WALLS[int(rng.integers(len(_WALLS)))], dtype=np.float32)
    # Light from above, falling off to the corners; blotches: uneven paint and shadows.
    gy = np.linspace(1.08, 0.78, 9, dtype=np.float32)[:, None]
    gx = 1.0 - 0.18 * np.linspace(-1, 1, 16, dtype=np.float32)[None, :] ** 2
    slope = 1.0 + rng.uniform(-0.12, 0.12) * np.linspace(-1, 1, 16, dtype=np.float32)[None, :]
    light = (gy * gx * slope)[:, :, None]
    blotches = rng.normal(0.0, 6.0, (9, 16, 1)) + rng.normal(0.0, 1.5, (9, 16, 3))
    low = wall[None, None, :] * light + blotches.astype(np.float32)
    img = _u8(
        cv2.resize(
            np.clip(low, 0, 255).astype(np.uint8), (width, height), interpolation=cv2.INTER_CUBIC
        )
    )
    s = height / 720
    # A notice on the wall, a door frame, a light switch: edges a decoder must ignore.
    for _ in range(int(rng.integers(1, 4))):
        kind = int(rng.integers(3))
        x = int(rng.uniform(0.0, 0.85) * width)
        y = int(rng.uniform(0.05, 0.5) * height)
        if kind == 0:
            pw, ph = int(rng.uniform(120, 260) * s), int(rng.uniform(160, 320) * s)
            cv2.rectangle(img, (x, y), (x + pw, y + ph), (235, 238, 240), -1)
            cv2.rectangle(img, (x, y), (x + pw, y + ph // 5), (40, 40, 190), -1)
            cv2.putText(
                img,
                "5K",
                (x + pw // 10, y + ph // 7),
                cv2.FONT_HERSHEY_DUPLEX,
                0.8 * s,
                (255, 255, 255),
                max(1, int(2 * s)),
                cv2.LINE_AA,
            )
            box = (x + pw // 10, y + ph // 4, int(pw * 0.8), int(ph * 0.7))
            _text_lines(img, box, rows=8, shade=70)
        elif kind == 1:
            bw = int(rng.uniform(14, 30) * s)
            shade = tuple(int(c * 0.55) for c in wall)
            cv2.rectangle(img, (x, 0), (x + bw, height), shade, -1)
            cv2.line(img, (x + bw, 0), (x + bw, height), (30, 30, 30), max(1, int(2 * s)))
        else:
            sw = int(rng.uniform(40, 70) * s)
            cv2.rectangle(img, (x, y), (x + sw, y + int(sw * 1.5)), (242, 242, 242), -1)
            cv2.rectangle(img, (x, y), (x + sw, y + int(sw * 1.5)), (120, 120, 120), 1)
    # The counter in front of the kiosk, with wood grain or a laminate edge.
    top = int(rng.uniform(0.72, 0.92) * height)
    left, right = top + int(rng.uniform(-0.04, 0.04) * height), top
    counter = _COUNTERS[int(rng.integers(len(_COUNTERS)))]
    pts = np.array([[0, left], [width, right], [width, height], [0, height]], dtype=np.int32)
    cv2.fillPoly(img, [pts], counter)
    cv2.line(
        img, (0, left), (width, right), tuple(min(255, c + 50) for c in counter), max(1, int(3 * s))
    )
    for _ in range(int(rng.integers(4, 12))):
        yy = int(rng.uniform(top + 6 * s, height))
        shade = tuple(max(0, c - int(rng.integers(8, 25))) for c in counter)
        cv2.line(img, (0, yy), (width, yy + int(rng.integers(-8, 9))), shade, 1)
    # Plaster and wood grain: a little static texture (the sensor noise comes later).
    return _add_noise(img, 4.0, rng)


# -- poses and looks ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pose:
    x: float  # QR centre, as a fraction of the frame width
    y: float  # ... and height
    qr_side: float  # QR side (without quiet zone) as a fraction of the frame height
    roll: float  # in-plane rotation, degrees
    tilt: float  # out-of-plane rotation, degrees
    tilt_axis: float  # direction of the tilt axis in the card's plane, degrees
    phone: bool
    pixel_grid: bool


@dataclass(frozen=True, slots=True)
class _Look:
    optics: float = 0.7  # Gaussian sigma of the lens at 720p
    defocus: float = 0.0  # disk radius, pixels at 720p
    motion: float = 0.0  # motion blur length, pixels at 720p
    motion_angle: float = 0.0
    exposure: float = 1.0  # gain on the scene
    lift: float = 0.0  # added after the gain (a dim, flat image)
    noise: float = 2.5  # sensor noise sigma, grey levels
    jpeg: int = 0  # JPEG quality, 0 = none
    glare: bool = False


def _pose(variant: str, rng: np.random.Generator) -> _Pose:
    phone = variant == "phone_glare" or (variant != "low_contrast" and bool(rng.random() < 0.5))
    if variant == "rotate17":
        roll = float(rng.choice((-17.0, 17.0)) + rng.normal(0.0, 0.7))
    else:
        roll = float(np.clip(rng.normal(0.0, 4.0), -9.0, 9.0))
    tilt = float(rng.uniform(30.0, 40.0) if variant == "perspective" else rng.uniform(0.0, 10.0))
    return _Pose(
        x=float(0.5 + rng.uniform(-0.12, 0.12)),
        y=float(0.5 + rng.uniform(-0.08, 0.08)),
        qr_side=float(rng.uniform(0.25, 0.45)),
        roll=roll,
        tilt=tilt,
        tilt_axis=float(rng.uniform(0.0, 360.0)),
        phone=phone,
        pixel_grid=variant == "phone_glare",
    )


def _look(variant: str, rng: np.random.Generator) -> _Look:
    if variant == "blur":
        return _Look(
            defocus=float(rng.uniform(1.6, 2.8)),
            motion=float(rng.uniform(3.0, 7.0)),
            motion_angle=float(rng.uniform(0.0, 180.0)),
        )
    if variant == "noise":
        return _Look(noise=float(rng.uniform(18.0, 30.0)), jpeg=int(rng.integers(15, 35)))
    if variant == "low_contrast":
        gain = float(rng.uniform(0.055, 0.12))
        return _Look(optics=0.9, exposure=gain, lift=96.0 - 30.0 * gain, noise=3.0)
    if variant == "phone_glare":
        return _Look(exposure=float(rng.uniform(0.6, 0.8)), glare=True)
    return _Look()


def _homography(sprite: _Sprite, pose: _Pose, size: tuple[int, int]) -> npt.NDArray[np.float64]:
    """Sprite pixels -> frame pixels for a card held at ``pose`` before a pinhole camera."""
    width, height = size
    focal = 0.7 * width  # a webcam with a ~70 degree horizontal field of view
    qr_cx = sprite.qr_x + sprite.qr_px / 2
    qr_cy = sprite.qr_y + sprite.qr_px / 2
    unit = 1.0 / sprite.qr_px  # card-plane units: the QR side is 1
    depth = focal / (pose.qr_side * height)
    cx = (pose.x * width - width / 2) * depth / focal
    cy = (pose.y * height - height / 2) * depth / focal
    roll, tilt, axis = (math.radians(a) for a in (pose.roll, pose.tilt, pose.tilt_axis))
    # Tilt about an axis lying in the card's plane (Rodrigues), then roll about the view axis.
    k = np.array([math.cos(axis), math.sin(axis), 0.0])
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    tilt_m = np.eye(3) + math.sin(tilt) * kx + (1 - math.cos(tilt)) * (kx @ kx)
    roll_m = np.array(
        [[math.cos(roll), -math.sin(roll), 0], [math.sin(roll), math.cos(roll), 0], [0, 0, 1]]
    )
    rot = roll_m @ tilt_m
    h, w = sprite.image.shape[:2]
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    plane = np.column_stack([(src[:, 0] - qr_cx) * unit, (src[:, 1] - qr_cy) * unit, np.zeros(4)])
    world = plane @ rot.T + np.array([cx, cy, depth])
    dst = np.column_stack(
        [
            focal * world[:, 0] / world[:, 2] + width / 2,
            focal * world[:, 1] / world[:, 2] + height / 2,
        ]
    ).astype(np.float32)
    return np.asarray(cv2.getPerspectiveTransform(src, dst), dtype=np.float64)


def _project(matrix: npt.NDArray[np.float64], x: float, y: float) -> tuple[float, float]:
    u, v, w = matrix @ np.array([x, y, 1.0])
    return float(u / w), float(v / w)


def _place(frame: Image, sprite: _Sprite, matrix: npt.NDArray[np.float64]) -> None:
    """Warp the sprite into the frame, in place, touching only its bounding box."""
    height, width = frame.shape[:2]
    h, w = sprite.image.shape[:2]
    corners = [_project(matrix, x, y) for x, y in ((0, 0), (w, 0), (w, h), (0, h))]
    x0 = max(0, math.floor(min(c[0] for c in corners)))
    y0 = max(0, math.floor(min(c[1] for c in corners)))
    x1 = min(width, math.ceil(max(c[0] for c in corners)) + 1)
    y1 = min(height, math.ceil(max(c[1] for c in corners)) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    shift = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]], dtype=np.float64)
    cv2.warpPerspective(
        sprite.image,
        shift @ matrix,
        (x1 - x0, y1 - y0),
        dst=frame[y0:y1, x0:x1],
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_TRANSPARENT,
    )


def _thumbs(frame: Image, sprite: _Sprite, matrix: npt.NDArray[np.float64], qr_px: float) -> None:
    """Fingers holding the card or phone at its edges, clear of the code."""
    for gx, gy in sprite.grips:
        x, y = _project(matrix, gx, gy)
        axes = (max(2, int(0.11 * qr_px)), max(2, int(0.2 * qr_px)))
        centre = (int(x), int(y))
        cv2.ellipse(frame, centre, axes, 15, 0, 360, _SKIN, -1, cv2.LINE_AA)
        cv2.ellipse(frame, centre, axes, 15, 0, 360, (80, 104, 150), 1, cv2.LINE_AA)


def _glare(frame: Image, pose: _Pose, size: tuple[int, int], rng: np.random.Generator) -> None:
    """A ceiling light reflected in the screen: a saturating blob partly over the code."""
    width, height = size
    side = pose.qr_side * height
    angle = rng.uniform(0.0, 2 * math.pi)
    dist = rng.uniform(0.15, 0.45) * side
    cx = pose.x * width + dist * math.cos(angle)
    cy = pose.y * height + dist * math.sin(angle)
    sx = rng.uniform(_GLARE[0], _GLARE[1]) * side
    sy = sx * rng.uniform(0.45, 1.0)
    peak = rng.uniform(170.0, 260.0)
    x0, x1 = max(0, int(cx - 3 * sx)), min(width, int(cx + 3 * sx) + 1)
    y0, y1 = max(0, int(cy - 3 * sy)), min(height, int(cy + 3 * sy) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    xs = ((np.arange(x0, x1, dtype=np.float32) - cx) / sx) ** 2
    ys = ((np.arange(y0, y1, dtype=np.float32) - cy) / sy) ** 2
    blob = peak * np.exp(-0.5 * (ys[:, None] + xs[None, :]))
    roi = frame[y0:y1, x0:x1]
    roi[:] = np.clip(roi.astype(np.float32) + blob[:, :, None], 0, 255).astype(np.uint8)


def _disk(radius: float) -> npt.NDArray[np.float32]:
    r = max(1, math.ceil(radius))
    kernel = np.zeros((2 * r + 1, 2 * r + 1), dtype=np.float32)
    cv2.circle(kernel, (r, r), max(1, round(radius)), 1.0, -1, cv2.LINE_AA)
    kernel /= kernel.sum()
    return kernel


def _streak(length: float, angle: float) -> npt.NDArray[np.float32]:
    n = max(1, round(length))
    kernel = np.zeros((n, n), dtype=np.float32)
    c = (n - 1) / 2
    dx, dy = math.cos(math.radians(angle)) * c, math.sin(math.radians(angle)) * c
    cv2.line(kernel, (round(c - dx), round(c - dy)), (round(c + dx), round(c + dy)), 1.0, 1)
    kernel /= kernel.sum()
    return kernel


def _camera(img: Image, look: _Look, rng: np.random.Generator) -> Image:
    """Lens, focus, motion, exposure, sensor noise and compression, in that order."""
    s = img.shape[0] / 720
    img = _u8(cv2.GaussianBlur(img, (0, 0), look.optics * s))
    if look.defocus > 0:
        img = _u8(cv2.filter2D(img, -1, _disk(look.defocus * s)))
    if look.motion > 0:
        img = _u8(cv2.filter2D(img, -1, _streak(look.motion * s, look.motion_angle)))
    if look.exposure != 1.0 or look.lift:
        img = _u8(cv2.convertScaleAbs(img, alpha=look.exposure, beta=look.lift))
    img = _add_noise(img, look.noise, rng)
    if look.jpeg:
        ok, data = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, look.jpeg])
        if ok:
            img = _u8(cv2.imdecode(data, cv2.IMREAD_COLOR))
    return img


def _compose(scene: Image, text: str, pose: _Pose, look: _Look, rng: np.random.Generator) -> Image:
    size = (scene.shape[1], scene.shape[0])
    frame = scene.copy()
    if look.glare:
        # The camera exposes for the bright screen: the room around it goes darker.
        frame = _u8(cv2.convertScaleAbs(frame, alpha=look.exposure))
        look = replace(look, exposure=1.0)
    sprite = _phone_sprite(text, pose.pixel_grid) if pose.phone else _card_sprite(text)
    matrix = _homography(sprite, pose, size)
    _place(frame, sprite, matrix)
    _thumbs(frame, sprite, matrix, pose.qr_side * size[1])
    if look.glare:
        _glare(frame, pose, size, rng)
    return _camera(frame, look, rng)


def _check_variant(variant: str) -> None:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}; choose one of {', '.join(VARIANTS)}")


def render_card(text: str, size: tuple[int, int], variant: str, rng: np.random.Generator) -> Image:
    """A BGR frame of ``size`` (width, height) showing ``text`` as a QR code held up to the
    kiosk, in a fresh scene, under ``variant`` (one of :data:`VARIANTS`)."""
    _check_variant(variant)
    size = _check_size(size)
    scene = _scene(size, rng)
    return _compose(scene, text, _pose(variant, rng), _look(variant, rng), rng)


def empty_frame(size: tuple[int, int], rng: np.random.Generator) -> Image:
    """The same kind of scene with no code in it."""
    size = _check_size(size)
    return _camera(_scene(size, rng), _Look(), rng)


# -- a live source -----------------------------------------------------------------------


class SyntheticSource:
    """A never-ending fake webcam: each text is held up for ``card_seconds`` (moving a
    little from frame to frame, each time in the next variant), then the entrance is empty
    for ``empty_seconds``; then the next text, round and round.

    ``realtime=True`` paces :meth:`read` to ``fps`` with ``sleep`` (a camera delivers at
    its own rate) and makes the source ``live``; ``realtime=False`` returns frames as fast
    as they are asked for, and the scan loop decodes every one of them.
    The scene (wall, counter) is made once per source, as a fixed camera sees it.
    """

    def __init__(
        self,
        texts: Sequence[str],
        *,
        size: tuple[int, int] = (1280, 720),
        fps: float = 15.0,
        realtime: bool = True,
        seed: int = 0,
        variants: Sequence[str] = VARIANTS,
        card_seconds: float = 2.0,
        empty_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if fps <= 0:
            raise ValueError("fps must be positive")
        if not variants:
            raise ValueError("at least one variant is needed")
        for variant in variants:
            _check_variant(variant)
        self.size = _check_size(size)
        self.name = f"synthetic camera {self.size[0]}x{self.size[1]}"
        # Paced like a camera, the scan loop keeps only the newest frame; unpaced (tests,
        # benchmarks) it is a finite-style source whose every frame gets decoded.
        self.live = realtime
        self._texts = tuple(texts)
        self._fps = fps
        self._realtime = realtime
        self._variants = tuple(variants)
        self._card_frames = max(1, round(card_seconds * fps)) if self._texts else 0
        self._empty_frames = max(1, round(empty_seconds * fps))
        self._clock = clock
        self._sleep = sleep
        self._rng = np.random.default_rng(seed)
        self._scene: Image | None = None
        self._state = SourceState.LIVE
        self._index = 0
        self._due: float | None = None
        self._pose: _Pose | None = None
        self._look = _Look()

    @property
    def state(self) -> SourceState:
        return self._state

    def showing(self, index: int) -> str | None:
        """The text shown in frame number ``index`` (1-based, as in :class:`Frame`)."""
        period = self._card_frames + self._empty_frames
        if not self._texts:
            return None
        turn, step = divmod(index - 1, period)
        return self._texts[turn % len(self._texts)] if step < self._card_frames else None

    def _pace(self) -> None:
        now = self._clock()
        if self._due is not None and now < self._due:
            self._sleep(self._due - now)
            now = self._due
        # A late reader gets the next frame at once, then the cadence resumes (no backlog).
        self._due = now + 1.0 / self._fps

    def _card(self, text: str, step: int, turn: int) -> Image:
        assert self._scene is not None
        rng = self._rng
        if step == 0 or self._pose is None:
            # Shifted by one each round of texts, so that every text meets every variant.
            shift = turn // max(1, len(self._texts))
            variant = self._variants[(turn + shift) % len(self._variants)]
            self._pose = _pose(variant, rng)
            self._look = _look(variant, rng)
        pose = self._pose
        # The hand drifts; for the first frames the card is still being raised into view.
        self._pose = replace(
            pose,
            x=float(np.clip(pose.x + rng.normal(0.0, 0.004), 0.3, 0.7)),
            y=float(np.clip(pose.y + rng.normal(0.0, 0.004), 0.35, 0.65)),
            roll=pose.roll + float(rng.normal(0.0, 0.3)),
            qr_side=float(np.clip(pose.qr_side * (1 + rng.normal(0.0, 0.006)), 0.22, 0.48)),
        )
        shown, look = self._pose, self._look
        if look.defocus:  # focus hunts and the hand shakes: some frames come out sharper
            look = replace(
                look,
                defocus=look.defocus * float(rng.uniform(0.5, 1.1)),
                motion=float(rng.uniform(1.0, 7.0)),
                motion_angle=float(rng.uniform(0.0, 180.0)),
            )
        if look.exposure < 1.0 and not look.glare:  # auto-exposure hunting in the dim
            look = replace(look, exposure=look.exposure * float(rng.uniform(0.9, 1.2)))
        if step < 3:
            rise = (3 - step) * 0.12
            shown = replace(shown, y=shown.y + rise)
            look = replace(look, motion=max(look.motion, 40.0 * rise), motion_angle=90.0)
        return _compose(self._scene, text, shown, look, rng)

    def read(self) -> Frame | None:
        if self._state is SourceState.ENDED:
            return None
        if self._realtime:
            self._pace()
        if self._scene is None:
            self._scene = _scene(self.size, self._rng)
        self._index += 1
        text = self.showing(self._index)
        if text is None:
            image = _camera(self._scene, _Look(), self._rng)
        else:
            period = self._card_frames + self._empty_frames
            turn, step = divmod(self._index - 1, period)
            image = self._card(text, step, turn)
        return Frame(image, self._index, self._clock())

    def close(self) -> None:
        self._state = SourceState.ENDED
