"""pipeline.process: every reason, their precedence, the city's rules over time, venues.

Cards are signed with each test's own keys and judged against a context built the way
a kiosk builds it: from a trust bundle signed by the city root and opened with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import (
    ICT,
    NOW,
    Issuer,
    World,
    claims_of,
    cose_of,
    ict,
    make_issuer,
    negative_test_card,
    one_dose_card,
    raw_sign1,
    recovery_card,
    sign_claims,
    two_dose_card,
)

from kiosk import pipeline
from kiosk.domain import Algorithm, CardKind, Colour, Reason, Verdict
from kiosk.formats import cbor, cose, hcm1
from kiosk.reasons import REASONS
from kiosk.verify.keys import SigningKey


def judge(
    payload: str | bytes, context: pipeline.Context, now: datetime = NOW
) -> pipeline.Decision:
    decision = pipeline.process(payload, now, context)
    assert not decision.detail.startswith(pipeline.INTERNAL_ERROR), decision.detail
    return decision


def tampered(text: str) -> str:
    """The same card with the last byte of its signed claims changed."""
    message = cose.decode_sign1(cose_of(text))
    payload = bytearray(message.payload)
    payload[-1] ^= 0x01
    return hcm1.wrap(raw_sign1(message.protected, {}, bytes(payload), message.signature))


# --- one scenario per reason ---------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """A payload, a moment and a venue, built from a test's own world."""

    payload: str | bytes
    now: datetime = NOW
    venue: str | None = None


def _green(w: World) -> Scenario:
    return Scenario(w.city.issue(two_dose_card()))


def _yellow(w: World) -> Scenario:
    card = negative_test_card(NOW - timedelta(hours=10))
    return Scenario(w.lab.issue(card), venue="supermarket")


def _unsupported_format(w: World) -> Scenario:
    return Scenario("https://example.com/menu")


def _malformed(w: World) -> Scenario:
    return Scenario("HCM1:!!not base45!!")


def _unsupported_algorithm(w: World) -> Scenario:
    claims = claims_of(two_dose_card())
    protected = {cose.HEADER_ALG: -37, cose.HEADER_KID: w.city.key.public.kid}
    return Scenario(sign_claims(claims, w.city.key, protected=protected))


def _unknown_key(w: World) -> Scenario:
    return Scenario(sign_claims(claims_of(two_dose_card()), w.stranger))


def _bad_signature(w: World) -> Scenario:
    return Scenario(tampered(w.city.issue(two_dose_card())))


def _key_not_valid_for_card(w: World) -> Scenario:
    return Scenario(w.lab.issue(two_dose_card()))  # a test lab signing a vaccination


def _revoked(w: World) -> Scenario:
    return Scenario(w.city.issue(two_dose_card(card_id=w.revoked_id)))


def _not_yet_valid(w: World) -> Scenario:
    return Scenario(w.city.issue(two_dose_card(not_before=NOW + timedelta(days=2))))


def _expired(w: World) -> Scenario:
    card = two_dose_card(
        issued_at=datetime(2021, 9, 1, tzinfo=UTC), expires_at=NOW - timedelta(seconds=1)
    )
    return Scenario(w.city.issue(card))


def _no_rules(w: World) -> Scenario:
    card = two_dose_card(
        date(2019, 11, 1),
        issued_at=datetime(2019, 12, 1, tzinfo=UTC),
        expires_at=datetime(2020, 12, 1, tzinfo=UTC),
    )
    return Scenario(w.city.issue(card), now=ict(2020, 1, 1))


def _no_valid_basis(w: World) -> Scenario:
    return Scenario(w.city.issue(one_dose_card(date(2021, 9, 26))))  # five days ago


def _not_admitted(w: World) -> Scenario:
    card = negative_test_card(NOW - timedelta(hours=10))
    return Scenario(w.lab.issue(card), venue="dine-in")


