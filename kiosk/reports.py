"""The manager's reports, Qt-free: a day's summary, the log's filters, the CSV export,
where exports are saved, and the PDF table's layout.

A "day" is a calendar day in Ho Chi Minh City (:data:`kiosk.domain.CITY_TZ`), whatever
the machine's time zone: midnight to midnight, UTC+7.

The CSV is for Excel as much as for scripts: UTF-8 with a byte order mark (without it
Excel reads Vietnamese names as mojibake), and every cell that a spreadsheet would take
for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is
prefixed with ``'``: a holder's name or a guard's note is text from outside
(OWASP "CSV injection"). Its values speak the language of its header
(:class:`CsvWords`: the result and reason in words), and the reason's code stays in a
column of its own for scripts and for the platform's records.

Exports go to :func:`exports_dir` (``<data>/exports`` by default) under names that say
the day and the moment they were saved (``checkins-2021-10-01-0910.csv``); a file is
never overwritten (:func:`save_new`: ``-2``, ``-3``… when the name is taken).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Final

from kiosk.domain import CITY_TZ, Reason, Verdict
from kiosk.fileio import write_atomic
from kiosk.paths import Paths
from kiosk.store.log import MANUAL_REASON_CODE, CheckIn, CheckInLog

HOURS: Final = 24
BOM: Final = "\ufeff"
#: The CSV's columns; the UI passes the same in the manager's language.
CSV_HEADER: Final = (
    "Time",
    "Result",
    "Reason",
    "Reason code",
    "Holder",
    "Card format",
    "Manual",
    "Manual admission reason",
    "Name",
    "Phone",
    "Re-entry",
    "Sent",
)
#: The results in English words (the UI passes its own, translated).
VERDICT_WORDS: Final[Mapping[Verdict, str]] = {
    Verdict.GREEN: "Green",
    Verdict.YELLOW: "Yellow",
    Verdict.RED: "Red",
}
#: The reasons in the manager's English words (the UI passes its own, translated).
REASON_WORDS: Final[Mapping[str, str]] = {
    Reason.ADMITTED_GREEN: "Green: admitted",
    Reason.ADMITTED_YELLOW: "Yellow: admitted",
    Reason.UNSUPPORTED_FORMAT: "Not a Covid card",
    Reason.MALFORMED: "Card damaged or unreadable",
    Reason.UNSUPPORTED_ALGORITHM: "Invalid signature",
    Reason.UNKNOWN_KEY: "Issuer not trusted",
    Reason.BAD_SIGNATURE: "Forged or altered card",
    Reason.KEY_NOT_VALID_FOR_CARD: "Issuer not allowed to issue this card",
    Reason.REVOKED: "Card revoked",
    Reason.NOT_YET_VALID: "Card not valid yet",
    Reason.EXPIRED: "Card expired",
    Reason.NO_RULES: "Kiosk has no rules in force",
    Reason.NO_VALID_BASIS: "Not covered under current rules",
    Reason.NOT_ADMITTED: "This card is not admitted at this venue",
    MANUAL_REASON_CODE: "Admitted manually",
}
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


def newest_first(records: Iterable[CheckIn]) -> list[CheckIn]:
    """The records as the day's log lists them: the newest on top (of two recorded in
    the same millisecond, the one recorded later)."""
    listed = list(records)
    listed.reverse()  # the sort keeps this order among equal times
    return sorted(listed, key=lambda record: record.at, reverse=True)


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

    The text matches the masked holder, or a manual admission's reason (a paper
    certificate's number), name or phone, ignoring case and diacritics.
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
        fields = (record.holder, record.manual_reason, record.manual_name, record.manual_phone)
        haystack = " ".join(filter(None, fields))
        return needle in fold(haystack)

    def apply(self, records: Iterable[CheckIn]) -> list[CheckIn]:
        return [record for record in records if self.matches(record)]


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never evaluates as a formula."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def local_time(moment: datetime) -> str:
    return moment.astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True, slots=True)
class CsvWords:
    """The CSV's words in one language: the header (one name per column of
    :data:`CSV_HEADER`), the results, the reasons (by code), yes and no."""

    header: Sequence[str] = CSV_HEADER
    verdicts: Mapping[Verdict, str] = field(default_factory=lambda: dict(VERDICT_WORDS))
    reasons: Mapping[str, str] = field(default_factory=lambda: dict(REASON_WORDS))
    yes: str = "yes"
    no: str = "no"

    def __post_init__(self) -> None:
        if len(self.header) != len(CSV_HEADER):
            raise ValueError(f"the CSV has {len(CSV_HEADER)} columns")

    def verdict(self, verdict: Verdict) -> str:
        return self.verdicts.get(verdict, verdict.value)

    def reason(self, code: str) -> str:
        """The reason in words; a code without words (a newer kiosk's) as it is."""
        return self.reasons.get(code, code)

    def flag(self, value: bool) -> str:
        return self.yes if value else self.no


def csv_report(records: Iterable[CheckIn], words: CsvWords | None = None) -> str:
    """The records as CSV text, starting with a byte order mark; one row per check-in.

    The result and the reason are words of ``words``' language (English by default);
    the reason's code (``expired``, ``manual_admission``: the same in every language,
    as the platform has it) has a column of its own.
    """
    words = words or CsvWords()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in words.header])
    for record in records:
        row = [
            local_time(record.at),
            words.verdict(record.verdict),
            words.reason(record.reason),
            record.reason,
            record.holder or "",
            record.card_format or "",
            words.flag(record.manual),
            record.manual_reason or "",
            record.manual_name or "",
            record.manual_phone or "",
            words.flag(record.reentry),
            words.flag(record.synced_at is not None),
        ]
        writer.writerow([safe_cell(cell) for cell in row])
    return BOM + out.getvalue()


