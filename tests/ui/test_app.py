"""The kiosk window: what reaches the screen, and what runs behind which screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from kiosk.config import Settings
from kiosk.paths import Paths
from kiosk.runtime import KioskRuntime
from kiosk.scanner.sources import SourceState
from kiosk.station import CheckInResult
from kiosk.ui.app import KioskWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> KioskWindow:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    Settings(camera="synthetic", decision_seconds=60).save(paths)
    runtime = KioskRuntime(paths)
    made = KioskWindow(runtime, scan=True, sync=False)
    qtbot.addWidget(made)
    made.show()
    yield made
    made.shutdown()
    # Delete the window and its screens now, while the runtime is still open. (Stopping
    # and restarting the scan loop and deleting the window within a few milliseconds has
    # crashed a later Qt test with PySide6 6.11.3; with human-scale pauses it does not.
    # Not understood yet: see the closing note.)
    made.close()
    made.deleteLater()
    qtbot.wait(50)
    runtime.close()


def test_f3_does_not_open_the_technician_wizard(qtbot: QtBot, window: KioskWindow) -> None:
    QTest.keyClick(window.guard, Qt.Key.Key_F3)
    qtbot.wait(50)
    assert window.stack.currentWidget() is window.guard


def test_nothing_is_scanned_while_the_manager_is_open(qtbot: QtBot, window: KioskWindow) -> None:
    assert window.loop is not None
    window.show_manager()
    assert window.loop is None  # no check-in recorded behind the manager's back
    qtbot.wait(300)
    window.show_guard()
    assert window.loop is not None  # and scanning again on the way back
    qtbot.wait(300)


def test_a_keyboard_scan_is_shown_once(qtbot: QtBot, window: KioskWindow) -> None:
    shown: list[CheckInResult] = []
    window.bridge.decided.connect(shown.append)
    card = window.runtime.demo_texts()[1]  # the negative test (Lê Hoàng Phúc)
    QTest.keyClicks(window.guard, card)
    QTest.keyClick(window.guard, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(
            r.decision.card and r.decision.card.holder.name == "Lê Hoàng Phúc" for r in shown
        ),
        timeout=10_000,
    )
    qtbot.wait(300)
    mine = [
        r for r in shown if r.decision.card and r.decision.card.holder.name == "Lê Hoàng Phúc"
    ]  # the camera shows other demo cards meanwhile
    assert len(mine) == 1
    assert window.runtime.log.count() >= 1


def test_provisioning_takes_effect_in_the_running_app(qtbot: QtBot, window: KioskWindow) -> None:
    paths = window.runtime.paths
    Settings(camera="synthetic", venue_name="Phở 24 Lý Tự Trọng", decision_seconds=7).save(paths)
    window._leave_guard()  # as when the wizard opens (its own camera preview not started here)
    assert window.loop is None
    qtbot.wait(300)  # a technician takes longer than this (see the note in the fixture)
    window._provisioned()  # what the wizard's finished() triggers
    qtbot.wait(300)
    assert window.stack.currentWidget() is window.guard
    assert window.loop is not None
    assert window.guard.venue.text() == "Phở 24 Lý Tự Trọng"
    assert window.runtime.settings.decision_seconds == 7


def test_provisioning_from_a_terminal_takes_effect_in_the_running_app(
    qtbot: QtBot, window: KioskWindow
) -> None:
    """`kiosk provision` typed in a terminal while the app runs: the app applies it."""
    paths = window.runtime.paths
    qtbot.wait(300)
    Settings(camera="synthetic", venue_name="Bánh Mì Huỳnh Hoa", decision_seconds=60).save(paths)
    qtbot.waitUntil(lambda: window.guard.venue.text() == "Bánh Mì Huỳnh Hoa", timeout=10_000)
    assert window.runtime.settings.venue_name == "Bánh Mì Huỳnh Hoa"
    assert window.loop is not None  # scanning again, with the new settings


def test_escape_from_the_wizard_applies_what_was_provisioned(
    qtbot: QtBot, window: KioskWindow
) -> None:
    window.show_wizard()
    qtbot.wait(300)
    Settings(camera="synthetic", venue_name="Cơm Tấm Ba Ghiền", decision_seconds=60).save(
        window.runtime.paths
    )
    QTest.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.guard, timeout=5_000)
    assert window.guard.venue.text() == "Cơm Tấm Ba Ghiền"


def test_the_demo_says_to_restart_once_the_real_kiosk_is_provisioned(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paths = Paths(data=tmp_path / "d", config=tmp_path / "c", logs=tmp_path / "l")
    Settings(camera="synthetic", decision_seconds=60).save(paths)
    runtime = KioskRuntime(paths)
    provisioned = [False]
    window = KioskWindow(runtime, scan=False, sync=False, provisioned=lambda: provisioned[0])
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.wait(300)
        assert not window.guard.error_banner.isVisible()
        provisioned[0] = True  # `kiosk provision` in a terminal, beside the demo
        qtbot.waitUntil(window.guard.error_banner.isVisible, timeout=10_000)
        assert "restart the app" in window.guard.error_text.text()
    finally:
        window.shutdown()
        window.close()
        runtime.close()


def test_a_camera_never_seen_is_no_camera_not_a_lost_one(qtbot: QtBot, window: KioskWindow) -> None:
    window.stop_scanning()
    window._camera_was_live = False
    window._on_state(SourceState.LOST)  # the scan loop: the device gives no picture
    qtbot.waitUntil(lambda: window.guard.strip._no_camera, timeout=5_000)
    assert not window.guard.error_banner.isVisible()
    window._on_state(SourceState.LIVE)
    window._on_state(SourceState.LOST)  # it worked, then the cable came out
    qtbot.waitUntil(window.guard.error_banner.isVisible, timeout=5_000)
