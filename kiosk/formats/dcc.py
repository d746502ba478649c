"""EU Digital COVID Certificates, ``HC1:``: visitors' passes from the EU and its partners.

``HC1:`` + Base45( zlib( COSE_Sign1( CWT ) ) ), the same envelope as the city's HCM1
(``../shared/specs/dcc-hcert-spec.md``), read by the same code
(:mod:`kiosk.formats.envelope`). What differs, and why:

* algorithms ES256 and PS256 (the spec's primary and secondary), never EdDSA;
* ``kid`` may stand in the protected or the unprotected header; the protected one wins
  when both are present (spec 3.3.3). Only ``alg`` must be protected;
* the card is the ``hcert`` claim (-260), key 1: the DCC JSON structure as CBOR;
* decoding is permissive where the spec asks it to be ("acceptance of any reasonable
  type conversion is strongly encouraged"): fractional NumericDates, date-times where
  dates are due, CBOR date tags 0/1, ``null`` for an absent group. An entry the kiosk
  cannot use (a positive test, a dose number 0, another disease) gives no fact, but the
  card still attests its kind, so a signing certificate limited to tests cannot sign it;
* ``exp`` is the last valid second (DCC verifiers reject only after it).

See ``docs/visitor-passes.md`` for the mapping to the rules' facts.
"""

from __future__ import annotations

import logging
import re
from datetime import date, datetime
from typing import Final

from kiosk.domain import (
    Algorithm,
    Card,
    CardKind,
    Holder,
    NegativeTest,
    Recovery,
    SignedCard,
    Vaccination,
)
from kiosk.errors import CardRejected, CborError
from kiosk.formats import cbor, envelope, fields

logger = logging.getLogger(__name__)

PREFIX: Final = "HC1:"
NAME: Final = "HC1"
ALGORITHMS: Final = frozenset({Algorithm.ES256, Algorithm.PS256})

# CWT claim keys (RFC 8392) and the health certificate claim (spec 3.3).
ISS: Final = 1
EXP: Final = 4
IAT: Final = 6
HCERT: Final = -260
EU_DCC_V1: Final = 1

#: SNOMED CT "COVID-19", the only disease (``tg``) the kiosk judges.
COVID_19: Final = "840539006"
#: SNOMED CT test results: "not detected" is negative; "detected" (260373001) is not.
NOT_DETECTED: Final = "260415000"
#: CBOR tags for date/time some issuers put in the payload (standard and epoch times).
_DATE_TAGS: Final = frozenset({0, 1})
_MAX_ENTRIES: Final = 16
_GROUPS: Final = (("v", CardKind.VACCINATION), ("t", CardKind.TEST), ("r", CardKind.RECOVERY))
#: The optional prefix of a UVCI (eHN UVCI guideline); the canonical form always has it.
UVCI_PREFIX: Final = "URN:UVCI:"
#: A UVCI after its prefix: the version (``01``; ``V1`` is seen too), then upper-case
#: letters, digits and the separators ``/ # :`` (``#`` starts the checksum).
_UVCI = re.compile(r"(?:0[1-9]|V[1-9])[0-9A-Z/#:]{4,115}\Z")
MAX_CI_CHARS: Final = 128


def canonical_uvci(text: str, *, strict: bool = False) -> str:
    """A UVCI in its one form: upper case (the guideline's alphabet), with the
    ``URN:UVCI:`` prefix, which is optional on cards (``urn:uvci:01:at:…`` and
    ``01:AT:…`` name the same certificate as ``URN:UVCI:01:AT:…``).

    ``strict`` (a revocation list written by people): refuse what is no UVCI, with
    ``ValueError``. Not strict (a card's ``ci``): any text, so that a card whose ``ci``
    bends the guideline can still be looked up the same way it was listed."""
    value = text.strip().upper()
    if value.startswith(UVCI_PREFIX):
        value = value[len(UVCI_PREFIX) :]
    if strict and not _UVCI.match(value):
        raise ValueError(
            f"{text!r:.60} is not a UVCI ([URN:UVCI:]01:…: letters, digits and / # : only)"
        )
    return UVCI_PREFIX + value


def open_card(text: str) -> SignedCard:
    """Unwrap the text of a QR code; nothing inside is trusted yet."""
    # Spec 3.3.3: the kid may be unprotected; when both are present, the protected wins.
    message = envelope.open_text(text, PREFIX)
    return envelope.signed_card(message, NAME, ALGORITHMS, kid_may_be_unprotected=True)


def read_claims(signed: SignedCard) -> Card:
    """Decode the claims of a pass whose signature has been verified."""
    try:
        claims = cbor.loads(signed.claims, max_depth=10, max_items=2048, allowed_tags=_DATE_TAGS)
    except CborError as exc:
        raise fields.bad(f"claims: {exc}") from exc
    if not isinstance(claims, dict):
        raise fields.bad("claims must be a map")
    raw_exp = claims.get(EXP)
    issued_at = fields.lenient_numeric_date(claims.get(IAT), "iat")
    expires = fields.lenient_numeric_date(raw_exp, "exp")
    hcert = claims.get(HCERT)
    body = hcert.get(EU_DCC_V1) if isinstance(hcert, dict) else None
    if not isinstance(body, dict):
        raise fields.bad("the hcert claim (-260 -> 1) is missing")

    groups = {key: _entries(body, key) for key, _ in _GROUPS}
    first = next((entry for key, _ in _GROUPS for entry in groups[key]), None)
    if first is None:
        raise fields.bad("no vaccination, test or recovery entry")
    card_id = fields.text(first.get("ci"), "ci (certificate identifier)", MAX_CI_CHARS)
    # Each entry is a certificate with its own UVCI: revoking any one revokes the card.
    other_ids = tuple(
        dict.fromkeys(
            ci
            for key, _ in _GROUPS
            for entry in groups[key]
            if (ci := fields.text(entry.get("ci"), f"{key}.ci", MAX_CI_CHARS)) != card_id
        )
    )
    iss = claims.get(ISS)
    issuer = fields.text(iss, "iss", 128) if iss is not None else _country(first)

    vaccinations = tuple(v for v in map(_vaccination, groups["v"]) if v is not None)
    tests = tuple(t for t in map(_negative_test, groups["t"]) if t is not None)
    recoveries = tuple(r for r in map(_recovery, groups["r"]) if r is not None)
    return Card(
        format=NAME,
        card_id=card_id,
        other_ids=other_ids,
        issuer=issuer,
        key_id=signed.key_id,
        issued_at=issued_at,
        not_before=None,
        expires_at=fields.expiry_after(expires, raw_exp),
        holder=Holder(name=_holder_name(body.get("nam")), birth_date=_dob(body.get("dob"))),
        vaccinations=vaccinations,
        recoveries=recoveries,
        tests=tests,
        attested=frozenset(kind for key, kind in _GROUPS if groups[key]),
    )


