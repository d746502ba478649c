"""The guard's screen: camera preview, the decision panel, the status strip.

A passive view (docs/ui-guard.md): the app pushes frames, check-in results, status and
errors into its slots; it emits what the guard or a keyboard-mode scanner did. What a
result looks like is decided by :func:`kiosk.ui.viewstate.view_of` (Qt-free, unit
tested); this module only paints it, big enough to read from two metres.

Every visible string goes through ``self.tr`` (contexts ``GuardScreen``,
``DecisionPanel``) or, for the view states' words, through ``QCoreApplication.translate``
(contexts ``ViewState``, ``StatusStrip`` and ``GuardScreen`` in
:mod:`kiosk.ui.viewstate` and :mod:`kiosk.ui.stripview`); ``changeEvent`` re-translates
on ``QEvent.LanguageChange``. The catalogue is ``kiosk/ui/i18n/guard_vi.ts``::

    .venv/bin/pyside6-lupdate kiosk/ui/guard.py kiosk/ui/sound.py kiosk/ui/viewstate.py \\
        kiosk/ui/stripview.py -ts kiosk/ui/i18n/guard_vi.ts -no-obsolete \\
        -source-language en -target-language vi

No modal dialog ever: an unattended kiosk cannot dismiss one.
"""

from __future__ import annotations

import logging
import math
from dataclasses import fields, replace
from functools import lru_cache
from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QLayoutItem,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import Settings
from kiosk.qrimage import modules
from kiosk.runtime import KioskStatus
from kiosk.scanner.hardware import KeyboardWedge
from kiosk.scanner.sources import SourceState
from kiosk.station import CheckInResult
from kiosk.ui.sound import NullSound, Sound
from kiosk.ui.stripview import StripView, problem_words, scanning_words, strip_view
from kiosk.ui.viewstate import TONES, ViewState, view_of

logger = logging.getLogger(__name__)

#: An error banner hides itself after this long (a newer error restarts it).
ERROR_BANNER_SECONDS: Final = 60
#: The other language is for one visitor: back to the kiosk's after this long without a
#: scan (and at once when the decision shown in it returns to scanning).
VISITOR_LANGUAGE_SECONDS: Final = 30
#: Quiet zone around the feedback QR code, in modules (the QR standard asks for 4).
QR_BORDER: Final = 4
#: Colours of the screen around the panel (a dark frame makes the panel stand out).
_FRAME_BG: Final = "#101418"
_FRAME_FG: Final = "#E8EEF2"
#: The panel's words: (share of the screen's height, minimum pixels, bold), before
#: :meth:`DecisionPanel._fit` shrinks them to what fits.
_WORDS: Final = {
    "headline": (0.085, 20, True),
    "returning": (0.042, 13, True),
    "holder": (0.062, 16, True),
    "birth": (0.048, 14, True),
    "masked_id": (0.048, 14, True),
    "details": (0.034, 11, False),
    "advice": (0.042, 12, True),
}
#: Words start this much larger than :data:`_WORDS` and shrink until they fit: a short
#: green panel gets the biggest letters, a long red one still shows everything.
_GROW: Final = 1.3
_MARGIN: Final = 24
_LINE_GAP: Final = 10
_PERSON_GAP: Final = 32
_BADGE_PAD: Final = 4
_WARN = TONES["yellow"]
_ALERT = TONES["red"]


def _language_code(language: str) -> str:
    """``"vi"`` for any Vietnamese setting ("vi", "VI", "vi-VN"), else ``"en"``."""
    return "vi" if language.lower().startswith("vi") else "en"


def _px(height: int, share: float, minimum: int) -> int:
    return max(minimum, round(height * share))


