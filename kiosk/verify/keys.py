"""Keys and signatures: the one adapter around ``cryptography``'s keys.

Signatures travel in COSE form: Ed25519 as its 64 raw bytes, ES256 as ``r || s``
(32 bytes each, RFC 8152 section 8.1, the same as JWS ES256), never DER; PS256 as
RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 8230). X.509
certificates have their own adapter, :mod:`kiosk.verify.certificates`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from kiosk.domain import Algorithm
from kiosk.errors import KeyFileError

EDDSA: Final = Algorithm.EDDSA
ES256: Final = Algorithm.ES256
PS256: Final = Algorithm.PS256

_SignatureKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
_PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
#: RSA keys shorter than this are refused (the EU DCC asks for 2048 bits or more).
MIN_RSA_BITS: Final = 2048
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


def key_id(spki_der: bytes) -> bytes:
    """The kid of a public key: the first 8 bytes of SHA-256 over its SubjectPublicKeyInfo."""
    return hashlib.sha256(spki_der).digest()[:8]


def _algorithm_of(key: object) -> Algorithm:
    if isinstance(key, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey):
        return EDDSA
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        if isinstance(key.curve, ec.SECP256R1):
            return ES256
        raise KeyFileError(f"unsupported elliptic curve {key.curve.name}; use P-256")
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        if key.key_size < MIN_RSA_BITS:
            raise KeyFileError(f"RSA key of {key.key_size} bits; at least {MIN_RSA_BITS} needed")
        return PS256
    raise KeyFileError(f"unsupported key type {type(key).__name__}; use Ed25519 or P-256")


@dataclass(frozen=True, slots=True)
class PublicKey:
    """A public key that checks COSE-form signatures with exactly one algorithm."""

    algorithm: Algorithm
    spki: bytes
    kid: bytes
    _key: _SignatureKey

    @classmethod
    def from_key(cls, key: object, kid: bytes | None = None) -> PublicKey:
        if not isinstance(
            key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey | rsa.RSAPublicKey
        ):
            raise KeyFileError(f"not a supported public key: {type(key).__name__}")
        algorithm = _algorithm_of(key)
        spki = key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(algorithm, spki, kid if kid is not None else key_id(spki), key)

    @classmethod
    def from_ec_point(cls, x: bytes, y: bytes, kid: bytes | None = None) -> PublicKey:
        """A P-256 key from its affine coordinates (32 bytes each, big-endian), as in a JWK."""
        if len(x) != 32 or len(y) != 32:
            raise KeyFileError("P-256 coordinates must be 32 bytes each")
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(x, "big"), int.from_bytes(y, "big"), ec.SECP256R1()
        )
        try:
            key = numbers.public_key()
        except ValueError as exc:  # not a point on the curve
            raise KeyFileError("the coordinates are not a P-256 public key") from exc
        return cls.from_key(key, kid)

    def ec_point(self) -> tuple[bytes, bytes]:
        """The affine coordinates of a P-256 key (32 bytes each), as a JWK carries them."""
        key = self._key
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise KeyFileError(f"a {self.algorithm} key has no elliptic-curve point")
        numbers = key.public_numbers()
        return numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")

    def with_kid(self, kid: bytes) -> PublicKey:
        return PublicKey(self.algorithm, self.spki, kid, self._key)

    @classmethod
    def from_spki(cls, der: bytes, kid: bytes | None = None) -> PublicKey:
        try:
            key = serialization.load_der_public_key(der)
        except (ValueError, UnsupportedAlgorithm) as exc:
            raise KeyFileError("not a DER SubjectPublicKeyInfo public key") from exc
        return cls.from_key(key, kid)

    def verify(self, signature: bytes, data: bytes) -> bool:
        """True when ``signature`` (COSE form) over ``data`` holds under this key."""
        try:
            key = self._key
            if isinstance(key, ed25519.Ed25519PublicKey):
                key.verify(signature, data)
            elif isinstance(key, ec.EllipticCurvePublicKey):
                if len(signature) != 64:
                    return False
                r = int.from_bytes(signature[:32], "big")
                s = int.from_bytes(signature[32:], "big")
                key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
            else:
                key.verify(signature, data, _PSS, hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True

    def pem(self) -> bytes:
        return self._key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key that signs in COSE form. Lives only on issuing machines."""

    algorithm: Algorithm
    public: PublicKey
    _key: _PrivateKey

    @classmethod
    def generate(cls, algorithm: Algorithm = EDDSA) -> SigningKey:
        key: _PrivateKey
        if algorithm == EDDSA:
            key = ed25519.Ed25519PrivateKey.generate()
        elif algorithm == ES256:
            key = ec.generate_private_key(ec.SECP256R1())
        elif algorithm == PS256:  # EU DCC issuers' secondary algorithm: tests and benchmarks
            key = rsa.generate_private_key(public_exponent=65537, key_size=MIN_RSA_BITS)
        else:
            raise KeyFileError(f"cannot generate {algorithm} keys; use {EDDSA} or {ES256}")
        return cls(algorithm, PublicKey.from_key(key.public_key()), key)

    def sign(self, data: bytes) -> bytes:
        key = self._key
        if isinstance(key, ed25519.Ed25519PrivateKey):
            return key.sign(data)
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, _PSS, hashes.SHA256())
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")

    def pem(self) -> bytes:
        return self._key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )


def private_key_of(key: SigningKey) -> _PrivateKey:
    """The library's private key object, for the sibling X.509 adapter (signing test
    certificates in :mod:`kiosk.verify.certificates`); nothing else needs it."""
    return key._key


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {exc.strerror}") from exc


def load_signing_key(path: Path) -> SigningKey:
    """Read a PKCS#8 PEM private key written by ``kiosk keys new-issuer``."""
    return parse_signing_key(_read(path), path)


def parse_signing_key(data: bytes, path: Path) -> SigningKey:
    """A PKCS#8 PEM private key read from ``path``."""
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey):
        raise KeyFileError(f"{path}: unsupported key type; use Ed25519 or P-256")
    return SigningKey(_algorithm_of(key), PublicKey.from_key(key.public_key()), key)


def load_public_key(path: Path) -> PublicKey:
    """Read a public key (PEM or DER SubjectPublicKeyInfo)."""
    return parse_public_key(_read(path), path)


def parse_public_key(data: bytes, path: Path) -> PublicKey:
    """A public key (PEM or DER SubjectPublicKeyInfo) read from ``path``."""
    try:
        if b"-----BEGIN" in data:
            key = serialization.load_pem_public_key(data)
        else:
            key = serialization.load_der_public_key(data)
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"{path} is not a PEM or DER public key") from exc
    return PublicKey.from_key(key)


def write_key_pair(key: SigningKey, stem: Path) -> tuple[Path, Path]:
    """Write ``STEM.key`` (mode 0600, created so, never widened) and ``STEM.pub``."""
    private_path = stem.with_name(stem.name + ".key")
    public_path = stem.with_name(stem.name + ".pub")
    stem.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise KeyFileError(f"{private_path} exists; refusing to overwrite a private key") from exc
    with os.fdopen(fd, "wb") as out:
        out.write(key.pem())
        out.flush()
        os.fsync(out.fileno())  # a power cut after enrolling must not leave it empty
    public_path.write_bytes(key.public.pem())
    return private_path, public_path
