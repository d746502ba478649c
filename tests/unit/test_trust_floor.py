"""Issue 10, items 5 and 6: the rollback floor cannot go down, and the kiosk's trust
files are refused when they could have been swapped (a link, writable by everyone)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import World

from kiosk.errors import BundleRollbackError, TrustError, UnsafeFileError
from kiosk.paths import Paths
from kiosk.trustdata import load_trust
from kiosk.verify.installed import InstalledTrust


@pytest.fixture
def installed(tmp_path: Path, world: World) -> InstalledTrust:
    trust = InstalledTrust(tmp_path / "trust")
    trust.pin_root(world.root.public)
    return trust


@pytest.mark.parametrize("damage", ["delete", "empty"])
def test_a_lost_floor_lets_no_old_bundle_back_in(
    installed: InstalledTrust, world: World, damage: str
) -> None:
    installed.install(world.bundle(version=1))
    installed.install(world.bundle(version=5))
    if damage == "delete":
        installed.highest_path.unlink()
    else:
        installed.highest_path.write_text("")
    with pytest.raises(TrustError, match=r"rollback floor|corrupt"):
        installed.install(world.bundle(version=1))
    with pytest.raises(TrustError):
        installed.load()  # the installed bundle is not used without its floor


def test_trust_data_without_its_floor_judges_nothing(tmp_path: Path, world: World) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    trust = InstalledTrust(paths.trust)
    trust.pin_root(world.root.public)
    trust.install(world.bundle(version=2))
    trust.highest_path.unlink()
    data = load_trust(paths, datetime.now(UTC))
    assert data.bundle is None  # every card red, and the strip says why
    assert data.provisioned
    assert "rollback floor" in data.source


def test_a_crash_between_the_two_writes_leaves_the_floor_above_never_below(
    installed: InstalledTrust, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Power lost after the first write of an install: the floor is already the new
    version, so the older bundle on disk is refused (fail closed) and no bundle older
    than the new one can be installed."""
    installed.install(world.bundle(version=1))
    import kiosk.verify.installed as module

    real = module.write_atomic
    calls: list[Path] = []

    def crash_after_first(path: Path, data: bytes, mode: int = 0o644) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise SystemExit("power lost")
        real(path, data, mode)

    monkeypatch.setattr(module, "write_atomic", crash_after_first)
    with pytest.raises(SystemExit):
        installed.install(world.bundle(version=3))
    monkeypatch.setattr(module, "write_atomic", real)
    assert installed.highest_version() == 3
    with pytest.raises(BundleRollbackError):
        installed.load()  # version 1 on disk, below the floor: not used
    with pytest.raises(BundleRollbackError):
        installed.install(world.bundle(version=2))
    assert installed.install(world.bundle(version=3))[1].version == 3


def test_a_world_writable_root_key_is_refused(installed: InstalledTrust) -> None:
    os.chmod(installed.root_path, 0o666)
    with pytest.raises(UnsafeFileError, match="every user"):
        installed.root()


def test_a_world_writable_trust_directory_is_refused(installed: InstalledTrust) -> None:
    os.chmod(installed.directory, 0o777)
    with pytest.raises(UnsafeFileError, match="every user"):
        installed.root()


def test_a_root_key_behind_a_symlink_is_refused(installed: InstalledTrust, tmp_path: Path) -> None:
    elsewhere = tmp_path / "rogue.pub"
    elsewhere.write_bytes(installed.root_path.read_bytes())
    installed.root_path.unlink()
    installed.root_path.symlink_to(elsewhere)
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        installed.root()


def test_unsafe_trust_files_judge_nothing_instead_of_stopping_the_kiosk(
    tmp_path: Path, world: World
) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    trust = InstalledTrust(paths.trust)
    trust.pin_root(world.root.public)
    trust.install(world.bundle(version=2))
    os.chmod(trust.bundle_path, 0o666)
    data = load_trust(paths, datetime.now(UTC))
    assert data.bundle is None
    assert "every user" in data.source


def test_the_device_key_and_the_log_are_never_read_through_a_symlink(tmp_path: Path) -> None:
    from kiosk.errors import StoreError
    from kiosk.store.log import CheckInLog
    from kiosk.sync.device import device_key

    keys = tmp_path / "keys"
    real = device_key(tmp_path / "elsewhere")
    keys.mkdir()
    (keys / "device.key").symlink_to(tmp_path / "elsewhere" / "device.key")
    with pytest.raises(UnsafeFileError, match="symbolic link"):
        device_key(keys)
    assert real.public.spki  # the key it points at is untouched
    (tmp_path / "checkins.sqlite3").symlink_to(tmp_path / "other.sqlite3")
    with pytest.raises(StoreError, match="symbolic link"):
        CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
