"""The wire bodies of ``docs/sync-protocol.md`` as strict pydantic models.

Every request model forbids unknown fields and is validated in strict mode straight
from the JSON bytes (``model_validate_json``), so ``"true"`` is not a boolean, a number
is not a time and a lone surrogate is not text. Rules JSON Schema cannot say (a reason
implies its verdict, ``manual_reason`` goes with ``manual``) are model validators.

``manual_name``, ``manual_phone`` and ``reentry`` came later (kiosk log schema 2): they
are optional, so a kiosk that does not send them is served as before.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Annotated, Final, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic.config import JsonDict, JsonValue

from kiosk.domain import Reason, Verdict
from kiosk.reasons import REASONS

MAX_RECORDS: Final = 1000
#: The reason a guard's manual admission is recorded with (not a scan outcome).
MANUAL_ADMISSION: Final = "manual_admission"
REASON_CODES: Final = (*(reason.value for reason in Reason), MANUAL_ADMISSION)
CARD_FORMATS: Final = ("HCM1", "HC1", "SHC")

UUID_PATTERN: Final = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
#: 32 raw bytes in base64url: 43 characters, or 44 with the one padding character.
PUBLIC_KEY_PATTERN: Final = r"^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]=?$"

# Text may not hold C0 or C1 control characters (nor DEL), nor the Unicode bidi controls
# (an U+202E in a holder's name shows the guard or an export reversed text), and may not
# be blank: a display text needs one character that is neither a space nor invisible
# (zero-width spaces and joiners, word joiner, BOM). These are patterns, not validator
# functions, so the OpenAPI schema says them too. The characters stand in the pattern
# themselves (not as escapes) so Rust's regex, Python's and JSON Schema's read them alike.
BIDI_CONTROLS: Final = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE: Final = "\u200b-\u200d\u2060\ufeff"
_TEXT_CHAR: Final = r"[^\x00-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]"
_LINES_CHAR: Final = r"[^\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI_CONTROLS + "]"
_VISIBLE_CHAR: Final = r"[^\s\x00-\x1f\x7f-\x9f" + BIDI_CONTROLS + INVISIBLE + "]"
TEXT_PATTERN: Final = f"^{_TEXT_CHAR}*$"
DISPLAY_PATTERN: Final = f"^{_TEXT_CHAR}*{_VISIBLE_CHAR}{_TEXT_CHAR}*$"
LINES_PATTERN: Final = f"^{_LINES_CHAR}*{_VISIBLE_CHAR}{_LINES_CHAR}*$"
#: The window a check-in's ``at`` must fall in: not before the kiosks' first season, and
#: not more than a day after the platform's clock (a kiosk's clock may run ahead a little,
#: and a time zone error is at most 14 h; a year-9999 time is a broken clock or a forgery).
EARLIEST_CHECKIN: Final = datetime(2021, 1, 1, tzinfo=UTC)
MAX_CHECKIN_AHEAD: Final = timedelta(days=1)
#: The validation context key that carries the platform's "now" (a ``datetime``).
NOW: Final = "now"
#: A phone number as a kiosk records it: digit groups split by single spaces, maybe a
#: leading ``+`` (``+84 912 345 678``).
PHONE_PATTERN: Final = r"^\+?[0-9]+( [0-9]+)*$"
#: Fields only a manual admission has.
MANUAL_ONLY: Final = ("manual_reason", "manual_name", "manual_phone")


def _known_reason(value: str) -> str:
    if value not in REASON_CODES:
        raise ValueError(f"must be one of {', '.join(REASON_CODES)}")
    return value


def _checkin_time(value: datetime, info: ValidationInfo) -> datetime:
    # Compared as aware datetimes: no conversion to UTC, which overflows for year 1 with a
    # positive offset.
    if value < EARLIEST_CHECKIN:
        raise ValueError(f"is before {EARLIEST_CHECKIN.date().isoformat()}")
    now = info.context.get(NOW) if isinstance(info.context, dict) else None
    if isinstance(now, datetime) and value - now > MAX_CHECKIN_AHEAD:
        raise ValueError("is more than a day after the platform's clock")
    return value


CheckinTime = Annotated[
    AwareDatetime,
    AfterValidator(_checkin_time),
    Field(
        description="RFC 3339 with an offset, kiosk clock; not before 2021-01-01T00:00:00Z"
        " nor more than 24 h after the platform's clock"
    ),
]


def _text(max_length: int, pattern: str = DISPLAY_PATTERN) -> StringConstraints:
    return StringConstraints(min_length=1, max_length=max_length, pattern=pattern)


VenueId = Annotated[str, _text(64)]
CardId = Annotated[str, _text(128, TEXT_PATTERN)]
DisplayText = Annotated[str, _text(128)]
ManualReason = Annotated[str, _text(500, LINES_PATTERN)]
RulesVersion = Annotated[str, _text(64, TEXT_PATTERN)]
ManualName = Annotated[str, _text(128)]
ManualPhone = Annotated[str, _text(32, PHONE_PATTERN)]
RecordUuid = Annotated[str, StringConstraints(pattern=UUID_PATTERN)]
ReasonCode = Annotated[
    str,
    AfterValidator(_known_reason),
    WithJsonSchema({"type": "string", "enum": list(REASON_CODES)}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class EnrollRequest(_Strict):
    """``POST /v1/enroll``."""

    token: Annotated[str, _text(128, TEXT_PATTERN)]
    venue_id: VenueId
    kiosk_name: Annotated[str, _text(64)]
    public_key: Annotated[
        str,
        StringConstraints(pattern=PUBLIC_KEY_PATTERN),
        Field(description="base64url of the 32-byte raw Ed25519 public key"),
    ]

    def raw_public_key(self) -> bytes:
        text = self.public_key.rstrip("=")
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class EnrollResponse(BaseModel):
    kiosk_id: str
    venue_id: str
    server_time: str


def _record_rules() -> JsonDict:
    """The model validator's rules as JSON Schema, so the OpenAPI document states them."""
    by_verdict: dict[str, list[JsonValue]] = {}
    for reason, info in REASONS.items():
        by_verdict.setdefault(info.verdict.value, []).append(reason.value)
    rules: list[JsonValue] = [
        {
            "if": {"properties": {"manual": {"const": True}}},
            "then": {"properties": {"manual_reason": {"type": "string"}}},
            "else": {"properties": {name: {"type": "null"} for name in MANUAL_ONLY}},
        },
        {
            "if": {"properties": {"reason": {"const": MANUAL_ADMISSION}}},
            "then": {"properties": {"manual": {"const": True}}},
        },
    ]
    rules += [
        {
            "if": {"properties": {"reason": {"enum": reasons}}},
            "then": {"properties": {"verdict": {"const": verdict}}},
        }
        for verdict, reasons in sorted(by_verdict.items())
    ]
    return {"allOf": rules}


