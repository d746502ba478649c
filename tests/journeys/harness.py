"""Journey tests drive the real programs as their users do, and look at what they see.

* :class:`Display`: a real X server (Xvfb) with no window manager, as on a kiosk PC.
* :class:`App`: the real ``kiosk`` process on that display. Keys are typed with
  ``xdotool`` as a keyboard-mode scanner types them (a few ms apart, then Enter) or as
  a person does; buttons are clicked where the window shows them. What the window shows
  comes from the app's own probe (``KIOSK_UI_STATE``, see ``kiosk/ui/probe.py``): the
  visible texts, the decision panel's colour and shape, the window's geometry.
* :class:`Platform`: the real ``cityplatform serve`` process on 127.0.0.1, and its
  database as the health department would query it.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent
KIOSK = BIN / "kiosk"
CITYPLATFORM = BIN / "cityplatform"
#: What the suite itself needs on top of the kiosk's packages (scripts/bootstrap.sh).
TOOLS = ("Xvfb", "xdotool")

State = dict[str, Any]


def need_tools() -> None:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not missing:
        return
    message = f"journey tests need {', '.join(missing)} (apt-get install xvfb xdotool)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def descendants(pid: int) -> set[int]:
    """Every process started by ``pid``, however deep (read from /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                child = int(stat.split("/")[2])
                found.add(child)
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def wait_for(what: str, check: Callable[[], Any], timeout: float, every: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Display:
    """Xvfb at 1280x800, no window manager."""

    def __init__(self, width: int = 1280, height: int = 800) -> None:
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.name = f":{number}"
        self.size = (width, height)

    def xdotool(self, *args: str) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env={**os.environ, "DISPLAY": self.name},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        return result.stdout

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def kiosk_env(home: Path, display: Display | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "KIOSK_UI_STATE")}
    env.update(KIOSK_HOME=str(home), PYTHONUNBUFFERED="1", **extra)
    if display is not None:
        env["DISPLAY"] = display.name
    else:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def run(
    args: Sequence[str], home: Path, *, stdin: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """A ``kiosk`` command as a technician types it."""
    result = subprocess.run(
        [str(KIOSK), *args],
        env=kiosk_env(home, None),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"kiosk {' '.join(args)} exited {result.returncode}:\n{result.stdout}{result.stderr}"
        )
    return result


@dataclass
class App:
    """The kiosk app, a real process on a real display."""

    display: Display
    home: Path
    args: Sequence[str] = ("run",)
    shots: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    state_file: Path = field(init=False)
    log_file: Path = field(init=False)
    history: list[State] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.state_file = self.home / "ui-state.json"
        self.log_file = self.home / "app-output.log"

    def start(self) -> App:
        extra = {"KIOSK_UI_STATE": str(self.state_file)}
        if self.shots is not None:
            extra["KIOSK_UI_SHOTS"] = str(self.shots)
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                [str(KIOSK), *self.args],
                env=kiosk_env(self.home, self.display, **extra),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait("the window", lambda s: s.get("screen") == "GuardScreen", timeout=60)
        return self

    # -- looking ---------------------------------------------------------------------

    def state(self) -> State:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the kiosk exited ({self.process.returncode}):\n{self.output()}")
        try:
            state: State = json.loads(self.state_file.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not self.history or self.history[-1].get("written") != state.get("written"):
            self.history.append(state)
        return state

    def output(self) -> str:
        return self.log_file.read_text("utf-8", "replace")[-4000:]

    def wait(self, what: str, check: Callable[[State], Any], timeout: float = 20) -> State:
        found: list[State] = []

        def look() -> bool:
            state = self.state()
            if state and check(state):
                found.append(state)
                return True
            return False

        try:
            wait_for(what, look, timeout)
        except AssertionError as exc:
            raise AssertionError(f"{exc}; the screen showed: {texts(self.state())}") from None
        return found[0]

    def wait_decision(self, timeout: float = 20, after: float = 0.0) -> State:
        """The next decision panel written after ``after`` (a probe time stamp)."""
        return self.wait(
            "a decision on the screen",
            lambda s: s.get("panel") is not None and s.get("written", 0) > after,
            timeout,
        )

    def see(self, words: str, timeout: float = 20) -> State:
        return self.wait(f"{words!r} on the screen", lambda s: words in joined(s), timeout)

    def snap(self, name: str) -> None:
        """A picture of the window as it is now, as ``<shots>/<name>.png`` (no-op without
        a shots directory)."""
        if self.shots is None:
            return
        request = self.state_file.with_name(self.state_file.name + ".snap")
        request.write_text(name, "utf-8")
        wait_for(f"the screenshot {name}", lambda: not request.exists(), timeout=10)

    # -- doing -----------------------------------------------------------------------

    def scan(self, payload: str) -> None:
        """A keyboard-mode scanner: the payload typed a few ms a key, then Enter."""
        self.display.xdotool("type", "--delay", "3", payload)
        self.display.xdotool("key", "Return")

    def type(self, text: str) -> None:
        """A person typing: a key about every 150 ms."""
        self.display.xdotool("type", "--delay", "150", text)

    def key(self, *names: str) -> None:
        for name in names:
            self.display.xdotool("key", name)
            time.sleep(0.15)

    def click(self, words: str, timeout: float = 20) -> None:
        """Click the button (or field) whose text is ``words``, where the screen shows it."""
        state = self.wait(
            f"a button {words!r}",
            lambda s: any(
                t["text"] == words and t["kind"] != "label" and t.get("enabled", True)
                for t in s.get("texts", [])
            ),
            timeout,
        )
        target = next(t for t in state["texts"] if t["text"] == words and t["kind"] != "label")
        x, y = target["x"] + target["w"] // 2, target["y"] + target["h"] // 2
        self.display.xdotool("mousemove", str(x), str(y), "click", "1")
        time.sleep(0.2)

    def tick(self, words: str, timeout: float = 20) -> None:
        """Tick (or untick) the check box whose text is ``words``: click its box, at the
        left of its text, as a person does. (A check box laid out across the window
        takes a click only on its box and text, not in the middle of its row.)"""
        state = self.wait(
            f"a check box {words!r}",
            lambda s: any(
                t["text"] == words and t["kind"] == "button" and t.get("enabled", True)
                for t in s.get("texts", [])
            ),
            timeout,
        )
        target = next(t for t in state["texts"] if t["text"] == words and t["kind"] == "button")
        x, y = target["x"] + min(12, target["w"] // 2), target["y"] + target["h"] // 2
        self.display.xdotool("mousemove", str(x), str(y), "click", "1")
        time.sleep(0.2)

    # -- stopping ----------------------------------------------------------------------

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> list[int]:
        """Send ``sig`` as systemd or Ctrl-C would; returns the processes left running."""
        assert self.process is not None
        family = descendants(self.process.pid) | {self.process.pid}
        self.process.send_signal(sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout)
        time.sleep(1.0)
        left = sorted(pid for pid in family if alive(pid))
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if self.process.poll() is None:
            self.process.wait(10)
        return left


def texts(state: State) -> list[str]:
    return [t["text"] for t in state.get("texts", [])]


def joined(state: State) -> str:
    return "\n".join(texts(state))


def panel(state: State) -> dict[str, Any]:
    found: dict[str, Any] = state["panel"]
    return found


def checkins(database: Path) -> list[tuple[str, str]]:
    """(verdict, reason) of every check-in in a kiosk's log, oldest first."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return list(db.execute("SELECT verdict, reason FROM checkin ORDER BY id"))


@dataclass
class Platform:
    """``cityplatform serve`` on 127.0.0.1, as an operator starts it."""

    data: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def command(self, *args: str) -> str:
        result = subprocess.run(
            [str(CITYPLATFORM), *args, "--data", str(self.data)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if result.returncode != 0:
            raise AssertionError(f"cityplatform {args[0]} failed: {result.stderr}")
        return result.stdout.strip()

    def start(self) -> Platform:
        self.data.mkdir(parents=True, exist_ok=True)
        with (self.data / "serve.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    str(CITYPLATFORM),
                    "serve",
                    "--port",
                    str(self.port),
                    "--data",
                    str(self.data),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )

        def up() -> bool:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return True
            except OSError:
                return False

        wait_for("the platform to listen", up, timeout=30)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=15)
            self.process = None

    def checkins(self) -> list[dict[str, Any]]:
        database = self.data / "platform.db"
        if not database.exists():
            return []
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute("SELECT * FROM checkins")]


@dataclass
class Journey:
    """What one journey started, stopped at its end whatever happened."""

    display: Display
    root: Path
    apps: list[App] = field(default_factory=list)
    platforms: list[Platform] = field(default_factory=list)

    def app(self, home: Path, *args: str, shots: Path | None = None) -> App:
        made = App(self.display, home, args or ("run",), shots=shots)
        self.apps.append(made)
        return made

    def platform(self, name: str = "platform") -> Platform:
        made = Platform(self.root / name)
        self.platforms.append(made)
        return made

    def close(self) -> None:
        for app in self.apps:
            if app.process is not None and app.process.poll() is None:
                app.stop(signal.SIGKILL)
        for platform in self.platforms:
            platform.stop()


def journey(display: Display, root: Path) -> Iterator[Journey]:
    made = Journey(display, root)
    try:
        yield made
    finally:
        made.close()


VENUE_ID = "HCM-Q1-000123"


@dataclass
class CityKiosk:
    """A kiosk provisioned for a venue on a real platform, by the commands a technician
    and an operator type (docs/platform.md, the README)."""

    home: Path
    platform: Platform
    issuer_key: Path
    work: Path

    def card(self, name: str, birth: str, *, days_ago: int = 60) -> str:
        """A city card for ``name``, issued with the city issuer key (``kiosk issue``)."""
        from datetime import UTC, datetime, timedelta

        now = datetime.now(UTC)
        claims = {
            "issued_at": (now - timedelta(days=days_ago - 10)).isoformat(),
            "colour": "green",
            "holder": {"name": name, "birth_date": birth},
            "vaccinations": [
                {
                    "product": "EU/1/21/1529",
                    "dose": d,
                    "series": 2,
                    "date": (now - timedelta(days=days_ago + 60 * (2 - d))).date().isoformat(),
                }
                for d in (1, 2)
            ],
        }
        path = self.work / f"card-{abs(hash(name))}.json"
        path.write_text(json.dumps(claims, ensure_ascii=False), "utf-8")
        issued = run(["issue", "--key", str(self.issuer_key), "--claims", str(path)], self.home)
        return issued.stdout.strip().splitlines()[-1]


def city_kiosk(trip: Journey, home: Path, *extra: str) -> CityKiosk:
    """Platform up, a bundle with a city issuer published, the kiosk provisioned and
    enrolled with ``kiosk provision`` (``extra``: more of its options)."""
    platform = trip.platform().start()
    work = trip.root / "operator"
    work.mkdir(parents=True, exist_ok=True)
    run(["keys", "new-issuer", "--out", str(work / "city")], home)
    source = work / "source.json"
    source.write_text(
        json.dumps(
            {
                "issuers": [
                    {
                        "public_key": "city.pub",
                        "issuer": "VN-HCM",
                        "kinds": ["v", "r", "t"],
                        "formats": ["HCM1"],
                        "label": "HCDC",
                    }
                ]
            }
        ),
        "utf-8",
    )
    bundle = work / "bundle-1.cose"
    run(
        [
            "bundle",
            "make",
            "--root-key",
            str(platform.data / "root.key"),
            "--source",
            str(source),
            "--version",
            "1",
            "--out",
            str(bundle),
        ],
        home,
    )
    platform.command("publish", str(bundle))
    root = platform.command("root-key")
    token = platform.command("token", "--venue", VENUE_ID)
    run(
        [
            "provision",
            "--venue-id",
            VENUE_ID,
            "--venue-name",
            "Pho 24 Ly Tu Trong",
            "--category",
            "dine-in",
            "--root",
            root,
            "--platform",
            platform.url,
            "--token",
            token,
            *extra,
        ],
        home,
    )
    return CityKiosk(home, platform, work / "city.key", work)
