"""The README's screenshots, taken from the running app during the journey tests.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Runs the journeys that show each screen (tests/journeys: the demo, the manager, the
technician) with ``KIOSK_JOURNEY_SHOTS`` set, so the real ``kiosk`` process on a bare
X server (Xvfb) saves a picture of its window at the moments a person would look, then
copies them to ``--out``. A broken journey fails here and leaves the old pictures: the
README never shows a screen that the app does not.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: README picture -> (journey test, the picture it takes).
PICTURES = {
    "guard-green": ("test_the_demo_shows_green_yellow_and_red_within_30_s", "guard-green"),
    "guard-yellow": ("test_the_demo_shows_green_yellow_and_red_within_30_s", "guard-yellow"),
    "guard-red": ("test_the_demo_shows_green_yellow_and_red_within_30_s", "guard-red"),
    "manager-pin": ("test_the_managers_day", "manager-pin"),
    "manager": ("test_the_managers_day", "manager"),
    "provisioning": ("test_the_technician_provisions_with_the_wizard", "provisioning"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kiosk-shots-") as tmp:
        shots = Path(tmp)
        tests = sorted({test for test, _ in PICTURES.values()})
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                str(ROOT / "tests" / "journeys"),
                "-k",
                " or ".join(tests),
            ],
            env={**os.environ, "KIOSK_JOURNEY_SHOTS": str(shots)},
            cwd=ROOT,
            check=False,
        )
        if result.returncode != 0:
            sys.exit("a journey failed: the screenshots were not updated")
        args.out.mkdir(parents=True, exist_ok=True)
        missing = []
        for picture, (test, name) in PICTURES.items():
            source = shots / test / f"{name}.png"
            if not source.exists():
                missing.append(str(source.relative_to(shots)))
                continue
            shutil.copyfile(source, args.out / f"{picture}.png")
            print(f"{args.out / picture}.png")
        if missing:
            sys.exit(f"the journeys took no picture {', '.join(missing)}")


if __name__ == "__main__":
    main()
