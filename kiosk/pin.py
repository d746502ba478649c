"""The manager's PIN: a scrypt hash in ``<config>/manager-pin.json``, with a lockout.

The file holds the hash (random salt, the scrypt parameters beside it so they can be
raised later), the count of wrong PINs since the last lock and the lock state, so a
restart does not reset a lockout. It is written atomically with mode 0600.

Lockout: after :data:`MAX_FAILURES` wrong PINs the view is locked for
:data:`FIRST_LOCK`; each further lock lasts twice as long as the one before, up to
:data:`MAX_LOCK`. A right PIN clears the count and the doubling. A 4-digit PIN has
only 10,000 values, so the hash alone would not stop anyone who copies the file: the
lockout and the file's mode are what protect it, the hash keeps the PIN itself (often
reused) out of the file.

The PIN is set at provisioning, never by whoever first opens the manager view: with
no PIN set the view only says that a technician must set one. The API for the front
ends that set it (the provisioning wizard, ``kiosk provision --pin-file``,
``kiosk pin set|reset``), all Qt-free:

- :meth:`PinStore.at` — the kiosk's PIN file under ``Paths.config``;
- :func:`new_pin_problem` — why a new PIN (and its confirmation) is refused, or None;
- :func:`read_pin_file` — the PIN from a file's first line (``--pin-file``);
- :meth:`PinStore.set_pin` — store a new PIN (also clears a lockout);
- :meth:`PinStore.reset` — remove the PIN and its lockout (the view then has no PIN);
- :meth:`PinStore.is_set`, :meth:`PinStore.verify`, :meth:`PinStore.locked_until`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kiosk.errors import StoreError, UsageError
from kiosk.fileio import write_atomic

if TYPE_CHECKING:
    from kiosk.paths import Paths

logger = logging.getLogger(__name__)

FILE_NAME: Final = "manager-pin.json"
FORMAT_VERSION: Final = 1
MAX_FAILURES: Final = 5
FIRST_LOCK: Final = timedelta(minutes=5)
MAX_LOCK: Final = timedelta(hours=1)
#: scrypt's cost (N): 2**15 with r=8 takes 32 MiB and about 0.1 s per try on a laptop.
DEFAULT_COST: Final = 2**15
BLOCK_SIZE: Final = 8
PARALLELISM: Final = 1
KEY_LENGTH: Final = 32
SALT_LENGTH: Final = 16
_PIN: Final = re.compile(r"[0-9]{4,8}")
#: The rule in words, for a command line's messages (the UI has its own, translated).
PIN_RULE: Final = "a PIN is 4 to 8 digits"
#: A PIN file longer than this is not a PIN file (a wrong path given to --pin-file).
_MAX_PIN_FILE: Final = 1024


def is_valid_pin(pin: str) -> bool:
    """4 to 8 ASCII digits (``str.isdigit`` would also accept other scripts' digits)."""
    return _PIN.fullmatch(pin) is not None


class PinProblem(enum.StrEnum):
    """Why a new PIN is refused."""

    #: Not 4 to 8 ASCII digits (:data:`PIN_RULE`).
    FORMAT = "format"
    #: The confirmation (the PIN typed again) differs.
    MISMATCH = "mismatch"


def new_pin_problem(pin: str, confirmation: str | None = None) -> PinProblem | None:
    """Why ``pin`` cannot become the manager PIN, or None when it can. ``confirmation``
    (the same PIN typed again, when the front end asks twice) must equal it."""
    if not is_valid_pin(pin):
        return PinProblem.FORMAT
    if confirmation is not None and not hmac.compare_digest(pin, confirmation):
        return PinProblem.MISMATCH
    return None


def read_pin_file(path: Path) -> str:
    """The PIN in ``path``'s first line (surrounding spaces and the line end dropped),
    for ``kiosk provision --pin-file``. Not validated: see :func:`new_pin_problem`.

    Raises UsageError when the file cannot be read or is not a short text file."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_PIN_FILE + 1)
    except OSError as exc:
        raise UsageError(f"cannot read the PIN file {path}: {exc.strerror or exc}") from exc
    if len(data) > _MAX_PIN_FILE:
        raise UsageError(f"{path} is not a PIN file (too long)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not a PIN file (not text)") from exc
    lines = text.splitlines()
    return lines[0].strip() if lines else ""


class PinOutcome(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


@dataclass(frozen=True, slots=True)
class PinCheck:
    """The result of one try."""

    outcome: PinOutcome
    #: After a wrong PIN: how many more wrong PINs lock the view.
    attempts_left: int | None = None
    #: While locked (also right after the wrong PIN that locked it).
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is PinOutcome.OK


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object) -> bytes:
    if not isinstance(text, str):
        raise TypeError("not base64 text")
    return base64.b64decode(text, validate=True)


@dataclass(frozen=True, slots=True)
class _State:
    salt: bytes
    digest: bytes
    cost: int
    block_size: int
    parallelism: int
    failures: int = 0
    #: Locks so far since the last right PIN: the next lock lasts FIRST_LOCK * 2**locks.
    locks: int = 0
    locked_until: datetime | None = None

    def to_json(self) -> dict[str, object]:
        return {
            "version": FORMAT_VERSION,
            "kdf": "scrypt",
            "n": self.cost,
            "r": self.block_size,
            "p": self.parallelism,
            "salt": _b64(self.salt),
            "hash": _b64(self.digest),
            "failures": self.failures,
            "locks": self.locks,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }

    @classmethod
    def from_json(cls, raw: Any) -> _State:  # raw JSON: checked field by field
        if not isinstance(raw, dict) or raw.get("version") != FORMAT_VERSION:
            raise ValueError("unknown format version")
        if raw.get("kdf") != "scrypt":
            raise ValueError("unknown key derivation")
        numbers = [raw.get(k) for k in ("n", "r", "p", "failures", "locks")]
        if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in numbers):
            raise ValueError("bad numbers")
        cost, block_size, parallelism = raw["n"], raw["r"], raw["p"]
        if cost < 2 or cost & (cost - 1) or block_size < 1 or parallelism < 1:
            raise ValueError("bad scrypt parameters")
        until = raw.get("locked_until")
        if until is not None and not isinstance(until, str):
            raise ValueError("bad locked_until")
        moment = datetime.fromisoformat(until) if until else None
        if moment is not None and moment.tzinfo is None:
            raise ValueError("locked_until has no time zone")
        return cls(
            salt=_unb64(raw["salt"]),
            digest=_unb64(raw["hash"]),
            cost=raw["n"],
            block_size=raw["r"],
            parallelism=raw["p"],
            failures=raw["failures"],
            locks=raw["locks"],
            locked_until=moment,
        )


def _derive(pin: str, salt: bytes, cost: int, block_size: int, parallelism: int) -> bytes:
    return hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=cost,
        r=block_size,
        p=parallelism,
        dklen=KEY_LENGTH,
        # scrypt needs 128 * n * r bytes; OpenSSL's default cap (32 MiB) is just too low.
        maxmem=128 * cost * block_size * parallelism + 2**20,
    )


def lock_duration(lock_number: int) -> timedelta:
    """How long the ``lock_number``-th lock (1, 2, …) since the last right PIN lasts."""
    return min(FIRST_LOCK * (1 << min(max(lock_number - 1, 0), 16)), MAX_LOCK)


class PinStore:
    """The manager PIN in one JSON file. Raises StoreError when the file is unreadable.

    ``cost`` is scrypt's N for new PINs (tests lower it); a stored PIN keeps the
    parameters it was hashed with.
    """

    def __init__(
        self,
        path: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        cost: int = DEFAULT_COST,
    ) -> None:
        self.path = path
        self._clock = clock
        self._cost = cost

    @classmethod
    def at(
        cls,
        paths: Paths,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        *,
        cost: int = DEFAULT_COST,
    ) -> PinStore:
        """The kiosk's PIN: ``<config>/manager-pin.json``."""
        return cls(paths.config / FILE_NAME, clock, cost=cost)

    # -- file --------------------------------------------------------------------------

    def _load(self) -> _State | None:
        try:
            text = self.path.read_text("utf-8")
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read the manager PIN file {self.path}: {exc}") from exc
        try:
            return _State.from_json(json.loads(text))
        except (ValueError, TypeError, KeyError) as exc:
            # Not "no PIN": that would let whoever damaged the file choose a new PIN.
            raise StoreError(f"the manager PIN file {self.path} is damaged: {exc}") from exc

    def _save(self, state: _State) -> None:
        data = json.dumps(state.to_json(), indent=2) + "\n"
        try:
            write_atomic(self.path, data.encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise StoreError(f"cannot write the manager PIN file {self.path}: {exc}") from exc

    # -- API ---------------------------------------------------------------------------

    def is_set(self) -> bool:
        return self._load() is not None

    def set_pin(self, pin: str) -> None:
        """Store a new PIN (4 to 8 digits; ValueError otherwise); clears any lockout.

        For a technician's front end (provisioning, ``kiosk pin set``) and for a manager
        who entered the right PIN; never offered to whoever opens a kiosk with no PIN."""
        if not is_valid_pin(pin):
            raise ValueError(PIN_RULE)
        salt = secrets.token_bytes(SALT_LENGTH)
        digest = _derive(pin, salt, self._cost, BLOCK_SIZE, PARALLELISM)
        self._save(_State(salt, digest, self._cost, BLOCK_SIZE, PARALLELISM))
        logger.info("manager PIN set")

    def reset(self) -> bool:
        """Remove the PIN, its failure count and any lock (also a damaged file): the
        manager view is closed until a technician sets a new PIN. True when there was
        a file. Raises StoreError when it cannot be removed."""
        try:
            self.path.unlink()
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise StoreError(f"cannot remove the manager PIN file {self.path}: {exc}") from exc
        logger.warning("manager PIN removed")
        return True

    def locked_until(self) -> datetime | None:
        """When the current lock ends, or None when not locked (or no PIN is set)."""
        state = self._load()
        if state is None:
            return None
        state = self._unwound(state, self._clock())
        return state.locked_until

    def _unwound(self, state: _State, now: datetime) -> _State:
        """The state with an expired lock lifted, and a lock that ends further ahead than
        the longest lock can (the clock was set back) shortened to the longest lock."""
        until = state.locked_until
        if until is None:
            return state
        if until <= now:
            return replace(state, failures=0, locked_until=None)
        if until - now > MAX_LOCK:
            state = replace(state, locked_until=now + MAX_LOCK)
            self._save(state)
        return state

    def verify(self, pin: str) -> PinCheck:
        state = self._load()
        if state is None:
            return PinCheck(PinOutcome.NOT_SET)
        now = self._clock()
        state = self._unwound(state, now)
        if state.locked_until is not None:
            return PinCheck(PinOutcome.LOCKED, locked_until=state.locked_until)
        candidate = _derive(pin, state.salt, state.cost, state.block_size, state.parallelism)
        if hmac.compare_digest(candidate, state.digest):
            if state.failures or state.locks:
                self._save(replace(state, failures=0, locks=0))
            return PinCheck(PinOutcome.OK)
        failures = state.failures + 1
        if failures >= MAX_FAILURES:
            locks = state.locks + 1
            until = now + lock_duration(locks)
            self._save(replace(state, failures=0, locks=locks, locked_until=until))
            logger.warning("manager PIN locked until %s after %d wrong PINs", until, failures)
            return PinCheck(PinOutcome.LOCKED, attempts_left=0, locked_until=until)
        self._save(replace(state, failures=failures))
        logger.info("wrong manager PIN (%d of %d)", failures, MAX_FAILURES)
        return PinCheck(PinOutcome.WRONG, attempts_left=MAX_FAILURES - failures)
