"""The check-in log on SQLite (peewee): WAL, ``synchronous=FULL``, one writer class.

Every decision is committed here before the screen may show it. The same table is
the sync outbox: a record is unsynced until the platform acknowledges its uuid, and
is purged only a retention period after that (default 21 days), never before.
Personal fields (card id, masked holder, manual reason) are sealed with a key kept
outside the database file (:mod:`kiosk.store.sealing`).
"""

from __future__ import annotations

import hashlib
import logging
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

SCHEMA_VERSION: Final = 1
DEFAULT_RETENTION: Final = timedelta(days=21)
MANUAL_REASON_CODE: Final = "manual_admission"


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
            synced_at_ms = peewee.BigIntegerField(null=True)
            #: Why the platform refused this record, if it did (kept, not retried blindly).
            refused = peewee.TextField(null=True)

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

    def wire(self) -> dict[str, object]:
        """The record as the sync protocol uploads it (docs/sync-protocol.md)."""
        return {
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


#: The platform's limits (docs/sync-protocol.md).
MAX_HOLDER: Final = 128
MAX_MANUAL_REASON: Final = 500
MAX_CARD_ID: Final = 128
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


def _migrate_1(db: peewee.Database, tables: _Tables) -> None:
    db.create_tables([tables.meta, tables.checkin])
    db.execute_sql(
        "CREATE INDEX IF NOT EXISTS checkin_unsynced ON checkin(id) WHERE synced_at_ms IS NULL"
    )


#: Migrations by the version they bring the schema to; each runs in one transaction.
MIGRATIONS: Final[dict[int, Callable[[peewee.Database, _Tables], None]]] = {1: _migrate_1}


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
        except peewee.DatabaseError as exc:
            raise StoreError(f"cannot open the check-in log {path}: {exc}") from exc

    @classmethod
    def open(cls, data_dir: Path, *, kiosk_id: str, venue_id: str) -> CheckInLog:
        """The log under a kiosk's data directory, its key beside it in ``keys/``.

        The key is made with a new log only: a log without its key cannot be read, and a
        fresh key would make every sealed record unreadable (and stop the sync)."""
        database = data_dir / "checkins.sqlite3"
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
        record_uuid: str | None = None,
    ) -> CheckIn:
        """Commit ``decision`` durably and return it as recorded. Raises StoreError."""
        if manual and not (manual_reason and manual_reason.strip()):
            raise StoreError("a manual admission needs a reason")
        if manual_reason is not None and len(manual_reason.strip()) > MAX_MANUAL_REASON:
            raise StoreError(f"the reason is longer than {MAX_MANUAL_REASON} characters")
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
        }
        self._write(lambda: self._t.checkin.insert(row).execute())
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
        )

    def unsynced(self, limit: int = 500) -> list[CheckIn]:
        """The oldest records the platform has not acknowledged (refused ones excluded)."""
        table = self._t.checkin
        query = (
            table.select()
            .where(table.synced_at_ms.is_null(), table.refused.is_null(), table.kiosk_id != DEMO)
            .order_by(table.id)
            .limit(limit)
        )
        return self._read(lambda: [self._open_row(row) for row in query])

    def queue_length(self) -> int:
        table = self._t.checkin
        query = table.select().where(
            table.synced_at_ms.is_null(), table.refused.is_null(), table.kiosk_id != DEMO
        )
        return self._read(lambda: int(query.count()))

    def refused_count(self) -> int:
        """Records the platform refused as invalid: kept here, never resent by themselves."""
        table = self._t.checkin
        query = table.select().where(table.refused.is_null(False))
        return self._read(lambda: int(query.count()))

    def count(self) -> int:
        return self._read(lambda: int(self._t.checkin.select().count()))

    def between(self, start: datetime, end: datetime) -> list[CheckIn]:
        """Check-ins from ``start`` (inclusive) to ``end`` (exclusive), oldest first."""
        table = self._t.checkin
        query = (
            table.select()
            .where(table.at_ms >= _ms(start), table.at_ms < _ms(end))
            .order_by(table.at_ms, table.id)
        )
        return self._read(lambda: [self._open_row(row) for row in query])

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
