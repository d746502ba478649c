"""One real check-in result per reason, for the guard screen's tests.

Cards are signed with the test's own keys (``World``) and judged by the real pipeline
at ``NOW``, as the kiosk judges them; nothing is a hand-made ``Decision``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from helpers import (
    NOW,
    World,
    claims_of,
    cose_of,
    ict,
    negative_test_card,
    one_dose_card,
    raw_sign1,
    sign_claims,
    two_dose_card,
)

from kiosk import pipeline
from kiosk.domain import Colour, Reason
from kiosk.formats import cose, hcm1
from kiosk.station import CheckInResult


def _tampered(text: str) -> str:
    message = cose.decode_sign1(cose_of(text))
    payload = bytearray(message.payload)
    payload[-1] ^= 0x01
    return hcm1.wrap(raw_sign1(message.protected, {}, bytes(payload), message.signature))


def _scenarios() -> dict[Reason, Callable[[World], tuple[str, datetime, str | None]]]:
    def green(w: World) -> tuple[str, datetime, str | None]:
        return w.city.issue(two_dose_card()), NOW, None

    def yellow(w: World) -> tuple[str, datetime, str | None]:
        return w.lab.issue(negative_test_card(NOW - timedelta(hours=10))), NOW, "supermarket"

    def unsupported_algorithm(w: World) -> tuple[str, datetime, str | None]:
        protected: dict[object, object] = {
            cose.HEADER_ALG: -37,
            cose.HEADER_KID: w.city.key.public.kid,
        }
        return sign_claims(claims_of(two_dose_card()), w.city.key, protected=protected), NOW, None

    def expired(w: World) -> tuple[str, datetime, str | None]:
        card = two_dose_card(
            issued_at=datetime(2021, 9, 1, tzinfo=UTC), expires_at=NOW - timedelta(seconds=1)
        )
        return w.city.issue(card), NOW, None

    def no_rules(w: World) -> tuple[str, datetime, str | None]:
        card = two_dose_card(
            date(2019, 11, 1),
            issued_at=datetime(2019, 12, 1, tzinfo=UTC),
            expires_at=datetime(2020, 12, 1, tzinfo=UTC),
        )
        return w.city.issue(card), ict(2020, 1, 1), None

    return {
        Reason.ADMITTED_GREEN: green,
        Reason.ADMITTED_YELLOW: yellow,
        Reason.UNSUPPORTED_FORMAT: lambda w: ("https://example.com/menu", NOW, None),
        Reason.MALFORMED: lambda w: ("HCM1:!!not base45!!", NOW, None),
        Reason.UNSUPPORTED_ALGORITHM: unsupported_algorithm,
        Reason.UNKNOWN_KEY: lambda w: (
            sign_claims(claims_of(two_dose_card()), w.stranger),
            NOW,
            None,
        ),
        Reason.BAD_SIGNATURE: lambda w: (_tampered(w.city.issue(two_dose_card())), NOW, None),
        Reason.KEY_NOT_VALID_FOR_CARD: lambda w: (w.lab.issue(two_dose_card()), NOW, None),
        Reason.REVOKED: lambda w: (
            w.city.issue(two_dose_card(card_id=w.revoked_id)),
            NOW,
            None,
        ),
        Reason.NOT_YET_VALID: lambda w: (
            w.city.issue(two_dose_card(not_before=NOW + timedelta(days=2))),
            NOW,
            None,
        ),
        Reason.EXPIRED: expired,
        Reason.NO_RULES: no_rules,
        Reason.NO_VALID_BASIS: lambda w: (
            w.city.issue(one_dose_card(date(2021, 9, 26))),
            NOW,
            None,
        ),
        Reason.NOT_ADMITTED: lambda w: (
            w.lab.issue(negative_test_card(NOW - timedelta(hours=10))),
            NOW,
            "dine-in",
        ),
    }


SCENARIOS = _scenarios()


def result_for(
    world: World,
    reason: Reason,
    *,
    error: str | None = None,
    returning_since: datetime | None = None,
) -> CheckInResult:
    """A real result with ``reason`` (asserted), as the station hands it to the screen."""
    payload, now, venue = SCENARIOS[reason](world)
    decision = pipeline.process(payload, now, world.context(venue))
    assert decision.reason is reason, decision.detail
    return CheckInResult(decision, None, error, returning_since)


def colour_changed(world: World) -> CheckInResult:
    """Issued yellow (one dose), green under today's rules."""
    card = one_dose_card(date(2021, 9, 1), issued_colour=Colour.YELLOW)
    decision = pipeline.process(world.city.issue(card), NOW, world.context())
    assert decision.colour_changed, decision
    return CheckInResult(decision, None)
