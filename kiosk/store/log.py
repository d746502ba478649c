"""The check-in log on SQLite (peewee): WAL, ``synchronous=FULL``, one writer class.

Every decision is committed here before the screen may show it. The same table is
the sync outbox: a record is unsynced until the platform acknowledges its uuid, and
is purged only a retention period after that (default 21 days), never before.
Personal fields (card id, masked holder, and a manual admission's reason, name and
phone) are sealed with a key kept outside the database file (:mod:`kiosk.store.sealing`).

Schema versions (each migration runs once, in one transaction, and keeps every row):

1. the check-in table;
2. a manual admission's person (``manual_name``, ``manual_phone``, sealed: contact
   tracing must be able to reach someone admitted on paper) and ``reentry`` (the card
   was admitted here earlier within the re-entry window: counted as a scan, not as
   another person, see :meth:`CheckInLog.people`).
"""

from __future__ import annotations

import enum
import hashlib
import json
import logging
import os
import re
import secrets
import threading
import unicodedata
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Final, TypeVar

import peewee

from kiosk.decision import Decision
from kiosk.domain import Verdict
from kiosk.errors import StoreError
from kiosk.store.sealing import Sealer

logger = logging.getLogger(__name__)

T = TypeVar("T")

SCHEMA_VERSION: Final = 3
DEFAULT_RETENTION: Final = timedelta(days=21)
MANUAL_REASON_CODE: Final = "manual_admission"
#: Beside the log, outside its file: which log this is and how many check-ins it has
#: recorded so far, so that a log truncated, rolled back or replaced is seen.
MARK_FILE: Final = "checkins.mark"
MARK_BYTES: Final = 64


class _Tables:
    """The tables, bound to one database (no global binding: several logs may coexist)."""

    def __init__(self, db: peewee.Database) -> None:
        class Base(peewee.Model):
            class Meta:
                database = db

        class MetaRow(Base):
            key = peewee.TextField(primary_key=True)
            value = peewee.TextField()

            class Meta:
                table_name = "meta"

        class CheckInRow(Base):
            id = peewee.AutoField()
            uuid = peewee.TextField(unique=True)
            at_ms = peewee.BigIntegerField(index=True)
            kiosk_id = peewee.TextField()
            venue_id = peewee.TextField()
            #: Keyed hash of the card id, for re-entry lookups without opening every row.
            card_ref = peewee.BlobField(null=True, index=True)
            card_id = peewee.BlobField(null=True)  # sealed
            card_format = peewee.TextField(null=True)
            verdict = peewee.TextField()
            reason = peewee.TextField()
            holder = peewee.BlobField(null=True)  # sealed masked display
            manual = peewee.BooleanField(default=False)
            manual_reason = peewee.BlobField(null=True)  # sealed
            rules_version = peewee.TextField(null=True)
            manual_name = peewee.BlobField(null=True)  # sealed (schema 2)
            manual_phone = peewee.BlobField(null=True)  # sealed (schema 2)
            #: A returning card (schema 2): another scan of a person already counted.
            reentry = peewee.BooleanField(default=False)
            synced_at_ms = peewee.BigIntegerField(null=True)
            #: Why the platform refused this record, if it did (kept, not retried blindly).
            refused = peewee.TextField(null=True)
            #: Why this record cannot be read (schema 3): a sealed field that does not
            #: open. Kept as it is, never sent, counted; the others go on.
            damaged = peewee.TextField(null=True)

            class Meta:
                table_name = "checkin"

        self.meta = MetaRow
        self.checkin = CheckInRow


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


