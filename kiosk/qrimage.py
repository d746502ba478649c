"""QR images of card texts: the one adapter around ``segno``.

Cards are printed at error correction M (as the DCC recommends), without segno's
"boost" that raises the level when it fits, so every card has the same robustness.
"""

from __future__ import annotations

from pathlib import Path

import segno


def write_png(text: str, path: Path, *, scale: int = 6) -> None:
    """Write ``text`` as a QR code PNG."""
    segno.make_qr(text, error="m", boost_error=False).save(
        str(path), kind="png", scale=scale, border=4
    )


def modules(text: str) -> list[list[bool]]:
    """The QR module matrix of ``text`` (True = dark), without the quiet zone."""
    return [
        [bool(cell) for cell in row]
        for row in segno.make_qr(text, error="m", boost_error=False).matrix
    ]
