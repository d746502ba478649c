"""The manager's reports, Qt-free: a day's summary, the log's filters, the CSV export.

A "day" is a calendar day in Ho Chi Minh City (:data:`kiosk.domain.CITY_TZ`), whatever
the machine's time zone: midnight to midnight, UTC+7.

The CSV is for Excel as much as for scripts: UTF-8 with a byte order mark (without it
Excel reads Vietnamese names as mojibake), and every cell that a spreadsheet would take
for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with ``'``: a holder's name or a guard's note is text from outside
(OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

from kiosk.domain import CITY_TZ, Verdict
from kiosk.fileio import write_atomic
from kiosk.store.log import CheckIn, CheckInLog

HOURS: Final = 24
BOM: Final = "\ufeff"
#: The CSV's columns; the UI passes the same in the manager's language.
CSV_HEADER: Final = (
    "Time",
    "Verdict",
    "Reason",
    "Holder",
    "Card format",
    "Manual",
    "Manual reason",
    "Synced",
)
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The day's first moment (inclusive) and the next day's (exclusive), city time."""
    start = datetime.combine(day, time(0), tzinfo=CITY_TZ)
    return start, start + timedelta(days=1)


def local_day(moment: datetime) -> date:
    """The city's calendar date at ``moment``."""
    return moment.astimezone(CITY_TZ).date()


def day_records(log: CheckInLog, day: date) -> list[CheckIn]:
    """The day's check-ins, oldest first."""
    return log.between(*day_bounds(day))


def _zero() -> dict[Verdict, int]:
    return dict.fromkeys(Verdict, 0)


@dataclass(frozen=True, slots=True)
class DaySummary:
    """A day's counts: by verdict, manual admissions, and by hour and verdict."""

    day: date
    counts: dict[Verdict, int] = field(default_factory=_zero)
    manual: int = 0
    #: 24 buckets (hour 0 is 00:00–00:59 city time), each counted by verdict.
    hourly: tuple[dict[Verdict, int], ...] = field(
        default_factory=lambda: tuple(_zero() for _ in range(HOURS))
    )

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def busiest_hour_total(self) -> int:
        return max(sum(bucket.values()) for bucket in self.hourly)

    @classmethod
    def from_records(cls, day: date, records: Iterable[CheckIn]) -> DaySummary:
        """Counts of the records that fall on ``day`` (city time); others are ignored."""
        counts = _zero()
        hourly = tuple(_zero() for _ in range(HOURS))
        manual = 0
        for record in records:
            local = record.at.astimezone(CITY_TZ)
            if local.date() != day:
                continue
            counts[record.verdict] += 1
            hourly[local.hour][record.verdict] += 1
            manual += record.manual
        return cls(day, counts, manual, hourly)

    @classmethod
    def for_day(cls, log: CheckInLog, day: date) -> DaySummary:
        return cls.from_records(day, day_records(log, day))


def fold(text: str) -> str:
    """Text for searching: case and Vietnamese diacritics dropped ("Nguyễn" -> "nguyen")."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class CheckInFilter:
    """What the manager's log shows: a verdict, manual admissions only, a search text.

    The text matches the masked holder or the manual admission's reason (a paper
    certificate's number), ignoring case and diacritics.
    """

    verdict: Verdict | None = None
    manual_only: bool = False
    text: str = ""

    def matches(self, record: CheckIn) -> bool:
        if self.verdict is not None and record.verdict is not self.verdict:
            return False
        if self.manual_only and not record.manual:
            return False
        needle = fold(self.text.strip())
        if not needle:
            return True
        haystack = " ".join(filter(None, (record.holder, record.manual_reason)))
        return needle in fold(haystack)

    def apply(self, records: Iterable[CheckIn]) -> list[CheckIn]:
        return [record for record in records if self.matches(record)]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def local_time(moment: datetime) -> str:
    return moment.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M:%S")


def csv_report(
    records: Iterable[CheckIn],
    *,
    header: Sequence[str] = CSV_HEADER,
    yes: str = "yes",
    no: str = "no",
) -> str:
    """The records as CSV text, starting with a byte order mark; one row per check-in.

    Verdict and reason stay codes (``green``, ``expired``, ``manual_admission``): the
    same in every language, as the platform has them.
    """
    if len(header) != len(CSV_HEADER):
        raise ValueError(f"the CSV has {len(CSV_HEADER)} columns")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in header])
    for record in records:
        row = [
            local_time(record.at),
            record.verdict.value,
            record.reason,
            record.holder or "",
            record.card_format or "",
            yes if record.manual else no,
            record.manual_reason or "",
            yes if record.synced_at is not None else no,
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def write_csv(
    path: Path,
    records: Iterable[CheckIn],
    *,
    header: Sequence[str] = CSV_HEADER,
    yes: str = "yes",
    no: str = "no",
) -> None:
    """Write :func:`csv_report` to ``path`` atomically, mode 0600 (personal data).

    Raises OSError."""
    text = csv_report(records, header=header, yes=yes, no=no)
    write_atomic(path, text.encode("utf-8"), mode=0o600)
