"""Worker threads hand values to the GUI through Qt signals: that must hold up.

PySide6 6.12.0 aborts the process ("bool_dealloc: deallocating True or False") when a
Python thread emits a Signal(object) while the GUI thread processes events; the kiosk
does exactly that (decisions, status, frames). pyproject.toml excludes that version;
this test catches a regression in any version we move to.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot


class _Bridge(QObject):
    value = Signal(object)
    image = Signal(QImage)


def test_many_emissions_from_python_threads(qtbot: QtBot) -> None:
    bridge = _Bridge()
    received: list[object] = []
    bridge.value.connect(received.append)
    bridge.image.connect(received.append)
    picture = QImage(32, 32, QImage.Format.Format_RGB888)

    def emit() -> None:
        for i in range(10_000):
            bridge.value.emit(("decision", i, None, True))
            if i % 10 == 0:
                bridge.image.emit(picture.copy())

    threads = [threading.Thread(target=emit) for _ in range(2)]
    for thread in threads:
        thread.start()
    qtbot.waitUntil(lambda: len(received) == 22_000, timeout=60_000)
    for thread in threads:
        thread.join()
    assert len(received) == 22_000


def test_qt_calls_do_not_leak_references_to_none(qtbot: QtBot) -> None:
    """PySide6 6.12.0 on Python 3.11 dropped a reference to None on every call of a Qt
    method returning nothing (CPython gh-134989): the app aborted within minutes."""
    import gc
    import sys

    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(5_000):
        widget.setMinimumHeight(3)
    gc.collect()
    assert sys.getrefcount(None) >= before - 50  # a little noise, never 5,000
