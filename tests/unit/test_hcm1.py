"""The HCM1 card format: issue -> open -> read_claims, headers, and malformed claims.

Malformed cards are built with ``cose.encode_sign1`` + ``hcm1.wrap`` and a real
signature by a trusted key, so they get past verification and reach the claims checks.
"""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import (
    NOW,
    World,
    claims_of,
    cose_of,
    make_card,
    negative_test_card,
    recovery_card,
    sign_claims,
    sign_cose,
    two_dose_card,
)

from kiosk import pipeline
from kiosk.domain import Algorithm, Card, Colour, Holder, Reason, SignedCard
from kiosk.errors import CardRejected
from kiosk.formats import cbor, cose, hcm1
from kiosk.verify.keys import SigningKey

NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Phúc",
    "Phạm Thị Ánh Tuyết",
    "Đặng Quốc Bảo",
]


def _open(text: str) -> tuple[SignedCard, Card]:
    signed = hcm1.open_card(text)
    return signed, hcm1.read_claims(signed)


# --- round trip ---------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", [Algorithm.EDDSA, Algorithm.ES256])
def test_issue_open_read_round_trip(algorithm: Algorithm) -> None:
    key = SigningKey.generate(algorithm)
    card = make_card(
        card_id=str(uuid.uuid4()),
        issued_at=datetime(2021, 9, 1, 1, 2, 3, tzinfo=UTC),
        not_before=datetime(2021, 9, 2, tzinfo=UTC),
        expires_at=datetime(2022, 9, 1, tzinfo=UTC),
        holder=Holder("Trần Thị Bích Ngọc", "1995-03", "0377"),
        issued_colour=Colour.YELLOW,
        vaccinations=two_dose_card().vaccinations,
        recoveries=recovery_card(date(2021, 7, 1)).recoveries,
        tests=negative_test_card(datetime(2021, 9, 30, 8, 15, tzinfo=UTC)).tests,
    )
    text = hcm1.wrap(sign_cose(hcm1.encode_claims(card), key))
    signed, read = _open(text)
    assert signed.format == hcm1.NAME
    assert signed.algorithm is algorithm
    assert signed.key_id == key.public.kid
    assert key.public.verify(signed.signature, signed.signed_bytes)
    assert read == replace(card, key_id=key.public.kid)


@pytest.mark.parametrize("name", NAMES)
def test_vietnamese_names_survive_and_come_out_nfc(name: str) -> None:
    key = SigningKey.generate()
    decomposed = unicodedata.normalize("NFD", name)
    assert decomposed != name  # the test means something only if NFD differs
    for given in (name, decomposed):
        card = two_dose_card(holder=Holder(given, "1990"))
        _, read = _open(hcm1.wrap(sign_cose(hcm1.encode_claims(card), key)))
        assert read.holder.name == unicodedata.normalize("NFC", name)
        assert unicodedata.is_normalized("NFC", read.holder.name)


def test_nfd_name_signed_as_is_is_read_as_nfc(world: World) -> None:
    """An issuer that does not normalise: the kiosk still shows and compares NFC."""
    claims = claims_of(two_dose_card())
    claims[hcm1.CARD]["n"] = unicodedata.normalize("NFD", "Nguyễn Văn An")  # type: ignore[index]
    _, read = _open(world.city.sign(claims))
    assert read.holder.name == unicodedata.normalize("NFC", "Nguyễn Văn An")


def test_typical_two_dose_card_fits_a_small_qr_code(capsys: pytest.CaptureFixture[str]) -> None:
    card = two_dose_card(holder=Holder("Trần Thị Bích Ngọc", "1995-03-08", "0377"))
    lengths = {}
    for algorithm in (Algorithm.EDDSA, Algorithm.ES256):
        lengths[algorithm] = len(
            hcm1.wrap(sign_cose(hcm1.encode_claims(card), SigningKey.generate(algorithm)))
        )
    with capsys.disabled():
        print(f"\ntypical 2-dose HCM1 card: {lengths} characters")
    assert all(length < 450 for length in lengths.values()), lengths


