"""QR images of card texts: the one adapter around ``segno``."""

from __future__ import annotations

from pathlib import Path

import segno


def write_png(text: str, path: Path, *, scale: int = 6) -> None:
    """Write ``text`` as a QR code PNG (error correction M, as the DCC recommends)."""
    segno.make_qr(text, error="m").save(str(path), kind="png", scale=scale, border=4)
