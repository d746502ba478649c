"""Where the kiosk keeps its files: one :class:`Paths` object, nothing at import time.

By default the platform's directories (``platformdirs``): on Linux
``~/.local/share/kiosk`` for data and ``~/.local/state/kiosk/log`` for logs.
``KIOSK_HOME`` puts everything under one directory instead (development, tests,
a kiosk whose data lives on a separate partition).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "kiosk"


@dataclass(frozen=True, slots=True)
class Paths:
    data: Path
    config: Path
    logs: Path
    #: Where the demo's keys live, when not under ``data`` (the demo kiosk shares the
    #: machine's demo keys with the demo platform: see ``kiosk.demo_env``).
    demo_keys: Path | None = None

    @classmethod
    def default(cls, environ: dict[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        home = env.get("KIOSK_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(data=root / "data", config=root / "config", logs=root / "logs")
        return cls(
            data=Path(platformdirs.user_data_dir(APP)),
            config=Path(platformdirs.user_config_dir(APP)),
            logs=Path(platformdirs.user_log_dir(APP)),
        )

    @property
    def trust(self) -> Path:
        """The pinned root key and the installed trust bundle."""
        return self.data / "trust"

    @property
    def demo(self) -> Path:
        """Keys and cards of the built-in demo, made on first use on this machine."""
        return self.demo_keys if self.demo_keys is not None else self.data / "demo"
