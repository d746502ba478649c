"""The README's platform section, command by command as it is written, in a fresh home.

It must end with a kiosk that admits a valid city card and whose check-in reaches the
platform. Then the app itself: the provisioned kiosk starts (no demo), a hand scan of
the same person's card is green on screen, and that check-in reaches the platform too.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from harness import Journey, kiosk_env, panel, wait_for

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def readme_block() -> list[str]:
    """The shell block of the section "The check-in log and the city platform"."""
    text = README.read_text("utf-8")
    section = text.split("## The check-in log and the city platform", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the README's platform section has no sh block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def session_alive(session: int) -> bool:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # the session id field
            return True
    return False


def platform_checkins(home: Path) -> int:
    database = home / ".local" / "share" / "kiosk-platform" / "platform.db"
    if not database.exists():
        return 0
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM checkins").fetchone()[0])


@pytest.mark.slow
def test_the_readme_platform_section_works_as_written(trip: Journey, tmp_path: Path) -> None:
    lines = readme_block()
    work = tmp_path / "checkout"
    work.mkdir()
    # "in the checkout": the README's commands say .venv/bin/…
    (work / ".venv").symlink_to(Path(sys.executable).parent.parent)
    home = tmp_path / "user"  # platformdirs: the platform's data under ~/.local/share
    kiosk_home = tmp_path / "kiosk"
    env = {**kiosk_env(kiosk_home, None), "HOME": str(home)}
    env.pop("XDG_DATA_HOME", None)
    script = "set -euo pipefail\nset -x\n" + "\n".join(lines) + "\n"
    transcript = tmp_path / "transcript.txt"  # a file: `serve &` keeps it open after bash
    with transcript.open("w") as output:
        shell = subprocess.Popen(
            ["bash", "-c", script],
            cwd=work,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        shell.wait(timeout=240)
        out = transcript.read_text("utf-8")
        assert shell.returncode == 0, out
        # The section's promises, from what the commands printed.
        assert "✔ GREEN" in out, out
        assert re.search(r"uploaded 1\b", out), out
        assert re.search(r"checkins: 1\b", out), out

        # The app on the kiosk the README provisioned: not the demo any more.
        app = trip.app(kiosk_home, "run")
        app.start()
        state = app.state()
        assert "(demo)" not in "\n".join(t["text"] for t in state["texts"])
        card = (work / "card.txt").read_text("utf-8").strip()
        app.scan(card)
        decided = app.wait_decision()
        assert panel(decided)["tone"] == "green"
        assert panel(decided)["holder"] == "Nguyễn Văn An"
        # The README's own scan, then the app's: both on the platform.
        wait_for("the app's check-in on the platform", lambda: platform_checkins(home) >= 2, 90)
        app.stop(signal.SIGTERM)
    finally:
        # The README's `cityplatform serve … &` runs until stopped, as in a terminal;
        # bash has exited by now, so it is found by its session, not as a child.
        os.killpg(shell.pid, signal.SIGTERM)
        wait_for("the README's platform to stop", lambda: not session_alive(shell.pid), 20)
