"""EU Digital COVID Certificates (``HC1:``): decoding, trust by DSC, and decisions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from helpers import NOW, World, claims_of, ict, sign_claims, two_dose_card
from visitors import (
    DSC_FROM,
    DSC_UNTIL,
    Visitors,
    dcc_body,
    dcc_claims,
    epoch,
    lab_entry,
    make_dsc,
    make_visitors,
    person,
    recovery_entry,
    vaccination,
)

from kiosk import pipeline
from kiosk.domain import Algorithm, CardKind, Reason, Verdict
from kiosk.formats import cose, dcc, hcm1, registry
from kiosk.verify.truststore import TrustStore


@pytest.fixture(scope="module")
def visitors() -> Visitors:
    return make_visitors()


@pytest.fixture
def context(visitors: Visitors) -> pipeline.Context:
    return visitors.context()


def decide(text: str, context: pipeline.Context, now: datetime = NOW) -> pipeline.Decision:
    decision = pipeline.process(text, now, context)
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    return decision


# --- the happy paths ------------------------------------------------------------------------


def test_the_registry_knows_hc1() -> None:
    assert registry.find("HC1:NCF").name == "HC1"
    assert registry.find("HCM1:NCF").name == "HCM1"  # "HCM1:" is not "HC1:"


@pytest.mark.parametrize("which", ["dsc", "rsa_dsc"], ids=["ES256", "PS256"])
def test_full_vaccination_is_green(
    visitors: Visitors, context: pipeline.Context, which: str
) -> None:
    issuer = getattr(visitors, which)
    decision = decide(issuer.issue(), context)
    assert decision.reason is Reason.ADMITTED_GREEN, decision.detail
    card = decision.card
    assert card is not None
    assert card.format == "HC1"
    assert card.card_id == "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"
    assert card.issuer == "AT"
    assert card.holder.name == "Musterfrau-Gößinger Gabriele"  # family name first
    assert card.holder.masked_name == "Musterfrau-Gößinger G."
    assert card.holder.birth_year == 1998
    assert card.issued_colour is None
    assert card.kinds == {CardKind.VACCINATION}


@pytest.mark.parametrize("tag", ["18", "61", "none"])
def test_cose_tags_and_untagged(visitors: Visitors, context: pipeline.Context, tag: str) -> None:
    text = visitors.dsc.sign(dcc_claims(), tag=tag)
    assert decide(text, context).reason is Reason.ADMITTED_GREEN


def test_kid_in_the_unprotected_header_is_accepted(
    visitors: Visitors, context: pipeline.Context
) -> None:
    text = visitors.dsc.sign(
        dcc_claims(),
        protected={cose.HEADER_ALG: -7},
        unprotected={cose.HEADER_KID: visitors.dsc.kid},
    )
    assert decide(text, context).reason is Reason.ADMITTED_GREEN


def test_the_protected_kid_wins_over_the_unprotected(
    visitors: Visitors, context: pipeline.Context
) -> None:
    good, wrong = visitors.dsc.kid, bytes(8)
    header = {cose.HEADER_ALG: -7, cose.HEADER_KID: good}
    text = visitors.dsc.sign(dcc_claims(), protected=header, unprotected={cose.HEADER_KID: wrong})
    assert decide(text, context).reason is Reason.ADMITTED_GREEN
    header = {cose.HEADER_ALG: -7, cose.HEADER_KID: wrong}
    text = visitors.dsc.sign(dcc_claims(), protected=header, unprotected={cose.HEADER_KID: good})
    assert decide(text, context).reason is Reason.UNKNOWN_KEY


@pytest.mark.parametrize("kid", [b"", b"\x00" * 7, b"\x00" * 9], ids=["empty", "short", "long"])
def test_a_kid_that_names_no_certificate_fails(
    visitors: Visitors, context: pipeline.Context, kid: bytes
) -> None:
    text = visitors.dsc.sign(dcc_claims(), protected={cose.HEADER_ALG: -7, cose.HEADER_KID: kid})
    assert decide(text, context).reason in (Reason.UNKNOWN_KEY, Reason.MALFORMED)


def test_no_kid_anywhere_is_malformed(visitors: Visitors, context: pipeline.Context) -> None:
    text = visitors.dsc.sign(dcc_claims(), protected={cose.HEADER_ALG: -7})
    assert decide(text, context).reason is Reason.MALFORMED


@pytest.mark.parametrize("alg", [-8, -35, -257, None], ids=["EdDSA", "ES384", "RS256", "absent"])
def test_algorithms_other_than_es256_and_ps256(
    visitors: Visitors, context: pipeline.Context, alg: int | None
) -> None:
    header: dict[object, object] = {cose.HEADER_KID: visitors.dsc.kid}
    if alg is not None:
        header[cose.HEADER_ALG] = alg
    assert decide(visitors.dsc.sign(dcc_claims(), protected=header), context).reason is (
        Reason.UNSUPPORTED_ALGORITHM
    )


def test_ps256_header_on_an_ecdsa_signature_fails(
    visitors: Visitors, context: pipeline.Context
) -> None:
    header = {cose.HEADER_ALG: -37, cose.HEADER_KID: visitors.dsc.kid}
    assert decide(visitors.dsc.sign(dcc_claims(), protected=header), context).reason is (
        Reason.BAD_SIGNATURE
    )


def test_a_dcc_signing_certificate_cannot_vouch_for_a_city_card(
    visitors: Visitors, context: pipeline.Context
) -> None:
    """A DSC is for HC1 only: an HCM1 card signed with its key and naming its kid is refused."""
    header = hcm1.protected_header(Algorithm.ES256, visitors.dsc.kid)
    text = sign_claims(claims_of(two_dose_card()), visitors.dsc.key, protected=header)
    decision = decide(text, context)
    assert decision.reason is Reason.KEY_NOT_VALID_FOR_CARD
    assert "key is for ['HC1'], card is HCM1" in decision.detail


# --- tests, recoveries, key usage --------------------------------------------------------------


def test_negative_test_is_yellow(visitors: Visitors, context: pipeline.Context) -> None:
    body = dcc_body(t=[lab_entry(NOW - timedelta(hours=10))])
    decision = decide(visitors.lab_dsc.issue(body), context)
    assert decision.reason is Reason.ADMITTED_YELLOW
    assert decision.card is not None
    assert [t.test_type for t in decision.card.tests] == ["LP217198-3"]


def test_positive_test_gives_no_basis_but_still_is_a_test_card(
    visitors: Visitors, context: pipeline.Context
) -> None:
    body = dcc_body(t=[lab_entry(NOW - timedelta(hours=10), tr="260373001")])
    decision = decide(visitors.lab_dsc.issue(body), context)
    assert decision.reason is Reason.NO_VALID_BASIS
    assert decision.card is not None
    assert decision.card.tests == ()
    assert decision.card.kinds == {CardKind.TEST}


def test_a_test_only_certificate_may_not_sign_a_vaccination(
    visitors: Visitors, context: pipeline.Context
) -> None:
    decision = decide(visitors.lab_dsc.issue(), context)
    assert decision.reason is Reason.KEY_NOT_VALID_FOR_CARD
    assert "may not sign v" in decision.detail


def test_an_unusable_entry_still_binds_the_key_usage(
    visitors: Visitors, context: pipeline.Context
) -> None:
    """Dose number 0 gives no fact, but the card is still a vaccination certificate."""
    decision = decide(visitors.lab_dsc.issue(dcc_body(v=[vaccination(dn=0)])), context)
    assert decision.reason is Reason.KEY_NOT_VALID_FOR_CARD


@pytest.mark.parametrize(
    ("df", "du", "reason"),
    [
        ("2021-09-01", "2022-02-01", Reason.ADMITTED_GREEN),
        ("2021-09-01", "2021-09-30", Reason.NO_VALID_BASIS),  # certificate ran out yesterday
        ("2021-10-01", "2022-02-01", Reason.ADMITTED_GREEN),  # valid from today, 00:00 +07
        ("2021-10-02", "2022-02-01", Reason.NO_VALID_BASIS),  # valid from tomorrow
    ],
)
def test_recovery_within_its_own_validity(
    visitors: Visitors, context: pipeline.Context, df: str, du: str, reason: Reason
) -> None:
    body = dcc_body(r=[recovery_entry("2021-08-20", df, du)])
    decision = decide(visitors.dsc.issue(body), context)
    assert decision.reason is reason, decision.detail


def test_entries_for_another_disease_give_no_fact(
    visitors: Visitors, context: pipeline.Context
) -> None:
    entry = vaccination() | {"tg": "6142004"}  # influenza
    decision = decide(visitors.dsc.issue(dcc_body(v=[entry])), context)
    assert decision.reason is Reason.NO_VALID_BASIS
    assert decision.card is not None
    assert decision.card.vaccinations == ()


def test_booster_beyond_the_series_counts_as_full(
    visitors: Visitors, context: pipeline.Context
) -> None:
    decision = decide(visitors.dsc.issue(dcc_body(v=[vaccination(dn=3, sd=2)])), context)
    assert decision.reason is Reason.ADMITTED_GREEN


# --- time ---------------------------------------------------------------------------------------


def test_exp_is_the_last_valid_second(visitors: Visitors, context: pipeline.Context) -> None:
    exp = datetime(2021, 10, 1, 3, 0, tzinfo=UTC)
    text = visitors.dsc.issue(exp=exp)
    assert decide(text, context, exp).reason is Reason.ADMITTED_GREEN
    assert decide(text, context, exp + timedelta(milliseconds=999)).reason is Reason.ADMITTED_GREEN
    assert decide(text, context, exp + timedelta(seconds=1)).reason is Reason.EXPIRED


def test_issued_before_the_certificate_is_not_valid_for_it(
    visitors: Visitors, context: pipeline.Context
) -> None:
    text = visitors.dsc.issue(iat=DSC_FROM - timedelta(days=1))
    assert decide(text, context).reason is Reason.KEY_NOT_VALID_FOR_CARD


def test_a_card_outlives_its_expired_certificate(
    visitors: Visitors, context: pipeline.Context
) -> None:
    """The certificate must have been valid when the card was signed (its iat), as the
    EU test data expects (PL/1.3.0/6: exp after the DSC's notAfter, expiration check met)."""
    text = visitors.dsc.issue(iat=DSC_UNTIL - timedelta(days=1), exp=DSC_UNTIL + timedelta(days=90))
    later = DSC_UNTIL + timedelta(days=30)
    assert decide(text, context, later).reason is not Reason.KEY_NOT_VALID_FOR_CARD
    assert decide(text, context, later).reason is not Reason.EXPIRED


def test_issued_in_the_future_is_not_yet_valid(
    visitors: Visitors, context: pipeline.Context
) -> None:
    text = visitors.dsc.issue(iat=NOW + timedelta(minutes=10))
    assert decide(text, context).reason is Reason.NOT_YET_VALID
    text = visitors.dsc.issue(iat=NOW + timedelta(minutes=4))  # within the clock skew
    assert decide(text, context).reason is Reason.ADMITTED_GREEN


def test_fractional_numeric_dates_are_read(visitors: Visitors, context: pipeline.Context) -> None:
    claims = dcc_claims()
    claims[dcc.IAT] = epoch(datetime(2021, 9, 1, tzinfo=UTC)) + 0.286
    claims[dcc.EXP] = epoch(datetime(2022, 9, 1, tzinfo=UTC)) + 0.283
    assert decide(visitors.dsc.sign(claims), context).reason is Reason.ADMITTED_GREEN


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, 2**40, True, "1630454400", None])
@pytest.mark.parametrize("claim", [dcc.IAT, dcc.EXP])
def test_odd_numeric_dates_are_malformed(
    visitors: Visitors, context: pipeline.Context, claim: int, value: object
) -> None:
    claims = dcc_claims()
    claims[claim] = value
    assert decide(visitors.dsc.sign(claims), context).reason is Reason.MALFORMED


