"""At-rest encryption of personal fields: the one ``cryptography`` adapter of the store.

AES-256-GCM with a random 96-bit nonce per field. The associated data binds each
ciphertext to its record and field, so a sealed name cannot be moved to another
record or column. The key lives in its own file (mode 0600) outside the database, so
a copied database file alone reveals no names or card ids.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from kiosk.errors import StoreError

KEY_BYTES: Final = 32
NONCE_BYTES: Final = 12


def _read_key(path: Path) -> bytes:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as file:
        return file.read(KEY_BYTES + 1)


def _write_new(path: Path, key: bytes) -> None:
    """``path`` holds ``key`` whole, or does not exist; FileExistsError if it did."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(key)
            out.flush()
            os.fsync(out.fileno())
        os.link(temporary, path)  # atomic, and refuses to replace an existing key
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        temporary.unlink(missing_ok=True)


class Sealer:
    __slots__ = ("_aead", "_key")

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise StoreError(f"the store key must be {KEY_BYTES} bytes")
        self._key = key
        self._aead = AESGCM(key)

    @classmethod
    def from_file(cls, path: Path, *, create: bool = True) -> Sealer:
        """Load the key file, creating it (mode 0600) when absent and ``create`` is set.

        A symbolic link is refused (a key must not be swapped by pointing elsewhere).
        A new key is written to a temporary file, synced, then linked into place: a full
        disk leaves no empty key behind that would later stop every check-in."""
        if path.is_symlink():
            raise StoreError(f"store key {path} is a symbolic link: refused")
        try:
            return cls(_read_key(path))
        except FileNotFoundError:
            if not create:
                raise StoreError(f"store key {path} is missing") from None
        except OSError as exc:
            raise StoreError(f"cannot read store key {path}: {exc.strerror}") from exc
        key = AESGCM.generate_key(bit_length=256)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_new(path, key)
        except FileExistsError:  # another process made it first: use theirs
            return cls(_read_key(path))
        except OSError as exc:
            raise StoreError(f"cannot write a new store key {path}: {exc.strerror}") from exc
        return cls(key)

    def seal(self, plain: str, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plain.encode("utf-8"), context)

    def open(self, sealed: bytes, context: bytes) -> str:
        try:
            plain = self._aead.decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)
        except (InvalidTag, ValueError) as exc:
            raise StoreError("a sealed field does not open with this store key") from exc
        return plain.decode("utf-8")

    def reference(self, value: str) -> bytes:
        """A keyed 16-byte reference of ``value`` for lookups (re-entry) without the value."""
        mac = hmac.HMAC(self._key, hashes.SHA256())
        mac.update(b"ref:" + value.encode("utf-8"))
        return mac.finalize()[:16]
