"""EU DCC conformance: every case of ``../shared/conformance/dcc/`` through the kiosk.

Each case (``<CC>/…/2DCode/raw/N.json``) is judged at its ``VALIDATIONCLOCK`` with its
``CERTIFICATE`` trusted, and each ``EXPECTED*`` result the kiosk can map is compared
with what the kiosk's own stages say (the same functions ``pipeline.process`` runs):

=========================  =================================================================
expectation                the kiosk's check
=========================  =================================================================
EXPECTEDUNPREFIX           the prefix registry picks ``HC1`` and leaves exactly ``BASE45``
EXPECTEDB45DECODE          ``base45.b45decode(BASE45) == COMPRESSED``
EXPECTEDCOMPRESSION        ``envelope.inflate(COMPRESSED) == COSE`` (the kiosk's zlib limits)
EXPECTEDPICTUREDECODE      the kiosk's QR decoder reads ``PREFIX`` from the ``2DCODE`` PNG
EXPECTEDVERIFY             ``dcc.open_card`` + ``TrustStore.verify`` with the DSC trusted
EXPECTEDDECODE             ``dcc.read_claims`` of the ``COSE`` payload; id and birth date
                           match ``JSON``
EXPECTEDVALIDJSON          the same from the QR text (``PREFIX``), the whole chain
EXPECTEDEXPIRATIONCHECK    the DSC's window at ``iat`` and ``pipeline.check_time`` at the clock
EXPECTEDKEYUSAGE           the DSC's extended key usage allows the card's kind
=========================  =================================================================

Not evaluated, and counted as such: ``EXPECTEDSCHEMAVALIDATION`` (the kiosk does not
validate the DCC JSON schema: it decodes permissively, as the spec asks, and checks
the fields it uses), ``EXPECTEDVALIDOBJECT`` and ``EXPECTEDENCODE`` (issuing side), and
the misspelled ``EXPTECTEDEXPIRED`` (upstream never evaluates it; its four BG cases
contradict each other under any reading). Quirks handled: ``_2DCODE`` for ``2DCODE``,
``validationClockInstant`` beside ``VALIDATIONCLOCK``, clocks without a zone (UTC, as
upstream reads them) or with seven or nine fractional digits, files with a BOM.

A failure that upstream lists in ``tests/known_issues.csv`` is an ``xfail`` carrying the
upstream issue, and counted apart in the table. The table per country prints at the
end of the run and lives in ``docs/conformance.md``; regenerate it with
``.venv/bin/python tests/conformance/test_dcc_conformance.py --write``.
"""

from __future__ import annotations

import base64
import csv
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path

import pytest

from kiosk import pipeline
from kiosk.decision import Decision
from kiosk.demo import builtin_document
from kiosk.domain import Algorithm, Card, Reason, SignedCard
from kiosk.errors import CardRejected, KeyFileError, MalformedInput
from kiosk.formats import base45, cose, dcc, envelope, registry
from kiosk.rules.ruleset import RuleBook
from kiosk.verify import certificates
from kiosk.verify.truststore import IssuerKey, TrustStore

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "conformance" / "dcc"
DOC = REPO / "docs" / "conformance.md"
BEGIN, END = "<!-- dcc-table:begin -->", "<!-- dcc-table:end -->"

