"""The kiosk app: one window, three screens, the scan and sync work on worker threads.

The GUI thread only shows: frames arrive as QImage, results as frozen values, through
queued signals. Nothing here blocks it: scanning runs on the scan loop's threads, the
keyboard-wedge scans on a worker, sync on its own thread, status on a poller thread.
Errors never end on a modal dialog (an unattended kiosk cannot dismiss one): they are
logged, the screen returns to scanning and shows a status.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Final

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from kiosk.paths import Paths
from kiosk.pin import PinStore
from kiosk.runtime import KioskRuntime, KioskStatus
from kiosk.scanner.loop import FrameTiming, ScanEvent, ScanLoop
from kiosk.scanner.sources import Frame, SourceState
from kiosk.station import CheckInResult
from kiosk.sync.worker import SyncWorker
from kiosk.ui import probe
from kiosk.ui.guard import GuardScreen
from kiosk.ui.sound import PlayerSound, Sound
from kiosk.ui.translations import Translations
from kiosk.ui.wedge import ScanKeyFilter

logger = logging.getLogger(__name__)

#: Preview frames sent to the GUI at most this often (the decoder sees every frame).
PREVIEW_INTERVAL: Final = 1 / 15
PREVIEW_WIDTH: Final = 960
STATUS_INTERVAL: Final = 2.0
#: ``run_app``'s exit code when the demo's wizard provisioned this machine's kiosk.
RESTART_AS_KIOSK: Final = 75


def to_qimage(image: np.ndarray, width: int = PREVIEW_WIDTH) -> QImage:
    """A QImage copy of an OpenCV frame (BGR or grey), scaled for the preview."""
    array = np.ascontiguousarray(image)
    height, columns = array.shape[:2]
    if array.ndim == 2:
        qimage = QImage(array.data, columns, height, columns, QImage.Format.Format_Grayscale8)
    else:
        qimage = QImage(array.data, columns, height, columns * 3, QImage.Format.Format_BGR888)
    scaled = qimage.scaledToWidth(min(width, columns), Qt.TransformationMode.FastTransformation)
    return scaled.copy()  # own the pixels: the frame's memory goes back to the camera


class Bridge(QObject):
    """Worker threads talk to the GUI only through these (queued) signals."""

    frame_ready = Signal(QImage)
    decided = Signal(object)  # CheckInResult
    status_changed = Signal(object)  # KioskStatus
    #: Provisioning changed on disk while the app runs (``kiosk provision`` elsewhere).
    provisioning_changed = Signal()
    #: A problem the guard screen words in its own language ("" clears it).
    problem = Signal(str)
    #: No camera could be opened: the guard is to use the hand scanner.
    no_camera = Signal()


class KioskWindow(QMainWindow):
    def __init__(
        self,
        runtime: KioskRuntime,
        translations: Translations | None = None,
        *,
        sound: Sound | None = None,
        scan: bool = True,
        sync: bool = True,
        provisioned: Callable[[], bool] | None = None,
        setup_paths: Paths | None = None,
    ) -> None:
        """For the demo: ``setup_paths`` are the machine's kiosk (its manager PIN guards
        the technician's wizard, and the wizard provisions it, not the demo kiosk), and
        ``provisioned`` tells whether that kiosk has been provisioned meanwhile: the app
        then leaves the demo (wizard) or says to restart (a terminal)."""
        super().__init__()
        self._real_kiosk_provisioned = provisioned
        self.setup_paths = setup_paths or runtime.paths
        self.runtime = runtime
        self.translations = translations
        self.bridge = Bridge()
        self.setWindowTitle("Kiosk")
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.guard = GuardScreen(runtime.settings, sound)
        self.stack.addWidget(self.guard)
        self._manager: QWidget | None = None
        self._wizard: QWidget | None = None
        self._stop = threading.Event()
        self._sync_stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._last_preview = 0.0
        self.loop: ScanLoop[CheckInResult] | None = None
        self.sync_worker: SyncWorker | None = None

        self.bridge.frame_ready.connect(self.guard.show_frame)
        self.bridge.decided.connect(self._show_result)
        self.bridge.status_changed.connect(self.guard.show_status)
        self.bridge.problem.connect(self.guard.show_problem)
        self.bridge.no_camera.connect(self.guard.show_no_camera)
        self._camera_was_live = False
        self.guard.payload_typed.connect(self._payload_typed)
        self.guard.manager_requested.connect(self.show_manager)
        if translations is not None:
            # EN for one visitor: the guard screen says when to go back to Vietnamese.
            self.guard.language_changed.connect(translations.use)
        # A hand scanner's typing is a scan whatever has focus (the PIN pad, a text field).
        self.scan_keys = ScanKeyFilter(self)
        self.scan_keys.scanned.connect(self._scanned_anywhere)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.scan_keys)
        QShortcut(QKeySequence("F2"), self, self.show_manager)
        # The technician's wizard opens only from the unlocked manager view (its button):
        # it can re-pin the root key, so it is never one key press away.
        QShortcut(QKeySequence("Escape"), self, self._escape)
        self.bridge.provisioning_changed.connect(self._provisioning_changed)
        self._pending_provisioning = False

        self._scan = scan
        if scan:
            self.start_scanning()
        if sync:
            self.start_sync()
        self._start_thread("kiosk-status", self._poll_status)

    # -- threads -------------------------------------------------------------------

    def _start_thread(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=name, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _on_frame(self, frame: Frame, _timing: FrameTiming) -> None:
        now = time.monotonic()
        if now - self._last_preview >= PREVIEW_INTERVAL:
            self._last_preview = now
            self.bridge.frame_ready.emit(to_qimage(frame.image))

    def _on_event(self, event: ScanEvent[CheckInResult]) -> None:
        self.bridge.decided.emit(event.result)
        self._refresh_status()  # today's counts follow the decision at once

    def _refresh_status(self) -> None:
        try:
            self.bridge.status_changed.emit(self.runtime.status())
        except Exception:
            logger.exception("status poll failed")

    def _on_state(self, state: SourceState) -> None:
        if state is SourceState.LOST:
            if self._camera_was_live:
                self.bridge.problem.emit("camera_lost")
            else:  # never had a picture: no camera here, not a lost one
                self.bridge.no_camera.emit()
        elif state is SourceState.LIVE:
            self._camera_was_live = True
            self.bridge.problem.emit("")  # back: the banner goes (the strip says "camera on")

    def start_scanning(self) -> None:
        try:
            source = self.runtime.frame_source()
            self.loop = self.runtime.scan_loop(
                source, on_event=self._on_event, on_frame=self._on_frame, on_state=self._on_state
            )
        except Exception:  # a missing camera must not stop the kiosk: say so
            logger.exception("cannot start scanning")
            self.guard.show_no_camera()  # the guard is told to use the hand scanner
            return
        self.loop.start()

    def start_sync(self) -> None:
        """Sync with the enrolled platform; a worker from an earlier enrollment stops
        after its current pass (uploads are idempotent, so an overlap is harmless)."""
        self._sync_stop.set()
        self._sync_stop = threading.Event()
        try:
            self.sync_worker = self.runtime.sync_worker()
        except Exception:
            logger.exception("cannot start sync")
            return
        if self.sync_worker is None:
            return
        worker, stop = self.sync_worker, self._sync_stop
        wake = self.runtime.station.recorded
        self._start_thread("kiosk-sync", lambda: worker.run(stop, wake))

    def _poll_status(self) -> None:
        stamp = self.runtime.provisioning_stamp()
        told = False
        while not self._stop.is_set():
            self._refresh_status()
            self._stop.wait(STATUS_INTERVAL)
            if not told and self._real_kiosk_provisioned_now():
                told = True  # the demo runs on: the real kiosk starts with the next run
                self.bridge.problem.emit("restart_needed")
            now = self.runtime.provisioning_stamp()
            if now != stamp:
                stamp = now
                self.bridge.provisioning_changed.emit()

    def _real_kiosk_provisioned_now(self) -> bool:
        try:
            return bool(self._real_kiosk_provisioned and self._real_kiosk_provisioned())
        except Exception:  # damaged trust files: the self-test says so, not this poll
            logger.exception("cannot tell whether the kiosk was provisioned")
            return False

    def _provisioning_changed(self) -> None:
        """Applied at once on the guard screen; after the manager or the wizard (which
        applies its own when it finishes) otherwise."""
        if self.stack.currentWidget() is self.guard:
            self.stop_scanning()  # the new settings may name another camera
            self._provisioned()
        else:
            self._pending_provisioning = True

    def _payload_typed(self, payload: bytes) -> None:
        """A keyboard-wedge scan: judged and recorded on a worker, never on the GUI thread."""

        def work() -> None:
            if self.loop is not None:
                # Shares the camera's debouncer; shown through the loop's on_event.
                self.loop.handle_payload(payload)
            else:
                self.bridge.decided.emit(self.runtime.station.check_in(payload))
                self._refresh_status()

        threading.Thread(target=work, name="kiosk-wedge", daemon=True).start()

    def _scanned_anywhere(self, payload: bytes) -> None:
        """A hand scan while the manager or the technician had the screen: the visitor
        at the door comes first, so the guard screen shows the decision."""
        if self.stack.currentWidget() is not self.guard:
            self.show_guard()
        self._payload_typed(payload)

    # -- screens -------------------------------------------------------------------

    def _show_result(self, result: CheckInResult) -> None:
        if result.error is not None and self.loop is not None:
            # Not recorded: the guard is told to scan again, which must work at once.
            self.loop.debouncer.forget()
        if self.stack.currentWidget() is not self.guard:
            return  # a scan finishing as the manager opened: recorded, in the day's log
        self.guard.show_result(result)

    def _escape(self) -> None:
        if self._wizard is not None and self.stack.currentWidget() is self._wizard:
            self._provisioned()  # what the technician did so far takes effect
        else:
            self.show_guard()

    def show_guard(self) -> None:
        if self._pending_provisioning:
            self._pending_provisioning = False
            self._provisioned()  # it comes back here, with the new provisioning
            return
        self.stack.setCurrentWidget(self.guard)
        self.guard.setFocus()
        if self.loop is None and self._scan:
            self.start_scanning()  # back from the manager or the wizard, however we left

    def _leave_guard(self) -> None:
        # Nobody watches the guard screen now: no check-in may be recorded unseen.
        self.stop_scanning()

    def show_manager(self) -> None:
        self._leave_guard()
        if self._manager is None:
            from kiosk.ui.manager import ManagerScreen  # noqa: PLC0415 - built on first use

            manager = ManagerScreen(
                self.runtime, PinStore(self.setup_paths.config / "manager-pin.json")
            )
            manager.closed.connect(self.show_guard)
            manager.provisioning_requested.connect(self.show_wizard)
            self.stack.addWidget(manager)
            self._manager = manager
        self.stack.setCurrentWidget(self._manager)

    def stop_scanning(self) -> None:
        if self.loop is not None:
            self.loop.stop()
            self.loop = None

    def show_wizard(self) -> None:
        # The wizard previews and tests the camera itself: a V4L2 camera opens only once.
        self._leave_guard()
        if self._wizard is None:
            from kiosk.ui.wizard import ProvisioningWizard  # noqa: PLC0415 - built on first use

            wizard = ProvisioningWizard(self.setup_paths)
            wizard.finished.connect(self._provisioned)
            self.stack.addWidget(wizard)
            self._wizard = wizard
        self.stack.setCurrentWidget(self._wizard)

    def _provisioned(self) -> None:
        if self.setup_paths != self.runtime.paths:
            # The demo: the machine's kiosk was set up. Once it is provisioned the app
            # restarts as that kiosk (the demo and its platform stop); until then the
            # demo goes on.
            if self._real_kiosk_provisioned_now():
                logger.info("provisioned from the demo: restarting as the kiosk")
                QApplication.exit(RESTART_AS_KIOSK)
                return
            self.show_guard()
            return
        try:
            before = self.runtime.enrollment
            self.runtime.reload()
            self.guard.apply_settings(self.runtime.settings)
            if self.runtime.enrollment != before or self.sync_worker is None:
                self.start_sync()
        finally:
            self.show_guard()  # and scanning again, whatever reload() did

    # -- shutdown ------------------------------------------------------------------

    def shutdown(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.scan_keys)
        self._stop.set()
        self._sync_stop.set()
        if self.loop is not None:
            self.loop.stop()
        for thread in self._threads:
            thread.join(timeout=3)

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self.shutdown()
        super().closeEvent(event)  # type: ignore[arg-type]


def _install_excepthook(window: KioskWindow) -> None:
    """An exception on the GUI thread: log it, return to scanning, show a status."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        logger.error("unexpected error", exc_info=(kind, exc, tb))
        window.show_guard()  # reset to the scan screen
        window.guard.show_problem("unexpected")  # worded in the screen's language

    sys.excepthook = hook


