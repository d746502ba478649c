"""The manager view, on a real KioskRuntime in a temp dir, with real signed demo cards."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
import unicodedata
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import two_dose_card
from PySide6.QtCore import QCoreApplication, QDate, Qt, QTranslator
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.config import Settings
from kiosk.decision import Decision
from kiosk.demo import demo_cards, demo_kit
from kiosk.domain import Holder, Reason, Verdict
from kiosk.paths import Paths
from kiosk.pin import MAX_FAILURES, PinStore
from kiosk.reports import day_records
from kiosk.runtime import KioskRuntime
from kiosk.store.log import MANUAL_REASON_CODE
from kiosk.ui.manager import VERDICT_COLOURS, HourlyChart, ManagerScreen

PIN = "2468"
#: 09:00 in Ho Chi Minh City on a day the demo rules apply.
START = datetime(2021, 10, 1, 2, 0, tzinfo=UTC)
DAY = date(2021, 10, 1)
I18N = Path(__file__).resolve().parents[2] / "kiosk" / "ui" / "i18n" / "manager_vi.ts"


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    return Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")


@pytest.fixture
def runtime(paths: Paths, clock: Clock) -> Iterator[KioskRuntime]:
    settings = Settings(venue_name="Quán Phở Hòa Bình", venue_id="HCM-Q1-000123")
    runtime = KioskRuntime(paths, settings, clock=clock)
    yield runtime
    runtime.close()


@pytest.fixture
def pins(paths: Paths, clock: Clock) -> PinStore:
    store = PinStore(paths.config / "manager-pin.json", clock, cost=2**10)
    store.set_pin(PIN)
    return store


def make_screen(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, tmp_path: Path, idle: float = 600
) -> ManagerScreen:
    screen = ManagerScreen(runtime, pins, idle_seconds=idle, export_dir=tmp_path / "exports")
    qtbot.addWidget(screen)
    screen.resize(1100, 750)
    screen.show()
    return screen


@pytest.fixture
def screen(qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, tmp_path: Path) -> ManagerScreen:
    return make_screen(qtbot, runtime, pins, tmp_path)


def scan_demo_cards(runtime: KioskRuntime, clock: Clock, rounds: int = 1) -> None:
    """Every demo card, scanned through the station, one minute apart."""
    texts = [card.text for card in demo_cards(demo_kit(runtime.paths), clock())]
    for _ in range(rounds):
        for text in texts:
            result = runtime.station.check_in(text)
            assert result.record is not None
            clock.advance(timedelta(minutes=1))


def type_pin(screen: ManagerScreen, pin: str, *, set_page: bool = False) -> None:
    pad = screen.set_pin_pad if set_page else screen.pin_pad
    for digit in pin:
        pad.digit_buttons[digit].click()
    pad.ok_button.click()


def unlock(screen: ManagerScreen) -> None:
    assert screen.pages.currentWidget() is screen.pin_page
    type_pin(screen, PIN)
    assert screen.pages.currentWidget() is screen.manager_page


def table(screen: ManagerScreen) -> list[list[str]]:
    model = screen.model
    return [
        [str(model.data(model.index(row, column))) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


# -- a Python-only look inside the PDF ---------------------------------------------------


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap's glyph -> text (bfchar and both bfrange forms)."""
    text = data.decode("latin-1")

    def uni(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = uni(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, rest in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block
        ):
            first, last = int(lo, 16), int(hi, 16)
            if rest.startswith("["):
                for offset, dst in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", rest)):
                    mapping[first + offset] = uni(dst)
            else:
                start = int(rest[1:-1], 16)
                for offset in range(last - first + 1):
                    mapping[first + offset] = chr(start + offset)
    return mapping


def pdf_text(data: bytes) -> list[str]:
    """The text of each drawText call in a Qt-written PDF, in drawing order."""
    objects = {
        int(number): body for number, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", data, re.S)
    }

    def stream(body: bytes) -> bytes:
        raw = re.search(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S)
        assert raw is not None
        content = raw.group(1)
        return zlib.decompress(content) if b"/FlateDecode" in body else content

    fonts: dict[str, dict[int, str]] = {}
    for body in objects.values():
        for fonts_dict in re.findall(rb"/Font\s*<<(.*?)>>", body, re.S):
            for name, number in re.findall(rb"/(\w+)\s+(\d+) 0 R", fonts_dict):
                font = objects[int(number)]
                unicode_ref = re.search(rb"/ToUnicode\s+(\d+) 0 R", font)
                if unicode_ref:
                    fonts[name.decode()] = _cmap(stream(objects[int(unicode_ref.group(1))]))
    texts = []
    for body in objects.values():
        if b"stream" not in body or b"/Length1" in body or b"/Subtype /XML" in body:
            continue
        content = stream(body).decode("latin-1")
        for block in re.findall(r"\bBT\b(.*?)\bET\b", content, re.S):
            font = re.search(r"/(\w+)\s+[\d.]+\s+Tf", block)
            mapping = fonts.get(font.group(1), {}) if font else {}
            glyphs = re.findall(r"<([0-9A-Fa-f]+)>\s*Tj", block)
            words = "".join(mapping.get(int(g, 16), "?") for g in glyphs).replace("\t", " ")
            texts.append(unicodedata.normalize("NFC", words))
    return texts


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


# -- PIN -----------------------------------------------------------------------------


def test_with_no_pin_a_technician_must_set_it(
    qtbot: QtBot, runtime: KioskRuntime, paths: Paths, clock: Clock, tmp_path: Path
) -> None:
    pins = PinStore(paths.config / "manager-pin.json", clock, cost=2**10)
    screen = make_screen(qtbot, runtime, pins, tmp_path)
    # Not "choose a PIN": whoever presses F2 first on a new kiosk must not set it.
    assert screen.pages.currentWidget() is screen.no_pin_page
    assert screen.no_pin_title.text() == "No manager PIN"
    assert "No manager PIN is set" in screen.no_pin_message.text()
    assert "technician" in screen.no_pin_help.text()
    assert "kiosk pin set" in screen.no_pin_help.text()
    assert "provisioning wizard" in screen.no_pin_help.text()
    buttons = screen.no_pin_page.findChildren(QPushButton)
    assert [b.text() for b in buttons] == ["Back to scanning"]  # nothing else on offer

    # The change-PIN page cannot be reached to set a first PIN either.
    screen._set_pin_entered("1357")
    screen._set_pin_entered("1357")
    assert not pins.is_set()
    assert screen.pages.currentWidget() is screen.no_pin_page

    # A technician sets it (kiosk pin set, the wizard): the next visit asks for it.
    pins.set_pin(PIN)
    screen.leave()
    screen.hide()
    screen.show()
    unlock(screen)


def test_a_pin_removed_by_a_technician_closes_the_view(
    screen: ManagerScreen, pins: PinStore
) -> None:
    pins.reset()
    type_pin(screen, PIN)
    assert screen.pages.currentWidget() is screen.no_pin_page


def test_the_manager_may_change_the_pin_after_entering_it(
    screen: ManagerScreen, pins: PinStore
) -> None:
    unlock(screen)
    screen.change_pin_button.click()
    assert screen.pages.currentWidget() is screen.set_pin_page
    type_pin(screen, "12", set_page=True)
    assert "4 to 8 digits" in screen.set_pin_message.text()
    type_pin(screen, "1357", set_page=True)
    assert "same PIN again" in screen.set_pin_prompt.text()
    type_pin(screen, "1358", set_page=True)
    assert "differ" in screen.set_pin_message.text()
    assert pins.verify(PIN).ok
    type_pin(screen, "1357", set_page=True)
    type_pin(screen, "1357", set_page=True)
    assert screen.pages.currentWidget() is screen.manager_page
    assert "PIN was changed" in screen.banner.text()
    assert pins.verify("1357").ok


def test_wrong_pins_lock_the_view(screen: ManagerScreen, clock: Clock) -> None:
    type_pin(screen, "0000")
    assert screen.pin_message.text() == f"Wrong PIN. {MAX_FAILURES - 1} attempt(s) left."
    for _ in range(MAX_FAILURES - 2):
        type_pin(screen, "0000")
    assert "1 attempt" in screen.pin_message.text()
    type_pin(screen, "0000")
    assert screen.pin_message.text() == "Too many wrong PINs. Try again after 09:05."
    type_pin(screen, PIN)  # the right PIN does not open a locked view
    assert screen.pages.currentWidget() is screen.pin_page
    assert "Try again after 09:05" in screen.pin_message.text()

    # Leaving and coming back still shows the lock (it is in the PIN file).
    screen.leave()
    screen.hide()
    screen.show()
    assert "Try again after 09:05" in screen.pin_message.text()

    clock.advance(timedelta(minutes=5))
    unlock(screen)


def test_the_keypad_edits_the_field(screen: ManagerScreen) -> None:
    pad = screen.pin_pad
    for digit in "123456789":
        pad.digit_buttons[digit].click()
    assert pad.field.text() == "12345678"  # at most 8 digits
    pad.backspace_button.click()
    assert pad.field.text() == "1234567"
    pad.clear_button.click()
    assert pad.field.text() == ""


def test_a_damaged_pin_file_keeps_the_view_closed(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, tmp_path: Path
) -> None:
    pins.path.write_text("{broken", "utf-8")
    screen = make_screen(qtbot, runtime, pins, tmp_path)
    assert screen.pages.currentWidget() is screen.pin_page
    assert "damaged" in screen.pin_message.text()
    assert not screen.pin_pad.isEnabled()


# -- the day's log -------------------------------------------------------------------


def test_the_days_log_shows_what_the_station_recorded(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock
) -> None:
    scan_demo_cards(runtime, clock)
    unlock(screen)
    assert screen.selected_day() == DAY
    rows = table(screen)
    assert len(rows) == 10
    # Newest first: the last card scanned (09:09) on top, the first (09:00) at the bottom.
    assert [row[0] for row in rows] == [f"09:{m:02d}:00" for m in range(9, -1, -1)]
    assert rows[-1][:4] == ["09:00:00", "Green", "Green: admitted", "Nguyễn V. A., 1987"]
    assert "Trần T. B. N., 1995" in [row[3] for row in rows]
    assert {row[6] for row in rows} == {"no"}  # nothing synced yet

    summary = screen.summary()
    assert summary.counts == runtime.today()
    assert summary.total == 10
    assert screen.count_labels[Verdict.RED].text() == f"Red: {summary.counts[Verdict.RED]}"
    assert screen.total_label.text() == "Total: 10"
    assert screen.shown_label.text() == "Showing 10 of 10"
    assert screen.chart.hours() == summary.hourly
    assert sum(summary.hourly[9].values()) == 10  # 09:00–09:09 city time


def test_date_change_and_filters(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock
) -> None:
    scan_demo_cards(runtime, clock)  # 2021-10-01
    clock.advance(timedelta(days=1))
    scan_demo_cards(runtime, clock, rounds=2)  # 2021-10-02
    unlock(screen)
    assert screen.selected_day() == DAY + timedelta(days=1)
    assert len(table(screen)) == 20

    screen.date_edit.setDate(QDate(2021, 10, 1))
    assert screen.summary().day == DAY
    assert len(table(screen)) == 10
    # One tap saves the selected day, saved on the next day: both in the name.
    assert screen.export_path("checkins", ".csv").name == (
        "checkins-2021-10-01-saved-2021-10-02-0930.csv"
    )

    reds = screen.summary().counts[Verdict.RED]
    screen.verdict_filter.setCurrentIndex(3)  # Red
    assert {row[1] for row in table(screen)} == {"Red"}
    assert len(table(screen)) == reds
    assert screen.shown_label.text() == f"Showing {reds} of 10"
    assert screen.total_label.text() == "Total: 10"  # the counts are the whole day's

    screen.verdict_filter.setCurrentIndex(0)
    screen.search.setText("nguyen")  # no diacritics needed
    holders = {row[3] for row in table(screen)}
    assert holders == {"Nguyễn V. A., 1987"}

    screen.search.clear()
    screen.manual_only.setChecked(True)
    assert table(screen) == []

    screen.today_button.click()
    assert screen.selected_day() == DAY + timedelta(days=1)
    assert screen.date_edit.maximumDate() == QDate(2021, 10, 2)  # no future days


# -- exports -------------------------------------------------------------------------


def test_one_tap_saves_the_rows_shown_in_the_exports_folder(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock, tmp_path: Path
) -> None:
    scan_demo_cards(runtime, clock)  # 09:00 to 09:09; now 09:10
    unlock(screen)
    assert str(tmp_path / "exports") in screen.exports_label.text()
    assert not screen.csv_button.text().endswith("…")  # it saves, no dialog
    screen.csv_button.click()
    path = tmp_path / "exports" / "checkins-2021-10-01-0910.csv"
    assert path.exists()
    assert str(path) in screen.banner.text()
    assert "Saved 10 check-in(s)" in screen.banner.text()
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["Time", "Result", "Reason", "Reason code"]
    assert rows[0][8:10] == ["Name", "Phone"]
    assert len(rows) == 11
    # The rows as shown (newest first); values in the header's language, code beside.
    assert rows[-1][:5] == [
        "2021-10-01 09:00:00",
        "Green",
        "Green: admitted",
        "admitted_green",
        "Nguyễn V. A., 1987",
    ]

    # The same minute again: a new file, the first one kept.
    screen.search.setText("Trần")
    again = screen.export_csv()
    assert again == tmp_path / "exports" / "checkins-2021-10-01-0910-2.csv"
    rows = list(csv.reader(io.StringIO(again.read_text("utf-8-sig"))))
    assert [row[4] for row in rows[1:]] == ["Trần T. B. N., 1995"]
    assert len(path.read_text("utf-8-sig").splitlines()) == 11  # not overwritten


def test_save_as_opens_a_dialog_prefilled_with_the_exports_path(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock, tmp_path: Path
) -> None:
    scan_demo_cards(runtime, clock)
    unlock(screen)
    assert screen.csv_as_button.text().endswith("…")
    screen.csv_as_button.click()
    dialog = screen.save_dialog
    assert dialog is not None
    assert dialog.isVisible()
    expected = tmp_path / "exports" / "checkins-2021-10-01-0910.csv"
    assert [Path(name) for name in dialog.selectedFiles()] == [expected]

    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "day.csv").write_text("an earlier file", "utf-8")
    dialog.selectFile(str(usb / "day.csv"))
    dialog.accept()
    assert (usb / "day.csv").read_text("utf-8") == "an earlier file"  # never overwritten
    saved = usb / "day-2.csv"
    assert saved.read_text("utf-8-sig").startswith("Time,Result")
    assert str(saved) in screen.banner.text()
    assert screen.save_dialog is None

    screen.pdf_as_button.click()
    dialog = screen.save_dialog
    assert dialog is not None
    assert [Path(name) for name in dialog.selectedFiles()] == [
        tmp_path / "exports" / "report-2021-10-01-0910.pdf"
    ]
    dialog.selectFile(str(usb / "report"))  # no suffix typed: .pdf is added
    dialog.accept()
    assert (usb / "report.pdf").read_bytes().startswith(b"%PDF-")