# --- the holder and the odd shapes issuers write -------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "stored"),
    [
        ("1998-02-26", "1998-02-26"),
        ("1998-02", "1998-02"),
        ("1998", "1998"),
        ("", ""),
        ("1963-00", "1963"),
        ("1963-XX-XX", "1963"),
        ("1978-01-26T00:00:00", "1978-01-26"),
    ],
)
def test_dates_of_birth_as_issuers_write_them(
    visitors: Visitors, context: pipeline.Context, dob: str, stored: str
) -> None:
    decision = decide(visitors.dsc.issue(dcc_body() | {"dob": dob}), context)
    assert decision.card is not None
    assert decision.card.holder.birth_date == stored


@pytest.mark.parametrize("dob", ["1998-13-01", "1998-02-30", "98-02-26", "١٩٩٨", 1998])
def test_impossible_dates_of_birth_are_malformed(
    visitors: Visitors, context: pipeline.Context, dob: object
) -> None:
    assert decide(visitors.dsc.issue(dcc_body() | {"dob": dob}), context).reason is Reason.MALFORMED


def test_transliterated_name_when_the_plain_one_is_missing(
    visitors: Visitors, context: pipeline.Context
) -> None:
    body = dcc_body() | {"nam": {"fnt": "MUSTERFRAU<GOESSINGER", "gnt": "GABRIELE"}}
    decision = decide(visitors.dsc.issue(body), context)
    assert decision.card is not None
    assert decision.card.holder.name == "MUSTERFRAU GOESSINGER GABRIELE"


