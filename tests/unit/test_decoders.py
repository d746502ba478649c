"""The QR decoders (zxing-cpp and pyzbar): real cards decode, other symbologies and
garbage frames give ``[]``, and a missing library falls back to the other decoder.

QR frames are rendered here with segno + numpy (no dependency on the synthetic camera).
"""

from __future__ import annotations

import logging
import sys

import numpy as np
import numpy.typing as npt
import pytest
import segno
import zxingcpp
from helpers import World, two_dose_card
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from kiosk.errors import DecoderUnavailable
from kiosk.scanner.decoders import (
    PYZBAR,
    ZXING,
    PyzbarDecoder,
    QrDecoder,
    ZxingDecoder,
    make_decoder,
)

NAMES = (ZXING, PYZBAR)
_DECODERS: dict[str, QrDecoder] = {}


def decoder(name: str) -> QrDecoder:
    """One decoder per name for the whole module (they hold no per-frame state)."""
    if name not in _DECODERS:
        _DECODERS[name] = make_decoder(name)
        assert _DECODERS[name].name == name  # both libraries are installed here
    return _DECODERS[name]


def qr_frame(
    text: str, *, size: tuple[int, int] = (480, 640), scale: int = 4
) -> npt.NDArray[np.uint8]:
    """A white grayscale frame with ``text`` as a QR code (error correction M) in the middle."""
    modules = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
    code = np.kron(
        np.where(modules == 1, 0, 255).astype(np.uint8), np.ones((scale, scale), np.uint8)
    )
    frame = np.full(size, 255, np.uint8)
    top, left = (size[0] - code.shape[0]) // 2, (size[1] - code.shape[1]) // 2
    frame[top : top + code.shape[0], left : left + code.shape[1]] = code
    return frame


def bgr(gray: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    return np.repeat(gray[:, :, np.newaxis], 3, axis=2)


@pytest.fixture
def card_text(world: World) -> str:
    return world.city.issue(two_dose_card())


# --- real cards ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_decodes_a_signed_card_in_grayscale(name: str, card_text: str) -> None:
    assert decoder(name).decode(qr_frame(card_text)) == [card_text.encode("ascii")]


@pytest.mark.parametrize("name", NAMES)
def test_decodes_a_signed_card_in_bgr(name: str, card_text: str) -> None:
    frame = bgr(qr_frame(card_text))
    assert frame.shape == (480, 640, 3)
    assert decoder(name).decode(frame) == [card_text.encode("ascii")]


@pytest.mark.parametrize("name", NAMES)
def test_decodes_bgra_and_single_channel_frames(name: str, card_text: str) -> None:
    gray = qr_frame(card_text)
    bgra = np.dstack([gray, gray, gray, np.full_like(gray, 255)])
    assert decoder(name).decode(bgra) == [card_text.encode("ascii")]
    assert decoder(name).decode(gray[:, :, np.newaxis]) == [card_text.encode("ascii")]


@pytest.mark.parametrize("name", NAMES)
def test_decodes_a_coloured_card_by_luma(name: str, card_text: str) -> None:
    """Dark blue modules on a pale yellow card: the luma conversion keeps the contrast."""
    gray = qr_frame(card_text)
    frame = np.empty((*gray.shape, 3), np.uint8)
    frame[gray == 0] = (120, 30, 20)  # BGR: dark blue
    frame[gray == 255] = (170, 240, 250)  # BGR: pale yellow
    assert decoder(name).decode(frame) == [card_text.encode("ascii")]


@pytest.mark.parametrize("name", NAMES)
def test_two_cards_in_one_frame_are_both_found(name: str, world: World) -> None:
    first, second = (world.city.issue(two_dose_card()) for _ in range(2))
    frame = np.hstack([qr_frame(first, size=(480, 480)), qr_frame(second, size=(480, 480))])
    found = decoder(name).decode(frame)
    assert sorted(found) == sorted([first.encode(), second.encode()])


@pytest.mark.parametrize("name", NAMES)
def test_decoders_agree_on_utf8_text(name: str) -> None:
    text = "Nguyễn Văn An, https://example.com/menu"
    assert decoder(name).decode(qr_frame(text)) == [text.encode("utf-8")]


def test_decoders_agree_on_latin1_byte_mode() -> None:
    frame = qr_frame("café")  # segno encodes é in byte mode as ISO-8859-1, no ECI
    assert decoder(ZXING).decode(frame) == decoder(PYZBAR).decode(frame)


# --- restricted to QR codes ------------------------------------------------------------------


def zxing_render(fmt: zxingcpp.BarcodeFormat, text: str) -> npt.NDArray[np.uint8]:
    """A barcode of another symbology, rendered by zxing-cpp and padded into a frame."""
    if hasattr(zxingcpp, "create_barcode") and hasattr(zxingcpp, "write_barcode_to_image"):
        image = np.asarray(zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, fmt)))
    else:  # older zxing-cpp
        image = np.asarray(zxingcpp.write_barcode(fmt, text, width=300, height=120))
    image = np.ascontiguousarray(image, dtype=np.uint8)
    if image.ndim == 3:
        image = np.ascontiguousarray(image[:, :, 0])
    # Scale the modules up and leave a quiet zone, so that any reader could see it.
    scale = max(1, 240 // max(image.shape))
    image = np.kron(image, np.ones((scale, scale), np.uint8)).astype(np.uint8)
    return np.pad(image, 40, constant_values=255)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "fmt", [zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.DataMatrix], ids=str
)
def test_other_symbologies_are_not_returned(name: str, fmt: zxingcpp.BarcodeFormat) -> None:
    frame = zxing_render(fmt, "HCM1:NOTAQRCODE")
    # The image really holds a readable barcode: zxing-cpp with every format finds it.
    assert [r.text for r in zxingcpp.read_barcodes(frame)] == ["HCM1:NOTAQRCODE"]
    assert decoder(name).decode(frame) == []


