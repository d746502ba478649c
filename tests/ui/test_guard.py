"""The guard screen, offscreen: panels, auto-return, the wedge, the strip, languages."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from decisions import colour_changed, result_for
from helpers import NOW, World, two_dose_card
from PySide6.QtCore import QCoreApplication, Qt, QTranslator
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kiosk import pipeline
from kiosk.config import Settings
from kiosk.domain import Reason, Verdict
from kiosk.reasons import REASONS
from kiosk.runtime import KioskStatus, Network, VenueProblem
from kiosk.scanner.decoders import make_decoder
from kiosk.scanner.sources import SourceState
from kiosk.station import NotRecorded
from kiosk.store.log import DayCounts
from kiosk.ui.guard import VISITOR_LANGUAGE_SECONDS, GuardScreen
from kiosk.ui.translations import Translations
from kiosk.ui.viewstate import FEEDBACK_REASONS, FEEDBACK_URL, TONES, Cue, Tone

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "kiosk" / "ui" / "i18n" / "guard_vi.ts"
SOURCES = [
    "kiosk/ui/guard.py",
    "kiosk/ui/sound.py",
    "kiosk/ui/viewstate.py",
    "kiosk/ui/stripview.py",
]
TONE_OF: dict[Verdict, Tone] = {
    Verdict.GREEN: "green",
    Verdict.YELLOW: "yellow",
    Verdict.RED: "red",
}
SHAPE_OF = {"green": "circle", "yellow": "triangle", "red": "octagon", "error": "square"}
CUE_OF = {"green": "admit", "yellow": "caution", "red": "refuse", "error": "error"}


class RecordingSound:
    def __init__(self) -> None:
        self.played: list[Cue] = []

    def play(self, cue: Cue) -> None:
        self.played.append(cue)


def _tool(name: str) -> str:
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else (shutil.which(name) or pytest.skip(f"no {name}"))


def _make(qtbot: QtBot, sound: RecordingSound | None = None, **settings: object) -> GuardScreen:
    options: dict[str, object] = {"language": "en", "decision_seconds": 60.0}
    options.update(settings)
    screen = GuardScreen(Settings(**options), sound)  # type: ignore[arg-type]
    qtbot.addWidget(screen)
    screen.resize(1280, 800)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


@pytest.fixture
def sound() -> RecordingSound:
    return RecordingSound()


@pytest.fixture
def screen(qtbot: QtBot, sound: RecordingSound) -> GuardScreen:
    return _make(qtbot, sound, venue_name="Phở 24")


def _status(**changes: object) -> KioskStatus:
    values: dict[str, object] = {
        "network": Network.ONLINE,
        "waiting": 0,
        "last_sync": datetime(2021, 10, 1, 2, 55, tzinfo=UTC),
        "last_error": None,
        "trust_source": "installed bundle version 7",
        "trust_age": timedelta(days=2),
        "trust_stale": False,
        "drift_seconds": 0.4,
        "drift_warning": False,
        "camera": SourceState.LIVE,
        "today": DayCounts(
            people={Verdict.GREEN: 41, Verdict.YELLOW: 7, Verdict.RED: 2}, scans=53, reentries=3
        ),
    }
    values.update(changes)
    return KioskStatus(**values)  # type: ignore[arg-type]


def _pixel(image: QImage, x: int, y: int) -> str:
    return QColor(image.pixel(x, y)).name().upper()


# --- the decision panel -----------------------------------------------------------------


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_each_decision_shows_its_panel(
    screen: GuardScreen, sound: RecordingSound, world: World, reason: Reason
) -> None:
    info = REASONS[reason]
    tone = TONE_OF[info.verdict]
    screen.show_result(result_for(world, reason))
    panel = screen.panel
    assert screen.mode == "decision"
    assert panel.tone == tone
    assert panel.icon.shape == SHAPE_OF[tone]
    assert panel.headline.text() == info.guard_en
    assert sound.played == [CUE_OF[tone]]
    if info.verdict is Verdict.RED:
        assert panel.advice.text() == info.advice_en
        assert not panel.advice.isHidden()
    else:
        assert panel.advice.isHidden()
    has_qr = reason in FEEDBACK_REASONS
    assert panel.qr.isVisibleTo(panel) is has_qr
    assert (not panel.qr.pixmap().isNull()) is has_qr


def test_the_panel_is_painted_in_the_tones_colour(
    screen: GuardScreen, world: World, qtbot: QtBot
) -> None:
    for reason in (Reason.ADMITTED_GREEN, Reason.ADMITTED_YELLOW, Reason.EXPIRED):
        screen.show_result(result_for(world, reason))
        colour = TONES[TONE_OF[REASONS[reason].verdict]].background

        def painted(colour: str = colour) -> bool:
            return _pixel(screen.panel.grab().toImage(), 3, 3) == colour

        qtbot.waitUntil(painted)


def test_a_green_panel_shows_the_masked_holder(screen: GuardScreen, world: World) -> None:
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))
    panel = screen.panel
    assert panel.holder.text() == "Nguyễn Văn An"
    assert panel.birth.text() == "Born 1987"
    assert panel.masked_id.text() == "ID •••• 4821"
    assert panel.returning.isHidden()
    assert panel.details.isHidden()


def test_an_unrecorded_check_in_shows_the_error_not_a_verdict(
    screen: GuardScreen, sound: RecordingSound, world: World
) -> None:
    error = "the disk is full: the check-in was NOT recorded"
    result = result_for(world, Reason.ADMITTED_GREEN, error=error)
    screen.show_result(replace(result, error_code=NotRecorded.DISK_FULL))
    panel = screen.panel
    assert panel.tone == "error"
    assert panel.icon.shape == "square"
    assert panel.headline.text() == "Check-in NOT recorded"
    assert all(panel.headline.text() != info.guard_en for info in REASONS.values())
    # Worded from the code in the screen's language; the store's English stays in the log.
    assert panel.details.text() == "The kiosk's storage is full."
    assert error not in panel.details.text()
    assert panel.holder.isHidden()
    assert panel.birth.isHidden()
    assert sound.played == ["error"]


def test_a_returning_card_is_flagged(screen: GuardScreen, world: World) -> None:
    since = datetime(2021, 10, 1, 7, 2, tzinfo=UTC)  # 14:02 in the city
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN, returning_since=since))
    assert screen.panel.returning.text() == "Returning: last check-in 14:02"
    assert not screen.panel.returning.isHidden()


def test_a_colour_changed_by_the_rules_is_explained(screen: GuardScreen, world: World) -> None:
    screen.show_result(colour_changed(world))
    assert screen.panel.tone == "green"
    assert screen.panel.details.text() == "Issued yellow; today's rules give green"


def test_the_feedback_qr_code_scans_to_the_feedback_page(screen: GuardScreen, world: World) -> None:
    screen.show_result(result_for(world, Reason.NO_VALID_BASIS))
    image = screen.panel.qr.pixmap().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.array(
        [
            [QColor(image.pixel(x, y)).value() for x in range(image.width())]
            for y in range(image.height())
        ],
        dtype=np.uint8,
    )
    assert make_decoder().decode(pixels) == [FEEDBACK_URL.encode()]


def test_the_screen_returns_to_scanning_after_the_decision_time(qtbot: QtBot, world: World) -> None:
    screen = _make(qtbot, decision_seconds=0.2)
    screen.show_result(result_for(world, Reason.EXPIRED))
    assert screen.mode == "decision"
    qtbot.waitUntil(lambda: screen.mode == "scanning", timeout=5000)
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))  # and again for the next
    assert (screen.mode, screen.panel.tone) == ("decision", "green")
    qtbot.waitUntil(lambda: screen.mode == "scanning", timeout=5000)


def test_a_new_result_replaces_the_shown_one(screen: GuardScreen, world: World) -> None:
    screen.show_result(result_for(world, Reason.EXPIRED))
    screen.show_result(result_for(world, Reason.ADMITTED_YELLOW))
    assert (screen.mode, screen.panel.tone) == ("decision", "yellow")
    assert screen.panel.advice.isHidden()  # nothing of the red panel is left


def test_words_scale_with_the_window(qtbot: QtBot, world: World) -> None:
    screen = _make(qtbot)
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))
    headline = screen.panel.headline
    medium = headline.font().pixelSize()
    screen.resize(800, 480)
    qtbot.waitUntil(lambda: headline.font().pixelSize() < medium)
    small = headline.font().pixelSize()
    screen.resize(1920, 1080)
    qtbot.waitUntil(lambda: headline.font().pixelSize() > medium)
    assert small >= 20  # still readable on a small screen


def test_a_long_headline_still_fits_a_small_screen(qtbot: QtBot, world: World) -> None:
    screen = _make(qtbot, language="vi")
    screen.resize(800, 480)
    screen.show_result(result_for(world, Reason.NO_VALID_BASIS, returning_since=NOW))
    panel = screen.panel
    qtbot.waitUntil(lambda: panel.height() < 480)
    qtbot.waitUntil(
        lambda: (
            panel.advice.geometry().bottom() <= panel.height()
            and panel.headline.height() >= panel.headline.heightForWidth(panel.headline.width())
        )
    )
    assert screen.width() <= 800  # nothing forced the window wider


# --- the camera ------------------------------------------------------------------------


def test_the_newest_frame_is_shown_with_its_aspect_kept(screen: GuardScreen, qtbot: QtBot) -> None:
    old = QImage(640, 480, QImage.Format.Format_RGB32)
    old.fill(QColor("#FF00FF"))
    new = QImage(640, 480, QImage.Format.Format_RGB32)
    new.fill(QColor("#3366AA"))
    screen.show_frame(old)
    screen.show_frame(new)
    assert screen.camera.frame is new
    view = screen.camera
    assert view.width() / view.height() > 640 / 480  # so the frame has bars at its sides

    def painted() -> bool:
        image = view.grab().toImage()
        middle = _pixel(image, image.width() // 2, image.height() // 2)
        edge = _pixel(image, 1, image.height() // 2)
        return middle == "#3366AA" and edge != "#3366AA"

    qtbot.waitUntil(painted)


# --- the keyboard-mode scanner -----------------------------------------------------------


def test_a_typed_line_is_a_payload(screen: GuardScreen, qtbot: QtBot, world: World) -> None:
    text = world.city.issue(two_dose_card())
    assert " " in text or "$" in text or "%" in text or ":" in text
    with qtbot.waitSignal(screen.payload_typed, timeout=5000) as blocker:
        QTest.keyClicks(screen, text)
        QTest.keyClick(screen, Qt.Key.Key_Return)
    assert blocker.args == [text.encode()]
    decision = pipeline.process(blocker.args[0], NOW, world.context())
    assert decision.reason is Reason.ADMITTED_GREEN


def test_nothing_is_sent_before_enter(screen: GuardScreen, qtbot: QtBot) -> None:
    with qtbot.assertNotEmitted(screen.payload_typed, wait=50):
        QTest.keyClicks(screen, "HCM1:ABC")
    with qtbot.waitSignal(screen.payload_typed, timeout=5000) as blocker:
        QTest.keyClick(screen, Qt.Key.Key_Enter)  # the keypad's Enter too
    assert blocker.args == [b"HCM1:ABC"]


def test_buttons_never_take_the_scanners_keys(screen: GuardScreen) -> None:
    for button in (screen.language_button, screen.manager_button, screen.error_dismiss):
        assert button.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert screen.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_f2_and_the_button_ask_for_the_manager(screen: GuardScreen, qtbot: QtBot) -> None:
    with qtbot.waitSignal(screen.manager_requested, timeout=5000):
        QTest.keyClick(screen, Qt.Key.Key_F2)
    with qtbot.waitSignal(screen.manager_requested, timeout=5000):
        screen.manager_button.click()


# --- the status strip and errors ---------------------------------------------------------


def test_status_online(screen: GuardScreen) -> None:
    screen.show_status(_status(waiting=3))
    strip = screen.strip
    assert strip.network.text() == "Online"
    assert strip.network.property("level") == "ok"
    assert strip.waiting.text() == "3 waiting to sync"
    assert strip.last_sync.text() == "Last sync 09:55 01/10"
    assert strip.trust.text() == "Trust data 2 d old"
    assert strip.trust.toolTip() == "installed bundle version 7"
    assert strip.camera.text() == "Camera on"
    assert strip.drift.isHidden()
    assert (strip.green.text(), strip.yellow.text(), strip.red.text()) == (
        "41 green",
        "7 yellow",
        "2 red",
    )


def test_status_offline(screen: GuardScreen) -> None:
    screen.show_status(
        _status(network=Network.OFFLINE, waiting=12, last_error="connection refused")
    )
    assert screen.strip.network.text() == "⚠ Offline"
    assert screen.strip.network.property("level") == "warn"
    assert screen.strip.network.toolTip() == "connection refused"
    assert screen.strip.waiting.text() == "12 waiting to sync"


def test_status_not_enrolled(screen: GuardScreen) -> None:
    screen.show_status(_status(network=Network.NOT_ENROLLED, last_sync=None))
    assert screen.strip.network.text() == "⚠ Not enrolled"
    assert screen.strip.last_sync.isHidden()


def test_status_never_synced(screen: GuardScreen) -> None:
    screen.show_status(_status(network=Network.OFFLINE, last_sync=None))
    assert screen.strip.last_sync.text() == "Never synced"


def test_status_stale_and_missing_trust_data(screen: GuardScreen) -> None:
    screen.show_status(_status(trust_age=timedelta(days=9, hours=3), trust_stale=True))
    assert screen.strip.trust.text() == "⚠ Trust data 9 d old: update it"
    assert screen.strip.trust.property("level") == "warn"
    screen.show_status(_status(trust_age=None, trust_stale=True, trust_source="NO bundle"))
    assert screen.strip.trust.text() == "⚠ No trust data: every card is red"
    assert screen.strip.trust.property("level") == "alert"
    screen.show_status(_status(trust_age=timedelta(minutes=42)))
    assert screen.strip.trust.text() == "Trust data 42 min old"
    assert screen.strip.trust.property("level") == "ok"


def test_status_clock_drift(screen: GuardScreen) -> None:
    screen.show_status(_status(drift_seconds=-95.4, drift_warning=True))
    assert screen.strip.drift.text() == "⚠ Clock off by 95 s: check the time"
    assert not screen.strip.drift.isHidden()
    screen.show_status(_status())
    assert screen.strip.drift.isHidden()


@pytest.mark.parametrize(
    ("state", "text", "level"),
    [
        (SourceState.LOST, "⚠ Camera lost: check the cable", "alert"),
        (SourceState.STARTING, "Camera starting…", "ok"),
        (SourceState.ENDED, "⚠ Camera stopped", "warn"),
    ],
)
def test_status_camera(screen: GuardScreen, state: SourceState, text: str, level: str) -> None:
    screen.show_status(_status(camera=state))
    assert screen.strip.camera.text() == text
    assert screen.strip.camera.property("level") == level


def test_an_error_is_a_banner_not_a_dialog(screen: GuardScreen) -> None:
    screen.show_error("Sync failed: platform unreachable")
    assert screen.error_banner.isVisibleTo(screen)
    assert "Sync failed: platform unreachable" in screen.error_text.text()
    assert QApplication.activeModalWidget() is None
    screen.error_dismiss.click()
    assert not screen.error_banner.isVisibleTo(screen)
    screen.show_error("again")
    screen.show_error("")
    assert not screen.error_banner.isVisibleTo(screen)


def test_status_connecting_before_the_first_sync_attempt(screen: GuardScreen) -> None:
    # Enrolled, and no attempt has ended yet: not "Offline" (issue 9).
    screen.show_status(_status(network=Network.CONNECTING, last_sync=None))
    strip = screen.strip
    assert strip.network.text() == "Connecting…"
    assert strip.network.property("level") == "ok"
    assert strip.last_sync.text() == "Not synced yet"
    assert "Offline" not in strip.network.text()


def test_the_first_frame_clears_camera_starting(screen: GuardScreen) -> None:
    screen.show_status(_status(camera=SourceState.STARTING))
    assert screen.strip.camera.text() == "Camera starting…"
    frame = QImage(64, 48, QImage.Format.Format_RGB32)
    frame.fill(QColor("#808080"))
    screen.show_frame(frame)  # before the next status poll
    assert screen.strip.camera.text() == "Camera on"
    assert screen.strip.camera.property("level") == "ok"


def test_no_camera_tells_the_guard_to_use_the_hand_scanner(screen: GuardScreen) -> None:
    screen.show_status(_status(camera=SourceState.STARTING))
    screen.show_no_camera()
    assert screen.no_camera
    assert screen.prompt.text() == "No camera: use the hand scanner"
    assert screen.strip.camera.text() == "⚠ No camera: use the hand scanner"
    assert screen.strip.camera.property("level") == "warn"
    assert not screen.error_banner.isVisibleTo(screen)  # plain words, no technical banner
    screen.show_status(_status(camera=SourceState.STARTING))  # the next poll: still none
    assert screen.strip.camera.text() == "⚠ No camera: use the hand scanner"
    assert screen.prompt.text() == "No camera: use the hand scanner"
    frame = QImage(64, 48, QImage.Format.Format_RGB32)
    frame.fill(QColor("#808080"))
    screen.show_frame(frame)  # a camera after all (back from the manager, say)
    assert not screen.no_camera
    assert screen.strip.camera.text() == "Camera on"
    assert screen.prompt.text() == "Show the QR code of your Covid card to the camera"


def test_a_lost_camera_points_to_the_hand_scanner(screen: GuardScreen) -> None:
    screen.show_status(_status(camera=SourceState.LOST))
    assert screen.prompt.text() == "No camera: use the hand scanner"
    screen.show_status(_status(camera=SourceState.LIVE))
    assert screen.prompt.text() == "Show the QR code of your Covid card to the camera"


@pytest.mark.parametrize(
    ("problem", "category", "text"),
    [
        (
            VenueProblem.UNSET,
            None,
            "⚠ Venue category not set: every card is refused. Call the technician.",
        ),
        (
            VenueProblem.UNKNOWN,
            "restaurant",
            "⚠ Venue category “restaurant” is unknown: every card is refused. Call the technician.",
        ),
    ],
)
def test_a_wrong_venue_category_is_said_plainly_not_as_old_trust_data(
    screen: GuardScreen, problem: VenueProblem, category: str | None, text: str
) -> None:
    screen.show_status(_status())
    assert screen.strip.venue.isHidden()
    screen.show_status(_status(venue_problem=problem, venue_category=category))
    venue = screen.strip.venue
    assert not venue.isHidden()
    assert venue.text() == text  # on the strip, not only in a tooltip
    assert venue.property("level") == "alert"
    assert screen.strip.trust.text() == "Trust data 2 d old"  # and not "too old"
    assert screen.strip.trust.property("level") == "ok"


def test_today_counts_people_and_scans_apart(screen: GuardScreen) -> None:
    screen.show_status(_status())  # 50 people (41 green, 7 yellow, 2 red), 53 scans
    strip = screen.strip
    assert strip.today.text() == "Today: 50 people"
    assert strip.scans.text() == "53 scans"
    assert (strip.green.text(), strip.yellow.text(), strip.red.text()) == (
        "41 green",
        "7 yellow",
        "2 red",
    )
    one = DayCounts(
        people={Verdict.GREEN: 1, Verdict.YELLOW: 0, Verdict.RED: 0}, scans=1, reentries=0
    )
    screen.show_status(_status(today=one))
    assert (strip.today.text(), strip.scans.text()) == ("Today: 1 person", "1 scan")


def test_a_problem_banner_is_worded_in_the_screens_language(
    screen: GuardScreen, qtbot: QtBot, vietnamese: QTranslator
) -> None:
    screen.show_problem("camera_lost")
    assert screen.error_text.text() == "⚠ Camera lost: reconnecting… Use the hand scanner."
    QCoreApplication.installTranslator(vietnamese)  # the visitor asked for Vietnamese
    qtbot.waitUntil(lambda: "Hãy dùng máy quét cầm tay" in screen.error_text.text())
    assert "Camera" not in screen.error_text.text().replace("camera", "")
    screen.show_problem("")
    assert not screen.error_banner.isVisibleTo(screen)


# --- languages ---------------------------------------------------------------------------


@pytest.fixture
def vietnamese(tmp_path: Path) -> Iterator[QTranslator]:
    """The catalogue compiled now (pyside6-lrelease), loaded but not yet installed."""
    compiled = tmp_path / "guard_vi.qm"
    subprocess.run(
        [_tool("pyside6-lrelease"), str(CATALOGUE), "-qm", str(compiled)],
        check=True,
        capture_output=True,
    )
    translator = QTranslator()
    assert translator.load(str(compiled))
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_the_language_button_switches_to_vietnamese(
    screen: GuardScreen, qtbot: QtBot, world: World, vietnamese: QTranslator
) -> None:
    screen.show_status(_status(network=Network.OFFLINE))
    screen.show_result(colour_changed(world))
    assert screen.language_button.text() == "VI"
    # What the app does on language_toggled: install the Vietnamese translator.
    screen.language_toggled.connect(lambda: QCoreApplication.installTranslator(vietnamese))
    with qtbot.waitSignal(screen.language_toggled, timeout=5000):
        screen.language_button.click()
    assert screen.language == "vi"
    qtbot.waitUntil(lambda: screen.prompt.text() == "Đưa mã QR thẻ Covid trước camera")
    panel = screen.panel
    assert panel.headline.text() == REASONS[Reason.ADMITTED_GREEN].guard_vi
    assert panel.birth.text() == "Sinh năm 1987"
    assert panel.details.text() == "Thẻ cấp màu vàng; theo quy định hôm nay: xanh"
    assert screen.strip.network.text() == "⚠ Ngoại tuyến"
    assert screen.strip.green.text() == "41 xanh"
    assert screen.manager_button.text() == "Quản lý (F2)"
    assert screen.language_button.text() == "EN"

    # And back: the app removes the translator.
    screen.language_toggled.disconnect()
    screen.language_toggled.connect(lambda: QCoreApplication.removeTranslator(vietnamese))
    screen.language_button.click()
    qtbot.waitUntil(lambda: screen.prompt.text().startswith("Show the QR code"))
    assert panel.headline.text() == REASONS[Reason.ADMITTED_GREEN].guard_en
    assert screen.strip.network.text() == "⚠ Offline"


def test_a_vietnamese_kiosk_starts_in_vietnamese(
    qtbot: QtBot, world: World, vietnamese: QTranslator
) -> None:
    QCoreApplication.installTranslator(vietnamese)
    screen = _make(qtbot, language="vi")
    assert screen.prompt.text() == "Đưa mã QR thẻ Covid trước camera"
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN, error="disk full"))
    assert screen.panel.headline.text() == "CHƯA ghi nhận lượt quét"
    assert screen.panel.advice.text() == "Quét lại. Nếu vẫn lỗi, gọi quản lý."


def _vietnamese_kiosk(qtbot: QtBot, **settings: object) -> tuple[GuardScreen, list[str]]:
    screen = _make(qtbot, language="vi", **settings)
    changed: list[str] = []
    screen.language_changed.connect(changed.append)
    return screen, changed


def test_english_is_for_one_visitor_back_after_their_decision(qtbot: QtBot, world: World) -> None:
    screen, changed = _vietnamese_kiosk(qtbot, decision_seconds=0.2)
    assert (screen.language, screen.home_language) == ("vi", "vi")
    screen.language_button.click()  # the visitor asks for English
    assert (screen.language, changed) == ("en", ["en"])
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))
    assert screen.panel.headline.text() == REASONS[Reason.ADMITTED_GREEN].guard_en
    qtbot.waitUntil(lambda: screen.mode == "scanning", timeout=5000)
    assert (screen.language, changed) == ("vi", ["en", "vi"])  # the next person: Vietnamese
    assert screen.language_button.text() == "EN"


def test_english_goes_back_after_a_while_without_a_scan(qtbot: QtBot) -> None:
    screen, changed = _vietnamese_kiosk(qtbot)
    screen.language_button.click()
    timer = screen.visitor_timer
    assert timer.isActive()
    assert timer.interval() == VISITOR_LANGUAGE_SECONDS * 1000 == 30_000
    timer.setInterval(50)  # not 30 s in a test
    timer.start()
    with qtbot.waitSignal(screen.language_changed, timeout=5000) as blocker:
        pass
    assert blocker.args == ["vi"]
    assert (screen.language, changed) == ("vi", ["en", "vi"])
    assert not timer.isActive()


def test_the_kiosks_own_language_stays(qtbot: QtBot, world: World) -> None:
    screen, changed = _vietnamese_kiosk(qtbot)
    assert not screen.visitor_timer.isActive()
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))
    screen.show_scanning()
    assert (screen.language, changed) == ("vi", [])  # nothing to go back to


def test_going_back_follows_the_app_and_every_word_with_it(
    qtbot: QtBot, world: World, vietnamese: QTranslator
) -> None:
    """The app connects language_changed to its translator (Translations.use): after
    the visitor's decision not one English word is left, not even a store's error."""
    QCoreApplication.installTranslator(vietnamese)
    screen, _ = _vietnamese_kiosk(qtbot)

    def follow(language: str) -> None:
        if language == "vi":
            QCoreApplication.installTranslator(vietnamese)
        else:
            QCoreApplication.removeTranslator(vietnamese)

    screen.language_changed.connect(follow)
    screen.show_status(_status(network=Network.OFFLINE))
    screen.language_button.click()
    qtbot.waitUntil(lambda: screen.strip.network.text() == "⚠ Offline")
    screen.show_scanning()
    screen.show_result(result_for(world, Reason.ADMITTED_GREEN))
    screen.show_scanning()
    qtbot.waitUntil(lambda: screen.strip.network.text() == "⚠ Ngoại tuyến")
    assert screen.prompt.text() == "Đưa mã QR thẻ Covid trước camera"
    error = "the disk is full: the check-in was NOT recorded"
    unrecorded = replace(
        result_for(world, Reason.ADMITTED_GREEN, error=error), error_code=NotRecorded.DISK_FULL
    )
    screen.show_result(unrecorded)
    panel = screen.panel
    assert panel.headline.text() == "CHƯA ghi nhận lượt quét"
    assert panel.details.text() == "Bộ nhớ của kiosk đã đầy."
    assert panel.advice.text() == "Gọi quản lý ngay: không thể ghi nhận lượt quét nào."
    assert "disk" not in panel.details.text()


# --- the translation catalogue -------------------------------------------------------------


def _messages(catalogue: Path) -> dict[tuple[str, str], ET.Element]:
    """Live messages by (context, source); obsolete ones are not part of the catalogue."""
    messages = {}
    for context in ET.parse(catalogue).getroot().iter("context"):
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is not None and translation.get("type") in ("obsolete", "vanished"):
                continue
            messages[context.findtext("name", ""), message.findtext("source", "")] = message
    return messages


def test_every_string_is_translated_with_its_placeholders() -> None:
    messages = _messages(CATALOGUE)
    assert messages
    for (context, source), message in messages.items():
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") is None, (context, source)  # not "unfinished"
        assert (translation.text or "").strip(), (context, source)
        fields = re.compile(r"\{\w+\}")
        assert sorted(fields.findall(source)) == sorted(fields.findall(translation.text or ""))


def test_the_catalogue_has_every_string_of_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    subprocess.run(
        [_tool("pyside6-lupdate"), *SOURCES, "-ts", str(fresh)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    assert set(_messages(fresh)) == set(_messages(CATALOGUE))
    assert {context for context, _ in _messages(CATALOGUE)} == {
        "GuardScreen",
        "DecisionPanel",
        "StatusStrip",
        "ViewState",
    }


def test_the_apps_translations_follow_the_screen(qtbot: QtBot, tmp_path: Path) -> None:
    """What the app wires: language_changed -> Translations.use; any Vietnamese setting
    ("vi-VN") is Vietnamese, and using the language in force changes nothing."""
    shutil.copy(CATALOGUE, tmp_path / CATALOGUE.name)
    app = QCoreApplication.instance()
    assert app is not None
    translations = Translations(app, tmp_path)
    screen = _make(qtbot, language="vi")
    try:
        translations.use("vi-VN")
        assert translations.language == "vi"
        qtbot.waitUntil(lambda: screen.prompt.text() == "Đưa mã QR thẻ Covid trước camera")
        screen.language_changed.connect(translations.use)
        screen.language_button.click()
        assert translations.language == "en"
        qtbot.waitUntil(lambda: screen.prompt.text().startswith("Show the QR code"))
        screen.back_to_home_language()
        assert translations.language == "vi"
        qtbot.waitUntil(lambda: screen.prompt.text() == "Đưa mã QR thẻ Covid trước camera")
    finally:
        translations.use("en")