def _entries(body: dict[object, object], key: str) -> list[dict[object, object]]:
    value = body.get(key)
    if value is None:  # absent, or null as some issuers write an unused group
        return []
    if not isinstance(value, list) or len(value) > _MAX_ENTRIES:
        raise fields.bad(f"{key} must be a list of at most {_MAX_ENTRIES} entries")
    if not all(isinstance(entry, dict) for entry in value):
        raise fields.bad(f"{key} entries must be maps")
    return value


def _country(entry: dict[object, object]) -> str:
    country = entry.get("co")
    return country if isinstance(country, str) and 0 < len(country) <= 128 else ""


def _transliterated(value: object) -> str:
    # ICAO 9303 machine-readable form: "MUSTERFRAU<GOESSINGER".
    return value.replace("<", " ").strip() if isinstance(value, str) else ""


def _holder_name(nam: object) -> str:
    """Family name first, as the kiosk shows every name (``Holder.masked_name``)."""
    if not isinstance(nam, dict):
        raise fields.bad("nam (name) is missing")
    parts = []
    for plain, standard in (("fn", "fnt"), ("gn", "gnt")):
        value = nam.get(plain)
        if value is not None and not isinstance(value, str):
            raise fields.bad(f"nam.{plain} must be text")
        value = (value or "").strip() or _transliterated(nam.get(standard))
        if value:
            parts.append(value)
    if not parts:
        raise fields.bad("nam holds no name")
    return fields.name(" ".join(parts), "nam (name)")


def _dob(value: object) -> str:
    """``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` or empty (unknown: schema 1.3). Also, as
    issuers wrote them before: a date-time counts by its date, and an unknown month or
    day written ``00`` or ``XX`` (``1963-00``, ``1963-XX-XX``) is left out."""
    if value == "":
        return ""
    if isinstance(value, str):
        if len(value) > 10 and value[10] == "T":
            value = value[:10]
        parts = value.split("-")
        while len(parts) > 1 and parts[-1] in ("00", "XX"):
            parts.pop()
        value = "-".join(parts)
    return fields.birth_date(value, "dob")


def _day(value: object, what: str) -> date:
    if isinstance(value, cbor.CborTag) and value.tag == 0:
        value = value.value
    if isinstance(value, str) and len(value) > 10 and value[10] == "T":
        value = value[:10]  # a date-time where a date is due: its day, as written
    return fields.calendar_date(value, what)


def _moment(value: object, what: str) -> datetime:
    if isinstance(value, cbor.CborTag):
        if value.tag == 1:
            return fields.lenient_numeric_date(value.value, what)
        value = value.value
    return fields.rfc3339(value, what)


def _usable(entry: dict[object, object], what: str) -> bool:
    if entry.get("tg") != COVID_19:
        logger.info("%s entry ignored: not for COVID-19", what)
        return False
    return True


def _vaccination(entry: dict[object, object]) -> Vaccination | None:
    if not _usable(entry, "vaccination"):
        return None
    try:
        return Vaccination(
            product=fields.text(entry.get("mp"), "v.mp", 64),
            dose=fields.integer(entry.get("dn"), "v.dn", 1, 20),
            series=fields.integer(entry.get("sd"), "v.sd", 1, 20),
            on=_day(entry.get("dt"), "v.dt"),
        )
    except CardRejected as exc:
        logger.info("vaccination entry ignored: %s", exc.detail)
        return None


def _negative_test(entry: dict[object, object]) -> NegativeTest | None:
    if not _usable(entry, "test"):
        return None
    if entry.get("tr") != NOT_DETECTED:  # positive or unknown result: no basis
        return None
    try:
        return NegativeTest(
            fields.text(entry.get("tt"), "t.tt", 64), _moment(entry.get("sc"), "t.sc")
        )
    except CardRejected as exc:
        logger.info("test entry ignored: %s", exc.detail)
        return None


def _recovery(entry: dict[object, object]) -> Recovery | None:
    if not _usable(entry, "recovery"):
        return None
    try:
        df, du = entry.get("df"), entry.get("du")
        return Recovery(
            first_positive=_day(entry.get("fr"), "r.fr"),
            valid_from=None if df is None else _day(df, "r.df"),
            valid_until=None if du is None else _day(du, "r.du"),
        )
    except CardRejected as exc:
        logger.info("recovery entry ignored: %s", exc.detail)
        return None


def wrap(cose_message: bytes) -> str:
    """The QR text of a COSE_Sign1 message (for tests, demos and benchmarks)."""
    return envelope.wrap_text(cose_message, PREFIX)
