"""``kiosk scan-image`` and ``kiosk scan``, in-process (``cli.main``) and as real
subprocesses, over real PNG files, a real MJPG video, standard input and a real
pseudo-terminal standing in for a serial scanner.

Every test works under its own ``tmp_path``: in-process calls get ``paths=Paths(...)``
built there, subprocesses get ``KIOSK_HOME`` pointing there. The cards are the demo
cards, signed by demo keys made in that directory (the kiosk is not provisioned, so it
judges with the demo trust data).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import pytest
import segno

from kiosk import cli
from kiosk.demo import DemoCard, demo_cards, demo_kit
from kiosk.paths import Paths
from kiosk.qrimage import write_png
from kiosk.scanner import decoders

REPO = Path(__file__).resolve().parents[2]
Image = npt.NDArray[np.uint8]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json_lines(self) -> list[dict[str, object]]:
        return [json.loads(line) for line in self.out.splitlines() if line.strip()]


def paths_under(home: Path) -> Paths:
    """The same directories ``KIOSK_HOME=home`` gives a subprocess."""
    return Paths(data=home / "data", config=home / "config", logs=home / "logs")


@dataclass
class Kiosk:
    """Runs ``kiosk.cli.main`` in-process with this test's own paths."""

    home: Path
    capsys: pytest.CaptureFixture[str]

    @property
    def paths(self) -> Paths:
        return paths_under(self.home)

    def __call__(self, *argv: str | Path, stdin: str = "") -> Result:
        self.capsys.readouterr()
        out = io.StringIO()
        code = cli.main([str(a) for a in argv], out=out, stdin=io.StringIO(stdin), paths=self.paths)
        captured = self.capsys.readouterr()
        return Result(code, out.getvalue() + captured.out, captured.err)

    def cards(self) -> list[DemoCard]:
        return demo_cards(demo_kit(self.paths), datetime.now(UTC))


@pytest.fixture
def kiosk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Kiosk:
    return Kiosk(tmp_path / "home", capsys)


def run_subprocess(home: Path, *argv: str | Path, stdin: str | bytes = b"") -> Result:
    env = {**os.environ, "KIOSK_HOME": str(home), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, argv)],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        env=env,
        cwd=home.parent,
        timeout=120,
        check=False,
    )
    return Result(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def qr_frame(text: str, *, size: tuple[int, int] = (480, 640), scale: int = 4) -> Image:
    """A white BGR frame with ``text`` as a QR code in the middle."""
    modules = np.array(segno.make_qr(text, error="m").matrix, dtype=np.uint8)
    code = np.kron(
        np.where(modules == 1, 0, 255).astype(np.uint8), np.ones((scale, scale), np.uint8)
    )
    frame = np.full(size, 255, np.uint8)
    top, left = (size[0] - code.shape[0]) // 2, (size[1] - code.shape[1]) // 2
    frame[top : top + code.shape[0], left : left + code.shape[1]] = code
    return np.repeat(frame[:, :, np.newaxis], 3, axis=2)


def blank_frame() -> Image:
    return np.full((480, 640, 3), 180, np.uint8)


def write_video(path: Path, frames: list[Image]) -> Path:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (640, 480))
    assert writer.isOpened(), "this OpenCV build cannot write MJPG/AVI"
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def write_blank_png(path: Path) -> Path:
    assert cv2.imwrite(str(path), blank_frame())
    return path


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.err
    assert "internal error" not in result.err


# --- scan-image --------------------------------------------------------------------------------


@pytest.fixture
def images(kiosk: Kiosk, tmp_path: Path) -> tuple[Path, Path, Path, str]:
    """A PNG with a card's QR code, a PNG with none, and a file that is no image."""
    text = kiosk.cards()[0].text
    card = tmp_path / "card.png"
    write_png(text, card)
    blank = write_blank_png(tmp_path / "blank.png")
    garbage = tmp_path / "garbage.png"
    garbage.write_bytes(b"\x89PNG\r\n\x1a\nthis is not an image at all" * 3)
    return card, blank, garbage, text


def test_scan_image_json(kiosk: Kiosk, images: tuple[Path, Path, Path, str]) -> None:
    card, blank, _, text = images
    result = kiosk("scan-image", "--json", card, blank)
    assert result.code == 0, result.err
    assert result.json_lines() == [
        {"file": str(card), "decoder": "zxing", "texts": [text]},
        {"file": str(blank), "decoder": "zxing", "texts": []},
    ]