@dataclass(frozen=True, slots=True)
class CheckIn:
    """One recorded check-in, with its personal fields opened."""

    uuid: str
    at: datetime
    kiosk_id: str
    venue_id: str
    card_id: str | None
    card_format: str | None
    verdict: Verdict
    reason: str
    holder: str | None
    manual: bool
    manual_reason: str | None
    rules_version: str | None
    synced_at: datetime | None
    #: A manual admission's person: the name and phone the guard took down.
    manual_name: str | None = None
    manual_phone: str | None = None
    #: The card was admitted here earlier within the re-entry window.
    reentry: bool = False

    def wire(self) -> dict[str, object]:
        """The record as the sync protocol uploads it (docs/sync-protocol.md). The fields
        of schema 2 go only when they say something: a platform not yet upgraded (it
        forbids unknown fields) still takes every ordinary check-in of an upgraded kiosk."""
        record: dict[str, object] = {
            "uuid": self.uuid,
            "at": self.at.isoformat(timespec="milliseconds"),
            "venue_id": self.venue_id,
            "card_id": self.card_id,
            "card_format": self.card_format,
            "verdict": self.verdict.value,
            "reason": self.reason,
            "holder": self.holder,
            "manual": self.manual,
            "manual_reason": self.manual_reason,
            "rules_version": self.rules_version,
        }
        if self.manual_name is not None:
            record["manual_name"] = self.manual_name
        if self.manual_phone is not None:
            record["manual_phone"] = self.manual_phone
        if self.reentry:
            record["reentry"] = True
        return record


#: The platform's limits (docs/sync-protocol.md).
MAX_HOLDER: Final = 128
MAX_MANUAL_REASON: Final = 500
MAX_CARD_ID: Final = 128
MAX_MANUAL_NAME: Final = 128
MAX_MANUAL_PHONE: Final = 32
#: Digits in a phone number: a short local number up to E.164's 15.
MIN_PHONE_DIGITS: Final = 6
MAX_PHONE_DIGITS: Final = 15
#: Kiosk ids of records made before enrollment: on city trust data, and on the demo's.
LOCAL: Final = "local"
DEMO: Final = "demo"


def masked_holder(decision: Decision) -> str | None:
    """ "Nguyễn V. A., 1987": enough for tracing, not a full name; at most 128 characters."""
    card = decision.card
    if card is None:
        return None
    year = card.holder.birth_year
    suffix = f", {year}" if year else ""
    name = card.holder.masked_name
    if len(name) + len(suffix) > MAX_HOLDER:
        name = name[: MAX_HOLDER - len(suffix) - 1].rstrip() + "…"
    return name + suffix


def traced_id(card_id: str) -> str:
    """The card id as the log and the platform keep it: as is, or — longer than the
    platform's 128 characters (a SMART Health Card issuer URL) — a stable digest."""
    if len(card_id) <= MAX_CARD_ID and card_id.isprintable():
        return card_id
    return "sha256:" + hashlib.sha256(card_id.encode("utf-8", "surrogatepass")).hexdigest()


class ManualProblem(enum.StrEnum):
    """Why a manual admission cannot be recorded as entered (the UI words each one)."""

    NO_REASON = "no_reason"
    REASON_TOO_LONG = "reason_too_long"
    NO_NAME = "no_name"
    NAME_TOO_LONG = "name_too_long"
    NO_PHONE = "no_phone"
    #: Not a phone number: digits, spaces, a leading ``+`` (and ``-``, ``.``, brackets
    #: as separators), 6 to 15 digits.
    BAD_PHONE = "bad_phone"


_PHONE_SEPARATORS: Final = re.compile(r"[\s\-.()]+")
_PHONE: Final = re.compile(r"\+?[0-9]+( [0-9]+)*")


def clean_name(name: str) -> str:
    """A person's name as recorded: NFC, one line, single spaces, no control characters."""
    text = unicodedata.normalize("NFC", name)
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def clean_phone(phone: str) -> str:
    """A phone number as recorded: ``+84 (90) 123-4567`` -> ``+84 90 123 4567``
    (separators become single spaces). Not validated: see :func:`phone_is_valid`."""
    text = unicodedata.normalize("NFKC", phone).strip()  # full-width digits to ASCII
    plus = text.startswith("+")
    body = _PHONE_SEPARATORS.sub(" ", text[1:] if plus else text).strip()
    return ("+" if plus else "") + body


def phone_is_valid(phone: str) -> bool:
    """Loosely a phone number: digits in groups, maybe a leading ``+``, 6 to 15 digits."""
    cleaned = clean_phone(phone)
    digits = sum(ch.isdigit() for ch in cleaned)
    return (
        _PHONE.fullmatch(cleaned) is not None
        and cleaned.isascii()
        and MIN_PHONE_DIGITS <= digits <= MAX_PHONE_DIGITS
        and len(cleaned) <= MAX_MANUAL_PHONE
    )