def test_leaving_closes_a_save_dialog(qtbot: QtBot, screen: ManagerScreen) -> None:
    unlock(screen)
    dialog = screen.save_csv_as()
    assert dialog.isVisible()
    with qtbot.waitSignal(screen.closed, timeout=5000):
        screen.leave()
    assert not dialog.isVisible()
    assert screen.save_dialog is None


def test_an_export_that_cannot_be_saved_is_a_message_not_a_crash(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, clock: Clock, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    screen = ManagerScreen(runtime, pins, export_dir=blocker / "exports")  # under a file
    qtbot.addWidget(screen)
    screen.show()
    scan_demo_cards(runtime, clock)
    unlock(screen)
    assert screen.export_csv() is None
    assert "Could not save" in screen.banner.text()
    assert screen.export_pdf() is None
    assert "Could not save" in screen.banner.text()
    assert screen.pages.currentWidget() is screen.manager_page


def test_exports_default_to_the_kiosks_data_dir(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, paths: Paths
) -> None:
    screen = ManagerScreen(runtime, pins)
    qtbot.addWidget(screen)
    assert screen.export_dir == paths.data / "exports"


def test_pdf_report(screen: ManagerScreen, runtime: KioskRuntime, clock: Clock) -> None:
    scan_demo_cards(runtime, clock, rounds=8)  # 80 check-ins: more than one page
    unlock(screen)
    screen.verdict_filter.setCurrentIndex(1)  # the report is the whole day regardless
    screen.pdf_button.click()
    path = screen.export_dir / "report-2021-10-01-1020.pdf"
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    pages = page_count(data)
    assert pages == 3  # rows with a wrapped reason are taller
    assert f"({pages} page(s))" in screen.banner.text()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp file left

    texts = pdf_text(data)
    assert texts[0] == "Daily check-in report"
    assert "Venue: Quán Phở Hòa Bình (HCM-Q1-000123), kiosk demo" in texts
    assert "Date: 2021-10-01" in texts
    summary = screen.summary()
    assert f"Red: {summary.counts[Verdict.RED]}" in texts
    assert "Total: 80" in texts
    hours = [f"{h:02d}" for h in range(24)]  # the chart's hour labels, in order
    assert any(texts[i : i + 24] == hours for i in range(len(texts)))
    nguyen = [r for r in day_records(runtime.log, DAY) if r.holder == "Nguyễn V. A., 1987"]
    assert len(nguyen) > 8
    assert texts.count("Nguyễn V. A., 1987") == len(nguyen)  # in the table, on every page
    assert "Trần T. B. N., 1995" in texts
    assert texts.count("Time") == 3  # the table's header, repeated on each page
    assert [t for t in texts if "Page" in t] == ["Page 1 of 3", "Page 2 of 3", "Page 3 of 3"]
    assert "…" not in "".join(texts)  # long cells wrap, none is cut short with "…"


def test_long_cells_wrap_in_the_pdf_and_keep_the_birth_year(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock
) -> None:
    name = "Tôn-Thất Công Tằng Tôn Nữ Thị Ngọc Bích Phương Thảo Hồng Nhung Kim Liên"
    card = two_dose_card(holder=Holder(name, "1987-05-01"))
    decision = Decision(reason=Reason.ADMITTED_GREEN, at=clock(), card=card, format="HCM1")
    holder = runtime.log.record(decision).holder
    assert holder is not None
    assert holder.endswith(", 1987")
    assert len(holder) > 40  # wider than the report's holder column
    unlock(screen)
    path = screen.export_pdf()
    assert path is not None
    texts = pdf_text(path.read_bytes())
    start = next(i for i, text in enumerate(texts) if text.startswith("Tôn-Thất C. T. T."))
    lines = []
    for text in texts[start:]:
        lines.append(text)
        if text.endswith("1987"):
            break
    assert len(lines) > 1
    assert " ".join(lines) == holder  # wrapped over lines, nothing cut off


def test_an_empty_day_still_makes_a_report(screen: ManagerScreen) -> None:
    unlock(screen)
    path = screen.export_pdf()
    assert path is not None
    data = path.read_bytes()
    assert page_count(data) == 1
    assert "No check-ins on this day" in pdf_text(data)


# -- manual admission ----------------------------------------------------------------


def test_manual_admission_needs_a_reason_and_is_recorded_as_manual(
    screen: ManagerScreen, runtime: KioskRuntime, clock: Clock
) -> None:
    scan_demo_cards(runtime, clock)
    unlock(screen)
    screen.manual_button.click()
    assert screen.pages.currentWidget() is screen.manual_page

    screen.manual_checks["vaccination"].setChecked(True)
    screen.manual_details.setText("   ")
    screen.manual_record_button.click()
    assert "Enter what you checked" in screen.manual_message.text()
    assert screen.pages.currentWidget() is screen.manual_page
    assert runtime.log.count() == 10

    screen.manual_checks["identity"].setChecked(True)
    screen.manual_details.setText("  giấy số   AB-0123 ")
    screen.manual_record_button.click()
    # Contact tracing must reach the person: the name and a phone number are required.
    assert "Enter the person's full name." in screen.manual_message.text()
    assert "Enter a phone number" in screen.manual_message.text()
    assert runtime.log.count() == 10
    screen.manual_name.setText("  Phạm Minh   Châu ")
    screen.manual_phone.setText("12")
    screen.manual_record_button.click()
    assert "phone number is not valid" in screen.manual_message.text()
    assert "full name" not in screen.manual_message.text()
    assert runtime.log.count() == 10
    QTest.keyClicks(screen.manual_phone, "x")  # the field takes only what a phone number has
    assert screen.manual_phone.text() == "12"
    screen.manual_phone.setText("+84 91 234-5678")
    screen.manual_record_button.click()
    assert runtime.log.count() == 11
    assert screen.pages.currentWidget() is screen.manager_page
    assert "Manual admission recorded at 09:10" in screen.banner.text()

    records = screen.model.records()
    manual = [r for r in records if r.manual]
    assert len(manual) == 1
    record = manual[0]
    assert record.verdict is Verdict.GREEN
    assert record.reason == MANUAL_REASON_CODE
    assert record.manual_reason == (
        "Paper vaccination certificate; Photo ID matches the certificate: giấy số AB-0123"
    )
    assert (record.manual_name, record.manual_phone) == ("Phạm Minh Châu", "+84 91 234 5678")
    # On top of the day's log (newest first), with the person's name and phone.
    assert table(screen)[0][1:6] == [
        "Green",
        "Admitted manually",
        "Phạm Minh Châu",
        "+84 91 234 5678",
        record.manual_reason,
    ]
    screen.search.setText("pham minh")  # the search finds the person too
    assert [row[3] for row in table(screen)] == ["Phạm Minh Châu"]
    screen.search.clear()
    assert screen.manual_count_label.text() == "Manual: 1"
    # Synced as manual: uploaded with its reason (this kiosk runs the demo's trust data,
    # so its records stay local; tests/integration/test_sync.py uploads real ones).
    wire = record.wire()
    assert wire["manual"] is True
    assert wire["manual_reason"] == record.manual_reason
    assert (wire["manual_name"], wire["manual_phone"]) == ("Phạm Minh Châu", "+84 91 234 5678")
    assert wire["reason"] == MANUAL_REASON_CODE

    screen.manual_button.click()  # the form starts empty again
    assert screen.manual_details.text() == ""
    assert (screen.manual_name.text(), screen.manual_phone.text()) == ("", "")
    assert not any(box.isChecked() for box in screen.manual_checks.values())
    screen.manual_cancel_button.click()
    assert screen.pages.currentWidget() is screen.manager_page


# -- leaving -------------------------------------------------------------------------


def test_back_to_scanning_emits_closed_and_locks(qtbot: QtBot, screen: ManagerScreen) -> None:
    unlock(screen)
    with qtbot.waitSignal(screen.closed, timeout=5000):
        screen._back_buttons[-1].click()
    assert screen.pages.currentWidget() is screen.pin_page
    assert screen.model.rowCount() == 0  # nothing of the log left on screen


def test_hiding_locks_the_view(screen: ManagerScreen) -> None:
    unlock(screen)
    screen.hide()
    screen.show()
    assert screen.pages.currentWidget() is screen.pin_page


def test_no_input_for_a_while_emits_closed(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, tmp_path: Path
) -> None:
    screen = make_screen(qtbot, runtime, pins, tmp_path, idle=0.05)
    unlock(screen)
    with qtbot.waitSignal(screen.closed, timeout=10_000):
        pass
    assert screen.pages.currentWidget() is screen.pin_page


def test_input_postpones_the_timeout(
    qtbot: QtBot, screen: ManagerScreen, monkeypatch: pytest.MonkeyPatch
) -> None:
    unlock(screen)
    screen._last_input = 0.0
    QTest.keyClick(screen.search, Qt.Key.Key_A)  # any input, anywhere, notes the time
    assert screen._last_input > 0.0
    closed: list[bool] = []
    screen.closed.connect(lambda: closed.append(True))
    now = screen._last_input + screen.idle_seconds - 1  # input a second ago: stay
    monkeypatch.setattr("kiosk.ui.manager.time.monotonic", lambda: now)
    screen._idle()
    assert (closed, screen.idle_timer.isActive()) == ([], True)
    assert screen.pages.currentWidget() is screen.manager_page
    now += 2  # no input since: leave
    screen._idle()
    assert closed == [True]
    assert screen.pages.currentWidget() is screen.pin_page


def test_technician_setup_is_requested(qtbot: QtBot, screen: ManagerScreen) -> None:
    unlock(screen)
    with qtbot.waitSignal(screen.provisioning_requested, timeout=5000):
        screen.technician_button.click()


# -- drawing and words ---------------------------------------------------------------


def test_the_chart_draws_stacked_bars(qtbot: QtBot) -> None:
    chart = HourlyChart()
    qtbot.addWidget(chart)
    chart.resize(480, 200)
    hourly = tuple(dict.fromkeys(Verdict, 0) for _ in range(24))
    hourly[10].update({Verdict.GREEN: 5, Verdict.YELLOW: 2, Verdict.RED: 3})
    chart.set_hours(hourly)
    image = chart.grab().toImage()
    colours = {
        image.pixelColor(x, y).name() for x in range(image.width()) for y in range(image.height())
    }
    for verdict in Verdict:
        assert VERDICT_COLOURS[verdict].name() in colours


def _lrelease(tmp_path: Path) -> Path:
    tool = Path(sys.executable).with_name("pyside6-lrelease")
    if not tool.exists():
        pytest.skip("pyside6-lrelease is not installed beside Python")
    target = tmp_path / "manager_vi.qm"
    subprocess.run([str(tool), "-silent", str(I18N), "-qm", str(target)], check=True)
    return target


def test_every_string_has_a_vietnamese_translation() -> None:
    text = I18N.read_text("utf-8")
    assert 'type="unfinished"' not in text
    assert "<translation></translation>" not in text
    assert "Quay lại quét" in text


def test_the_view_speaks_vietnamese_after_a_language_change(
    qtbot: QtBot, screen: ManagerScreen, runtime: KioskRuntime, clock: Clock, tmp_path: Path
) -> None:
    scan_demo_cards(runtime, clock)
    type_pin(screen, "0000")
    translator = QTranslator()
    assert translator.load(str(_lrelease(tmp_path)))
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    app.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: screen._back_buttons[0].text() == "Quay lại quét")
        assert screen.pin_message.text() == "Sai mã PIN. Còn 4 lần thử."
        type_pin(screen, PIN)
        assert screen.technician_button.text() == "Cài đặt kỹ thuật…"
        assert table(screen)[-1][1] == "Xanh"
        header = screen.model.headerData(0, Qt.Orientation.Horizontal)
        assert header == "Giờ"
        # The CSV speaks the language of its header: words, with the code beside them.
        path = screen.export_csv()
        assert path is not None
        rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"))))
        assert rows[0][:4] == ["Giờ", "Kết quả", "Lý do", "Mã lý do"]
        assert rows[-1][1:4] == ["Xanh", "Thẻ xanh: được vào", "admitted_green"]
        assert rows[-1][6] == "không"
    finally:
        app.removeTranslator(translator)
    qtbot.waitUntil(lambda: screen.technician_button.text() == "Technician setup…")
    assert table(screen)[-1][1] == "Green"


