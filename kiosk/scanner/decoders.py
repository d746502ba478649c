"""QR decoders behind one protocol: zxing-cpp and pyzbar, both restricted to QR codes.

Restricting the symbologies is faster than scanning for every barcode kind: measured
10-13x for zxing-cpp, 2x for pyzbar (bench/scan.py). zxing-cpp is restricted to QR
Model 2: its "QRCode" family includes Micro QR, and it read 6-byte phantom Micro QR
codes out of real cards' finder patterns in 2 of 1,600 benchmark frames.
The default is zxing-cpp, chosen by measurement (``bench/scan.py``,
``docs/design/003-qr-decoder.md``); pyzbar (needing the system library ``libzbar0``)
stays a supported choice, and each falls back to the other when its library is missing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final, Protocol

import numpy as np

from kiosk.errors import DecoderUnavailable
from kiosk.scanner.imaging import Image, to_gray

__all__ = [
    "AUTO",
    "NAMES",
    "PYZBAR",
    "ZXING",
    "Image",
    "PyzbarDecoder",
    "QrDecoder",
    "ZxingDecoder",
    "make_decoder",
]

logger = logging.getLogger(__name__)

ZXING: Final = "zxing"
PYZBAR: Final = "pyzbar"
AUTO: Final = "auto"
#: Preference order for ``auto``: the measured winner first.
PREFERENCE: Final = (ZXING, PYZBAR)


class QrDecoder(Protocol):
    """Finds QR codes in one image and returns the text each holds, UTF-8 encoded.

    (Byte-mode QR content without an ECI marker is ISO-8859-1 by the QR standard; both
    libraries read it so, and both hand back the same bytes. Card payloads are ASCII.)
    """

    name: str

    def decode(self, image: Image) -> list[bytes]: ...


def _usable(image: object) -> bool:
    return (
        isinstance(image, np.ndarray)
        and image.dtype == np.uint8
        and (image.ndim == 2 or (image.ndim == 3 and image.shape[2] in (1, 3, 4)))
        and image.shape[0] >= 8
        and image.shape[1] >= 8
    )


class ZxingDecoder:
    name = ZXING

    def __init__(self) -> None:
        try:  # imported here so that a missing library means a fallback, not a crash
            import zxingcpp  # noqa: PLC0415
        except ImportError as exc:
            raise DecoderUnavailable("zxing-cpp is not installed (pip install zxing-cpp)") from exc
        self._read = zxingcpp.read_barcodes
        self._formats = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2)
        self._plain = zxingcpp.TextMode.Plain

    def decode(self, image: Image) -> list[bytes]:
        if not _usable(image):
            return []
        found = self._read(to_gray(image), formats=self._formats, text_mode=self._plain)
        return [barcode.text.encode("utf-8") for barcode in found if barcode.valid]


class PyzbarDecoder:
    name = PYZBAR

    def __init__(self) -> None:
        try:
            from pyzbar import pyzbar  # noqa: PLC0415
        except ImportError as exc:  # the wheel is there but libzbar0 is not, or no wheel
            raise DecoderUnavailable(
                "pyzbar cannot load: it needs the system library libzbar0 "
                "(sudo apt-get install -y libzbar0) and the pyzbar package"
            ) from exc
        self._decode = pyzbar.decode
        self._symbols = [pyzbar.ZBarSymbol.QRCODE]

    def decode(self, image: Image) -> list[bytes]:
        if not _usable(image):
            return []
        return [bytes(symbol.data) for symbol in self._decode(to_gray(image), self._symbols)]


_FACTORIES: Final[dict[str, Callable[[], QrDecoder]]] = {
    ZXING: ZxingDecoder,
    PYZBAR: PyzbarDecoder,
}
NAMES: Final = (AUTO, *_FACTORIES)


def make_decoder(name: str = AUTO) -> QrDecoder:
    """The decoder asked for; when its library is missing, the other one, with a warning.

    Raises :class:`DecoderUnavailable` only when no decoder can be loaded at all.
    """
    if name != AUTO and name not in _FACTORIES:
        raise DecoderUnavailable(
            f"unknown decoder {name!r}; choose one of {', '.join(NAMES)}",
            code="decoder_unknown",
            values={"decoder": name},
        )
    order = PREFERENCE if name == AUTO else (name, *(n for n in PREFERENCE if n != name))
    problems = []
    for candidate in order:
        try:
            decoder = _FACTORIES[candidate]()
        except DecoderUnavailable as exc:
            problems.append(str(exc))
            continue
        if problems:
            logger.warning(
                "decoder %s unavailable (%s); using %s", order[0], problems[0], candidate
            )
        return decoder
    raise DecoderUnavailable(
        "no QR decoder can be loaded: " + "; ".join(problems),
        code="decoder_unavailable",
        values={"decoder": name},
    )
