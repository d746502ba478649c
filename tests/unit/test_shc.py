"""SMART Health Cards (``shc:/``): numeric QR text, chunks, JWS, FHIR facts, decisions."""

from __future__ import annotations

import json
import zlib
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from helpers import NOW
from visitors import (
    SHC_ISSUER,
    ShcIssuer,
    Visitors,
    epoch,
    immunization,
    make_shc_issuer,
    make_visitors,
    observation,
    patient,
    shc_payload,
)

from kiosk import pipeline
from kiosk.domain import Reason
from kiosk.errors import CardRejected
from kiosk.formats import registry, shc
from kiosk.verify.revocation import RevocationList


@pytest.fixture(scope="module")
def visitors() -> Visitors:
    return make_visitors()


@pytest.fixture
def issuer(visitors: Visitors) -> ShcIssuer:
    return visitors.shc


@pytest.fixture
def context(visitors: Visitors) -> pipeline.Context:
    return visitors.context()


def decide(text: str | bytes, context: pipeline.Context, now: datetime = NOW) -> pipeline.Decision:
    decision = pipeline.process(text, now, context)
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    return decision


def raw_jws(issuer: ShcIssuer, header: dict[str, object], body: bytes) -> str:
    """A JWS with any header and payload bytes, really signed by ``issuer``."""
    signing_input = f"{shc.b64url_encode(json.dumps(header).encode())}.{shc.b64url_encode(body)}"
    signature = issuer.key.sign(signing_input.encode())
    return shc.qr_texts(f"{signing_input}.{shc.b64url_encode(signature)}")[0]


def header(issuer: ShcIssuer, **changes: object) -> dict[str, object]:
    return {"zip": "DEF", "alg": "ES256", "kid": issuer.kid} | changes


# --- QR text --------------------------------------------------------------------------------


def test_numeric_encoding_round_trip() -> None:
    jws = "eyJhbGciOiJFUzI1NiJ9.e30.AbC-_x"
    digits = shc.jws_to_numeric(jws)
    assert digits.startswith("5676")  # "e" is 101 - 45 = 56, "y" is 121 - 45 = 76
    assert shc.numeric_to_jws(digits) == jws


@pytest.mark.parametrize(
    "text",
    ["shc:/1", "shc:/78", "shc:/99", "shc:/12a4", "shc:/ 1234", "shc:/0/0/1234", "shc:/1/1/5676"],
    ids=["odd", "beyond-z", "99", "letter", "space", "chunk-0-of-0", "chunk-1-of-1"],
)
def test_broken_numeric_text_is_malformed(text: str, context: pipeline.Context) -> None:
    assert decide(text, context).reason is Reason.MALFORMED


def test_the_registry_knows_shc() -> None:
    assert registry.find("shc:/5676").name == "SHC"


@pytest.mark.parametrize("chunks", [2, 3, 5])
def test_chunks_in_any_order_decide_as_one_card(
    issuer: ShcIssuer, context: pipeline.Context, chunks: int
) -> None:
    parts = issuer.issue(chunks=chunks).splitlines()
    assert len(parts) == chunks
    assert all(p.startswith(f"shc:/{i}/{chunks}/") for i, p in enumerate(parts, 1))
    for order in (parts, parts[::-1]):
        assert decide("\n".join(order), context).reason is Reason.ADMITTED_GREEN


@pytest.mark.parametrize(
    "pick",
    [
        lambda p: p[:2],  # one missing
        lambda p: [p[0], p[0], p[1]],  # one repeated
        lambda p: [p[0], p[1], p[2].replace("/3/", "/4/", 1)],  # counts disagree
        lambda p: [p[0], p[1], p[2].replace("shc:/3/", "shc:/4/", 1)],  # index out of range
        lambda p: [*p, shc.PREFIX + "5676"],  # a whole card among chunks
    ],
    ids=["missing", "repeated", "counts-differ", "index-out-of-range", "mixed"],
)
def test_incomplete_or_mixed_chunks_are_malformed(
    issuer: ShcIssuer, context: pipeline.Context, pick: object
) -> None:
    parts = issuer.issue(chunks=3).splitlines()
    text = "\n".join(pick(parts))  # type: ignore[operator]
    assert decide(text, context).reason is Reason.MALFORMED


