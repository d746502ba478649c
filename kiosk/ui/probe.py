"""What the window shows, written to a file: the journey tests' eyes (test-only).

With ``KIOSK_UI_STATE=FILE`` in the environment, the running app writes ``FILE`` (JSON,
replaced atomically) whenever what it shows changes, checked a few times a second:
which screen is up, every visible text with its on-screen rectangle (a test clicks a
button where a person would), the decision panel's colour, shape and words, the
window's geometry against the screen's, and the focused widget. With
``KIOSK_UI_SHOTS=DIR`` it also saves ``DIR/NAME.png``, a picture of the window, when a
file ``FILE.snap`` holding ``NAME`` appears (a journey asking for a picture of what it
sees now: the README's screenshots come from these). Nothing of this runs unless the
variable is set.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractListModel, QObject, QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from kiosk.fileio import write_atomic

logger = logging.getLogger(__name__)

INTERVAL_MS = 150
MAX_ROWS = 50


def _box(widget: QWidget) -> dict[str, int]:
    top_left = widget.mapToGlobal(QPoint(0, 0))
    return {"x": top_left.x(), "y": top_left.y(), "w": widget.width(), "h": widget.height()}


def _shown(widget: QWidget, window: QWidget) -> bool:
    return widget.isVisible() and widget.isVisibleTo(window) and widget.width() > 0


def _texts(window: QWidget) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for widget in window.findChildren(QWidget):
        if not _shown(widget, window):
            continue
        if isinstance(widget, QLabel):
            text, kind = widget.text(), "label"
        elif isinstance(widget, QAbstractButton):
            text, kind = widget.text(), "button"
        elif isinstance(widget, QLineEdit):
            text, kind = widget.text() or widget.placeholderText(), "field"
        else:
            continue
        if not text:
            continue
        item = {"kind": kind, "name": widget.objectName(), "text": text, **_box(widget)}
        if kind != "label":
            item["enabled"] = widget.isEnabled()
        level = widget.property("level")
        if isinstance(level, str):
            item["level"] = level
        out.append(item)
    return out


def _tables(window: QWidget) -> list[dict[str, Any]]:
    tables = []
    for view in window.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not _shown(view, window):
            continue
        # A list model's columnCount is not callable from Python (PySide6): one column.
        columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount()
        headers = [str(model.headerData(c, Qt.Orientation.Horizontal)) for c in range(columns)]
        rows = [
            [str(model.index(r, c).data() or "") for c in range(columns)]
            for r in range(min(model.rowCount(), MAX_ROWS))
        ]
        tables.append({"name": view.objectName(), "headers": headers, "rows": rows})
    return tables


class UiProbe(QObject):
    def __init__(self, window: QMainWindow, state: Path, shots: Path | None) -> None:
        super().__init__(window)
        self._window = window
        self._state = state
        self._shots = shots
        self._last = ""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.write)
        self._timer.start(INTERVAL_MS)

    def snapshot(self) -> dict[str, Any]:
        window = self._window
        stack = window.centralWidget()
        current = stack.currentWidget() if isinstance(stack, QStackedWidget) else None
        guard: Any = getattr(window, "guard", None)
        panel = None
        showing_guard = guard is not None and current is guard
        if showing_guard and guard.mode == "decision":
            view = guard.panel.state
            if view is not None:
                panel = {
                    "tone": view.tone,
                    "background": view.background,
                    "shape": view.shape,
                    "glyph": view.glyph,
                    "headline": view.headline,
                    "holder": view.holder_name,
                    "birth_year": view.birth_year,
                    "returning": view.returning,
                    "details": list(view.details),
                    "advice": view.advice,
                }
        screen = window.screen().geometry()
        focus = window.focusWidget()
        return {
            "screen": type(current).__name__ if current is not None else None,
            "guard_mode": guard.mode if guard is not None else None,
            "language": guard.language if guard is not None else None,
            "panel": panel,
            "texts": _texts(window),
            "tables": _tables(window),
            "window": {
                **_box(window),
                "fullscreen": window.isFullScreen(),
                "screen": {"w": screen.width(), "h": screen.height()},
            },
            "focus": type(focus).__name__ if focus is not None else None,
        }

    def write(self) -> None:
        if not self._window.isVisible():
            return  # closing: the last state written is the last one shown
        self._snap_on_request()
        try:
            snapshot = self.snapshot()
        except Exception:  # a widget went away under us, or one we cannot read
            logger.exception("the probe could not read the window")  # a test-only tool
            return
        text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
        if text == self._last:
            return
        self._last = text
        snapshot["written"] = time.time()
        write_atomic(self._state, json.dumps(snapshot, ensure_ascii=False).encode())

    def _snap_on_request(self) -> None:
        request = self._state.with_name(self._state.name + ".snap")
        if self._shots is None or not request.exists():
            return
        name = re.sub(r"[^a-z0-9-]+", "-", request.read_text("utf-8").strip().lower()) or "shot"
        self._shots.mkdir(parents=True, exist_ok=True)
        self._window.grab().save(str(self._shots / f"{name}.png"))
        request.unlink()


def attach(window: QMainWindow) -> UiProbe | None:
    """The probe, when ``KIOSK_UI_STATE`` asks for one."""
    state = os.environ.get("KIOSK_UI_STATE")
    if not state:
        return None
    shots = os.environ.get("KIOSK_UI_SHOTS")
    logger.info("writing what the window shows to %s (KIOSK_UI_STATE)", state)
    return UiProbe(window, Path(state), Path(shots) if shots else None)


__all__ = ["UiProbe", "attach"]
