"""Hostile and broken input: every one ends as a red decision, never an exception.

"Red, not an internal error" is the bar: ``pipeline.process`` turns a bug into a red
MALFORMED decision whose detail starts with ``pipeline.INTERNAL_ERROR``; these tests
require that no input gets there, so every bad input is refused by a check on purpose.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from helpers import (
    NOW,
    World,
    claims_of,
    cose_of,
    negative_test_card,
    raw_sign1,
    sign_claims,
    sign_cose,
    two_dose_card,
    wrap_any,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import pipeline
from kiosk.domain import Reason, Verdict
from kiosk.errors import CardRejected
from kiosk.formats import base45, cbor, cose, envelope, hcm1

B45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
FUZZ = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # keys are read-only
)


def refuse(payload: str | bytes, context: pipeline.Context) -> pipeline.Decision:
    """Judge ``payload`` and require a red decision reached by a check, not by a bug."""
    decision = pipeline.process(payload, NOW, context)
    assert decision.verdict is Verdict.RED, (decision.reason, decision.detail)
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    assert decision.card is None or decision.reason not in (
        Reason.UNSUPPORTED_FORMAT,
        Reason.UNSUPPORTED_ALGORITHM,
        Reason.UNKNOWN_KEY,
        Reason.BAD_SIGNATURE,
    )
    return decision


def same_decision(a: pipeline.Decision, b: pipeline.Decision) -> bool:
    return (a.reason, a.card, a.rules_colour, a.detail) == (
        b.reason,
        b.card,
        b.rules_colour,
        b.detail,
    )


def not_internal(decision: pipeline.Decision) -> None:
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail


@pytest.fixture(params=["eddsa-green", "es256-yellow"])
def valid(world: World, request: pytest.FixtureRequest) -> str:
    """A valid card: the city's Ed25519 two-dose card, or the lab's ES256 test card."""
    if request.param == "eddsa-green":
        return world.city.issue(two_dose_card())
    return world.lab.issue(negative_test_card(NOW - timedelta(hours=10)))


@pytest.fixture
def original(valid: str, context: pipeline.Context) -> pipeline.Decision:
    decision = pipeline.process(valid, NOW, context)
    assert decision.reason in (Reason.ADMITTED_GREEN, Reason.ADMITTED_YELLOW)
    return decision


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("", Reason.UNSUPPORTED_FORMAT),
        (b"", Reason.UNSUPPORTED_FORMAT),
        ("   \r\n", Reason.UNSUPPORTED_FORMAT),
        ("A" * 1_000_000, Reason.UNSUPPORTED_FORMAT),
        ("HCM1:" + "A" * 1_000_000, Reason.MALFORMED),
        ("HCM1:", Reason.MALFORMED),
        ("HCM1:\ud800", Reason.MALFORMED),
        ("HCM1:abc", Reason.MALFORMED),
        ("HCM1:\x00\x00\x00", Reason.MALFORMED),
        # Visitors' passes are known formats (issue 6): broken ones are malformed.
        ("HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N", Reason.MALFORMED),
        ("shc:/5676290952432060346029243740", Reason.MALFORMED),
        ("HCM2:" + "0" * 30, Reason.UNSUPPORTED_FORMAT),
    ],
    ids=[
        "empty",
        "empty-bytes",
        "whitespace",
        "megabyte-of-A",
        "prefix-and-megabyte",
        "prefix-only",
        "lone-surrogate",
        "lower-case-base45",
        "nul-characters",
        "eu-dcc",
        "smart-health-card",
        "other-prefix",
    ],
)
def test_text_that_is_no_card(
    context: pipeline.Context, payload: str | bytes, reason: Reason
) -> None:
    assert refuse(payload, context).reason is reason


def test_random_binary_bytes(context: pipeline.Context) -> None:
    rng = random.Random(45)
    for size in (1, 2, 16, 300, 5000, 100_000):
        data = rng.randbytes(size)
        refuse(data, context)
        refuse(b"HCM1:" + data, context)
        refuse(wrap_any(data), context)  # a valid envelope around noise


def test_truncated_card_at_every_length(valid: str, context: pipeline.Context) -> None:
    for cut in range(len(hcm1.PREFIX), len(valid)):
        assert refuse(valid[:cut], context).reason is Reason.MALFORMED, cut


def test_card_cut_at_the_front(valid: str, context: pipeline.Context) -> None:
    body = valid[len(hcm1.PREFIX) :]
    for cut in range(1, len(body)):
        refuse(hcm1.PREFIX + body[cut:], context)


def test_zlib_bomb(context: pipeline.Context) -> None:
    bomb = zlib.compress(b"\x00" * 10_000_000, 9)
    decision = refuse(hcm1.PREFIX + base45.b45encode(bomb), context)
    assert decision.reason is Reason.MALFORMED  # too long for a QR code: refused unread
    with pytest.raises(CardRejected, match="inflates to more than") as rejected:
        envelope.inflate(bomb)
    assert rejected.value.reason is Reason.MALFORMED


def test_zlib_bomb_small_enough_for_a_qr_code(context: pipeline.Context) -> None:
    bomb = zlib.compress(b"\x00" * 1_000_000, 9)
    text = hcm1.PREFIX + base45.b45encode(bomb)
    assert len(text) <= envelope.MAX_TEXT_CHARS  # so the inflate limit is what refuses it
    decision = refuse(text, context)
    assert decision.reason is Reason.MALFORMED
    assert "inflates to more than" in decision.detail


@pytest.mark.parametrize(
    "zlib_stream",
    [
        zlib.compress(b"\x84") + b"junk",  # bytes after the stream
        zlib.compress(b"\x84" * 10)[:-3],  # truncated stream
        b"\x78\x9c",  # header only
        b"\x1f\x8b\x08\x00",  # a gzip header
        zlib.compress(b"x", 9)[:-4] + b"\x00\x00\x00\x00",  # wrong adler32
    ],
    ids=["trailing-junk", "truncated", "header-only", "gzip", "bad-checksum"],
)
def test_broken_zlib(context: pipeline.Context, zlib_stream: bytes) -> None:
    decision = refuse(hcm1.PREFIX + base45.b45encode(zlib_stream), context)
    assert decision.reason is Reason.MALFORMED


@pytest.mark.parametrize("depth", [100_000, 16_000, 13])
@pytest.mark.parametrize("opener", [b"\x81", b"\xa1\x00", b"\xd2"], ids=["array", "map", "tag18"])
def test_deeply_nested_cbor(context: pipeline.Context, depth: int, opener: bytes) -> None:
    deep = opener * depth + b"\x00"
    decision = refuse(wrap_any(deep), context)
    assert decision.reason is Reason.MALFORMED


def test_deeply_nested_protected_header(world: World, context: pipeline.Context) -> None:
    deep = b"\xa1\x01" * 5000 + b"\x00"
    message = raw_sign1(deep, {}, b"\xa0", b"\x00" * 64)
    refuse(hcm1.wrap(message), context)


def test_deeply_nested_signed_claims(world: World, context: pipeline.Context) -> None:
    """Claims nesting beyond the parser's depth, signed by a trusted key."""
    claims = b"\xa1\x07" + b"\x81" * 5000 + b"\x00"
    text = hcm1.wrap(sign_cose(claims, world.city.key))
    assert refuse(text, context).reason is Reason.MALFORMED


