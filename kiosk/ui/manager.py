"""The manager view: behind a PIN, the day's log, counts, an hourly chart, exports, and
manual admission on a paper certificate.

Pages, all embedded (an unattended kiosk must never wait on a modal dialog nobody can
dismiss): the PIN page, the no-PIN page, the change-PIN page, the manager page, the
manual admission page. Errors are logged and shown in a banner on the page.

The PIN is set at provisioning (the wizard, or ``kiosk pin set``), never here: with no
PIN set, the view says that a technician must set it, and offers nothing else (else the
first person to press F2 on a new kiosk would choose the PIN). A manager who entered
the right PIN may change it.

"Back to scanning", and no input for ``idle_seconds``, emit :attr:`closed`; hiding the
screen locks it again, so the next visit asks for the PIN. "Technician setup…" emits
:attr:`provisioning_requested`.

The day's log lists the newest check-in first. Exports: "Save CSV" writes the rows
shown (the filters apply: e.g. the manual admissions for an audit), "Save PDF report"
the whole day (oldest first, as a register), each with one tap into the exports folder
(:func:`kiosk.reports.exports_dir`, ``<data>/exports`` by default) under a new name
(``checkins-2021-10-01-0910.csv``); the banner says where. "Save … as…" opens a file
dialog prefilled with that path, for a USB stick; it is closed when the view is left
(it must not outlive the manager), and a name already taken gets ``-2`` rather than
overwriting a file. The PDF wraps long cells (:func:`kiosk.reports.wrap_text`).

Painting draws each line and bar with its own call: PySide6 6.12.0 leaked references
on such calls (it is excluded, docs/design/006), and the list overloads (``drawLines``
with a Python list) crashed 6.11.3 in the full test run, so they are not used.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QDate,
    QEvent,
    QLineF,
    QMarginsF,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QRegularExpression,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHideEvent,
    QPageLayout,
    QPageSize,
    QPainter,
    QPaintEvent,
    QPdfWriter,
    QPen,
    QRegularExpressionValidator,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain import CITY_TZ, Verdict
from kiosk.errors import KioskError
from kiosk.pin import MAX_FAILURES, PinOutcome, PinProblem, PinStore, is_valid_pin, new_pin_problem
from kiosk.reports import (
    CSV_HEADER,
    CheckInFilter,
    CsvWords,
    DaySummary,
    day_records,
    export_stem,
    exports_dir,
    free_path,
    local_day,
    newest_first,
    save_new,
    table_pages,
    wrap_text,
    write_csv,
)
from kiosk.runtime import KioskRuntime
from kiosk.store.log import (
    MANUAL_REASON_CODE,
    MAX_MANUAL_NAME,
    MAX_MANUAL_PHONE,
    CheckIn,
    ManualProblem,
    manual_admission_problems,
)
from kiosk.ui.viewstate import not_recorded_words

logger = logging.getLogger(__name__)

#: The platform's limit for a manual admission's reason (docs/sync-protocol.md).
MAX_MANUAL_REASON: Final = 500
MAX_DETAILS: Final = 300
DEFAULT_IDLE_SECONDS: Final = 120.0
# Export file names: ``checkins-<day>-<HHMM>.csv`` and ``report-<day>-<HHMM>.pdf``.
CSV_KIND: Final = "checkins"
PDF_KIND: Final = "report"

VERDICT_COLOURS: Final = {
    Verdict.GREEN: QColor("#2e7d32"),
    Verdict.YELLOW: QColor("#f9a825"),
    Verdict.RED: QColor("#c62828"),
}
#: Light tints for table cells, dark text stays readable on them.
VERDICT_TINTS: Final = {
    Verdict.GREEN: QColor("#c8e6c9"),
    Verdict.YELLOW: QColor("#fff59d"),
    Verdict.RED: QColor("#ffcdd2"),
}
_LEFT: Final = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT: Final = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_Index = QModelIndex | QPersistentModelIndex
_ROOT: Final = QModelIndex()
#: Bottom to top in a stacked bar.
STACK_ORDER: Final = (Verdict.GREEN, Verdict.YELLOW, Verdict.RED)
#: The verdict filter's choices, in the combo box's order ("All" first).
_VERDICT_CHOICES: Final = (None, *STACK_ORDER)
_INPUT_EVENTS: Final = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
    }
)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def _clock_time(moment: datetime) -> str:
    return moment.astimezone(CITY_TZ).strftime("%H:%M")


# -- the hourly chart ------------------------------------------------------------------


def _nice_step(peak: int, max_lines: int = 5) -> int:
    """1, 2, 5, 10, 20, 50… so that ``peak`` needs at most ``max_lines`` grid lines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if math.ceil(peak / step) <= max_lines:
                return step
        magnitude *= 10


def paint_hourly_chart(
    painter: QPainter,
    rect: QRectF,
    hourly: Sequence[dict[Verdict, int]],
    *,
    empty_text: str = "",
    line_width: float = 1.0,
) -> None:
    """Stacked bars (green, yellow, red from the bottom), one per hour, with a count
    axis and hour labels, in ``rect``; the painter's font sizes the labels. The same
    code draws on screen and in the PDF report."""
    painter.save()
    metrics = painter.fontMetrics()
    text_h = metrics.height()
    peak = max((sum(bucket.values()) for bucket in hourly), default=0)
    step = _nice_step(max(peak, 1))
    top_value = max(step * math.ceil(peak / step), step)
    axis_w = metrics.horizontalAdvance(str(top_value)) + text_h * 0.5
    plot = QRectF(
        rect.left() + axis_w,
        rect.top() + text_h * 0.5,
        max(rect.width() - axis_w - text_h * 0.25, 1.0),
        max(rect.height() - text_h * 2.0, 1.0),
    )
    # One call per line and bar (see the module docstring).
    steps = range(0, top_value + 1, step)
    ys = [plot.bottom() - plot.height() * value / top_value for value in steps]
    painter.setPen(QPen(QColor("#bdbdbd"), line_width))
    for y in ys:
        painter.drawLine(QLineF(plot.left(), y, plot.right(), y))

    # Bars, stacked green, yellow, red from the bottom.
    slot = plot.width() / max(len(hourly), 1)
    bar_w = slot * 0.7
    segments: dict[Verdict, list[QRectF]] = {verdict: [] for verdict in STACK_ORDER}
    for hour, bucket in enumerate(hourly):
        x = plot.left() + slot * hour + (slot - bar_w) / 2
        base = plot.bottom()
        for verdict in STACK_ORDER:
            count = bucket.get(verdict, 0)
            if count:
                height = plot.height() * count / top_value
                segments[verdict].append(QRectF(x, base - height, bar_w, height))
                base -= height
    painter.setPen(Qt.PenStyle.NoPen)
    for verdict, rects in segments.items():
        if rects:
            painter.setBrush(QBrush(VERDICT_COLOURS[verdict]))
            for rect_ in rects:
                painter.drawRect(rect_)
    painter.setPen(QPen(QColor("#616161"), line_width))
    painter.drawLine(QLineF(plot.left(), plot.bottom(), plot.right(), plot.bottom()))

    # Labels: the count axis, and the hours (every hour if they fit, else every 2nd…).
    painter.setPen(QPen(QColor("#424242"), line_width))
    for value, y in zip(steps, ys, strict=True):
        label_rect = QRectF(rect.left(), y - text_h / 2, axis_w - text_h * 0.25, text_h)
        painter.drawText(label_rect, _RIGHT, str(value))
    label_w = metrics.horizontalAdvance("00") + text_h * 0.3
    every = next((n for n in (1, 2, 3, 6) if slot * n >= label_w), 12)
    for hour in range(0, len(hourly), every):
        x = plot.left() + slot * hour
        box = QRectF(
            x - slot * (every - 1) / 2, plot.bottom() + text_h * 0.25, slot * every, text_h
        )
        painter.drawText(
            box, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, f"{hour:02d}"
        )
    if peak == 0 and empty_text:
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, empty_text)
    painter.restore()


