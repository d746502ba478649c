"""The technician's provisioning wizard: an embedded widget, never a modal dialog.

Pages on a :class:`QStackedWidget` with Back / Next: venue, city platform (root key and
enrollment), offline bundle import, camera (live preview, decode test), decoder, the
manager PIN (typed twice) and the self-test. Every step is a function of
:mod:`kiosk.provisioning`; whatever may wait on the network, a camera or a large file
(or hashes a PIN) runs on a worker thread and reports back through a queued signal, so
the GUI thread never blocks. Errors are shown on the page itself.
:attr:`ProvisioningWizard.finished` is emitted when the technician is done (the app then
returns to the guard screen and reloads its settings and trust data).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QObject,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QHideEvent, QImage, QPixmap, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk import provisioning
from kiosk.config import Settings
from kiosk.errors import KioskError
from kiosk.paths import Paths
from kiosk.pin import PinProblem, new_pin_problem
from kiosk.scanner.decoders import AUTO, PYZBAR, ZXING, Image
from kiosk.scanner.sources import SourceState
from kiosk.sync.device import Enrollment
from kiosk.ui.sound import PlayerSound
from kiosk.verify.installed import InstallOutcome

logger = logging.getLogger(__name__)

PREVIEW_WIDTH: Final = 480
PREVIEW_FPS: Final = 15.0
DECODE_TEST_FRAMES: Final = 30
#: Seconds the preview waits for a first frame before it says there is no picture.
CAMERA_TIMEOUT: Final = 3.0
#: How often the preview looks again for a camera whose device node is missing.
CAMERA_POLL: Final = 0.5
#: What :attr:`_Preview.missing` says: no device node, or a device that shows nothing.
ABSENT, SILENT = "absent", "silent"


# --- work off the GUI thread -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker-thread call came back with: a value, or an error to show."""

    value: object = None
    error: str | None = None
    # The error itself, when the call raised a KioskError (its code says it in words).
    failure: KioskError | None = None


class _Task(QObject):
    """One call on a worker thread; its outcome reaches ``on_done`` on the GUI thread.

    The signal is connected to a method of this object, which lives on the GUI thread,
    so Qt queues the delivery there whatever thread emits it."""

    _done = Signal(object)

    def __init__(
        self, parent: QObject, work: Callable[[], object], on_done: Callable[[Outcome], None]
    ) -> None:
        super().__init__(parent)
        self._work = work
        self._on_done = on_done
        self._done.connect(self._deliver)
        threading.Thread(target=self._run, name="kiosk-wizard-task", daemon=True).start()

    def _run(self) -> None:
        try:
            outcome = Outcome(self._work())
        except KioskError as exc:
            outcome = Outcome(error=str(exc), failure=exc)
        except Exception as exc:  # shown on the page, not a traceback on screen
            logger.exception("wizard task failed")
            outcome = Outcome(error=f"internal error: {type(exc).__name__}: {exc}")
        try:
            self._done.emit(outcome)
        except RuntimeError:  # the wizard was closed and deleted meanwhile
            logger.debug("wizard gone before its task finished")

    def _deliver(self, outcome: Outcome) -> None:
        self._on_done(outcome)
        self.deleteLater()


def to_qimage(image: Image, max_width: int = PREVIEW_WIDTH) -> QImage:
    """A camera frame (grey, BGR or BGRA) as a QImage of its own, at most ``max_width``."""
    image = np.ascontiguousarray(image)
    height, width = image.shape[:2]
    if image.ndim == 2:
        fmt = QImage.Format.Format_Grayscale8
    elif image.shape[2] == 4:
        fmt = QImage.Format.Format_ARGB32  # BGRA in memory on little-endian machines
    else:
        fmt = QImage.Format.Format_BGR888
    view = QImage(image.data, width, height, image.strides[0], fmt)
    if width > max_width:
        return view.scaledToWidth(max_width, Qt.TransformationMode.SmoothTransformation)
    return view.copy()  # detach from the numpy buffer


