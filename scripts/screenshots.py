"""Screenshots of the real widgets under Xvfb, for the README and docs/screenshots/.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Starts its own Xvfb (apt package xvfb) unless DISPLAY is set, runs the kiosk window
with Qt's xcb platform on it, on a throw-away KIOSK_HOME with the demo trust data, and
grabs: the guard screen with a green, a yellow and a red decision, the manager view
and the provisioning wizard.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_xvfb() -> subprocess.Popen[bytes] | None:
    if os.environ.get("DISPLAY"):
        return None
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is missing: sudo apt-get install -y xvfb")
    display = ":97"
    server = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)
    os.environ["DISPLAY"] = display
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    server = start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    try:
        shoot(args.out)
    finally:
        if server is not None:
            server.terminate()


def shoot(out: Path) -> None:
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from kiosk.config import Settings
    from kiosk.paths import Paths
    from kiosk.pin import PinStore
    from kiosk.runtime import KioskRuntime
    from kiosk.scanner.sources import SourceState
    from kiosk.scanner.synthetic import render_card
    from kiosk.ui.app import KioskWindow, to_qimage
    from kiosk.ui.translations import Translations

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as home:
        paths = Paths(data=Path(home) / "d", config=Path(home) / "c", logs=Path(home) / "l")
        Settings(
            camera="synthetic",
            venue_id="HCM-Q1-000123",
            venue_name="Siêu thị Bến Thành",
            decision_seconds=3600,
        ).save(paths)
        translations = Translations(app)
        translations.use("vi")
        runtime = KioskRuntime(paths)
        runtime.camera_state = SourceState.LIVE  # no camera runs for the pictures
        window = KioskWindow(runtime, translations, scan=False, sync=False)
        window.resize(1280, 800)
        window.show()
        texts = runtime.demo_texts()

        def settle(seconds: float = 0.6) -> None:
            end = time.monotonic() + seconds
            while time.monotonic() < end:
                app.processEvents()
                time.sleep(0.02)

        def grab(name: str) -> None:
            settle()
            window.guard.show_status(runtime.status())  # after the poller's last word
            settle(0.2)
            path = out / f"{name}.png"
            window.grab().save(str(path))
            print(f"wrote {path}")

        rng = np.random.default_rng(3)
        # demo cards: 0 two doses (green), 1 one dose issued yellow (green now), 2 negative
        # test (yellow), 5 revoked (red, with the feedback QR), 6 altered (red, forged)
        for name, index in (
            ("guard-green", 1),
            ("guard-yellow", 2),
            ("guard-red", 5),
            ("guard-red-forged", 6),
        ):
            frame = render_card(texts[index], (1280, 720), "clean", rng)
            window.guard.show_frame(to_qimage(frame))
            window.guard.show_result(runtime.station.check_in(texts[index]))
            window.guard.show_status(runtime.status())
            grab(name)
        window.guard.set_language("en")
        translations.use("en")
        grab("guard-red-forged-en")
        window.guard.set_language("vi")
        translations.use("vi")

        PinStore(paths.config / "manager-pin.json").set_pin("2468")
        window.show_manager()
        manager = window.stack.currentWidget()
        grab("manager-pin")
        for digit in "2468":
            manager.pin_pad.press(digit)  # type: ignore[attr-defined]
        manager.pin_pad.submit()  # type: ignore[attr-defined]
        grab("manager")
        window.show_wizard()
        grab("provisioning")
        window.shutdown()
        runtime.close()


if __name__ == "__main__":
    main()
