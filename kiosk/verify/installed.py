"""The trust data installed on this kiosk: the pinned root key and the current bundle.

Files under ``Paths.trust``: ``root.pub`` (pinned once, at provisioning),
``bundle.cose`` (the newest valid bundle) and ``highest-version`` (the rollback floor:
the newest version ever accepted, kept apart so that deleting the bundle does not reopen
rollback).

The floor never goes down: an install writes it (atomically) *before* the bundle, so a
crash between the two leaves a floor above the bundle (which is then refused as old,
failing closed, until a current one is installed), never below. A bundle installed
without its floor (the file deleted or emptied) is refused: the floor cannot be told.
Every file is read without following symbolic links and refused when every user may
write it or its directory (:func:`kiosk.fileio.read_own_file`).
"""

from __future__ import annotations

import fcntl
import logging
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.errors import BundleRollbackError, KeyFileError, TrustError
from kiosk.fileio import read_own_file, write_atomic
from kiosk.verify.bundle import TrustBundle, open_bundle
from kiosk.verify.keys import PublicKey, parse_public_key

logger = logging.getLogger(__name__)


class InstallOutcome(StrEnum):
    INSTALLED = "installed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class InstalledTrust:
    directory: Path

    @property
    def root_path(self) -> Path:
        return self.directory / "root.pub"

    @property
    def bundle_path(self) -> Path:
        return self.directory / "bundle.cose"

    @property
    def highest_path(self) -> Path:
        return self.directory / "highest-version"

    def root(self) -> PublicKey | None:
        try:
            return parse_public_key(read_own_file(self.root_path), self.root_path)
        except FileNotFoundError:
            return None

    def pin_root(self, key: PublicKey, *, replace: bool = False) -> None:
        """Pin the city root key. Replacing it (re-provisioning) drops the old trust chain:
        the installed bundle and the rollback floor belong to the old key."""
        current = self.root()
        if current is not None and current.spki != key.spki:
            if not replace:
                raise TrustError(
                    f"a different root key is already pinned in {self.root_path}; "
                    "re-provision the kiosk to change it",
                    code="root_different",
                    values={"file": str(self.root_path)},
                )
            for stale in (self.bundle_path, self.highest_path):
                stale.unlink(missing_ok=True)
        write_atomic(self.root_path, key.pem())

    def highest_version(self) -> int:
        """The rollback floor; 0 before any bundle. Missing or empty while a bundle is
        installed, it is damage (it would let any older bundle back in): TrustError."""
        try:
            text = read_own_file(self.highest_path).decode("ascii").strip()
            if not text:
                raise ValueError("empty")
            return int(text)
        except FileNotFoundError:
            if self.bundle_path.exists() or self.bundle_path.is_symlink():
                raise TrustError(
                    f"{self.highest_path} is missing while a bundle is installed: the "
                    "rollback floor cannot be told; re-provision the trust data",
                    code="trust_corrupt",
                    values={"file": str(self.highest_path)},
                ) from None
            return 0
        except (ValueError, UnicodeDecodeError) as exc:
            raise TrustError(
                f"{self.highest_path} is corrupt",
                code="trust_corrupt",
                values={"file": str(self.highest_path)},
            ) from exc

    def _pinned(self) -> PublicKey:
        root = self.root()
        if root is None:
            raise KeyFileError(
                f"no city root key pinned in {self.root_path}; provision first",
                code="root_not_pinned",
            )
        return root

    def load(self) -> TrustBundle | None:
        """The installed bundle, re-checked against the pinned root; ``None`` if none."""
        try:
            data = read_own_file(self.bundle_path)
        except FileNotFoundError:
            return None
        bundle = open_bundle(data, self._pinned())
        if bundle.version < self.highest_version():
            raise BundleRollbackError(
                f"{self.bundle_path} holds version {bundle.version}, older than version "
                f"{self.highest_version()} already accepted; install a current bundle",
                code="bundle_rollback",
                values={"version": str(bundle.version), "highest": str(self.highest_version())},
            )
        return bundle

    def install(self, data: bytes) -> tuple[InstallOutcome, TrustBundle]:
        """Install a bundle if it is valid and newer than anything accepted before.

        Installs are serialised (the sync worker and a USB import may race): the check of
        the highest version and the writes happen under one lock on the trust directory."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / ".lock", "a+b") as lock:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                return self._install(data)
            finally:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)

    def _version_of(self, data: bytes) -> int | None:
        try:
            return open_bundle(data, self._pinned()).version
        except TrustError:
            return None

    def _install(self, data: bytes) -> tuple[InstallOutcome, TrustBundle]:
        bundle = open_bundle(data, self._pinned())
        highest = self.highest_version()
        if bundle.version < highest:
            raise BundleRollbackError(
                f"bundle version {bundle.version} is older than version {highest} "
                "already accepted; refusing to roll back",
                code="bundle_rollback",
                values={"version": str(bundle.version), "highest": str(highest)},
            )
        if bundle.version == highest:
            try:
                current: bytes | None = read_own_file(self.bundle_path)
            except FileNotFoundError:
                current = None
            if current == bundle.raw:
                return InstallOutcome.UNCHANGED, bundle
            # A lost bundle file may be restored at the same version, and so may the one
            # an install interrupted after its floor was written (the file still holds
            # an older version).
            if current is not None and self._version_of(current) == highest:
                raise BundleRollbackError(
                    f"bundle version {bundle.version} was already accepted with other content",
                    code="bundle_same_version",
                    values={"version": str(bundle.version)},
                )
        # The floor first: a crash between the two writes leaves it above the bundle
        # (refused as old until a current one comes: fail closed), never below.
        write_atomic(self.highest_path, f"{bundle.version}\n".encode())
        write_atomic(self.bundle_path, bundle.raw)
        logger.info("installed trust bundle version %d", bundle.version)
        return InstallOutcome.INSTALLED, bundle