def test_kid_and_alg_are_in_the_protected_header() -> None:
    key = SigningKey.generate(Algorithm.ES256)
    text = hcm1.wrap(sign_cose(hcm1.encode_claims(two_dose_card()), key))
    message = cose.decode_sign1(cose_of(text))
    assert cbor.loads(message.protected) == {cose.HEADER_ALG: -7, cose.HEADER_KID: key.public.kid}
    assert message.unprotected_header == {}
    assert len(key.public.kid) == 8


def test_issued_card_is_tag_18_cose_sign1() -> None:
    key = SigningKey.generate()
    raw = cose_of(hcm1.wrap(sign_cose(hcm1.encode_claims(two_dose_card()), key)))
    item = cbor.loads(raw, allowed_tags=frozenset({cose.TAG_SIGN1}))
    assert isinstance(item, cbor.CborTag)
    assert item.tag == cose.TAG_SIGN1
    assert isinstance(item.value, list)
    assert len(item.value) == 4


def test_encode_claims_is_deterministic_and_carries_the_cwt_claims() -> None:
    card = two_dose_card(not_before=datetime(2021, 9, 3, tzinfo=UTC))
    assert hcm1.encode_claims(card) == hcm1.encode_claims(card)
    claims = claims_of(card)
    assert claims[hcm1.ISS] == "VN-HCM"
    assert claims[hcm1.CTI] == uuid.UUID(card.card_id).bytes
    assert claims[hcm1.IAT] == int(card.issued_at.timestamp())  # type: ignore[union-attr]
    assert claims[hcm1.NBF] == int(datetime(2021, 9, 3, tzinfo=UTC).timestamp())
    assert claims[hcm1.EXP] == int(card.expires_at.timestamp())  # type: ignore[union-attr]


# --- algorithms and kid ----------------------------------------------------------------


def _reason(text: str) -> Reason:
    with pytest.raises(CardRejected) as rejected:
        hcm1.open_card(text)
    return rejected.value.reason


@pytest.mark.parametrize(
    "alg",
    [-37, -257, -35, -36, 0, 1, -999, 2**64 - 1, -(2**64), "EdDSA", b"\xf8", None, [], 1.5],
    ids=repr,
)
def test_unsupported_algorithms(world: World, alg: object) -> None:
    protected: dict[object, object] = {cose.HEADER_KID: world.city.key.public.kid}
    if alg is not None:
        protected[cose.HEADER_ALG] = alg
    text = sign_claims(claims_of(two_dose_card()), world.city.key, protected=protected)
    assert _reason(text) is Reason.UNSUPPORTED_ALGORITHM
    decision = pipeline.process(text, NOW, world.context())
    assert decision.reason is Reason.UNSUPPORTED_ALGORITHM


def test_alg_only_in_the_unprotected_header_is_unsupported(world: World) -> None:
    key = world.city.key
    text = sign_claims(
        claims_of(two_dose_card()),
        key,
        protected={cose.HEADER_KID: key.public.kid},
        unprotected={cose.HEADER_ALG: -8},
    )
    assert _reason(text) is Reason.UNSUPPORTED_ALGORITHM


def test_kid_only_in_the_unprotected_header_is_malformed(world: World) -> None:
    key = world.city.key
    text = sign_claims(
        claims_of(two_dose_card()),
        key,
        protected={cose.HEADER_ALG: -8},
        unprotected={cose.HEADER_KID: key.public.kid},
    )
    assert _reason(text) is Reason.MALFORMED
    assert pipeline.process(text, NOW, world.context()).reason is Reason.MALFORMED


@pytest.mark.parametrize("kid", [b"", "kid-as-text", 12345, None], ids=repr)
def test_unusable_kid_is_malformed(world: World, kid: object) -> None:
    protected: dict[object, object] = {cose.HEADER_ALG: -8}
    if kid is not None:
        protected[cose.HEADER_KID] = kid
    text = sign_claims(claims_of(two_dose_card()), world.city.key, protected=protected)
    assert _reason(text) is Reason.MALFORMED


