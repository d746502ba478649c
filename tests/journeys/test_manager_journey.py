"""The venue manager's day (issue 9): the PIN set at provisioning, the day's log, the
one-tap CSV and PDF exports, and a manual admission for a paper certificate.

The technician provisions the kiosk with ``kiosk provision --pin-file``; visitors scan
their cards on the hand scanner (this machine has no camera); the manager presses F2,
types the PIN, reads the day's log, saves it as CSV and PDF, and records a person with
a paper certificate by hand. The manual admission lands in the check-in log and on the
city platform."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from harness import App, Journey, State, city_kiosk, joined, panel, wait_for

PIN = "5823"
PEOPLE = [
    ("Nguyễn Văn An", "1987-05-12", "Nguyễn V. A., 1987"),
    ("Trần Thị Lan", "1990-02-03", "Trần T. L., 1990"),
    ("Lê Văn Tám", "1975", "Lê V. T., 1975"),
]
# The Vietnamese UI's words (kiosk/ui/i18n/manager_vi.ts).
PIN_TITLE = "Mã PIN quản lý"
HOLDER = "Người mang thẻ"
PHONE = "Điện thoại"
RESULT = "Kết quả"
REASON = "Lý do"
MANUAL_COLUMN = "Cho vào thủ công"
GREEN = "Xanh"
ADMITTED_GREEN = "Thẻ xanh: được vào"
ADMITTED_MANUALLY = "Cho vào thủ công"
SAVE_CSV = "Lưu CSV"
SAVE_PDF = "Lưu báo cáo PDF"
MANUAL_BUTTON = "Cho vào thủ công…"
PAPER_VACCINATION = "Giấy chứng nhận tiêm chủng bản giấy"
PHOTO_ID = "Giấy tờ tùy thân có ảnh khớp với giấy chứng nhận"
DETAILS_FIELD = "ví dụ: giấy chứng nhận số 012345"
NAME_FIELD = "ví dụ: Nguyễn Văn An"
PHONE_FIELD = "ví dụ: 0912 345 678"
RECORD = "Ghi nhận cho vào"
# Typed fields in ASCII: xdotool's typing of Vietnamese letters depends on the keymap.
DETAILS = "Paper certificate no. 012345"
MANUAL_NAME = "Tran Van Hai"
MANUAL_PHONE = "0903 123 456"

CSV_NAME = re.compile(r"checkins-(\d{4}-\d{2}-\d{2})-(\d{4})(-\d+)?\.csv")
PDF_NAME = re.compile(r"report-(\d{4}-\d{2}-\d{2})-(\d{4})(-\d+)?\.pdf")


def day_log(state: State) -> dict[str, Any] | None:
    """The day's log table, once it shows its columns."""
    for table in state.get("tables", []):
        if HOLDER in table["headers"]:
            found: dict[str, Any] = table
            return found
    return None


def column(table: dict[str, Any], header: str) -> list[str]:
    index = table["headers"].index(header)
    return [row[index] for row in table["rows"]]


def field_text(state: State, placeholder_or_text: str) -> str | None:
    """The text a field shows (its placeholder while empty)."""
    for item in state.get("texts", []):
        if item["kind"] == "field" and item["text"] == placeholder_or_text:
            return str(item["text"])
    return None


def fill(app: App, placeholder: str, text: str) -> None:
    """Click into the empty field that shows ``placeholder``, type ``text`` as a person,
    and wait until the field shows it (a person's keys reach the field a little later:
    kiosk/ui/wedge.py holds them to tell a scanner from a person)."""
    app.click(placeholder)
    app.type(text)
    app.wait(f"the field to show {text!r}", lambda s: field_text(s, text) is not None)


def exports(folder: Path, pattern: re.Pattern[str]) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if pattern.fullmatch(p.name))