SCENARIOS: dict[Reason, Callable[[World], Scenario]] = {
    Reason.ADMITTED_GREEN: _green,
    Reason.ADMITTED_YELLOW: _yellow,
    Reason.UNSUPPORTED_FORMAT: _unsupported_format,
    Reason.MALFORMED: _malformed,
    Reason.UNSUPPORTED_ALGORITHM: _unsupported_algorithm,
    Reason.UNKNOWN_KEY: _unknown_key,
    Reason.BAD_SIGNATURE: _bad_signature,
    Reason.KEY_NOT_VALID_FOR_CARD: _key_not_valid_for_card,
    Reason.REVOKED: _revoked,
    Reason.NOT_YET_VALID: _not_yet_valid,
    Reason.EXPIRED: _expired,
    Reason.NO_RULES: _no_rules,
    Reason.NO_VALID_BASIS: _no_valid_basis,
    Reason.NOT_ADMITTED: _not_admitted,
}


def _decide(world: World, scenario: Scenario) -> pipeline.Decision:
    return judge(scenario.payload, world.context(scenario.venue), scenario.now)


@pytest.mark.parametrize("reason", list(SCENARIOS), ids=str)
def test_each_reason(world: World, reason: Reason) -> None:
    scenario = SCENARIOS[reason](world)
    decision = _decide(world, scenario)
    assert decision.reason is reason, decision.detail
    assert decision.verdict is REASONS[reason].verdict
    assert decision.at == scenario.now


def test_every_reason_is_produced(world: World) -> None:
    produced = {_decide(world, build(world)).reason for build in SCENARIOS.values()}
    assert produced == set(Reason)


def test_every_reason_has_one_verdict_and_words() -> None:
    assert set(REASONS) == set(Reason)
    for reason, info in REASONS.items():
        assert info.guard_vi, reason
        assert info.guard_en, reason
        admitted = reason in (Reason.ADMITTED_GREEN, Reason.ADMITTED_YELLOW)
        assert (info.verdict is not Verdict.RED) == admitted, reason


def test_red_decisions_carry_a_card_only_after_its_signature_holds(world: World) -> None:
    unknown = _decide(world, _unknown_key(world))
    forged = _decide(world, _bad_signature(world))
    expired = _decide(world, _expired(world))
    assert unknown.card is None
    assert forged.card is None
    assert expired.card is not None
    assert expired.card.holder.name == "Nguyễn Văn An"


# --- precedence ----------------------------------------------------------------------


def _assert_precedence(decision: pipeline.Decision, winner: Reason, loser: Reason) -> None:
    assert decision.reason is winner, decision.detail
    assert REASONS[winner].precedence < REASONS[loser].precedence


def test_revoked_and_expired_is_revoked(world: World, context: pipeline.Context) -> None:
    card = two_dose_card(card_id=world.revoked_id, expires_at=NOW - timedelta(days=3))
    decision = judge(world.city.issue(card), context)
    _assert_precedence(decision, Reason.REVOKED, Reason.EXPIRED)


def test_expired_with_bad_signature_is_bad_signature(
    world: World, context: pipeline.Context
) -> None:
    card = two_dose_card(expires_at=NOW - timedelta(days=3))
    decision = judge(tampered(world.city.issue(card)), context)
    _assert_precedence(decision, Reason.BAD_SIGNATURE, Reason.EXPIRED)
    assert decision.card is None


def test_unknown_key_and_expired_is_unknown_key(world: World, context: pipeline.Context) -> None:
    card = two_dose_card(expires_at=NOW - timedelta(days=3))
    decision = judge(sign_claims(claims_of(card), world.stranger), context)
    _assert_precedence(decision, Reason.UNKNOWN_KEY, Reason.EXPIRED)


def test_unsupported_algorithm_from_unknown_key_is_unsupported_algorithm(
    world: World, context: pipeline.Context
) -> None:
    protected = {cose.HEADER_ALG: -37, cose.HEADER_KID: world.stranger.public.kid}
    decision = judge(
        sign_claims(claims_of(two_dose_card()), world.stranger, protected=protected), context
    )
    _assert_precedence(decision, Reason.UNSUPPORTED_ALGORITHM, Reason.UNKNOWN_KEY)


