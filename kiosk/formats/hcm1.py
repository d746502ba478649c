"""The city's own card format, ``HCM1``; see ``docs/card-format.md`` for the contract.

``HCM1:`` + Base45( zlib( COSE_Sign1( CWT claims ) ) ), modelled on the EU DCC so
one decoder serves both. Only EdDSA (Ed25519) and ES256 are accepted, with ``kid``
in the protected header.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import UTC, datetime
from typing import Final

from kiosk.domain import (
    Algorithm,
    Card,
    Colour,
    Holder,
    NegativeTest,
    Recovery,
    SignedCard,
    Vaccination,
)
from kiosk.errors import CborError
from kiosk.formats import cbor, cose, envelope, fields

PREFIX: Final = "HCM1:"
NAME: Final = "HCM1"
ALGORITHMS: Final = frozenset({Algorithm.EDDSA, Algorithm.ES256})

# CWT claim keys (RFC 8392) and the card's own claim, the first private-use key.
ISS: Final = 1
EXP: Final = 4
NBF: Final = 5
IAT: Final = 6
CTI: Final = 7
CARD: Final = -65537

_COLOURS: Final = {1: Colour.GREEN, 2: Colour.YELLOW}
_COLOUR_CODES: Final = {v: k for k, v in _COLOURS.items()}
_NID = re.compile(r"[0-9]{4}\Z")
_MAX_ENTRIES: Final = 16
#: The spellings of a UUID a person or another system may write: any case, ``{braces}``,
#: ``urn:uuid:``, with or without hyphens.
_UUID_SPELLING = re.compile(
    r"(?i)(?:urn:uuid:)?\{?[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\}?\Z"
)


def is_card_id(text: str) -> bool:
    """Whether ``text`` is an HCM1 card id (a UUID) in one of its spellings."""
    return _UUID_SPELLING.match(text.strip()) is not None


def canonical_card_id(text: str) -> str:
    """An HCM1 card id in its one form: the UUID, lower-case and hyphenated (as
    ``str(uuid.UUID(...))`` writes it). Raises ``ValueError`` for anything else."""
    if not is_card_id(text):
        raise ValueError(f"{text!r:.60} is not a UUID")
    return str(uuid.UUID(text.strip()))


def open_card(text: str) -> SignedCard:
    """Unwrap the text of a QR code; nothing inside is trusted yet."""
    return envelope.signed_card(envelope.open_text(text, PREFIX), NAME, ALGORITHMS)


def _entries(card: dict[object, object], key: str) -> list[dict[object, object]]:
    value = card.get(key, [])
    if not isinstance(value, list) or len(value) > _MAX_ENTRIES:
        raise fields.bad(f"{key} must be a list of at most {_MAX_ENTRIES} entries")
    if not all(isinstance(entry, dict) for entry in value):
        raise fields.bad(f"{key} entries must be maps")
    return value


def read_claims(signed: SignedCard) -> Card:
    """Decode and check the claims of a card whose signature has been verified."""
    try:
        claims = cbor.loads(signed.claims, max_depth=6, max_items=512)
    except CborError as exc:
        raise fields.bad(f"claims: {exc}") from exc
    if not isinstance(claims, dict):
        raise fields.bad("claims must be a map")
    cti = claims.get(CTI)
    if not isinstance(cti, bytes) or len(cti) != 16:
        raise fields.bad("cti (card id) must be 16 bytes")
    body = claims.get(CARD)
    if not isinstance(body, dict):
        raise fields.bad("the card claim (-65537) is missing")
    nid = body.get("nid")
    if nid is not None and not (isinstance(nid, str) and _NID.match(nid)):
        raise fields.bad("nid must be 4 digits")
    dob = fields.birth_date(body.get("dob"))
    colour_code = body.get("c")
    if colour_code is not None and (type(colour_code) is not int or colour_code not in _COLOURS):
        raise fields.bad("c (issued colour) must be 1 (green) or 2 (yellow)")
    vaccinations = tuple(
        Vaccination(
            product=fields.text(v.get("mp"), "v.mp", 64),
            dose=fields.integer(v.get("dn"), "v.dn", 1, 20),
            series=fields.integer(v.get("sd"), "v.sd", 1, 20),
            on=fields.calendar_date(v.get("dt"), "v.dt"),
        )
        for v in _entries(body, "v")
    )
    recoveries = tuple(
        Recovery(fields.calendar_date(r.get("fr"), "r.fr")) for r in _entries(body, "r")
    )
    tests = tuple(
        NegativeTest(fields.text(t.get("tt"), "t.tt", 32), fields.rfc3339(t.get("sc"), "t.sc"))
        for t in _entries(body, "t")
    )
    nbf = claims.get(NBF)
    return Card(
        format=NAME,
        card_id=str(uuid.UUID(bytes=cti)),
        issuer=fields.text(claims.get(ISS), "iss", 64),
        key_id=signed.key_id,
        issued_at=fields.numeric_date(claims.get(IAT), "iat"),
        not_before=None if nbf is None else fields.numeric_date(nbf, "nbf"),
        expires_at=fields.numeric_date(claims.get(EXP), "exp"),
        holder=Holder(
            name=fields.name(body.get("n")),
            birth_date=dob,
            id_last4=nid,
        ),
        issued_colour=_COLOURS.get(colour_code) if type(colour_code) is int else None,
        vaccinations=vaccinations,
        recoveries=recoveries,
        tests=tests,
    )


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def encode_claims(card: Card) -> bytes:
    """The CBOR claims of ``card``; the inverse of :func:`read_claims`."""
    body: dict[object, object] = {"n": unicodedata.normalize("NFC", card.holder.name)}
    body["dob"] = card.holder.birth_date
    if card.holder.id_last4:
        body["nid"] = card.holder.id_last4
    if card.issued_colour is not None:
        body["c"] = _COLOUR_CODES[card.issued_colour]
    if card.vaccinations:
        body["v"] = [
            {"mp": v.product, "dn": v.dose, "sd": v.series, "dt": v.on.isoformat()}
            for v in card.vaccinations
        ]
    if card.recoveries:
        body["r"] = [{"fr": r.first_positive.isoformat()} for r in card.recoveries]
    if card.tests:
        body["t"] = [
            {"tt": t.test_type, "sc": t.sampled_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}
            for t in card.tests
        ]
    claims: dict[object, object] = {
        ISS: card.issuer,
        CTI: uuid.UUID(card.card_id).bytes,
        CARD: body,
    }
    if card.issued_at is not None:
        claims[IAT] = _epoch(card.issued_at)
    if card.not_before is not None:
        claims[NBF] = _epoch(card.not_before)
    if card.expires_at is not None:
        claims[EXP] = _epoch(card.expires_at)
    return cbor.dumps(claims)


def protected_header(algorithm: Algorithm, kid: bytes) -> dict[object, object]:
    return {cose.HEADER_ALG: cose.ALGORITHM_IDS[algorithm], cose.HEADER_KID: kid}


def wrap(cose_message: bytes) -> str:
    return envelope.wrap_text(cose_message, PREFIX)