def test_too_many_chunks_are_refused_unread(context: pipeline.Context) -> None:
    text = "\n".join(f"shc:/{i}/11/5676" for i in range(1, 12))
    assert decide(text, context).reason is Reason.MALFORMED


class TestChunkAssembler:
    def test_passes_whole_cards_and_other_payloads_through(self, issuer: ShcIssuer) -> None:
        assembler = shc.ChunkAssembler()
        whole = issuer.issue().encode()
        assert assembler.add(whole, 0.0) is whole
        assert assembler.add(b"HCM1:NCF", 0.0) == b"HCM1:NCF"
        assert assembler.add(b"shc:/1/1/5676", 0.0) == b"shc:/1/1/5676"  # judged, not held

    def test_holds_chunks_until_the_set_is_complete(self, issuer: ShcIssuer) -> None:
        parts = [p.encode() for p in issuer.issue(chunks=3).splitlines()]
        assembler = shc.ChunkAssembler()
        assert assembler.add(parts[2], 0.0) is None
        assert assembler.progress == (1, 3)
        assert assembler.add(parts[2], 1.0) is None  # the same chunk again
        assert assembler.add(parts[0], 2.0) is None
        assert assembler.progress == (2, 3)
        assert assembler.add(parts[1], 3.0) == b"\n".join(parts)
        assert assembler.progress is None

    def test_stale_chunks_are_forgotten(self, issuer: ShcIssuer) -> None:
        parts = [p.encode() for p in issuer.issue(chunks=2).splitlines()]
        assembler = shc.ChunkAssembler(max_age=60.0)
        assert assembler.add(parts[0], 0.0) is None
        assert assembler.add(parts[1], 61.0) is None  # a new set begins with this chunk
        assert assembler.add(parts[0], 62.0) == b"\n".join(parts)

    def test_a_chunk_of_another_card_starts_a_new_set(self, issuer: ShcIssuer) -> None:
        three = [p.encode() for p in issuer.issue(chunks=3).splitlines()]
        two = [p.encode() for p in issuer.issue(chunks=2).splitlines()]
        assembler = shc.ChunkAssembler()
        assert assembler.add(three[0], 0.0) is None
        assert assembler.add(two[0], 1.0) is None
        assert assembler.add(two[1], 2.0) == b"\n".join(two)


# --- the JWS ------------------------------------------------------------------------------------


def test_a_card_is_green_and_its_facts_are_read(
    issuer: ShcIssuer, context: pipeline.Context
) -> None:
    decision = decide(issuer.issue(), context)
    assert decision.reason is Reason.ADMITTED_GREEN, decision.detail
    card = decision.card
    assert card is not None
    assert card.format == "SHC"
    assert card.issuer == SHC_ISSUER
    assert card.holder.name == "Anyperson John B."
    assert card.holder.birth_date == "1951-01-20"
    assert [(v.product, v.dose, v.series) for v in card.vaccinations] == [
        ("EU/1/20/1507", 1, 2),
        ("EU/1/20/1507", 2, 2),
    ]
    assert card.issued_at == datetime(2021, 9, 2, tzinfo=UTC)


@pytest.mark.parametrize("alg", ["none", "HS256", "RS256", "ES384", None, 7])
def test_algorithms_other_than_es256(
    issuer: ShcIssuer, context: pipeline.Context, alg: object
) -> None:
    body = shc.deflate_raw(json.dumps(shc_payload()).encode())
    text = raw_jws(issuer, header(issuer, alg=alg), body)
    assert decide(text, context).reason is Reason.UNSUPPORTED_ALGORITHM


