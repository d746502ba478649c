"""The manager's reports: a city-time day's counts, the log's filters, the CSV export,
where exports are saved, and the PDF table's layout."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import ict, two_dose_card
from hypothesis import given
from hypothesis import strategies as st

from kiosk.decision import Decision
from kiosk.domain import Holder, Reason, Verdict
from kiosk.paths import Paths
from kiosk.reports import (
    CSV_HEADER,
    REASON_WORDS,
    CheckInFilter,
    CsvWords,
    DaySummary,
    csv_report,
    day_bounds,
    day_records,
    export_stem,
    exports_dir,
    fold,
    free_path,
    newest_first,
    safe_cell,
    save_new,
    table_pages,
    wrap_text,
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
        manual_phone="0912 345 678",
    )
    card = two_dose_card(holder=Holder("Nguyễn Văn An", "1987"))
    back = Decision(
        reason=Reason.ADMITTED_GREEN, at=ict(2021, 10, 1, 9, 9), card=card, format="HCM1"
    )
    log.record(back, reentry=True)
    log.mark_synced([green.uuid], ict(2021, 10, 1, 9, 6))
    path = tmp_path / "exports" / "2021-10-01.csv"
    write_csv(path, day_records(log, DAY))

    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads it as UTF-8
    rows = parse(data.decode("utf-8"))
    assert rows == [
        list(CSV_HEADER),
        ["2021-10-01 09:05:00", "Green", "Green: admitted", "admitted_green",
         "Nguyễn V. A., 1987", "HCM1", "no", "", "", "", "no", "yes"],
        ["2021-10-01 09:07:00", "Red", "Card expired", "expired", "Đặng T. N. H., 1987", "HCM1",
         "no", "", "", "", "no", "no"],
        ["2021-10-01 09:08:00", "Green", "Admitted manually", "manual_admission", "", "", "yes",
         "Giấy chứng nhận tiêm chủng số 0123", "Lê Văn Tám", "0912 345 678", "no", "no"],
        ["2021-10-01 09:09:00", "Green", "Green: admitted", "admitted_green",
         "Nguyễn V. A., 1987", "HCM1", "no", "", "", "", "yes", "no"],
    ]  # fmt: skip
    assert (path.stat().st_mode & 0o777) == 0o600  # personal data


def test_csv_header_and_words_can_be_translated(log: CheckInLog) -> None:
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9, 5), "Lê Hoàng Phúc")
    scan(log, Reason.EXPIRED, ict(2021, 10, 1, 9, 6), "Lê Hoàng Phúc")
    scan(log, Reason.NO_RULES, ict(2021, 10, 1, 9, 7), "Lê Hoàng Phúc")
    header = [
        "Giờ", "Kết quả", "Lý do", "Mã lý do", "Người", "Loại thẻ", "Thủ công",
        "Lý do thủ công", "Họ tên", "Điện thoại", "Quay lại", "Đã gửi",
    ]  # fmt: skip
    words = CsvWords(
        header=header,
        verdicts={Verdict.GREEN: "Xanh", Verdict.YELLOW: "Vàng", Verdict.RED: "Đỏ"},
        reasons={"admitted_green": "Xanh: cho vào", "expired": "Thẻ hết hạn"},
        yes="có",
        no="không",
    )
    rows = parse(csv_report(day_records(log, DAY), words))
    assert rows[0] == header
    # Values in the header's language, the code beside them; a reason without words
    # (here: no_rules) shows its code rather than an English word.
    assert [row[1:4] for row in rows[1:]] == [
        ["Xanh", "Xanh: cho vào", "admitted_green"],
        ["Đỏ", "Thẻ hết hạn", "expired"],
        ["Đỏ", "no_rules", "no_rules"],
    ]
    assert rows[1][6:] == ["không", "", "", "", "không", "không"]
    with pytest.raises(ValueError, match="columns"):
        CsvWords(header=["one"])


def test_every_reason_has_english_words() -> None:
    assert set(REASON_WORDS) == {reason.value for reason in Reason} | {"manual_admission"}
    assert set(CsvWords().verdicts) == set(Verdict)


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
    manual_reasons = [row[7] for row in rows[: len(notes)]]
    assert manual_reasons == ["'" + note for note in notes[:-1]] + ["ok=1"]
    assert rows[-1][4].startswith("'=cmd")


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
        manual_phone="0912 345 678",
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
    assert names(CheckInFilter(text="le van tam")) == ["Giấy tiêm chủng AB-777"]
    assert names(CheckInFilter(text="345 678")) == ["Giấy tiêm chủng AB-777"]
    assert names(CheckInFilter(verdict=Verdict.YELLOW, manual_only=True)) == []
    assert len(CheckInFilter(verdict=Verdict.GREEN).apply(records)) == 2


def test_the_days_log_lists_newest_first(log: CheckInLog) -> None:
    first = scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9, 0), "Nguyễn Văn An")
    later = scan(log, Reason.EXPIRED, ict(2021, 10, 1, 11, 0), "Đặng Thị Ngọc Hà")
    same_a = scan(log, Reason.MALFORMED, ict(2021, 10, 1, 10, 0))
    same_b = scan(log, Reason.MALFORMED, ict(2021, 10, 1, 10, 0))
    records = day_records(log, DAY)
    assert [r.uuid for r in records] == [first.uuid, same_a.uuid, same_b.uuid, later.uuid]
    listed = newest_first(records)
    assert [r.uuid for r in listed] == [later.uuid, same_b.uuid, same_a.uuid, first.uuid]


# -- where exports go ------------------------------------------------------------------


def test_exports_go_under_the_data_dir_unless_configured(tmp_path: Path) -> None:
    paths = Paths.default({"KIOSK_HOME": str(tmp_path / "home")})
    assert exports_dir(paths) == tmp_path / "home" / "data" / "exports"
    assert exports_dir(paths, "") == tmp_path / "home" / "data" / "exports"
    assert exports_dir(paths, "reports") == tmp_path / "home" / "data" / "reports"
    assert exports_dir(paths, tmp_path / "usb") == tmp_path / "usb"
    assert exports_dir(paths, "~/exports") == Path.home() / "exports"


def test_export_names_say_the_day_and_when_it_was_saved() -> None:
    # 15:30 city time is 08:30 UTC: the name is in the city's time, not the machine's.
    now = datetime(2026, 12, 4, 8, 30, tzinfo=UTC)
    assert export_stem("checkins", date(2026, 12, 4), now) == "checkins-2026-12-04-1530"
    assert (
        export_stem("report", date(2026, 12, 3), now) == "report-2026-12-03-saved-2026-12-04-1530"
    )
    late = datetime(2026, 12, 4, 17, 5, tzinfo=UTC)  # 00:05 on Dec 5 in the city
    assert export_stem("checkins", date(2026, 12, 5), late) == "checkins-2026-12-05-0005"


def test_saving_never_overwrites_an_earlier_export(tmp_path: Path) -> None:
    directory = tmp_path / "exports"

    def writer(text: str) -> Callable[[Path], None]:
        return lambda path: path.write_text(text, "utf-8")

    assert free_path(directory, "checkins-2026-12-04-1530", ".csv").name == (
        "checkins-2026-12-04-1530.csv"
    )
    first = save_new(directory, "checkins-2026-12-04-1530", ".csv", writer("one"))
    second = save_new(directory, "checkins-2026-12-04-1530", ".csv", writer("two"))
    third = save_new(directory, "checkins-2026-12-04-1530", ".csv", writer("three"))
    assert [p.name for p in (first, second, third)] == [
        "checkins-2026-12-04-1530.csv",
        "checkins-2026-12-04-1530-2.csv",
        "checkins-2026-12-04-1530-3.csv",
    ]
    assert [p.read_text("utf-8") for p in (first, second, third)] == ["one", "two", "three"]
    assert free_path(directory, "checkins-2026-12-04-1530", ".csv").name == (
        "checkins-2026-12-04-1530-4.csv"
    )


def test_a_failed_save_leaves_no_empty_file(tmp_path: Path) -> None:
    def fail(_path: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        save_new(tmp_path, "report-2026-12-04-1530", ".pdf", fail)
    assert list(tmp_path.iterdir()) == []


def test_write_csv_through_save_new_is_private(log: CheckInLog, tmp_path: Path) -> None:
    scan(log, Reason.ADMITTED_GREEN, ict(2021, 10, 1, 9, 5), "Nguyễn Văn An")
    records = day_records(log, DAY)
    path = save_new(tmp_path / "x", "checkins", ".csv", lambda p: write_csv(p, records))
    assert (path.stat().st_mode & 0o777) == 0o600
    assert len(parse(path.read_text("utf-8"))) == 2
    assert [p.name for p in path.parent.iterdir()] == ["checkins.csv"]  # no temp file left


# -- the PDF table's layout --------------------------------------------------------------


def width_in_chars(text: str) -> float:
    return float(len(text))


def test_a_long_holder_wraps_and_keeps_its_birth_year() -> None:
    holder = "Nguyễn-Trần Công Tằng Tôn Nữ T. N. B. P. T. H., 1987"
    lines = wrap_text(holder, 16, width_in_chars)
    assert len(lines) > 1
    assert all(len(line) <= 16 for line in lines)
    assert lines[-1].endswith("1987")
    assert " ".join(lines) == holder  # nothing cut


def test_wrapping_breaks_an_overlong_word_and_keeps_line_ends() -> None:
    assert wrap_text("AB-0123456789", 5, width_in_chars) == ["AB-01", "23456", "789"]
    assert wrap_text("paper\nchecked by guard 2", 10, width_in_chars) == [
        "paper",
        "checked by",
        "guard 2",
    ]
    assert wrap_text("", 10, width_in_chars) == [""]
    assert wrap_text("short", 10, width_in_chars) == ["short"]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.integers(1, 40))
def test_wrapping_keeps_every_visible_character(text: str, width: int) -> None:
    lines = wrap_text(text, width, width_in_chars)
    assert all(len(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def test_rows_of_different_heights_fill_pages() -> None:
    assert table_pages([], 10, 20) == [[]]
    assert table_pages([3, 3, 3, 3], 10, 20) == [[0, 1, 2], [3]]
    assert table_pages([3, 12, 3], 10, 20) == [[0], [1, 2]]
    assert table_pages([30, 1], 10, 20) == [[], [0], [1]]  # too tall: a page of its own
    assert table_pages([5] * 10, 10, 20) == [[0, 1], [2, 3, 4, 5], [6, 7, 8, 9]]
