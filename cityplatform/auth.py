"""Signed requests (``docs/sync-protocol.md``, "Signed requests"): the string a kiosk
signs, the four ``X-Kiosk-*`` headers, and the checks in the order the platform runs them.

The device keys are Ed25519; the platform keeps the raw 32-byte public key of each kiosk
and checks signatures through ``kiosk.verify.keys`` (shared code, no second copy).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from cityplatform.edwards import check_device_key
from kiosk.errors import KeyFileError
from kiosk.verify.keys import EDDSA, PublicKey, SigningKey

SCHEME: Final = "KIOSK-SIG-1"
#: A request whose timestamp is further than this from the platform's clock is refused.
MAX_SKEW_SECONDS: Final = 300
#: A nonce is remembered per kiosk this long (twice the skew, so a replay is always stale
#: or remembered).
NONCE_WINDOW_SECONDS: Final = 600

KIOSK_ID: Final = "X-Kiosk-Id"
TIMESTAMP: Final = "X-Kiosk-Timestamp"
NONCE: Final = "X-Kiosk-Nonce"
SIGNATURE: Final = "X-Kiosk-Signature"

_UUID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Canonical decimal (no leading zeros), so the signed text is str() of the value.
_TIMESTAMP: Final = re.compile(r"0|[1-9][0-9]{0,11}")
# 16 bytes and 64 bytes in base64url without padding: the last character carries 2 bits
# of data and 4 zero bits.
NONCE_PATTERN: Final = r"^[A-Za-z0-9_-]{21}[AQgw]$"
SIGNATURE_PATTERN: Final = r"^[A-Za-z0-9_-]{85}[AQgw]$"
KIOSK_ID_PATTERN: Final = "^" + _UUID.pattern + "$"
TIMESTAMP_PATTERN: Final = "^(" + _TIMESTAMP.pattern + ")$"
# DER SubjectPublicKeyInfo of an Ed25519 key is this prefix and the 32 raw bytes.
_ED25519_SPKI_PREFIX: Final = bytes.fromhex("302a300506032b6570032100")


class AuthError(Exception):
    """A signed request is refused: ``code`` is the protocol's 401 error code."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True, slots=True)
class SignedHeaders:
    kiosk_id: str
    timestamp: int
    nonce: str
    signature: bytes


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_string(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    """The exact bytes a kiosk signs: six lines joined with ``\\n``, no trailing newline."""
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join((SCHEME, method.upper(), path, timestamp, nonce, digest)).encode("ascii")


def ed25519_public_key(raw: bytes) -> PublicKey:
    """A kiosk's device key from its 32 raw bytes; ``KeyFileError`` when it is not one."""
    if len(raw) != 32:
        raise KeyFileError("an Ed25519 public key is 32 bytes")
    key = PublicKey.from_spki(_ED25519_SPKI_PREFIX + raw)
    if key.algorithm != EDDSA:
        raise KeyFileError("not an Ed25519 public key")
    return key


def device_public_key(raw: bytes) -> PublicKey:
    """A kiosk's device key as enrollment accepts it: an Ed25519 key that is canonical and
    of full order (:mod:`cityplatform.edwards`). ``WeakKeyError`` for a weak key,
    ``KeyFileError`` when it is no Ed25519 key at all."""
    if len(raw) != 32:
        raise KeyFileError("an Ed25519 public key is 32 bytes")
    check_device_key(raw)
    return ed25519_public_key(raw)


def raw_public_key(key: PublicKey) -> bytes:
    """The 32 raw bytes of an Ed25519 public key (what enrollment sends, base64url)."""
    if key.algorithm != EDDSA or not key.spki.startswith(_ED25519_SPKI_PREFIX):
        raise KeyFileError("not an Ed25519 public key")
    return key.spki[len(_ED25519_SPKI_PREFIX) :]


def sign_request(
    key: SigningKey,
    kiosk_id: str,
    method: str,
    path: str,
    body: bytes,
    *,
    timestamp: int,
    nonce: bytes,
) -> dict[str, str]:
    """The four headers of a signed request (the reference client side, for tests)."""
    nonce_text = b64url(nonce)
    stamp = str(timestamp)
    signature = key.sign(signing_string(method, path, stamp, nonce_text, body))
    return {
        KIOSK_ID: kiosk_id,
        TIMESTAMP: stamp,
        NONCE: nonce_text,
        SIGNATURE: b64url(signature),
    }


def parse_headers(headers: Mapping[str, str]) -> SignedHeaders:
    """Read the four headers; anything missing or malformed is refused before any lookup."""
    kiosk_id = headers.get(KIOSK_ID)
    if kiosk_id is None or not _UUID.fullmatch(kiosk_id):
        raise AuthError("unknown_kiosk", f"{KIOSK_ID} is missing or not a kiosk id")
    stamp = headers.get(TIMESTAMP)
    if stamp is None or not _TIMESTAMP.fullmatch(stamp):
        raise AuthError("bad_signature", f"{TIMESTAMP} must be Unix time in whole seconds")
    nonce = headers.get(NONCE)
    if nonce is None or not re.fullmatch(NONCE_PATTERN, nonce):
        raise AuthError("bad_signature", f"{NONCE} must be 16 bytes in base64url (22 characters)")
    signature_text = headers.get(SIGNATURE)
    if signature_text is None or not re.fullmatch(SIGNATURE_PATTERN, signature_text):
        raise AuthError("bad_signature", f"{SIGNATURE} must be 64 bytes in base64url")
    try:
        signature = _b64url_decode(signature_text)
    except (binascii.Error, ValueError) as exc:  # pragma: no cover - the pattern excludes it
        raise AuthError("bad_signature", f"{SIGNATURE} is not base64url") from exc
    return SignedHeaders(kiosk_id, int(stamp), nonce, signature)


def check_signature(
    signed: SignedHeaders, key: PublicKey, method: str, path: str, body: bytes
) -> None:
    message = signing_string(method, path, str(signed.timestamp), signed.nonce, body)
    if not key.verify(signed.signature, message):
        raise AuthError("bad_signature", "the signature does not match the request")


def check_timestamp(signed: SignedHeaders, now_seconds: float) -> None:
    if abs(signed.timestamp - now_seconds) > MAX_SKEW_SECONDS:
        raise AuthError(
            "stale_timestamp",
            f"{TIMESTAMP} is more than {MAX_SKEW_SECONDS} s from the platform's clock",
        )