@pytest.mark.parametrize(
    "build",
    [
        lambda m: cbor.dumps(cbor.CborTag(98, m)),  # COSE_Sign
        lambda m: cbor.dumps(cbor.CborTag(17, m)),  # COSE_Mac0
        lambda m: cbor.dumps(cbor.CborTag(96, m)),  # COSE_Encrypt
        lambda m: cbor.dumps(cbor.CborTag(61, cbor.CborTag(98, m))),  # CWT around COSE_Sign
        lambda m: cbor.dumps(cbor.CborTag(18, cbor.CborTag(18, m))),  # tag twice
        lambda m: cbor.dumps(cbor.CborTag(61, cbor.CborTag(61, cbor.CborTag(18, m)))),
        lambda m: cbor.dumps(dict(enumerate(m))),  # untagged map
        lambda m: cbor.dumps(cbor.CborTag(18, dict(enumerate(m)))),  # tagged map
        lambda m: cbor.dumps(cbor.CborTag(18, m[:3])),  # three items
        lambda m: cbor.dumps(cbor.CborTag(18, [*m, b""])),  # five items
        lambda m: cbor.dumps(cbor.CborTag(18, [m[0], {}, None, m[3]])),  # detached payload
        lambda m: cbor.dumps(cbor.CborTag(18, [m[0], [], m[2], m[3]])),  # unprotected array
        lambda m: cbor.dumps(cbor.CborTag(18, [cbor.loads(m[0]), {}, m[2], m[3]])),  # bare map
        lambda m: cbor.dumps(cbor.CborTag(18, [b"\x80", {}, m[2], m[3]])),  # header array
        lambda m: cbor.dumps(cbor.CborTag(18, [m[0], {}, m[2], "sig"])),  # text signature
        lambda m: cbor.dumps(cbor.CborTag(18, m)) + b"\x00",  # trailing byte
    ],
    ids=[
        "tag98",
        "tag17",
        "tag96",
        "cwt-tag98",
        "tag18-twice",
        "tag61-twice",
        "untagged-map",
        "tagged-map",
        "three-items",
        "five-items",
        "detached",
        "unprotected-array",
        "protected-not-bstr",
        "protected-array",
        "text-signature",
        "trailing-byte",
    ],
)
def test_wrong_cose_structure(
    valid: str, context: pipeline.Context, build: Callable[[list[object]], bytes]
) -> None:
    message = cose.decode_sign1(cose_of(valid))
    items: list[object] = [message.protected, {}, message.payload, message.signature]
    assert refuse(hcm1.wrap(build(items)), context).reason is Reason.MALFORMED


