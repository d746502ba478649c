"""One distinct sound per outcome, without QtMultimedia.

The tones are generated with the standard library (``wave``) into a cache directory the
first time they are needed, and played by ``aplay`` (ALSA) or ``paplay`` (PulseAudio /
PipeWire), whichever is on ``PATH``, as a child process: the GUI thread never waits and
never sees an exception. No player, no sound: the screen works the same.

===========  ======================  =======================================
cue          sound                   outcome
===========  ======================  =======================================
``admit``    two rising tones        green: admitted
``caution``  one mid tone            yellow: admitted, the guard takes a look
``refuse``   a low buzz              red: not admitted
``error``    three short beeps       not recorded: scan again or call the manager
===========  ======================  =======================================
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import subprocess
import wave
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

from kiosk.ui.viewstate import Cue

logger = logging.getLogger(__name__)

RATE: Final = 22050
_AMPLITUDE: Final = 0.6
_FADE_SECONDS: Final = 0.006  # no click at the start and end of a tone


class Sound(Protocol):
    """Plays the sound of an outcome; must return at once and never raise."""

    def play(self, cue: Cue) -> None: ...


class NullSound:
    """Silence (tests, and kiosks without speakers)."""

    def play(self, cue: Cue) -> None:
        return None


@dataclass(frozen=True, slots=True)
class Tone:
    """``seconds`` of ``hertz`` (0: silence); ``buzz`` adds odd harmonics (a square-ish,
    rough sound that carries in a noisy entrance and reads as "no")."""

    hertz: float
    seconds: float
    buzz: bool = False


#: Each cue as a sequence of tones. Changing one changes :data:`VERSION` too.
CUES: Final[dict[Cue, tuple[Tone, ...]]] = {
    "admit": (Tone(880, 0.12), Tone(0, 0.03), Tone(1320, 0.18)),
    "caution": (Tone(660, 0.35),),
    "refuse": (Tone(160, 0.6, buzz=True),),
    "error": (
        Tone(1000, 0.08),
        Tone(0, 0.06),
        Tone(1000, 0.08),
        Tone(0, 0.06),
        Tone(1000, 0.08),
    ),
}
#: In the cached file names, so a changed tone is generated anew.
VERSION: Final = 1

#: Players tried in order: the program and its arguments before the file name.
PLAYERS: Final = (("aplay", "-q"), ("paplay",))


def samples(tones: Sequence[Tone], rate: int = RATE) -> array[int]:
    """16-bit mono samples of ``tones`` played one after the other."""
    out = array("h")
    peak = _AMPLITUDE * 32767
    for tone in tones:
        count = round(tone.seconds * rate)
        fade = max(1, round(_FADE_SECONDS * rate))
        for i in range(count):
            if tone.hertz == 0:
                out.append(0)
                continue
            phase = 2 * math.pi * tone.hertz * i / rate
            value = math.sin(phase)
            if tone.buzz:
                value = (value + math.sin(3 * phase) / 3 + math.sin(5 * phase) / 5) / 1.2
            envelope = min(1.0, i / fade, (count - 1 - i) / fade)
            out.append(round(peak * value * envelope))
    return out


def write_wav(path: Path, tones: Sequence[Tone], rate: int = RATE) -> None:
    """Write ``tones`` as a WAV file; atomically, so a player never reads half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = samples(tones, rate)
    if data.itemsize != 2:  # pragma: no cover - "h" is 16 bits on every supported platform
        raise RuntimeError("16-bit samples expected")
    with wave.open(str(partial), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(data.tobytes())  # little-endian hosts: WAV's own byte order
    partial.replace(path)


class PlayerSound:
    """Plays cached WAV tones through ``aplay`` or ``paplay`` in a child process.

    The newest sound wins: a sound still playing when the next decision comes is stopped.
    """

    def __init__(
        self,
        cache_dir: Path,
        *,
        player: Sequence[str] | None = None,
        which: Callable[[str], str | None] = shutil.which,
    ) -> None:
        self._dir = cache_dir
        self._player = list(player) if player is not None else _find_player(which)
        self._playing: list[subprocess.Popen[bytes]] = []
        if self._player is None:
            logger.info("no aplay or paplay on PATH: the kiosk plays no sounds")

    @property
    def available(self) -> bool:
        return self._player is not None

    def path(self, cue: Cue) -> Path:
        return self._dir / f"{cue}-v{VERSION}.wav"

    def prepare(self) -> None:
        """Generate every cue's file now (optional: ``play`` generates on first use)."""
        for cue in CUES:
            self._file(cue)

    def play(self, cue: Cue) -> None:
        if self._player is None:
            return
        try:
            path = self._file(cue)
            if path is None:
                return
            self._stop_previous()
            self._playing.append(
                subprocess.Popen(  # noqa: S603 - our own player and our own file
                    [*self._player, str(path)],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
        except (OSError, ValueError, subprocess.SubprocessError) as exc:
            logger.warning("cannot play the %s sound: %s", cue, exc)

    def _file(self, cue: Cue) -> Path | None:
        path = self.path(cue)
        if not path.exists():
            try:
                write_wav(path, CUES[cue])
            except OSError as exc:
                logger.warning("cannot write the %s sound to %s: %s", cue, path, exc)
                return None
        return path

    def _stop_previous(self) -> None:
        still = []
        for process in self._playing:
            if process.poll() is None:
                process.terminate()
                still.append(process)  # reaped by a later poll()
        self._playing = [p for p in still if p.poll() is None]

    def close(self) -> None:
        self._stop_previous()


def _find_player(which: Callable[[str], str | None]) -> list[str] | None:
    for program, *args in PLAYERS:
        found = which(program)
        if found:
            return [found, *args]
    return None