@pytest.mark.parametrize(
    "changes",
    [{"zip": None}, {"zip": "GZIP"}, {"kid": None}, {"kid": ""}, {"kid": 5}, {"crit": ["b64"]}],
    ids=["no-zip", "gzip", "no-kid", "empty-kid", "number-kid", "crit"],
)
def test_header_faults_are_malformed(
    issuer: ShcIssuer, context: pipeline.Context, changes: dict[str, object]
) -> None:
    body = shc.deflate_raw(json.dumps(shc_payload()).encode())
    fields = {k: v for k, v in header(issuer, **changes).items() if v is not None}
    assert decide(raw_jws(issuer, fields, body), context).reason is Reason.MALFORMED


def test_unknown_kid_and_bad_signature(issuer: ShcIssuer, context: pipeline.Context) -> None:
    stranger = make_shc_issuer()
    assert decide(stranger.issue(), context).reason is Reason.UNKNOWN_KEY
    jws = issuer.jws()
    forged = jws[:-4] + ("AAAA" if not jws.endswith("AAAA") else "BBBB")
    assert decide(shc.qr_texts(forged)[0], context).reason is Reason.BAD_SIGNATURE


@pytest.mark.parametrize(
    "body",
    [
        zlib.compress(b"{}"),  # zlib framing, not raw DEFLATE
        shc.deflate_raw(b"{}")[:-1],  # truncated
        shc.deflate_raw(b"{}") + b"junk",
        shc.deflate_raw(b"\x00" * 200_000),  # inflates beyond the limit
        shc.deflate_raw(b"[" * 100_000),  # nested beyond the interpreter's limit
        shc.deflate_raw(b'{"iss": "a", "iss": "b"}'),  # duplicate key
        shc.deflate_raw(b'{"nbf": NaN}'),
        shc.deflate_raw(b"\xff\xfe"),  # not UTF-8
        shc.deflate_raw(b"[]"),
    ],
    ids=[
        "zlib",
        "truncated",
        "trailing",
        "bomb",
        "deep",
        "duplicate-key",
        "nan",
        "not-utf8",
        "array",
    ],
)
def test_signed_payloads_that_do_not_parse(
    issuer: ShcIssuer, context: pipeline.Context, body: bytes
) -> None:
    assert decide(raw_jws(issuer, header(issuer), body), context).reason is Reason.MALFORMED


# --- claims and facts -----------------------------------------------------------------------------


def sign(issuer: ShcIssuer, payload: dict[str, object]) -> str:
    return issuer.issue(payload)


def test_rid_makes_the_card_id_and_a_revocation_list_can_name_it(
    visitors: Visitors, issuer: ShcIssuer
) -> None:
    text = sign(issuer, shc_payload(rid="MKyCxh7p6uQ"))
    decision = decide(text, visitors.context())
    assert decision.card is not None
    assert decision.card.card_id == f"{SHC_ISSUER}#MKyCxh7p6uQ"
    revoked = RevocationList.from_ids([f"{SHC_ISSUER}#MKyCxh7p6uQ"])
    assert decide(text, visitors.context(revoked=revoked)).reason is Reason.REVOKED


def test_timed_revocation_revokes_only_cards_issued_before(
    visitors: Visitors, issuer: ShcIssuer
) -> None:
    card_id = f"{SHC_ISSUER}#rid1"
    revoked = RevocationList.from_ids([], {card_id: datetime(2021, 9, 3, tzinfo=UTC)})
    context = visitors.context(revoked=revoked)
    before = sign(issuer, shc_payload(rid="rid1", nbf=epoch(datetime(2021, 9, 2, tzinfo=UTC))))
    after = sign(issuer, shc_payload(rid="rid1", nbf=epoch(datetime(2021, 9, 4, tzinfo=UTC))))
    assert decide(before, context).reason is Reason.REVOKED
    assert decide(after, context).reason is Reason.ADMITTED_GREEN


