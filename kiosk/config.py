"""The kiosk's settings: ``<config>/kiosk.json``, written at provisioning.

Every field has a default, so an unprovisioned kiosk runs the demo. Unknown keys are
kept out (a typo is an error with the key's name, not a silent default).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path

from kiosk.errors import UsageError
from kiosk.fileio import write_atomic
from kiosk.paths import Paths

FILE_NAME = "kiosk.json"
#: A red (or "not recorded") screen stays this much longer than a green or yellow one:
#: the guard must read why, and the person what to do.
RED_HOLD = 1.5


@dataclass(frozen=True, slots=True)
class Settings:
    #: ``auto`` (the measured best: zxing-cpp, else pyzbar), ``zxing`` or ``pyzbar``.
    decoder: str = "auto"
    #: A camera index (``"0"``), a device path (``/dev/video2``), ``synthetic`` for the
    #: demo camera, or a video file.
    camera: str = "0"
    camera_width: int = 1280
    camera_height: int = 720
    #: The same card held in view yields one decision per this many seconds.
    debounce_seconds: float = 5.0
    #: The venue's category code (``dine-in``, ``supermarket``…); none admits any colour.
    venue_category: str | None = None
    venue_id: str | None = None
    venue_name: str | None = None
    #: A card seen again within this many minutes is flagged as returning (0: off).
    reentry_minutes: int = 120
    #: The guard screen's language: ``vi`` or ``en``.
    language: str = "vi"
    #: Seconds a decision stays on screen before the kiosk returns to scanning.
    decision_seconds: float = 4.0
    #: Where the manager's CSV and PDF exports go; relative paths are under the data
    #: directory (default ``<data>/exports``).
    exports_dir: str | None = None

    def shown_seconds(self, *, red: bool) -> float:
        """How long a decision stays on screen before the kiosk scans again."""
        base = max(0.1, self.decision_seconds)
        return base * RED_HOLD if red else base

    @classmethod
    def load(cls, paths: Paths) -> Settings:
        path = paths.config / FILE_NAME
        if not path.exists():
            return cls()
        try:
            raw = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise UsageError(f"cannot read settings {path}: {exc}") from exc
        if not isinstance(raw, dict):
            raise UsageError(f"settings {path} must be a JSON object")
        unknown = sorted(set(raw) - set(_TYPES))
        if unknown:
            raise UsageError(f"settings {path}: unknown key(s) {', '.join(unknown)}")
        for name, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, _TYPES[name]):
                raise UsageError(f"settings {path}: {name} has the wrong type ({value!r:.40})")
        if "language" in raw:  # "VI", "vi-VN" -> "vi"; anything else -> English
            raw["language"] = "vi" if str(raw["language"]).lower().startswith("vi") else "en"
        return cls(**raw)

    def save(self, paths: Paths) -> Path:
        path = paths.config / FILE_NAME
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        write_atomic(path, (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode())
        return path


_TYPES: dict[str, type | tuple[type, ...]] = {
    "decoder": str,
    "camera": str,
    "camera_width": int,
    "camera_height": int,
    "debounce_seconds": (int, float),
    "venue_category": (str, type(None)),
    "venue_id": (str, type(None)),
    "venue_name": (str, type(None)),
    "reentry_minutes": int,
    "language": str,
    "decision_seconds": (int, float),
    "exports_dir": (str, type(None)),
}