@pytest.mark.slow
def test_the_managers_day(trip: Journey, tmp_path: Path, shots: Path | None) -> None:
    # The technician sets the manager PIN while provisioning.
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(PIN + "\n")
    kiosk = city_kiosk(trip, tmp_path / "home", "--pin-file", str(pin_file))
    cards = [kiosk.card(name, birth) for name, birth, _ in PEOPLE]
    app = trip.app(kiosk.home, "run", shots=shots).start()

    # Three visitors scan their cards on the hand scanner: green, with their names.
    after = 0.0
    for (name, _, _), card in zip(PEOPLE, cards, strict=True):
        app.scan(card)
        state = app.wait_decision(after=after)
        shown = panel(state)
        assert shown["tone"] == "green", (shown["headline"], shown["details"])
        assert shown["holder"] == name
        after = state["written"]
        app.wait("back to scanning", lambda s: s.get("panel") is None, timeout=30)

    # The manager: F2, the PIN pad, the PIN typed as a person types it.
    app.key("F2")
    state = app.see(PIN_TITLE)
    assert state["screen"] == "ManagerScreen", state["screen"]
    assert day_log(state) is None  # nothing of the day's log before the PIN
    app.snap("manager-pin")
    app.type(PIN)
    app.key("Return")
    state = app.wait(
        "the day's log with 3 rows", lambda s: len((day_log(s) or {"rows": []})["rows"]) == 3
    )
    table = day_log(state)
    assert table is not None
    newest_first = [masked for _, _, masked in reversed(PEOPLE)]
    assert column(table, HOLDER) == newest_first, table["rows"]
    assert set(column(table, RESULT)) == {GREEN}, table["rows"]
    assert set(column(table, REASON)) == {ADMITTED_GREEN}, table["rows"]
    assert "Tổng: 3" in joined(state)
    app.snap("manager")

    # One tap saves the day's log as CSV in <data>/exports, under a name with the time.
    folder = kiosk.home / "data" / "exports"
    app.click(SAVE_CSV)
    app.see("Đã lưu 3 lượt quét vào")
    (first_csv,) = wait_for("a CSV export", lambda: exports(folder, CSV_NAME), timeout=10)
    first_bytes = first_csv.read_bytes()
    app.click(SAVE_CSV)  # again: a second file, the first one stays as it was
    csvs = wait_for(
        "a second CSV export",
        lambda: exports(folder, CSV_NAME)[1:] and exports(folder, CSV_NAME),
        10,
    )
    assert len(csvs) == 2, csvs
    assert first_csv.read_bytes() == first_bytes
    assert first_bytes.startswith(b"\xef\xbb\xbf"), first_bytes[:20]
    rows = list(csv.reader(io.StringIO(first_bytes.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    for words in ("Giờ", RESULT, REASON, "Mã lý do", HOLDER, "Thủ công", PHONE, "Đã gửi"):
        assert words in header, header
    assert len(body) == 3, rows
    assert [row[header.index(HOLDER)] for row in body] == newest_first
    assert {row[header.index(RESULT)] for row in body} == {GREEN}
    assert {row[header.index(REASON)] for row in body} == {ADMITTED_GREEN}
    assert {row[header.index("Mã lý do")] for row in body} == {"admitted_green"}

    app.click(SAVE_PDF)
    app.see("Đã lưu báo cáo (1 trang) vào")
    (pdf,) = wait_for("a PDF report", lambda: exports(folder, PDF_NAME), timeout=10)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert PDF_NAME.fullmatch(pdf.name) is not None
    if shutil.which("pdftotext"):
        words = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
        for _, birth, _ in PEOPLE:
            assert birth[:4] in words, words

    # A person with a paper certificate: the manager checks it and admits them by hand.
    app.click(MANUAL_BUTTON)
    app.see(RECORD)
    app.tick(PAPER_VACCINATION)
    app.tick(PHOTO_ID)
    fill(app, DETAILS_FIELD, DETAILS)
    fill(app, NAME_FIELD, MANUAL_NAME)
    fill(app, PHONE_FIELD, MANUAL_PHONE)
    app.click(RECORD)
    app.see("Đã ghi nhận cho vào thủ công lúc")
    state = app.wait(
        "the day's log with 4 rows", lambda s: len((day_log(s) or {"rows": []})["rows"]) == 4
    )
    table = day_log(state)
    assert table is not None
    assert column(table, HOLDER) == [MANUAL_NAME, *newest_first], table["rows"]
    assert column(table, PHONE)[0] == MANUAL_PHONE
    assert column(table, REASON)[0] == ADMITTED_MANUALLY
    manual_reason = column(table, MANUAL_COLUMN)[0]
    # What the manager ticked, then the details typed.
    assert manual_reason == f"{PAPER_VACCINATION}; {PHOTO_ID}: {DETAILS}", manual_reason
    assert "Thủ công: 1" in joined(state)
    assert "Tổng: 4" in joined(state)

    # On disk: the check-in log has the manual record, its person sealed.
    database = kiosk.home / "data" / "checkins.sqlite3"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as log:
        records = list(
            log.execute(
                "SELECT manual, verdict, reason, manual_name IS NOT NULL,"
                " manual_phone IS NOT NULL FROM checkin ORDER BY id"
            )
        )
    assert len(records) == 4, records
    assert [r[0] for r in records] == [0, 0, 0, 1], records
    _, verdict, reason, has_name, has_phone = records[-1]
    assert reason == "manual_admission", records
    assert verdict == "green", records
    assert has_name, records
    assert has_phone, records

    # On the city platform: all four, the manual one as manual.
    stored = wait_for(
        "4 check-ins on the platform, one manual",
        lambda: (
            (found := kiosk.platform.checkins())
            and len(found) == 4
            and sum(row["manual"] for row in found) == 1
            and found
        ),
        timeout=60,
    )
    (on_platform,) = [row for row in stored if row["manual"] == 1]
    assert on_platform["reason"] == "manual_admission"
    assert on_platform["manual_name"] == MANUAL_NAME
    assert on_platform["manual_phone"] == MANUAL_PHONE
    assert PAPER_VACCINATION in on_platform["manual_reason"]