def test_unprotected_kid_does_not_override_the_protected_one(world: World) -> None:
    key = world.city.key
    text = sign_claims(claims_of(two_dose_card()), key, unprotected={cose.HEADER_KID: b"\x00" * 8})
    signed, _ = _open(text)
    assert signed.key_id == key.public.kid
    assert pipeline.process(text, NOW, world.context()).reason is Reason.ADMITTED_GREEN


# --- malformed claims --------------------------------------------------------------------

Mutation = Callable[[dict], None]  # type: ignore[type-arg]


def _body(claims: dict) -> dict:  # type: ignore[type-arg]
    return claims[hcm1.CARD]  # type: ignore[no-any-return]


def _set(key: object, value: object) -> Mutation:
    def mutate(claims: dict) -> None:  # type: ignore[type-arg]
        claims[key] = value

    return mutate


def _drop(key: object) -> Mutation:
    return lambda claims: claims.pop(key)


def _body_set(key: str, value: object) -> Mutation:
    return lambda claims: _body(claims).__setitem__(key, value)


def _body_drop(key: str) -> Mutation:
    return lambda claims: _body(claims).pop(key)


def _vac_set(key: str, value: object) -> Mutation:
    return lambda claims: _body(claims)["v"][0].__setitem__(key, value)


def _test_set(key: str, value: object) -> Mutation:
    def mutate(claims: dict) -> None:  # type: ignore[type-arg]
        _body(claims)["t"] = [{"tt": "LP6464-4", "sc": "2021-09-30T08:00:00Z", key: value}]

    return mutate


def _rec_set(value: object) -> Mutation:
    return lambda claims: _body(claims).__setitem__("r", [{"fr": value}])