def test_without_rid_the_card_id_is_a_stable_digest(
    issuer: ShcIssuer, context: pipeline.Context
) -> None:
    first = decide(sign(issuer, shc_payload()), context).card
    again = decide(sign(issuer, shc_payload()), context).card  # new signature, same content
    other = decide(sign(issuer, shc_payload(nbf=epoch(datetime(2021, 9, 3, tzinfo=UTC)))), context)
    assert first is not None
    assert again is not None
    assert other.card is not None
    assert first.card_id == again.card_id
    assert first.card_id != other.card.card_id
    assert first.card_id.startswith(SHC_ISSUER + "#")
    assert len(first.card_id) == len(SHC_ISSUER) + 1 + 32


@pytest.mark.parametrize("rid", ["x" * 25, "has space", "", 12])
def test_bad_rid_is_malformed(issuer: ShcIssuer, context: pipeline.Context, rid: object) -> None:
    payload = shc_payload()
    payload["vc"]["rid"] = rid  # type: ignore[index]
    assert decide(sign(issuer, payload), context).reason is Reason.MALFORMED


def test_exp_is_inclusive_and_optional(issuer: ShcIssuer, context: pipeline.Context) -> None:
    exp = NOW.astimezone(UTC)
    text = sign(issuer, shc_payload(exp=epoch(exp)))
    assert decide(text, context, exp).reason is Reason.ADMITTED_GREEN
    assert decide(text, context, exp + timedelta(seconds=1)).reason is Reason.EXPIRED


def test_nbf_in_the_future_is_not_yet_valid(issuer: ShcIssuer, context: pipeline.Context) -> None:
    text = sign(issuer, shc_payload(nbf=epoch(NOW + timedelta(hours=1))))
    assert decide(text, context).reason is Reason.NOT_YET_VALID


def test_issuer_bound_key_refuses_another_iss(issuer: ShcIssuer, context: pipeline.Context) -> None:
    text = sign(issuer, shc_payload(iss="https://evil.example.com"))
    assert decide(text, context).reason is Reason.KEY_NOT_VALID_FOR_CARD


@pytest.mark.parametrize(
    ("resources", "doses"),
    [
        ([patient(), immunization("2021-07-01", "212")], [("EU/1/20/1525", 1, 1)]),
        ([patient(), immunization("2021-07-01", "88")], []),  # influenza: not a COVID dose
        ([patient(), immunization("2021-07-01", status="not-done")], []),
        ([patient(), immunization("2021-07")], []),  # a month only: no day to count from
        (
            [patient(), immunization("2021-08-01", "208"), immunization("2021-06-01", "510")],
            [("BBIBP-CorV", 1, 2), ("EU/1/20/1528", 2, 2)],  # numbered by date
        ),
        ([patient(), immunization("2021-07-01T09:30:00-04:00", "210")], [("EU/1/21/1529", 1, 2)]),
    ],
    ids=["janssen", "flu", "not-done", "month-only", "mixed-order", "date-time"],
)
def test_immunizations_become_doses(
    issuer: ShcIssuer,
    context: pipeline.Context,
    resources: list[dict[str, object]],
    doses: list[tuple[str, int, int]],
) -> None:
    card = decide(sign(issuer, shc_payload(resources)), context).card
    assert card is not None
    assert [(v.product, v.dose, v.series) for v in card.vaccinations] == doses


def test_snomed_coded_vaccine(issuer: ShcIssuer, context: pipeline.Context) -> None:
    dose = immunization("2021-07-01")
    dose["vaccineCode"] = {
        "coding": [{"system": "http://snomed.info/sct", "code": "28581000087106"}]
    }
    card = decide(sign(issuer, shc_payload([patient(), dose])), context).card
    assert card is not None
    assert [v.product for v in card.vaccinations] == ["EU/1/20/1528"]


