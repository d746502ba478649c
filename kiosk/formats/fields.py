"""Checks for the fields every card format carries: names, dates, times, NumericDates.

Shared by the format decoders (``hcm1``, ``dcc``, ``shc``) so that a name with a hidden
right-to-left override or a date that is no calendar day is refused the same way on
every card. Each check raises ``CardRejected(MALFORMED)`` with the field's name.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta
from typing import Final

from kiosk.domain import Reason
from kiosk.errors import CardRejected

# ASCII digits only: \d would also match Arabic-Indic or full-width digits.
DOB: Final = re.compile(r"[0-9]{4}(-(0[1-9]|1[0-2])(-[0-9]{2})?)?\Z")
DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
RFC3339: Final = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)
#: Unicode categories a displayed name may not hold: controls, format characters
#: (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width joiners…), private use, unassigned, separators.
HIDDEN: Final = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
#: NumericDate bounds: 1970 .. 2100. Anything else is a malformed card, not a date.
MAX_TIME: Final = 4_102_444_800


def bad(detail: str) -> CardRejected:
    return CardRejected(Reason.MALFORMED, detail)


def text(value: object, what: str, max_len: int) -> str:
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise bad(f"{what} must be text of 1..{max_len} characters")
    return value


def name(value: object, what: str = "n (name)", max_len: int = 200) -> str:
    """A person's name for the guard's screen: NFC, not blank, nothing hidden."""
    result = unicodedata.normalize("NFC", text(value, what, max_len))
    if not result.strip():
        raise bad(f"{what} is blank")
    # Control and format characters (U+202E RIGHT-TO-LEFT OVERRIDE, zero-width joiners…)
    # could make the name on the guard's screen read as someone else's.
    if any(unicodedata.category(ch) in HIDDEN for ch in result):
        raise bad(f"{what} holds control or format characters")
    return result


def integer(value: object, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise bad(f"{what} must be an integer in {low}..{high}")
    return value


def numeric_date(value: object, what: str) -> datetime:
    """An integer NumericDate (seconds since 1970 UTC) between 1970 and 2100."""
    return datetime.fromtimestamp(integer(value, what, 0, MAX_TIME), UTC)


def lenient_numeric_date(value: object, what: str) -> datetime:
    """A NumericDate that may be fractional (RFC 8392 and JWT allow it; some issuers do).

    Fractions are kept to the microsecond; NaN, infinities and booleans are refused.
    """
    if type(value) is float:
        if not math.isfinite(value) or not 0 <= value <= MAX_TIME:
            raise bad(f"{what} must be a NumericDate between 1970 and 2100")
        return datetime.fromtimestamp(value, UTC)
    return numeric_date(value, what)


def expiry_after(moment: datetime, value: object) -> datetime:
    """The first instant after an inclusive expiry ``exp`` (read from ``value``).

    The kiosk's ``Card.expires_at`` is the first instant a card is expired. The EU DCC
    and SMART Health Cards read ``exp`` as the last valid instant (their reference
    verifiers reject only when ``now > exp``); a whole-second ``exp`` is therefore
    valid through that second, a fractional one up to its microsecond.
    """
    step = timedelta(seconds=1) if type(value) is int else timedelta(microseconds=1)
    return moment + step


def calendar_date(value: object, what: str) -> date:
    raw = text(value, what, 10)
    try:
        if not DATE.match(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise bad(f"{what} must be a YYYY-MM-DD date") from exc


def rfc3339(value: object, what: str) -> datetime:
    raw = text(value, what, 35)
    try:
        if not RFC3339.match(raw):
            raise ValueError(raw)
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad(f"{what} must be an RFC 3339 date-time") from exc
    if parsed.tzinfo is None:
        raise bad(f"{what} must carry a time zone")
    return parsed.astimezone(UTC)


def birth_date(value: object, what: str = "dob") -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a real calendar day)."""
    dob = text(value, what, 10)
    if not DOB.match(dob):
        raise bad(f"{what} must be YYYY, YYYY-MM or YYYY-MM-DD")
    if len(dob) == 10:
        calendar_date(dob, what)
    return dob
