"""The manager PIN: a salted scrypt hash, a lockout that doubles and survives a restart."""

from __future__ import annotations

import base64
import hashlib
import json
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import ict

from kiosk.errors import StoreError, UsageError
from kiosk.paths import Paths
from kiosk.pin import (
    DEFAULT_COST,
    FIRST_LOCK,
    MAX_FAILURES,
    MAX_LOCK,
    PinOutcome,
    PinProblem,
    PinStore,
    is_valid_pin,
    new_pin_problem,
    read_pin_file,
)

PIN = "482915"
#: scrypt's N for tests: the default's cost is tested once, the logic needs no more.
FAST = 2**10


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock(ict(2021, 10, 1, 9))


@pytest.fixture
def pins(tmp_path: Path, clock: Clock) -> PinStore:
    store = PinStore(tmp_path / "config" / "manager-pin.json", clock, cost=FAST)
    store.set_pin(PIN)
    return store


def fail(store: PinStore, times: int) -> None:
    for _ in range(times):
        assert not store.verify("0000").ok


def test_no_pin_until_one_is_set(tmp_path: Path, clock: Clock) -> None:
    store = PinStore(tmp_path / "manager-pin.json", clock, cost=FAST)
    assert not store.is_set()
    assert store.verify("1234").outcome is PinOutcome.NOT_SET
    assert store.locked_until() is None
    store.set_pin("1234")
    assert store.is_set()
    assert store.verify("1234").ok


def test_the_file_holds_a_salted_scrypt_hash_not_the_pin(pins: PinStore) -> None:
    raw = json.loads(pins.path.read_text("utf-8"))
    assert PIN not in [str(value) for value in raw.values()]
    salt = base64.b64decode(raw["salt"])
    expected = hashlib.scrypt(PIN.encode(), salt=salt, n=raw["n"], r=raw["r"], p=raw["p"], dklen=32)
    assert base64.b64decode(raw["hash"]) == expected
    assert raw["kdf"] == "scrypt"
    pins.set_pin(PIN)  # same PIN again: a new salt, so another hash
    again = json.loads(pins.path.read_text("utf-8"))
    assert (again["salt"], again["hash"]) != (raw["salt"], raw["hash"])


def test_the_file_is_private(pins: PinStore) -> None:
    assert stat.S_IMODE(pins.path.stat().st_mode) == 0o600
    fail(pins, 1)  # rewritten with the failure count: still private
    assert stat.S_IMODE(pins.path.stat().st_mode) == 0o600
    assert [p.name for p in pins.path.parent.iterdir()] == ["manager-pin.json"]  # no temp left


def test_the_default_cost_works(tmp_path: Path, clock: Clock) -> None:
    store = PinStore(tmp_path / "manager-pin.json", clock)
    store.set_pin("1234")
    assert json.loads(store.path.read_text("utf-8"))["n"] == DEFAULT_COST
    assert store.verify("1234").ok
    assert not store.verify("4321").ok


@pytest.mark.parametrize("pin", ["", "123", "123456789", "12a4", " 1234", "١٢٣٤", "12345\n"])
def test_a_pin_is_four_to_eight_ascii_digits(pins: PinStore, pin: str) -> None:
    assert not is_valid_pin(pin)
    with pytest.raises(ValueError, match="4 to 8 digits"):
        pins.set_pin(pin)
    assert pins.verify(PIN).ok  # the old PIN stays


def test_wrong_pins_count_down_then_lock(pins: PinStore, clock: Clock) -> None:
    left = [pins.verify("1111").attempts_left for _ in range(MAX_FAILURES - 1)]
    assert left == [4, 3, 2, 1]
    locking = pins.verify("1111")
    assert locking.outcome is PinOutcome.LOCKED
    assert locking.locked_until == clock.now + FIRST_LOCK
    # Locked: even the right PIN is refused, and the hash is not even tried.
    right = pins.verify(PIN)
    assert (right.outcome, right.locked_until) == (PinOutcome.LOCKED, clock.now + FIRST_LOCK)
    assert pins.locked_until() == clock.now + FIRST_LOCK


def test_a_right_pin_resets_the_count(pins: PinStore) -> None:
    fail(pins, MAX_FAILURES - 1)
    assert pins.verify(PIN).ok
    assert pins.verify("1111").attempts_left == MAX_FAILURES - 1


def test_the_lock_ends_after_its_time(pins: PinStore, clock: Clock) -> None:
    fail(pins, MAX_FAILURES)
    clock.advance(FIRST_LOCK - timedelta(seconds=1))
    assert pins.verify(PIN).outcome is PinOutcome.LOCKED
    clock.advance(timedelta(seconds=1))
    assert pins.locked_until() is None
    assert pins.verify(PIN).ok


def test_a_lock_survives_a_restart(pins: PinStore, clock: Clock) -> None:
    fail(pins, 3)
    restarted = PinStore(pins.path, clock, cost=FAST)
    assert restarted.verify("1111").attempts_left == 1  # the count survived too
    restarted.verify("1111")
    again = PinStore(pins.path, clock, cost=FAST)
    assert again.verify(PIN).outcome is PinOutcome.LOCKED
    assert again.locked_until() == clock.now + FIRST_LOCK


