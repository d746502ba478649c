"""The outer layers HCM1 shares with the EU DCC: ``PREFIX`` + Base45(zlib(COSE_Sign1)).

Every size is capped before work is done, so hostile input costs little: the text
length, the compressed length and (against zlib bombs) the inflated length.
"""

from __future__ import annotations

import zlib
from typing import Final

from kiosk.domain import Algorithm, Reason, SignedCard
from kiosk.errors import CardRejected, MalformedInput
from kiosk.formats import base45, cose

#: A version 40 QR code holds at most 4,296 alphanumeric characters.
MAX_TEXT_CHARS: Final = 4296
#: Inflated COSE messages larger than this are refused (a card is ~300 bytes).
MAX_COSE_BYTES: Final = 16 * 1024


def inflate(data: bytes, limit: int = MAX_COSE_BYTES) -> bytes:
    """zlib-decompress at most ``limit`` bytes; more, trailing junk or truncation is malformed."""
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise CardRejected(Reason.MALFORMED, f"zlib: {exc}") from exc
    if inflater.unconsumed_tail:
        raise CardRejected(Reason.MALFORMED, f"inflates to more than {limit} bytes")
    if not inflater.eof:
        raise CardRejected(Reason.MALFORMED, "zlib stream is truncated")
    if inflater.unused_data:
        raise CardRejected(Reason.MALFORMED, "bytes after the zlib stream")
    return out


def deflate(data: bytes) -> bytes:
    return zlib.compress(data, 9)


def open_text(text: str, prefix: str) -> cose.Sign1:
    """Strip ``prefix``, Base45-decode, inflate and parse the COSE_Sign1 inside."""
    if len(text) > MAX_TEXT_CHARS:
        raise CardRejected(Reason.MALFORMED, f"longer than {MAX_TEXT_CHARS} characters")
    try:
        compressed = base45.b45decode(text[len(prefix) :])
        return cose.decode_sign1(inflate(compressed))
    except MalformedInput as exc:
        raise CardRejected(Reason.MALFORMED, str(exc)) from exc


def signed_card(
    message: cose.Sign1,
    name: str,
    algorithms: frozenset[Algorithm],
    *,
    kid_may_be_unprotected: bool = False,
) -> SignedCard:
    """The untrusted signed card inside a COSE message: its kid and its algorithm, which
    must be protected and one of ``algorithms``. (The DCC lets the kid be unprotected;
    a protected kid wins.)"""
    if cose.HEADER_KID in message.protected_header or not kid_may_be_unprotected:
        kid = message.protected_header.get(cose.HEADER_KID)
        where = "the protected header"
    else:
        kid = message.unprotected_header.get(cose.HEADER_KID)
        where = "the COSE headers"
    if not isinstance(kid, bytes) or not kid:
        raise CardRejected(Reason.MALFORMED, f"no kid in {where}")
    alg_id = message.protected_header.get(cose.HEADER_ALG)
    algorithm = cose.ALGORITHMS.get(alg_id) if type(alg_id) is int else None
    if algorithm is None or algorithm not in algorithms:
        raise CardRejected(Reason.UNSUPPORTED_ALGORITHM, f"protected alg {alg_id!r:.40}")
    return SignedCard(
        format=name,
        key_id=kid,
        algorithm=algorithm,
        signed_bytes=message.to_be_signed(),
        signature=message.signature,
        claims=message.payload,
    )


def wrap_text(cose_message: bytes, prefix: str) -> str:
    return prefix + base45.b45encode(deflate(cose_message))