def test_scan_image_a_non_image_is_an_error_record_and_status_2(
    kiosk: Kiosk, images: tuple[Path, Path, Path, str]
) -> None:
    card, _, garbage, text = images
    missing = garbage.with_name("missing.png")
    result = kiosk("scan-image", "--json", garbage, card, missing)
    assert result.code == 2
    first, second, third = result.json_lines()
    assert first == {"file": str(garbage), "error": "not a readable image file"}
    assert second["texts"] == [text]  # the good file in between is still scanned
    assert third == {"file": str(missing), "error": "not a readable image file"}
    assert f"{garbage}: not a readable image file" in result.err
    assert f"{missing}: not a readable image file" in result.err
    no_traceback(result)


def test_scan_image_text_output(kiosk: Kiosk, images: tuple[Path, Path, Path, str]) -> None:
    card, blank, _, text = images
    result = kiosk("scan-image", card, blank)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        f"{card}: 1 QR code(s)",
        f"  {text}",
        f"{blank}: 0 QR code(s)",
    ]


def test_scan_image_decoders_agree(kiosk: Kiosk, images: tuple[Path, Path, Path, str]) -> None:
    card, blank, _, text = images
    by_decoder = {}
    for name in ("zxing", "pyzbar", "auto"):
        result = kiosk("scan-image", "--json", "--decoder", name, card, blank)
        assert result.code == 0, result.err
        records = result.json_lines()
        assert {r["decoder"] for r in records} == {"zxing" if name == "auto" else name}
        by_decoder[name] = [r["texts"] for r in records]
    assert by_decoder["zxing"] == by_decoder["pyzbar"] == by_decoder["auto"] == [[text], []]


def test_scan_image_uses_the_configured_decoder(
    kiosk: Kiosk, images: tuple[Path, Path, Path, str]
) -> None:
    card, _, _, _ = images
    kiosk.paths.config.mkdir(parents=True)
    (kiosk.paths.config / "kiosk.json").write_text('{"decoder": "pyzbar"}', "utf-8")
    (record,) = kiosk("scan-image", "--json", card).json_lines()
    assert record["decoder"] == "pyzbar"


def test_scan_image_an_unknown_decoder_is_a_usage_error(
    kiosk: Kiosk, images: tuple[Path, Path, Path, str]
) -> None:
    card, _, _, _ = images
    result = kiosk("scan-image", "--decoder", "zbar", card)
    assert result.code == 2
    assert "zbar" in result.err
    no_traceback(result)


def test_scan_image_as_a_subprocess(tmp_path: Path, kiosk: Kiosk) -> None:
    home = kiosk.home
    text = kiosk.cards()[1].text
    card = tmp_path / "card.png"
    write_png(text, card)
    blank = write_blank_png(tmp_path / "blank.png")
    garbage = tmp_path / "notes.png"
    garbage.write_text("meeting notes, not a picture", "utf-8")
    result = run_subprocess(home, "scan-image", "--json", card, blank, garbage)
    assert result.code == 2
    assert result.json_lines() == [
        {"file": str(card), "decoder": "zxing", "texts": [text]},
        {"file": str(blank), "decoder": "zxing", "texts": []},
        {"file": str(garbage), "error": "not a readable image file"},
    ]
    assert f"kiosk: {garbage}: not a readable image file" in result.err
    no_traceback(result)


# --- scan over a video file -----------------------------------------------------------------------


def test_scan_a_video_with_two_cards(kiosk: Kiosk, tmp_path: Path) -> None:
    cards = kiosk.cards()
    green, yellow = cards[0], cards[2]  # two doses; a negative test (yellow)
    # Long runs: the loop skips the frames read while a decision is being recorded
    # (newest frame wins), so each card must stay in view well past that.
    frames = (
        [blank_frame()] * 10
        + [qr_frame(green.text)] * 60
        + [blank_frame()] * 10
        + [qr_frame(yellow.text)] * 120
        + [blank_frame()] * 10
    )
    video = write_video(tmp_path / "door.avi", frames)
    result = kiosk("scan", "--source", f"video:{video}", "--json", "--venue", "supermarket")
    assert result.code == 0, result.err
    first, second = result.json_lines()  # one decision per card, however many frames
    assert first["card_id"] == "00000000-0000-0000-0000-000000000001"
    assert second["card_id"] == "00000000-0000-0000-0000-000000000003"
    assert (first["verdict"], first["reason"]) == ("green", "admitted_green")
    assert (second["verdict"], second["reason"]) == ("yellow", "admitted_yellow")
    assert first["venue"] == second["venue"] == "supermarket"
    assert all(isinstance(d["latency_ms"], float) and d["latency_ms"] >= 0 for d in (first, second))
    assert "video" in result.err
    assert "2 decisions" in result.err
    no_traceback(result)


