"""The platform's SQLite database: venues, tokens, kiosks, nonces, check-ins, bundles.

One connection guarded by a lock (uvicorn calls in from its thread pool; SQLite
serialises writers anyway), WAL journal and ``synchronous=FULL``: a check-in that was
acknowledged survives a power cut. Every write is one ``BEGIN IMMEDIATE`` transaction.
Tables are ``STRICT``, so a wrong type cannot be stored even by a bug in this module.

Tokens are kept only as SHA-256 hashes: a copy of the database does not enroll kiosks.

Schema versions (``PRAGMA user_version``): 1, the tables below; 2, a check-in's
``manual_name``, ``manual_phone`` and ``reentry`` (added to a version-1 database's
``checkins`` when it is opened; its rows get none and ``reentry`` 0); 3, a nonce's
``stamp`` (its request's signed timestamp, which it is forgotten by; an older database's
nonces get their ``seen_at``) and ``nonce_floor`` (the stamp below which nonces are
forgotten: an older request is a replay).
"""

from __future__ import annotations

import enum
import hashlib
import logging
import os
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Final

from cityplatform.edwards import check_device_key
from cityplatform.errors import PublishError, TokenError
from kiosk.errors import BundleError
from kiosk.verify.bundle import open_bundle
from kiosk.verify.keys import PublicKey

