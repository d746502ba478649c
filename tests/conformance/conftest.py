"""Prints the EU DCC conformance table (per country) at the end of a run that collected it."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    module = sys.modules.get("test_dcc_conformance")
    table = getattr(module, "table", None)
    if table is None or not getattr(module, "cases", lambda: ())():
        return
    terminalreporter.section("EU DCC conformance, expectations per country")
    terminalreporter.write(table())
    terminalreporter.write("(details: docs/conformance.md)\n")