@pytest.mark.parametrize(
    "nam",
    [
        person("Evil\u202emoc.liamg"),
        person("Zero\u200bWidth"),
        {"fn": "", "gn": "", "fnt": "", "gnt": ""},
        {"fn": 12},
        "Musterfrau",
        None,
    ],
    ids=["rtl-override", "zero-width", "empty", "number", "text", "missing"],
)
def test_names_that_could_deceive_or_are_absent(
    visitors: Visitors, context: pipeline.Context, nam: object
) -> None:
    assert decide(visitors.dsc.issue(dcc_body() | {"nam": nam}), context).reason is Reason.MALFORMED


def test_null_groups_and_date_times_where_dates_are_due(
    visitors: Visitors, context: pipeline.Context
) -> None:
    body = dcc_body(v=[vaccination(dt="2021-08-15T00:00:00+02:00")]) | {"t": None, "r": None}
    assert decide(visitors.dsc.issue(body), context).reason is Reason.ADMITTED_GREEN


def test_cbor_date_tag_for_the_sample_time(visitors: Visitors, context: pipeline.Context) -> None:
    from kiosk.formats import cbor

    entry = lab_entry(NOW - timedelta(hours=5))
    entry["sc"] = cbor.CborTag(0, entry["sc"])
    decision = decide(visitors.lab_dsc.issue(dcc_body(t=[entry])), context)
    assert decision.reason is Reason.ADMITTED_YELLOW


