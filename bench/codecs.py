"""Our hardened codecs beside cbor2 (a compiled extension), on real EU DCC test data.

Run: .venv/bin/python bench/codecs.py
Needs ../shared/conformance/dcc beside the checkout (for a real DCC QR text);
otherwise uses a golden HCM1 vector.
"""

from __future__ import annotations

import json
import timeit
from collections.abc import Callable
from pathlib import Path

import cbor2

from kiosk.formats import base45, envelope
from kiosk.formats.cbor import dumps, loads

ROOT = Path(__file__).resolve().parents[1]
DCC = ROOT.parent / "shared" / "conformance" / "dcc" / "VA" / "2DCode" / "raw" / "1.json"


def best_us(fn: Callable[[], object], number: int = 20_000) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main() -> None:
    if DCC.exists():
        source = f"EU DCC test card {DCC.relative_to(ROOT.parent)}"
        text = json.loads(DCC.read_text("utf-8"))["PREFIX"][len("HC1:") :]
    else:
        vector = json.loads((ROOT / "tests" / "vectors" / "hcm1.json").read_text("utf-8"))[0]
        source = "golden HCM1 vector"
        text = vector["text"][len("HCM1:") :]
    cose = envelope.inflate(base45.b45decode(text))
    tags = frozenset({18})
    message = loads(cose, allowed_tags=tags)
    payload = message.value[2]  # type: ignore[attr-defined]
    claims = loads(payload, allowed_tags=frozenset({0}))
    sig_structure = ["Signature1", message.value[0], b"", payload]  # type: ignore[attr-defined]
    print(f"# bench/codecs.py on the {source}: {len(text)} Base45 chars, {len(cose)} B COSE")
    print(f"{'operation':40} {'ours µs':>9} {'cbor2 µs':>9}")
    rows: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
        ("Base45 decode", lambda: base45.b45decode(text), None),
        (
            "CBOR loads: COSE_Sign1",
            lambda: loads(cose, allowed_tags=tags),
            lambda: cbor2.loads(cose),
        ),
        (
            "CBOR loads: CWT claims",
            lambda: loads(payload, allowed_tags=frozenset({0})),
            lambda: cbor2.loads(payload),
        ),
        (
            "CBOR dumps: Sig_structure",
            lambda: dumps(sig_structure),
            lambda: cbor2.dumps(sig_structure),
        ),
        (
            "CBOR dumps: claims (canonical)",
            lambda: dumps(claims),
            lambda: cbor2.dumps(claims, canonical=True),
        ),
    ]
    for name, ours, theirs in rows:
        other = f"{best_us(theirs):9.2f}" if theirs else f"{'-':>9}"
        print(f"{name:40} {best_us(ours):9.2f} {other}")


if __name__ == "__main__":
    main()
