"""Error codes (issue 9): every code the kiosk sets on an error is one of
``kiosk.errors.ERROR_CODES`` and has words in the wizard; the English message stays the
error's ``str``. Qt-free: the wizard's tables are read from its source with ``ast``."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from kiosk import provisioning
from kiosk.errors import ERROR_CODES, KioskError, RetryLater, SyncRejected, UsageError

KIOSK = Path(__file__).resolve().parents[2] / "kiosk"
WIZARD = KIOSK / "ui" / "wizard.py"


def _codes_set_in_source() -> dict[str, set[str]]:
    """Every string literal in a ``code=`` keyword of a call in the kiosk's source, by file."""
    found: dict[str, set[str]] = {}
    for path in KIOSK.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg != "code":
                        continue
                    # a literal, or the literals of ``"a" if … else "b"``
                    for leaf in ast.walk(keyword.value):
                        if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                            found.setdefault(str(path.relative_to(KIOSK)), set()).add(leaf.value)
    return found


def _wizard_table(method: str) -> set[str]:
    """The keys of the dict a wizard method returns (its code -> words table)."""
    for node in ast.walk(ast.parse(WIZARD.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef) and node.name == method:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Dict):
                    return {
                        key.value
                        for key in inner.value.keys
                        if isinstance(key, ast.Constant) and isinstance(key.value, str)
                    }
    raise AssertionError(f"no table in ProvisioningWizard.{method}")


def test_every_code_set_on_an_error_is_a_known_code() -> None:
    by_file = _codes_set_in_source()
    # The self-test's codes (Check.code) are a table of their own, worded by the wizard too.
    by_file.pop("provisioning.py", None)
    source = _codes_set_in_source()["provisioning.py"] - provisioning.CHECK_CODES
    unknown = {code for codes in by_file.values() for code in codes} | source
    unknown -= ERROR_CODES
    assert not unknown, f"codes set but not in kiosk.errors.ERROR_CODES: {sorted(unknown)}"


def test_every_known_code_is_set_somewhere() -> None:
    used = {code for codes in _codes_set_in_source().values() for code in codes}
    assert not ERROR_CODES - used, f"codes never set: {sorted(ERROR_CODES - used)}"


def test_the_wizard_has_words_for_every_code() -> None:
    words = _wizard_table("_error_words")
    assert not ERROR_CODES - words, f"no words in the wizard: {sorted(ERROR_CODES - words)}"
    details = _wizard_table("_enroll_detail_words")
    missing = provisioning.ENROLL_DETAIL_CODES - details
    assert not missing, f"enrollment details without words: {sorted(missing)}"


def test_the_english_message_stays_the_errors_str() -> None:
    error = UsageError("the venue id must not be empty", code="text_empty", values={"a": "b"})
    assert str(error) == "the venue id must not be empty"
    assert error.args == ("the venue id must not be empty",)
    assert (error.code, dict(error.values)) == ("text_empty", {"a": "b"})
    plain = KioskError("plain")
    assert (plain.code, dict(plain.values)) == (None, {})
    copy = pickle.loads(pickle.dumps(error))
    assert (str(copy), copy.code, dict(copy.values)) == (str(error), "text_empty", {"a": "b"})


def test_sync_errors_keep_their_own_fields() -> None:
    later = RetryLater("/v1/time: timed out", 5.0, code="platform_timeout")
    assert (later.retry_after, later.code, str(later)) == (
        5.0,
        "platform_timeout",
        "/v1/time: timed out",
    )
    refused = SyncRejected("/v1/enroll: HTTP 403 token_used: x", 403, "token_used", 2)
    assert (refused.status, refused.code, refused.index) == (403, "token_used", 2)
    assert dict(refused.values) == {"status": "403"}
    assert str(refused) == "/v1/enroll: HTTP 403 token_used: x"