class CheckinRecord(_Strict):
    """One check-in as the kiosk recorded it; ``uuid`` is the idempotency key."""

    model_config = ConfigDict(json_schema_extra=_record_rules())

    uuid: RecordUuid
    at: CheckinTime
    venue_id: VenueId
    card_id: CardId | None
    card_format: Literal["HCM1", "HC1", "SHC"] | None
    verdict: Verdict
    reason: ReasonCode
    holder: DisplayText | None
    manual: bool
    manual_reason: ManualReason | None
    rules_version: RulesVersion | None
    manual_name: Annotated[
        ManualName | None,
        Field(description="a manual admission's person, for contact tracing (optional)"),
    ] = None
    manual_phone: Annotated[
        ManualPhone | None,
        Field(description="a phone number to reach that person (optional)"),
    ] = None
    reentry: Annotated[
        bool, Field(description="the card was admitted here earlier within the re-entry window")
    ] = False

    @model_validator(mode="after")
    def _consistent(self) -> CheckinRecord:
        if self.manual and self.manual_reason is None:
            raise ValueError("manual_reason is required when manual is true")
        if not self.manual:
            for name in MANUAL_ONLY:
                if getattr(self, name) is not None:
                    raise ValueError(f"{name} must be null when manual is false")
        if self.reason == MANUAL_ADMISSION:
            if not self.manual:
                raise ValueError("reason manual_admission requires manual to be true")
        elif REASONS[Reason(self.reason)].verdict != self.verdict:
            expected = REASONS[Reason(self.reason)].verdict.value
            raise ValueError(f"reason {self.reason} has verdict {expected}")
        return self


class CheckinBatch(_Strict):
    """``POST /v1/checkins`` (sent gzip-compressed)."""

    records: Annotated[list[CheckinRecord], Field(max_length=MAX_RECORDS)]


class CheckinResult(BaseModel):
    stored: int
    duplicates: int
    uuids: Annotated[
        list[str],
        Field(description="the uuids the platform now holds from this kiosk: acknowledged"),
    ]
    conflicts: Annotated[
        list[str],
        Field(
            description="protocol 1.1: uuids another kiosk already holds; these records"
            " are not stored and not acknowledged (resend each under a new uuid)"
        ),
    ] = []


class ServerTime(BaseModel):
    now: str
    epoch_ms: int


class ErrorBody(BaseModel):
    """Every refusal: ``index`` names the bad record of a batch, ``server_time`` comes
    with ``stale_timestamp``."""

    error: str
    detail: str
    index: int | None = None
    server_time: str | None = None


def rfc3339_utc(moment: datetime) -> str:
    """``2021-09-21T03:02:03.456Z``: UTC, milliseconds, as in ``GET /v1/time``."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def epoch_ms(moment: datetime) -> int:
    delta = moment.astimezone(UTC) - datetime(1970, 1, 1, tzinfo=UTC)
    return delta.days * 86_400_000 + delta.seconds * 1000 + delta.microseconds // 1000