@pytest.mark.parametrize(
    "body",
    [
        {"ver": "1.3.0", "nam": person(), "dob": "1998"},  # no entry
        dcc_body(v=["not a map"]),
        dcc_body(v=[vaccination()] * 17),
        dcc_body(v={"dn": 1}),
        dcc_body(v=[vaccination() | {"ci": ""}]),
    ],
    ids=["no-entry", "entry-not-a-map", "too-many", "not-a-list", "no-certificate-id"],
)
def test_structural_faults_are_malformed(
    visitors: Visitors, context: pipeline.Context, body: dict[str, object]
) -> None:
    assert decide(visitors.dsc.issue(body), context).reason is Reason.MALFORMED


def test_missing_hcert_claim(visitors: Visitors, context: pipeline.Context) -> None:
    claims = dcc_claims()
    del claims[dcc.HCERT]
    assert decide(visitors.dsc.sign(claims), context).reason is Reason.MALFORMED


def test_card_id_is_the_uvci_and_revocation_names_it(visitors: Visitors) -> None:
    from kiosk.verify.revocation import RevocationList

    revoked = RevocationList.from_ids(["URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"])
    decision = decide(visitors.dsc.issue(), visitors.context(revoked=revoked))
    assert decision.reason is Reason.REVOKED


FIRST_UVCI = "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"
SECOND_UVCI = "URN:UVCI:01:AT:B5921A35D6A0D696421B3E2462178297#I"