@pytest.mark.parametrize("name", NAMES)
def test_a_qr_beside_a_code128_returns_only_the_qr(name: str, card_text: str) -> None:
    barcode = zxing_render(zxingcpp.BarcodeFormat.Code128, "123456789")
    qr = qr_frame(card_text)
    frame = np.full((qr.shape[0] + barcode.shape[0], max(qr.shape[1], barcode.shape[1])), 255)
    frame[: qr.shape[0], : qr.shape[1]] = qr
    frame[qr.shape[0] :, : barcode.shape[1]] = barcode
    assert decoder(name).decode(frame.astype(np.uint8)) == [card_text.encode()]


# --- garbage frames ----------------------------------------------------------------------------

_RNG = np.random.default_rng(20211001)
_CLEAN = qr_frame("HCM1:GARBAGE-TEST")

GARBAGE: dict[str, object] = {
    "all black": np.zeros((480, 640), np.uint8),
    "all white": np.full((480, 640), 255, np.uint8),
    "all black bgr": np.zeros((480, 640, 3), np.uint8),
    "uniform noise": _RNG.integers(0, 256, (480, 640), dtype=np.uint8),
    "uniform noise bgr": _RNG.integers(0, 256, (480, 640, 3), dtype=np.uint8),
    "0x0": np.zeros((0, 0), np.uint8),
    "0x0x3": np.zeros((0, 0, 3), np.uint8),
    "1x1": np.zeros((1, 1), np.uint8),
    "5x5": np.full((5, 5), 255, np.uint8),
    "1-D array": np.zeros(640, np.uint8),
    "0-D array": np.array(7, np.uint8),
    "4-D array": np.zeros((2, 48, 64, 3), np.uint8),
    "2 channels": np.zeros((48, 64, 2), np.uint8),
    "5 channels": np.zeros((48, 64, 5), np.uint8),
    "4-channel BGRA noise": _RNG.integers(0, 256, (480, 640, 4), dtype=np.uint8),
    "float32 image": _CLEAN.astype(np.float32),
    "float32 unit range": _CLEAN.astype(np.float32) / 255,
    "int16 image": _CLEAN.astype(np.int16),
    "bool image": _CLEAN > 0,
    "non-contiguous slice": _RNG.integers(0, 256, (480, 640), dtype=np.uint8)[:, ::2],
    "negative strides": _RNG.integers(0, 256, (480, 640, 3), dtype=np.uint8)[::-1, ::-1],
    "huge but thin 1x20000": np.zeros((1, 20000), np.uint8),
    "huge but thin 20000x1": np.full((20000, 1), 255, np.uint8),
    "thin 8x20000 noise": _RNG.integers(0, 256, (8, 20000), dtype=np.uint8),
    "list instead of an array": [[0, 255] * 20] * 40,
    "None": None,
    "bytes": b"\x89PNG\r\n\x1a\n",
}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("what", list(GARBAGE))
def test_garbage_frames_give_no_codes(name: str, what: str) -> None:
    assert decoder(name).decode(GARBAGE[what]) == []  # type: ignore[arg-type]


