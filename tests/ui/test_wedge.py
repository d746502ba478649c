"""The application-wide hand-scanner filter, in process (the journeys drive it through X)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.ui.wedge import ScanKeyFilter


def _field(qtbot: QtBot) -> tuple[QLineEdit, ScanKeyFilter, list[bytes]]:
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    keys = ScanKeyFilter(field)
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(keys)
    scans: list[bytes] = []
    keys.scanned.connect(scans.append)
    return field, keys, scans


def test_a_scan_into_a_text_field_is_a_scan_and_leaves_the_field_alone(qtbot: QtBot) -> None:
    field, keys, scans = _field(qtbot)
    try:
        QTest.keyClicks(field, "HCM1:NCFOXN%TSMAHO")
        QTest.keyClick(field, Qt.Key.Key_Return)
        assert scans == [b"HCM1:NCFOXN%TSMAHO"]
        qtbot.wait(300)
        assert field.text() == ""
    finally:
        QApplication.instance().removeEventFilter(keys)  # type: ignore[union-attr]


def test_a_person_typing_gets_every_key_in_order(qtbot: QtBot) -> None:
    field, keys, scans = _field(qtbot)
    try:
        QTest.keyClicks(field, "Tran Van Hai 0903", Qt.KeyboardModifier.NoModifier, 120)
        qtbot.waitUntil(lambda: field.text() == "Tran Van Hai 0903", timeout=3_000)
        assert scans == []
    finally:
        QApplication.instance().removeEventFilter(keys)  # type: ignore[union-attr]


def test_a_key_held_down_is_a_person_not_a_scanner(qtbot: QtBot) -> None:
    field, keys, scans = _field(qtbot)
    try:
        QTest.keyClick(field, Qt.Key.Key_1)
        for _ in range(10):  # auto-repeat: fast, but a person's finger on one key
            repeat = QKeyEvent(
                QEvent.Type.KeyPress, Qt.Key.Key_1, Qt.KeyboardModifier.NoModifier, "1", True
            )
            QApplication.sendEvent(field, repeat)
        QTest.keyClick(field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: field.text() == "1" * 11, timeout=3_000)
        assert scans == []
    finally:
        QApplication.instance().removeEventFilter(keys)  # type: ignore[union-attr]