def test_key_not_valid_and_revoked_is_key_not_valid(
    world: World, context: pipeline.Context
) -> None:
    decision = judge(world.lab.issue(two_dose_card(card_id=world.revoked_id)), context)
    _assert_precedence(decision, Reason.KEY_NOT_VALID_FOR_CARD, Reason.REVOKED)


def test_not_yet_valid_and_expired_is_not_yet_valid(
    world: World, context: pipeline.Context
) -> None:
    card = two_dose_card(not_before=NOW + timedelta(days=1), expires_at=NOW - timedelta(days=1))
    decision = judge(world.city.issue(card), context)
    _assert_precedence(decision, Reason.NOT_YET_VALID, Reason.EXPIRED)


def test_expired_before_any_rules_is_expired(world: World, context: pipeline.Context) -> None:
    card = two_dose_card(
        issued_at=datetime(2019, 1, 1, tzinfo=UTC), expires_at=datetime(2019, 6, 1, tzinfo=UTC)
    )
    decision = judge(world.city.issue(card), context, ict(2020, 1, 1))
    _assert_precedence(decision, Reason.EXPIRED, Reason.NO_RULES)


def test_malformed_claims_with_bad_signature_is_bad_signature(
    world: World, context: pipeline.Context
) -> None:
    """Nothing a card claims is read before its signature holds.

    MALFORMED has one precedence (20) in the table but two places in the pipeline: the
    envelope (before the signature) and the claims (after it). Claims are only parsed
    once the signature holds, so here BAD_SIGNATURE wins despite its larger number.
    """
    claims = claims_of(two_dose_card())
    del claims[hcm1.CTI]
    assert judge(world.city.sign(claims), context).reason is Reason.MALFORMED
    decision = judge(tampered(world.city.sign(claims)), context)
    assert decision.reason is Reason.BAD_SIGNATURE
    assert decision.card is None


def test_red_rules_at_a_green_only_venue_is_no_valid_basis(world: World) -> None:
    decision = judge(world.city.issue(one_dose_card(date(2021, 9, 26))), world.context("dine-in"))
    _assert_precedence(decision, Reason.NO_VALID_BASIS, Reason.NOT_ADMITTED)


# --- the city's rules over time --------------------------------------------------------


@pytest.mark.parametrize(
    ("now", "reason", "version"),
    [
        (ict(2021, 9, 10), Reason.NO_VALID_BASIS, "HCM-2021-09-01"),  # 9 days: < 14
        (ict(2021, 9, 19), Reason.ADMITTED_YELLOW, "HCM-2021-09-01"),  # one of two: yellow
        (ict(2021, 9, 21), Reason.ADMITTED_GREEN, "HCM-2021-09-20"),  # from 20 Sept: green
    ],
    ids=["sept-10-too-soon", "sept-19-yellow", "sept-21-green"],
)
def test_rule_change_of_20_september_2021(
    world: World, context: pipeline.Context, now: datetime, reason: Reason, version: str
) -> None:
    card = one_dose_card(date(2021, 9, 1), issued_at=datetime(2021, 9, 2, tzinfo=UTC))
    decision = judge(world.city.issue(card), context, now)
    assert decision.reason is reason, decision.detail
    assert decision.rules_version == version


def test_rule_set_changes_at_midnight_city_time(world: World, context: pipeline.Context) -> None:
    card = one_dose_card(date(2021, 9, 1), issued_at=datetime(2021, 9, 2, tzinfo=UTC))
    text = world.city.issue(card)
    before = judge(text, context, datetime(2021, 9, 19, 23, 59, 59, tzinfo=ICT))
    after = judge(text, context, datetime(2021, 9, 20, 0, 0, 0, tzinfo=ICT))
    assert (before.reason, before.rules_version) == (Reason.ADMITTED_YELLOW, "HCM-2021-09-01")
    assert (after.reason, after.rules_version) == (Reason.ADMITTED_GREEN, "HCM-2021-09-20")


@pytest.mark.parametrize(
    ("days", "reason"), [(14, Reason.ADMITTED_GREEN), (13, Reason.NO_VALID_BASIS)]
)
def test_full_series_needs_14_days(
    world: World, context: pipeline.Context, days: int, reason: Reason
) -> None:
    last = date(2021, 9, 10)
    now = ict(2021, 9, 10) + timedelta(days=days)
    decision = judge(world.city.issue(two_dose_card(last)), context, now)
    assert decision.reason is reason, decision.detail