if not DATA.is_dir():
    _message = (
        f"EU DCC conformance data not found at {DATA}: check out ../shared beside the "
        "repository (see ../shared/conformance/README.md)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(_message, pytrace=False)
    pytest.skip(_message, allow_module_level=True)

#: Expectations the kiosk evaluates, in table order, with the upstream test that checks each.
EVALUATED: dict[str, str] = {
    "EXPECTEDUNPREFIX": "test_un_prefix",
    "EXPECTEDB45DECODE": "test_b45decode",
    "EXPECTEDCOMPRESSION": "test_compression",
    "EXPECTEDPICTUREDECODE": "test_picture_decode",
    "EXPECTEDVERIFY": "test_verification_check",
    "EXPECTEDDECODE": "test_cose_json",
    "EXPECTEDVALIDJSON": "test_cbor_json",
    "EXPECTEDEXPIRATIONCHECK": "test_expiration_check",
    "EXPECTEDKEYUSAGE": "test_expected_key_usage",
}
NOT_EVALUATED: dict[str, str] = {
    "EXPECTEDSCHEMAVALIDATION": "the kiosk does not validate the DCC JSON schema",
    "EXPECTEDVALIDOBJECT": "issuing side (JSON against schema before encoding)",
    "EXPECTEDENCODE": "issuing side (JSON to CBOR)",
    "EXPTECTEDEXPIRED": "misspelled key that upstream never evaluates",
}
#: Upstream test names of the expectations the kiosk leaves out (for the known-issue list).
UPSTREAM_OF_NOT_EVALUATED: dict[str, str] = {"EXPECTEDSCHEMAVALIDATION": "test_cose_schema"}
#: Upstream data errors that ``known_issues.csv`` does not list, with the evidence: the
#: case's ``JSON`` holds another person than its ``CBOR`` and ``COSE`` (which agree), so
#: upstream's own ``test_cose_json``/``test_cbor_json`` fail these too.
ERRATA: dict[tuple[str, str], str] = {
    (name, expectation): f"upstream data error: {why}"
    for name, why in (
        ("PL/1.3.0/1", "JSON names 'Akdi Omar', CBOR and COSE 'Rogaliński-Król Stanisław'"),
        ("PL/1.3.0/5", "JSON names 'ik ben ben IK', CBOR and COSE 'Rogaliński-Król Stanisław'"),
    )
    for expectation in ("EXPECTEDDECODE", "EXPECTEDVALIDJSON")
}
RULES = RuleBook.from_json(builtin_document("rules.json"))
_CLOCK = re.compile(r"([0-9-]{10}T[0-9:]{8})(\.[0-9]+)?(Z|[+-][0-9]{2}:?[0-9]{2})?\Z")


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per file
class Case:
    path: Path
    raw: dict[str, object]

    @property
    def name(self) -> str:
        parts = self.path.relative_to(DATA).with_suffix("").parts
        return "/".join(p for p in parts if p.lower() not in ("2dcode", "raw"))

    @property
    def country(self) -> str:
        return self.path.relative_to(DATA).parts[0]

    @property
    def expected(self) -> dict[str, bool]:
        results = self.raw.get("EXPECTEDRESULTS")
        return dict(results) if isinstance(results, dict) else {}

    def text(self, key: str) -> str | None:
        value = self.raw.get(key)
        return value if isinstance(value, str) else None

    @property
    def context(self) -> dict[str, object]:
        value = self.raw.get("TESTCTX")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def clock(self) -> datetime:
        raw = self.context.get("VALIDATIONCLOCK") or self.context.get("validationClockInstant")
        match = _CLOCK.match(str(raw))
        assert match, f"unreadable VALIDATIONCLOCK {raw!r}"
        moment = datetime.fromisoformat(match.group(1))
        if match.group(2):
            moment = moment.replace(microsecond=int((match.group(2)[1:] + "000000")[:6]))
        zone = match.group(3)
        if not zone or zone == "Z":  # upstream reads a clock without a zone as UTC
            return moment.replace(tzinfo=UTC)
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        sign = 1 if zone[0] == "+" else -1
        return moment.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


@cache
def cases() -> tuple[Case, ...]:
    found = []
    for path in sorted(DATA.rglob("*.json")):
        raw = json.loads(path.read_text("utf-8-sig"))
        if isinstance(raw, dict) and "EXPECTEDRESULTS" in raw:
            found.append(Case(path, raw))
    return tuple(found)


@cache
def known_issues() -> dict[tuple[str, str, str], str]:
    with (DATA / "tests" / "known_issues.csv").open(encoding="utf-8") as handle:
        return {
            (row["test_name"], row["country"], row["test_set"]): row["reason"]
            for row in csv.DictReader(handle)
        }


def known_issue(case: Case, expectation: str) -> str | None:
    """The upstream reason when ``tests/known_issues.csv`` lists this check of this case."""
    test = EVALUATED.get(expectation) or UPSTREAM_OF_NOT_EVALUATED.get(expectation, "")
    stem = case.path.stem
    issues = known_issues()
    candidates = (
        (test, case.country, stem),
        (test, case.country, ""),
        ("", case.country, stem),
        ("", case.country, ""),
    )
    for key in candidates:
        if key in issues:
            return issues[key]
    if expectation == "EXPECTEDDECODE":  # upstream checks the decode twice
        return issues.get(("test_cose_cbor", case.country, stem))
    return None


# --- the kiosk's stages -------------------------------------------------------------------


@cache
def trusted_key(case: Case) -> IssuerKey | None:
    try:
        der = base64.b64decode(str(case.context.get("CERTIFICATE")))
        return certificates.dsc_issuer_key(certificates.parse_certificate(der))
    except (KeyFileError, ValueError):
        return None  # FI: upstream issue #407, a certificate no strict parser reads


def context(case: Case) -> pipeline.Context:
    key = trusted_key(case)
    return pipeline.Context(TrustStore([key] if key else []), RULES)


def _signed(case: Case) -> SignedCard | None:
    try:
        return dcc.open_card(str(case.text("PREFIX")))
    except CardRejected:
        return None


def _card(signed: SignedCard | None) -> Card | None:
    if signed is None:
        return None
    try:
        return dcc.read_claims(signed)
    except CardRejected:
        return None


def _matches_json(case: Case, card: Card | None) -> bool:
    document = case.raw.get("JSON")
    if card is None or not isinstance(document, dict):
        return False
    entries = [e for key in ("v", "t", "r") for e in (document.get(key) or [])]
    name = document.get("nam") or {}
    family = str(name.get("fn") or name.get("fnt") or "").replace("<", " ").strip()
    dob = str(document.get("dob") or "")
    return (
        bool(entries)
        and card.card_id == entries[0].get("ci")
        and dob.startswith(card.holder.birth_date)
        and family in card.holder.name
    )


def _picture(case: Case) -> bool | None:
    png = case.text("2DCODE") or case.text("_2DCODE")
    if png is None:
        return None
    import cv2
    import numpy as np

    from kiosk.errors import DecoderUnavailable
    from kiosk.scanner.decoders import make_decoder

    try:
        decoder = make_decoder("auto")
    except DecoderUnavailable:
        return None
    image = cv2.imdecode(np.frombuffer(base64.b64decode(png), np.uint8), cv2.IMREAD_GRAYSCALE)
    return image is not None and str(case.text("PREFIX")).encode() in decoder.decode(image)


def _hex(case: Case, key: str) -> bytes | None:
    value = case.text(key)
    return None if value is None else bytes.fromhex(value)


@cache
def evaluate(case: Case) -> dict[str, bool | None]:
    """What the kiosk says for each evaluated expectation; ``None``: no input to judge."""
    prefix, b45 = case.text("PREFIX"), case.text("BASE45")
    compressed, cose_bytes = _hex(case, "COMPRESSED"), _hex(case, "COSE")
    results: dict[str, bool | None] = dict.fromkeys(EVALUATED)
    if prefix is not None and b45 is not None:
        try:
            fmt = registry.find(prefix)
            results["EXPECTEDUNPREFIX"] = fmt.name == dcc.NAME and prefix[len(fmt.prefix) :] == b45
        except CardRejected:
            results["EXPECTEDUNPREFIX"] = False
    if b45 is not None and compressed is not None:
        try:
            results["EXPECTEDB45DECODE"] = base45.b45decode(b45) == compressed
        except MalformedInput:
            results["EXPECTEDB45DECODE"] = False
    if compressed is not None and cose_bytes is not None:
        try:
            results["EXPECTEDCOMPRESSION"] = envelope.inflate(compressed) == cose_bytes
        except CardRejected:
            results["EXPECTEDCOMPRESSION"] = False
    results["EXPECTEDPICTUREDECODE"] = _picture(case)

    signed = _signed(case)
    key = trusted_key(case)
    try:
        results["EXPECTEDVERIFY"] = signed is not None and context(case).trust.verify(signed) == key
    except CardRejected:
        results["EXPECTEDVERIFY"] = False
    card = _card(signed)
    if cose_bytes is not None:
        try:
            payload = cose.decode_sign1(cose_bytes).payload
            from_cose = _card(SignedCard(dcc.NAME, b"", Algorithm.ES256, b"", b"", payload))
        except MalformedInput:
            from_cose = None
        results["EXPECTEDDECODE"] = _matches_json(case, from_cose)
    else:
        results["EXPECTEDDECODE"] = _matches_json(case, card)
    results["EXPECTEDVALIDJSON"] = _matches_json(case, card)
    if key is not None and card is not None:
        results["EXPECTEDKEYUSAGE"] = key.kinds_refusal(card) is None
        try:
            pipeline.check_time(card, case.clock)
            results["EXPECTEDEXPIRATIONCHECK"] = key.window_refusal(card) is None
        except CardRejected:
            results["EXPECTEDEXPIRATIONCHECK"] = False
    else:
        results["EXPECTEDEXPIRATIONCHECK"] = results["EXPECTEDKEYUSAGE"] = False
    return results


@cache
def decide(case: Case) -> Decision:
    return pipeline.process(str(case.text("PREFIX")), case.clock, context(case))


# --- outcomes and the table ------------------------------------------------------------------

PASS, FAIL, KNOWN, KNOWN_PASS, ERRATUM, NOT_EVAL = (
    "pass",
    "fail",
    "known",
    "known-pass",
    "erratum",
    "n/a",
)


def outcome(case: Case, expectation: str) -> str:
    if expectation not in EVALUATED:
        return NOT_EVAL
    got = evaluate(case)[expectation]
    if got is None:
        return NOT_EVAL
    issue = known_issue(case, expectation)
    if got == case.expected[expectation]:
        return KNOWN_PASS if issue else PASS
    if issue:
        return KNOWN
    return ERRATUM if (case.name, expectation) in ERRATA else FAIL


def table() -> str:
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for case in cases():
        row = counts.setdefault(case.country, Counter())
        row["cases"] += 1
        for expectation in case.expected:
            result = outcome(case, expectation)
            row[result] += 1
            totals[result] += 1
    totals["cases"] = len(cases())
    header = (
        "| country | cases | met | failed | failed: upstream known issue "
        "| failed: upstream data error | met, though a known issue | not evaluated |\n"
        "|---|---:|---:|---:|---:|---:|---:|---:|\n"
    )

    def line(name: str, row: Counter[str]) -> str:
        keys = ("cases", PASS, FAIL, KNOWN, ERRATUM, KNOWN_PASS, NOT_EVAL)
        return f"| {name} | " + " | ".join(str(row[k]) for k in keys) + " |\n"

    body = "".join(line(country, counts[country]) for country in sorted(counts))
    return header + body + line("**all**", totals)


def known_issue_list() -> str:
    """Every check upstream lists as a known issue or the kiosk finds an erratum, grouped."""
    groups: dict[tuple[str, str, str, str], list[str]] = {}
    for case in cases():
        for expectation in case.expected:
            result = outcome(case, expectation)
            reason = known_issue(case, expectation)
            if result == ERRATUM:
                reason = ERRATA[(case.name, expectation)]
            if reason is None:
                continue
            state = {
                KNOWN: "fails here",
                KNOWN_PASS: "met here",
                ERRATUM: "fails here",
                NOT_EVAL: "not evaluated here",
            }.get(result, result)
            groups.setdefault((case.country, expectation, state, reason), []).append(case.name)
    lines = []
    for (_, expectation, state, reason), names in sorted(groups.items()):
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        lines.append(f"- {expectation}, {state} ({len(names)}): {shown}. {reason}")
    return "\n".join(lines) + "\n"


def rendered() -> str:
    return (
        f"{BEGIN}\n{table()}\nUpstream known issues and data errors:\n\n{known_issue_list()}{END}"
    )


# --- the tests -----------------------------------------------------------------------------------


def _params() -> list[object]:
    params = []
    for case in cases():
        for expectation in case.expected:
            marks = []
            if expectation in EVALUATED and (issue := known_issue(case, expectation)):
                marks.append(
                    pytest.mark.xfail(reason=f"upstream known issue: {issue}", strict=False)
                )
            elif (case.name, expectation) in ERRATA:
                marks.append(
                    pytest.mark.xfail(reason=ERRATA[(case.name, expectation)], strict=True)
                )
            params.append(
                pytest.param(
                    case,
                    expectation,
                    marks=marks,
                    id=f"{case.name}:{expectation.removeprefix('EXPECTED')}",
                )
            )
    return params


@pytest.mark.parametrize(("case", "expectation"), _params())
def test_expectation(case: Case, expectation: str) -> None:
    if expectation not in EVALUATED:
        pytest.skip(f"{expectation} not evaluated: {NOT_EVALUATED.get(expectation, 'unknown key')}")
    got = evaluate(case)[expectation]
    if got is None:
        pytest.skip(f"{expectation}: the case has no input for it")
    assert got == case.expected[expectation], f"{case.name} {expectation}: kiosk says {got}"


@pytest.mark.parametrize("case", cases(), ids=[c.name for c in cases()])
def test_pipeline_decides(case: Case) -> None:
    """Whatever the case, the pipeline makes a decision by a check, never by a bug; a
    case that must not verify is red before its claims are believed."""
    decision = decide(case)
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    assert decision.format == dcc.NAME
    if case.expected.get("EXPECTEDVERIFY") is False:
        assert decision.reason in (Reason.UNKNOWN_KEY, Reason.BAD_SIGNATURE), decision.reason
        assert decision.card is None


def test_every_case_was_read() -> None:
    assert len(cases()) >= 400, f"only {len(cases())} cases under {DATA}"
    assert all(case.expected for case in cases())


def test_docs_table_is_current() -> None:
    text = DOC.read_text("utf-8")
    start, end = text.find(BEGIN), text.find(END)
    assert start >= 0, f"{DOC} has no {BEGIN} line"
    assert end > start, f"{DOC} has no {END} line after {BEGIN}"
    assert text[start : end + len(END)] == rendered(), (
        f"{DOC} is out of date: .venv/bin/python tests/conformance/test_dcc_conformance.py --write"
    )


def main() -> None:
    block = rendered()
    if "--write" in sys.argv:
        text = DOC.read_text("utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
        DOC.write_text(text[:start] + block + text[end:], "utf-8")
    print(block)


if __name__ == "__main__":
    main()
