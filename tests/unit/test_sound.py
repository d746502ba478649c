"""The outcome sounds: generated WAV tones, played by a child process, never raising."""

from __future__ import annotations

import time
import wave
from array import array
from itertools import pairwise
from pathlib import Path

import pytest

from kiosk.ui.sound import CUES, RATE, NullSound, PlayerSound, Tone, samples, write_wav


def _read(path: Path) -> array[int]:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
        data = array("h")
        data.frombytes(wav.readframes(wav.getnframes()))
    return data


def _hertz(part: array[int]) -> float:
    """Frequency from zero crossings (two per period)."""
    crossings = sum(1 for a, b in pairwise(part) if (a < 0) != (b < 0))
    return crossings / 2 / (len(part) / RATE)


def _bursts(data: array[int]) -> int:
    """Separate sounds: 5 ms windows going from quiet to loud."""
    step = RATE // 200
    loud = [max(abs(v) for v in data[i : i + step]) > 1000 for i in range(0, len(data), step)]
    return sum(1 for before, now in zip([False, *loud], loud, strict=False) if now and not before)


def _script(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def test_every_cue_is_a_valid_wav_of_its_length(tmp_path: Path) -> None:
    for cue, tones in CUES.items():
        path = tmp_path / f"{cue}.wav"
        write_wav(path, tones)
        data = _read(path)
        assert len(data) == sum(round(t.seconds * RATE) for t in tones), cue
        assert max(abs(v) for v in data) > 10_000, cue  # loud enough to hear
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left over


def test_the_cues_sound_different() -> None:
    admit = samples(CUES["admit"])
    first = admit[: round(0.12 * RATE)]
    second = admit[-round(0.18 * RATE) :]
    assert _hertz(first) == pytest.approx(880, rel=0.05)
    assert _hertz(second) == pytest.approx(1320, rel=0.05)  # rising
    assert _hertz(samples(CUES["caution"])) == pytest.approx(660, rel=0.05)
    assert _hertz(samples(CUES["refuse"])) < 400  # low
    assert _bursts(samples(CUES["error"])) == 3  # three beeps
    assert _bursts(samples(CUES["caution"])) == 1
    assert len({tuple(samples(tones)) for tones in CUES.values()}) == len(CUES)


def test_tones_start_and_end_quietly() -> None:
    data = samples([Tone(1000, 0.1)])
    assert abs(data[0]) < 100
    assert abs(data[-1]) < 100


def test_the_player_gets_the_cached_file(tmp_path: Path) -> None:
    log = tmp_path / "played.txt"
    player = _script(tmp_path, "fakeplay", f'echo "$@" >> "{log}"')
    sound = PlayerSound(tmp_path / "cache", player=[str(player), "-q"])
    assert sound.available
    sound.play("refuse")
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    args = log.read_text().split()
    assert args == ["-q", str(sound.path("refuse"))]
    assert len(_read(sound.path("refuse"))) == round(0.6 * RATE)
    sound.close()


def test_the_newest_sound_stops_the_one_still_playing(tmp_path: Path) -> None:
    player = _script(tmp_path, "slowplay", "exec sleep 30")
    sound = PlayerSound(tmp_path / "cache", player=[str(player)])
    sound.play("admit")
    first = sound._playing[0]
    sound.play("error")
    assert first.wait(timeout=10) != 0  # terminated
    sound.close()
    for process in sound._playing:
        process.wait(timeout=10)


def test_aplay_is_found_on_the_path_first() -> None:
    found = {"aplay": "/usr/bin/aplay", "paplay": "/usr/bin/paplay"}
    assert PlayerSound(Path("/nonexistent"), which=found.get)._player == ["/usr/bin/aplay", "-q"]
    only_pulse = {"paplay": "/usr/bin/paplay"}
    assert PlayerSound(Path("/nonexistent"), which=only_pulse.get)._player == ["/usr/bin/paplay"]


def test_without_a_player_nothing_happens(tmp_path: Path) -> None:
    sound = PlayerSound(tmp_path / "cache", which=lambda _name: None)
    assert not sound.available
    sound.play("admit")
    assert not (tmp_path / "cache").exists()


def test_a_broken_player_or_cache_never_raises(tmp_path: Path) -> None:
    missing = PlayerSound(tmp_path / "cache", player=[str(tmp_path / "no-such-player")])
    missing.play("error")  # OSError from Popen: logged, not raised
    blocked = tmp_path / "a-file"
    blocked.write_text("not a directory")
    unwritable = PlayerSound(blocked / "cache", player=["true"])
    unwritable.play("caution")  # cannot write the WAV: logged, not raised


def test_play_returns_before_the_sound_ends(tmp_path: Path) -> None:
    player = _script(tmp_path, "slowplay", "exec sleep 30")
    sound = PlayerSound(tmp_path / "cache", player=[str(player)])
    sound.play("caution")
    assert sound._playing[0].poll() is None  # still playing: play() did not wait for it
    sound.close()
    sound._playing[0].wait(timeout=10)


def test_null_sound_is_silent() -> None:
    NullSound().play("admit")  # nothing to hear, nothing raised
