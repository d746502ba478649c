"""A keyboard-mode scanner's typing, caught before it reaches whatever has focus.

Installed on the QApplication, :class:`ScanKeyFilter` shows every printable key press
to :class:`~kiosk.scanner.hardware.ScanTyping` first: a scan (card prefix or a
scanner's typing speed) becomes ``scanned(bytes)`` and never reaches the PIN pad or a
text field; a person's keys are handed on to the widget they were meant for, in order,
at most :data:`~kiosk.scanner.hardware.HOLD_SECONDS` later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.scanner.hardware import HOLD_SECONDS, ScanTyping, Typed, TypedStep

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
#: Pressed on their own while a scanner types capitals and symbols: not the end of a line.
_MODIFIERS = (
    Qt.Key.Key_Shift,
    Qt.Key.Key_Control,
    Qt.Key.Key_Alt,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_Meta,
    Qt.Key.Key_CapsLock,
    Qt.Key.Key_NumLock,
)
_COMMAND = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class ScanKeyFilter(QObject):
    scanned = Signal(bytes)

    def __init__(
        self, parent: QObject | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__(parent)
        self._typing = ScanTyping()
        self._clock = clock
        self._held: list[tuple[QWidget | None, QKeyEvent]] = []
        self._replaying = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(int(HOLD_SECONDS * 1000) + 10)
        self._idle.timeout.connect(self._check_idle)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if self._replaying or event.type() != QEvent.Type.KeyPress:
            return False
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched is not QApplication.focusWidget() and QApplication.focusWidget() is not None:
            return False  # Qt offers a key to the focus widget's parents too: once is enough
        key = event.key()
        if key in _MODIFIERS:
            return False
        if key in _ENTER:
            text = "\n"
        elif (
            event.modifiers() & _COMMAND
            or event.isAutoRepeat()  # a key held down: a person (no scanner repeats)
            or not event.text()
            or not event.text().isprintable()
        ):
            # F2, Escape, arrows, Backspace: a person's. Keys held before it go on first.
            if self._typing.holding:
                self._do(self._typing.key("\n", self._clock()), watched, event)
            return False
        else:
            text = event.text()
        step = self._typing.key(text, self._clock())
        return self._do(step, watched, event)

    def _do(self, step: TypedStep, watched: QWidget, event: QKeyEvent) -> bool:
        if step.action is Typed.HOLD:
            self._held.append((watched, _copy(event)))
            self._idle.start()
            return True
        self._idle.stop()
        if step.action is Typed.SCAN:
            self._held.clear()
            self.scanned.emit(step.payload)
            return True
        # A person's keys: the held ones first, then (not consumed) this one.
        self._replay()
        return False

    def _check_idle(self) -> None:
        step = self._typing.idle(self._clock())
        if step is None:
            if self._typing.holding:
                self._idle.start()
            return
        if step.action is Typed.SCAN:
            self._held.clear()
            self.scanned.emit(step.payload)
        else:
            self._replay()

    def _replay(self) -> None:
        held, self._held = self._held, []
        self._replaying = True
        try:
            for target, event in held:
                receiver = target if target is not None else QApplication.focusWidget()
                if receiver is not None:
                    QCoreApplication.sendEvent(receiver, event)
        finally:
            self._replaying = False


def _copy(event: QKeyEvent) -> QKeyEvent:
    return QKeyEvent(
        event.type(),
        event.key(),
        event.modifiers(),
        event.text(),
        event.isAutoRepeat(),
        event.count(),
    )


__all__ = ["ScanKeyFilter"]