logger = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 3
#: A nonce is forgotten once its request's signed timestamp is this far behind the
#: platform's steady time (``auth.NONCE_WINDOW_SECONDS``), never earlier.
DEFAULT_NONCE_WINDOW: Final = timedelta(seconds=600)

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS venues (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS tokens (
    token_hash BLOB PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    kiosk_id TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS kiosks (
    id TEXT PRIMARY KEY,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    public_key BLOB NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    name TEXT NOT NULL,
    enrolled_at TEXT NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS nonces (
    kiosk_id TEXT NOT NULL,
    nonce TEXT NOT NULL,
    seen_at REAL NOT NULL,
    stamp REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (kiosk_id, nonce)
) STRICT;
CREATE INDEX IF NOT EXISTS nonces_seen_at ON nonces(seen_at);
CREATE TABLE IF NOT EXISTS nonce_floor (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    stamp REAL NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS checkins (
    uuid TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    venue_id TEXT NOT NULL,
    at TEXT NOT NULL,
    card_id TEXT,
    card_format TEXT,
    verdict TEXT NOT NULL,
    reason TEXT NOT NULL,
    holder TEXT,
    manual INTEGER NOT NULL,
    manual_reason TEXT,
    rules_version TEXT,
    received_at TEXT NOT NULL,
    manual_name TEXT,
    manual_phone TEXT,
    reentry INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE IF NOT EXISTS bundles (
    version INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL,
    published_at TEXT NOT NULL
) STRICT;
"""

#: Columns added to ``checkins`` by schema 2, as a version-1 database gets them.
_CHECKIN_COLUMNS_2: Final = {
    "manual_name": "TEXT",
    "manual_phone": "TEXT",
    "reentry": "INTEGER NOT NULL DEFAULT 0",
}

Clock = Callable[[], datetime]
Monotonic = Callable[[], float]


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Kiosk:
    id: str
    venue_id: str
    public_key: bytes
    enabled: bool
    name: str
    enrolled_at: datetime


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One stored check-in; the columns of ``checkins`` without the receiving side."""

    uuid: str
    venue_id: str
    at: str
    card_id: str | None
    card_format: str | None
    verdict: str
    reason: str
    holder: str | None
    manual: bool
    manual_reason: str | None
    rules_version: str | None
    #: Schema 2 (optional on the wire: older kiosks don't send them).
    manual_name: str | None = None
    manual_phone: str | None = None
    reentry: bool = False


class Outcome(enum.Enum):
    """What became of one uploaded record."""

    STORED = "stored"
    #: This kiosk stored the uuid before: held, acknowledged again.
    DUPLICATE = "duplicate"
    #: Another kiosk holds the uuid: this record is not stored nor acknowledged.
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class StoredCheckIn:
    kiosk_id: str
    record: CheckIn
    received_at: str


@dataclass(frozen=True, slots=True)
class PublishedBundle:
    version: int
    data: bytes
    published_at: datetime


def _hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def _iso(moment: datetime) -> str:
    """UTC with a fixed width, so stored moments also compare correctly as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


class PlatformStore:
    """The platform's one database. ``root`` is the city root public key that published
    bundles must verify against (``None``: publishing is refused). ``busy_timeout``: how
    long a write waits for another process's (a CLI's) write before it fails."""

    def __init__(
        self,
        path: Path,
        *,
        root: PublicKey | None = None,
        clock: Clock = system_clock,
        nonce_window: timedelta = DEFAULT_NONCE_WINDOW,
        busy_timeout: float = 10.0,
        monotonic: Monotonic = time.monotonic,
    ) -> None:
        self.path = path
        self.root = root
        self._clock = clock
        self._nonce_window = nonce_window
        self._monotonic = monotonic
        #: (wall seconds, monotonic seconds) at the first nonce: the steady time's anchor.
        self._anchor: tuple[float, float] | None = None
        self._lock = threading.RLock()
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 whatever the directory's mode or the umask: it holds check-ins
        # (masked holders, card ids) and the kiosks' keys. SQLite gives its -wal and -shm
        # files the database file's mode.
        if str(path) != ":memory:":  # (the OpenAPI document's throw-away store)
            os.close(os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600))
            os.chmod(path, 0o600)
        self._db = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, timeout=busy_timeout
        )
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._write() as db:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            # A version-1 database: CREATE TABLE IF NOT EXISTS left its checkins as they
            # were, so add what schema 2 added (its rows keep everything).
            have = {str(row[1]) for row in db.execute("PRAGMA table_info(checkins)")}
            for column, kind in _CHECKIN_COLUMNS_2.items():
                if column not in have:
                    db.execute(f"ALTER TABLE checkins ADD COLUMN {column} {kind}")
            # Schema 3: a nonce is kept by its request's signed timestamp.
            if "stamp" not in {str(row[1]) for row in db.execute("PRAGMA table_info(nonces)")}:
                db.execute("ALTER TABLE nonces ADD COLUMN stamp REAL NOT NULL DEFAULT 0")
                db.execute("UPDATE nonces SET stamp = seen_at")
            db.execute("CREATE INDEX IF NOT EXISTS nonces_stamp ON nonces(stamp)")
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> PlatformStore:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        with self._lock:
            return list(self._db.execute(sql, params))

    # Venues and tokens ------------------------------------------------------------------

    def issue_token(self, venue_id: str, ttl: timedelta, *, now: datetime | None = None) -> str:
        """A new one-time enrollment token for ``venue_id`` (the venue is created if new)."""
        if ttl <= timedelta(0):
            raise ValueError("a token's time to live must be positive")
        moment = now or self._clock()
        # Hex: never starts with "-", which a command line would take for an option.
        token = secrets.token_hex(16)
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO venues (id, created_at) VALUES (?, ?)",
                (venue_id, _iso(moment)),
            )
            db.execute(
                "INSERT INTO tokens (token_hash, venue_id, issued_at, expires_at)"
                " VALUES (?, ?, ?, ?)",
                (_hash_token(token), venue_id, _iso(moment), _iso(moment + ttl)),
            )
        logger.info("issued an enrollment token for venue %s, valid for %s", venue_id, ttl)
        return token

    def enroll(
        self,
        token: str,
        venue_id: str,
        *,
        public_key: bytes,
        name: str,
        now: datetime | None = None,
    ) -> Kiosk:
        """Redeem ``token`` and register a kiosk, or raise ``TokenError`` or, for a weak
        ``public_key``, ``WeakKeyError`` (nothing changes)."""
        moment = now or self._clock()
        with self._write() as db:
            row = db.execute(
                "SELECT venue_id, expires_at, used_at FROM tokens WHERE token_hash = ?",
                (_hash_token(token),),
            ).fetchone()
            if row is None:
                raise TokenError("token_invalid", "unknown enrollment token")
            token_venue, expires_at, used_at = row
            if used_at is not None:
                raise TokenError("token_used", "this enrollment token was already used")
            if _moment(expires_at) <= moment:
                raise TokenError("token_invalid", "this enrollment token has expired")
            if token_venue != venue_id:
                raise TokenError(
                    "token_venue_mismatch", "this enrollment token was issued for another venue"
                )
            # After the token (a random token with a random key is a token error), before
            # anything is written: WeakKeyError rolls back and keeps the token.
            check_device_key(public_key)
            kiosk = Kiosk(str(uuid.uuid4()), venue_id, public_key, True, name, moment)
            db.execute(
                "INSERT INTO kiosks (id, venue_id, public_key, enabled, name, enrolled_at)"
                " VALUES (?, ?, ?, 1, ?, ?)",
                (kiosk.id, venue_id, public_key, name, _iso(moment)),
            )
            db.execute(
                "UPDATE tokens SET used_at = ?, kiosk_id = ? WHERE token_hash = ?",
                (_iso(moment), kiosk.id, _hash_token(token)),
            )
        logger.info("enrolled kiosk %s at venue %s", kiosk.id, venue_id)
        return kiosk

    # Kiosks -----------------------------------------------------------------------------

    def kiosk(self, kiosk_id: str) -> Kiosk | None:
        rows = self._read(
            "SELECT id, venue_id, public_key, enabled, name, enrolled_at FROM kiosks WHERE id = ?",
            (kiosk_id,),
        )
        if not rows:
            return None
        id_, venue_id, public_key, enabled, name, enrolled_at = rows[0]
        assert isinstance(public_key, bytes)
        return Kiosk(
            str(id_), str(venue_id), public_key, bool(enabled), str(name), _moment(str(enrolled_at))
        )

    def set_kiosk_enabled(self, kiosk_id: str, enabled: bool) -> bool:
        """Revoke (or restore) a kiosk; False when there is no such kiosk."""
        with self._write() as db:
            changed = db.execute(
                "UPDATE kiosks SET enabled = ? WHERE id = ?", (int(enabled), kiosk_id)
            ).rowcount
        logger.info("kiosk %s %s", kiosk_id, "enabled" if enabled else "disabled")
        return changed == 1

    # Nonces -----------------------------------------------------------------------------

    def _steady_seconds(self, wall: float) -> float:
        """The wall clock, but never ahead of the time since the first nonce as the
        monotonic clock counts it: a step forward does not make nonces look old."""
        mono = self._monotonic()
        if self._anchor is None:
            self._anchor = (wall, mono)
        anchor_wall, anchor_mono = self._anchor
        return min(wall, anchor_wall + (mono - anchor_mono))

    def remember_nonce(
        self,
        kiosk_id: str,
        nonce: str,
        *,
        stamp: float | None = None,
        now: datetime | None = None,
    ) -> bool:
        """Record a nonce of a request signed at ``stamp`` (Unix seconds; default: now).
        False for a replay: this kiosk used the nonce and it is still remembered, or
        ``stamp`` is older than the nonces already forgotten (``nonce_floor``).

        Nonces are forgotten by their signed timestamp, against a steady time that a
        clock stepped forward cannot hurry (:meth:`_steady_seconds`), so a request
        captured before a +700 s step and back is still a replay. A clock stepped back
        cannot revive a forgotten request either: its stamp is under the floor.
        """
        seconds = (now or self._clock()).timestamp()
        signed = seconds if stamp is None else float(stamp)
        horizon = self._steady_seconds(seconds) - self._nonce_window.total_seconds()
        with self._write() as db:
            row = db.execute("SELECT stamp FROM nonce_floor WHERE id = 1").fetchone()
            floor = float(row[0]) if row is not None else float("-inf")
            if signed < floor:
                return False
            if horizon > floor:
                db.execute("DELETE FROM nonces WHERE stamp < ?", (horizon,))
                db.execute(
                    "INSERT INTO nonce_floor (id, stamp) VALUES (1, ?)"
                    " ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp",
                    (horizon,),
                )
                if signed < horizon:
                    return False
            inserted = db.execute(
                "INSERT OR IGNORE INTO nonces (kiosk_id, nonce, seen_at, stamp)"
                " VALUES (?, ?, ?, ?)",
                (kiosk_id, nonce, seconds, signed),
            ).rowcount
        return inserted == 1

    def count_nonces(self) -> int:
        return int(str(self._read("SELECT count(*) FROM nonces")[0][0]))

    # Check-ins --------------------------------------------------------------------------

    def store_checkins(
        self, kiosk_id: str, records: Sequence[CheckIn], *, now: datetime | None = None
    ) -> list[Outcome]:
        """Insert records in one transaction, first copy wins; each record's outcome.

        Idempotency is per kiosk: a uuid this kiosk already stored is a ``DUPLICATE``
        (held: acknowledged); a uuid another kiosk stored is a ``CONFLICT`` (this record
        is *not* held, and must not be acknowledged). ``uuid`` stays the table's key, so
        no two kiosks' records ever share one and exports keep a unique key.
        """
        received = _iso(now or self._clock())
        fresh: list[Outcome] = []
        with self._write() as db:
            for record in records:
                cursor = db.execute(
                    "INSERT OR IGNORE INTO checkins (uuid, kiosk_id, venue_id, at, card_id,"
                    " card_format, verdict, reason, holder, manual, manual_reason,"
                    " rules_version, received_at, manual_name, manual_phone, reentry)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.uuid,
                        kiosk_id,
                        record.venue_id,
                        record.at,
                        record.card_id,
                        record.card_format,
                        record.verdict,
                        record.reason,
                        record.holder,
                        int(record.manual),
                        record.manual_reason,
                        record.rules_version,
                        received,
                        record.manual_name,
                        record.manual_phone,
                        int(record.reentry),
                    ),
                )
                if cursor.rowcount == 1:
                    fresh.append(Outcome.STORED)
                    continue
                holder = db.execute(
                    "SELECT kiosk_id FROM checkins WHERE uuid = ?", (record.uuid,)
                ).fetchone()
                same = holder is not None and holder[0] == kiosk_id
                fresh.append(Outcome.DUPLICATE if same else Outcome.CONFLICT)
        return fresh

    def count_checkins(self) -> int:
        return int(str(self._read("SELECT count(*) FROM checkins")[0][0]))

    def checkin_uuids(self) -> set[str]:
        return {str(row[0]) for row in self._read("SELECT uuid FROM checkins")}

    def checkins(self) -> list[StoredCheckIn]:
        """Every stored check-in, oldest received first (for checks and exports)."""
        rows = self._read(
            "SELECT kiosk_id, uuid, venue_id, at, card_id, card_format, verdict, reason,"
            " holder, manual, manual_reason, rules_version, received_at, manual_name,"
            " manual_phone, reentry FROM checkins ORDER BY received_at, rowid"
        )
        result = []
        for row in rows:
            (kiosk_id, uuid_, venue, at, card_id, card_format, verdict, reason) = row[:8]
            holder, manual, manual_reason, rules_version, received_at = row[8:13]
            manual_name, manual_phone, reentry = row[13:]
            record = CheckIn(
                uuid=str(uuid_),
                venue_id=str(venue),
                at=str(at),
                card_id=None if card_id is None else str(card_id),
                card_format=None if card_format is None else str(card_format),
                verdict=str(verdict),
                reason=str(reason),
                holder=None if holder is None else str(holder),
                manual=bool(manual),
                manual_reason=None if manual_reason is None else str(manual_reason),
                rules_version=None if rules_version is None else str(rules_version),
                manual_name=None if manual_name is None else str(manual_name),
                manual_phone=None if manual_phone is None else str(manual_phone),
                reentry=bool(reentry),
            )
            result.append(StoredCheckIn(str(kiosk_id), record, str(received_at)))
        return result

    # Bundles ----------------------------------------------------------------------------

    def publish_bundle(self, data: bytes, *, now: datetime | None = None) -> int:
        """Publish a bundle signed by the root key and newer than every published one.

        Publishing the same bytes again is a no-op; returns the bundle's version.
        """
        if self.root is None:
            raise PublishError("the platform has no root key to check bundles against")
        try:
            bundle = open_bundle(data, self.root)
        except BundleError as exc:
            raise PublishError(f"bundle refused: {exc}") from exc
        moment = now or self._clock()
        with self._write() as db:
            row = db.execute(
                "SELECT version, bytes FROM bundles ORDER BY version DESC LIMIT 1"
            ).fetchone()
            if row is not None:
                latest, latest_bytes = row
                if latest == bundle.version and latest_bytes == data:
                    return bundle.version
                if bundle.version <= latest:
                    raise PublishError(
                        f"bundle version {bundle.version} is not newer than version"
                        f" {latest} already published"
                    )
            db.execute(
                "INSERT INTO bundles (version, bytes, published_at) VALUES (?, ?, ?)",
                (bundle.version, data, _iso(moment)),
            )
        logger.info("published trust bundle version %s (%s bytes)", bundle.version, len(data))
        return bundle.version

    def latest_bundle(self) -> PublishedBundle | None:
        rows = self._read(
            "SELECT version, bytes, published_at FROM bundles ORDER BY version DESC LIMIT 1"
        )
        if not rows:
            return None
        version, data, published_at = rows[0]
        assert isinstance(version, int)
        assert isinstance(data, bytes)
        return PublishedBundle(version, data, _moment(str(published_at)))

    def latest_bundle_version(self) -> int | None:
        rows = self._read("SELECT max(version) FROM bundles")
        value = rows[0][0]
        return None if value is None else int(str(value))

    def bundle_newer_than(self, version: int) -> PublishedBundle | None:
        """The latest bundle when its version is above ``version`` (without reading the
        bytes otherwise)."""
        latest = self.latest_bundle_version()
        if latest is None or latest <= version:
            return None
        return self.latest_bundle()

    # Overview ---------------------------------------------------------------------------

    def stats(self, *, now: datetime | None = None) -> dict[str, int]:
        moment = _iso(now or self._clock())

        def count(sql: str, params: Sequence[object] = ()) -> int:
            return int(str(self._read(sql, params)[0][0]))

        return {
            "venues": count("SELECT count(*) FROM venues"),
            "tokens_open": count(
                "SELECT count(*) FROM tokens WHERE used_at IS NULL AND expires_at > ?", (moment,)
            ),
            "tokens_used": count("SELECT count(*) FROM tokens WHERE used_at IS NOT NULL"),
            "kiosks_enabled": count("SELECT count(*) FROM kiosks WHERE enabled = 1"),
            "kiosks_disabled": count("SELECT count(*) FROM kiosks WHERE enabled = 0"),
            "checkins": count("SELECT count(*) FROM checkins"),
            "bundle_version": self.latest_bundle_version() or 0,
        }
