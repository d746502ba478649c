"""The manager's reports: a city-time day's counts, the log's filters, the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import ict, two_dose_card
from hypothesis import given
from hypothesis import strategies as st

from kiosk.decision import Decision
from kiosk.domain import Holder, Reason, Verdict
from kiosk.reports import (
    CSV_HEADER,
    CheckInFilter,
    DaySummary,
    csv_report,
    day_bounds,
    day_records,
    fold,
    safe_cell,
    write_csv,
)
from kiosk.store.log import CheckIn, CheckInLog

DAY = date(2021, 10, 1)


@pytest.fixture
def log(tmp_path: Path) -> Iterator[CheckInLog]:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="HCM-Q1-000123")
    yield log
    log.close()


def scan(log: CheckInLog, reason: Reason, at: datetime, name: str | None = None) -> CheckIn:
    card = two_dose_card(holder=Holder(name, "1987")) if name else None
    return log.record(Decision(reason=reason, at=at, card=card, format="HCM1" if card else None))


def parse(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


def test_a_day_is_midnight_to_midnight_city_time() -> None:
    start, end = day_bounds(DAY)
    assert start == datetime(2021, 9, 30, 17, 0, tzinfo=UTC)
    assert end - start == timedelta(days=1)


def test_counts_and_hours_follow_city_time_across_midnight(log: CheckInLog) -> None:
    scan(log, Reason.EXPIRED, ict(2021, 9, 30, 23, 59))  # the day before
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 0, 0))  # 17:00 UTC the day before
    scan(log, Reason.ADMITTED_YELLOW, ict(2021, 10, 1, 0, 30))
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 12, 5))
    scan(log, Reason.BAD_SIGNATURE, ict(2021, 10, 1, 12, 59))
    log.record(
        Decision(reason=Reason.NO_VALID_BASIS, at=ict(2021, 10, 1, 23, 59)),
        manual=True,
        manual_reason="paper certificate 123",
        manual_name="Lê Văn Tám",
    )
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 2, 0, 10))  # still Oct 1 in UTC

    summary = DaySummary.for_day(log, DAY)
    assert summary.counts == {Verdict.GREEN: 3, Verdict.YELLOW: 1, Verdict.RED: 1}
    assert summary.total == 5
    assert summary.manual == 1
    assert len(summary.hourly) == 24
    busy = {h: dict(b) for h, b in enumerate(summary.hourly) if sum(b.values())}
    assert busy == {
        0: {Verdict.GREEN: 1, Verdict.YELLOW: 1, Verdict.RED: 0},
        12: {Verdict.GREEN: 1, Verdict.YELLOW: 0, Verdict.RED: 1},
        23: {Verdict.GREEN: 1, Verdict.YELLOW: 0, Verdict.RED: 0},
    }
    assert summary.busiest_hour_total == 2
    # The log's own per-verdict count agrees with the summary.
    assert log.counts(*day_bounds(DAY)) == summary.counts

    next_day = DaySummary.for_day(log, DAY + timedelta(days=1))
    assert next_day.counts[Verdict.GREEN] == 1
    assert next_day.hourly[0][Verdict.GREEN] == 1


def test_records_of_another_day_are_not_counted() -> None:
    empty = DaySummary(DAY)
    assert empty.total == 0
    assert empty.busiest_hour_total == 0
    other = CheckIn(
        "u", ict(2021, 10, 2, 1), "k", "v", None, None, Verdict.RED, "malformed",
        None, False, None, None, None,
    )  # fmt: skip
    assert DaySummary.from_records(DAY, [other]).total == 0


def test_csv_has_a_bom_a_header_and_one_row_per_check_in(log: CheckInLog, tmp_path: Path) -> None:
    green = scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9, 5), "Nguyễn Văn An")
    scan(log, Reason.EXPIRED, ict(2021, 10, 1, 9, 7), "Đặng Thị Ngọc Hà")
    log.record(
        Decision(reason=Reason.NO_VALID_BASIS, at=ict(2021, 10, 1, 9, 8)),
        manual=True,
        manual_reason="Giấy chứng nhận tiêm chủng số 0123",
        manual_name="Lê Văn Tám",
    )
    log.mark_synced([green.uuid], ict(2021, 10, 1, 9, 6))
    path = tmp_path / "exports" / "2021-10-01.csv"
    write_csv(path, day_records(log, DAY))

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = parse(data.decode("utf-8"))
    assert rows == [
        list(CSV_HEADER),
        ["2021-10-01 09:05:00", "green", "admitted_green", "Nguyễn V. A., 1987", "HCM1",
         "no", "", "yes"],
        ["2021-10-01 09:07:00", "red", "expired", "Đặng T. N. H., 1987", "HCM1", "no", "", "no"],
        ["2021-10-01 09:08:00", "green", "manual_admission", "", "", "yes",
         "Giấy chứng nhận tiêm chủng số 0123", "no"],
    ]  # fmt: skip
    assert (path.stat().st_mode & 0o777) == 0o600  # personal data


def test_csv_header_and_words_can_be_translated(log: CheckInLog) -> None:
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9, 5), "Lê Hoàng Phúc")
    header = [
        "Giờ",
        "Kết quả",
        "Lý do",
        "Người",
        "Loại thẻ",
        "Thủ công",
        "Lý do thủ công",
        "Đã gửi",
    ]
    rows = parse(csv_report(day_records(log, DAY), header=header, yes="có", no="không"))
    assert rows[0] == header
    assert rows[1][5:] == ["không", "", "không"]
    with pytest.raises(ValueError, match="columns"):
        csv_report([], header=["one"])


def test_csv_cells_that_look_like_formulas_are_neutralised(log: CheckInLog) -> None:
    notes = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "ok=1"]
    for note in notes:
        log.record(
            Decision(reason=Reason.NO_VALID_BASIS, at=ict(2021, 10, 1, 9)),
            manual=True,
            manual_reason=note,
            manual_name="Lê Văn Tám",
        )
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9), "=cmd|'/C calc'!A0 x")
    rows = parse(csv_report(day_records(log, DAY)))[1:]
    manual_reasons = [row[6] for row in rows[: len(notes)]]
    assert manual_reasons == ["'" + note for note in notes[:-1]] + ["ok=1"]
    assert rows[-1][3].startswith("'=cmd")


@given(st.text())
def test_no_cell_starts_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell in (text, "'" + text)


def test_search_ignores_case_and_diacritics() -> None:
    assert fold("Nguyễn V. A.") == "nguyen v. a."
    assert fold("ĐẶNG") == "dang"


def test_filters(log: CheckInLog) -> None:
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9), "Nguyễn Văn An")
    scan(log, Reason.ADMITTED_YELLOW, ict(2021, 10, 1, 9), "Trần Thị Bích Ngọc")
    scan(log, Reason.EXPIRED, ict(2021, 10, 1, 9), "Nguyễn Thị Mai")
    scan(log, Reason.MALFORMED, ict(2021, 10, 1, 9))
    log.record(
        Decision(reason=Reason.NO_VALID_BASIS, at=ict(2021, 10, 1, 9)),
        manual=True,
        manual_reason="Giấy tiêm chủng AB-777",
        manual_name="Lê Văn Tám",
    )
    records = day_records(log, DAY)

    def names(flt: CheckInFilter) -> list[str | None]:
        return [r.holder or r.manual_reason for r in flt.apply(records)]

    assert len(CheckInFilter().apply(records)) == 5
    assert names(CheckInFilter(text="nguyen")) == ["Nguyễn V. A., 1987", "Nguyễn T. M., 1987"]
    assert names(CheckInFilter(text="  TRẦN ")) == ["Trần T. B. N., 1987"]
    assert names(CheckInFilter(verdict=Verdict.RED, text="nguyen")) == ["Nguyễn T. M., 1987"]
    assert names(CheckInFilter(manual_only=True)) == ["Giấy tiêm chủng AB-777"]
    assert names(CheckInFilter(text="ab-777")) == ["Giấy tiêm chủng AB-777"]
    assert names(CheckInFilter(verdict=Verdict.YELLOW, manual_only=True)) == []
    assert len(CheckInFilter(verdict=Verdict.GREEN).apply(records)) == 2