def _font(pixels: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(pixels)
    font.setBold(bold)
    return font


# --- the feedback QR code ---------------------------------------------------------------


@lru_cache(maxsize=4)
def _qr_base(text: str) -> QImage:
    """One pixel per module, with the quiet zone."""
    matrix = modules(text)
    side = len(matrix) + 2 * QR_BORDER
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFFFFF"))
    dark = QColor("#000000").rgb()
    for y, row in enumerate(matrix):
        for x, cell in enumerate(row):
            if cell:
                image.setPixel(x + QR_BORDER, y + QR_BORDER, dark)
    return image


def qr_image(text: str, side: int) -> QImage:
    """A QR code of ``text`` about ``side`` pixels wide: whole pixels per module (crisp
    edges, as a phone camera needs), black on white with its quiet zone."""
    base = _qr_base(text)
    scale = max(2, side // base.width())
    return base.scaled(
        base.width() * scale,
        base.height() * scale,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.FastTransformation,
    )


# --- pieces -----------------------------------------------------------------------------


class FlowLayout(QLayout):
    """Items left to right, wrapping onto another line when the screen is narrow, so a
    long (or Vietnamese) status never widens the window or gets cut off."""

    def __init__(
        self, parent: QWidget | None = None, spacing: int = 6, line_spacing: int | None = None
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._line_gap = spacing if line_spacing is None else line_spacing

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, line = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():
                continue
            hint = item.sizeHint()
            if x > area.x() and x + hint.width() > area.right() + 1:
                x, y, line = area.x(), y + line + self._line_gap, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            line = max(line, hint.height())
        return y + line - rect.y() + margins.bottom()


class ToneIcon(QWidget):
    """The tone's shape, drawn (not a font glyph, which a kiosk font may lack): a circle
    with a tick, a triangle with "!", an octagon with a cross, a square with a warning
    sign. Colour-blind guards tell the outcomes apart by shape alone."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shape = "circle"
        self.fill = QColor("#FFFFFF")
        self.mark = QColor("#000000")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_look(self, shape: str, fill: str, mark: str) -> None:
        self.shape, self.fill, self.mark = shape, QColor(fill), QColor(mark)
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        side = min(self.width(), self.height()) * 0.94
        left = (self.width() - side) / 2
        top = (self.height() - side) / 2

        def at(x: float, y: float) -> QPointF:
            return QPointF(left + x * side, top + y * side)

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.fill)
        if self.shape == "circle":
            painter.drawEllipse(QRectF(left, top, side, side))
        elif self.shape == "triangle":
            painter.drawPolygon(QPolygonF([at(0.5, 0.04), at(0.98, 0.92), at(0.02, 0.92)]))
        elif self.shape == "octagon":
            corners = [
                at(0.5 + 0.5 * math.cos(a), 0.5 + 0.5 * math.sin(a))
                for a in (math.pi / 8 + k * math.pi / 4 for k in range(8))
            ]
            painter.drawPolygon(QPolygonF(corners))
        else:
            painter.drawRoundedRect(QRectF(left, top, side, side), side * 0.08, side * 0.08)
        pen = QPen(self.mark, side * 0.11)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.shape == "circle":
            painter.drawPolyline(QPolygonF([at(0.27, 0.52), at(0.43, 0.68), at(0.74, 0.35)]))
        elif self.shape == "octagon":
            painter.drawLine(at(0.33, 0.33), at(0.67, 0.67))
            painter.drawLine(at(0.67, 0.33), at(0.33, 0.67))
        elif self.shape == "triangle":
            painter.drawLine(at(0.5, 0.36), at(0.5, 0.62))
            painter.drawPoint(at(0.5, 0.78))
        else:
            thin = QPen(pen)
            thin.setWidthF(side * 0.05)
            painter.setPen(thin)
            painter.drawPolygon(QPolygonF([at(0.5, 0.18), at(0.84, 0.8), at(0.16, 0.8)]))
            painter.setPen(pen)
            painter.drawLine(at(0.5, 0.42), at(0.5, 0.56))
            painter.drawPoint(at(0.5, 0.7))
        painter.end()


class CameraView(QWidget):
    """The newest camera frame, scaled to fit with its aspect kept. Each frame replaces
    the last one (nothing queues); scaling happens only when Qt paints."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frame: QImage | None = None
        self.placeholder = ""
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def show_frame(self, image: QImage) -> None:
        self.frame = image
        if self.isVisible():
            self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(_FRAME_BG))
        frame = self.frame
        if frame is None or frame.isNull():
            painter.setPen(QColor(_FRAME_FG))
            painter.setFont(_font(_px(self.height(), 0.06, 12)))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.placeholder)
        else:
            scale = min(self.width() / frame.width(), self.height() / frame.height())
            width, height = frame.width() * scale, frame.height() * scale
            target = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
            painter.drawImage(target, frame)  # fast (not smooth) scaling: it is a preview
        painter.end()


# --- the decision panel -----------------------------------------------------------------


class DecisionPanel(QWidget):
    """One decision, full width: colour, shape, big words, the holder, and for red the
    reason, what the person can do and the feedback QR code."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        #: The shown tone ("green", "yellow", "red", "error"); None before any result.
        self.tone: str | None = None
        self.state: ViewState | None = None
        self._result: CheckInResult | None = None
        self._language = "vi"
        self._height = 600

        self.icon = ToneIcon(self)
        self.headline = self._label("headline")
        self.returning = self._label("returning")
        self.holder = self._label("holder")
        self.birth = self._label("birth")
        self.masked_id = self._label("masked_id")
        self.details = self._label("details")
        self.advice = self._label("advice")
        self.qr = QLabel(self)
        self.qr.setObjectName("qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = self._label("qr_caption")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)

        for label in (self.birth, self.masked_id):
            label.setWordWrap(False)
        person = FlowLayout(spacing=_PERSON_GAP, line_spacing=_LINE_GAP)
        person.addWidget(self.birth)
        person.addWidget(self.masked_id)
        words = QVBoxLayout()
        words.setSpacing(_LINE_GAP)
        words.addWidget(self.headline)
        words.addWidget(self.returning)
        words.addWidget(self.holder)
        words.addLayout(person)
        words.addWidget(self.details)
        words.addWidget(self.advice)
        words.addStretch(1)
        feedback = QVBoxLayout()
        feedback.addStretch(1)
        feedback.addWidget(self.qr)
        feedback.addWidget(self.qr_caption)
        feedback.addStretch(1)
        self._feedback = QWidget(self)
        self._feedback.setLayout(feedback)
        row = QHBoxLayout(self)
        row.setContentsMargins(_MARGIN, _MARGIN, _MARGIN, _MARGIN)
        row.setSpacing(_MARGIN)
        row.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(words, 1)
        row.addWidget(self._feedback)
        self._feedback.hide()
        self.set_scale(self._height)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # a name on a card is never markup
        label.hide()
        return label

    # -- slots ---------------------------------------------------------------------

    @Slot(object)
    def show_result(self, result: CheckInResult) -> ViewState:
        self._result = result
        return self._render()

    def set_language(self, language: str) -> None:
        self._language = language
        if self._result is not None:
            self._render()

    def set_scale(self, height: int) -> None:
        """Sizes from the screen's height, so the panel reads the same at any resolution."""
        self._height = height
        icon = _px(height, 0.30, 96)
        self.icon.setFixedSize(icon, icon)
        self.qr_caption.setFont(_font(_px(height, 0.028, 11)))
        self.qr_caption.setFixedWidth(_px(height, 0.34, 140))
        if self.state is not None:
            self._show_qr(self.state)
        self._fit()

    def _fit(self) -> None:
        """The largest words that fit: long (Vietnamese) reasons shrink instead of being
        cut off. Sizes are shares of the screen's height (:data:`_WORDS`, :data:`_GROW`)."""
        labels = {
            "headline": self.headline,
            "returning": self.returning,
            "holder": self.holder,
            "birth": self.birth,
            "masked_id": self.masked_id,
            "details": self.details,
            "advice": self.advice,
        }
        width = self.width() - 3 * _MARGIN - self.icon.width()
        if not self._feedback.isHidden():
            width -= self._feedback.sizeHint().width() + _MARGIN
        width = max(width, 80)
        room = self.height() - 2 * _MARGIN
        factor = _GROW
        while True:
            fonts = {
                name: _font(_px(self._height, share * factor, minimum), bold=bold)
                for name, (share, minimum, bold) in _WORDS.items()
            }
            needed = self._needed(labels, fonts, width)
            if needed <= room or factor < 0.4:
                break
            factor *= 0.9
        for name, label in labels.items():
            label.setFont(fonts[name])

    @staticmethod
    def _needed(labels: dict[str, QLabel], fonts: dict[str, QFont], width: int) -> int:
        total, lines = 0, 0
        for name, label in labels.items():
            if label.isHidden() or name == "masked_id":
                continue
            metrics = QFontMetrics(fonts[name])
            if name == "birth":
                birth = metrics.horizontalAdvance(label.text())
                masked = labels["masked_id"]
                other = 0 if masked.isHidden() else metrics.horizontalAdvance(masked.text())
                rows = 2 if other and birth + _PERSON_GAP + other > width else 1
                total += rows * metrics.height() + (rows - 1) * _LINE_GAP
            else:
                badge = name == "returning"  # its padding: see the style sheet in _render
                box = QRect(0, 0, width - (6 * _BADGE_PAD if badge else 0), 100_000)
                flags = int(Qt.TextFlag.TextWordWrap)
                text = metrics.boundingRect(box, flags, label.text())
                total += text.height() + (2 * _BADGE_PAD if badge else 0)
            lines += 1
        return total + max(0, lines - 1) * _LINE_GAP

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    # -- rendering -----------------------------------------------------------------

    def _render(self) -> ViewState:
        assert self._result is not None
        state = view_of(self._result, self._language, QCoreApplication.translate)
        self.state = state
        self.tone = state.tone
        self.setStyleSheet(
            f"DecisionPanel {{ background: {state.background}; }}"
            f"QLabel {{ color: {state.foreground}; background: transparent; }}"
            f"QLabel#returning {{ color: {state.background}; background: {state.foreground};"
            f" padding: {_BADGE_PAD}px {3 * _BADGE_PAD}px; border-radius: 6px; }}"
        )
        self.icon.set_look(state.shape, state.foreground, state.background)
        self._set(self.headline, state.headline)
        self._set(self.returning, state.returning or "")
        self._set(self.holder, state.holder_name or "")
        born = self.tr("Born {year}").format(year=state.birth_year)
        self._set(self.birth, "" if state.birth_year is None else born)
        masked = self.tr("ID {digits}").format(digits=state.masked_id)
        self._set(self.masked_id, "" if state.masked_id is None else masked)
        self._set(self.details, "\n".join(state.details))
        self._set(self.advice, state.advice)
        self._show_qr(state)
        self._fit()
        self.update()
        return state

    def _show_qr(self, state: ViewState) -> None:
        if state.feedback_url is None:
            self.qr.clear()
            self.qr_caption.clear()
            self._feedback.hide()
            return
        image = qr_image(state.feedback_url, _px(self._height, 0.30, 120))
        self.qr.setPixmap(QPixmap.fromImage(image))
        self.qr_caption.setText(self.tr("Scan to report missing or wrong vaccination data"))
        self.qr_caption.show()
        self._feedback.show()

    @staticmethod
    def _set(label: QLabel, text: str) -> None:
        label.setText(text)
        label.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange and self._result is not None:
            self._render()
        super().changeEvent(event)


# --- the status strip -------------------------------------------------------------------


class StatusStrip(QWidget):
    """One line at the top: the venue's alert, today's people and scans, network, queue,
    last sync, trust data, clock, camera. What it says is :func:`strip_view`'s (Qt-free,
    unit tested); anything that needs attention gets the warning look and a "⚠"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.status: KioskStatus | None = None
        self.view: StripView | None = None
        self._no_camera = False
        self.setStyleSheet(
            f"StatusStrip {{ background: {_FRAME_BG}; }}"
            f"QLabel {{ color: {_FRAME_FG}; padding: 2px 8px; border-radius: 4px; }}"
            f'QLabel[level="warn"] {{ background: {_WARN.background};'
            f" color: {_WARN.foreground}; font-weight: bold; }}"
            f'QLabel[level="alert"] {{ background: {_ALERT.background};'
            f" color: {_ALERT.foreground}; font-weight: bold; }}"
            + "".join(
                f"QLabel#{tone} {{ background: {TONES[tone].background};"
                f" color: {TONES[tone].foreground}; font-weight: bold; }}"
                for tone in ("green", "yellow", "red")
            )
        )
        self.venue = self._label("venue")
        self.today = self._label("today")
        self.green = self._label("green")
        self.yellow = self._label("yellow")
        self.red = self._label("red")
        self.scans = self._label("scans")
        self.network = self._label("network")
        self.waiting = self._label("waiting")
        self.last_sync = self._label("last_sync")
        self.trust = self._label("trust")
        self.drift = self._label("drift")
        self.camera = self._label("camera")
        # The venue's alert is a line of its own, full width, wrapped rather than cut off:
        # while it shows, every card is refused.
        self.venue.setWordWrap(True)
        self.venue.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        column = QVBoxLayout(self)
        column.setContentsMargins(8, 4, 8, 4)
        column.setSpacing(4)
        column.addWidget(self.venue)
        flow = FlowLayout()
        column.addLayout(flow)
        for label in self._labels().values():
            if label is not self.venue:
                flow.addWidget(label)
            label.hide()
        self.set_scale(600)

    def _label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def _labels(self) -> dict[str, QLabel]:
        """The labels by name, in :class:`StripView`'s painting order."""
        return {
            name: label
            for name in (field.name for field in fields(StripView))
            if isinstance(label := getattr(self, name, None), QLabel)
        }

    def set_scale(self, height: int) -> None:
        font = _font(_px(height, 0.024, 11))
        for label in self.findChildren(QLabel):
            label.setFont(font)
        self.venue.setFont(_font(_px(height, 0.032, 13), bold=True))

    @Slot(object)
    def show_status(self, status: KioskStatus) -> None:
        self.status = status
        self._render()

    @property
    def no_camera(self) -> bool:
        return self._no_camera

    def set_no_camera(self, no_camera: bool) -> None:
        """The camera could not be opened: the guard is to use the hand scanner."""
        if no_camera != self._no_camera:
            self._no_camera = no_camera
            self._render()

    def _render(self) -> None:
        if self.status is None:
            return
        view = strip_view(self.status, QCoreApplication.translate, no_camera=self._no_camera)
        self.view = view
        labels = self._labels()
        for name, item in view.items():
            label = labels[name]
            if item is None:
                label.hide()
                continue
            label.setText(item.text)
            label.setToolTip(item.tooltip)
            if label.property("level") != item.level:
                label.setProperty("level", item.level)
                label.style().unpolish(label)
                label.style().polish(label)
            label.show()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._render()
        super().changeEvent(event)


# --- the screen -------------------------------------------------------------------------


class GuardScreen(QWidget):
    """What the guard sees. Slots: ``show_frame``, ``show_result``, ``show_scanning``,
    ``show_status``, ``show_no_camera``, ``show_problem``, ``show_error``; signals:
    ``payload_typed(bytes)`` (a keyboard-mode scanner typed a line while this screen had
    focus), ``manager_requested()`` (F2 or the button), ``language_changed(str)`` (the
    language every word must now be in, ``"vi"`` or ``"en"``: the app installs or removes
    the Vietnamese translator to match) and ``language_toggled()`` (the EN/VI button,
    emitted just before its ``language_changed``; kept for older wiring).

    The other language is for one visitor: it goes back to the kiosk's own
    (``Settings.language``) when the decision shown in it returns to scanning, or after
    :data:`VISITOR_LANGUAGE_SECONDS` without a scan."""

    payload_typed = Signal(bytes)
    manager_requested = Signal()
    language_toggled = Signal()
    language_changed = Signal(str)

    def __init__(
        self, settings: Settings, sound: Sound | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._sound: Sound = sound if sound is not None else NullSound()
        self._home = _language_code(settings.language)
        self._language = self._home
        self._wedge = KeyboardWedge()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"GuardScreen {{ background: {_FRAME_BG}; }}")

        self.strip = StatusStrip(self)
        self.error_banner = QWidget(self)
        self.error_banner.setObjectName("error_banner")
        self.error_banner.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        error = TONES["error"]
        self.error_banner.setStyleSheet(
            f"QWidget#error_banner {{ background: {error.background};"
            f" border: 3px solid {_WARN.background}; }}"
            f"QLabel {{ color: {error.foreground}; }}"
        )
        self.error_text = QLabel(self.error_banner)
        self.error_text.setWordWrap(True)
        self.error_text.setTextFormat(Qt.TextFormat.PlainText)
        self.error_dismiss = self._button(self.error_banner)
        self.error_dismiss.clicked.connect(lambda: self.show_error(""))
        banner = QHBoxLayout(self.error_banner)
        banner.addWidget(self.error_text, 1)
        banner.addWidget(self.error_dismiss)
        self.error_banner.hide()

        self.camera = CameraView(self)
        self.prompt = QLabel(self)
        self.prompt.setWordWrap(True)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt.setStyleSheet(f"color: {_FRAME_FG};")
        scanning = QWidget(self)
        scan_layout = QVBoxLayout(scanning)
        scan_layout.setContentsMargins(0, 0, 0, 0)
        scan_layout.addWidget(self.prompt)
        scan_layout.addWidget(self.camera, 1)
        self.panel = DecisionPanel(self)
        self.panel.set_language(self._language)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(scanning)
        self.stack.addWidget(self.panel)
        self._scanning = scanning

        self.venue = QLabel(settings.venue_name or "", self)
        self.venue.setStyleSheet(f"color: {_FRAME_FG};")
        self.venue.setTextFormat(Qt.TextFormat.PlainText)
        self.language_button = self._button(self)
        self.language_button.clicked.connect(self._toggle_language)
        self.manager_button = self._button(self)
        self.manager_button.clicked.connect(self.manager_requested)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(12, 4, 12, 8)
        bottom.addWidget(self.venue, 1)
        bottom.addWidget(self.language_button)
        bottom.addWidget(self.manager_button)

        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.strip)
        page.addWidget(self.error_banner)
        page.addWidget(self.stack, 1)
        page.addLayout(bottom)

        self._return_timer = QTimer(self)
        self._return_timer.setSingleShot(True)
        self._return_timer.setInterval(int(max(0.1, settings.decision_seconds) * 1000))
        self._return_timer.timeout.connect(self.show_scanning)
        self._error_timer = QTimer(self)
        self._error_timer.setSingleShot(True)
        self._error_timer.setInterval(ERROR_BANNER_SECONDS * 1000)
        self._error_timer.timeout.connect(self.error_banner.hide)
        #: A banner given as a code (:meth:`show_problem`): worded again on a language change.
        self._problem: str | None = None
        # The visitor's language goes back to the kiosk's after this long without a scan.
        self.visitor_timer = QTimer(self)
        self.visitor_timer.setSingleShot(True)
        self.visitor_timer.setInterval(VISITOR_LANGUAGE_SECONDS * 1000)
        self.visitor_timer.timeout.connect(self.back_to_home_language)
        self._retranslate()
        self._apply_scale(max(self.height(), 480))

    def _button(self, parent: QWidget) -> QPushButton:
        button = QPushButton(parent)
        # Never focusable: a scanner "typing" a space must not press a button, and the
        # keys must keep reaching the wedge.
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    # -- what the app calls ----------------------------------------------------------

    @property
    def mode(self) -> str:
        """``"scanning"`` (camera preview) or ``"decision"`` (the panel)."""
        return "decision" if self.stack.currentWidget() is self.panel else "scanning"

    @property
    def language(self) -> str:
        return self._language

    @property
    def home_language(self) -> str:
        """The kiosk's own language (``Settings.language``), ``"vi"`` or ``"en"``."""
        return self._home

    @property
    def no_camera(self) -> bool:
        """:meth:`show_no_camera` was called and no frame has come since."""
        return self.strip.no_camera

    @Slot(QImage)
    def show_frame(self, image: QImage) -> None:
        """Show the newest camera frame (the app sends a QImage that owns its pixels).

        A frame proves the camera works: "Camera starting…" (or "No camera") goes at
        once, not at the next status poll."""
        self.camera.show_frame(image)
        status = self.strip.status
        if self.no_camera or (status is not None and status.camera is not SourceState.LIVE):
            self.strip.set_no_camera(False)
            if status is not None:
                self.strip.show_status(replace(status, camera=SourceState.LIVE))
            self._show_scanning_words()

    @Slot(object)
    def show_result(self, result: CheckInResult) -> None:
        state = self.panel.show_result(result)
        self.stack.setCurrentWidget(self.panel)
        # A new result restarts the countdown; red stays longer (Settings.shown_seconds).
        shown = self.settings.shown_seconds(red=state.tone in ("red", "error"))
        self._return_timer.start(int(shown * 1000))
        # The visitor is being served: the language goes home when scanning resumes.
        self.visitor_timer.stop()
        self._sound.play(state.sound)

    @Slot()
    def show_scanning(self) -> None:
        """Back to the camera; a decision shown in the visitor's language was theirs, so
        the screen goes back to the kiosk's language."""
        self._return_timer.stop()
        leaving_decision = self.mode == "decision"
        self.stack.setCurrentWidget(self._scanning)
        if leaving_decision:
            self.back_to_home_language()

    @Slot(object)
    def show_status(self, status: KioskStatus) -> None:
        if status.camera is SourceState.LIVE:
            self.strip.set_no_camera(False)  # a camera after all
        self.strip.show_status(status)
        self._show_scanning_words()

    @Slot()
    def show_no_camera(self) -> None:
        """No camera could be opened: the scanning page and the strip tell the guard to
        use the hand scanner (plain words, no technical error). Cleared by the first
        frame, or a status with the camera live."""
        self.strip.set_no_camera(True)
        self._show_scanning_words()

    @Slot(str)
    def show_problem(self, code: str) -> None:
        """A banner for a problem given as a code (:data:`kiosk.ui.stripview.PROBLEMS`:
        ``"no_camera"``, ``"camera_lost"``, ``"unexpected"``), worded in the screen's
        language and worded again when the language changes; ``""`` hides it."""
        if not code:
            self.show_error("")
            return
        self._show_banner(problem_words(code, QCoreApplication.translate))
        self._problem = code

    @Slot(str)
    def show_error(self, message: str) -> None:
        """A banner over the screen, never a dialog; an empty message hides it. The
        message is shown as given (already translated): prefer :meth:`show_problem`."""
        if not message.strip():
            self._problem = None
            self._error_timer.stop()
            self.error_banner.hide()
            return
        self._show_banner(message)

    def _show_banner(self, message: str) -> None:
        self._problem = None
        self.error_text.setText(f"⚠ {message}")
        self.error_banner.show()
        self._error_timer.start()

    @Slot(str)
    def apply_settings(self, settings: Settings) -> None:
        """New settings after provisioning: the venue's name, the decision time and the
        kiosk's language (the screen goes to it if it changed)."""
        self.settings = settings
        self.venue.setText(settings.venue_name or "")
        self._return_timer.setInterval(int(max(0.1, settings.decision_seconds) * 1000))
        home = _language_code(settings.language)
        if home != self._home:
            self._home = home
            self.back_to_home_language()

    def set_language(self, language: str) -> None:
        """Show headlines in ``language`` ("vi" or "en"); the app installs the matching
        translator for the other words. Emits nothing (the app's own call); a language
        other than the kiosk's starts the visitor's countdown."""
        self._language = _language_code(language)
        self.panel.set_language(self._language)
        if self._language == self._home:
            self.visitor_timer.stop()
        elif self.mode == "scanning":
            self.visitor_timer.start()
        self._retranslate()

    @Slot()
    def back_to_home_language(self) -> None:
        """The visitor is done: back to the kiosk's language (``language_changed``)."""
        self.visitor_timer.stop()
        if self._language != self._home:
            self.set_language(self._home)
            self.language_changed.emit(self._language)

    # -- events --------------------------------------------------------------------

    def _toggle_language(self) -> None:
        self.set_language("en" if self._language == "vi" else "vi")
        self.language_toggled.emit()
        self.language_changed.emit(self._language)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_F2:
            self.manager_requested.emit()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            text = "\n"
        else:
            text = "".join(ch for ch in event.text() if ch.isprintable())
        if not text:
            super().keyPressEvent(event)
            return
        if self.visitor_timer.isActive():
            self.visitor_timer.start()  # someone is at the kiosk: the countdown restarts
        for payload in self._wedge.feed(text):
            self.payload_typed.emit(payload)
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.setFocus(Qt.FocusReason.OtherFocusReason)  # the wedge needs the keys

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._apply_scale(event.size().height())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _apply_scale(self, height: int) -> None:
        self.strip.set_scale(height)
        self.panel.set_scale(height)
        self.prompt.setFont(_font(_px(height, 0.06, 16), bold=True))
        self.venue.setFont(_font(_px(height, 0.03, 12)))
        self.error_text.setFont(_font(_px(height, 0.035, 13), bold=True))
        buttons = _font(_px(height, 0.035, 13), bold=True)
        for button in (self.language_button, self.manager_button, self.error_dismiss):
            button.setFont(buttons)
        self.language_button.setMinimumSize(_px(height, 0.12, 56), _px(height, 0.07, 36))

    def _show_scanning_words(self) -> None:
        status = self.strip.status
        words = scanning_words(
            status.camera if status is not None else None,
            QCoreApplication.translate,
            no_camera=self.no_camera,
        )
        self.prompt.setText(words.prompt)
        if self.camera.placeholder != words.placeholder:
            self.camera.placeholder = words.placeholder
            self.camera.update()

    def _retranslate(self) -> None:
        self._show_scanning_words()
        if self._problem is not None:
            code = self._problem
            self.error_text.setText(f"⚠ {problem_words(code, QCoreApplication.translate)}")
        # The button names the language it switches to.
        self.language_button.setText(self.tr("EN") if self._language == "vi" else self.tr("VI"))
        self.language_button.setToolTip(self.tr("Switch language"))
        self.manager_button.setText(self.tr("Manager (F2)"))
        self.error_dismiss.setText(self.tr("Dismiss"))
        self.setWindowTitle(self.tr("Covid card check-in"))
