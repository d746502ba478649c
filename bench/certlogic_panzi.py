"""Our CertLogic engine against panzi-json-logic: the official suite, then speed.

Runs every assertion of the CertLogic conformance suite (``testSuite/``) and every case
of the validation suite (``validation-testSuite/``) through ``kiosk.rules.certlogic``
and through ``json_logic.certLogic`` (PyPI: panzi-json-logic, its CertLogic mode), and
prints pass/fail counts side by side. Then it times both on a realistic DCC-style rule
in the same process. The numbers are quoted in docs/design/001-certlogic-engine.md.

    .venv/bin/python bench/certlogic_panzi.py [--iterations 5000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:  # run from a checkout, without installing the kiosk
    sys.path.insert(0, str(REPO_ROOT))

from json_logic import certLogic  # type: ignore[import-untyped]  # noqa: E402

from kiosk.rules.certlogic import compile_expression, evaluate, validate  # noqa: E402

DEFAULT_SUITE = REPO_ROOT / ".." / "shared" / "conformance" / "certlogic"

Engine = Callable[[object, object], object]

# Modelled on the EU's VR-EU-0002/0003 vaccination rules: full series, an accepted
# product, at least 14 days since the last dose at validationClock, and (via reduce)
# some dose that completes its series.
RULE: object = {
    "if": [
        {"var": "payload.v.0"},
        {
            "and": [
                {">=": [{"var": "payload.v.0.dn"}, {"var": "payload.v.0.sd"}]},
                {
                    "in": [
                        {"var": "payload.v.0.mp"},
                        {"var": "external.valueSets.vaccines-covid-19-names"},
                    ]
                },
                {
                    "not-before": [
                        {"plusTime": [{"var": "external.validationClock"}, 0, "day"]},
                        {"plusTime": [{"var": "payload.v.0.dt"}, 14, "day"]},
                    ]
                },
                {
                    "reduce": [
                        {"var": "payload.v"},
                        {
                            "if": [
                                {"var": "accumulator"},
                                True,
                                {">=": [{"var": "current.dn"}, {"var": "current.sd"}]},
                            ]
                        },
                        False,
                    ]
                },
            ]
        },
        True,
    ]
}
DATA: object = {
    "payload": {
        "ver": "1.3.0",
        "dob": "1980-04-12",
        "v": [
            {
                "tg": "840539006",
                "vp": "1119349007",
                "mp": "EU/1/20/1528",
                "ma": "ORG-100030215",
                "dn": 2,
                "sd": 2,
                "dt": "2021-06-01",
                "co": "VN",
                "is": "Ministry of Health",
                "ci": "URN:UVCI:01:VN:HCMC/0123456789#K",
            }
        ],
    },
    "external": {
        "validationClock": "2021-09-15T10:30:00+07:00",
        "countryCode": "VN",
        "valueSets": {
            "vaccines-covid-19-names": [
                "EU/1/20/1528",
                "EU/1/20/1507",
                "EU/1/21/1529",
                "EU/1/20/1525",
            ]
        },
    },
}


@dataclass(slots=True)
class Tally:
    passed: int = 0
    failed: int = 0
    raised: int = 0  # failures that were exceptions
    exception_types: dict[str, int] = field(default_factory=dict)

    def record(self, ok: bool, exc: BaseException | None = None) -> None:
        if ok:
            self.passed += 1
            return
        self.failed += 1
        if exc is not None:
            self.raised += 1
            name = type(exc).__name__
            self.exception_types[name] = self.exception_types.get(name, 0) + 1

    def __str__(self) -> str:
        raised = f" ({self.raised} raised)" if self.raised else ""
        return f"{self.passed} pass / {self.failed} fail{raised}"


def same_json(result: object, expected: object) -> bool:
    """JSON equality as JavaScript sees it: 3 == 3.0, but true != 1."""
    if isinstance(expected, bool) or isinstance(result, bool):
        return result is expected
    if expected is None or result is None:
        return result is expected
    if isinstance(expected, int | float):
        return isinstance(result, int | float) and result == expected
    if isinstance(expected, str):
        return isinstance(result, str) and result == expected
    if isinstance(expected, list):
        return (
            isinstance(result, list)
            and len(result) == len(expected)
            and all(same_json(r, e) for r, e in zip(result, expected, strict=True))
        )
    if isinstance(expected, dict):
        return (
            isinstance(result, dict)
            and result.keys() == expected.keys()
            and all(same_json(result[key], value) for key, value in expected.items())
        )
    return False


def panzi(expr: object, data: object) -> object:
    return certLogic(expr, data)


def run_evaluation_suite(suite_dir: Path, engine: Engine) -> tuple[Tally, Tally]:
    """(assertions the suite runs, assertions the suite itself marks "skip")."""
    run, skipped = Tally(), Tally()
    for path in sorted((suite_dir / "testSuite").glob("*.json")):
        suite = json.loads(path.read_text(encoding="utf-8"))
        for case in suite["cases"]:
            for assertion in case["assertions"]:
                directives = (
                    suite.get("directive"),
                    case.get("directive"),
                    assertion.get("directive"),
                )
                tally = skipped if "skip" in directives else run
                expr = assertion.get("certLogicExpression", case.get("certLogicExpression"))
                try:
                    result = engine(expr, assertion["data"])
                except Exception as exc:  # noqa: BLE001  # any exception is a failure
                    tally.record(ok=False, exc=exc)
                    continue
                tally.record(same_json(result, assertion["expected"]))
    return run, skipped


def run_validation_suite(suite_dir: Path) -> tuple[Tally, Tally, Tally]:
    """(ours, exact messages), (ours, valid/invalid verdict), (panzi, verdict by proxy).

    panzi-json-logic has no validator; as a proxy, an expression counts as rejected if
    evaluating it on ``{}`` raises.
    """
    exact, verdict, panzi_verdict = Tally(), Tally(), Tally()
    for path in sorted((suite_dir / "validation-testSuite").glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            expected = [issue["message"] for issue in case["issues"]]
            problems = validate(case["certLogicExpression"])
            exact.record(problems == expected)
            verdict.record(bool(problems) == bool(expected))
            try:
                panzi(case["certLogicExpression"], {})
                rejected = False
            except Exception:  # noqa: BLE001  # rejection, by proxy
                rejected = True
            panzi_verdict.record(rejected == bool(expected))
    return exact, verdict, panzi_verdict


def evaluations_per_second(
    evaluate_once: Callable[[], object], iterations: int, repeats: int
) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(iterations):
            evaluate_once()
        best = min(best, time.perf_counter() - start)
    return iterations / best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--suite", type=Path, default=DEFAULT_SUITE, help="certlogic folder")
    parser.add_argument("--iterations", type=int, default=5000, help="evaluations per timing")
    parser.add_argument("--repeats", type=int, default=5, help="timings, best one counts")
    args = parser.parse_args(argv)
    suite_dir: Path = args.suite.resolve()
    if not (suite_dir / "testSuite").is_dir():
        print(f"no CertLogic suite at {suite_dir}", file=sys.stderr)
        return 2

    ours_name = "kiosk.rules.certlogic"
    panzi_name = f"panzi-json-logic {version('panzi-json-logic')}"
    print(f"CertLogic suite: {suite_dir}")
    print(f"Python {platform.python_version()} on {platform.machine()}\n")

    ours_run, ours_skipped = run_evaluation_suite(suite_dir, evaluate)
    panzi_run, panzi_skipped = run_evaluation_suite(suite_dir, panzi)
    exact, verdict, panzi_verdict = run_validation_suite(suite_dir)
    total_run = ours_run.passed + ours_run.failed
    total_skipped = ours_skipped.passed + ours_skipped.failed
    total_validation = exact.passed + exact.failed

    rows = [
        ("", ours_name, panzi_name),
        (f"evaluation assertions ({total_run})", str(ours_run), str(panzi_run)),
        (f'  marked "skip" by the suite ({total_skipped})', str(ours_skipped), str(panzi_skipped)),
        (f"validation cases ({total_validation}), verdict", str(verdict), f"{panzi_verdict} *"),
        (f"validation cases ({total_validation}), messages", str(exact), "n/a (no validator)"),
    ]
    width = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        print("  ".join(cell.ljust(width[i]) for i, cell in enumerate(row)).rstrip())
    print("  * panzi has no validator: 'rejected' means evaluating on {} raised")
    if panzi_run.exception_types:
        print(f"  panzi exceptions on run assertions: {panzi_run.exception_types}")

    compiled = compile_expression(RULE)
    ours_result, panzi_result = compiled(DATA), panzi(RULE, DATA)
    print(
        f"\nSpeed: vaccination rule (var, in, plusTime, not-before, reduce, and/if), "
        f"{args.iterations} evaluations, best of {args.repeats}"
    )
    print(f"  result on the sample card: ours {ours_result!r}, panzi {panzi_result!r}")
    timings = [
        (
            f"{ours_name}, compiled once",
            evaluations_per_second(lambda: compiled(DATA), args.iterations, args.repeats),
        ),
        (
            f"{ours_name}, compiled every time",
            evaluations_per_second(lambda: evaluate(RULE, DATA), args.iterations, args.repeats),
        ),
        (
            panzi_name,
            evaluations_per_second(lambda: panzi(RULE, DATA), args.iterations, args.repeats),
        ),
    ]
    name_width = max(len(name) for name, _ in timings)
    for name, rate in timings:
        print(
            f"  {name.ljust(name_width)}  {rate:>10,.0f} evaluations/s  {1e6 / rate:6.1f} µs each"
        )
    ratio = timings[0][1] / timings[2][1]
    print(f"  ours (compiled once) / panzi: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
