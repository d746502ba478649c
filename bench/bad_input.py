"""How long the pipeline takes to say red to hostile input (the issue asks: well under 10 ms).

Run: .venv/bin/python bench/bad_input.py
Prints, per kind of bad input, the verdict, the reason and the worst and median time
over repeated runs. (Timings live here, never in tests.)
"""

from __future__ import annotations

import os
import statistics
import time
import uuid
import zlib
from datetime import UTC, date, datetime

from kiosk import pipeline
from kiosk.demo import builtin_document
from kiosk.domain import Card, CardKind, Colour, Holder, Vaccination
from kiosk.formats import base45, cbor, envelope, hcm1
from kiosk.issuing import issue
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.keys import SigningKey
from kiosk.verify.truststore import IssuerKey, TrustStore

NOW = datetime(2021, 10, 1, 3, 0, tzinfo=UTC)


def wrap_cose(data: bytes) -> str:
    return hcm1.PREFIX + base45.b45encode(zlib.compress(data, 9))


def nested(depth: int) -> bytes:
    return b"\x81" * depth + b"\x00"


def main() -> None:
    key, stranger = SigningKey.generate(), SigningKey.generate()
    card = Card(
        format=hcm1.NAME,
        card_id=str(uuid.uuid4()),
        issuer="VN-HCM",
        key_id=b"",
        issued_at=datetime(2021, 9, 1, tzinfo=UTC),
        not_before=None,
        expires_at=datetime(2022, 9, 1, tzinfo=UTC),
        holder=Holder("Nguyễn Văn An", "1987"),
        issued_colour=Colour.GREEN,
        vaccinations=(Vaccination("EU/1/21/1529", 2, 2, date(2021, 8, 1)),),
    )
    good = issue(card, key)
    good_cose = envelope.inflate(base45.b45decode(good[len(hcm1.PREFIX) :]))
    flipped = bytearray(good_cose)
    flipped[len(flipped) // 2] ^= 0x01
    unsigned = cbor.dumps(cbor.CborTag(18, [cbor.dumps({4: key.public.kid}), {}, b"x", b""]))
    inputs: dict[str, str | bytes] = {
        "empty": "",
        "a megabyte of 'A'": "A" * 1_000_000,
        "a megabyte after the prefix": hcm1.PREFIX + "A" * 1_000_000,
        "1 KB of random bytes": os.urandom(1024),
        "truncated Base45 (half a card)": good[: len(good) // 2],
        "zlib bomb (1 MB of zeros, fits a QR)": wrap_cose(b"\x00" * 1_000_000),
        "zlib bomb (10 MB of zeros, too long)": wrap_cose(b"\x00" * 10_000_000),
        "CBOR nested 100,000 deep": wrap_cose(nested(100_000)),
        "wrong COSE tag (98)": wrap_cose(cbor.dumps(cbor.CborTag(98, [b"", {}, b"", b""]))),
        "huge integers (2^64-1 alg)": wrap_cose(
            b"\xd2\x84" + cbor.dumps(cbor.dumps({1: 2**64 - 1})) + b"\xa0\x40\x40"
        ),
        "unknown key": issue(card, stranger),
        "alg none (no alg, empty signature)": wrap_cose(unsigned),
        "one flipped bit": hcm1.wrap(bytes(flipped)),
        "valid card (for comparison)": good,
    }
    trust = TrustStore([IssuerKey(key.public, kinds=frozenset(CardKind))])
    context = pipeline.Context(trust, RuleBook.from_json(builtin_document("rules.json")))
    print("# bench/bad_input.py: time from payload to Decision, 50 runs each")
    print(f"{'input':38} {'verdict':7} {'reason':22} {'median ms':>9} {'worst ms':>9}")
    for name, payload in inputs.items():
        times = []
        for _ in range(50):
            start = time.perf_counter()
            decision = pipeline.process(payload, NOW, context)
            times.append((time.perf_counter() - start) * 1000)
        assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), (name, decision)
        print(
            f"{name:38} {decision.verdict.value:7} {decision.reason.value:22} "
            f"{statistics.median(times):9.3f} {max(times):9.3f}"
        )


if __name__ == "__main__":
    main()