def test_negative_antigen_test_is_yellow(issuer: ShcIssuer, context: pipeline.Context) -> None:
    when = (NOW - timedelta(hours=6)).isoformat()
    decision = decide(sign(issuer, shc_payload([patient(), observation(when)])), context)
    assert decision.reason is Reason.ADMITTED_YELLOW
    assert decision.card is not None
    assert [t.test_type for t in decision.card.tests] == ["LP217198-3"]


@pytest.mark.parametrize(
    "obs",
    [
        observation("2021-10-01T01:00:00Z", result="10828004"),  # positive
        observation("2021-10-01T01:00:00Z", loinc="2345-7"),  # glucose
        observation("2021-10-01"),  # a date only
    ],
    ids=["positive", "other-observation", "date-only"],
)
def test_other_observations_give_no_fact(
    issuer: ShcIssuer, context: pipeline.Context, obs: dict[str, object]
) -> None:
    decision = decide(sign(issuer, shc_payload([patient(), obs])), context)
    assert decision.reason is Reason.NO_VALID_BASIS


@pytest.mark.parametrize(
    "resources",
    [
        [immunization("2021-07-01")],  # a dose, but whose?
        [patient(), patient("Other"), immunization("2021-07-01")],
        [patient(family="Evil\u202e"), immunization("2021-07-01")],
        [{"resourceType": "Patient", "birthDate": "1951"}, immunization("2021-07-01")],
        [patient() | {"birthDate": "1951-02-30"}, immunization("2021-07-01")],
        [patient(), "not a resource"],
    ],
    ids=["no-patient", "two-patients", "rtl-override", "no-name", "bad-birth-date", "bad-entry"],
)
def test_holder_faults_are_malformed(
    issuer: ShcIssuer, context: pipeline.Context, resources: list[object]
) -> None:
    payload = shc_payload(resources)  # type: ignore[arg-type]
    if resources[-1] == "not a resource":
        payload["vc"]["credentialSubject"]["fhirBundle"]["entry"][-1] = "x"  # type: ignore[index]
    assert decide(sign(issuer, payload), context).reason is Reason.MALFORMED


def test_a_card_without_a_patient_or_facts_is_no_basis(
    issuer: ShcIssuer, context: pipeline.Context
) -> None:
    decision = decide(sign(issuer, shc_payload([{"resourceType": "DiagnosticReport"}])), context)
    assert decision.reason is Reason.NO_VALID_BASIS
    assert decision.card is not None
    assert decision.card.holder.name == ""


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["vc"].update(type=["https://smarthealth.cards#immunization"]),
        lambda p: p.pop("vc"),
        lambda p: p.pop("nbf"),
        lambda p: p.update(nbf="yesterday"),
        lambda p: p.update(iss=""),
        lambda p: p["vc"]["credentialSubject"]["fhirBundle"].update(entry={"a": 1}),
    ],
    ids=["not-a-health-card", "no-vc", "no-nbf", "text-nbf", "empty-iss", "entry-not-list"],
)
def test_claims_faults_are_malformed(
    issuer: ShcIssuer, context: pipeline.Context, change: object
) -> None:
    payload = shc_payload()
    change(payload)  # type: ignore[operator]
    assert decide(sign(issuer, payload), context).reason is Reason.MALFORMED


def test_too_many_doses_are_malformed(issuer: ShcIssuer, context: pipeline.Context) -> None:
    doses = [immunization(f"2021-{m:02d}-{d:02d}") for m in (1, 2) for d in range(1, 10)]
    assert decide(sign(issuer, shc_payload([patient(), *doses])), context).reason is (
        Reason.MALFORMED
    )


def test_claims_are_not_read_before_the_signature_holds(issuer: ShcIssuer) -> None:
    """open_card leaves the payload compressed: a bomb costs nothing until signed."""
    signed = shc.open_card(issuer.issue())
    assert signed.claims != json.dumps(shc_payload()).encode()
    with pytest.raises(CardRejected):
        shc.read_claims(replace(signed, claims=b"\x00"))
