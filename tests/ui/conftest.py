"""Qt tests run offscreen (no display needed); pytest-qt provides ``qtbot``."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