def write_csv(path: Path, records: Iterable[CheckIn], words: CsvWords | None = None) -> None:
    """Write :func:`csv_report` to ``path`` atomically, mode 0600 (personal data).

    Raises OSError."""
    text = csv_report(records, words)
    write_atomic(path, text.encode("utf-8"), mode=0o600)


# -- where exports go ------------------------------------------------------------------

EXPORTS_DIR_NAME: Final = "exports"
#: Names tried after the first one is taken: ``name-2`` … ``name-999``.
_MAX_SUFFIX: Final = 999


def exports_dir(paths: Paths, configured: str | os.PathLike[str] | None = None) -> Path:
    """Where the manager's exports are saved: ``configured`` (``~`` expanded; a relative
    path is under the data directory), by default ``<data>/exports``. ``KIOSK_HOME``
    moves it with the data directory."""
    if configured is None or not str(configured).strip():
        return paths.data / EXPORTS_DIR_NAME
    chosen = Path(configured).expanduser()
    return chosen if chosen.is_absolute() else paths.data / chosen


def export_stem(kind: str, day: date, now: datetime) -> str:
    """A file name without suffix: the kind, the day exported and, in city time, when it
    was saved: ``checkins-2021-10-01-0910``; for another day than today's also the date
    it was saved: ``checkins-2021-09-30-saved-2021-10-01-0910``."""
    saved = now.astimezone(CITY_TZ)
    if saved.date() == day:
        return f"{kind}-{day.isoformat()}-{saved:%H%M}"
    return f"{kind}-{day.isoformat()}-saved-{saved:%Y-%m-%d-%H%M}"


def _candidates(directory: Path, stem: str, suffix: str) -> Iterable[Path]:
    yield directory / f"{stem}{suffix}"
    for number in range(2, _MAX_SUFFIX + 1):
        yield directory / f"{stem}-{number}{suffix}"


def free_path(directory: Path, stem: str, suffix: str) -> Path:
    """The first of ``stem``, ``stem-2``… (with ``suffix``) that does not exist yet in
    ``directory``: what :func:`save_new` would use now (to show or to prefill a dialog)."""
    for candidate in _candidates(directory, stem, suffix):
        if not os.path.lexists(candidate):
            return candidate
    raise FileExistsError(f"{directory}: every name for {stem}{suffix} is taken")


def save_new(directory: Path, stem: str, suffix: str, write: Callable[[Path], None]) -> Path:
    """Save a new file in ``directory`` and return its path; never overwrites a file.

    The name (:func:`free_path`'s rule) is claimed by creating it exclusively (mode
    0600, so two exports in the same minute get two names), then ``write(path)`` replaces
    the empty claim with the content (atomically: write a temporary file and rename it).
    When ``write`` fails, the claim is removed. Raises OSError."""
    directory.mkdir(parents=True, exist_ok=True)
    for candidate in _candidates(directory, stem, suffix):
        try:
            fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        try:
            write(candidate)
        except BaseException:
            with contextlib.suppress(OSError):
                if candidate.stat().st_size == 0:
                    candidate.unlink()
            raise
        return candidate
    raise FileExistsError(f"{directory}: every name for {stem}{suffix} is taken")


# -- the PDF table's layout --------------------------------------------------------------


def wrap_text(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` in lines that each fit ``width`` as ``measure`` measures a string: broken
    at spaces (and at the text's own line ends), a word longer than a line broken
    between characters. Every character but the spaces at the breaks is kept, so the
    end of a long cell (the birth year after a long name) is on paper too."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
                line = ""
            rest = word
            while measure(rest) > width and len(rest) > 1:
                cut = 1
                while cut < len(rest) and measure(rest[: cut + 1]) <= width:
                    cut += 1
                lines.append(rest[:cut])
                rest = rest[cut:]
            line = rest
        lines.append(line)
    return lines


def table_pages(heights: Sequence[float], first: float, other: float) -> list[list[int]]:
    """Rows (by index) per page, for rows of ``heights``: ``first`` is the height the
    first page has for rows, ``other`` each further page's. Every page takes at least
    one row, so a row taller than a page still gets printed (cut at the page's end)."""
    pages: list[list[int]] = [[]]
    space = first
    for index, height in enumerate(heights):
        if height > space and (pages[-1] or space < other):
            pages.append([])
            space = other
        pages[-1].append(index)
        space -= height
    return pages