def _quit_on_signals(app: QApplication) -> Callable[[], None]:
    """SIGINT (Ctrl-C) and SIGTERM (systemd, kill) close the window as its close button
    would: scanning and sync stop, the log closes, and the caller's clean-up (the demo's
    platform) runs. Qt's event loop runs no Python code by itself, so a timer gives the
    interpreter a moment to see the signal. Returns what restores the old handlers."""

    def stop(_signum: int, _frame: object) -> None:
        app.quit()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    tick = QTimer(app)
    tick.timeout.connect(lambda: None)
    tick.start(200)

    def restore() -> None:
        tick.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def run_app(
    runtime: KioskRuntime,
    *,
    fullscreen: bool = True,
    seconds: float = 0,
    provisioned: Callable[[], bool] | None = None,
    setup_paths: Paths | None = None,
) -> int:
    """Show the kiosk until it is closed (or for ``seconds``, for soak and screenshots)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    translations = Translations(app)
    translations.use(runtime.settings.language)
    window = KioskWindow(
        runtime,
        translations,
        sound=PlayerSound(runtime.paths.data / "sounds"),
        provisioned=provisioned,
        setup_paths=setup_paths,
    )
    _install_excepthook(window)
    probe.attach(window)  # test-only: KIOSK_UI_STATE (the journey tests' eyes)
    if fullscreen and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        # A bare X server (a kiosk PC has no window manager) ignores the full-screen
        # request: take the whole screen ourselves first.
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
    else:
        window.resize(1280, 800)
        window.show()
    if seconds:
        QTimer.singleShot(int(seconds * 1000), window.close)
    restore = _quit_on_signals(app)
    try:
        code = app.exec()
    finally:
        restore()
        window.shutdown()
    return int(code)


__all__ = ["RESTART_AS_KIOSK", "Bridge", "KioskStatus", "KioskWindow", "run_app", "to_qimage"]
