"""The prefix registry: which card format a scanned text belongs to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kiosk.domain import Card, Reason, SignedCard
from kiosk.errors import CardRejected
from kiosk.formats import dcc, hcm1, shc


@dataclass(frozen=True, slots=True)
class CardFormat:
    name: str
    prefix: str
    #: Unwrap the QR text into a signed, not yet trusted, card.
    open: Callable[[str], SignedCard]
    #: Decode the claims of a card whose signature holds.
    read_claims: Callable[[SignedCard], Card]


FORMATS: tuple[CardFormat, ...] = (
    CardFormat(hcm1.NAME, hcm1.PREFIX, hcm1.open_card, hcm1.read_claims),
    CardFormat(dcc.NAME, dcc.PREFIX, dcc.open_card, dcc.read_claims),
    CardFormat(shc.NAME, shc.PREFIX, shc.open_card, shc.read_claims),
)


def find(text: str) -> CardFormat:
    for card_format in FORMATS:
        if text.startswith(card_format.prefix):
            return card_format
    raise CardRejected(Reason.UNSUPPORTED_FORMAT, f"starts with {text[:6]!r}")