@pytest.mark.parametrize("alg", [2**64 - 1, -(2**64), 2**63, -0x8000])
def test_huge_integer_as_alg(world: World, context: pipeline.Context, alg: int) -> None:
    protected = {cose.HEADER_ALG: alg, cose.HEADER_KID: world.city.key.public.kid}
    text = sign_claims(claims_of(two_dose_card()), world.city.key, protected=protected)
    assert refuse(text, context).reason is Reason.UNSUPPORTED_ALGORITHM


@pytest.mark.parametrize("claim", [hcm1.EXP, hcm1.IAT, hcm1.NBF])
@pytest.mark.parametrize("value", [2**64 - 1, -(2**64), 2**32])
def test_huge_integer_as_time(
    world: World, context: pipeline.Context, claim: int, value: int
) -> None:
    claims = claims_of(two_dose_card())
    claims[claim] = value
    assert refuse(world.city.sign(claims), context).reason is Reason.MALFORMED


def test_huge_integer_as_kid_and_dose(world: World, context: pipeline.Context) -> None:
    protected = {cose.HEADER_ALG: -8, cose.HEADER_KID: 2**64 - 1}
    text = sign_claims(claims_of(two_dose_card()), world.city.key, protected=protected)
    assert refuse(text, context).reason is Reason.MALFORMED
    claims = claims_of(two_dose_card())
    claims[hcm1.CARD]["v"][0]["dn"] = 2**64 - 1  # type: ignore[index]
    assert refuse(world.city.sign(claims), context).reason is Reason.MALFORMED


def test_card_signed_by_an_unknown_key(world: World, context: pipeline.Context) -> None:
    text = sign_claims(claims_of(two_dose_card()), world.stranger)
    assert refuse(text, context).reason is Reason.UNKNOWN_KEY