def test_scan_a_video_at_a_restaurant_refuses_the_yellow_card(kiosk: Kiosk, tmp_path: Path) -> None:
    yellow = kiosk.cards()[2]  # a negative test
    video = write_video(tmp_path / "door.avi", [qr_frame(yellow.text)] * 20)
    result = kiosk("scan", "--source", f"video:{video}", "--json", "--venue", "dine-in")
    assert result.code == 0, result.err
    (decision,) = result.json_lines()
    assert (decision["verdict"], decision["reason"]) == ("red", "not_admitted")
    assert decision["card_id"] == "00000000-0000-0000-0000-000000000003"


def test_scan_max_decisions_stops_early(kiosk: Kiosk, tmp_path: Path) -> None:
    cards = kiosk.cards()
    frames = [qr_frame(cards[0].text)] * 15 + [qr_frame(cards[4].text)] * 15
    video = write_video(tmp_path / "door.avi", frames)
    result = kiosk("scan", "--source", f"video:{video}", "--json", "--max-decisions", "1")
    assert result.code == 0, result.err
    assert len(result.json_lines()) == 1


def test_scan_max_decisions_on_a_payload_source(kiosk: Kiosk) -> None:
    """Payload sources check the bound after every decision: three cards typed, two decided."""
    cards = kiosk.cards()
    typed = f"{cards[0].text}\r\n{cards[4].text}\r\n{cards[5].text}\r\n".encode()
    result = run_subprocess(
        kiosk.home, "scan", "--source", "stdin", "--json", "--max-decisions", "2", stdin=typed
    )
    assert result.code == 0, result.err
    assert len(result.json_lines()) == 2


# --- scan over a folder of images -------------------------------------------------------------


def test_scan_a_folder(kiosk: Kiosk, tmp_path: Path) -> None:
    folder = tmp_path / "shots"
    folder.mkdir()
    write_blank_png(folder / "a_blank.png")
    (folder / "b_broken.png").write_bytes(b"not a png")
    (folder / "c_readme.txt").write_text("ignored", "utf-8")
    expired = kiosk.cards()[4]
    write_png(expired.text, folder / "d_card.png")  # the last image: never skipped
    result = kiosk("scan", "--source", f"folder:{folder}", "--json")
    assert result.code == 0, result.err
    (decision,) = result.json_lines()
    assert (decision["verdict"], decision["reason"]) == ("red", "expired")
    assert decision["card_id"] == "00000000-0000-0000-0000-000000000004"
    no_traceback(result)


