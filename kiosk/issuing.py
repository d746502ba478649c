"""Issuing HCM1 cards from a claims file: for tests, demos and technicians.

The city's issuing system implements ``docs/card-format.md`` itself; this module is
the reference for that document and the tool that makes test cards.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

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
from kiosk.errors import CardRejected, ClaimsError
from kiosk.formats import cose, hcm1
from kiosk.verify.keys import SigningKey

DEFAULT_ISSUER = "VN-HCM"
DEFAULT_VALIDITY = timedelta(days=365)


def issue(card: Card, key: SigningKey) -> str:
    """Sign ``card`` and return its QR text (``HCM1:...``)."""
    message = cose.encode_sign1(
        hcm1.encode_claims(card), hcm1.protected_header(key.algorithm, key.public.kid), key.sign
    )
    return hcm1.wrap(message)


def _text(raw: Mapping[str, object], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value:
        raise ClaimsError(f"{where}{name} is required and must be text")
    return value


def _optional_text(raw: Mapping[str, object], name: str, where: str) -> str | None:
    return None if raw.get(name) is None else _text(raw, name, where)


def _count(raw: Mapping[str, object], name: str, where: str) -> int:
    value = raw.get(name)
    if type(value) is not int:
        raise ClaimsError(f"{where}{name} is required and must be an integer")
    return value


def _when(value: object, where: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ClaimsError(f"{where} must be an ISO-8601 date-time: {value!r}") from exc
    if moment.tzinfo is None:
        raise ClaimsError(f"{where} needs a time zone, e.g. 2021-09-01T08:00:00+07:00")
    return moment.astimezone(UTC)


def _day(value: object, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ClaimsError(f"{where} must be a YYYY-MM-DD date: {value!r}") from exc


def _items(raw: Mapping[str, object], name: str) -> list[Mapping[str, object]]:
    value = raw.get(name, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise ClaimsError(f"{name} must be a list of objects")
    return [v for v in value if isinstance(v, dict)]


def card_from_claims(raw: object, now: datetime) -> Card:
    """Build a card from the JSON claims file of ``kiosk issue`` (see docs/card-format.md)."""
    if not isinstance(raw, dict):
        raise ClaimsError("claims must be a JSON object")
    holder = raw.get("holder")
    if not isinstance(holder, dict):
        raise ClaimsError("holder is required: {name, birth_date, national_id_last4}")
    issued_at = _when(raw["issued_at"], "issued_at") if "issued_at" in raw else now
    expires_at = (
        _when(raw["expires_at"], "expires_at")
        if "expires_at" in raw
        else issued_at + DEFAULT_VALIDITY
    )
    colour = raw.get("colour")
    if colour not in (None, "green", "yellow"):
        raise ClaimsError("colour must be green or yellow")
    try:
        card_id = str(uuid.UUID(str(raw["card_id"]))) if "card_id" in raw else str(uuid.uuid4())
    except ValueError as exc:
        raise ClaimsError("card_id must be a UUID") from exc
    card = Card(
        format=hcm1.NAME,
        card_id=card_id,
        issuer=_optional_text(raw, "issuer", "") or DEFAULT_ISSUER,
        key_id=b"",
        issued_at=issued_at,
        not_before=_when(raw["not_before"], "not_before") if "not_before" in raw else None,
        expires_at=expires_at,
        holder=Holder(
            name=_text(holder, "name", "holder."),
            birth_date=_text(holder, "birth_date", "holder."),
            id_last4=_optional_text(holder, "national_id_last4", "holder."),
        ),
        issued_colour=Colour(colour) if colour else None,
        vaccinations=tuple(
            Vaccination(
                product=_text(v, "product", "vaccinations[]."),
                dose=_count(v, "dose", "vaccinations[]."),
                series=_count(v, "series", "vaccinations[]."),
                on=_day(v.get("date"), "vaccinations[].date"),
            )
            for v in _items(raw, "vaccinations")
        ),
        recoveries=tuple(
            Recovery(_day(r.get("first_positive"), "recoveries[].first_positive"))
            for r in _items(raw, "recoveries")
        ),
        tests=tuple(
            NegativeTest(
                _text(t, "type", "tests[]."),
                _when(t.get("sampled_at"), "tests[].sampled_at"),
            )
            for t in _items(raw, "tests")
        ),
    )
    _check_round_trip(card)
    return card


def _check_round_trip(card: Card) -> None:
    """Refuse claims the kiosk itself would reject as malformed."""
    signed = SignedCard(hcm1.NAME, b"k", Algorithm.EDDSA, b"", b"", hcm1.encode_claims(card))
    try:
        hcm1.read_claims(signed)
    except CardRejected as exc:
        raise ClaimsError(f"the kiosk would reject these claims: {exc}") from exc
