"""SMART Health Cards, ``shc:/``: visitors' passes from North America and elsewhere.

``shc:/`` + digits: each pair of digits is one character of a compact JWS (its code
minus 45). The JWS (``../shared/specs/smart-health-cards-spec.md``) is signed with
ES256 (``r || s``, as COSE), its header says ``zip: "DEF"`` and names the key by its
RFC 7638 thumbprint; its payload is raw DEFLATE of the JSON claims ``iss``, ``nbf``,
``exp`` (optional) and ``vc``, whose FHIR bundle holds the Patient and the
Immunizations. Nothing in the payload is inflated before the signature holds.

**Chunks (deprecated form).** A long card may be split over several QR codes,
``shc:/1/3/…``, ``shc:/2/3/…``, ``shc:/3/3/…``. The pipeline judges one payload; it
accepts all the chunks of one card in a single payload, one per line, in any order.
:class:`ChunkAssembler` turns separate scans into that payload (the scan loop uses it):
a chunk alone is held, and the complete set is handed on once.

**Card id.** ``iss + "#" + rid`` when the card has a revocation id (``vc.rid``), so the
issuer's revocation list can name it; else ``iss + "#"`` + the first 32 hex digits of
SHA-256 over the signed JSON payload (never over the signature: ECDSA signatures are
malleable). A rid has at most 24 characters, so the two forms cannot meet.

**Facts.** Completed COVID-19 Immunizations whose vaccine code the kiosk knows
(:data:`VACCINES`: CVX and SNOMED CT codes) become doses, numbered in date order; the
series length comes from the product. Negative SARS-CoV-2 test Observations with a
known LOINC code and a full date-time become tests. Everything else (other vaccines,
other observations) is ignored. ``docs/visitor-passes.md`` lists the codes and limits.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Final

from kiosk.domain import (
    Algorithm,
    Card,
    Holder,
    NegativeTest,
    Reason,
    SignedCard,
    Vaccination,
)
from kiosk.errors import CardRejected
from kiosk.formats import fields

PREFIX: Final = "shc:/"
NAME: Final = "SHC"
HEALTH_CARD: Final = "https://smarthealth.cards#health-card"

#: Chunks of one card at most (the spec's examples use 3).
MAX_CHUNKS: Final = 10
#: A version 40 QR code holds 7,089 digits; one chunk line is refused beyond that.
MAX_CHUNK_CHARS: Final = len("shc:/10/10/") + 7089
#: The JWS the digits spell; a single V22 code holds 1,195 characters.
MAX_JWS_CHARS: Final = 12_000
#: The inflated JSON payload (the largest example, a lab report, is about 10 KB).
MAX_PAYLOAD_BYTES: Final = 128 * 1024
MAX_HEADER_CHARS: Final = 1024
#: FHIR bundle entries looked at, and facts of each kind kept.
MAX_BUNDLE_ENTRIES: Final = 256
MAX_FACTS: Final = 16
MAX_RID_CHARS: Final = 24

_TENS: Final = bytes((b - 48) * 10 if 48 <= b <= 57 else 0 for b in range(256))
_UNITS: Final = bytes(b - 48 if 48 <= b <= 57 else 0 for b in range(256))
_PLUS_45: Final = bytes((b + 45) % 256 for b in range(256))
_CHUNK = re.compile(r"shc:/(?:([0-9]{1,2})/([0-9]{1,2})/)?([0-9]*)\Z")
_B64URL = re.compile(r"[A-Za-z0-9_-]*\Z")
_RID = re.compile(r"[A-Za-z0-9_-]{1,24}\Z")
_CVX: Final = "http://hl7.org/fhir/sid/cvx"
_SNOMED: Final = "http://snomed.info/sct"
_LOINC: Final = "http://loinc.org"
#: Product shown to the rules (EU product code when EU-authorised) and doses in its
#: series; booster-only formulations count as a one-dose series.
VACCINES: Final[dict[tuple[str, str], tuple[str, int]]] = {
    (_CVX, "207"): ("EU/1/20/1507", 2),  # Moderna (Spikevax) 100 mcg
    (_CVX, "208"): ("EU/1/20/1528", 2),  # Pfizer-BioNTech (Comirnaty) 30 mcg
    (_CVX, "210"): ("EU/1/21/1529", 2),  # AstraZeneca (Vaxzevria)
    (_CVX, "211"): ("EU/1/21/1618", 2),  # Novavax (Nuvaxovid)
    (_CVX, "212"): ("EU/1/20/1525", 1),  # Janssen
    (_CVX, "213"): ("COVID-19", 2),  # SARS-CoV-2 vaccine, unspecified formulation
    (_CVX, "217"): ("EU/1/20/1528", 2),  # Pfizer-BioNTech 30 mcg, tris-sucrose
    (_CVX, "218"): ("EU/1/20/1528", 2),  # Pfizer-BioNTech 10 mcg (5-11 years)
    (_CVX, "219"): ("EU/1/20/1528", 3),  # Pfizer-BioNTech 3 mcg (6 months-4 years)
    (_CVX, "221"): ("EU/1/20/1507", 1),  # Moderna 50 mcg booster
    (_CVX, "228"): ("EU/1/20/1507", 2),  # Moderna 25 mcg (6 months-5 years)
    (_CVX, "229"): ("EU/1/20/1507", 1),  # Moderna bivalent booster
    (_CVX, "230"): ("EU/1/20/1507", 1),  # Moderna bivalent, 10 mcg
    (_CVX, "300"): ("EU/1/20/1528", 1),  # Pfizer-BioNTech bivalent booster, 30 mcg
    (_CVX, "301"): ("EU/1/20/1528", 1),  # Pfizer-BioNTech bivalent booster, 10 mcg
    (_CVX, "500"): ("COVID-19", 2),  # non-US vaccine, product unknown
    (_CVX, "502"): ("Covaxin", 2),
    (_CVX, "504"): ("Sputnik-Light", 1),
    (_CVX, "505"): ("Sputnik-V", 2),
    (_CVX, "506"): ("Convidecia", 1),  # CanSino
    (_CVX, "510"): ("BBIBP-CorV", 2),  # Sinopharm
    (_CVX, "511"): ("CoronaVac", 2),  # Sinovac
    (_SNOMED, "28581000087106"): ("EU/1/20/1528", 2),  # Pfizer-BioNTech (Canada)
    (_SNOMED, "28571000087109"): ("EU/1/20/1507", 2),  # Moderna (Canada)
    (_SNOMED, "28761000087108"): ("EU/1/21/1529", 2),  # AstraZeneca (Canada)
    (_SNOMED, "28951000087107"): ("EU/1/20/1525", 1),  # Janssen (Canada)
}
#: SARS-CoV-2 tests by LOINC code, as the rules name the test type (NAAT or antigen).
TESTS: Final[dict[str, str]] = {
    "94500-6": "LP6464-4",  # RNA, respiratory specimen, NAA with probe
    "94309-2": "LP6464-4",  # RNA, unspecified specimen, NAA with probe
    "94558-4": "LP217198-3",  # antigen, respiratory specimen, rapid immunoassay
    "97097-0": "LP217198-3",  # antigen, upper respiratory specimen, rapid immunoassay
}
#: SNOMED CT results that mean negative: "negative", "not detected".
NEGATIVE: Final = frozenset({"260385009", "260415000"})
_FINAL: Final = frozenset({"final", "amended", "corrected"})


# --- QR text and chunks ------------------------------------------------------------------


def _malformed(detail: str) -> CardRejected:
    return CardRejected(Reason.MALFORMED, detail)


def numeric_to_jws(digits: str) -> str:
    """``"5676…"`` -> ``"eyJ…"``: each pair of digits is a character code minus 45.

    No per-character Python work (on a 1,700-digit code, a loop over the pairs took
    105 µs, this takes 10 µs): the tens and the units of all pairs are summed as two big
    integers, one byte per pair; a pair is at most 99, so no byte carries into the next.
    """
    raw = digits.encode("ascii", "replace")
    if len(raw) % 2 or (raw and not raw.isdigit()):
        raise _malformed("an odd number of digits, or not digits")
    tens, units = raw[0::2].translate(_TENS), raw[1::2].translate(_UNITS)
    pairs = (int.from_bytes(tens, "big") + int.from_bytes(units, "big")).to_bytes(len(tens), "big")
    if pairs and max(pairs) > ord("z") - 45:
        raise _malformed("digit pair beyond the JWS alphabet")
    return pairs.translate(_PLUS_45).decode("ascii")


def jws_to_numeric(jws: str) -> str:
    return "".join(f"{ord(ch) - 45:02d}" for ch in jws)


def qr_texts(jws: str, chunks: int = 1) -> list[str]:
    """The QR text(s) of a JWS: one ``shc:/`` code, or ``chunks`` balanced parts."""
    if chunks == 1:
        return [PREFIX + jws_to_numeric(jws)]
    size = -(-len(jws) // chunks)
    parts = [jws[i : i + size] for i in range(0, len(jws), size)]
    return [f"{PREFIX}{n}/{len(parts)}/{jws_to_numeric(p)}" for n, p in enumerate(parts, 1)]


def _chunk(line: str) -> tuple[int, int, str]:
    """(index, total, digits) of one ``shc:/`` line; (0, 0, digits) when not chunked."""
    if len(line) > MAX_CHUNK_CHARS:
        raise _malformed(f"a QR text longer than {MAX_CHUNK_CHARS} characters")
    match = _CHUNK.match(line)
    if match is None:
        raise _malformed("not shc:/ followed by digits")
    index, total, digits = match.groups()
    if index is None:
        return 0, 0, digits
    return int(index), int(total), digits


def jws_of(text: str) -> str:
    """The JWS of a card's QR text: one ``shc:/`` line, or every chunk, one per line."""
    lines = text.split()
    if not lines or len(lines) > MAX_CHUNKS:
        raise _malformed(f"1..{MAX_CHUNKS} shc:/ lines expected")
    parts = [_chunk(line) for line in lines]
    if len(parts) == 1 and parts[0][1] == 0:
        digits = parts[0][2]
    else:
        total = parts[0][1]
        if not 2 <= total <= MAX_CHUNKS or any(p[1] != total for p in parts):
            raise _malformed("chunks of different cards, or a chunk count out of range")
        by_index = {p[0]: p[2] for p in parts}
        if len(by_index) != len(parts) or not set(by_index) <= set(range(1, total + 1)):
            raise _malformed("a chunk index repeated or out of range")
        if len(by_index) != total:
            raise _malformed(f"only {len(by_index)} of {total} chunks: scan every part")
        digits = "".join(by_index[i] for i in range(1, total + 1))
    if len(digits) > 2 * MAX_JWS_CHARS:
        raise _malformed(f"a JWS longer than {MAX_JWS_CHARS} characters")
    return numeric_to_jws(digits)