def test_scan_a_folder_decides_every_card_even_with_a_slow_decoder(
    kiosk: Kiosk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_make_decoder = decoders.make_decoder

    class SlowDecoder:
        """The real decoder on a slow kiosk CPU: 50 ms per frame."""

        def __init__(self, name: str) -> None:
            self._real = real_make_decoder(name)
            self.name = self._real.name

        def decode(self, image: Image) -> list[bytes]:
            time.sleep(0.05)
            return self._real.decode(image)

    monkeypatch.setattr(decoders, "make_decoder", SlowDecoder)
    folder = tmp_path / "shots"
    folder.mkdir()
    cards = kiosk.cards()
    chosen = [cards[0], cards[1], cards[4], cards[5]]  # four different card ids
    for number, card in enumerate(chosen):
        write_png(card.text, folder / f"{number}.png")
    result = kiosk("scan", "--source", f"folder:{folder}", "--json")
    assert result.code == 0, result.err
    assert [d["card_id"] for d in result.json_lines()] == [
        "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-000000000002",
        "00000000-0000-0000-0000-000000000004",
        "00000000-0000-4000-8000-00000000dead",
    ]


# --- scan from standard input (a keyboard-wedge scanner) ---------------------------------------


def test_scan_stdin_as_a_subprocess(kiosk: Kiosk) -> None:
    cards = kiosk.cards()
    typed = f"{cards[0].text}\r\n\r\n{cards[1].text}\r\n".encode()
    result = run_subprocess(kiosk.home, "scan", "--source", "stdin", "--json", stdin=typed)
    assert result.code == 0, result.err
    first, second = result.json_lines()
    assert first["card_id"] == "00000000-0000-0000-0000-000000000001"
    assert second["card_id"] == "00000000-0000-0000-0000-000000000002"
    assert first["verdict"] == "green"
    assert "keyboard" in result.err
    no_traceback(result)


def test_scan_stdin_debounces_a_double_scan_and_judges_garbage(kiosk: Kiosk) -> None:
    green = kiosk.cards()[0].text
    typed = f"{green}\r\n{green}\r\nhttps://example.com/menu\n\xff\xfe\n".encode("latin-1")
    result = run_subprocess(kiosk.home, "scan", "--source", "stdin", "--json", stdin=typed)
    assert result.code == 0, result.err
    card, url, binary = result.json_lines()  # the second scan of the card is debounced
    assert card["verdict"] == "green"
    assert (url["verdict"], url["reason"]) == ("red", "unsupported_format")
    assert (binary["verdict"], binary["reason"]) == ("red", "unsupported_format")
    no_traceback(result)


def test_scan_stdin_in_process_reads_the_given_stdin(
    kiosk: Kiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The process's own stdin is empty, so a scanner reading it finds nothing (no hang).
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b""), encoding="utf-8"))
    cards = kiosk.cards()
    typed = f"{cards[0].text}\r\n{cards[1].text}\r\n"
    result = kiosk("scan", "--source", "stdin", "--json", stdin=typed)
    assert result.code == 0, result.err
    assert len(result.json_lines()) == 2


# --- scan from a serial scanner (a real pseudo-terminal) ---------------------------------------


def test_scan_serial_over_a_pty(kiosk: Kiosk) -> None:
    cards = kiosk.cards()
    master, slave = os.openpty()
    port = os.ttyname(slave)
    env = {**os.environ, "KIOSK_HOME": str(kiosk.home), "PYTHONIOENCODING": "utf-8"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    argv = ["scan", "--source", f"serial:{port}@9600", "--json", "--max-decisions", "2"]
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *argv],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=kiosk.home.parent,
    )
    try:
        assert process.stderr is not None
        seen = []
        while not any("Scanning from" in line for line in seen):  # the port is open now
            line = process.stderr.readline().decode("utf-8")
            assert line, f"kiosk scan ended early: {''.join(seen)}"
            seen.append(line)
        assert f"serial {port}" in seen[-1]
        os.write(master, cards[0].text.encode()[:50])  # a slow scanner: two bursts
        os.write(master, cards[0].text.encode()[50:] + b"\r\n" + cards[1].text.encode() + b"\r")
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
        os.close(slave)
    result = Result(process.returncode, out.decode("utf-8"), "".join(seen) + err.decode())
    assert result.code == 0, result.err
    first, second = result.json_lines()
    assert first["card_id"] == "00000000-0000-0000-0000-000000000001"
    assert second["card_id"] == "00000000-0000-0000-0000-000000000002"
    no_traceback(result)


# --- sources that cannot be opened ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "named"),
    [
        ("/dev/nonexistent", "/dev/nonexistent"),
        ("video:/nonexistent/door.avi", "/nonexistent/door.avi"),
        ("folder:/nonexistent/shots", "/nonexistent/shots"),
        ("serial:/dev/nonexistent-tty", "/dev/nonexistent-tty"),
    ],
)
def test_a_source_that_cannot_be_opened_is_exit_2_naming_it(
    kiosk: Kiosk, spec: str, named: str
) -> None:
    result = kiosk("scan", "--source", spec, "--json")
    assert result.code == 2
    assert result.out == ""
    assert "kiosk: error:" in result.err
    assert named in result.err
    no_traceback(result)


def test_an_empty_folder_is_exit_2(kiosk: Kiosk, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = kiosk("scan", "--source", f"folder:{empty}")
    assert result.code == 2
    assert "holds no images" in result.err
    no_traceback(result)


def test_a_nonexistent_camera_as_a_subprocess(kiosk: Kiosk) -> None:
    result = run_subprocess(kiosk.home, "scan", "--source", "/dev/nonexistent", "--json")
    assert result.code == 2
    assert result.out == ""
    assert "/dev/nonexistent" in result.err
    no_traceback(result)
