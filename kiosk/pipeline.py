"""The one orchestrator: scanned text -> Decision.

decode (prefix registry) -> verify (trust store) -> claims -> key scope -> revocation
-> time -> rules -> venue policy. The order is the reason precedence documented in
:mod:`kiosk.reasons`. Whatever the input, the result is a Decision, never an exception.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kiosk import policy
from kiosk.decision import Decision
from kiosk.domain import Card, Reason
from kiosk.errors import CardRejected
from kiosk.formats import registry
from kiosk.policy import VenueCategory
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.bundle import TrustBundle
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import TrustStore

logger = logging.getLogger(__name__)

#: How far a card's issuance may lie ahead of the kiosk's clock (clocks drift).
CLOCK_SKEW = timedelta(minutes=5)

#: Decisions made after a bug, not after a check, carry this detail (tests look for it).
INTERNAL_ERROR = "internal error"


@dataclass(frozen=True, slots=True)
class Context:
    """What the kiosk judges with: trust data from a bundle, and where it stands."""

    trust: TrustStore
    rules: RuleBook
    revocations: RevocationList = field(default_factory=RevocationList)
    venue: VenueCategory | None = None
    venues: Mapping[str, VenueCategory] = field(default_factory=dict)

    @classmethod
    def from_bundle(cls, bundle: TrustBundle, venue: VenueCategory | None = None) -> Context:
        return cls(bundle.trust, bundle.rules, bundle.revocations, venue, bundle.venues)


def _text(payload: str | bytes) -> str:
    if isinstance(payload, bytes):
        try:
            payload = payload.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CardRejected(Reason.UNSUPPORTED_FORMAT, "not UTF-8 text") from exc
    # Keyboard-wedge scanners and copy-paste add line ends and spaces; QR text has none.
    return payload.strip()


def check_time(card: Card, now: datetime) -> None:
    """The card's own validity at ``now``: issued (within clock skew), begun, not expired."""
    if card.issued_at is not None and card.issued_at > now + CLOCK_SKEW:
        raise CardRejected(Reason.NOT_YET_VALID, "issued in the future: check the clock")
    if card.not_before is not None and now < card.not_before:
        raise CardRejected(Reason.NOT_YET_VALID, f"valid from {card.not_before.isoformat()}")
    if card.expires_at is not None and now >= card.expires_at:
        raise CardRejected(Reason.EXPIRED, f"expired {card.expires_at.isoformat()}")


def process(payload: str | bytes, now: datetime, context: Context) -> Decision:
    """Judge one scanned payload at ``now`` (timezone-aware) under ``context``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    venue_code = context.venue.code if context.venue else None
    card_format: str | None = None
    card = None
    try:
        text = _text(payload)
        fmt = registry.find(text)
        card_format = fmt.name
        signed = fmt.open(text)
        key = context.trust.verify(signed)
        card = fmt.read_claims(signed)
        TrustStore.check_card(key, card)
        if context.revocations.revokes_card(card):
            raise CardRejected(Reason.REVOKED)
        check_time(card, now)
        colour, rule_set, rule = context.rules.judge(card, now)
    except CardRejected as rejected:
        logger.info("rejected %s: %s", card_format or "?", rejected)
        return Decision(
            reason=rejected.reason,
            at=now,
            format=card_format,
            card=card,
            venue_category=venue_code,
            detail=rejected.detail,
        )
    except Exception as exc:  # a bug must still end as a red decision, never a traceback
        logger.exception("internal error while judging a %s card", card_format or "?")
        return Decision(
            reason=Reason.MALFORMED,
            at=now,
            format=card_format,
            venue_category=venue_code,
            detail=f"{INTERNAL_ERROR}: {type(exc).__name__}",
        )
    return Decision(
        reason=policy.admit(colour, context.venue),
        at=now,
        format=card_format,
        card=card,
        rules_colour=colour,
        rules_version=rule_set.version,
        venue_category=venue_code,
        detail=f"rule {rule.id}" if rule else "no rule holds",
    )