@dataclass(slots=True)
class _Pending:
    total: int
    started: float
    parts: dict[int, bytes]


class ChunkAssembler:
    """Collects the chunks of one ``shc:/i/n/`` card from separate scans.

    ``add(payload, now)`` returns the payload to judge: anything that is not a chunk,
    unchanged; a chunk, ``None`` until the set is complete, then every chunk joined by
    newlines in order. Chunks of another card (another count) or older than
    ``max_age`` seconds start a new set. Time is the caller's monotonic clock.
    """

    def __init__(self, max_age: float = 60.0) -> None:
        self.max_age = max_age
        self._pending: _Pending | None = None

    @property
    def progress(self) -> tuple[int, int] | None:
        """(chunks read, chunks in the card) while a set is incomplete, for the screen."""
        if self._pending is None:
            return None
        return len(self._pending.parts), self._pending.total

    def add(self, payload: bytes, now: float) -> bytes | None:
        text = payload.strip()
        if not text.startswith(PREFIX.encode()):
            return payload
        match = _CHUNK.match(text.decode("ascii", "replace"))
        if match is None or match.group(1) is None or len(text) > MAX_CHUNK_CHARS:
            return payload  # a whole card, or broken text: the pipeline judges it
        index, total = int(match.group(1)), int(match.group(2))
        if not 1 <= index <= total <= MAX_CHUNKS:
            return payload  # the pipeline says why
        pending = self._pending
        if pending is None or pending.total != total or now - pending.started > self.max_age:
            pending = self._pending = _Pending(total, now, {})
        pending.parts[index] = text
        if len(pending.parts) < total:
            return None
        self._pending = None
        return b"\n".join(pending.parts[i] for i in range(1, total + 1))

    def forget(self) -> None:
        self._pending = None