@pytest.mark.parametrize(
    ("days", "reason"),
    [(1, Reason.ADMITTED_GREEN), (179, Reason.ADMITTED_GREEN), (181, Reason.NO_VALID_BASIS)],
)
def test_recovery_counts_for_180_days(
    world: World, context: pipeline.Context, days: int, reason: Reason
) -> None:
    first_positive = date(2021, 9, 5)
    card = recovery_card(first_positive, expires_at=datetime(2023, 1, 1, tzinfo=UTC))
    now = ict(2021, 9, 5) + timedelta(days=days)
    decision = judge(world.city.issue(card), context, now)
    assert decision.reason is reason, decision.detail


def test_recovery_dated_in_the_future_is_red(world: World, context: pipeline.Context) -> None:
    decision = judge(world.city.issue(recovery_card(date(2021, 10, 5))), context)
    assert decision.reason is Reason.NO_VALID_BASIS


@pytest.mark.parametrize(
    ("hours", "reason"),
    [(1, Reason.ADMITTED_YELLOW), (71, Reason.ADMITTED_YELLOW), (73, Reason.NO_VALID_BASIS)],
)
def test_negative_test_counts_for_72_hours(
    world: World, context: pipeline.Context, hours: int, reason: Reason
) -> None:
    sampled = ict(2021, 9, 28, 8)
    decision = judge(
        world.lab.issue(negative_test_card(sampled)), context, sampled + timedelta(hours=hours)
    )
    assert decision.reason is reason, decision.detail
    if reason is Reason.ADMITTED_YELLOW:
        assert decision.rules_colour is Colour.YELLOW
        assert decision.detail == "rule Y-TEST-72H"


def test_issued_colour_differs_and_the_rules_win(world: World, context: pipeline.Context) -> None:
    card = one_dose_card(date(2021, 9, 1), issued_colour=Colour.YELLOW)
    decision = judge(world.city.issue(card), context)
    assert decision.verdict is Verdict.GREEN
    assert decision.issued_colour is Colour.YELLOW
    assert decision.rules_colour is Colour.GREEN
    assert decision.colour_changed is True


def test_issued_colour_agrees_with_the_rules(world: World, context: pipeline.Context) -> None:
    decision = judge(world.city.issue(two_dose_card()), context)
    assert decision.verdict is Verdict.GREEN
    assert decision.issued_colour is Colour.GREEN
    assert decision.colour_changed is False


def test_issued_green_but_rules_red_is_red(world: World, context: pipeline.Context) -> None:
    card = one_dose_card(date(2021, 9, 28), issued_colour=Colour.GREEN)
    decision = judge(world.city.issue(card), context)
    assert decision.verdict is Verdict.RED
    assert decision.reason is Reason.NO_VALID_BASIS
    assert decision.colour_changed is True


# --- venue policy ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("venue", "kind", "reason"),
    [
        ("dine-in", "yellow", Reason.NOT_ADMITTED),
        ("supermarket", "yellow", Reason.ADMITTED_YELLOW),
        (None, "yellow", Reason.ADMITTED_YELLOW),
        ("dine-in", "green", Reason.ADMITTED_GREEN),
        ("supermarket", "green", Reason.ADMITTED_GREEN),
        ("hair-salon", "yellow", Reason.NOT_ADMITTED),
    ],
)
def test_venue_policy(world: World, venue: str | None, kind: str, reason: Reason) -> None:
    if kind == "yellow":
        text = world.lab.issue(negative_test_card(NOW - timedelta(hours=10)))
    else:
        text = world.city.issue(two_dose_card())
    decision = judge(text, world.context(venue))
    assert decision.reason is reason
    assert decision.venue_category == venue
    assert decision.rules_colour is Colour(kind)


# --- key scope --------------------------------------------------------------------------


def _context_with(world: World, issuer: Issuer) -> pipeline.Context:
    return world.context(extra=[issuer.trusted])