@pytest.mark.parametrize("name", NAMES)
def test_a_non_contiguous_slice_of_a_real_card_still_decodes(name: str, card_text: str) -> None:
    """``image[::2, ::2]`` of a card rendered at scale 8 is a scale-4 card, not contiguous."""
    big = qr_frame(card_text, size=(960, 1280), scale=8)
    view = big[::2, ::2]
    assert not view.flags.c_contiguous
    assert decoder(name).decode(view) == [card_text.encode()]
    colour = bgr(big)[::2, ::2]
    assert decoder(name).decode(colour) == [card_text.encode()]


@st.composite
def random_frames(draw: st.DrawFn) -> np.ndarray:
    dtype = draw(st.sampled_from([np.uint8, np.uint8, np.uint8, np.int16, np.float32, np.bool_]))
    if draw(st.booleans()):  # shapes the decoders accept and really scan
        height, width = draw(st.integers(8, 48)), draw(st.integers(8, 48))
        shape = draw(st.sampled_from([(height, width), (height, width, 1), (height, width, 3)]))
        shape = draw(st.sampled_from([shape, (height, width, 4)]))
    else:
        shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=24))
    frame = draw(hnp.arrays(dtype, shape))
    if frame.ndim >= 2 and draw(st.booleans()):
        frame = frame[::-1, ::2]  # a view with odd strides
    return frame


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=150, deadline=None)
@given(frame=random_frames())
def test_random_small_arrays_give_a_list_and_never_raise(name: str, frame: np.ndarray) -> None:
    found = decoder(name).decode(frame)
    assert isinstance(found, list)
    assert all(isinstance(code, bytes) for code in found)


# --- choosing a decoder, and falling back -------------------------------------------------------


def test_auto_prefers_zxing() -> None:
    assert make_decoder().name == ZXING
    assert make_decoder("auto").name == ZXING


@pytest.mark.parametrize("name", NAMES)
def test_asking_for_a_decoder_that_is_there_gives_it_without_warning(
    name: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.scanner.decoders"):
        chosen = make_decoder(name)
    assert chosen.name == name
    assert caplog.records == []


def test_pyzbar_missing_falls_back_to_zxing_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, card_text: str
) -> None:
    monkeypatch.setitem(sys.modules, "pyzbar", None)  # the real import now fails
    with pytest.raises(DecoderUnavailable, match="libzbar0"):
        PyzbarDecoder()
    with caplog.at_level(logging.WARNING, logger="kiosk.scanner.decoders"):
        chosen = make_decoder(PYZBAR)
    assert isinstance(chosen, ZxingDecoder)
    assert chosen.name == ZXING
    (record,) = [r for r in caplog.records if r.name == "kiosk.scanner.decoders"]
    assert record.levelno == logging.WARNING
    assert "pyzbar" in record.getMessage()
    assert "zxing" in record.getMessage()
    # The fallback really decodes.
    assert chosen.decode(qr_frame(card_text)) == [card_text.encode()]


def test_zxing_missing_falls_back_to_pyzbar_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, card_text: str
) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    with pytest.raises(DecoderUnavailable, match="zxing-cpp"):
        ZxingDecoder()
    with caplog.at_level(logging.WARNING, logger="kiosk.scanner.decoders"):
        chosen = make_decoder(ZXING)
    assert isinstance(chosen, PyzbarDecoder)
    (record,) = [r for r in caplog.records if r.name == "kiosk.scanner.decoders"]
    assert record.levelno == logging.WARNING
    assert "zxing" in record.getMessage()
    assert chosen.decode(qr_frame(card_text)) == [card_text.encode()]


def test_auto_with_zxing_missing_uses_pyzbar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    assert make_decoder("auto").name == PYZBAR


@pytest.mark.parametrize("name", ["auto", ZXING, PYZBAR])
def test_both_missing_is_decoder_unavailable_naming_libzbar0(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setitem(sys.modules, "zxingcpp", None)
    monkeypatch.setitem(sys.modules, "pyzbar", None)
    with pytest.raises(DecoderUnavailable, match="libzbar0") as caught:
        make_decoder(name)
    assert "zxing-cpp" in str(caught.value)


@pytest.mark.parametrize("name", ["zbar", "", "ZXING", "opencv", "auto "])
def test_an_unknown_decoder_name_is_decoder_unavailable(name: str) -> None:
    with pytest.raises(DecoderUnavailable, match="unknown decoder") as caught:
        make_decoder(name)
    assert "zxing" in str(caught.value)
    assert "pyzbar" in str(caught.value)