@pytest.mark.parametrize(
    ("protected", "unprotected", "signature", "reason"),
    [
        ({cose.HEADER_KID: "kid"}, {}, "real", Reason.UNSUPPORTED_ALGORITHM),  # no alg
        ({cose.HEADER_ALG: 0, cose.HEADER_KID: "kid"}, {}, "real", Reason.UNSUPPORTED_ALGORITHM),
        ({cose.HEADER_ALG: 0, cose.HEADER_KID: "kid"}, {}, b"", Reason.UNSUPPORTED_ALGORITHM),
        ({cose.HEADER_ALG: "none", cose.HEADER_KID: "kid"}, {}, b"", Reason.UNSUPPORTED_ALGORITHM),
        ({cose.HEADER_ALG: -8, cose.HEADER_KID: "kid"}, {}, b"", Reason.BAD_SIGNATURE),
        ({cose.HEADER_ALG: -8, cose.HEADER_KID: "kid"}, {}, b"\x00" * 64, Reason.BAD_SIGNATURE),
        ({cose.HEADER_ALG: -7, cose.HEADER_KID: "kid"}, {}, b"", Reason.BAD_SIGNATURE),
        # An empty protected header fails first on its missing kid (docs/rules.md precedence).
        (None, {cose.HEADER_ALG: -8, cose.HEADER_KID: "kid"}, b"", Reason.MALFORMED),
        (None, {cose.HEADER_ALG: 0, cose.HEADER_KID: "kid"}, "real", Reason.MALFORMED),
    ],
    ids=[
        "no-alg",
        "alg-0",
        "alg-0-empty-signature",
        "alg-text-none",
        "eddsa-empty-signature",
        "eddsa-zero-signature",
        "es256-empty-signature",
        "empty-protected",
        "empty-protected-alg-0",
    ],
)
def test_alg_none_and_empty_signatures(
    world: World,
    context: pipeline.Context,
    protected: dict[object, object] | None,
    unprotected: dict[object, object],
    signature: object,
    reason: Reason,
) -> None:
    key = world.city.key

    def kid(header: dict[object, object]) -> dict[object, object]:
        return {k: key.public.kid if v == "kid" else v for k, v in header.items()}

    payload = hcm1.encode_claims(two_dose_card())
    protected_bytes = b"" if protected is None else cbor.dumps(kid(protected))
    if signature == "real":
        signature = key.sign(cose.sig_structure(protected_bytes, payload))
    assert isinstance(signature, bytes)
    text = hcm1.wrap(raw_sign1(protected_bytes, kid(unprotected), payload, signature))
    assert refuse(text, context).reason is reason


def test_one_flipped_bit_anywhere_in_the_cose_message(
    valid: str, context: pipeline.Context, original: pipeline.Decision
) -> None:
    """Every single-bit change of the COSE bytes is red, or (if it changed nothing the
    kiosk reads, e.g. inside an ignored unprotected header) the original decision.

    This card's unprotected header is the empty map, so in practice every flip is red:
    the header byte, array and tag heads break the structure, and any change to the
    protected header, payload or signature fails the signature or the kid lookup.
    """
    raw = cose_of(valid)
    reasons: set[Reason] = set()
    for position in range(len(raw)):
        for bit in range(8):
            damaged = bytearray(raw)
            damaged[position] ^= 1 << bit
            decision = pipeline.process(hcm1.wrap(bytes(damaged)), NOW, context)
            not_internal(decision)
            assert decision.verdict is Verdict.RED or same_decision(decision, original), (
                position,
                bit,
                decision.reason,
            )
            reasons.add(decision.reason)
    assert Reason.BAD_SIGNATURE in reasons
    assert not {Reason.ADMITTED_GREEN, Reason.ADMITTED_YELLOW} & reasons


def test_one_changed_base45_character_anywhere(
    valid: str, context: pipeline.Context, original: pipeline.Decision
) -> None:
    """Every other character at every position: Base45, zlib's checksum or the signature
    refuses it. A change can only be harmless if it decodes to the same COSE meaning."""
    body = valid[len(hcm1.PREFIX) :]
    for position, current in enumerate(body):
        for replacement in B45_ALPHABET.replace(current, ""):
            text = hcm1.PREFIX + body[:position] + replacement + body[position + 1 :]
            decision = pipeline.process(text, NOW, context)
            not_internal(decision)
            assert decision.verdict is Verdict.RED or same_decision(decision, original)


def test_tampered_unprotected_header_is_ignored(
    valid: str, context: pipeline.Context, original: pipeline.Decision
) -> None:
    """The one place a change keeps the decision: the unprotected header is not read."""
    message = cose.decode_sign1(cose_of(valid))
    noisy = raw_sign1(message.protected, {99: "note"}, message.payload, message.signature)
    decision = pipeline.process(hcm1.wrap(noisy), NOW, context)
    assert same_decision(decision, original)


# --- properties ------------------------------------------------------------------------------

b45_text = st.text(alphabet=B45_ALPHABET, max_size=600)
texts = st.one_of(
    st.text(max_size=2000),
    b45_text.map(lambda body: hcm1.PREFIX + body),
    st.binary(max_size=1500).map(lambda data: hcm1.PREFIX + base45.b45encode(data)),
    st.binary(max_size=1500).map(wrap_any),
)


