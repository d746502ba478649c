"""The official CertLogic conformance suites, run against kiosk.rules.certlogic.

One pytest case per assertion of ``testSuite/*.json`` and one per case of
``validation-testSuite/*.json``, read from the shared folder next to the repository
(``<repo>/../shared/conformance/certlogic``). Without that folder the tests skip,
except in CI (``CI=true``), where they fail.

A ``"directive": "skip"`` in a suite file (on the file, a case or an assertion) is
honoured, as the reference runners do: those assertions test behaviour the
specification does not (yet) define, or contradicts (see docs/design/001).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.errors import CertLogicError
from kiosk.rules.certlogic import compile_expression, evaluate, validate

SUITE_ROOT = Path(__file__).resolve().parents[2] / ".." / "shared" / "conformance" / "certlogic"
EVALUATION_DIR = SUITE_ROOT / "testSuite"
VALIDATION_DIR = SUITE_ROOT / "validation-testSuite"
SKIP_REASON = 'skipped by the suite\'s own "directive": "skip"'


@dataclass(frozen=True, slots=True)
class EvaluationAssertion:
    file: str
    case: str
    index: int
    expression: object
    data: object
    expected: object
    message: str
    skipped: bool


@dataclass(frozen=True, slots=True)
class ValidationCase:
    file: str
    index: int
    expression: object
    messages: tuple[str, ...]


def _suite_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.json")) if directory.is_dir() else []


def _load_evaluation_assertions() -> list[EvaluationAssertion]:
    assertions = []
    for path in _suite_files(EVALUATION_DIR):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for case in suite["cases"]:
            for index, assertion in enumerate(case["assertions"]):
                directives = (
                    suite.get("directive"),
                    case.get("directive"),
                    assertion.get("directive"),
                )
                assertions.append(
                    EvaluationAssertion(
                        file=path.stem,
                        case=case["name"],
                        index=index,
                        # An assertion may carry its own expression (JsonLogic-testSuite does).
                        expression=assertion.get(
                            "certLogicExpression", case.get("certLogicExpression")
                        ),
                        data=assertion["data"],
                        expected=assertion["expected"],
                        message=assertion.get("message", ""),
                        skipped="skip" in directives,
                    )
                )
    return assertions


def _load_validation_cases() -> list[ValidationCase]:
    cases = []
    for path in _suite_files(VALIDATION_DIR):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(suite["cases"]):
            cases.append(
                ValidationCase(
                    file=path.stem,
                    index=index,
                    expression=case["certLogicExpression"],
                    messages=tuple(issue["message"] for issue in case["issues"]),
                )
            )
    return cases


EVALUATION_ASSERTIONS = _load_evaluation_assertions()
VALIDATION_CASES = _load_validation_cases()


def _require_suite() -> None:
    if EVALUATION_ASSERTIONS and VALIDATION_CASES:
        return
    message = f"CertLogic conformance suite not found (or empty) at {SUITE_ROOT.resolve()}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must run it", pytrace=False)
    pytest.skip(message)


def _evaluation_params() -> list[object]:
    if not EVALUATION_ASSERTIONS:
        return [pytest.param(None, id="suite-missing")]
    return [
        pytest.param(
            assertion,
            id=f"{assertion.file}/{assertion.case}/#{assertion.index}",
            marks=[pytest.mark.skip(reason=SKIP_REASON)] if assertion.skipped else [],
        )
        for assertion in EVALUATION_ASSERTIONS
    ]


def _validation_params() -> list[object]:
    if not VALIDATION_CASES:
        return [pytest.param(None, id="suite-missing")]
    return [
        pytest.param(case, id=f"{case.file}/#{case.index}/{json.dumps(case.expression)[:40]}")
        for case in VALIDATION_CASES
    ]


def _canonical(value: object) -> str:
    """JSON text that tells ``true`` from ``1``, as ``==`` in Python does not."""
    return json.dumps(value, sort_keys=True)


@pytest.mark.parametrize("assertion", _evaluation_params())
def test_evaluation_assertion(assertion: EvaluationAssertion | None) -> None:
    _require_suite()
    assert assertion is not None
    try:
        result = evaluate(assertion.expression, assertion.data)
    except CertLogicError as exc:
        pytest.fail(f"raised {exc!r}; expected {assertion.expected!r} {assertion.message}")
    assert _canonical(result) == _canonical(assertion.expected), assertion.message


@pytest.mark.parametrize("case", _validation_params())
def test_validation_case(case: ValidationCase | None) -> None:
    _require_suite()
    assert case is not None
    assert validate(case.expression) == list(case.messages)
    # compile_expression must agree with validate on valid versus invalid.
    if case.messages:
        with pytest.raises(CertLogicError):
            compile_expression(case.expression)
    else:
        compile_expression(case.expression)


def test_suite_totals(capsys: pytest.CaptureFixture[str]) -> None:
    _require_suite()
    files = _suite_files(EVALUATION_DIR)
    skipped = sum(assertion.skipped for assertion in EVALUATION_ASSERTIONS)
    invalid = sum(bool(case.messages) for case in VALIDATION_CASES)
    with capsys.disabled():
        print(
            f"\nCertLogic conformance: {len(EVALUATION_ASSERTIONS)} evaluation assertions in "
            f"{len(files)} files ({len(EVALUATION_ASSERTIONS) - skipped} run, {skipped} skipped "
            f"by suite directive); {len(VALIDATION_CASES)} validation cases "
            f"({invalid} invalid, {len(VALIDATION_CASES) - invalid} valid)"
        )
    # Every file contributes, and the suite directives skip only a small part of it.
    assert {assertion.file for assertion in EVALUATION_ASSERTIONS} == {path.stem for path in files}
    assert skipped < len(EVALUATION_ASSERTIONS) // 10
    assert 0 < invalid < len(VALIDATION_CASES)
