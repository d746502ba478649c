"""The trust store: issuer keys by kid, each with a validity window and card kinds."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain import Card, CardKind, Reason, SignedCard
from kiosk.errors import CardRejected
from kiosk.verify.keys import PublicKey

ALL_KINDS = frozenset(CardKind)


@dataclass(frozen=True, slots=True)
class IssuerKey:
    key: PublicKey
    #: The ``iss`` a card signed by this key must carry; ``None`` accepts any.
    issuer: str | None = None
    #: Cards issued (``iat``) outside this window are not valid under this key.
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    kinds: frozenset[CardKind] = ALL_KINDS
    #: Card formats this key may sign (``HCM1``, ``HC1``, ``SHC``); empty allows any.
    formats: frozenset[str] = frozenset()
    label: str = ""
    #: The DER X.509 certificate the key came from (an EU DCC signing certificate), if any.
    certificate: bytes | None = None

    @property
    def kid(self) -> bytes:
        return self.key.kid

    def refusal(self, card: Card) -> str | None:
        """Why this key may not vouch for ``card``, or ``None`` when it may."""
        return self.scope_refusal(card) or self.kinds_refusal(card) or self.window_refusal(card)

    def scope_refusal(self, card: Card) -> str | None:
        """The card's format or issuer is not this key's."""
        if self.formats and card.format not in self.formats:
            return f"key is for {sorted(self.formats)}, card is {card.format}"
        if self.issuer is not None and card.issuer != self.issuer:
            return f"key is for issuer {self.issuer!r}, card names {card.issuer!r}"
        return None

    def kinds_refusal(self, card: Card) -> str | None:
        """The card attests a kind (vaccination, recovery, test) this key may not sign."""
        extra = card.kinds - self.kinds
        if extra:
            return f"key may not sign {'/'.join(sorted(extra))} cards"
        return None

    def window_refusal(self, card: Card) -> str | None:
        """The card was issued outside the key's window (for an EU DCC signing
        certificate: its validity period; the certificate must have been valid when
        the card was signed, see ``docs/visitor-passes.md``)."""
        signed_at = card.issued_at
        if signed_at is not None:
            if self.valid_from is not None and signed_at < self.valid_from:
                return "card issued before the key's validity"
            if self.valid_until is not None and signed_at > self.valid_until:
                return "card issued after the key's validity"
        return None


class TrustStore:
    """Issuer keys by kid. Several keys may share a kid (DCC kids are 8 bytes)."""

    __slots__ = ("_by_kid",)

    def __init__(self, keys: Iterable[IssuerKey] = ()) -> None:
        self._by_kid: dict[bytes, tuple[IssuerKey, ...]] = {}
        for key in keys:
            self._by_kid[key.kid] = (*self._by_kid.get(key.kid, ()), key)

    def __len__(self) -> int:
        return sum(len(keys) for keys in self._by_kid.values())

    def __iter__(self) -> Iterator[IssuerKey]:
        return (key for keys in self._by_kid.values() for key in keys)

    def merged(self, other: TrustStore) -> TrustStore:
        return TrustStore([*self, *other])

    def verify(self, signed: SignedCard) -> IssuerKey:
        """The key whose signature holds over ``signed``; raises :class:`CardRejected`."""
        candidates = self._by_kid.get(signed.key_id)
        if not candidates:
            raise CardRejected(Reason.UNKNOWN_KEY, f"kid {signed.key_id.hex()[:16]}")
        for key in candidates:
            if key.key.algorithm != signed.algorithm:
                continue
            if key.key.verify(signed.signature, signed.signed_bytes):
                return key
        if all(key.key.algorithm != signed.algorithm for key in candidates):
            raise CardRejected(
                Reason.BAD_SIGNATURE, f"card says {signed.algorithm}, key is not {signed.algorithm}"
            )
        raise CardRejected(Reason.BAD_SIGNATURE, f"kid {signed.key_id.hex()[:16]}")

    @staticmethod
    def check_card(key: IssuerKey, card: Card) -> None:
        refusal = key.refusal(card)
        if refusal is not None:
            raise CardRejected(Reason.KEY_NOT_VALID_FOR_CARD, refusal)