def test_test_only_key_signing_a_vaccination_card(world: World) -> None:
    lab = make_issuer(kinds={CardKind.TEST})
    decision = judge(lab.issue(two_dose_card()), _context_with(world, lab))
    assert decision.reason is Reason.KEY_NOT_VALID_FOR_CARD
    assert "v" in decision.detail


def test_test_only_key_signing_a_test_card_is_fine(world: World) -> None:
    lab = make_issuer(kinds={CardKind.TEST})
    decision = judge(
        lab.issue(negative_test_card(NOW - timedelta(hours=3))), _context_with(world, lab)
    )
    assert decision.reason is Reason.ADMITTED_YELLOW


def test_card_issued_before_the_key_was_valid(world: World) -> None:
    key_from = datetime(2021, 9, 15, tzinfo=UTC)
    issuer = make_issuer(valid_from=key_from)
    early = issuer.issue(two_dose_card(issued_at=key_from - timedelta(seconds=1)))
    on_time = issuer.issue(two_dose_card(issued_at=key_from))
    context = _context_with(world, issuer)
    assert judge(early, context).reason is Reason.KEY_NOT_VALID_FOR_CARD
    assert judge(on_time, context).reason is Reason.ADMITTED_GREEN


def test_card_issued_after_the_key_was_retired(world: World) -> None:
    key_until = datetime(2021, 9, 15, tzinfo=UTC)
    issuer = make_issuer(valid_until=key_until)
    late = issuer.issue(two_dose_card(issued_at=key_until + timedelta(seconds=1)))
    assert judge(late, _context_with(world, issuer)).reason is Reason.KEY_NOT_VALID_FOR_CARD


def test_card_naming_another_issuer(world: World, context: pipeline.Context) -> None:
    decision = judge(world.city.issue(two_dose_card(issuer="VN-HN")), context)
    assert decision.reason is Reason.KEY_NOT_VALID_FOR_CARD


def test_not_before_in_the_future(world: World, context: pipeline.Context) -> None:
    text = world.city.issue(two_dose_card(not_before=NOW + timedelta(seconds=1)))
    assert judge(text, context).reason is Reason.NOT_YET_VALID
    assert judge(text, context, NOW + timedelta(seconds=1)).reason is Reason.ADMITTED_GREEN


def test_expiry_is_exclusive(world: World, context: pipeline.Context) -> None:
    text = world.city.issue(two_dose_card(expires_at=NOW + timedelta(seconds=1)))
    assert judge(text, context).reason is Reason.ADMITTED_GREEN
    assert judge(text, context, NOW + timedelta(seconds=1)).reason is Reason.EXPIRED


def test_no_rule_set_in_force_before_september_2021(
    world: World, context: pipeline.Context
) -> None:
    decision = judge(_no_rules(world).payload, context, ict(2020, 1, 1))
    assert decision.reason is Reason.NO_RULES
    assert decision.rules_version is None
    assert decision.card is not None


# --- algorithms and keys ---------------------------------------------------------------


@pytest.mark.parametrize("algorithm", [Algorithm.EDDSA, Algorithm.ES256])
def test_both_algorithms_verify(world: World, algorithm: Algorithm) -> None:
    issuer = make_issuer(algorithm)
    decision = judge(issuer.issue(two_dose_card()), _context_with(world, issuer))
    assert decision.reason is Reason.ADMITTED_GREEN
    assert decision.card is not None
    assert decision.card.key_id == issuer.key.public.kid


@pytest.mark.parametrize(
    ("header_alg", "key_alg"),
    [(Algorithm.EDDSA, Algorithm.ES256), (Algorithm.ES256, Algorithm.EDDSA)],
)
def test_algorithm_mismatch_is_red(world: World, header_alg: Algorithm, key_alg: Algorithm) -> None:
    """The header claims one algorithm; the kid maps to a key of the other one."""
    trusted = make_issuer(key_alg)
    signer = SigningKey.generate(header_alg)  # signs validly under the claimed algorithm
    protected = hcm1.protected_header(header_alg, trusted.key.public.kid)
    text = sign_claims(claims_of(two_dose_card()), signer, protected=protected)
    decision = judge(text, _context_with(world, trusted))
    assert decision.verdict is Verdict.RED
    assert decision.reason is Reason.BAD_SIGNATURE