def manual_admission_problems(
    reason: str, name: str, phone: str, *, phone_required: bool = True
) -> list[ManualProblem]:
    """Everything wrong with a manual admission as entered (empty: it can be recorded).

    The rule every front end applies (``Station.admit_manually`` refuses what this
    refuses): what the guard checked, the person's name, and a phone number to reach
    them (contact tracing). The store itself requires the reason and the name."""
    problems = []
    cleaned_reason = _one_clean_text(reason)
    if not cleaned_reason:
        problems.append(ManualProblem.NO_REASON)
    elif len(cleaned_reason) > MAX_MANUAL_REASON:
        problems.append(ManualProblem.REASON_TOO_LONG)
    cleaned_name = clean_name(name)
    if not cleaned_name:
        problems.append(ManualProblem.NO_NAME)
    elif len(cleaned_name) > MAX_MANUAL_NAME:
        problems.append(ManualProblem.NAME_TOO_LONG)
    if not phone.strip():
        if phone_required:
            problems.append(ManualProblem.NO_PHONE)
    elif not phone_is_valid(phone):
        problems.append(ManualProblem.BAD_PHONE)
    return problems


def _one_clean_text(text: str) -> str:
    """Line ends as the platform takes them (\n), no other control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or ch.isprintable()).strip()


def _disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL, even when peewee's rollback (of a transaction SQLite already rolled
    back) raised on top of it."""
    seen: BaseException | None = exc
    while seen is not None:
        if "database or disk is full" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


#: Schema 1 as peewee made it; frozen here, so that a new log goes through the same
#: steps as an old one (the models describe the newest schema, not this one).
_SCHEMA_1: Final = (
    'CREATE TABLE IF NOT EXISTS "meta" ("key" TEXT NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE IF NOT EXISTS "checkin" ("id" INTEGER NOT NULL PRIMARY KEY,'
    ' "uuid" TEXT NOT NULL, "at_ms" INTEGER NOT NULL, "kiosk_id" TEXT NOT NULL,'
    ' "venue_id" TEXT NOT NULL, "card_ref" BLOB, "card_id" BLOB, "card_format" TEXT,'
    ' "verdict" TEXT NOT NULL, "reason" TEXT NOT NULL, "holder" BLOB,'
    ' "manual" INTEGER NOT NULL, "manual_reason" BLOB, "rules_version" TEXT,'
    ' "synced_at_ms" INTEGER, "refused" TEXT)',
    'CREATE UNIQUE INDEX IF NOT EXISTS "checkinrow_uuid" ON "checkin" ("uuid")',
    'CREATE INDEX IF NOT EXISTS "checkinrow_at_ms" ON "checkin" ("at_ms")',
    'CREATE INDEX IF NOT EXISTS "checkinrow_card_ref" ON "checkin" ("card_ref")',
    "CREATE INDEX IF NOT EXISTS checkin_unsynced ON checkin(id) WHERE synced_at_ms IS NULL",
)


def _migrate_1(db: peewee.Database, tables: _Tables) -> None:
    for statement in _SCHEMA_1:
        db.execute_sql(statement)


def _migrate_2(db: peewee.Database, tables: _Tables) -> None:
    # Added columns only: existing rows keep everything, and get no name, no phone and
    # no re-entry (the log did not know).
    db.execute_sql('ALTER TABLE "checkin" ADD COLUMN "manual_name" BLOB')
    db.execute_sql('ALTER TABLE "checkin" ADD COLUMN "manual_phone" BLOB')
    db.execute_sql('ALTER TABLE "checkin" ADD COLUMN "reentry" INTEGER NOT NULL DEFAULT 0')


def _migrate_3(db: peewee.Database, tables: _Tables) -> None:
    db.execute_sql('ALTER TABLE "checkin" ADD COLUMN "damaged" TEXT')


#: Migrations by the version they bring the schema to; each runs in one transaction.
MIGRATIONS: Final[dict[int, Callable[[peewee.Database, _Tables], None]]] = {
    1: _migrate_1,
    2: _migrate_2,
    3: _migrate_3,
}


@dataclass(frozen=True, slots=True)
class DayCounts:
    """Check-ins of a period counted as people, not as scans (:meth:`CheckInLog.people`)."""

    #: People by verdict: every check-in that is not a re-entry (a manual admission is
    #: one green person).
    people: dict[Verdict, int]
    #: Check-ins made by scanning a card (re-entries included, manual admissions not).
    scans: int
    #: Check-ins of a card admitted here earlier within the re-entry window.
    reentries: int
    #: Manual admissions (each also one green person).
    manual: int = 0

    @property
    def total_people(self) -> int:
        return sum(self.people.values())