@FUZZ
@given(text=texts)
def test_property_arbitrary_text_is_red(context: pipeline.Context, text: str) -> None:
    refuse(text, context)


@FUZZ
@given(
    data=st.one_of(st.binary(max_size=3000), st.binary(max_size=1500).map(lambda b: b"HCM1:" + b))
)
def test_property_arbitrary_bytes_are_red(context: pipeline.Context, data: bytes) -> None:
    refuse(data, context)


edits = st.lists(
    st.tuples(
        st.sampled_from(["insert", "delete", "replace"]),
        st.integers(min_value=0, max_value=1 << 16),
        st.integers(min_value=0, max_value=255),
    ),
    min_size=1,
    max_size=5,
)


def _edit(raw: bytes, changes: list[tuple[str, int, int]]) -> bytes:
    data = bytearray(raw)
    for op, where, value in changes:
        at = where % (len(data) + 1)
        if op == "insert":
            data.insert(at, value)
        elif data:
            at = min(at, len(data) - 1)
            if op == "delete":
                del data[at]
            else:
                data[at] = value
    return bytes(data)


@FUZZ
@given(changes=edits)
def test_property_mutated_cards_are_red_or_unchanged(
    valid: str,
    context: pipeline.Context,
    original: pipeline.Decision,
    changes: list[tuple[str, int, int]],
) -> None:
    raw = cose_of(valid)
    mutated = _edit(raw, changes)
    decision = pipeline.process(
        hcm1.PREFIX + base45.b45encode(zlib.compress(mutated)), NOW, context
    )
    not_internal(decision)
    if mutated == raw:
        assert same_decision(decision, original)
    else:
        assert decision.verdict is Verdict.RED or same_decision(decision, original), changes


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**64), max_value=2**64 - 1)
    | st.floats(allow_nan=False)
    | st.text(max_size=40)
    | st.binary(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.integers(-70000, 70000) | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=20,
)
claim_keys = st.sampled_from([hcm1.ISS, hcm1.EXP, hcm1.NBF, hcm1.IAT, hcm1.CTI, hcm1.CARD])
body_keys = st.sampled_from(["n", "dob", "nid", "c", "v", "r", "t", "x"])
entry_keys = st.sampled_from(["mp", "dn", "sd", "dt", "fr", "tt", "sc"])


@FUZZ
@given(
    claim=st.one_of(
        st.tuples(st.just("claim"), claim_keys, cbor_values),
        st.tuples(st.just("body"), body_keys, cbor_values),
        st.tuples(st.just("vaccination"), entry_keys, cbor_values),
    )
)
def test_property_signed_claims_with_one_odd_value(
    world: World, context: pipeline.Context, claim: tuple[str, object, object]
) -> None:
    """A trusted key signs claims with one value replaced: the claims checks decide."""
    where, key, value = claim
    claims = claims_of(two_dose_card())
    target = {
        "claim": claims,
        "body": claims[hcm1.CARD],
        "vaccination": claims[hcm1.CARD]["v"][0],  # type: ignore[index]
    }[where]
    target[key] = value  # type: ignore[index]
    decision = pipeline.process(world.city.sign(claims), NOW, context)
    not_internal(decision)
    if decision.verdict is not Verdict.RED:
        assert decision.card is not None


@FUZZ
@given(claims=cbor_values)
def test_property_signed_arbitrary_claims(
    world: World, context: pipeline.Context, claims: object
) -> None:
    decision = pipeline.process(world.city.sign(claims), NOW, context)
    not_internal(decision)
    assert decision.verdict is Verdict.RED


@FUZZ
@given(
    protected=st.dictionaries(st.integers(-10, 10) | st.text(max_size=3), cbor_values, max_size=4),
    unprotected=st.dictionaries(st.integers(-10, 10), cbor_values, max_size=3),
    signature=st.binary(max_size=80),
)
def test_property_arbitrary_headers(
    world: World,
    context: pipeline.Context,
    protected: dict[object, object],
    unprotected: dict[object, object],
    signature: bytes,
) -> None:
    """Headers of any shape, with or without the trusted kid: never admitted."""
    protected.setdefault(cose.HEADER_KID, world.city.key.public.kid)
    message = raw_sign1(
        cbor.dumps(protected), unprotected, hcm1.encode_claims(two_dose_card()), signature
    )
    refuse(hcm1.wrap(message), context)