def test_each_further_lock_doubles_up_to_an_hour(pins: PinStore, clock: Clock) -> None:
    durations = []
    for _ in range(6):
        fail(pins, MAX_FAILURES - 1)
        check = pins.verify("1111")
        assert check.locked_until is not None
        durations.append(check.locked_until - clock.now)
        clock.now = check.locked_until  # wait it out
    minutes = [d / timedelta(minutes=1) for d in durations]
    assert minutes == [5, 10, 20, 40, 60, 60]
    assert durations[-1] == MAX_LOCK
    # A right PIN ends the doubling: the next lock is short again.
    assert pins.verify(PIN).ok
    fail(pins, MAX_FAILURES - 1)
    assert pins.verify("1111").locked_until == clock.now + FIRST_LOCK


def test_a_clock_set_back_does_not_lock_for_ever(pins: PinStore, clock: Clock) -> None:
    fail(pins, MAX_FAILURES)
    clock.advance(-timedelta(days=365))  # e.g. the RTC lost power and NTP is not back yet
    assert pins.locked_until() == clock.now + MAX_LOCK
    clock.advance(MAX_LOCK)
    assert pins.verify(PIN).ok


def test_setting_a_new_pin_clears_a_lock(pins: PinStore) -> None:
    fail(pins, MAX_FAILURES)
    pins.set_pin("2468")
    assert pins.verify("2468").ok
    assert pins.verify(PIN).outcome is PinOutcome.WRONG


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 1, "kdf": "bcrypt"}',
        '{"version": 2, "kdf": "scrypt"}',
    ],
)
def test_a_damaged_file_is_an_error_not_no_pin(pins: PinStore, text: str) -> None:
    pins.path.write_text(text, "utf-8")
    with pytest.raises(StoreError, match="damaged"):
        pins.is_set()
    with pytest.raises(StoreError):
        pins.verify(PIN)


def test_damaged_parameters_are_an_error(pins: PinStore) -> None:
    raw = json.loads(pins.path.read_text("utf-8"))
    for key, value in [("n", 1000), ("r", 0), ("failures", -1), ("salt", "%%"), ("n", True)]:
        pins.path.write_text(json.dumps({**raw, key: value}), "utf-8")
        with pytest.raises(StoreError, match="damaged"):
            pins.verify(PIN)


# -- the technician's API (provisioning, ``kiosk pin set|reset``) ---------------------


def test_the_kiosks_pin_file_is_under_its_config_dir(tmp_path: Path, clock: Clock) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    store = PinStore.at(paths, clock, cost=FAST)
    assert store.path == tmp_path / "c" / "manager-pin.json"
    store.set_pin(PIN)
    assert PinStore.at(paths, clock, cost=FAST).verify(PIN).ok


def test_reset_removes_the_pin_and_its_lock(pins: PinStore, clock: Clock) -> None:
    fail(pins, MAX_FAILURES)
    assert pins.locked_until() is not None
    assert pins.reset() is True
    assert not pins.path.exists()
    assert not pins.is_set()
    assert pins.verify(PIN).outcome is PinOutcome.NOT_SET
    assert pins.reset() is False  # nothing left to remove
    pins.set_pin("2468")  # a new PIN starts with no failures and no lock
    assert pins.verify("2468").ok
    assert pins.verify("1111").attempts_left == MAX_FAILURES - 1


def test_reset_also_clears_a_damaged_file(pins: PinStore) -> None:
    pins.path.write_text("{broken", "utf-8")
    with pytest.raises(StoreError, match="damaged"):
        pins.is_set()
    assert pins.reset()
    assert not pins.is_set()


@pytest.mark.parametrize(
    ("pin", "again", "problem"),
    [
        ("2468", None, None),
        ("24681357", "24681357", None),
        ("246", None, PinProblem.FORMAT),
        ("24a8", "24a8", PinProblem.FORMAT),
        ("١٢٣٤", None, PinProblem.FORMAT),
        ("2468", "2469", PinProblem.MISMATCH),
        ("2468", "", PinProblem.MISMATCH),
    ],
)
def test_a_new_pin_is_checked_before_it_is_set(
    pin: str, again: str | None, problem: PinProblem | None
) -> None:
    assert new_pin_problem(pin, again) is problem


@pytest.mark.parametrize(
    ("content", "pin"),
    [(b"2468\n", "2468"), (b"  2468  \r\nsecond line\n", "2468"), (b"", ""), (b"12a4", "12a4")],
)
def test_a_pin_file_gives_its_first_line(tmp_path: Path, content: bytes, pin: str) -> None:
    path = tmp_path / "pin.txt"
    path.write_bytes(content)
    assert read_pin_file(path) == pin


def test_a_bad_pin_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot read"):
        read_pin_file(tmp_path / "missing.txt")
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(UsageError, match="not text"):
        read_pin_file(binary)
    big = tmp_path / "big"
    big.write_bytes(b"1" * 5000)
    with pytest.raises(UsageError, match="too long"):
        read_pin_file(big)