def test_signature_by_another_key_under_a_trusted_kid(
    world: World, context: pipeline.Context
) -> None:
    protected = hcm1.protected_header(Algorithm.EDDSA, world.city.key.public.kid)
    text = sign_claims(claims_of(two_dose_card()), world.stranger, protected=protected)
    assert judge(text, context).reason is Reason.BAD_SIGNATURE


def test_two_keys_sharing_a_kid(world: World) -> None:
    """DCC kids are 8 bytes, so kids may collide: each key under the kid is tried."""
    first = make_issuer()
    second = make_issuer()
    shared = replace(second.trusted, key=replace(second.trusted.key, kid=first.key.public.kid))
    context = world.context(extra=[first.trusted, shared])
    protected = hcm1.protected_header(Algorithm.EDDSA, first.key.public.kid)
    text = sign_claims(claims_of(two_dose_card()), second.key, protected=protected)
    assert judge(text, context).reason is Reason.ADMITTED_GREEN


# --- payload shapes ---------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["\r\n", "\n", "  ", "\t\r\n"])
def test_scanner_line_ends_are_ignored(
    world: World, context: pipeline.Context, suffix: str
) -> None:
    text = world.city.issue(two_dose_card())
    assert judge(text + suffix, context).reason is Reason.ADMITTED_GREEN
    assert judge(" " + text + suffix, context).reason is Reason.ADMITTED_GREEN


def test_bytes_payload(world: World, context: pipeline.Context) -> None:
    text = world.city.issue(two_dose_card())
    assert judge(text.encode("ascii"), context).reason is Reason.ADMITTED_GREEN
    assert judge(text.encode("ascii") + b"\r\n", context).reason is Reason.ADMITTED_GREEN


@pytest.mark.parametrize("payload", [b"\xff\xfe", b"HCM1:\xc3\x28", b"\x80" * 50])
def test_non_utf8_bytes_are_unsupported_format(context: pipeline.Context, payload: bytes) -> None:
    decision = judge(payload, context)
    assert decision.reason is Reason.UNSUPPORTED_FORMAT
    assert decision.format is None


def test_lower_case_prefix_is_not_a_card(world: World, context: pipeline.Context) -> None:
    text = world.city.issue(two_dose_card())
    assert judge("hcm1:" + text[5:], context).reason is Reason.UNSUPPORTED_FORMAT


def test_decision_records_format_and_moment(world: World, context: pipeline.Context) -> None:
    decision = judge(world.city.issue(two_dose_card()), context)
    assert decision.format == hcm1.NAME
    assert decision.at == NOW
    assert decision.rules_version == "HCM-2021-09-20"
    assert decision.detail == "rule G-VAC-FULL"


def test_naive_now_is_refused(world: World, context: pipeline.Context) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        pipeline.process(world.city.issue(two_dose_card()), datetime(2021, 10, 1), context)


def test_revocation_is_by_card_id(world: World, context: pipeline.Context) -> None:
    revoked = world.city.issue(two_dose_card(card_id=world.revoked_id))
    other = world.city.issue(two_dose_card())
    assert judge(revoked, context).reason is Reason.REVOKED
    assert judge(other, context).reason is Reason.ADMITTED_GREEN


def test_cwt_tag_and_untagged_sign1_are_accepted(world: World, context: pipeline.Context) -> None:
    """cose.py documents both forms as accepted on input."""
    message = cose.decode_sign1(cose_of(world.city.issue(two_dose_card())))
    items = [message.protected, {}, message.payload, message.signature]
    cwt = cbor.dumps(cbor.CborTag(cose.TAG_CWT, cbor.CborTag(cose.TAG_SIGN1, items)))
    untagged = cbor.dumps(items)
    assert judge(hcm1.wrap(cwt), context).reason is Reason.ADMITTED_GREEN
    assert judge(hcm1.wrap(untagged), context).reason is Reason.ADMITTED_GREEN