class _Preview(QObject):
    """Frames from a camera on a worker thread, newest first: a frame is sent only when
    the GUI has shown the previous one, so no queue of stale frames can grow."""

    frame = Signal(QImage)
    # Why the preview stopped: a KioskError, an English text, or "" (stopped on purpose).
    stopped = Signal(object)
    #: No camera: ABSENT (no device node: reported at once) or SILENT (no frame within
    #: ``no_frame_after`` seconds). The preview keeps trying; a frame replaces the message.
    missing = Signal(str)

    def __init__(
        self,
        parent: QObject,
        spec: str,
        resolution: tuple[int, int],
        no_frame_after: float = CAMERA_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self._resolution = resolution
        self._no_frame_after = no_frame_after
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._ready.set()
        self._thread = threading.Thread(target=self._run, name="kiosk-preview", daemon=True)

    def start(self) -> None:
        """Start reading (after connecting to the signals, so that none is missed)."""
        self._thread.start()

    def shown(self) -> None:
        self._ready.set()

    def stop(self) -> None:
        self._stop.set()

    def wait(self, timeout: float) -> bool:
        """From a worker thread only: wait until the camera is released."""
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _emit(self, signal: SignalInstance, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the wizard was deleted
            self._stop.set()

    def _run(self) -> None:
        if provisioning.camera_missing(self.spec) is not None:
            # Not opened at all while there is no device: OpenCV would only retry in vain.
            self._emit(self.missing, ABSENT)
            while provisioning.camera_missing(self.spec) is not None:
                if self._stop.wait(CAMERA_POLL):
                    self._emit(self.stopped, "")
                    return
        try:
            source = provisioning.open_camera(self.spec, resolution=self._resolution)
        except KioskError as exc:
            self._emit(self.stopped, exc)
            return
        interval = 1.0 / PREVIEW_FPS
        why: KioskError | str = ""
        deadline: float | None = time.monotonic() + self._no_frame_after
        try:
            while not self._stop.is_set():
                started = time.monotonic()
                frame = source.read()
                if deadline is not None and (frame is not None or started > deadline):
                    if frame is None:
                        self._emit(self.missing, SILENT)
                    deadline = None
                if frame is None:
                    if source.state is SourceState.ENDED:  # a video file: play it again
                        source.close()
                        source = provisioning.open_camera(self.spec, resolution=self._resolution)
                    self._stop.wait(0.02)
                    continue
                if self._ready.is_set():
                    self._ready.clear()
                    self._emit(self.frame, to_qimage(frame.image))
                self._stop.wait(max(0.0, interval - (time.monotonic() - started)))
        except KioskError as exc:
            why = exc
        except Exception as exc:
            logger.exception("camera preview failed")
            why = f"internal error: {type(exc).__name__}: {exc}"
        finally:
            source.close()
        self._emit(self.stopped, why)


# --- the wizard --------------------------------------------------------------------------


VENUE, PLATFORM, BUNDLE, CAMERA, DECODER, PIN, SELFTEST = range(7)


class ProvisioningWizard(QWidget):
    """Venue, platform, bundle, camera, decoder, manager PIN and self-test pages with
    Back / Next. ``camera_timeout``: seconds the preview waits for a first frame."""

    finished = Signal()
    # Emitted when a step changed what the running kiosk should reload (settings, trust).
    changed = Signal()

    def __init__(
        self,
        paths: Paths,
        parent: QWidget | None = None,
        *,
        timeout: float = 10.0,
        camera_timeout: float = CAMERA_TIMEOUT,
    ) -> None:
        super().__init__(parent)
        self.paths = paths
        self._timeout = timeout
        self._camera_timeout = camera_timeout
        self._renders: dict[QLabel, Callable[[], str]] = {}
        self._preview: _Preview | None = None
        self._report: provisioning.SelfTestReport | None = None
        self._busy: set[str] = set()
        settings = self._settings()
        enrollment = self._enrollment()

        self.heading = QLabel()
        self.heading.setObjectName("wizardHeading")
        self.pages = QStackedWidget()
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.finish_button = QPushButton()
        self.close_button = QPushButton()
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.finish_button.clicked.connect(self.finish)
        self.close_button.clicked.connect(self.finish)
        buttons = QHBoxLayout()
        buttons.addWidget(self.close_button)
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.finish_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        self._build_venue_page(settings)
        self._build_platform_page(enrollment)
        self._build_bundle_page()
        self._build_camera_page(settings)
        self._build_decoder_page(settings)
        self._build_pin_page()
        self._build_selftest_page()

        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(400)
        self._preview_timer.timeout.connect(self._restart_preview)
        self.camera_combo.currentTextChanged.connect(lambda _: self._preview_timer.start())

        self._retranslate()
        self._show_page(VENUE)

    # -- small helpers ---------------------------------------------------------------

    def _settings(self) -> Settings:
        try:
            return Settings.load(self.paths)
        except KioskError:
            logger.warning("settings unreadable; the wizard starts from defaults")
            return Settings()

    def _enrollment(self) -> Enrollment | None:
        try:
            return Enrollment.load(self.paths.data / "enrollment.json")
        except KioskError:
            return None

    def _say(self, label: QLabel, render: Callable[[], str], *, error: bool = False) -> None:
        """Show a message that is rendered again when the language changes."""
        self._renders[label] = render
        label.setProperty("error", error)
        label.setStyleSheet("color: #b00020;" if error else "")
        label.setText(render())

    def _run(
        self, key: str, work: Callable[[], object], on_done: Callable[[Outcome], None]
    ) -> bool:
        """Run ``work`` on a worker thread unless a task of the same kind still runs."""
        if key in self._busy:
            return False
        self._busy.add(key)

        def done(outcome: Outcome) -> None:
            self._busy.discard(key)
            on_done(outcome)
            self._update_buttons()

        _Task(self, work, done)
        self._update_buttons()
        return True

    def busy(self, key: str | None = None) -> bool:
        """Whether a worker task (of this kind: enroll, pin, import, decode, cameras,
        managerpin, selftest) is still running."""
        return bool(self._busy) if key is None else key in self._busy

    # -- pages -----------------------------------------------------------------------

    def _build_venue_page(self, settings: Settings) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.venue_id_edit = QLineEdit(settings.venue_id or "")
        self.venue_name_edit = QLineEdit(settings.venue_name or "")
        self.category_combo = QComboBox()
        self.venue_error = QLabel()
        self.venue_error.setWordWrap(True)
        self.venue_id_label, self.venue_name_label, self.category_label = (
            QLabel(),
            QLabel(),
            QLabel(),
        )
        form.addRow(self.venue_id_label, self.venue_id_edit)
        form.addRow(self.venue_name_label, self.venue_name_edit)
        form.addRow(self.category_label, self.category_combo)
        form.addRow(self.venue_error)
        self._wanted_category = settings.venue_category
        self.pages.addWidget(page)

    def _fill_categories(self) -> None:
        current = self.category_combo.currentData() or self._wanted_category
        self.category_combo.clear()
        language = self.tr("en", "language code of this translation: vi for Vietnamese")
        for code, category in sorted(provisioning.known_categories(self.paths).items()):
            name = category.name.get(language) or category.name.get("en") or code
            self.category_combo.addItem(f"{name} ({code})", code)
        index = self.category_combo.findData(current)
        self.category_combo.setCurrentIndex(max(index, 0))

    def _build_platform_page(self, enrollment: Enrollment | None) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.url_edit = QLineEdit(enrollment.platform_url if enrollment else "")
        self.url_edit.setPlaceholderText("https://")
        self.token_edit = QLineEdit()
        self.kiosk_name_edit = QLineEdit(enrollment.kiosk_name if enrollment else "")
        self.root_edit = QLineEdit()
        self.replace_root_check = QCheckBox()
        self.pin_button = QPushButton()
        self.enroll_button = QPushButton()
        self.pin_button.clicked.connect(self.pin_root)
        self.enroll_button.clicked.connect(self.enroll)
        self.platform_status = QLabel()
        self.platform_status.setWordWrap(True)
        self.platform_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.url_label, self.token_label, self.kiosk_name_label, self.root_label = (
            QLabel(),
            QLabel(),
            QLabel(),
            QLabel(),
        )
        root_row = QHBoxLayout()
        root_row.addWidget(self.root_edit, 1)
        root_row.addWidget(self.pin_button)
        form.addRow(self.root_label, root_row)
        form.addRow(self.replace_root_check)
        form.addRow(self.url_label, self.url_edit)
        form.addRow(self.token_label, self.token_edit)
        form.addRow(self.kiosk_name_label, self.kiosk_name_edit)
        form.addRow(self.enroll_button)
        form.addRow(self.platform_status)
        self.pages.addWidget(page)

    def _build_bundle_page(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.bundle_edit = QLineEdit()
        self.bundle_edit.setPlaceholderText("/media/usb/bundle-7.cose")
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.import_bundle)
        self.bundle_intro = QLabel()
        self.bundle_intro.setWordWrap(True)
        self.bundle_status = QLabel()
        self.bundle_status.setWordWrap(True)
        self.bundle_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.bundle_edit, 1)
        row.addWidget(self.import_button)
        form.addRow(self.bundle_intro)
        form.addRow(self.bundle_label, row)
        form.addRow(self.bundle_status)
        self.pages.addWidget(page)

    def _build_camera_page(self, settings: Settings) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.camera_combo = QComboBox()
        self.camera_combo.setEditable(True)
        self.camera_combo.addItems(self._offered_extras())
        self.camera_combo.setEditText(settings.camera)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.refresh_cameras)
        row = QHBoxLayout()
        row.addWidget(self.camera_combo, 1)
        row.addWidget(self.refresh_button)
        self.width_spin, self.height_spin = QSpinBox(), QSpinBox()
        for spin, value in (
            (self.width_spin, settings.camera_width),
            (self.height_spin, settings.camera_height),
        ):
            spin.setRange(64, 8192)
            spin.setValue(value)
        size = QHBoxLayout()
        size.addWidget(self.width_spin)
        size.addWidget(QLabel("×"))
        size.addWidget(self.height_spin)
        size.addStretch(1)
        self.camera_label, self.size_label = QLabel(), QLabel()
        form.addRow(self.camera_label, row)
        form.addRow(self.size_label, size)
        layout.addLayout(form)
        self.preview_label = QLabel()
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumSize(PREVIEW_WIDTH, PREVIEW_WIDTH * 9 // 16)
        self.preview_label.setStyleSheet("background: #202020; color: #e0e0e0;")
        layout.addWidget(self.preview_label, 1)
        self.decode_button = QPushButton()
        self.decode_button.clicked.connect(self.test_decoding)
        self.camera_status = QLabel()
        self.camera_status.setWordWrap(True)
        layout.addWidget(self.decode_button)
        layout.addWidget(self.camera_status)
        self.pages.addWidget(page)
        self.frames_shown = 0

    def _build_decoder_page(self, settings: Settings) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.decoder_group = QButtonGroup(self)
        self.decoder_buttons: dict[str, QRadioButton] = {}
        for name in (AUTO, ZXING, PYZBAR):
            button = QRadioButton()
            button.setProperty("decoder", name)
            self.decoder_group.addButton(button)
            self.decoder_buttons[name] = button
            layout.addWidget(button)
        self.decoder_buttons.get(settings.decoder, self.decoder_buttons[AUTO]).setChecked(True)
        self.decoder_error = QLabel()
        self.decoder_error.setWordWrap(True)
        layout.addWidget(self.decoder_error)
        layout.addStretch(1)
        self.pages.addWidget(page)

    def _build_pin_page(self) -> None:
        page = QWidget()
        form = QFormLayout(page)
        self.pin_intro = QLabel()
        self.pin_intro.setWordWrap(True)
        digits = QRegularExpression("[0-9]{0,8}")
        self.pin_edit, self.pin_again_edit = QLineEdit(), QLineEdit()
        for edit in (self.pin_edit, self.pin_again_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(8)
            edit.setValidator(QRegularExpressionValidator(digits, edit))
        self.pin_label, self.pin_again_label = QLabel(), QLabel()
        self.pin_status = QLabel()
        self.pin_status.setWordWrap(True)
        form.addRow(self.pin_intro)
        form.addRow(self.pin_label, self.pin_edit)
        form.addRow(self.pin_again_label, self.pin_again_edit)
        form.addRow(self.pin_status)
        self.pages.addWidget(page)

    def _build_selftest_page(self) -> None:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.selftest_button = QPushButton()
        self.selftest_button.clicked.connect(self.run_self_test)
        self.selftest_list = QListWidget()
        self.selftest_list.setWordWrap(True)
        self.selftest_summary = QLabel()
        self.selftest_summary.setWordWrap(True)
        layout.addWidget(self.selftest_button)
        layout.addWidget(self.selftest_list, 1)
        layout.addWidget(self.selftest_summary)
        self.pages.addWidget(page)

    # -- translation -----------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _titles(self) -> list[str]:
        return [
            self.tr("Venue"),
            self.tr("City platform"),
            self.tr("Trust bundle from a file"),
            self.tr("Camera"),
            self.tr("QR decoder"),
            self.tr("Manager PIN"),
            self.tr("Self-test"),
        ]

    def _retranslate(self) -> None:
        self.back_button.setText(self.tr("Back"))
        self.next_button.setText(self.tr("Next"))
        self.finish_button.setText(self.tr("Finish"))
        self.close_button.setText(self.tr("Close"))
        self.venue_id_label.setText(self.tr("Venue id"))
        self.venue_id_edit.setPlaceholderText(self.tr("as issued by the city, e.g. HCM-Q1-000123"))
        self.venue_name_label.setText(self.tr("Venue name"))
        self.category_label.setText(self.tr("Venue category"))
        self.root_label.setText(self.tr("City root key file"))
        self.root_edit.setPlaceholderText(self.tr("path to city-root.pub"))
        self.replace_root_check.setText(
            self.tr("Replace a different root key already pinned (re-provisioning)")
        )
        self.pin_button.setText(self.tr("Pin root key"))
        self.url_label.setText(self.tr("Platform URL"))
        self.token_label.setText(self.tr("Enrollment token"))
        self.kiosk_name_label.setText(self.tr("Kiosk name"))
        self.kiosk_name_edit.setPlaceholderText(self.tr("e.g. Entrance A"))
        self.enroll_button.setText(self.tr("Enroll"))
        self.bundle_intro.setText(
            self.tr(
                "Without a network, install the city's signed trust bundle from a file, "
                "e.g. on a USB stick. The city root key must be pinned first."
            )
        )
        self.bundle_label.setText(self.tr("Bundle file"))
        self.import_button.setText(self.tr("Import"))
        self.camera_label.setText(self.tr("Camera"))
        self.camera_combo.setToolTip(
            self.tr("0, /dev/video0, video:FILE, folder:DIR, synthetic, stdin or serial:PORT")
        )
        self.refresh_button.setText(self.tr("Find cameras"))
        self.size_label.setText(self.tr("Resolution"))
        self.decode_button.setText(self.tr("Test decoding"))
        descriptions = {
            AUTO: self.tr("Automatic (recommended): zxing-cpp, else pyzbar"),
            ZXING: self.tr("zxing-cpp"),
            PYZBAR: self.tr("pyzbar (needs the system library libzbar0)"),
        }
        for name, button in self.decoder_buttons.items():
            button.setText(descriptions[name])
        self.pin_intro.setText(
            self.tr(
                "The venue manager opens the manager view with this PIN (4 to 8 digits). "
                "Enter it twice. A forgotten PIN: kiosk pin reset on this machine's shell."
            )
        )
        self.pin_label.setText(self.tr("Manager PIN"))
        self.pin_again_label.setText(self.tr("The same PIN again"))
        self.selftest_button.setText(self.tr("Run the self-test again"))
        for label, render in self._renders.items():
            label.setText(render())
        if self._report is not None:
            self._show_report(self._report)
        if self.category_combo.count():
            self._fill_categories()
        self._update_heading()

    def _update_heading(self) -> None:
        index = self.pages.currentIndex()
        titles = self._titles()
        self.heading.setText(
            self.tr("Provisioning, step {step} of {total}: {title}").format(
                step=index + 1, total=len(titles), title=titles[index]
            )
        )

    def _update_buttons(self) -> None:
        index = self.pages.currentIndex()
        self.back_button.setEnabled(index > VENUE)
        self.next_button.setVisible(index < SELFTEST)
        self.finish_button.setVisible(index == SELFTEST)
        self.pin_button.setEnabled("pin" not in self._busy and "enroll" not in self._busy)
        self.enroll_button.setEnabled("enroll" not in self._busy and "pin" not in self._busy)
        self.import_button.setEnabled("import" not in self._busy)
        self.decode_button.setEnabled("decode" not in self._busy)
        self.refresh_button.setEnabled("cameras" not in self._busy)
        self.selftest_button.setEnabled("selftest" not in self._busy)
        self.next_button.setEnabled("managerpin" not in self._busy)

    # -- navigation ------------------------------------------------------------------

    def _show_page(self, index: int) -> None:
        leaving = self.pages.currentIndex()
        if leaving == CAMERA and index != CAMERA:
            self.stop_preview()
        self.pages.setCurrentIndex(index)
        if index == VENUE:
            self._fill_categories()
        elif index == CAMERA:
            if self.camera_combo.count() <= 1:
                self.refresh_cameras()
            self._restart_preview()
        elif index == PIN:
            self._show_pin_state()
        elif index == SELFTEST:
            self.run_self_test()
        self._update_heading()
        self._update_buttons()

    def next(self) -> None:
        """Apply the current page (venue, camera, decoder) and go on; stay on an error."""
        index = self.pages.currentIndex()
        if index == VENUE and not self._apply_venue():
            return
        if index == CAMERA and not self._apply_camera():
            return
        if index == DECODER and not self._apply_decoder():
            return
        if index == PIN:
            self._apply_pin()  # on a worker thread: it moves on by itself when done
            return
        if index < SELFTEST:
            self._show_page(index + 1)

    def back(self) -> None:
        if self.pages.currentIndex() > VENUE:
            self._show_page(self.pages.currentIndex() - 1)

    def go_to(self, index: int) -> None:
        """Jump to a page without applying the current one (tests, a re-provisioning menu)."""
        self._show_page(index)

    def finish(self) -> None:
        """Done (or abandoned): back to the first page for next time, then ``finished``."""
        self.stop_preview()
        self._show_page(VENUE)
        self.finished.emit()

    def _apply(self, label: QLabel, step: Callable[[], object]) -> bool:
        try:
            step()
        except KioskError as exc:
            failure = exc  # ``exc`` is unbound after the except block
            self._say(label, lambda: self.error_text(failure), error=True)
            return False
        self._say(label, lambda: "")
        self.changed.emit()
        return True

    def _apply_venue(self) -> bool:
        return self._apply(
            self.venue_error,
            lambda: provisioning.set_venue(
                self.paths,
                self.venue_id_edit.text(),
                self.venue_name_edit.text(),
                str(self.category_combo.currentData() or ""),
            ),
        )

    def _apply_camera(self) -> bool:
        spec = self.camera_combo.currentText().strip()
        if spec == provisioning.SYNTHETIC and provisioning.demo_camera_problem(self.paths):
            self._say(self.camera_status, self._synthetic_refused, error=True)
            return False
        return self._apply(
            self.camera_status,
            lambda: provisioning.set_camera(
                self.paths,
                self.camera_combo.currentText(),
                self.width_spin.value(),
                self.height_spin.value(),
            ),
        )

    def _synthetic_refused(self) -> str:
        return self.tr(
            "The synthetic demo camera shows demo cards, not visitors': a provisioned kiosk "
            "cannot use it. Choose a real camera."
        )

    def _offered_extras(self) -> list[str]:
        """What the camera list offers besides the cameras found: the demo camera, only
        where it is allowed (a kiosk that is not provisioned, the demo kiosk)."""
        return [] if provisioning.demo_camera_problem(self.paths) else [provisioning.SYNTHETIC]

    # -- manager PIN -----------------------------------------------------------------

    def _show_pin_state(self) -> None:
        try:
            is_set = provisioning.manager_pin_is_set(self.paths)
        except KioskError as exc:
            failure = exc  # ``exc`` is unbound after the except block
            self._say(self.pin_status, lambda: self.error_text(failure), error=True)
            return
        if is_set:
            self._say(
                self.pin_status,
                lambda: self.tr(
                    "A manager PIN is set. Enter a new one twice to change it, or go on to keep it."
                ),
            )
        else:
            self._say(self.pin_status, lambda: self.tr("No manager PIN is set yet."))

    def _apply_pin(self) -> None:
        """Check the two PINs; set the PIN on a worker thread, then go on to the self-test.
        Both fields empty keeps a PIN already set."""
        pin, again = self.pin_edit.text(), self.pin_again_edit.text()
        if not pin and not again:
            try:
                is_set = provisioning.manager_pin_is_set(self.paths)
            except KioskError:
                is_set = False
            if is_set:
                self._show_page(PIN + 1)
                return
            self._say(
                self.pin_status,
                lambda: self.tr("Set the manager PIN: without one the manager view stays closed."),
                error=True,
            )
            return
        problem = new_pin_problem(pin, again)
        if problem is PinProblem.FORMAT:
            self._say(self.pin_status, lambda: self.tr("A PIN is 4 to 8 digits."), error=True)
            return
        if problem is PinProblem.MISMATCH:
            self.pin_again_edit.clear()
            self._say(
                self.pin_status,
                lambda: self.tr("The two PINs differ: enter the same PIN twice."),
                error=True,
            )
            return

        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(self.pin_status, lambda: self.outcome_error(outcome), error=True)
                return
            self.pin_edit.clear()
            self.pin_again_edit.clear()
            self._say(self.pin_status, lambda: self.tr("Manager PIN set."))
            self.changed.emit()
            if self.pages.currentIndex() == PIN:
                self._show_page(PIN + 1)

        self._say(self.pin_status, lambda: self.tr("Setting the manager PIN…"))
        self._run("managerpin", lambda: provisioning.set_manager_pin(self.paths, pin, again), done)

    def _decoder_choice(self) -> str:
        button = self.decoder_group.checkedButton()
        return str(button.property("decoder")) if button is not None else AUTO

    def _apply_decoder(self) -> bool:
        name = self._decoder_choice()
        return self._apply(self.decoder_error, lambda: provisioning.set_decoder(self.paths, name))

    # -- errors in words -------------------------------------------------------------

    def error_text(self, error: KioskError) -> str:
        """A lower layer's error in the wizard's language: its code worded with its
        values; an error without a code the wizard knows keeps its English message."""
        words = self._error_words().get(error.code or "")
        if words is None:
            return str(error)
        try:
            return words(error.values)
        except (KeyError, IndexError, ValueError):
            logger.warning("error %r does not fit its values", error.code)
            return str(error)

    def outcome_error(self, outcome: Outcome) -> str:
        """A failed worker task's error in words (an internal error stays as it is)."""
        if outcome.failure is not None:
            return self.error_text(outcome.failure)
        return outcome.error or ""

    def detail_text(self, detail: provisioning.Detail) -> str:
        """An enrollment's note or problem in words; its English text for a code (or an
        inner error's code) without words here."""
        words = self._enroll_detail_words().get(detail.code)
        inner = detail.values.get("error_code")
        if words is None or (inner is not None and inner not in self._error_words()):
            return detail.text
        try:
            return words(detail.values)
        except (KeyError, IndexError, ValueError):
            logger.warning("enrollment detail %r does not fit its values", detail.code)
            return detail.text

    def error_codes(self) -> frozenset[str]:
        """The error codes and enrollment detail codes the wizard has words for."""
        return frozenset(self._error_words()) | frozenset(self._enroll_detail_words())

    def _field(self, values: Mapping[str, str]) -> str:
        fields = {
            "venue_id": self.tr("the venue id"),
            "venue_name": self.tr("the venue name"),
            "token": self.tr("the enrollment token"),
            "kiosk_name": self.tr("the kiosk name"),
        }
        return fields[values["field"]]

    def _refused(self, values: Mapping[str, str]) -> str:
        """The platform's refusal of an enrollment, by the platform's own error code."""
        refusals = {
            "token_invalid": lambda: self.tr(
                "the platform refused the enrollment token: it is unknown or has expired"
            ),
            "token_used": lambda: self.tr(
                "the platform refused the enrollment token: it was already used "
                "(each token works once)"
            ),
            "token_venue_mismatch": lambda: self.tr(
                "the platform refused the enrollment token: it was issued for another venue"
            ),
            "kiosk_disabled": lambda: self.tr(
                "the platform refused: this kiosk was disabled by the city"
            ),
        }
        refusal = refusals.get(values["error"])
        if refusal is not None:
            return refusal()
        return self.tr("the platform refused the enrollment (the platform's code: {error})").format(
            error=values["error"]
        )

    def _camera_size(self, values: Mapping[str, str]) -> str:
        what = {"width": self.tr("width"), "height": self.tr("height")}[values["what"]]
        return self.tr("the camera {what} {value} is not between 64 and 8192 pixels").format(
            what=what, value=values["value"]
        )

    def _error_words(self) -> dict[str, Callable[[Mapping[str, str]], str]]:
        """Error code (kiosk.errors.ERROR_CODES) -> its words (``self.tr`` literals)."""
        return {
            "platform_timeout": lambda v: self.tr("the city platform did not answer in time"),
            "platform_unreachable": lambda v: self.tr(
                "the city platform cannot be reached (is the network up?)"
            ),
            "platform_unavailable": lambda v: self.tr(
                "the city platform is unavailable now (HTTP {status}); try again later"
            ).format(status=v["status"]),
            "platform_bad_reply": lambda v: self.tr(
                "the city platform gave a reply the kiosk cannot read"
            ),
            "platform_url_invalid": lambda v: self.tr(
                "the platform URL {url} is not valid: it starts with https:// (or http://)"
            ).format(url=repr(v["url"])),
            "platform_url_plain_http": lambda v: self.tr(
                "the platform URL {url} is plain http to another machine: use https://"
            ).format(url=repr(v["url"])),
            "not_enrolled": lambda v: self.tr("this kiosk is not enrolled with a city platform"),
            "enroll_unreachable": lambda v: self.tr(
                "cannot reach the platform at {url}: is the address right and the network up?"
            ).format(url=v["url"]),
            "enroll_timeout": lambda v: self.tr(
                "the platform at {url} did not answer in time"
            ).format(url=v["url"]),
            "enroll_refused": self._refused,
            "enroll_no_kiosk_id": lambda v: self.tr(
                "the platform's reply to the enrollment has no kiosk id"
            ),
            "enroll_queue_undelivered": lambda v: self.tr(
                "{count} check-in(s) recorded at venue {venue} have not reached the platform "
                "yet: connect the kiosk and sync before moving it to {new_venue}"
            ).format(**v),
            "root_not_pinned": lambda v: self.tr(
                "no city root key is pinned: pin the city root key first"
            ),
            "root_different": lambda v: self.tr(
                "a different city root key is already pinned: to re-provision, tick "
                "'Replace a different root key already pinned'"
            ),
            "root_unreadable": lambda v: self.tr("cannot read the root key file {file}").format(
                file=v["file"]
            ),
            "root_not_a_key": lambda v: self.tr(
                "{file} is not a public key file (PEM or DER)"
            ).format(file=v["file"]),
            "trust_corrupt": lambda v: self.tr("the trust data file {file} is damaged").format(
                file=v["file"]
            ),
            "trust_file_unsafe": lambda v: self.tr(
                "{file} is a link or may be written by every user: refused"
            ).format(file=v["file"]),
            "bundle_unreadable": lambda v: self.tr("cannot read the bundle file {file}").format(
                file=v["file"]
            ),
            "bundle_not_a_bundle": lambda v: self.tr("the file is not a trust bundle"),
            "bundle_wrong_algorithm": lambda v: self.tr(
                "the bundle is not signed with the pinned city root key's algorithm"
            ),
            "bundle_bad_signature": lambda v: self.tr(
                "the bundle is not signed by the pinned city root key"
            ),
            "bundle_invalid": lambda v: self.tr("the bundle's content is invalid"),
            "bundle_wrong_kind": lambda v: self.tr("the signed document is not a trust bundle"),
            "bundle_rollback": lambda v: self.tr(
                "bundle version {version} is older than version {highest} already "
                "accepted: refusing to roll back"
            ).format(version=v["version"], highest=v["highest"]),
            "bundle_same_version": lambda v: self.tr(
                "bundle version {version} was already accepted with other content"
            ).format(version=v["version"]),
            "text_empty": lambda v: self.tr("{field} must not be empty").format(
                field=self._field(v)
            ),
            "text_too_long": lambda v: self.tr("{field} is longer than {limit} characters").format(
                field=self._field(v), limit=v["limit"]
            ),
            "text_control": lambda v: self.tr("{field} must not contain control characters").format(
                field=self._field(v)
            ),
            "venue_category_unknown": lambda v: self.tr(
                "the venue category {category} is unknown: choose one from the list"
            ).format(category=repr(v["category"])),
            "camera_empty": lambda v: self.tr("enter a camera"),
            "camera_no_video_file": lambda v: self.tr("there is no video file {file}").format(
                file=v["file"]
            ),
            "camera_no_folder": lambda v: self.tr("there is no folder {folder}").format(
                folder=v["folder"]
            ),
            "camera_not_found": lambda v: self.tr(
                "there is no camera {camera}: give an index (0), a device (/dev/video0), "
                "video:FILE or folder:DIR"
            ).format(camera=repr(v["camera"])),
            "camera_is_scanner": lambda v: self.tr(
                "{camera} is a hardware scanner, not a camera: it gives no picture"
            ).format(camera=v["camera"]),
            "camera_demo_refused": lambda v: self._synthetic_refused(),
            "camera_size": self._camera_size,
            "decoder_unknown": lambda v: self.tr("unknown QR decoder {decoder}").format(
                decoder=repr(v["decoder"])
            ),
            "decoder_unavailable": lambda v: self.tr(
                "the QR decoder {decoder} cannot be loaded on this machine "
                "(is its library installed?)"
            ).format(decoder=v["decoder"]),
            "pin_refused": lambda v: self.tr("A PIN is 4 to 8 digits."),
            "pin_mismatch": lambda v: self.tr("The two PINs differ: enter the same PIN twice."),
        }

    def _inner_error(self, values: Mapping[str, str]) -> str:
        """The words of the error a detail is about (its code is ``error_code``)."""
        return self._error_words()[values["error_code"]](values)

    def _enroll_detail_words(self) -> dict[str, Callable[[Mapping[str, str]], str]]:
        """Enrollment detail code (provisioning.ENROLL_DETAIL_CODES) -> its words."""
        return {
            "drift_not_measured": lambda v: self.tr(
                "The clock difference to the platform was not measured."
            ),
            "moved_after_delivering": lambda v: self.tr(
                "Delivered {count} check-in(s) recorded at venue {venue} before moving."
            ).format(**v),
            "bundle_none_newer": lambda v: self.tr("The platform has no newer trust bundle."),
            "bundle_not_published": lambda v: self.tr(
                "the platform at {url} publishes no trust bundle yet: its operator publishes "
                "one (cityplatform publish --issuer ISSUER.pub), then run kiosk sync"
            ).format(url=v["url"]),
            "bundle_fetch_failed": lambda v: self.tr(
                "the trust bundle could not be fetched: {reason} (run kiosk sync later)"
            ).format(reason=self._inner_error(v)),
            "bundle_refused": lambda v: self.tr(
                "the platform's trust bundle was refused: {reason} "
                "(is the pinned root key the platform's?)"
            ).format(reason=self._inner_error(v)),
        }

    # -- platform and trust ----------------------------------------------------------

    def _root_path(self) -> Path | None:
        text = self.root_edit.text().strip()
        return Path(text) if text else None

    def pin_root(self) -> None:
        root = self._root_path()
        if root is None:
            self._say(
                self.platform_status, lambda: self.tr("Enter the root key file first."), error=True
            )
            return
        replace = self.replace_root_check.isChecked()

        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(self.platform_status, lambda: self.outcome_error(outcome), error=True)
                return
            kid = outcome.value
            self._say(
                self.platform_status,
                lambda: self.tr("Pinned the city root key {kid}.").format(kid=kid),
            )
            self.changed.emit()

        self._say(self.platform_status, lambda: self.tr("Pinning the root key…"))

        def work() -> str:
            return provisioning.pin_root(self.paths, root, replace_pinned=replace).kid.hex()

        self._run("pin", work, done)

    def enroll(self) -> None:
        """Pin the root key (when a file is given), then enroll, on a worker thread."""
        root = self._root_path()
        replace = self.replace_root_check.isChecked()
        url, token = self.url_edit.text(), self.token_edit.text()
        venue_id = self.venue_id_edit.text() or (self._settings().venue_id or "")
        name = self.kiosk_name_edit.text() or self.venue_name_edit.text()
        timeout = self._timeout

        def work() -> provisioning.EnrollResult:
            if root is not None:
                provisioning.pin_root(self.paths, root, replace_pinned=replace)
            return provisioning.enroll(self.paths, url, token, venue_id, name, timeout=timeout)

        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(
                    self.platform_status,
                    lambda: self.tr("Enrollment failed: {error}").format(
                        error=self.outcome_error(outcome)
                    ),
                    error=True,
                )
                return
            result = outcome.value
            assert isinstance(result, provisioning.EnrollResult)
            self.token_edit.clear()  # a token works once
            self._say(
                self.platform_status,
                lambda: self._enrolled_text(result),
                error=result.bundle_problem is not None,
            )
            self.changed.emit()

        self._say(self.platform_status, lambda: self.tr("Enrolling with the platform…"))
        self._run("enroll", work, done)

    def _enrolled_text(self, result: provisioning.EnrollResult) -> str:
        lines = [
            self.tr("Enrolled as kiosk {kiosk} at venue {venue}.").format(
                kiosk=result.kiosk_id, venue=result.venue_id
            )
        ]
        if result.drift_ms is not None:
            lines.append(
                self.tr("Clock difference to the platform: {seconds} s").format(
                    seconds=f"{result.drift_ms / 1000:+.1f}"
                )
            )
        if result.bundle is not None:
            lines.append(self._bundle_text(result.bundle))
        lines.extend(self.detail_text(note) for note in result.note_details)
        if result.problem_detail is not None:
            problem = self.detail_text(result.problem_detail)
            lines.append(
                self.tr("But the kiosk has no trust bundle from the platform: {problem}").format(
                    problem=problem
                )
            )
        return "\n".join(lines)

    def _bundle_text(self, result: provisioning.BundleImport) -> str:
        if result.outcome is InstallOutcome.UNCHANGED:
            text = self.tr("Trust bundle version {version} is already installed.")
        else:
            text = self.tr("Installed trust bundle version {version}.")
        return (
            text.format(version=result.version)
            + " "
            + self.tr("{issuers} issuer keys, venue categories: {venues}.").format(
                issuers=result.issuers, venues=", ".join(result.venues)
            )
        )

    def import_bundle(self) -> None:
        text = self.bundle_edit.text().strip()
        if not text:
            self._say(
                self.bundle_status, lambda: self.tr("Enter the bundle file first."), error=True
            )
            return
        path = Path(text)

        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(
                    self.bundle_status,
                    lambda: self.tr("Not installed: {error}").format(
                        error=self.outcome_error(outcome)
                    ),
                    error=True,
                )
                return
            result = outcome.value
            assert isinstance(result, provisioning.BundleImport)
            self._say(self.bundle_status, lambda: self._bundle_text(result))
            self.changed.emit()

        self._say(self.bundle_status, lambda: self.tr("Checking the bundle…"))
        self._run("import", lambda: provisioning.import_bundle(self.paths, path), done)

    # -- camera ----------------------------------------------------------------------

    def refresh_cameras(self) -> None:
        def done(outcome: Outcome) -> None:
            if outcome.error is not None or not isinstance(outcome.value, list):
                return
            current = self.camera_combo.currentText()
            self.camera_combo.blockSignals(True)
            self.camera_combo.clear()
            self.camera_combo.addItems([*outcome.value, *self._offered_extras()])
            self.camera_combo.setEditText(current)
            self.camera_combo.blockSignals(False)

        self._run("cameras", provisioning.list_cameras, done)

    def _resolution(self) -> tuple[int, int]:
        return self.width_spin.value(), self.height_spin.value()

    def stop_preview(self) -> _Preview | None:
        """Stop the live preview (it releases the camera on its own thread)."""
        self._preview_timer.stop()
        preview, self._preview = self._preview, None
        if preview is not None:
            preview.frame.disconnect(self._show_frame)
            preview.stop()
        return preview

    def _restart_preview(self) -> None:
        self.stop_preview()
        if self.pages.currentIndex() != CAMERA or "decode" in self._busy:
            return
        spec = self.camera_combo.currentText().strip()
        if not spec:
            return
        self._say(self.preview_label, lambda: self.tr("Opening {camera}…").format(camera=spec))
        preview = _Preview(self, spec, self._resolution(), self._camera_timeout)
        preview.frame.connect(self._show_frame)
        preview.stopped.connect(lambda why: self._preview_stopped(preview, why))
        preview.missing.connect(lambda kind: self._preview_missing(preview, kind))
        self._preview = preview
        preview.start()

    def _show_frame(self, image: QImage) -> None:
        preview = self._preview
        if preview is None:
            return
        self._renders.pop(self.preview_label, None)  # a picture now, not a message
        self.preview_label.setPixmap(QPixmap.fromImage(image))
        self.frames_shown += 1
        preview.shown()

    def _preview_stopped(self, preview: _Preview, why: object) -> None:
        if preview is self._preview:
            self._preview = None
            if why:
                self._say(
                    self.preview_label,
                    lambda: self.tr("No picture from {camera}: {why}").format(
                        camera=preview.spec,
                        why=self.error_text(why) if isinstance(why, KioskError) else why,
                    ),
                    error=True,
                )

    def _preview_missing(self, preview: _Preview, kind: str) -> None:
        if preview is not self._preview:
            return
        spec, seconds = preview.spec, f"{self._camera_timeout:g}"
        if kind == ABSENT:
            self._say(
                self.preview_label,
                lambda: self.tr("No camera found at {camera}. Is it plugged in?").format(
                    camera=spec
                ),
                error=True,
            )
        else:
            self._say(
                self.preview_label,
                lambda: self.tr(
                    "No camera found: {camera} shows no picture after {seconds} s. "
                    "Is it plugged in, or used by another program?"
                ).format(camera=spec, seconds=seconds),
                error=True,
            )

    def preview_running(self) -> bool:
        return self._preview is not None

    def test_decoding(self) -> None:
        """Stop the preview (the camera opens once), decode frames on a worker thread."""
        spec = self.camera_combo.currentText().strip()
        decoder = self._decoder_choice()
        resolution = self._resolution()
        previous = self.stop_preview()

        def work() -> provisioning.DecodeTestResult:
            if previous is not None:
                previous.wait(5.0)
            return provisioning.decode_test(
                spec, decoder, DECODE_TEST_FRAMES, resolution=resolution
            )

        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(
                    self.camera_status,
                    lambda: self.tr("Decode test failed: {error}").format(
                        error=self.outcome_error(outcome)
                    ),
                    error=True,
                )
            else:
                result = outcome.value
                assert isinstance(result, provisioning.DecodeTestResult)
                self._say(self.camera_status, lambda: self._decode_text(result))
            self._restart_preview()

        self._say(
            self.camera_status, lambda: self.tr("Decoding {n} frames…").format(n=DECODE_TEST_FRAMES)
        )
        self._run("decode", work, done)

    def _decode_text(self, result: provisioning.DecodeTestResult) -> str:
        median = "-" if result.median_decode_ms is None else f"{result.median_decode_ms:.1f}"
        text = self.tr(
            "{decoder}: {frames} frames read, a QR code in {found} of them "
            "({codes} codes, {distinct} different); median decode time {median} ms."
        ).format(
            decoder=result.decoder,
            frames=result.frames,
            found=result.frames_with_code,
            codes=result.codes,
            distinct=result.distinct,
            median=median,
        )
        return f"{text} {result.note}" if result.note else text

    # -- self-test -------------------------------------------------------------------

    def run_self_test(self) -> None:
        def done(outcome: Outcome) -> None:
            if outcome.error is not None:
                self._say(self.selftest_summary, lambda: self.outcome_error(outcome), error=True)
                return
            report = outcome.value
            assert isinstance(report, provisioning.SelfTestReport)
            self._report = report
            self._show_report(report)

        def work() -> provisioning.SelfTestReport:
            sound = PlayerSound(provisioning.sound_dir(self.paths))
            return provisioning.self_test(self.paths, sound=sound)

        if self._run("selftest", work, done):
            self.selftest_list.clear()
            self._report = None
            self._say(self.selftest_summary, lambda: self.tr("Running the self-test…"))

    @property
    def report(self) -> provisioning.SelfTestReport | None:
        """The self-test report the page shows, once there is one."""
        return self._report

    def _check_title(self, name: str) -> str:
        titles = {
            provisioning.CAMERA: self.tr("Camera"),
            provisioning.DECODER: self.tr("QR decoder"),
            provisioning.TRUST: self.tr("Trust data"),
            provisioning.CLOCK: self.tr("Clock"),
            provisioning.DATABASE: self.tr("Database"),
            provisioning.PLATFORM: self.tr("Platform"),
            provisioning.SOUND: self.tr("Sound"),
            provisioning.MANAGER_PIN: self.tr("Manager PIN"),
        }
        return titles.get(name, name)

    def _check_detail(self, check: provisioning.Check) -> str:
        """The check's detail in the wizard's language: its code worded with its values;
        a code without words here (or words that do not fit the values) keeps the
        self-test's English detail."""
        words = self._detail_words().get(check.code)
        if words is None:
            return check.detail
        try:
            return words(check.values)
        except (KeyError, IndexError, ValueError):
            logger.warning("self-test detail %r does not fit its values", check.code)
            return check.detail

    def detail_codes(self) -> frozenset[str]:
        """The self-test codes (and trust problems) the wizard has words for."""
        return frozenset(self._detail_words()) | frozenset(self._trust_problem_words())

    def _age(self, values: Mapping[str, str]) -> str:
        units = {
            "min": self.tr("{n} min"),
            "h": self.tr("{n} h"),
            "days": self.tr("{n} days"),
        }
        return units[values["age_unit"]].format(n=values["age"])

    def _bundle_summary(self, values: Mapping[str, str]) -> str:
        return self.tr(
            "bundle version {version}, issued {age} ago, {issuers} issuer key(s), "
            "rules {rules} in force"
        ).format(
            version=values["version"],
            age=self._age(values),
            issuers=values["issuers"],
            rules=values["rules"] or self.tr("none"),
        )

    def _year(self, values: Mapping[str, str]) -> str:
        if values["year_ok"] == "yes":
            return self.tr("the year {year} looks right").format(year=values["year"])
        return self.tr("the year {year} looks WRONG").format(year=values["year"])

    def _trust_problem_words(self) -> dict[str, Callable[[Mapping[str, str]], str]]:
        return {
            "trust_stale": lambda v: self.tr(
                "the bundle is {age} old (more than {days} days)"
            ).format(age=self._age(v), days=v["stale_days"]),
            "trust_future": lambda v: self.tr(
                "the bundle was issued in the future: is the clock behind?"
            ),
            "trust_no_issuer": lambda v: self.tr("the bundle trusts no issuer key"),
            "trust_no_rules": lambda v: self.tr("no rule set is in force now"),
            "trust_unknown_category": lambda v: self.tr(
                "the venue category {category} is not in the bundle"
            ).format(category=repr(v["category"])),
        }

    def _trust_problems(self, values: Mapping[str, str]) -> str:
        words = self._trust_problem_words()
        problems = [words[code](values) for code in values["problems"].split(",")]
        return "; ".join(problems) + f" ({self._bundle_summary(values)})"

    def _detail_words(self) -> dict[str, Callable[[Mapping[str, str]], str]]:
        """Self-test code -> its words (each ``self.tr`` literal, for lupdate)."""
        return {
            "camera_synthetic_refused": lambda v: self.tr(
                "the synthetic demo camera shows demo cards, not visitors': a provisioned kiosk "
                "cannot use it (each demo card would be refused and its check-in sent to the "
                "city platform); choose a real camera: 0, /dev/video0, video:FILE or folder:DIR"
            ),
            "camera_missing": lambda v: self.tr(
                "no camera found: {device} does not exist (is the camera plugged in?)"
            ).format(**v),
            "camera_keyboard_scanner": lambda v: self.tr(
                "keyboard-mode scanner (types into the kiosk): not testable"
            ),
            "camera_serial_ok": lambda v: self.tr(
                "serial scanner on {port}: the port exists"
            ).format(**v),
            "camera_serial_missing": lambda v: self.tr("serial scanner: no port {port}").format(
                **v
            ),
            "camera_no_frame": lambda v: self.tr("{camera}: no frame within {seconds} s").format(
                **v
            ),
            "camera_ok": lambda v: self.tr(
                "{camera}: first frame {width}x{height} after {ms} ms"
            ).format(**v),
            "camera_ok_synthetic": lambda v: self.tr(
                "{camera}: first frame {width}x{height} after {ms} ms "
                "(note: the synthetic demo camera, not a real one)"
            ).format(**v),
            "decoder_failed": lambda v: self.tr(
                "{decoder} did not read a clean test QR code"
            ).format(**v),
            "decoder_ok": lambda v: self.tr("{decoder} read a test QR code in {ms} ms").format(**v),
            "decoder_ok_fallback": lambda v: self.tr(
                "{decoder} read a test QR code in {ms} ms "
                "(note: {configured} is configured but cannot load)"
            ).format(**v),
            "trust_demo": lambda v: self.tr("demo trust data (note: no city root key pinned)"),
            "trust_no_root": lambda v: self.tr("no city root key pinned: pin the city's root key"),
            "trust_no_bundle": lambda v: self.tr(
                "root key {kid} pinned, but no trust bundle installed: every card is red "
                "until one is (sync, or import a bundle file)"
            ).format(**v),
            "trust_problems": self._trust_problems,
            "bundle_ok": self._bundle_summary,
            "database_unwritable": lambda v: self.tr("{file} cannot be written: {error}").format(
                **v
            ),
            "database_readback_failed": lambda v: self.tr(
                "{file}: a written probe did not read back"
            ).format(**v),
            "database_damaged": lambda v: self.tr(
                "{file} is damaged, rolled back or replaced: check-ins recorded before may be "
                "missing; restore it from a backup"
            ).format(file=v["file"]),
            "database_ok": lambda v: self.tr(
                "{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free"
            ).format(**v),
            "database_low_space": lambda v: self.tr(
                "{file}: {records} check-in(s), write and read back ok; {free_mib} MiB free: "
                "below {min_mib} MiB"
            ).format(**v),
            "clock_not_enrolled": lambda v: self.tr("not measured (not enrolled); {year}").format(
                year=self._year(v)
            ),
            "clock_platform_unreachable": lambda v: self.tr(
                "not measured (platform unreachable); {year}"
            ).format(year=self._year(v)),
            "clock_behind": lambda v: self.tr("{seconds} s behind the platform's clock").format(
                **v
            ),
            "clock_ahead": lambda v: self.tr("{seconds} s ahead of the platform's clock").format(
                **v
            ),
            "clock_drift_behind": lambda v: self.tr(
                "{seconds} s behind the platform's clock "
                "(more than {limit} s: cards are judged on this clock)"
            ).format(**v),
            "clock_drift_ahead": lambda v: self.tr(
                "{seconds} s ahead of the platform's clock "
                "(more than {limit} s: cards are judged on this clock)"
            ).format(**v),
            "platform_demo": lambda v: self.tr("demo: no platform (note: not enrolled)"),
            "platform_not_enrolled": lambda v: self.tr(
                "not enrolled with a city platform: enroll first"
            ),
            "platform_unreachable": lambda v: self.tr("{url} unreachable: {error}").format(**v),
            "platform_ok": lambda v: self.tr("{url} answered GET /v1/time in {ms} ms").format(**v),
            "sound_not_checked": lambda v: self.tr("not checked (no sound player given)"),
            "sound_unwritable": lambda v: self.tr(
                "the sound files cannot be written to {directory}"
            ).format(**v),
            "sound_invalid_files": lambda v: self.tr(
                "not valid sound files: {files} (in {directory})"
            ).format(**v),
            "sound_no_player": lambda v: self.tr(
                "{count} sound files ok, but no aplay or paplay: the kiosk is silent "
                "(apt-get install alsa-utils)"
            ).format(**v),
            "sound_no_output": lambda v: self.tr(
                "{count} sound files ok, but no audio output (no ALSA sound card, no "
                "PulseAudio or PipeWire server): the kiosk is silent"
            ).format(**v),
            "sound_ok": lambda v: self.tr("{count} sound files ok; audio output: {outputs}").format(
                **v
            ),
            "pin_not_set": lambda v: self.tr(
                "not set: the manager view stays closed until one is (kiosk pin set)"
            ),
            "pin_unreadable": lambda v: self.tr(
                "{error}: set a new one (kiosk pin reset, kiosk pin set)"
            ).format(**v),
            "pin_locked": lambda v: self.tr("set; locked after wrong PINs until {until}").format(
                **v
            ),
            "pin_set": lambda v: self.tr("set", "the manager PIN is set"),
            "check_error": lambda v: v["error"],
            "internal_error": lambda v: self.tr("internal error: {error}").format(**v),
            "check_hung": lambda v: self.tr("no answer within {seconds} s (hanging)").format(**v),
        }

    def _show_report(self, report: provisioning.SelfTestReport) -> None:
        self.selftest_list.clear()
        looks = {
            "pass": ("✔", self.tr("pass"), Qt.GlobalColor.darkGreen),
            "warn": ("!", self.tr("warning"), Qt.GlobalColor.darkYellow),
            "fail": ("✘", self.tr("FAIL"), Qt.GlobalColor.red),
        }
        for check in report.checks:
            mark, verdict, colour = looks[check.status]
            item = QListWidgetItem(
                f"{mark} {self._check_title(check.name)}: {verdict} — {self._check_detail(check)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, check.name)
            item.setForeground(colour)
            self.selftest_list.addItem(item)
        failed = sum(not check.ok for check in report.checks)
        warned = sum(check.status == "warn" for check in report.checks)

        def summary() -> str:
            if not failed and warned:
                return self.tr("All {n} checks passed, {warned} with a warning.").format(
                    n=len(report.checks), warned=warned
                )
            if not failed:
                return self.tr("All {n} checks passed.").format(n=len(report.checks))
            return self.tr("{failed} of {n} checks failed.").format(
                failed=failed, n=len(report.checks)
            )

        self._say(self.selftest_summary, summary, error=bool(failed))

    # -- lifetime --------------------------------------------------------------------

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt's name
        self.stop_preview()  # the camera is free for the guard screen again
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self.pages.currentIndex() == CAMERA and self._preview is None:
            self._restart_preview()
