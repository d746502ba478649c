"""Every visible string of the app goes through Qt's translation system, and every one
has a Vietnamese translation (the .ts sources in kiosk/ui/i18n/)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

UI = Path(__file__).resolve().parents[2] / "kiosk" / "ui"
LUPDATE = Path(sys.executable).with_name("pyside6-lupdate")


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(ts).getroot()
    found = {}
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message
    return found


def _committed() -> dict[tuple[str, str], ET.Element]:
    messages: dict[tuple[str, str], ET.Element] = {}
    for ts in sorted((UI / "i18n").glob("*_vi.ts")):
        messages |= _messages(ts)
    return messages


def test_there_are_translation_sources() -> None:
    assert sorted((UI / "i18n").glob("*_vi.ts")), "no kiosk/ui/i18n/*_vi.ts"


def test_every_string_has_a_finished_vietnamese_translation() -> None:
    unfinished = []
    for (context, source), message in _committed().items():
        translation = message.find("translation")
        kind = translation.get("type") if translation is not None else "missing"
        if kind == "vanished" or kind == "obsolete":
            continue
        if translation is None or kind == "unfinished" or not (translation.text or "").strip():
            unfinished.append(f"{context}: {source!r}")
    assert not unfinished, "untranslated:\n" + "\n".join(unfinished)


@pytest.mark.skipif(not LUPDATE.exists(), reason="pyside6-lupdate is not installed")
def test_every_string_in_the_code_is_in_the_sources(tmp_path: Path) -> None:
    fresh = tmp_path / "all.ts"
    sources = sorted(str(p) for p in UI.glob("*.py"))
    subprocess.run([str(LUPDATE), *sources, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(_messages(fresh))
    missing = sorted(in_code - set(_committed()))
    assert not missing, "not in any kiosk/ui/i18n/*_vi.ts:\n" + "\n".join(map(str, missing))
