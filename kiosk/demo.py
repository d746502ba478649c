"""The built-in demo: keys, a signed bundle and cards, made on this machine on first use.

No private key ships with the kiosk: the demo's root and issuer keys are generated
into ``Paths.demo`` (mode 0600) the first time they are needed, so every machine has
its own. The cards are issued relative to "now" so the demo always shows the same
outcomes: see :func:`demo_cards`.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from kiosk.domain import Card, CardKind, Colour, Holder, NegativeTest, Reason, Vaccination
from kiosk.formats import base45, cbor, cose, envelope, hcm1
from kiosk.issuing import issue
from kiosk.paths import Paths
from kiosk.verify.bundle import make_bundle
from kiosk.verify.keys import EDDSA, ES256, SigningKey, load_signing_key, write_key_pair
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import IssuerKey

DEMO_ISSUER = "VN-HCM"
#: The card id of the demo's revoked card (public knowledge, like any revocation).
REVOKED_CARD_ID = "00000000-0000-4000-8000-00000000dead"


def builtin_document(name: str) -> object:
    """A JSON document shipped in ``kiosk/data`` (the demo rules and venue categories)."""
    return json.loads(resources.files("kiosk").joinpath("data", name).read_text("utf-8"))


def _key(directory: Path, name: str, algorithm: str) -> SigningKey:
    path = directory / f"{name}.key"
    if path.exists():
        return load_signing_key(path)
    key = SigningKey.generate(EDDSA if algorithm == EDDSA else ES256)
    write_key_pair(key, directory / name)
    return key


@dataclass(frozen=True, slots=True)
class DemoKit:
    root: SigningKey
    #: The city's vaccination and recovery issuer (Ed25519, may sign every kind).
    city: SigningKey
    #: A testing laboratory's key (ES256, may sign negative tests only).
    lab: SigningKey
    #: A key that no bundle trusts.
    stranger: SigningKey

    def issuer_keys(self) -> list[IssuerKey]:
        return [
            IssuerKey(
                self.city.public,
                DEMO_ISSUER,
                kinds=frozenset(CardKind),
                formats=frozenset({hcm1.NAME}),
                label="Demo: HCMC Department of Health",
            ),
            IssuerKey(
                self.lab.public,
                DEMO_ISSUER,
                kinds=frozenset({CardKind.TEST}),
                formats=frozenset({hcm1.NAME}),
                label="Demo: testing laboratory",
            ),
        ]

    def bundle(self, now: datetime, version: int = 1) -> bytes:
        return make_bundle(
            self.root,
            version=version,
            issued_at=now,
            issuers=self.issuer_keys(),
            rules=builtin_document("rules.json"),
            venues=builtin_document("venues.json"),
            revocations=RevocationList.from_ids([REVOKED_CARD_ID]),
        )


def demo_kit(paths: Paths) -> DemoKit:
    directory = paths.demo
    directory.mkdir(parents=True, exist_ok=True)
    return DemoKit(
        root=_key(directory, "root", EDDSA),
        city=_key(directory, "issuer-city", EDDSA),
        lab=_key(directory, "issuer-lab", ES256),
        stranger=_key(directory, "stranger", EDDSA),
    )


@dataclass(frozen=True, slots=True)
class DemoCard:
    label: str
    text: str
    venue: str | None
    #: What the kiosk decides for it at ``venue`` (at the demo kiosk's supermarket for
    #: :func:`entrance_cards`).
    expected: Reason | None = None


def _tampered(text: str) -> str:
    """The same card with one changed byte in its signed claims (a forged dose count)."""
    message = cose.decode_sign1(envelope.inflate(base45.b45decode(text[len(hcm1.PREFIX) :])))
    payload = bytearray(message.payload)
    payload[-1] ^= 0x01
    forged = cbor_sign1(message.protected, bytes(payload), message.signature)
    return hcm1.wrap(forged)


def cbor_sign1(protected: bytes, payload: bytes, signature: bytes) -> bytes:
    return cbor.dumps(cbor.CborTag(cose.TAG_SIGN1, [protected, {}, payload, signature]))


def demo_cards(kit: DemoKit, now: datetime) -> list[DemoCard]:
    """Cards that show every kind of outcome when verified at ``now``."""
    day = timedelta(days=1)
    base = Card(
        format=hcm1.NAME,
        card_id=str(uuid.UUID(int=1)),
        issuer=DEMO_ISSUER,
        key_id=b"",
        issued_at=now - 20 * day,
        not_before=None,
        expires_at=now + 345 * day,
        holder=Holder("Nguyễn Văn An", "1987-05-12", "4821"),
        issued_colour=Colour.GREEN,
        vaccinations=(
            Vaccination("EU/1/21/1529", 1, 2, (now - 90 * day).date()),
            Vaccination("EU/1/21/1529", 2, 2, (now - 30 * day).date()),
        ),
    )
    one_dose = replace(
        base,
        card_id=str(uuid.UUID(int=2)),
        holder=Holder("Trần Thị Bích Ngọc", "1995", "0377"),
        issued_colour=Colour.YELLOW,
        vaccinations=(Vaccination("BBIBP-CorV", 1, 2, (now - 30 * day).date()),),
    )
    tested = replace(
        base,
        card_id=str(uuid.UUID(int=3)),
        holder=Holder("Lê Hoàng Phúc", "2001-11-02", "1190"),
        issued_colour=Colour.YELLOW,
        issued_at=now - timedelta(hours=9),
        expires_at=now + 3 * day,
        vaccinations=(),
        tests=(NegativeTest("LP217198-3", now - timedelta(hours=10)),),
    )
    expired = replace(
        base, card_id=str(uuid.UUID(int=4)), issued_at=now - 400 * day, expires_at=now - 35 * day
    )
    revoked = replace(base, card_id=REVOKED_CARD_ID, holder=Holder("Phạm Minh Tuấn", "1979"))
    green = issue(base, kit.city)
    return [
        DemoCard("Two doses, the last 30 days ago", green, "dine-in"),
        DemoCard("One dose 30 days ago, issued yellow", issue(one_dose, kit.city), "dine-in"),
        DemoCard(
            "Negative test 10 hours ago, at a supermarket", issue(tested, kit.lab), "supermarket"
        ),
        DemoCard("Negative test 10 hours ago, at a restaurant", issue(tested, kit.lab), "dine-in"),
        DemoCard("Expired card", issue(expired, kit.city), None),
        DemoCard("Revoked card", issue(revoked, kit.city), None),
        DemoCard("Altered card (one byte changed)", _tampered(green), None),
        DemoCard("Vaccination card signed by the lab's key", issue(base, kit.lab), None),
        DemoCard("Card from an unknown issuer", issue(base, kit.stranger), None),
        DemoCard("Not a Covid card", "https://example.com/menu", None),
    ]


#: The demo kiosk's venue category (a supermarket admits green and yellow cards).
ENTRANCE_CATEGORY = "supermarket"


def entrance_cards(kit: DemoKit, now: datetime) -> list[DemoCard]:
    """What the app demo's camera shows: one card per person, a realistic mix at a
    supermarket's door, so that the first minute already shows green, yellow and red.

    Each person appears once per round (a card seen again is a re-entry), and no card
    comes from an unknown issuer: that red is for forgeries, and here it would look
    like the demo's own trust data being wrong."""
    cards = {card.label: card for card in demo_cards(kit, now)}
    day = timedelta(days=1)

    def vaccinated(number: int, name: str, birth: str, last4: str) -> Card:
        return Card(
            format=hcm1.NAME,
            card_id=str(uuid.UUID(int=number)),
            issuer=DEMO_ISSUER,
            key_id=b"",
            issued_at=now - 50 * day,
            not_before=None,
            expires_at=now + 315 * day,
            holder=Holder(name, birth, last4),
            issued_colour=Colour.GREEN,
            vaccinations=(
                Vaccination("EU/1/20/1528", 1, 2, (now - 120 * day).date()),
                Vaccination("EU/1/20/1528", 2, 2, (now - 60 * day).date()),
            ),
        )

    def person(number: int, name: str, birth: str, last4: str) -> DemoCard:
        card = vaccinated(number, name, birth, last4)
        return DemoCard(f"Two doses: {name}", issue(card, kit.city), ENTRANCE_CATEGORY)

    def at_door(label: str, expected: Reason) -> DemoCard:
        return replace(cards[label], venue=ENTRANCE_CATEGORY, expected=expected)

    return [
        at_door("Two doses, the last 30 days ago", Reason.ADMITTED_GREEN),
        at_door("Negative test 10 hours ago, at a supermarket", Reason.ADMITTED_YELLOW),
        DemoCard(
            "Expired card",
            issue(
                replace(
                    vaccinated(9, "Phan Thị Hồng", "1972-10-30", "3307"),
                    issued_at=now - 400 * day,
                    expires_at=now - 35 * day,
                ),
                kit.city,
            ),
            ENTRANCE_CATEGORY,
            Reason.EXPIRED,
        ),
        at_door("One dose 30 days ago, issued yellow", Reason.ADMITTED_GREEN),
        replace(person(5, "Võ Thị Mai", "1990-03-08", "5512"), expected=Reason.ADMITTED_GREEN),
        at_door("Revoked card", Reason.REVOKED),
        replace(person(6, "Đặng Quốc Bảo", "1968", "2093"), expected=Reason.ADMITTED_GREEN),
        DemoCard(
            "Altered card (one byte changed)",
            _tampered(person(7, "Hồ Văn Lợi", "1999", "7730").text),
            ENTRANCE_CATEGORY,
            Reason.BAD_SIGNATURE,
        ),
        DemoCard(
            "Vaccination card signed by the lab's key",
            issue(vaccinated(8, "Bùi Thanh Hà", "1983-07-21", "6641"), kit.lab),
            ENTRANCE_CATEGORY,
            Reason.KEY_NOT_VALID_FOR_CARD,
        ),
        at_door("Not a Covid card", Reason.UNSUPPORTED_FORMAT),
    ]
