"""Hostile and broken visitors' passes: every mutated or truncated EU DCC or SMART Health
Card is red (or, when the change touched nothing the kiosk reads, decided as before),
and never a crash. The HCM1 counterpart, whose helpers this reuses, is test_bad_input.py.
"""

from __future__ import annotations

import json
import zlib
from datetime import timedelta

import pytest
from helpers import NOW
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_bad_input import B45_ALPHABET, _edit, edits, not_internal, same_decision
from visitors import (
    ShcIssuer,
    Visitors,
    dcc_body,
    dcc_claims,
    lab_entry,
    make_visitors,
    shc_payload,
)

from kiosk import pipeline
from kiosk.domain import Reason, Verdict
from kiosk.formats import base45, cbor, cose, dcc, envelope, shc

FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # keys are read-only
)
JWS_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."


@pytest.fixture(scope="module")
def visitors() -> Visitors:
    return make_visitors()


@pytest.fixture(scope="module")
def context(visitors: Visitors) -> pipeline.Context:
    return visitors.context()


def refuse(payload: str | bytes, context: pipeline.Context) -> pipeline.Decision:
    """Red, reached by a check on purpose, with no card for a pass that did not verify."""
    decision = pipeline.process(payload, NOW, context)
    assert decision.verdict is Verdict.RED, (decision.reason, decision.detail)
    not_internal(decision)
    assert decision.card is None or decision.reason not in (
        Reason.UNSUPPORTED_FORMAT,
        Reason.UNSUPPORTED_ALGORITHM,
        Reason.UNKNOWN_KEY,
        Reason.BAD_SIGNATURE,
    )
    return decision


def red_or_same(
    payload: str | bytes, context: pipeline.Context, original: pipeline.Decision
) -> None:
    decision = pipeline.process(payload, NOW, context)
    not_internal(decision)
    assert decision.verdict is Verdict.RED or same_decision(decision, original), decision.reason


@pytest.fixture(params=["es256-vaccination", "ps256-vaccination", "es256-test"], scope="module")
def dcc_text(visitors: Visitors, request: pytest.FixtureRequest) -> str:
    if request.param == "es256-vaccination":
        return visitors.dsc.issue()
    if request.param == "ps256-vaccination":
        return visitors.rsa_dsc.issue()
    return visitors.lab_dsc.issue(dcc_body(t=[lab_entry(NOW - timedelta(hours=10))]))


@pytest.fixture(params=["single", "chunked"], scope="module")
def shc_text(visitors: Visitors, request: pytest.FixtureRequest) -> str:
    return visitors.shc.issue(chunks=1 if request.param == "single" else 3)


def admitted(text: str, context: pipeline.Context) -> pipeline.Decision:
    decision = pipeline.process(text, NOW, context)
    assert decision.reason in (Reason.ADMITTED_GREEN, Reason.ADMITTED_YELLOW), decision.detail
    return decision


# --- EU DCC ---------------------------------------------------------------------------------------


def test_truncated_dcc_at_every_length(dcc_text: str, context: pipeline.Context) -> None:
    admitted(dcc_text, context)
    for cut in range(len(dcc.PREFIX), len(dcc_text)):
        assert refuse(dcc_text[:cut], context).reason is Reason.MALFORMED, cut


def test_truncated_dcc_cose_at_every_length(dcc_text: str, context: pipeline.Context) -> None:
    raw = envelope.inflate(base45.b45decode(dcc_text[len(dcc.PREFIX) :]))
    for cut in range(len(raw)):
        refuse(dcc.wrap(raw[:cut]), context)


@FUZZ
@given(changes=edits)
def test_property_mutated_dcc_is_red_or_unchanged(
    dcc_text: str, context: pipeline.Context, changes: list[tuple[str, int, int]]
) -> None:
    original = admitted(dcc_text, context)
    raw = envelope.inflate(base45.b45decode(dcc_text[len(dcc.PREFIX) :]))
    mutated = _edit(raw, changes)
    text = dcc.PREFIX + base45.b45encode(zlib.compress(mutated))
    if mutated == raw:
        assert same_decision(pipeline.process(text, NOW, context), original)
    else:
        red_or_same(text, context, original)


@FUZZ
@given(position=st.integers(min_value=0), replacement=st.sampled_from(B45_ALPHABET))
def test_property_one_changed_base45_character(
    dcc_text: str, context: pipeline.Context, position: int, replacement: str
) -> None:
    original = admitted(dcc_text, context)
    body = dcc_text[len(dcc.PREFIX) :]
    at = position % len(body)
    red_or_same(dcc.PREFIX + body[:at] + replacement + body[at + 1 :], context, original)


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats()
    | st.text(max_size=40)
    | st.binary(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-300, 300) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)


@FUZZ
@given(
    where=st.sampled_from(["claims", "body", "nam", "entry"]),
    key=st.sampled_from(
        [
            1,
            4,
            6,
            -260,
            "nam",
            "dob",
            "v",
            "t",
            "r",
            "fn",
            "gn",
            "dn",
            "sd",
            "dt",
            "ci",
            "tg",
            "mp",
            "x",
        ]
    ),
    value=cbor_values,
)
def test_property_signed_dcc_with_one_odd_value(
    visitors: Visitors, context: pipeline.Context, where: str, key: object, value: object
) -> None:
    """A trusted DSC signs a pass with one value replaced: the claims checks decide."""
    claims = dcc_claims()
    body = claims[dcc.HCERT][dcc.EU_DCC_V1]  # type: ignore[index]
    target = {"claims": claims, "body": body, "nam": body["nam"], "entry": body["v"][0]}[where]
    target[key] = value
    decision = pipeline.process(visitors.dsc.sign(claims), NOW, context)
    not_internal(decision)
    if decision.verdict is not Verdict.RED:
        assert decision.card is not None