class CheckInLog:
    """The only writer of the check-in table."""

    def __init__(
        self,
        path: Path,
        sealer: Sealer,
        *,
        kiosk_id: str,
        venue_id: str,
        retention: timedelta = DEFAULT_RETENTION,
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.kiosk_id = kiosk_id
        self.venue_id = venue_id
        self.retention = retention
        self._sealer = sealer
        self._db = peewee.SqliteDatabase(
            str(path),
            pragmas={
                "journal_mode": "wal",
                "synchronous": 2,  # FULL: a commit is on disk when it returns
                "foreign_keys": 1,
                "busy_timeout": 10_000,
            },
            check_same_thread=False,
        )
        self._t = _Tables(self._db)
        try:
            self._db.connect(reuse_if_open=True)
            self._migrate()
            self._check_key()
            #: What is wrong with the log as found at start (None: nothing seen), in
            #: English for the log; ``problem_code`` for the screens' words.
            self.problem: str | None = None
            self.problem_code: str | None = None
            self._mark_lock = threading.Lock()
            self._mark_fd: int | None = None
            self._recorded = self._check_integrity()
        except peewee.DatabaseError as exc:
            raise StoreError(f"cannot open the check-in log {path}: {exc}") from exc

    @property
    def mark_path(self) -> Path:
        return self.path.with_name(MARK_FILE)

    def _meta(self, key: str) -> str | None:
        row = self._t.meta.get_or_none(self._t.meta.key == key)
        return str(row.value) if row is not None else None

    def _check_integrity(self) -> int:
        """SQLite's own check, then the log against its mark: damage is reported, never
        taken for an empty log. Returns the count of check-ins ever recorded."""
        meta = self._t.meta
        log_id, recorded = self._meta("log_id"), self._meta("recorded")
        with self._db.atomic():
            if log_id is None:
                log_id = secrets.token_hex(8)
                meta.replace(key="log_id", value=log_id).execute()
            if recorded is None:  # a log from before the mark: what it holds now
                recorded = str(self._t.checkin.select().count())
                meta.replace(key="recorded", value=recorded).execute()
        count = int(recorded)
        (verdict,) = self._db.execute_sql("PRAGMA quick_check(1)").fetchone()
        if verdict != "ok":
            self._report("damaged", f"the check-in log {self.path} is damaged: {verdict}")
        try:
            mark = json.loads(self.mark_path.read_bytes().strip())
            marked_log, marked = str(mark["log"]), int(mark["recorded"])
        except FileNotFoundError:
            marked_log, marked = log_id, count
        except (OSError, ValueError, KeyError, TypeError):
            self._report("mark_damaged", f"{self.mark_path} is damaged: cannot tell")
            marked_log, marked = log_id, count
        if marked_log != log_id:
            self._report(
                "replaced",
                f"the check-in log {self.path} was replaced: the log that recorded "
                f"{marked} check-in(s) is not this one (restore it from a backup)",
            )
        elif marked > count:
            self._report(
                "shrunk",
                f"the check-in log {self.path} lost check-ins: {marked} were recorded, "
                f"it knows {count} (restore it from a backup)",
            )
        if self.problem is None:
            self._write_mark(log_id, count)
        self._log_id = log_id
        return count

    def _report(self, code: str, problem: str) -> None:
        logger.error("%s", problem)
        if self.problem is None:
            self.problem, self.problem_code = problem, code

    def _write_mark(self, log_id: str, recorded: int) -> None:
        """Rewritten in place (one 64-byte write at offset 0: no rename, which ext4
        flushes, halving the check-ins a second), not synced: after a power cut it may be
        older than the log (never newer: the log's commit is on disk first), which is no
        false alarm."""
        data = json.dumps({"log": log_id, "recorded": recorded}).encode().ljust(MARK_BYTES)
        try:
            if self._mark_fd is None:
                self._mark_fd = os.open(
                    self.mark_path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600
                )
            os.pwrite(self._mark_fd, data, 0)
        except OSError as exc:  # a full disk: the log itself says so when it matters
            logger.warning("cannot update %s: %s", self.mark_path, exc)

    def _check_key(self) -> None:
        """Refuse a store key that is not this log's: with the wrong key every record would
        look damaged. The log keeps a keyed check value (``meta.key_check``); a log made
        before it proves the key by opening a record that has a sealed field first."""
        meta = self._t.meta
        check = self._sealer.reference("the check-in log's store key").hex()
        row = meta.get_or_none(meta.key == "key_check")
        if row is not None:
            if row.value != check:
                raise StoreError(
                    f"the store key does not open the check-in log {self.path} "
                    "(another kiosk's key, or a new one made after it was lost)"
                )
            return
        table = self._t.checkin
        samples = list(
            table.select().where(table.holder.is_null(False)).order_by(table.id).limit(5)
        )
        failures = []
        for sample in samples:
            try:
                self._open_row(sample)
                break  # one record opens: the key is this log's
            except StoreError as exc:
                failures.append(exc)
        if samples and len(failures) == len(samples):
            raise failures[0]  # not this log's key (or its first records all damaged)
        with self._db.atomic():
            meta.replace(key="key_check", value=check).execute()

    @classmethod
    def open(cls, data_dir: Path, *, kiosk_id: str, venue_id: str) -> CheckInLog:
        """The log under a kiosk's data directory, its key beside it in ``keys/``.

        The key is made with a new log only: a log without its key cannot be read, and a
        fresh key would make every sealed record unreadable (and stop the sync)."""
        database = data_dir / "checkins.sqlite3"
        if database.is_symlink():  # SQLite would follow it: the log could be swapped
            raise StoreError(f"the check-in log {database} is a symbolic link: refused")
        try:
            new = not database.exists() or database.stat().st_size == 0
            sealer = Sealer.from_file(data_dir / "keys" / "store.key", create=new)
        except StoreError as exc:
            raise StoreError(
                f"{exc}: the check-in log {database} cannot be read without it; restore the "
                "key from the kiosk's backup (a technician can move the log aside to start anew)"
            ) from exc
        return cls(database, sealer, kiosk_id=kiosk_id, venue_id=venue_id)

    def close(self) -> None:
        self._db.close()
        if self._mark_fd is not None:
            os.close(self._mark_fd)
            self._mark_fd = None

    def _migrate(self) -> None:
        version = self.schema_version if self._db.table_exists("meta") else 0
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema {version}, newer than this kiosk ({SCHEMA_VERSION})"
            )
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._db.atomic():
                MIGRATIONS[target](self._db, self._t)
                self._t.meta.replace(key="schema_version", value=str(target)).execute()
            logger.info("check-in log migrated to schema %d", target)

    @property
    def schema_version(self) -> int:
        row = self._t.meta.get_or_none(self._t.meta.key == "schema_version")
        return int(row.value) if row else 0

    # -- writing -----------------------------------------------------------------------

    def record(
        self,
        decision: Decision,
        *,
        manual: bool = False,
        manual_reason: str | None = None,
        manual_name: str | None = None,
        manual_phone: str | None = None,
        reentry: bool = False,
        record_uuid: str | None = None,
    ) -> CheckIn:
        """Commit ``decision`` durably and return it as recorded. Raises StoreError.

        A manual admission (``manual``) needs a reason and the person's name; a phone,
        when given, must look like one (:func:`phone_is_valid`). ``reentry``: the card
        was admitted here earlier within the re-entry window (the station knows)."""
        if manual and not (manual_reason and manual_reason.strip()):
            raise StoreError("a manual admission needs a reason")
        if manual_reason is not None and len(manual_reason.strip()) > MAX_MANUAL_REASON:
            raise StoreError(f"the reason is longer than {MAX_MANUAL_REASON} characters")
        if not manual and (manual_name is not None or manual_phone is not None):
            raise StoreError("a name and phone are recorded only with a manual admission")
        name = clean_name(manual_name) if manual_name is not None else ""
        if manual and not name:
            raise StoreError("a manual admission needs the person's name")
        if len(name) > MAX_MANUAL_NAME:
            raise StoreError(f"the name is longer than {MAX_MANUAL_NAME} characters")
        phone = clean_phone(manual_phone) if manual_phone is not None else ""
        if phone and not phone_is_valid(phone):
            raise StoreError("the phone number is not valid")
        record_id = record_uuid or str(uuid.uuid4())
        context = record_id.encode()
        card = decision.card
        holder = masked_holder(decision)
        if manual_reason is not None:
            manual_reason = _one_clean_text(manual_reason)
        checkin = CheckIn(
            uuid=record_id,
            at=decision.at.astimezone(UTC),
            kiosk_id=self.kiosk_id,
            venue_id=self.venue_id,
            card_id=traced_id(card.card_id) if card else None,
            card_format=decision.format,
            verdict=Verdict.GREEN if manual else decision.verdict,
            reason=MANUAL_REASON_CODE if manual else decision.reason.value,
            holder=holder,
            manual=manual,
            manual_reason=manual_reason.strip() if manual and manual_reason else None,
            rules_version=decision.rules_version,
            synced_at=None,
            manual_name=name or None,
            manual_phone=phone or None,
            reentry=reentry,
        )
        row = {
            "uuid": record_id,
            "at_ms": _ms(checkin.at),
            "kiosk_id": self.kiosk_id,
            "venue_id": self.venue_id,
            "card_ref": self._sealer.reference(checkin.card_id) if checkin.card_id else None,
            "card_id": self._sealer.seal(checkin.card_id, context + b"|card")
            if checkin.card_id
            else None,
            "card_format": checkin.card_format,
            "verdict": checkin.verdict.value,
            "reason": checkin.reason,
            "holder": self._sealer.seal(holder, context + b"|holder") if holder else None,
            "manual": manual,
            "manual_reason": (
                self._sealer.seal(checkin.manual_reason, context + b"|manual")
                if checkin.manual_reason
                else None
            ),
            "rules_version": checkin.rules_version,
            "manual_name": self._sealer.seal(name, context + b"|manual_name") if name else None,
            "manual_phone": (
                self._sealer.seal(phone, context + b"|manual_phone") if phone else None
            ),
            "reentry": reentry,
        }

        def insert() -> int:
            self._t.checkin.insert(row).execute()
            # Counted in the same transaction (threads may record at once).
            self._db.execute_sql(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'recorded'"
            )
            (total,) = self._db.execute_sql(
                "SELECT value FROM meta WHERE key = 'recorded'"
            ).fetchone()
            return int(total)

        recorded = self._write(insert)
        if self.problem is None:  # a damaged log keeps its mark as it was: the evidence
            with self._mark_lock:
                if recorded > self._recorded:
                    self._recorded = recorded
                    self._write_mark(self._log_id, recorded)
        return checkin

    def _read(self, work: Callable[[], T]) -> T:
        try:
            return work()
        except peewee.DatabaseError as exc:
            raise StoreError(f"the check-in log cannot be read: {exc}") from exc

    def _write(self, work: Callable[[], T]) -> T:
        try:
            with self._db.atomic():
                return work()
        except peewee.DatabaseError as exc:
            if _disk_full(exc):
                raise StoreError("the disk is full: the check-in was NOT recorded") from exc
            raise StoreError(f"the check-in log cannot be written: {exc}") from exc

    def mark_synced(self, uuids: Sequence[str], at: datetime) -> int:
        """Mark records the platform acknowledged; unknown uuids are ignored."""
        if not uuids:
            return 0
        stamp = _ms(at)
        table = self._t.checkin

        def mark() -> int:
            total = 0
            for start in range(0, len(uuids), 500):  # SQLite's variable limit
                chunk = list(uuids[start : start + 500])
                total += int(
                    table.update(synced_at_ms=stamp)
                    .where(table.uuid.in_(chunk), table.synced_at_ms.is_null())
                    .execute()
                )
            return total

        return self._write(mark)

    def adopt(self, kiosk_id: str, venue_id: str) -> int:
        """After enrollment: records made before it (kiosk and venue ``local``) and not yet
        synced now belong to this kiosk at this venue, so the platform takes them."""
        table = self._t.checkin
        self.kiosk_id, self.venue_id = kiosk_id, venue_id
        return int(
            self._write(
                lambda: (
                    table.update(kiosk_id=kiosk_id, venue_id=venue_id)
                    .where(table.synced_at_ms.is_null(), table.venue_id == "local")
                    .execute()
                )
            )
        )

    def reissue(self, record_uuid: str) -> str:
        """The same check-in under a new uuid (the platform holds this one for another
        kiosk): in one transaction, a copy is recorded (its sealed fields sealed anew for
        the new uuid) and the original is kept, flagged ``refused`` with the new uuid, so
        it is never sent again and the audit can follow it. Returns the new uuid."""
        table = self._t.checkin
        row = self._read(lambda: table.get_or_none(table.uuid == record_uuid))
        if row is None:
            raise StoreError(f"no check-in {record_uuid} to resend")
        original = self._open_row(row)
        new_uuid = str(uuid.uuid4())
        context = new_uuid.encode()
        seal = self._sealer.seal

        def sealed(value: str | None, field: bytes) -> bytes | None:
            return seal(value, context + field) if value else None

        copy = {
            "uuid": new_uuid,
            "at_ms": row.at_ms,
            "kiosk_id": row.kiosk_id,
            "venue_id": row.venue_id,
            "card_ref": row.card_ref,
            "card_id": sealed(original.card_id, b"|card"),
            "card_format": row.card_format,
            "verdict": row.verdict,
            "reason": row.reason,
            "holder": sealed(original.holder, b"|holder"),
            "manual": row.manual,
            "manual_reason": sealed(original.manual_reason, b"|manual"),
            "rules_version": row.rules_version,
            "manual_name": sealed(original.manual_name, b"|manual_name"),
            "manual_phone": sealed(original.manual_phone, b"|manual_phone"),
            "reentry": row.reentry,
        }

        def swap() -> None:
            table.insert(copy).execute()
            table.update(refused=f"uuid_conflict: resent as {new_uuid}").where(
                table.uuid == record_uuid
            ).execute()

        self._write(swap)
        return new_uuid

    def mark_refused(self, record_uuid: str, why: str) -> None:
        """The platform refused this record as invalid: keep it, stop sending it."""
        table = self._t.checkin
        self._write(
            lambda: table.update(refused=why[:500]).where(table.uuid == record_uuid).execute()
        )

    def purge(self, now: datetime) -> int:
        """Delete records synced more than ``retention`` ago. Unsynced records stay."""
        cutoff = _ms(now - self.retention)
        table = self._t.checkin
        return int(
            self._write(
                lambda: (
                    table.delete()
                    .where(table.synced_at_ms.is_null(False), table.synced_at_ms < cutoff)
                    .execute()
                )
            )
        )

    # -- reading -----------------------------------------------------------------------

    def _open_row(self, row: Any) -> CheckIn:  # peewee rows are untyped
        context = row.uuid.encode()
        open_ = self._sealer.open
        return CheckIn(
            uuid=row.uuid,
            at=_moment(row.at_ms),
            kiosk_id=row.kiosk_id,
            venue_id=row.venue_id,
            card_id=open_(bytes(row.card_id), context + b"|card") if row.card_id else None,
            card_format=row.card_format,
            verdict=Verdict(row.verdict),
            reason=row.reason,
            holder=open_(bytes(row.holder), context + b"|holder") if row.holder else None,
            manual=bool(row.manual),
            manual_reason=(
                open_(bytes(row.manual_reason), context + b"|manual") if row.manual_reason else None
            ),
            rules_version=row.rules_version,
            synced_at=_moment(row.synced_at_ms) if row.synced_at_ms is not None else None,
            manual_name=(
                open_(bytes(row.manual_name), context + b"|manual_name")
                if row.manual_name
                else None
            ),
            manual_phone=(
                open_(bytes(row.manual_phone), context + b"|manual_phone")
                if row.manual_phone
                else None
            ),
            reentry=bool(row.reentry),
        )

    def _open_rows(self, query: Any) -> list[CheckIn]:
        """The rows opened; one that does not open (a flipped bit in a sealed field) is
        quarantined (``damaged``: kept as it is, never sent, counted) instead of making
        every read fail."""
        opened, damaged = [], []
        for row in self._read(lambda: list(query)):
            try:
                opened.append(self._open_row(row))
            except StoreError as exc:
                damaged.append((row.id, str(exc)))
        if damaged:
            table = self._t.checkin

            def quarantine() -> None:
                for row_id, why in damaged:
                    table.update(damaged=why[:500]).where(table.id == row_id).execute()

            self._write(quarantine)
            logger.error("%d damaged check-in record(s) quarantined", len(damaged))
        return opened

    def unsynced(self, limit: int = 500) -> list[CheckIn]:
        """The oldest records the platform has not acknowledged (refused and damaged ones
        excluded)."""
        table = self._t.checkin
        query = (
            table.select()
            .where(
                table.synced_at_ms.is_null(),
                table.refused.is_null(),
                table.damaged.is_null(),
                table.kiosk_id != DEMO,
            )
            .order_by(table.id)
            .limit(limit)
        )
        return self._open_rows(query)

    def queue_length(self) -> int:
        table = self._t.checkin
        query = table.select().where(
            table.synced_at_ms.is_null(),
            table.refused.is_null(),
            table.damaged.is_null(),
            table.kiosk_id != DEMO,
        )
        return self._read(lambda: int(query.count()))

    def damaged_count(self) -> int:
        """Records quarantined because they cannot be read: kept, never sent; a
        technician restores the store key or the database from a backup."""
        table = self._t.checkin
        query = table.select().where(table.damaged.is_null(False))
        return self._read(lambda: int(query.count()))

    def refused_count(self) -> int:
        """Records the platform refused as invalid: kept here, never resent by themselves."""
        table = self._t.checkin
        query = table.select().where(table.refused.is_null(False))
        return self._read(lambda: int(query.count()))

    def count(self) -> int:
        return self._read(lambda: int(self._t.checkin.select().count()))

    def between(self, start: datetime, end: datetime) -> list[CheckIn]:
        """Check-ins from ``start`` (inclusive) to ``end`` (exclusive), oldest first;
        damaged ones are left out (and quarantined: :meth:`damaged_count`)."""
        table = self._t.checkin
        query = (
            table.select()
            .where(table.at_ms >= _ms(start), table.at_ms < _ms(end), table.damaged.is_null())
            .order_by(table.at_ms, table.id)
        )
        return self._open_rows(query)

    def counts(self, start: datetime, end: datetime) -> dict[Verdict, int]:
        """Check-ins per verdict from ``start`` to ``end`` (no field is opened)."""
        table = self._t.checkin
        counts = dict.fromkeys(Verdict, 0)
        query = (
            table.select(table.verdict, peewee.fn.COUNT(table.id).alias("n"))
            .where(table.at_ms >= _ms(start), table.at_ms < _ms(end))
            .group_by(table.verdict)
        )
        rows: Any = self._read(lambda: list(query.tuples()))  # peewee's stubs: no tuples()
        for verdict, n in rows:
            counts[Verdict(verdict)] = int(n)
        return counts

    def people(self, start: datetime, end: datetime) -> DayCounts:
        """People, scans and re-entries from ``start`` to ``end`` (no field is opened).

        :meth:`counts` counts check-ins (a person scanned twice counts twice); this
        counts a re-entry as a scan but not as another person."""
        table = self._t.checkin
        query = (
            table.select(
                table.verdict, table.reentry, table.manual, peewee.fn.COUNT(table.id).alias("n")
            )
            .where(table.at_ms >= _ms(start), table.at_ms < _ms(end))
            .group_by(table.verdict, table.reentry, table.manual)
        )
        rows: Any = self._read(lambda: list(query.tuples()))  # peewee's stubs: no tuples()
        people = dict.fromkeys(Verdict, 0)
        scans = reentries = manual = 0
        for verdict, reentry, is_manual, n in rows:
            if reentry:
                reentries += int(n)
            else:
                people[Verdict(verdict)] += int(n)
            if is_manual:
                manual += int(n)
            else:
                scans += int(n)
        return DayCounts(people=people, scans=scans, reentries=reentries, manual=manual)

    def last_seen(
        self, card_id: str, since: datetime, until: datetime | None = None
    ) -> datetime | None:
        """When this card was last admitted here between ``since`` and ``until`` (re-entry;
        refusals don't count)."""
        table = self._t.checkin
        conditions = [
            table.card_ref == self._sealer.reference(traced_id(card_id)),
            table.at_ms >= _ms(since),
            table.verdict != Verdict.RED.value,
        ]
        if until is not None:
            conditions.append(table.at_ms < _ms(until))
        query = table.select(table.at_ms).where(*conditions).order_by(table.at_ms.desc())
        row = self._read(query.first)
        return _moment(row.at_ms) if row else None