MALFORMED: dict[str, Mutation] = {
    # the CWT claims
    "cti missing": _drop(hcm1.CTI),
    "cti 15 bytes": _set(hcm1.CTI, b"\x01" * 15),
    "cti 17 bytes": _set(hcm1.CTI, b"\x01" * 17),
    "cti as text": _set(hcm1.CTI, str(uuid.uuid4())),
    "iss missing": _drop(hcm1.ISS),
    "iss empty": _set(hcm1.ISS, ""),
    "iss as int": _set(hcm1.ISS, 1),
    "iat missing": _drop(hcm1.IAT),
    "iat as text": _set(hcm1.IAT, "1630458000"),
    "iat as float": _set(hcm1.IAT, 1630458000.5),
    "iat negative": _set(hcm1.IAT, -1),
    "exp missing": _drop(hcm1.EXP),
    "exp 2^64-1": _set(hcm1.EXP, 2**64 - 1),
    "exp -2^64": _set(hcm1.EXP, -(2**64)),
    "exp after 2100": _set(hcm1.EXP, 4_102_444_801),
    "exp as bool": _set(hcm1.EXP, True),
    "nbf as text": _set(hcm1.NBF, "soon"),
    "card claim missing": _drop(hcm1.CARD),
    "card claim a list": _set(hcm1.CARD, []),
    # the holder
    "name missing": _body_drop("n"),
    "name empty": _body_set("n", ""),
    "name as bytes": _body_set("n", "Nguyễn".encode()),
    "name too long": _body_set("n", "A" * 201),
    "dob missing": _body_drop("dob"),
    "dob 2 digit year": _body_set("dob", "87-05-12"),
    "dob with slashes": _body_set("dob", "12/05/1987"),
    "dob with time": _body_set("dob", "1987-05-12T00:00"),
    "dob as int": _body_set("dob", 1987),
    "dob trailing newline": _body_set("dob", "1987\n"),
    "nid 3 digits": _body_set("nid", "482"),
    "nid 5 digits": _body_set("nid", "48210"),
    "nid letters": _body_set("nid", "48a1"),
    "nid as int": _body_set("nid", 4821),
    "nid empty": _body_set("nid", ""),
    "colour 0": _body_set("c", 0),
    "colour 3": _body_set("c", 3),
    "colour as text": _body_set("c", "green"),
    "colour as bool": _body_set("c", True),
    "colour as float": _body_set("c", 1.0),
    # vaccinations
    "v not a list": _body_set("v", {"dn": 1}),
    "v entry not a map": _body_set("v", ["dose"]),
    "v too many entries": _body_set("v", [{"mp": "X", "dn": 1, "sd": 2, "dt": "2021-09-01"}] * 17),
    "dn 0": _vac_set("dn", 0),
    "dn negative": _vac_set("dn", -1),
    "dn 21": _vac_set("dn", 21),
    "dn as text": _vac_set("dn", "2"),
    "dn as bool": _vac_set("dn", True),
    "dn missing": lambda claims: _body(claims)["v"][0].pop("dn"),
    "sd 0": _vac_set("sd", 0),
    "mp empty": _vac_set("mp", ""),
    "mp too long": _vac_set("mp", "X" * 65),
    "dt not a date": _vac_set("dt", "yesterday"),
    "dt impossible": _vac_set("dt", "2021-02-30"),
    "dt with time": _vac_set("dt", "2021-09-01T00:00:00Z"),
    "dt short": _vac_set("dt", "2021-9-1"),
    "dt compact": _vac_set("dt", "20210901"),
    "dt as int": _vac_set("dt", 20210901),
    # recoveries
    "fr not a date": _rec_set("last spring"),
    "fr missing": lambda claims: _body(claims).__setitem__("r", [{}]),
    # tests
    "sc without time zone": _test_set("sc", "2021-09-30T08:00:00"),
    "sc date only": _test_set("sc", "2021-09-30"),
    "sc not a time": _test_set("sc", "this morning"),
    "sc as epoch": _test_set("sc", 1632988800),
    "tt missing": lambda claims: _body(claims).__setitem__("t", [{"sc": "2021-09-30T08:00:00Z"}]),
    "tt too long": _test_set("tt", "L" * 33),
    "t too many entries": _body_set("t", [{"tt": "LP6464-4", "sc": "2021-09-30T08:00:00Z"}] * 17),
}


def _signed_with(world: World, mutate: Mutation) -> str:
    claims = claims_of(two_dose_card(holder=Holder("Nguyễn Văn An", "1987-05-12", "4821")))
    mutate(claims)
    return world.city.sign(claims)


@pytest.mark.parametrize("case", list(MALFORMED))
def test_malformed_claims(world: World, case: str) -> None:
    text = _signed_with(world, MALFORMED[case])
    signed = hcm1.open_card(text)  # the envelope is fine ...
    assert world.city.key.public.verify(signed.signature, signed.signed_bytes)  # ... and signed
    with pytest.raises(CardRejected) as rejected:
        hcm1.read_claims(signed)
    assert rejected.value.reason is Reason.MALFORMED
    decision = pipeline.process(text, NOW, world.context())
    assert decision.reason is Reason.MALFORMED
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    assert decision.card is None


@pytest.mark.parametrize(
    "claims",
    [[], "claims", 42, b"\x00" * 16, {hcm1.CTI: b"\x00" * 16}],
    ids=["array", "text", "int", "bytes", "cti-only"],
)
def test_claims_that_are_not_a_card(world: World, claims: object) -> None:
    text = world.city.sign(claims)
    assert pipeline.process(text, NOW, world.context()).reason is Reason.MALFORMED


def test_claims_that_are_not_cbor(world: World) -> None:
    for payload in (b"", b"\xff", b"\xa1\x01", cbor.dumps({1: "x"}) + b"\x00"):
        text = hcm1.wrap(sign_cose(payload, world.city.key))
        decision = pipeline.process(text, NOW, world.context())
        assert decision.reason is Reason.MALFORMED, payload
        assert not decision.detail.startswith(pipeline.INTERNAL_ERROR)


