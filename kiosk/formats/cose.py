"""COSE_Sign1 (RFC 9052) framing: parse and build, no cryptography here.

Accepted on input: ``18(COSE_Sign1)``, the CWT-wrapped ``61(18(COSE_Sign1))`` and an
untagged COSE_Sign1 array (some DCC issuers emit that). Signing and checking the
signature happen in :mod:`kiosk.verify.keys`; this module only frames bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from kiosk.domain import Algorithm
from kiosk.errors import CborError, CoseError
from kiosk.formats import cbor

#: COSE algorithm identifiers (RFC 9053) of the algorithms the kiosk knows.
ALGORITHMS: Final[dict[int, Algorithm]] = {
    -8: Algorithm.EDDSA,
    -7: Algorithm.ES256,
    -37: Algorithm.PS256,
}
ALGORITHM_IDS: Final[dict[Algorithm, int]] = {v: k for k, v in ALGORITHMS.items()}

TAG_SIGN1: Final = 18
TAG_CWT: Final = 61

HEADER_ALG: Final = 1
HEADER_CONTENT_TYPE: Final = 3
HEADER_KID: Final = 4

_TAGS: Final = frozenset({TAG_SIGN1, TAG_CWT})


@dataclass(frozen=True, slots=True)
class Sign1:
    protected: bytes
    protected_header: dict[object, object]
    unprotected_header: dict[object, object]
    payload: bytes
    signature: bytes

    def header(self, label: int) -> object:
        """A header parameter, protected bucket first (RFC 9052 section 3)."""
        if label in self.protected_header:
            return self.protected_header[label]
        return self.unprotected_header.get(label)

    def to_be_signed(self, external_aad: bytes = b"") -> bytes:
        return sig_structure(self.protected, self.payload, external_aad)


def sig_structure(protected: bytes, payload: bytes, external_aad: bytes = b"") -> bytes:
    return cbor.dumps(["Signature1", protected, external_aad, payload])


def decode_sign1(data: bytes, *, max_size: int = 1 << 16) -> Sign1:
    """Parse a COSE_Sign1 message; any structural fault raises :class:`CoseError`."""
    try:
        item = cbor.loads(data, max_depth=12, max_size=max_size, allowed_tags=_TAGS)
    except CborError as exc:
        raise CoseError(f"not CBOR: {exc}") from exc
    if isinstance(item, cbor.CborTag) and item.tag == TAG_CWT:
        item = item.value
    if isinstance(item, cbor.CborTag):
        if item.tag != TAG_SIGN1:
            raise CoseError(f"CBOR tag {item.tag} is not COSE_Sign1 (18)")
        item = item.value
    if not isinstance(item, list) or len(item) != 4:
        raise CoseError("COSE_Sign1 must be an array of 4 items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes):
        raise CoseError("protected header must be a byte string")
    if not isinstance(unprotected, dict):
        raise CoseError("unprotected header must be a map")
    if not isinstance(payload, bytes):
        raise CoseError("payload must be a byte string (detached payloads are not accepted)")
    if not isinstance(signature, bytes):
        raise CoseError("signature must be a byte string")
    if protected:
        try:
            protected_header = cbor.loads(protected, max_depth=4)
        except CborError as exc:
            raise CoseError(f"protected header is not CBOR: {exc}") from exc
        if not isinstance(protected_header, dict):
            raise CoseError("protected header must encode a map")
    else:
        protected_header = {}
    return Sign1(protected, protected_header, unprotected, payload, signature)


def encode_sign1(
    payload: bytes,
    protected_header: dict[object, object],
    sign: Callable[[bytes], bytes],
    *,
    unprotected_header: dict[object, object] | None = None,
) -> bytes:
    """Build ``18(COSE_Sign1)``; ``sign`` turns the Sig_structure into a signature."""
    protected = cbor.dumps(protected_header)
    signature = sign(sig_structure(protected, payload))
    message = [protected, unprotected_header or {}, payload, signature]
    return cbor.dumps(cbor.CborTag(TAG_SIGN1, message))