class HourlyChart(QWidget):
    """The day's check-ins by hour, stacked by verdict (drawn by :func:`paint_hourly_chart`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hourly: tuple[dict[Verdict, int], ...] = DaySummary(date(2000, 1, 1)).hourly
        self.setMinimumHeight(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._retranslate()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, 170)

    def set_hours(self, hourly: Sequence[dict[Verdict, int]]) -> None:
        self._hourly = tuple(hourly)
        self.update()

    def hours(self) -> tuple[dict[Verdict, int], ...]:
        return self._hourly

    def _retranslate(self) -> None:
        self.setAccessibleName(self.tr("Check-ins by hour"))
        self.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        empty = self.tr("No check-ins on this day")
        paint_hourly_chart(painter, area, self._hourly, empty_text=empty)
        painter.end()


# -- the log table ---------------------------------------------------------------------


class CheckInTableModel(QAbstractTableModel):
    """The day's check-ins (as filtered), one row each, for a QTableView."""

    COLUMNS: Final = 7
    # The column that takes the spare width (the manual admission's reason).
    STRETCH_COLUMN: Final = 5

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._records: list[CheckIn] = []

    def set_records(self, records: Sequence[CheckIn]) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list[CheckIn]:
        return list(self._records)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.COLUMNS - 1)
        if self._records:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._records) - 1, self.COLUMNS - 1)
            )

    def rowCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: _Index = _ROOT) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else self.COLUMNS

    def headers(self) -> list[str]:
        return [
            self.tr("Time"),
            self.tr("Result"),
            self.tr("Reason"),
            self.tr("Holder"),
            self.tr("Phone"),
            self.tr("Manual admission"),
            self.tr("Sent"),
        ]

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < self.COLUMNS:
            return self.headers()[section]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def verdict_text(self, verdict: Verdict) -> str:
        return {
            Verdict.GREEN: self.tr("Green"),
            Verdict.YELLOW: self.tr("Yellow"),
            Verdict.RED: self.tr("Red"),
        }[verdict]

    def reason_text(self, code: str) -> str:
        """The reason in the manager's words; an unknown code (a newer kiosk's) as is."""
        return self.reason_texts().get(code, code)

    def reason_texts(self) -> dict[str, str]:
        """Every reason code's words in the manager's language."""
        return {
            "admitted_green": self.tr("Green: admitted"),
            "admitted_yellow": self.tr("Yellow: admitted"),
            "unsupported_format": self.tr("Not a Covid card"),
            "malformed": self.tr("Card damaged or unreadable"),
            "unsupported_algorithm": self.tr("Invalid signature"),
            "unknown_key": self.tr("Issuer not trusted"),
            "bad_signature": self.tr("Forged or altered card"),
            "key_not_valid_for_card": self.tr("Issuer not allowed to issue this card"),
            "revoked": self.tr("Card revoked"),
            "not_yet_valid": self.tr("Card not valid yet"),
            "expired": self.tr("Card expired"),
            "no_rules": self.tr("Kiosk has no rules in force"),
            "no_valid_basis": self.tr("Not covered under current rules"),
            "not_admitted": self.tr("This card is not admitted at this venue"),
            MANUAL_REASON_CODE: self.tr("Admitted manually"),
        }

    def cells(self, record: CheckIn) -> list[str]:
        """A row's texts; a manual admission's person in the holder's column (the reason
        column says it was manual)."""
        return [
            record.at.astimezone(CITY_TZ).strftime("%H:%M:%S"),
            self.verdict_text(record.verdict),
            self.reason_text(record.reason),
            record.holder or record.manual_name or "",
            record.manual_phone or "",
            record.manual_reason or "" if record.manual else "",
            self.tr("yes") if record.synced_at is not None else self.tr("no"),
        ]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.cells(record)[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == 1:
            return QBrush(VERDICT_TINTS[record.verdict])
        if role == Qt.ItemDataRole.UserRole:
            return record
        return None


# -- the PIN keypad --------------------------------------------------------------------


class PinPad(QWidget):
    """A PIN field with a large numeric keypad for a touch screen."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setMaxLength(8)
        self.field.setValidator(QRegularExpressionValidator(QRegularExpression("[0-9]{0,8}")))
        self.field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.field.setMinimumHeight(48)
        font = self.field.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        self.field.setFont(font)
        self.field.returnPressed.connect(self.submit)

        grid = QGridLayout()
        self.digit_buttons: dict[str, QPushButton] = {}
        for digit in "1234567890":
            button = self._key(digit)
            button.clicked.connect(lambda _checked=False, d=digit: self.press(d))
            self.digit_buttons[digit] = button
            position = 10 if digit == "0" else int(digit) - 1
            grid.addWidget(button, position // 3, position % 3)
        self.clear_button = self._key("")
        self.clear_button.clicked.connect(self.field.clear)
        grid.addWidget(self.clear_button, 3, 0)
        self.backspace_button = self._key("⌫")
        self.backspace_button.clicked.connect(self.field.backspace)
        grid.addWidget(self.backspace_button, 3, 2)
        self.ok_button = QPushButton()
        self.ok_button.setMinimumHeight(56)
        self.ok_button.clicked.connect(self.submit)

        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addLayout(grid)
        layout.addWidget(self.ok_button)
        self._retranslate()

    @staticmethod
    def _key(label: str) -> QPushButton:
        button = QPushButton(label)
        button.setMinimumSize(72, 56)
        _scale_font(button, 1.4)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the field keeps the focus
        return button

    def press(self, digit: str) -> None:
        if len(self.field.text()) < self.field.maxLength():
            self.field.insert(digit)

    def submit(self) -> None:
        pin = self.field.text()
        self.field.clear()
        self.submitted.emit(pin)

    def clear(self) -> None:
        self.field.clear()

    def _retranslate(self) -> None:
        self.clear_button.setText(self.tr("Clear"))
        self.backspace_button.setToolTip(self.tr("Delete the last digit"))
        self.ok_button.setText(self.tr("OK"))
        self.field.setAccessibleName(self.tr("PIN"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)


# -- the PDF report --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReportText:
    """The words of the PDF report, already in the manager's language."""

    title: str
    day: str
    venue: str
    date: str
    printed: str
    counts: list[tuple[QColor | None, str]]
    chart_title: str
    no_check_ins: str
    headers: list[str]
    rows: list[list[str]]
    page: Callable[[int, int], str]


#: Column widths of the report's table, as fractions of the page's width.
_PDF_COLUMNS: Final = (0.09, 0.08, 0.20, 0.22, 0.12, 0.21, 0.08)


def write_pdf_report(path: Path, text: ReportText, hourly: Sequence[dict[Verdict, int]]) -> int:
    """Write the day's report (A4, portrait) to ``path``; return the number of pages.

    Written to a temporary file and renamed, mode 0600 (personal data). Raises OSError.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    writer = QPdfWriter(str(tmp))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageOrientation(QPageLayout.Orientation.Portrait)
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{text.title} {text.day}")
    writer.setCreator("kiosk")
    painter = QPainter()
    if not painter.begin(writer):
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise OSError(f"cannot write {path}")
    try:
        try:
            pages = _paint_report(painter, writer, text, hourly)
        finally:
            painter.end()
        tmp.chmod(0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return pages


def _paint_report(
    painter: QPainter,
    writer: QPdfWriter,
    text: ReportText,
    hourly: Sequence[dict[Verdict, int]],
) -> int:
    page = QRectF(writer.pageLayout().paintRectPixels(writer.resolution()))
    page.moveTo(0, 0)
    dpi = writer.resolution()
    mm = dpi / 25.4
    line = max(0.25 * mm, 1.0)
    base = QFont()  # the app's font; Qt falls back per glyph for Vietnamese
    base.setPointSizeF(9)
    title_font = QFont(base)
    title_font.setPointSizeF(16)
    title_font.setWeight(QFont.Weight.Bold)
    heading_font = QFont(base)
    heading_font.setPointSizeF(11)
    heading_font.setWeight(QFont.Weight.Bold)
    bold = QFont(base)
    bold.setWeight(QFont.Weight.Bold)

    painter.setFont(base)
    row_h = painter.fontMetrics().height() * 1.35
    footer_h = row_h * 1.5
    bottom = page.bottom() - footer_h

    # The first page's head: title, venue, date, counts, chart.
    y = page.top()

    def text_line(font: QFont, words: str, gap: float = 1.3) -> None:
        nonlocal y
        painter.setFont(font)
        height = painter.fontMetrics().height()
        painter.setPen(QColor("#000000"))
        painter.drawText(QRectF(page.left(), y, page.width(), height), _LEFT, words)
        y += height * gap

    text_line(title_font, text.title)
    text_line(base, text.venue)
    text_line(base, text.date)
    text_line(base, text.printed, gap=2.0)

    painter.setFont(bold)
    metrics = painter.fontMetrics()
    x = page.left()
    box = metrics.height() * 0.7
    for colour, words in text.counts:
        if colour is not None:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QBrush(colour))
            painter.drawRect(QRectF(x, y + (metrics.height() - box) / 2, box, box))
            x += box + metrics.height() * 0.3
            painter.setPen(QColor("#000000"))
        width = metrics.horizontalAdvance(words)
        painter.drawText(QRectF(x, y, width + 2, metrics.height()), _LEFT, words)
        x += width + metrics.height() * 1.2
    y += metrics.height() * 2.0

    text_line(heading_font, text.chart_title, gap=1.2)
    painter.setFont(base)
    chart = QRectF(page.left(), y, page.width(), 55 * mm)
    paint_hourly_chart(painter, chart, hourly, empty_text=text.no_check_ins, line_width=line)
    y = chart.bottom() + row_h

    # The table, continued over as many pages as it takes. Long cells wrap (a holder's
    # birth year after a long name must be on paper); a row is as tall as its tallest
    # cell, and the rows are laid out on pages before drawing, for "page n of m".
    widths = [page.width() * fraction for fraction in _PDF_COLUMNS]
    pad = painter.fontMetrics().height() * 0.2
    line_h = painter.fontMetrics().height()

    def wrapped(cells: Sequence[str], fm: QFontMetrics) -> list[list[str]]:
        return [
            wrap_text(cell, width - 2 * pad, fm.horizontalAdvance)
            for cell, width in zip(cells, widths, strict=True)
        ]

    def height(lines: Sequence[Sequence[str]]) -> float:
        return max((len(cell) for cell in lines), default=1) * line_h + (row_h - line_h)

    painter.setFont(bold)
    header_lines = wrapped(text.headers, painter.fontMetrics())
    painter.setFont(base)
    fm = painter.fontMetrics()
    row_lines = [wrapped(cells, fm) for cells in text.rows]
    header_h = height(header_lines)
    heights = [height(lines) for lines in row_lines]
    layout = table_pages(heights, bottom - y - header_h, bottom - page.top() - header_h)
    pages = len(layout)

    def draw_cells(lines: Sequence[Sequence[str]], top: float, row_height: float) -> None:
        left = page.left()
        for cell, width in zip(lines, widths, strict=True):
            for n, words in enumerate(cell):
                y_line = top + (row_h - line_h) / 2 + n * line_h
                box = QRectF(left + pad, y_line, width - 2 * pad, line_h)
                if box.bottom() > top + row_height + 1:
                    break  # a row taller than a page: cut at the page's end
                painter.drawText(box, _LEFT, words)
            left += width

    def draw_page(number: int, top: float, rows: Sequence[int]) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(QColor("#eeeeee")))
        painter.drawRect(QRectF(page.left(), top, page.width(), header_h))
        painter.setPen(QColor("#000000"))
        painter.setFont(bold)
        draw_cells(header_lines, top, header_h)
        painter.setFont(base)
        b = top + header_h
        for index in rows:
            row_height = min(heights[index], bottom - b)
            painter.setPen(QPen(QColor("#e0e0e0"), line))
            painter.drawLine(QLineF(page.left(), b, page.right(), b))
            painter.setPen(QColor("#000000"))
            draw_cells(row_lines[index], b, row_height)
            b += row_height
        painter.setPen(QPen(QColor("#e0e0e0"), line))
        painter.drawLine(QLineF(page.left(), b, page.right(), b))
        painter.setPen(QColor("#616161"))
        area = QRectF(page.left(), page.bottom() - row_h, page.width(), row_h)
        painter.drawText(area, _RIGHT, text.page(number, pages))

    for number, rows in enumerate(layout, start=1):
        if number > 1:
            writer.newPage()
            y = page.top()
        draw_page(number, y, rows)
    return pages


# -- the screen ------------------------------------------------------------------------


class ManagerScreen(QWidget):
    """The manager view; see the module's docstring."""

    closed = Signal()
    provisioning_requested = Signal()

    def __init__(
        self,
        runtime: KioskRuntime,
        pins: PinStore,
        parent: QWidget | None = None,
        *,
        idle_seconds: float = DEFAULT_IDLE_SECONDS,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self.pins = pins
        # The settings' "exports_dir" (kiosk.json) moves it; the default follows the
        # data directory (KIOSK_HOME).
        self.export_dir = export_dir or exports_dir(runtime.paths, runtime.settings.exports_dir)
        # The open "Save … as…" dialog, if any (closed when the view is left).
        self.save_dialog: QFileDialog | None = None
        self._records: list[CheckIn] = []
        self._summary = DaySummary(self._today())
        self._first_pin: str | None = None
        self._changing_pin = False
        # The banners' texts as functions, so a language change re-renders them.
        self._pin_message: Callable[[], str] = str
        self._set_pin_message: Callable[[], str] = str
        self._banner: Callable[[], str] = str
        self._manual_message: Callable[[], str] = str

        # Input only notes the time (no call into Qt per mouse move: see "Python calls
        # into Qt" above); the timer, when it fires, checks how long it has been.
        self.idle_seconds = idle_seconds
        self._idle_ms = max(int(idle_seconds * 1000), 1)
        self._last_input = time.monotonic()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._idle)

        self._back_buttons: list[QPushButton] = []
        self.pages = QStackedWidget()
        self.pin_page = self._build_pin_page()
        self.no_pin_page = self._build_no_pin_page()
        self.set_pin_page = self._build_set_pin_page()
        self.manager_page = self._build_manager_page()
        self.manual_page = self._build_manual_page()
        for page in (
            self.pin_page,
            self.no_pin_page,
            self.set_pin_page,
            self.manager_page,
            self.manual_page,
        ):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._retranslate()
        self.reset()

    # -- building ----------------------------------------------------------------------

    def _back_button(self) -> QPushButton:
        button = QPushButton()
        button.setMinimumHeight(48)
        button.clicked.connect(self.leave)
        self._back_buttons.append(button)
        return button

    def _build_pin_page(self) -> QWidget:
        page = QWidget()
        self.pin_title = QLabel()
        self.pin_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _scale_font(self.pin_title, 1.6, bold=True)
        self.pin_pad = PinPad()
        self.pin_pad.submitted.connect(self._check_pin)
        self.pin_message = QLabel()
        self.pin_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_message.setWordWrap(True)
        self.pin_message.setStyleSheet("color: #c62828; font-weight: bold;")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.pin_title)
        layout.addWidget(self.pin_pad, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.pin_message)
        layout.addStretch(1)
        layout.addWidget(self._back_button(), 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _build_no_pin_page(self) -> QWidget:
        """No PIN is set: say who sets it, offer nothing but the way back."""
        page = QWidget()
        self.no_pin_title = QLabel()
        self.no_pin_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _scale_font(self.no_pin_title, 1.6, bold=True)
        self.no_pin_message = QLabel()
        self.no_pin_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_pin_message.setWordWrap(True)
        _scale_font(self.no_pin_message, 1.2)
        self.no_pin_help = QLabel()
        self.no_pin_help.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_pin_help.setWordWrap(True)
        self.no_pin_help.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.no_pin_title)
        layout.addWidget(self.no_pin_message)
        layout.addWidget(self.no_pin_help)
        layout.addStretch(1)
        layout.addWidget(self._back_button(), 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _build_set_pin_page(self) -> QWidget:
        page = QWidget()
        self.set_pin_title = QLabel()
        self.set_pin_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        _scale_font(self.set_pin_title, 1.6, bold=True)
        self.set_pin_prompt = QLabel()
        self.set_pin_prompt.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_pin_prompt.setWordWrap(True)
        self.set_pin_pad = PinPad()
        self.set_pin_pad.submitted.connect(self._set_pin_entered)
        self.set_pin_message = QLabel()
        self.set_pin_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.set_pin_message.setWordWrap(True)
        self.set_pin_message.setStyleSheet("color: #c62828; font-weight: bold;")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.set_pin_title)
        layout.addWidget(self.set_pin_prompt)
        layout.addWidget(self.set_pin_pad, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.set_pin_message)
        layout.addStretch(1)
        layout.addWidget(self._back_button(), 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _build_manager_page(self) -> QWidget:
        page = QWidget()
        self.manager_title = QLabel()
        _scale_font(self.manager_title, 1.4, bold=True)
        self.venue_label = QLabel()
        self.change_pin_button = QPushButton()
        self.change_pin_button.clicked.connect(self._start_change_pin)
        self.technician_button = QPushButton()
        self.technician_button.clicked.connect(self.provisioning_requested)
        top = QHBoxLayout()
        top.addWidget(self.manager_title)
        top.addWidget(self.venue_label, 1)
        top.addWidget(self.change_pin_button)
        top.addWidget(self.technician_button)
        top.addWidget(self._back_button())

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()

        self.day_label = QLabel()
        self.date_edit = QDateEdit()
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.dateChanged.connect(self._day_changed)
        self.today_button = QPushButton()
        self.today_button.clicked.connect(self.show_today)
        self.verdict_label = QLabel()
        self.verdict_filter = QComboBox()
        for _choice in _VERDICT_CHOICES:
            self.verdict_filter.addItem("")
        self.verdict_filter.currentIndexChanged.connect(self._apply_filter)
        self.manual_only = QCheckBox()
        self.manual_only.toggled.connect(self._apply_filter)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._apply_filter)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(self.day_label)
        filters.addWidget(self.date_edit)
        filters.addWidget(self.today_button)
        filters.addSpacing(16)
        filters.addWidget(self.verdict_label)
        filters.addWidget(self.verdict_filter)
        filters.addWidget(self.manual_only)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.refresh_button)

        self.count_labels: dict[Verdict, QLabel] = {}
        counts = QHBoxLayout()
        for verdict in STACK_ORDER:
            label = QLabel()
            label.setStyleSheet(
                f"background: {VERDICT_TINTS[verdict].name()}; padding: 4px 10px;"
                f" border-left: 6px solid {VERDICT_COLOURS[verdict].name()}; font-weight: bold;"
            )
            self.count_labels[verdict] = label
            counts.addWidget(label)
        self.manual_count_label = QLabel()
        self.total_label = QLabel()
        self.shown_label = QLabel()
        counts.addWidget(self.manual_count_label)
        counts.addWidget(self.total_label)
        counts.addStretch(1)
        counts.addWidget(self.shown_label)

        self.chart = HourlyChart()
        self.model = CheckInTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(
            CheckInTableModel.STRETCH_COLUMN, QHeaderView.ResizeMode.Stretch
        )

        # One tap saves into the exports folder; "… as…" opens a dialog (its label's "…").
        self.exports_label = QLabel()
        self.exports_label.setWordWrap(True)
        self.exports_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.csv_button = QPushButton()
        self.csv_button.setMinimumHeight(44)
        self.csv_button.clicked.connect(lambda _checked=False: self.export_csv())
        self.csv_as_button = QPushButton()
        self.csv_as_button.setMinimumHeight(44)
        self.csv_as_button.clicked.connect(self.save_csv_as)
        self.pdf_button = QPushButton()
        self.pdf_button.setMinimumHeight(44)
        self.pdf_button.clicked.connect(lambda _checked=False: self.export_pdf())
        self.pdf_as_button = QPushButton()
        self.pdf_as_button.setMinimumHeight(44)
        self.pdf_as_button.clicked.connect(self.save_pdf_as)
        self.manual_button = QPushButton()
        self.manual_button.setMinimumHeight(48)
        _scale_font(self.manual_button, 1.15, bold=True)
        self.manual_button.clicked.connect(self.show_manual_admission)
        exports = QGridLayout()
        exports.addWidget(self.exports_label, 0, 0, 2, 1)
        exports.addWidget(self.csv_button, 0, 1)
        exports.addWidget(self.csv_as_button, 0, 2)
        exports.addWidget(self.pdf_button, 1, 1)
        exports.addWidget(self.pdf_as_button, 1, 2)
        exports.addWidget(self.manual_button, 0, 3, 2, 1)
        exports.setColumnStretch(0, 1)

        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addLayout(filters)
        layout.addLayout(counts)
        layout.addWidget(self.chart)
        layout.addWidget(self.table, 1)
        layout.addLayout(exports)
        return page

    def _build_manual_page(self) -> QWidget:
        page = QWidget()
        self.manual_title = QLabel()
        _scale_font(self.manual_title, 1.4, bold=True)
        self.manual_help = QLabel()
        self.manual_help.setWordWrap(True)
        self.manual_checks: dict[str, QCheckBox] = {}
        checks = QVBoxLayout()
        for key in ("vaccination", "test", "recovery", "identity"):
            box = QCheckBox()
            box.setMinimumHeight(40)
            self.manual_checks[key] = box
            checks.addWidget(box, 0, Qt.AlignmentFlag.AlignLeft)  # as wide as its words
        self.manual_details_label = QLabel()
        self.manual_details = QLineEdit()
        self.manual_details.setMaxLength(MAX_DETAILS)
        self.manual_details.setMinimumHeight(44)
        self.manual_details.returnPressed.connect(self.record_manual_admission)
        # Who was admitted: contact tracing must be able to reach them.
        self.manual_name_label = QLabel()
        self.manual_name = QLineEdit()
        self.manual_name.setMaxLength(MAX_MANUAL_NAME)
        self.manual_name.setMinimumHeight(44)
        self.manual_name.returnPressed.connect(self.record_manual_admission)
        self.manual_phone_label = QLabel()
        self.manual_phone = QLineEdit()
        self.manual_phone.setMaxLength(MAX_MANUAL_PHONE)
        self.manual_phone.setMinimumHeight(44)
        self.manual_phone.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        self.manual_phone.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9+ ().\-]*"))
        )
        self.manual_phone.returnPressed.connect(self.record_manual_admission)
        self.manual_message = QLabel()
        self.manual_message.setWordWrap(True)
        self.manual_message.setStyleSheet("color: #c62828; font-weight: bold;")
        self.manual_record_button = QPushButton()
        self.manual_record_button.setMinimumHeight(56)
        _scale_font(self.manual_record_button, 1.15, bold=True)
        self.manual_record_button.clicked.connect(self.record_manual_admission)
        self.manual_cancel_button = QPushButton()
        self.manual_cancel_button.setMinimumHeight(56)
        self.manual_cancel_button.clicked.connect(self._cancel_manual)
        buttons = QHBoxLayout()
        buttons.addWidget(self.manual_cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.manual_record_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.manual_title)
        layout.addWidget(self.manual_help)
        layout.addLayout(checks)
        layout.addWidget(self.manual_details_label)
        layout.addWidget(self.manual_details)
        person = QGridLayout()
        person.addWidget(self.manual_name_label, 0, 0)
        person.addWidget(self.manual_phone_label, 0, 1)
        person.addWidget(self.manual_name, 1, 0)
        person.addWidget(self.manual_phone, 1, 1)
        person.setColumnStretch(0, 3)
        person.setColumnStretch(1, 2)
        layout.addLayout(person)
        layout.addWidget(self.manual_message)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    # -- words -------------------------------------------------------------------------

    def _retranslate(self) -> None:
        for button in self._back_buttons:
            button.setText(self.tr("Back to scanning"))
        self.pin_title.setText(self.tr("Manager PIN"))
        self.no_pin_title.setText(self.tr("No manager PIN"))
        self.no_pin_message.setText(
            self.tr("No manager PIN is set on this kiosk, so the manager view stays closed.")
        )
        self.no_pin_help.setText(
            self.tr(
                "A technician must set the PIN: with the command {command} on this kiosk, "
                "or in the provisioning wizard."
            ).format(command="kiosk pin set")
        )
        self.set_pin_title.setText(self.tr("Change the manager PIN"))
        self._show_set_pin_prompt()
        self.manager_title.setText(self.tr("Manager"))
        self._show_venue()
        self.change_pin_button.setText(self.tr("Change PIN…"))
        self.technician_button.setText(self.tr("Technician setup…"))
        self.day_label.setText(self.tr("Day:"))
        self.today_button.setText(self.tr("Today"))
        self.verdict_label.setText(self.tr("Result:"))
        for index, text in enumerate(
            [self.tr("All"), self.tr("Green"), self.tr("Yellow"), self.tr("Red")]
        ):
            self.verdict_filter.setItemText(index, text)
        self.manual_only.setText(self.tr("Manual admissions only"))
        self.search.setPlaceholderText(self.tr("Search holder or certificate…"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.exports_label.setText(
            self.tr("Exports are saved in {folder}").format(folder=self.export_dir)
        )
        self.csv_button.setText(self.tr("Save CSV"))
        self.csv_button.setToolTip(self.tr("Saves the rows shown in the exports folder"))
        self.csv_as_button.setText(self.tr("Save CSV as…"))
        self.csv_as_button.setToolTip(self.tr("Choose where to save the rows shown"))
        self.pdf_button.setText(self.tr("Save PDF report"))
        self.pdf_button.setToolTip(self.tr("Saves the whole day's report in the exports folder"))
        self.pdf_as_button.setText(self.tr("Save PDF report as…"))
        self.pdf_as_button.setToolTip(self.tr("Choose where to save the whole day's report"))
        self.manual_button.setText(self.tr("Manual admission…"))
        self.manual_title.setText(self.tr("Manual admission"))
        self.manual_help.setText(
            self.tr(
                "For a person whose paper certificate you have checked. Tick what you "
                "checked, enter the certificate's number or other details, and the person's "
                "name and phone number (for contact tracing). The admission is recorded and "
                "sent to the city as manual."
            )
        )
        check_texts = self._check_texts()
        for key, box in self.manual_checks.items():
            box.setText(check_texts[key])
        self.manual_details_label.setText(self.tr("Certificate number or details (required):"))
        self.manual_details.setPlaceholderText(self.tr("e.g. paper certificate no. 012345"))
        self.manual_name_label.setText(self.tr("Full name of the person (required):"))
        self.manual_name.setPlaceholderText(self.tr("e.g. Nguyễn Văn An"))
        self.manual_phone_label.setText(self.tr("Phone number (required):"))
        self.manual_phone.setPlaceholderText(self.tr("e.g. 0912 345 678"))
        self.manual_record_button.setText(self.tr("Record admission"))
        self.manual_cancel_button.setText(self.tr("Cancel"))
        self.model.retranslate()
        self._show_counts()
        self._render_messages()

    def _check_texts(self) -> dict[str, str]:
        return {
            "vaccination": self.tr("Paper vaccination certificate"),
            "test": self.tr("Paper negative test result"),
            "recovery": self.tr("Paper recovery certificate"),
            "identity": self.tr("Photo ID matches the certificate"),
        }

    def _render_messages(self) -> None:
        self.pin_message.setText(self._pin_message())
        self.set_pin_message.setText(self._set_pin_message())
        self.manual_message.setText(self._manual_message())
        text = self._banner()
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    # -- showing and leaving -----------------------------------------------------------

    def _today(self) -> date:
        return local_day(self.runtime.clock())

    def reset(self) -> None:
        """Lock the view: the next visit starts at the PIN page (or the no-PIN page)."""
        self._close_save_dialog()
        self._first_pin = None
        self._changing_pin = False
        self.pin_pad.clear()
        self.set_pin_pad.clear()
        self._clear_manual_form()
        self._banner = str
        self._pin_message = str
        self._set_pin_message = str
        self._manual_message = str
        self._records = []
        self._summary = DaySummary(self._today())
        self.model.set_records([])
        self._enter()

    def _enter(self) -> None:
        try:
            is_set = self.pins.is_set()
            locked_until = self.pins.locked_until() if is_set else None
        except KioskError as exc:
            logger.error("manager PIN unusable: %s", exc)
            self._pin_message = lambda: self.tr(
                "The manager PIN file is damaged. A technician must reset it."
            )
            self.pin_pad.setEnabled(False)
            self.pages.setCurrentWidget(self.pin_page)
            self._render_messages()
            return
        self.pin_pad.setEnabled(True)
        if not is_set:
            # Set at provisioning, never here (see the module's docstring).
            self.pages.setCurrentWidget(self.no_pin_page)
        else:
            self._pin_message = (
                self._locked_message(locked_until) if locked_until is not None else str
            )
            self.pages.setCurrentWidget(self.pin_page)
        self._render_messages()

    def leave(self) -> None:
        """Back to scanning: lock the view and say so (the app shows the scan screen)."""
        self._close_save_dialog()
        self._close_popups()
        self.reset()
        self.idle_timer.stop()
        self.closed.emit()

    def _idle(self) -> None:
        remaining = self.idle_seconds - (time.monotonic() - self._last_input)
        if remaining > 0:
            self.idle_timer.start(max(int(remaining * 1000), 1))
            return
        logger.info("manager view closed after %.0f s without input", self.idle_seconds)
        self.leave()

    @staticmethod
    def _close_popups() -> None:
        # A calendar or combo box popup left open would stay above the scan screen.
        for _ in range(5):
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()

    def _show_venue(self) -> None:
        """The venue and kiosk as they are now (provisioning may have changed them)."""
        settings = self.runtime.settings
        self.venue_label.setText(
            self.tr("{name} ({venue}), kiosk {kiosk}").format(
                name=settings.venue_name or self.tr("Unnamed venue"),
                venue=settings.venue_id or self.runtime.log.venue_id,
                kiosk=self.runtime.log.kiosk_id,
            )
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._show_venue()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._last_input = time.monotonic()
        self.idle_timer.start(self._idle_ms)
        if self.pages.currentWidget() in (self.pin_page, self.no_pin_page):
            self._enter()  # a lock may have ended (or begun), a PIN been set, since

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        super().hideEvent(event)
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle_timer.stop()
        self.reset()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    # -- PIN ---------------------------------------------------------------------------

    def _locked_message(self, until: datetime) -> Callable[[], str]:
        return lambda: self.tr("Too many wrong PINs. Try again after {time}.").format(
            time=_clock_time(until)
        )

    def _check_pin(self, pin: str) -> None:
        if not is_valid_pin(pin):
            # An empty OK or a card scanned into the field is not a guess: it must not
            # count towards the lockout (anyone could lock the manager out with it).
            self.pin_pad.clear()
            return
        try:
            check = self.pins.verify(pin)
        except KioskError as exc:
            logger.error("manager PIN unusable: %s", exc)
            self._pin_message = lambda: self.tr(
                "The manager PIN file is damaged. A technician must reset it."
            )
            self._render_messages()
            return
        if check.outcome is PinOutcome.OK:
            self._pin_message = str
            self._open_manager_page()
            return
        if check.outcome is PinOutcome.NOT_SET:
            self._enter()
            return
        if check.outcome is PinOutcome.LOCKED and check.locked_until is not None:
            self._pin_message = self._locked_message(check.locked_until)
        else:
            left = check.attempts_left if check.attempts_left is not None else MAX_FAILURES
            self._pin_message = lambda: self.tr("Wrong PIN. {n} attempt(s) left.").format(n=left)
        self._render_messages()

    def _show_set_pin_prompt(self) -> None:
        if self._first_pin is None:
            self.set_pin_prompt.setText(self.tr("Choose a manager PIN of 4 to 8 digits."))
        else:
            self.set_pin_prompt.setText(self.tr("Enter the same PIN again."))

    def _start_change_pin(self) -> None:
        self._changing_pin = True
        self._first_pin = None
        self._set_pin_message = str
        self._show_set_pin_prompt()
        self._render_messages()
        self.pages.setCurrentWidget(self.set_pin_page)

    def _set_pin_entered(self, pin: str) -> None:
        if not self._changing_pin:  # only after the right PIN: never a first PIN here
            self._enter()
            return
        if self._first_pin is None:
            if new_pin_problem(pin) is PinProblem.FORMAT:
                self._set_pin_message = lambda: self.tr("A PIN has 4 to 8 digits.")
            else:
                self._first_pin = pin
                self._set_pin_message = str
            self._show_set_pin_prompt()
            self._render_messages()
            return
        first, self._first_pin = self._first_pin, None
        if new_pin_problem(first, pin) is not None:
            self._set_pin_message = lambda: self.tr("The PINs differ. Start again.")
            self._show_set_pin_prompt()
            self._render_messages()
            return
        try:
            self.pins.set_pin(pin)
        except KioskError as exc:
            logger.error("cannot save the manager PIN: %s", exc)
            self._set_pin_message = lambda: self.tr("The PIN could not be saved.")
            self._show_set_pin_prompt()
            self._render_messages()
            return
        self._changing_pin = False
        self._set_pin_message = str
        self._open_manager_page()
        self._set_banner(lambda: self.tr("The manager PIN was changed."), error=False)

    # -- the manager page --------------------------------------------------------------

    def _open_manager_page(self) -> None:
        self._banner = str
        self.pages.setCurrentWidget(self.manager_page)
        self.show_today()
        self._render_messages()

    def show_today(self) -> None:
        today = self._today()
        self.date_edit.setMaximumDate(_qdate(today))
        if self.date_edit.date() == _qdate(today):
            self.refresh()
        else:
            self.date_edit.setDate(_qdate(today))  # refreshes via dateChanged

    def selected_day(self) -> date:
        return _pydate(self.date_edit.date())

    def _day_changed(self, _day: QDate) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the selected day from the log again."""
        day = self.selected_day()
        try:
            records = day_records(self.runtime.log, day)
        except Exception as exc:  # noqa: BLE001 - the log's read path lets peewee errors through
            logger.error("cannot read the check-in log: %s", exc)
            records = []
            self._set_banner(lambda: self.tr("The check-in log cannot be read."), error=True)
        self._records = records
        self._summary = DaySummary.from_records(day, records)
        self.chart.set_hours(self._summary.hourly)
        self._apply_filter()
        self._show_counts()

    def current_filter(self) -> CheckInFilter:
        index = self.verdict_filter.currentIndex()
        return CheckInFilter(
            verdict=_VERDICT_CHOICES[index] if 0 <= index < len(_VERDICT_CHOICES) else None,
            manual_only=self.manual_only.isChecked(),
            text=self.search.text(),
        )

    def _apply_filter(self) -> None:
        self.model.set_records(newest_first(self.current_filter().apply(self._records)))
        self._show_counts()

    def _show_counts(self) -> None:
        summary = self._summary
        words = {
            Verdict.GREEN: self.tr("Green: {n}"),
            Verdict.YELLOW: self.tr("Yellow: {n}"),
            Verdict.RED: self.tr("Red: {n}"),
        }
        for verdict, label in self.count_labels.items():
            label.setText(words[verdict].format(n=summary.counts[verdict]))
        self.manual_count_label.setText(self.tr("Manual: {n}").format(n=summary.manual))
        self.total_label.setText(self.tr("Total: {n}").format(n=summary.total))
        self.shown_label.setText(
            self.tr("Showing {shown} of {total}").format(
                shown=self.model.rowCount(), total=summary.total
            )
        )

    def summary(self) -> DaySummary:
        return self._summary

    def _set_banner(self, text: Callable[[], str], *, error: bool) -> None:
        self._banner = text
        colour = "#ffcdd2" if error else "#c8e6c9"
        self.banner.setStyleSheet(f"background: {colour}; padding: 8px; font-weight: bold;")
        self._render_messages()

    # -- exports -----------------------------------------------------------------------

    def export_path(self, kind: str, suffix: str) -> Path:
        """Where one tap would save now: the exports folder, a name not yet taken."""
        stem = export_stem(kind, self.selected_day(), self.runtime.clock())
        return free_path(self.export_dir, stem, suffix)

    def _saving_failed(self, path: Path, exc: OSError) -> None:
        logger.error("export not saved to %s: %s", path, exc)
        number = exc.errno
        self._set_banner(
            lambda: self.tr("Could not save {path}: {error}").format(
                path=path, error=self._os_error_words(number)
            ),
            error=True,
        )

    def _os_error_words(self, number: int | None) -> str:
        """Why a file could not be saved, in the screen's words (the system's own message
        is English)."""
        if number == errno.ENOSPC:
            return self.tr("the disk is full")
        if number in (errno.EACCES, errno.EPERM):
            return self.tr("no permission to write there")
        if number == errno.EROFS:
            return self.tr("the disk is read-only")
        if number in (errno.ENOENT, errno.ENOTDIR):
            return self.tr("the folder does not exist")
        return self.tr("the file could not be written")

    def _save(
        self, kind: str, suffix: str, path: Path | None, write: Callable[[Path], None]
    ) -> Path:
        """Save a new file: at ``path`` (from the dialog) or in the exports folder; a name
        already taken gets ``-2``… (see kiosk.reports.save_new). Raises OSError."""
        if path is None:
            stem = export_stem(kind, self.selected_day(), self.runtime.clock())
            return save_new(self.export_dir, stem, suffix, write)
        suffix = path.suffix or suffix
        return save_new(path.parent, path.stem if path.suffix else path.name, suffix, write)

    def csv_words(self) -> CsvWords:
        """The CSV's words in the manager's language (values as the header speaks)."""
        model = self.model
        header = [
            self.tr("Time"),
            self.tr("Result"),
            self.tr("Reason"),
            self.tr("Reason code"),
            self.tr("Holder"),
            self.tr("Card format"),
            self.tr("Manual"),
            self.tr("Manual admission reason"),
            self.tr("Name"),
            self.tr("Phone"),
            self.tr("Re-entry"),
            self.tr("Sent"),
        ]
        assert len(header) == len(CSV_HEADER)
        return CsvWords(
            header=header,
            verdicts={verdict: model.verdict_text(verdict) for verdict in Verdict},
            reasons=model.reason_texts(),
            yes=self.tr("yes"),
            no=self.tr("no"),
        )

    def export_csv(self, path: Path | None = None) -> Path | None:
        """Save the rows shown as CSV (in the exports folder, or at ``path``); the banner
        says where, or why not."""
        records = self.model.records()
        words = self.csv_words()
        try:
            saved = self._save(
                CSV_KIND, ".csv", path, lambda target: write_csv(target, records, words)
            )
        except OSError as exc:
            logger.error("CSV export failed: %s", exc)
            self._saving_failed(path or self.export_dir, exc)
            return None
        count = len(records)
        logger.info("exported %d check-ins to CSV", count)
        self._set_banner(
            lambda: self.tr("Saved {n} check-in(s) to {path}.").format(n=count, path=saved),
            error=False,
        )
        return saved

    def report_text(self) -> ReportText:
        summary = self._summary
        settings = self.runtime.settings
        venue_name = settings.venue_name or self.tr("Unnamed venue")
        model = self.model
        return ReportText(
            title=self.tr("Daily check-in report"),
            day=summary.day.isoformat(),
            venue=self.tr("Venue: {name} ({venue}), kiosk {kiosk}").format(
                name=venue_name,
                venue=self.runtime.settings.venue_id or self.runtime.log.venue_id,
                kiosk=self.runtime.log.kiosk_id,
            ),
            date=self.tr("Date: {day}").format(day=summary.day.isoformat()),
            printed=self.tr("Printed: {moment}").format(
                moment=self.runtime.clock().astimezone(CITY_TZ).strftime("%Y-%m-%d %H:%M")
            ),
            counts=[
                (
                    VERDICT_COLOURS[Verdict.GREEN],
                    self.tr("Green: {n}").format(n=summary.counts[Verdict.GREEN]),
                ),
                (
                    VERDICT_COLOURS[Verdict.YELLOW],
                    self.tr("Yellow: {n}").format(n=summary.counts[Verdict.YELLOW]),
                ),
                (
                    VERDICT_COLOURS[Verdict.RED],
                    self.tr("Red: {n}").format(n=summary.counts[Verdict.RED]),
                ),
                (None, self.tr("Manual: {n}").format(n=summary.manual)),
                (None, self.tr("Total: {n}").format(n=summary.total)),
            ],
            chart_title=self.tr("Check-ins by hour"),
            no_check_ins=self.tr("No check-ins on this day"),
            headers=model.headers(),
            rows=[model.cells(record) for record in self._records],
            page=lambda number, pages: self.tr("Page {number} of {pages}").format(
                number=number, pages=pages
            ),
        )

    def export_pdf(self, path: Path | None = None) -> Path | None:
        """Save the whole day's report as PDF (in the exports folder, or at ``path``); the
        banner says where, or why not."""
        text = self.report_text()
        hourly = self._summary.hourly
        pages = 0

        def write(target: Path) -> None:
            nonlocal pages
            pages = write_pdf_report(target, text, hourly)

        try:
            saved = self._save(PDF_KIND, ".pdf", path, write)
        except OSError as exc:
            logger.error("PDF report failed: %s", exc)
            self._saving_failed(path or self.export_dir, exc)
            return None
        logger.info("PDF report written: %d page(s)", pages)
        self._set_banner(
            lambda: self.tr("Saved the report ({n} page(s)) to {path}.").format(
                n=pages, path=saved
            ),
            error=False,
        )
        return saved

    def save_csv_as(self) -> QFileDialog:
        """A save dialog for the CSV, prefilled with where one tap would save it."""
        return self._open_save_dialog(
            self.export_path(CSV_KIND, ".csv"),
            self.tr("Save CSV as"),
            self.tr("CSV files (*.csv)"),
            self.export_csv,
        )

    def save_pdf_as(self) -> QFileDialog:
        """A save dialog for the PDF report, prefilled with where one tap would save it."""
        return self._open_save_dialog(
            self.export_path(PDF_KIND, ".pdf"),
            self.tr("Save PDF report as"),
            self.tr("PDF files (*.pdf)"),
            self.export_pdf,
        )

    def _open_save_dialog(
        self,
        suggested: Path,
        title: str,
        name_filter: str,
        save: Callable[[Path], Path | None],
    ) -> QFileDialog:
        self._close_save_dialog()
        # Qt's own dialog, opened (not exec'd): the idle timeout keeps running, and
        # leaving the view closes it. Existing names are not overwritten but numbered.
        dialog = QFileDialog(self, title, str(suggested.parent), name_filter)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setDefaultSuffix(suggested.suffix.lstrip("."))
        dialog.selectFile(str(suggested))
        dialog.fileSelected.connect(lambda name: save(Path(name)))
        dialog.finished.connect(lambda _result: self._forget_save_dialog(dialog))
        self.save_dialog = dialog
        dialog.open()
        return dialog

    def _forget_save_dialog(self, dialog: QFileDialog) -> None:
        if self.save_dialog is dialog:
            self.save_dialog = None
        dialog.deleteLater()

    def _close_save_dialog(self) -> None:
        dialog = self.save_dialog
        if dialog is not None:
            self.save_dialog = None
            dialog.reject()

    # -- manual admission --------------------------------------------------------------

    def show_manual_admission(self) -> None:
        self._clear_manual_form()
        self._render_messages()
        self.pages.setCurrentWidget(self.manual_page)
        self.manual_details.setFocus()

    def _clear_manual_form(self) -> None:
        for box in self.manual_checks.values():
            box.setChecked(False)
        self.manual_details.clear()
        self.manual_name.clear()
        self.manual_phone.clear()
        self._manual_message = str

    def _cancel_manual(self) -> None:
        self._clear_manual_form()
        self.pages.setCurrentWidget(self.manager_page)
        self._render_messages()

    def manual_reason(self) -> str:
        """What the guard checked, as recorded: the ticked items, then the details."""
        texts = self._check_texts()
        ticked = [texts[key] for key, box in self.manual_checks.items() if box.isChecked()]
        details = " ".join(self.manual_details.text().split())
        reason = "; ".join(ticked)
        if details:
            reason = f"{reason}: {details}" if reason else details
        return reason[:MAX_MANUAL_REASON]

    def _manual_problem_text(self, problem: ManualProblem) -> str:
        return {
            ManualProblem.NO_REASON: self.tr(
                "Enter what you checked: the certificate's number or other details."
            ),
            ManualProblem.REASON_TOO_LONG: self.tr("What you checked is too long."),
            ManualProblem.NO_NAME: self.tr("Enter the person's full name."),
            ManualProblem.NAME_TOO_LONG: self.tr("The name is too long."),
            ManualProblem.NO_PHONE: self.tr("Enter a phone number to reach the person."),
            ManualProblem.BAD_PHONE: self.tr(
                "The phone number is not valid: use 6 to 15 digits, spaces and a leading +."
            ),
        }[problem]

    def manual_problems(self) -> list[ManualProblem]:
        """What is missing or wrong in the form (kiosk.store.log's rule, the station's)."""
        problems = manual_admission_problems(
            self.manual_reason(), self.manual_name.text(), self.manual_phone.text()
        )
        # Ticks alone are not enough: the certificate's number or details are required.
        if not self.manual_details.text().strip() and ManualProblem.NO_REASON not in problems:
            problems.insert(0, ManualProblem.NO_REASON)
        return problems

    def record_manual_admission(self) -> CheckIn | None:
        problems = self.manual_problems()
        if problems:
            self._manual_message = lambda: " ".join(
                self._manual_problem_text(problem) for problem in problems
            )
            self._render_messages()
            return None
        result = self.runtime.station.admit_manually(
            self.manual_reason(), name=self.manual_name.text(), phone=self.manual_phone.text()
        )
        if result.record is None:
            logger.error("manual admission not recorded: %s", result.error)
            code = result.error_code
            # The store's own message is English for the log; the manager reads words.
            self._manual_message = lambda: self.tr(
                "The admission was NOT recorded: {error}"
            ).format(error=not_recorded_words(code, QCoreApplication.translate))
            self._render_messages()
            return None
        record = result.record
        logger.info("manual admission recorded: %s", record.uuid)
        self._clear_manual_form()
        self.pages.setCurrentWidget(self.manager_page)
        self.show_today()
        self._set_banner(
            lambda: self.tr("Manual admission recorded at {time}.").format(
                time=_clock_time(record.at)
            ),
            error=False,
        )
        return record


def _scale_font(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    font = widget.font()
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)
