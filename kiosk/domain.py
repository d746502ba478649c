"""Domain values shared by every layer: cards, holders, verdicts, decisions.

All values are frozen dataclasses; nothing here does I/O or reads the clock.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Final

#: Ho Chi Minh City's time zone (UTC+7, no daylight saving). Dates on cards are local.
CITY_TZ: Final = timezone(timedelta(hours=7), "ICT")


class Verdict(enum.StrEnum):
    """What the guard sees: the colour of the decision panel."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


#: A card's health colour uses the same three values as a verdict.
Colour = Verdict


class Algorithm(enum.StrEnum):
    """Signature algorithms, by their JOSE/COSE names."""

    EDDSA = "EdDSA"
    ES256 = "ES256"
    PS256 = "PS256"


class CardKind(enum.StrEnum):
    """What a card attests; issuer keys are limited to some kinds."""

    VACCINATION = "v"
    RECOVERY = "r"
    TEST = "t"


class Reason(enum.StrEnum):
    """Why a decision came out as it did. ``kiosk.reasons`` maps each to one verdict."""

    ADMITTED_GREEN = "admitted_green"
    ADMITTED_YELLOW = "admitted_yellow"
    UNSUPPORTED_FORMAT = "unsupported_format"
    MALFORMED = "malformed"
    UNSUPPORTED_ALGORITHM = "unsupported_algorithm"
    UNKNOWN_KEY = "unknown_key"
    BAD_SIGNATURE = "bad_signature"
    KEY_NOT_VALID_FOR_CARD = "key_not_valid_for_card"
    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    NO_RULES = "no_rules"
    NO_VALID_BASIS = "no_valid_basis"
    NOT_ADMITTED = "not_admitted"


@dataclass(frozen=True, slots=True)
class Holder:
    """The person a card belongs to, as far as the guard needs to match them."""

    name: str
    #: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` (partial dates are allowed, as in the DCC).
    birth_date: str
    #: Last four digits of the national ID, when the card carries them.
    id_last4: str | None = None

    @property
    def birth_year(self) -> int | None:
        head = self.birth_date[:4]
        return int(head) if len(head) == 4 and head.isdigit() else None

    @property
    def masked_name(self) -> str:
        """Family name in full, other names as initials: "Nguyễn V. A."."""
        parts = unicodedata.normalize("NFC", self.name).split()
        if len(parts) <= 1:
            return " ".join(parts)
        return " ".join([parts[0], *(f"{p[0]}." for p in parts[1:])])

    @property
    def masked_id(self) -> str | None:
        return f"•••• {self.id_last4}" if self.id_last4 else None


@dataclass(frozen=True, slots=True)
class Vaccination:
    product: str
    dose: int
    series: int
    on: date


@dataclass(frozen=True, slots=True)
class Recovery:
    first_positive: date
    #: The recovery certificate's own validity (EU DCC ``df``/``du``), when it states one.
    valid_from: date | None = None
    valid_until: date | None = None


@dataclass(frozen=True, slots=True)
class NegativeTest:
    #: LOINC code: ``LP6464-4`` (NAAT/PCR) or ``LP217198-3`` (rapid antigen).
    test_type: str
    sampled_at: datetime


@dataclass(frozen=True, slots=True)
class Card:
    """A card whose signature has been verified: facts the rules can judge."""

    format: str
    #: Stable unique id: the key for revocation, re-entry detection and tracing.
    card_id: str
    issuer: str
    key_id: bytes
    issued_at: datetime | None
    not_before: datetime | None
    expires_at: datetime | None
    holder: Holder
    issued_colour: Colour | None = None
    vaccinations: tuple[Vaccination, ...] = ()
    recoveries: tuple[Recovery, ...] = ()
    tests: tuple[NegativeTest, ...] = ()
    #: Kinds of statement the card makes that gave no usable fact (an EU DCC with a
    #: positive test, an entry for another disease): they still bind the key's limits.
    attested: frozenset[CardKind] = frozenset()
    #: Further ids the card goes by (an EU DCC's later entries, each with its own UVCI):
    #: revoking any of them, or ``card_id``, revokes the card.
    other_ids: tuple[str, ...] = ()

    @property
    def kinds(self) -> frozenset[CardKind]:
        kinds = set(self.attested)
        if self.vaccinations:
            kinds.add(CardKind.VACCINATION)
        if self.recoveries:
            kinds.add(CardKind.RECOVERY)
        if self.tests:
            kinds.add(CardKind.TEST)
        return frozenset(kinds)


@dataclass(frozen=True, slots=True)
class SignedCard:
    """What a format decoder yields before anything is trusted.

    ``claims`` stays undecoded until the signature over ``signed_bytes`` holds.
    """

    format: str
    key_id: bytes
    algorithm: Algorithm
    signed_bytes: bytes
    signature: bytes
    claims: bytes