@pytest.mark.parametrize(
    "mutate",
    [
        pytest.param(_vac_set("dt", "2021-W35-3"), id="dt ISO week date"),
        pytest.param(_rec_set("2021-W35-3"), id="fr ISO week date"),
        pytest.param(_vac_set("dt", "２０２１-09-01"), id="dt full-width digits"),
        pytest.param(_body_set("dob", "1987-13-45"), id="dob month 13"),
        pytest.param(_body_set("dob", "1987-02-30"), id="dob 30 February"),
        pytest.param(_body_set("dob", "1987-00"), id="dob month 0"),
        pytest.param(_body_set("dob", "١٩٨٧"), id="dob Arabic-Indic digits"),
        pytest.param(_body_set("nid", "４８２１"), id="nid full-width digits"),
        pytest.param(_test_set("sc", "2021-09-30T08:00+07:00"), id="sc without seconds"),
        pytest.param(_test_set("sc", "2021-09-30 08:00:00Z"), id="sc with a space"),
    ],
)
def test_claims_that_only_look_right_are_malformed(world: World, mutate: Mutation) -> None:
    """Regression: these were accepted before (week dates via date.fromisoformat, month 13,
    Unicode digits via \\d); found by this suite and fixed in kiosk/formats/hcm1.py."""
    decision = pipeline.process(_signed_with(world, mutate), NOW, world.context())
    assert decision.reason is Reason.MALFORMED


# --- what is allowed ----------------------------------------------------------------------


@pytest.mark.parametrize("dob", ["1987", "1987-05", "1987-05-12"])
def test_partial_birth_dates(world: World, dob: str) -> None:
    decision = pipeline.process(_signed_with(world, _body_set("dob", dob)), NOW, world.context())
    assert decision.reason is Reason.ADMITTED_GREEN
    assert decision.card is not None
    assert decision.card.holder.birth_date == dob
    assert decision.card.holder.birth_year == 1987


def test_unknown_claims_are_ignored(world: World) -> None:
    def mutate(claims: dict) -> None:  # type: ignore[type-arg]
        claims[8] = "extra"
        _body(claims)["x-note"] = {"any": [1, 2]}

    decision = pipeline.process(_signed_with(world, mutate), NOW, world.context())
    assert decision.reason is Reason.ADMITTED_GREEN


def test_card_without_optional_fields(world: World) -> None:
    def mutate(claims: dict) -> None:  # type: ignore[type-arg]
        for key in ("nid", "c"):
            _body(claims).pop(key, None)

    decision = pipeline.process(_signed_with(world, mutate), NOW, world.context())
    assert decision.reason is Reason.ADMITTED_GREEN
    assert decision.card is not None
    assert decision.card.holder.id_last4 is None
    assert decision.card.issued_colour is None


def test_sixteen_entries_are_allowed(world: World) -> None:
    doses = [{"mp": "X", "dn": 2, "sd": 2, "dt": "2021-09-01"}] * 16
    decision = pipeline.process(_signed_with(world, _body_set("v", doses)), NOW, world.context())
    assert decision.reason is Reason.ADMITTED_GREEN


def test_test_sample_time_keeps_its_instant(world: World) -> None:
    text = _signed_with(world, _test_set("sc", "2021-09-30T15:00:00+07:00"))
    _, read = _open(text)
    assert read.tests[0].sampled_at == datetime(2021, 9, 30, 8, tzinfo=UTC)
    assert read.tests[0].sampled_at.utcoffset() == timedelta(0)


def test_expired_at_nbf_and_iat_are_read_as_utc(world: World) -> None:
    card = two_dose_card(not_before=datetime(2021, 9, 2, 3, 4, 5, tzinfo=UTC))
    _, read = _open(world.city.issue(card))
    assert read.not_before == datetime(2021, 9, 2, 3, 4, 5, tzinfo=UTC)
    assert read.issued_at == card.issued_at
    assert read.expires_at == card.expires_at
    assert read.issuer == "VN-HCM"
    assert read.card_id == card.card_id
