"""Builders shared by the tests: cards, issuers, signed COSE messages, bundles, contexts.

Every builder takes its keys from the caller, so each test signs with keys of its own
(see the ``world`` fixture in ``tests/conftest.py``). Times are fixed, never "now".
"""

from __future__ import annotations

import uuid
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cache

from kiosk import pipeline
from kiosk.demo import builtin_document
from kiosk.domain import (
    Algorithm,
    Card,
    CardKind,
    Colour,
    Holder,
    NegativeTest,
    Recovery,
    Vaccination,
)
from kiosk.formats import base45, cbor, cose, envelope, hcm1
from kiosk.issuing import issue
from kiosk.verify.bundle import make_bundle, open_bundle
from kiosk.verify.keys import SigningKey
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import IssuerKey

#: Ho Chi Minh City time (UTC+7, no daylight saving).
ICT = timezone(timedelta(hours=7), "ICT")
ISSUER = "VN-HCM"
PRODUCT = "EU/1/21/1529"
HOLDER = Holder("Nguyễn Văn An", "1987-05-12", "4821")
#: The default moment of judgement: a Friday morning in October 2021, rules HCM-2021-09-20.
NOW = datetime(2021, 10, 1, 10, 0, tzinfo=ICT)


def ict(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Ho Chi Minh City time."""
    return datetime(year, month, day, hour, minute, tzinfo=ICT)


@cache
def _document(name: str) -> object:
    return builtin_document(name)


def rules_document() -> object:
    """The shipped ``kiosk/data/rules.json`` (a fresh copy is not needed: nothing mutates it)."""
    return _document("rules.json")


def venues_document() -> object:
    return _document("venues.json")


def make_card(
    *,
    card_id: str | None = None,
    issuer: str = ISSUER,
    issued_at: datetime = datetime(2021, 9, 1, 1, 0, tzinfo=UTC),
    not_before: datetime | None = None,
    expires_at: datetime = datetime(2022, 9, 1, 1, 0, tzinfo=UTC),
    holder: Holder = HOLDER,
    issued_colour: Colour | None = None,
    vaccinations: Sequence[Vaccination] = (),
    recoveries: Sequence[Recovery] = (),
    tests: Sequence[NegativeTest] = (),
) -> Card:
    return Card(
        format=hcm1.NAME,
        card_id=card_id or str(uuid.uuid4()),
        issuer=issuer,
        key_id=b"",
        issued_at=issued_at,
        not_before=not_before,
        expires_at=expires_at,
        holder=holder,
        issued_colour=issued_colour,
        vaccinations=tuple(vaccinations),
        recoveries=tuple(recoveries),
        tests=tuple(tests),
    )


def two_dose_card(last_dose: date = date(2021, 8, 15), **kwargs: object) -> Card:
    """Full series of a two-dose vaccine; green from 14 days after ``last_dose``."""
    doses = (
        Vaccination(PRODUCT, 1, 2, last_dose - timedelta(days=42)),
        Vaccination(PRODUCT, 2, 2, last_dose),
    )
    return make_card(vaccinations=doses, issued_colour=Colour.GREEN, **kwargs)  # type: ignore[arg-type]


def one_dose_card(dose_on: date = date(2021, 9, 1), **kwargs: object) -> Card:
    """First dose of a two-dose vaccine."""
    kwargs.setdefault("issued_colour", Colour.YELLOW)
    return make_card(vaccinations=(Vaccination("BBIBP-CorV", 1, 2, dose_on),), **kwargs)  # type: ignore[arg-type]


def negative_test_card(sampled_at: datetime, **kwargs: object) -> Card:
    """A negative rapid antigen test."""
    kwargs.setdefault("issued_colour", Colour.YELLOW)
    kwargs.setdefault("issued_at", sampled_at + timedelta(hours=1))
    return make_card(tests=(NegativeTest("LP217198-3", sampled_at),), **kwargs)  # type: ignore[arg-type]


def recovery_card(first_positive: date, **kwargs: object) -> Card:
    return make_card(recoveries=(Recovery(first_positive),), **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Issuer:
    """A signing key and the way a trust bundle vouches for it."""

    key: SigningKey
    trusted: IssuerKey

    def issue(self, card: Card) -> str:
        return issue(card, self.key)

    def sign(self, claims: object, **kwargs: object) -> str:
        """HCM1 text of any CBOR-encodable ``claims``, with a real signature by this key."""
        return sign_claims(claims, self.key, **kwargs)  # type: ignore[arg-type]


def make_issuer(
    algorithm: Algorithm = Algorithm.EDDSA,
    *,
    kinds: Iterable[CardKind] = CardKind,
    issuer: str | None = ISSUER,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    label: str = "",
) -> Issuer:
    key = SigningKey.generate(algorithm)
    trusted = IssuerKey(
        key.public,
        issuer,
        valid_from=valid_from,
        valid_until=valid_until,
        kinds=frozenset(kinds),
        formats=frozenset({hcm1.NAME}),
        label=label,
    )
    return Issuer(key, trusted)


def claims_of(card: Card) -> dict[object, object]:
    """The CWT claims map of ``card``, to be altered and re-signed."""
    claims = cbor.loads(hcm1.encode_claims(card))
    assert isinstance(claims, dict)
    return claims


def sign_cose(
    payload: bytes,
    key: SigningKey,
    *,
    protected: dict[object, object] | None = None,
    unprotected: dict[object, object] | None = None,
) -> bytes:
    """A ``18(COSE_Sign1)`` over ``payload`` with a real signature by ``key``.

    ``protected`` defaults to the HCM1 header (alg of the key, kid of the key).
    """
    header = (
        hcm1.protected_header(key.algorithm, key.public.kid) if protected is None else protected
    )
    return cose.encode_sign1(payload, header, key.sign, unprotected_header=unprotected)


def sign_claims(
    claims: object,
    key: SigningKey,
    *,
    protected: dict[object, object] | None = None,
    unprotected: dict[object, object] | None = None,
) -> str:
    return hcm1.wrap(
        sign_cose(cbor.dumps(claims), key, protected=protected, unprotected=unprotected)
    )


def cose_of(text: str) -> bytes:
    """The COSE_Sign1 bytes inside an HCM1 text."""
    return envelope.inflate(base45.b45decode(text[len(hcm1.PREFIX) :]))


def wrap_any(data: bytes) -> str:
    """``HCM1:`` + Base45(zlib(data)) for any bytes, without the kiosk's own limits."""
    return hcm1.PREFIX + base45.b45encode(zlib.compress(data, 9))


def raw_sign1(protected: bytes, unprotected: object, payload: bytes, signature: bytes) -> bytes:
    return cbor.dumps(cbor.CborTag(cose.TAG_SIGN1, [protected, unprotected, payload, signature]))


def bundle_bytes(
    root: SigningKey,
    issuers: Sequence[IssuerKey],
    *,
    version: int = 1,
    issued_at: datetime = datetime(2021, 9, 25, tzinfo=UTC),
    revoked: Iterable[str] = (),
    rules: object = None,
    venues: object = None,
) -> bytes:
    return make_bundle(
        root,
        version=version,
        issued_at=issued_at,
        issuers=issuers,
        rules=rules_document() if rules is None else rules,
        venues=venues_document() if venues is None else venues,
        revocations=RevocationList.from_ids(revoked),
    )


@dataclass(frozen=True)
class World:
    """The parties of one test: a city root, issuers, a stranger and a revoked card id."""

    root: SigningKey
    #: The city's Ed25519 issuer, may sign every kind of card.
    city: Issuer
    #: A laboratory's ES256 key, may sign negative tests only.
    lab: Issuer
    #: A key no bundle trusts.
    stranger: SigningKey
    revoked_id: str

    def bundle(self, *, version: int = 1, extra: Sequence[IssuerKey] = ()) -> bytes:
        return bundle_bytes(
            self.root,
            [self.city.trusted, self.lab.trusted, *extra],
            version=version,
            revoked=[self.revoked_id],
        )

    def context(
        self, venue: str | None = None, *, extra: Sequence[IssuerKey] = ()
    ) -> pipeline.Context:
        """A context as a kiosk builds it: from a signed bundle opened with the pinned root."""
        bundle = open_bundle(self.bundle(extra=extra), self.root.public)
        category = None if venue is None else bundle.venues[venue]
        return pipeline.Context.from_bundle(bundle, category)


def make_world() -> World:
    return World(
        root=SigningKey.generate(),
        city=make_issuer(Algorithm.EDDSA, label="city"),
        lab=make_issuer(Algorithm.ES256, kinds={CardKind.TEST}, label="lab"),
        stranger=SigningKey.generate(),
        revoked_id=str(uuid.uuid4()),
    )