def two_entry_body() -> dict[str, object]:
    """Two vaccination entries, each a certificate with its own UVCI (issue 10.2)."""
    first = vaccination(dn=1, sd=2, dt="2021-07-01")
    second = {**vaccination(dn=2, sd=2, dt="2021-08-15"), "ci": SECOND_UVCI}
    return dcc_body(v=[first, second])


def test_every_entry_s_uvci_is_read(visitors: Visitors, context: pipeline.Context) -> None:
    card = dcc.read_claims(dcc.open_card(visitors.dsc.issue(two_entry_body())))
    assert card.card_id == FIRST_UVCI
    assert card.other_ids == (SECOND_UVCI,)


@pytest.mark.parametrize("revoked_id", [SECOND_UVCI, SECOND_UVCI.lower(), FIRST_UVCI])
def test_a_revoked_later_entry_revokes_the_card(visitors: Visitors, revoked_id: str) -> None:
    from kiosk.verify.revocation import RevocationList

    text = visitors.dsc.issue(two_entry_body())
    assert decide(text, visitors.context()).verdict is Verdict.GREEN  # not revoked: admitted
    decision = decide(text, visitors.context(revoked=RevocationList.from_ids([revoked_id])))
    assert decision.reason is Reason.REVOKED
    assert decision.verdict is Verdict.RED


def test_a_later_entry_without_a_uvci_is_malformed(
    visitors: Visitors, context: pipeline.Context
) -> None:
    """An entry that could not be revoked is no entry the kiosk admits on."""
    body = two_entry_body()
    entries = body["v"]
    assert isinstance(entries, list)
    del entries[1]["ci"]
    assert decide(visitors.dsc.issue(body), context).reason is Reason.MALFORMED


def test_without_iss_the_entry_country_names_the_issuer(
    visitors: Visitors, context: pipeline.Context
) -> None:
    decision = decide(visitors.dsc.issue(iss=None), context)
    assert decision.card is not None
    assert decision.card.issuer == "AT"


def test_venue_policy_applies_to_visitors(visitors: Visitors) -> None:
    body = dcc_body(t=[lab_entry(NOW - timedelta(hours=10))])
    decision = decide(visitors.lab_dsc.issue(body), visitors.context("dine-in"))
    assert decision.reason is Reason.NOT_ADMITTED
    assert decision.verdict is Verdict.RED


def test_one_dose_of_two_follows_the_city_rules_in_force(visitors: Visitors) -> None:
    """The same policy as for city cards: yellow on 19 Sept, green from 20 Sept 2021."""
    text = visitors.dsc.issue(dcc_body(v=[vaccination(dn=1, sd=2, dt="2021-09-01")]))
    context = visitors.context()
    assert decide(text, context, ict(2021, 9, 19)).reason is Reason.ADMITTED_YELLOW
    assert decide(text, context, ict(2021, 9, 21)).reason is Reason.ADMITTED_GREEN


def test_an_untrusted_dsc_is_an_unknown_key(visitors: Visitors) -> None:
    stranger = make_dsc(Algorithm.ES256)
    context = pipeline.Context(TrustStore([visitors.dsc.trusted]), visitors.context().rules)
    assert decide(stranger.issue(), context).reason is Reason.UNKNOWN_KEY


def test_dsc_and_shc_keys_through_a_signed_bundle(visitors: Visitors, world: World) -> None:
    """The kiosk's real path: the city's signed bundle carries the DSC and the SHC key."""
    context = world.context(extra=[visitors.dsc.trusted, visitors.shc.trusted])
    assert decide(visitors.dsc.issue(), context).reason is Reason.ADMITTED_GREEN
    assert decide(visitors.shc.issue(), context).reason is Reason.ADMITTED_GREEN
    assert decide(visitors.rsa_dsc.issue(), context).reason is Reason.UNKNOWN_KEY  # not in it
