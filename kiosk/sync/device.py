"""This kiosk's identity towards the platform: its device key and its enrollment.

``<data>/keys/device.key`` (Ed25519, mode 0600, made at provisioning) signs every sync
request; ``<data>/enrollment.json`` holds the platform URL, kiosk id and venue id.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from kiosk.errors import EnrollmentError
from kiosk.fileio import read_own_file, write_atomic
from kiosk.verify.keys import EDDSA, SigningKey, parse_signing_key, write_key_pair

SIGNATURE_VERSION = "KIOSK-SIG-1"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def device_key(keys_dir: Path) -> SigningKey:
    """The device key, created (0600) on first use; never read through a symbolic link
    (:func:`kiosk.fileio.read_own_file`)."""
    path = keys_dir / "device.key"
    try:
        return parse_signing_key(read_own_file(path), path)
    except FileNotFoundError:
        pass
    key = SigningKey.generate(EDDSA)
    write_key_pair(key, keys_dir / "device")
    return key


def raw_public_key(key: SigningKey) -> bytes:
    # An Ed25519 SubjectPublicKeyInfo ends with the 32 raw key bytes.
    return key.public.spki[-32:]


def signature_headers(
    key: SigningKey,
    *,
    kiosk_id: str,
    method: str,
    path: str,
    body: bytes,
    timestamp: int,
    nonce: bytes,
) -> dict[str, str]:
    """The X-Kiosk-* headers of docs/sync-protocol.md for one request."""
    nonce_text = b64url(nonce)
    message = "\n".join(
        [
            SIGNATURE_VERSION,
            method.upper(),
            path,
            str(timestamp),
            nonce_text,
            hashlib.sha256(body).hexdigest(),
        ]
    ).encode("ascii")
    return {
        "X-Kiosk-Id": kiosk_id,
        "X-Kiosk-Timestamp": str(timestamp),
        "X-Kiosk-Nonce": nonce_text,
        "X-Kiosk-Signature": b64url(key.sign(message)),
    }


@dataclass(frozen=True, slots=True)
class Enrollment:
    platform_url: str
    kiosk_id: str
    venue_id: str
    kiosk_name: str = ""

    @classmethod
    def load(cls, path: Path) -> Enrollment | None:
        if not path.exists():
            return None
        try:
            raw = json.loads(path.read_text("utf-8"))
            enrollment = cls(**raw)
        except (OSError, ValueError, TypeError) as exc:
            raise EnrollmentError(f"{path} is unreadable: {exc}; enroll again") from exc
        if not all(isinstance(getattr(enrollment, name), str) for name in raw):
            raise EnrollmentError(f"{path} is damaged (a field is not text); enroll again")
        return enrollment

    def save(self, path: Path) -> None:
        write_atomic(path, (json.dumps(asdict(self), indent=2) + "\n").encode())
