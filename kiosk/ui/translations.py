"""Translations through Qt's own system: ``kiosk/ui/i18n/*_vi.ts`` sources, compiled
to ``.qm`` by the build (``scripts/bootstrap.sh`` runs ``pyside6-lrelease``; the app
also compiles missing or stale ones on start). English is the source language;
Vietnamese is the default on the guard screen.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QTranslator

logger = logging.getLogger(__name__)

I18N_DIR: Final = Path(__file__).with_name("i18n")  # the *.ts sources and built *.qm
LANGUAGES: Final = ("vi", "en")


def _lrelease() -> str | None:
    beside = Path(sys.executable).with_name("pyside6-lrelease")
    return str(beside) if beside.exists() else shutil.which("pyside6-lrelease")


def compile_translations(directory: Path = I18N_DIR) -> list[Path]:
    """Compile every ``*.ts`` whose ``.qm`` is missing or older; returns the ``.qm`` files."""
    tool = _lrelease()
    compiled = []
    for source in sorted(directory.glob("*.ts")):
        target = source.with_suffix(".qm")
        stale = not target.exists() or target.stat().st_mtime < source.stat().st_mtime
        if stale and tool is not None:
            result = subprocess.run(  # noqa: S603 - the Qt tool beside our interpreter
                [tool, "-silent", str(source), "-qm", str(target)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode != 0:
                logger.error("cannot compile %s: %s", source.name, result.stderr.strip())
        if target.exists():
            compiled.append(target)
    return compiled


class Translations:
    """Switches the whole app between Vietnamese and English, one tap."""

    def __init__(self, app: QCoreApplication, directory: Path = I18N_DIR) -> None:
        self._app = app
        self._files = compile_translations(directory)
        self._installed: list[QTranslator] = []
        self.language = "en"

    def use(self, language: str) -> None:
        """Every word in ``language``: ``"vi"`` (or "VI", "vi-VN") installs the Vietnamese
        catalogues, anything else is English (the source language)."""
        language = "vi" if language.lower().startswith("vi") else "en"
        if language == self.language and (self._installed or language == "en"):
            return  # already so: no LanguageChange storm for every widget
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        if language == "vi":
            for path in self._files:
                translator = QTranslator(self._app)
                if translator.load(str(path)):
                    self._app.installTranslator(translator)
                    self._installed.append(translator)
                else:
                    logger.warning("cannot load translation %s", path.name)
        self.language = language

    def toggle(self) -> str:
        self.use("en" if self.language == "vi" else "vi")
        return self.language