@FUZZ
@given(claims=cbor_values)
def test_property_signed_arbitrary_dcc_claims(
    visitors: Visitors, context: pipeline.Context, claims: object
) -> None:
    decision = pipeline.process(visitors.dsc.sign(claims), NOW, context)
    not_internal(decision)
    assert decision.verdict is Verdict.RED


@FUZZ
@given(
    protected=st.dictionaries(st.integers(-10, 10) | st.text(max_size=3), cbor_values, max_size=4),
    unprotected=st.dictionaries(st.integers(-10, 10), cbor_values, max_size=3),
    signature=st.binary(max_size=300),
)
def test_property_arbitrary_dcc_headers(
    visitors: Visitors,
    context: pipeline.Context,
    protected: dict[object, object],
    unprotected: dict[object, object],
    signature: bytes,
) -> None:
    unprotected.setdefault(cose.HEADER_KID, visitors.dsc.kid)
    message = cbor.dumps(
        cbor.CborTag(18, [cbor.dumps(protected), unprotected, cbor.dumps(dcc_claims()), signature])
    )
    refuse(dcc.wrap(message), context)


@FUZZ
@given(data=st.binary(max_size=1500))
def test_property_arbitrary_bytes_after_hc1(context: pipeline.Context, data: bytes) -> None:
    refuse(dcc.PREFIX + base45.b45encode(data), context)
    refuse(dcc.PREFIX + base45.b45encode(zlib.compress(data)), context)
    refuse(b"HC1:" + data, context)


# --- SMART Health Cards ---------------------------------------------------------------------


def test_truncated_shc_at_every_length(visitors: Visitors, context: pipeline.Context) -> None:
    text = visitors.shc.issue()
    admitted(text, context)
    for cut in range(len(shc.PREFIX), len(text)):
        refuse(text[:cut], context)


def test_truncated_chunks(shc_text: str, context: pipeline.Context) -> None:
    lines = shc_text.splitlines()
    for index, line in enumerate(lines):
        for cut in range(len(shc.PREFIX), len(line), 7):
            damaged = [*lines[:index], line[:cut], *lines[index + 1 :]]
            refuse("\n".join(damaged), context)


@FUZZ
@given(position=st.integers(min_value=0), replacement=st.sampled_from(JWS_ALPHABET))
def test_property_one_changed_jws_character(
    visitors: Visitors, context: pipeline.Context, position: int, replacement: str
) -> None:
    jws = visitors.shc.jws()
    original = admitted(shc.qr_texts(jws)[0], context)
    at = position % len(jws)
    mutated = jws[:at] + replacement + jws[at + 1 :]
    red_or_same(shc.qr_texts(mutated)[0], context, original)


@FUZZ
@given(changes=edits)
def test_property_mutated_shc_digits(
    shc_text: str, context: pipeline.Context, changes: list[tuple[str, int, int]]
) -> None:
    original = admitted(shc_text, context)
    digits = shc_text.encode()
    mutated = _edit(digits, [(op, where, ord("0") + value % 10) for op, where, value in changes])
    red_or_same(mutated, context, original)


@FUZZ
@given(text=st.text(max_size=3000), digits=st.text(alphabet="0123456789/", max_size=3000))
def test_property_arbitrary_text_after_shc(
    context: pipeline.Context, text: str, digits: str
) -> None:
    refuse(shc.PREFIX + text, context)
    refuse(shc.PREFIX + digits, context)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=25,
)


def signed_jws(issuer: ShcIssuer, header: object, body: bytes) -> str:
    signing_input = f"{shc.b64url_encode(json.dumps(header).encode())}.{shc.b64url_encode(body)}"
    signature = issuer.key.sign(signing_input.encode())
    return shc.qr_texts(f"{signing_input}.{shc.b64url_encode(signature)}")[0]


@FUZZ
@given(payload=json_values)
def test_property_signed_arbitrary_shc_payload(
    visitors: Visitors, context: pipeline.Context, payload: object
) -> None:
    header = {"zip": "DEF", "alg": "ES256", "kid": visitors.shc.kid}
    body = shc.deflate_raw(json.dumps(payload).encode())
    refuse(signed_jws(visitors.shc, header, body), context)


@FUZZ
@given(
    where=st.sampled_from(["claims", "vc", "patient", "immunization"]),
    key=st.sampled_from(
        [
            "iss",
            "nbf",
            "exp",
            "vc",
            "rid",
            "type",
            "credentialSubject",
            "name",
            "birthDate",
            "status",
            "vaccineCode",
            "occurrenceDateTime",
            "resourceType",
            "isSubpotent",
            "x",
        ]
    ),
    value=json_values,
)
def test_property_signed_shc_with_one_odd_value(
    visitors: Visitors, context: pipeline.Context, where: str, key: str, value: object
) -> None:
    payload = shc_payload()
    vc = payload["vc"]
    entries = vc["credentialSubject"]["fhirBundle"]["entry"]  # type: ignore[index]
    target = {
        "claims": payload,
        "vc": vc,
        "patient": entries[0]["resource"],
        "immunization": entries[1]["resource"],
    }[where]
    target[key] = value  # type: ignore[index]
    decision = pipeline.process(visitors.shc.issue(payload), NOW, context)
    not_internal(decision)
    if decision.verdict is not Verdict.RED:
        assert decision.card is not None


@FUZZ
@given(header=json_values, body=st.binary(max_size=400))
def test_property_arbitrary_jws_headers_and_bodies(
    visitors: Visitors, context: pipeline.Context, header: object, body: bytes
) -> None:
    refuse(signed_jws(visitors.shc, header, body), context)