# --- the JWS ----------------------------------------------------------------------------------


def b64url_decode(segment: str, what: str) -> bytes:
    """Strict base64url without padding (RFC 7515 section 2)."""
    if not _B64URL.match(segment) or len(segment) % 4 == 1:
        raise _malformed(f"{what} is not base64url")
    try:
        return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    except (binascii.Error, ValueError) as exc:
        raise _malformed(f"{what} is not base64url") from exc


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _reject_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise ValueError("duplicate key in a JSON object")
    return result


def parse_json(data: bytes, what: str) -> object:
    """Strict JSON: UTF-8, no duplicate keys, no NaN/Infinity; nesting is bounded by
    the interpreter's recursion limit, which a deep input hits as a malformed card."""
    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_unique_keys,
            parse_constant=_reject_constant,
        )
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _malformed(f"{what} is not JSON: {str(exc)[:80]}") from exc


def open_card(text: str) -> SignedCard:
    """Unwrap the text of one or more QR codes; nothing inside is trusted yet."""
    jws = jws_of(text)
    segments = jws.split(".")
    if len(segments) != 3:
        raise _malformed("a compact JWS has three parts")
    header_b64, payload_b64, signature_b64 = segments
    if len(header_b64) > MAX_HEADER_CHARS:
        raise _malformed("JWS header too long")
    header = parse_json(b64url_decode(header_b64, "JWS header"), "JWS header")
    if not isinstance(header, dict):
        raise _malformed("JWS header must be an object")
    kid = header.get("kid")
    if not isinstance(kid, str) or not 0 < len(kid) <= 128:
        raise _malformed("no kid in the JWS header")
    if header.get("alg") != Algorithm.ES256.value:
        raise CardRejected(Reason.UNSUPPORTED_ALGORITHM, f"JWS alg {header.get('alg')!r:.40}")
    if header.get("zip") != "DEF":
        raise _malformed('the JWS payload must be compressed (zip: "DEF")')
    if "crit" in header:
        raise _malformed("JWS header has critical extensions the kiosk does not know")
    return SignedCard(
        format=NAME,
        key_id=kid.encode("utf-8"),
        algorithm=Algorithm.ES256,
        signed_bytes=f"{header_b64}.{payload_b64}".encode("ascii"),
        signature=b64url_decode(signature_b64, "JWS signature"),
        claims=b64url_decode(payload_b64, "JWS payload"),
    )


