"""The running app: startup to first camera frame, RSS while scanning, and a soak.

    .venv/bin/python bench/app.py startup        # cold start to first frame shown, RSS
    .venv/bin/python bench/app.py soak [--scans 100000]

Both run the real KioskWindow offscreen (QT_QPA_PLATFORM=offscreen) on a fresh
KIOSK_HOME with the demo trust data. The soak feeds pre-rendered frames of distinct
signed demo cards as fast as the app takes them (debounce off, so every frame with a
card is a check-in through decoder, pipeline, log and the guard screen), and prints RSS,
open file descriptors and threads along the way; at the end it checks that every
decision the screen was handed is in the log.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()  # before Qt, numpy, OpenCV and the kiosk are imported

import argparse  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
from dataclasses import replace  # noqa: E402
from datetime import UTC, datetime  # noqa: E402
from pathlib import Path  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def startup() -> None:
    from PySide6.QtWidgets import QApplication

    from kiosk.config import Settings
    from kiosk.paths import Paths
    from kiosk.runtime import KioskRuntime
    from kiosk.ui.app import KioskWindow

    with tempfile.TemporaryDirectory() as home:
        paths = Paths(data=Path(home) / "d", config=Path(home) / "c", logs=Path(home) / "l")
        Settings(camera="synthetic").save(paths)
        app = QApplication([])
        runtime = KioskRuntime(paths)
        t_runtime = time.perf_counter()
        window = KioskWindow(runtime, sync=False)
        window.show()
        first: list[float] = []
        window.bridge.frame_ready.connect(lambda _image: first.append(time.perf_counter()))
        deadline = time.monotonic() + 30
        while not first and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.002)
        shown = first[0]
        samples = []
        end = time.monotonic() + 10
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.01)
            samples.append(rss_mb())
        window.shutdown()
        runtime.close()
    print("# bench/app.py startup (offscreen, synthetic camera at 1280x720, 15 fps)")
    print(f"imports + runtime (trust data, log) ready:   {t_runtime - T0:6.2f} s")
    print(f"start to first camera frame on screen:       {shown - T0:6.2f} s")
    print(f"RSS while scanning 10 s: min {min(samples):.0f} MB, max {max(samples):.0f} MB")


def soak(scans: int) -> None:
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from kiosk.config import Settings
    from kiosk.demo import demo_cards, demo_kit
    from kiosk.issuing import issue
    from kiosk.paths import Paths
    from kiosk.runtime import KioskRuntime
    from kiosk.scanner.sources import Frame, SourceState
    from kiosk.scanner.synthetic import render_card
    from kiosk.ui.app import KioskWindow

    class PoolSource:
        """Pre-rendered frames, one distinct card each, as fast as they are taken."""

        name = "soak"
        live = False  # every frame is decoded: no frame may be dropped in the count

        def __init__(self, frames: list[np.ndarray], total: int) -> None:
            self._frames = frames
            self._total = total
            self._index = 0
            self.state = SourceState.LIVE

        def read(self) -> Frame | None:
            if self._index >= self._total:
                self.state = SourceState.ENDED
                return None
            image = self._frames[self._index % len(self._frames)]
            self._index += 1
            return Frame(image, self._index, time.monotonic())

        def close(self) -> None:
            self.state = SourceState.ENDED

    with tempfile.TemporaryDirectory(dir=Path.home()) as home:
        paths = Paths(data=Path(home) / "d", config=Path(home) / "c", logs=Path(home) / "l")
        Settings(camera="synthetic", debounce_seconds=0, reentry_minutes=0).save(paths)
        kit = demo_kit(paths)
        now = datetime.now(UTC)
        base = demo_cards(kit, now)[0]
        rng = np.random.default_rng(1)
        from kiosk.formats import hcm1

        template = hcm1.read_claims(hcm1.open_card(base.text))
        texts = [
            issue(replace(template, card_id=f"00000000-0000-4000-8000-{i:012d}"), kit.city)
            for i in range(200)
        ]
        frames = [render_card(text, (1280, 720), "clean", rng) for text in texts]
        app = QApplication([])
        runtime = KioskRuntime(paths)
        window = KioskWindow(runtime, scan=False, sync=False)
        window.show()
        shown = 0

        def count(_result: object) -> None:
            nonlocal shown
            shown += 1

        window.bridge.decided.connect(count)
        source = PoolSource(frames, scans)
        window.loop = runtime.scan_loop(
            source,
            on_event=window._on_event,
            on_frame=window._on_frame,
        )
        print(f"# bench/app.py soak: {scans:,} scans of 200 distinct cards, 1280x720 frames")
        print(f"{'scans':>8} {'RSS MB':>8} {'fds':>5} {'threads':>8} {'decided':>8} {'s':>7}")
        start = time.monotonic()
        window.loop.start()
        step = max(1, scans // 10)
        next_report = 0
        while not window.loop.finished.is_set() or shown < window.loop.events:
            app.processEvents()
            done = window.loop.frames
            if done >= next_report:
                print(
                    f"{done:8,} {rss_mb():8.1f} {fds():5} {threading.active_count():8} "
                    f"{shown:8,} {time.monotonic() - start:7.1f}",
                    flush=True,
                )
                next_report += step
            time.sleep(0.001)
        app.processEvents()
        print(
            f"{window.loop.frames:8,} {rss_mb():8.1f} {fds():5} {threading.active_count():8} "
            f"{shown:8,} {time.monotonic() - start:7.1f}"
        )
        recorded = runtime.log.count()
        window.shutdown()
        runtime.close()
    print(
        f"decisions handed to the screen: {shown:,}; records in the log: {recorded:,}; "
        f"lost: {shown - recorded}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="the kiosk app's startup, memory and soak")
    parser.add_argument("what", choices=("startup", "soak"))
    parser.add_argument("--scans", type=int, default=100_000)
    args = parser.parse_args()
    if args.what == "startup":
        startup()
    else:
        soak(args.scans)


if __name__ == "__main__":
    main()