def test_the_no_pin_page_speaks_vietnamese(
    qtbot: QtBot, runtime: KioskRuntime, paths: Paths, clock: Clock, tmp_path: Path
) -> None:
    pins = PinStore(paths.config / "manager-pin.json", clock, cost=2**10)
    screen = make_screen(qtbot, runtime, pins, tmp_path)
    translator = QTranslator()
    assert translator.load(str(_lrelease(tmp_path)))
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    app.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: screen._back_buttons[0].text() == "Quay lại quét")
        assert screen.no_pin_title.text() == "Chưa có mã PIN quản lý"
        assert screen.no_pin_message.text().startswith("Kiosk này chưa có mã PIN quản lý")
        assert screen.no_pin_help.text().startswith("Kỹ thuật viên phải đặt mã PIN")
        assert "kiosk pin set" in screen.no_pin_help.text()
    finally:
        app.removeTranslator(translator)


def test_the_exports_folder_is_a_setting(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, tmp_path: Path
) -> None:
    from dataclasses import replace

    runtime.settings = replace(runtime.settings, exports_dir="usb-exports")
    screen = ManagerScreen(runtime, pins)
    qtbot.addWidget(screen)
    assert screen.export_dir == runtime.paths.data / "usb-exports"


def test_the_venue_line_follows_provisioning(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore
) -> None:
    from dataclasses import replace

    screen = ManagerScreen(runtime, pins)
    qtbot.addWidget(screen)
    screen.show()
    screen.hide()
    runtime.settings = replace(runtime.settings, venue_name="Cơm Tấm Ba Ghiền")  # the wizard
    screen.show()
    assert "Cơm Tấm Ba Ghiền" in screen.venue_label.text()


def test_a_failed_export_is_worded_in_vietnamese_not_the_systems_english(
    qtbot: QtBot, runtime: KioskRuntime, pins: PinStore, clock: Clock, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    screen = ManagerScreen(runtime, pins, export_dir=blocker / "exports")  # under a file
    qtbot.addWidget(screen)
    screen.show()
    scan_demo_cards(runtime, clock)
    unlock(screen)
    translator = QTranslator()
    assert translator.load(str(_lrelease(tmp_path)))
    app = QApplication.instance()
    assert isinstance(app, QCoreApplication)
    app.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: screen._back_buttons[0].text() == "Quay lại quét")
        assert screen.export_csv() is None
        text = screen.banner.text()
        assert "thư mục không tồn tại" in text, text
        assert "Not a directory" not in text, text  # the system's own words
    finally:
        app.removeTranslator(translator)