def inflate_raw(data: bytes, limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    """Raw DEFLATE (RFC 1951, no zlib header) of at most ``limit`` bytes, nothing after it."""
    inflater = zlib.decompressobj(wbits=-15)
    try:
        out = inflater.decompress(data, limit)
    except zlib.error as exc:
        raise _malformed(f"DEFLATE: {exc}") from exc
    if inflater.unconsumed_tail:
        raise _malformed(f"payload inflates to more than {limit} bytes")
    if not inflater.eof:
        raise _malformed("DEFLATE stream is truncated")
    if inflater.unused_data:
        raise _malformed("bytes after the DEFLATE stream")
    return out


def deflate_raw(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def encode_jws(payload: dict[str, object], kid: str, sign: Callable[[bytes], bytes]) -> str:
    """A compact JWS as issuers make them (for tests, demos and benchmarks)."""
    header = json.dumps({"zip": "DEF", "alg": "ES256", "kid": kid}, separators=(",", ":"))
    body = deflate_raw(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    signing_input = f"{b64url_encode(header.encode())}.{b64url_encode(body)}"
    return f"{signing_input}.{b64url_encode(sign(signing_input.encode('ascii')))}"


# --- the claims -------------------------------------------------------------------------------


def rid_card_id(issuer: str, rid: str) -> str:
    """The card id of a card with a revocation id: what a revocation list names."""
    return f"{issuer}#{rid}"


#: ``scheme://host`` (case-insensitive, RFC 3986) and the rest of an issuer URL.
_ISSUER_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/?#]*)([^#]*)\Z")
_STRICT_ISSUER = re.compile(r"https?://[a-z0-9.-]+(?::[0-9]{1,5})?(?:/[^\s#]*)?\Z")
_HASH_ID = re.compile(r"[0-9A-Fa-f]{32}\Z")


def is_card_id(text: str) -> bool:
    """Whether ``text`` has the shape of a SMART Health Card id: ``<iss URL>#<id>``."""
    return "://" in text and "#" in text


def canonical_card_id(text: str, *, strict: bool = False) -> str:
    """A SMART Health Card id in its one form: ``iss#rid`` (or ``iss#`` + 32 hex digits
    of the payload hash), the issuer URL's scheme and host in lower case and without a
    trailing ``/`` (the spec forbids one), the ``rid`` as written (base64url is
    case-sensitive), the hash in lower case.

    ``strict`` (a revocation list written by people): refuse, with ``ValueError``, an
    issuer that is no http(s) URL or an id that is neither a rid (1..24 base64url
    characters) nor a 32-digit hash."""
    iss, _, rid = text.strip().rpartition("#")
    match = _ISSUER_URL.match(iss)
    if match is not None:
        iss = match.group(1).lower() + match.group(2).rstrip("/")
    if _HASH_ID.match(rid):
        rid = rid.lower()
    if strict:
        if not _STRICT_ISSUER.match(iss):
            raise ValueError(f"{text!r:.80}: {iss!r:.60} is not an issuer URL")
        if not (_RID.match(rid) or _HASH_ID.match(rid)):
            raise ValueError(
                f"{text!r:.80}: {rid!r:.40} is neither a rid (1..{MAX_RID_CHARS} base64url"
                " characters) nor 32 hex digits"
            )
    return f"{iss}#{rid}"


def _get(value: object, *path: str) -> object:
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _list(value: object, what: str, limit: int) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > limit:
        raise _malformed(f"{what} must be a list of at most {limit} items")
    return value


def _codings(concept: object) -> list[tuple[str, str]]:
    found = []
    for coding in _list(_get(concept, "coding"), "coding", 32):
        system, code = _get(coding, "system"), _get(coding, "code")
        if isinstance(system, str) and isinstance(code, str):
            found.append((system, code))
    return found


def _day(value: object) -> date | None:
    """The day of a FHIR date or dateTime; ``None`` when only a year or month is given."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return fields.calendar_date(value[:10], "occurrenceDateTime")
    except CardRejected:
        return None


def _holder(patients: list[dict[object, object]], needed: bool) -> Holder:
    if len(patients) > 1:
        raise _malformed("the bundle names more than one Patient")
    if not patients:
        if needed:
            raise _malformed("immunizations without a Patient")
        return Holder(name="", birth_date="")  # nothing to judge, nobody to match
    patient = patients[0]
    names = _list(patient.get("name"), "Patient.name", 8)
    text = ""
    for entry in names:
        family, given = _get(entry, "family"), _get(entry, "given")
        parts = [family] if isinstance(family, str) else []
        parts += [g for g in _list(given, "Patient.name.given", 8) if isinstance(g, str)]
        plain = _get(entry, "text")
        text = " ".join(p.strip() for p in parts if p.strip())
        text = text or (plain.strip() if isinstance(plain, str) else "")
        if text:
            break
    if not text:
        raise _malformed("the Patient has no name")
    birth = patient.get("birthDate")
    return Holder(
        name=fields.name(text, "Patient.name"),
        birth_date="" if birth is None else fields.birth_date(birth, "Patient.birthDate"),
    )


def _vaccinations(resources: list[dict[object, object]]) -> tuple[Vaccination, ...]:
    doses: list[tuple[date, str, int]] = []
    for resource in resources:
        if resource.get("status") != "completed" or resource.get("isSubpotent") is True:
            continue
        product = next(
            (VACCINES[c] for c in _codings(resource.get("vaccineCode")) if c in VACCINES), None
        )
        day = _day(resource.get("occurrenceDateTime"))
        if product is not None and day is not None:
            doses.append((day, *product))
    if len(doses) > MAX_FACTS:
        raise _malformed(f"more than {MAX_FACTS} COVID-19 immunizations")
    doses.sort(key=lambda dose: dose[0])
    # The FHIR bundle numbers no doses: the n-th COVID-19 dose by date is dose n.
    return tuple(
        Vaccination(product, number, series, day)
        for number, (day, product, series) in enumerate(doses, 1)
    )


def _tests(resources: list[dict[object, object]]) -> tuple[NegativeTest, ...]:
    tests = []
    for resource in resources:
        if resource.get("status") not in _FINAL:
            continue
        kind = next(
            (TESTS[c] for s, c in _codings(resource.get("code")) if s == _LOINC and c in TESTS),
            None,
        )
        negative = any(
            s == _SNOMED and c in NEGATIVE
            for s, c in _codings(resource.get("valueCodeableConcept"))
        )
        when = resource.get("effectiveDateTime")
        if kind is None or not negative or not isinstance(when, str) or len(when) <= 10:
            continue
        try:
            tests.append(NegativeTest(kind, fields.rfc3339(when, "effectiveDateTime")))
        except CardRejected:
            continue  # a date-time the rules cannot judge: no fact
    if len(tests) > MAX_FACTS:
        raise _malformed(f"more than {MAX_FACTS} SARS-CoV-2 test results")
    return tuple(tests)


def read_claims(signed: SignedCard) -> Card:
    """Inflate and decode the claims of a card whose signature has been verified."""
    payload = inflate_raw(signed.claims)
    claims = parse_json(payload, "JWS payload")
    if not isinstance(claims, dict):
        raise _malformed("JWS payload must be an object")
    issuer = fields.text(claims.get("iss"), "iss", 255)
    raw_nbf, raw_exp = claims.get("nbf"), claims.get("exp")
    issued = fields.lenient_numeric_date(raw_nbf, "nbf")
    expires = None
    if raw_exp is not None:
        expires = fields.expiry_after(fields.lenient_numeric_date(raw_exp, "exp"), raw_exp)
    vc = claims.get("vc")
    if not isinstance(vc, dict):
        raise _malformed("no vc claim")
    types = _list(vc.get("type"), "vc.type", 16)
    if HEALTH_CARD not in types:
        raise _malformed(f"vc.type does not include {HEALTH_CARD}")
    rid = vc.get("rid")
    if rid is not None and not (isinstance(rid, str) and _RID.match(rid)):
        raise _malformed(f"vc.rid must be 1..{MAX_RID_CHARS} base64url characters")
    entries = _list(
        _get(vc, "credentialSubject", "fhirBundle", "entry"), "fhirBundle.entry", MAX_BUNDLE_ENTRIES
    )
    by_type: dict[str, list[dict[object, object]]] = {}
    for entry in entries:
        resource = _get(entry, "resource")
        kind = _get(resource, "resourceType")
        if not isinstance(resource, dict) or not isinstance(kind, str):
            raise _malformed("a bundle entry without a resource")
        by_type.setdefault(kind, []).append(resource)
    vaccinations = _vaccinations(by_type.get("Immunization", []))
    tests = _tests(by_type.get("Observation", []))
    holder = _holder(by_type.get("Patient", []), needed=bool(vaccinations or tests))
    if rid is not None:
        card_id = rid_card_id(issuer, rid)
    else:
        card_id = f"{issuer}#{hashlib.sha256(payload).hexdigest()[:32]}"
    return Card(
        format=NAME,
        card_id=card_id,
        issuer=issuer,
        key_id=signed.key_id,
        # nbf is the issuance date (spec): the issued-at check, with its clock skew, covers it.
        issued_at=issued,
        not_before=None,
        expires_at=expires,
        holder=holder,
        vaccinations=vaccinations,
        tests=tests,
    )
