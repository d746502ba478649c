"""Trust bundles: issuer keys, rules, venue categories and revocations, signed by the city.

A bundle is a COSE_Sign1 message signed with the city's root key (pinned at
provisioning) whose payload is a CBOR map; ``docs/trust-bundle.md`` is the contract.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from kiosk.domain import CardKind
from kiosk.errors import (
    BundleError,
    BundleKindError,
    BundleSignatureError,
    CborError,
    CoseError,
    KeyFileError,
    RulesError,
)
from kiosk.formats import cbor, cose
from kiosk.formats.fields import MAX_TIME
from kiosk.policy import VenueCategory, categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify import certificates
from kiosk.verify.keys import PublicKey, SigningKey
from kiosk.verify.revocation import ENTRY_BYTES, RevocationList
from kiosk.verify.truststore import IssuerKey, TrustStore

KIND: Final = "hcm-trust-bundle"
SCHEMA: Final = 1
CONTENT_TYPE: Final = "application/vnd.hcm.trust-bundle+cbor"
#: 1,000,000 revocations are 16 MB; leave room for growth, refuse absurd files.
MAX_BUNDLE_BYTES: Final = 256 * 1024 * 1024
#: The highest bundle version: 2**53 - 1, exact in every JSON reader (a double), in
#: SQLite's INTEGER and in a CBOR unsigned integer. Versions count publications, so no
#: honest bundle gets near it; the bound is one place, read by ``make_bundle``, every
#: kiosk's bundle reading and the platform's ``publish`` and ``GET /v1/bundle?have=``.
MAX_BUNDLE_VERSION: Final = 2**53 - 1


def check_bundle_version(value: object, *, lowest: int = 1) -> int:
    """``value`` as a bundle version (an ``int`` from ``lowest`` to ``MAX_BUNDLE_VERSION``),
    or ``BundleError``. ``lowest=0``: "no bundle yet" is allowed too (a kiosk's ``have``)."""
    if type(value) is not int or not lowest <= value <= MAX_BUNDLE_VERSION:
        raise BundleError(
            f"bundle version must be an integer from {lowest} to {MAX_BUNDLE_VERSION}",
            code="bundle_invalid",
        )
    return value


@dataclass(frozen=True, slots=True)
class TrustBundle:
    version: int
    issued_at: datetime
    trust: TrustStore = field(compare=False)
    rules: RuleBook = field(compare=False)
    venues: Mapping[str, VenueCategory] = field(compare=False)
    revocations: RevocationList = field(compare=False)
    #: The signed bytes exactly as received, for storing and re-checking.
    raw: bytes = field(compare=False, repr=False)


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _moment(value: object, what: str) -> datetime | None:
    if value is None:
        return None
    if type(value) is not int or not 0 <= value <= MAX_TIME:
        raise BundleError(
            f"{what} must be a NumericDate between 1970 and 2100", code="bundle_invalid"
        )
    return datetime.fromtimestamp(value, UTC)


def make_bundle(
    root: SigningKey,
    *,
    version: int,
    issued_at: datetime,
    issuers: Sequence[IssuerKey],
    rules: object,
    venues: object,
    revocations: RevocationList,
) -> bytes:
    """Sign a bundle; it is parsed first with the kiosks' own checks, so none is refused."""
    check_bundle_version(version)
    payload: dict[str, object] = {
        "kind": KIND,
        "schema": SCHEMA,
        "version": version,
        "issued_at": _epoch(issued_at),
        "issuers": [_issuer_map(key) for key in issuers],
        "rules": rules,
        "venues": venues,
        "revoked": revocations.block,
    }
    if revocations.issued_before:  # absent otherwise: older bundles stay byte-identical
        payload["revoked_before"] = {
            entry: _epoch(moment) for entry, moment in revocations.issued_before.items()
        }
    _parse(
        cbor.loads(cbor.dumps(payload), max_depth=64, max_items=500_000, max_size=MAX_BUNDLE_BYTES),
        b"",
    )
    header: dict[object, object] = {
        cose.HEADER_ALG: cose.ALGORITHM_IDS[root.algorithm],
        cose.HEADER_KID: root.public.kid,
        cose.HEADER_CONTENT_TYPE: CONTENT_TYPE,
    }
    return cose.encode_sign1(cbor.dumps(payload), header, root.sign)


def _issuer_map(key: IssuerKey) -> dict[str, object]:
    issuer: dict[str, object] = {
        "spki": key.key.spki,
        "kid": key.kid,
        "iss": key.issuer,
        "from": _epoch(key.valid_from),
        "until": _epoch(key.valid_until),
        "kinds": sorted(kind.value for kind in key.kinds),
        "formats": sorted(key.formats),
        "label": key.label,
    }
    if key.certificate is not None:  # an EU DCC signing certificate (kid = its hash)
        issuer["cert"] = key.certificate
    return issuer


def open_bundle(data: bytes, root: PublicKey) -> TrustBundle:
    """Check a bundle's signature against the pinned root, then parse it."""
    try:
        message = cose.decode_sign1(data, max_size=MAX_BUNDLE_BYTES)
    except CoseError as exc:
        raise BundleError(f"not a trust bundle file: {exc}", code="bundle_not_a_bundle") from exc
    alg_id = message.protected_header.get(cose.HEADER_ALG)
    if type(alg_id) is not int or cose.ALGORITHMS.get(alg_id) != root.algorithm:
        raise BundleSignatureError(
            "bundle is not signed with the pinned root key's algorithm",
            code="bundle_wrong_algorithm",
        )
    if not root.verify(message.signature, message.to_be_signed()):
        raise BundleSignatureError(
            "bundle signature does not match the pinned city root key",
            code="bundle_bad_signature",
        )
    try:
        body = cbor.loads(
            message.payload, max_depth=64, max_items=500_000, max_size=MAX_BUNDLE_BYTES
        )
    except CborError as exc:
        raise BundleError(f"bundle payload is not CBOR: {exc}", code="bundle_invalid") from exc
    return _parse(body, bytes(data))


def _parse(body: object, raw: bytes) -> TrustBundle:
    """Check and parse a bundle payload; the same checks serve kiosks and bundle makers."""
    if not isinstance(body, dict) or body.get("kind") != KIND:
        kind = body.get("kind") if isinstance(body, dict) else type(body).__name__
        raise BundleKindError(
            f"signed document is a {kind!r:.60}, not a {KIND}",
            code="bundle_wrong_kind",
            values={"kind": f"{kind!s:.60}"},
        )
    if body.get("schema") != SCHEMA:
        raise BundleError(
            f"bundle schema {body.get('schema')!r:.20} is not supported", code="bundle_invalid"
        )
    version = check_bundle_version(body.get("version"))
    issued_at = _moment(body.get("issued_at"), "issued_at")
    if issued_at is None:
        raise BundleError("bundle has no issued_at", code="bundle_invalid")
    revoked = body.get("revoked", b"")
    if not isinstance(revoked, bytes):
        raise BundleError("revoked must be a byte string", code="bundle_invalid")
    revoked_before = _revoked_before(body.get("revoked_before", {}))
    try:
        rules = RuleBook.from_json(body.get("rules"))
        venues = categories_from_json(body.get("venues"))
    except RulesError as exc:
        raise BundleError(f"bundle rules: {exc}", code="bundle_invalid") from exc
    return TrustBundle(
        version=version,
        issued_at=issued_at,
        trust=TrustStore(_issuer(item) for item in _list(body.get("issuers"), "issuers")),
        rules=rules,
        venues=venues,
        revocations=RevocationList(revoked, revoked_before),
        raw=raw,
    )


def _revoked_before(value: object) -> dict[bytes, datetime]:
    if not isinstance(value, dict):
        raise BundleError(
            "revoked_before must be a map of entry to NumericDate", code="bundle_invalid"
        )
    result: dict[bytes, datetime] = {}
    for entry, moment in value.items():
        when = _moment(moment, "revoked_before time")
        if not isinstance(entry, bytes) or len(entry) != ENTRY_BYTES or when is None:
            raise BundleError(
                f"revoked_before maps {ENTRY_BYTES}-byte entries to NumericDates",
                code="bundle_invalid",
            )
        result[entry] = when
    return result


def _list(value: object, what: str) -> list[object]:
    if not isinstance(value, list):
        raise BundleError(f"{what} must be a list", code="bundle_invalid")
    return value


def _issuer(raw: object) -> IssuerKey:
    if not isinstance(raw, dict):
        raise BundleError("each issuer must be a map", code="bundle_invalid")
    spki = raw.get("spki")
    kid = raw.get("kid")
    cert = raw.get("cert")
    if not isinstance(spki, bytes) or not (kid is None or isinstance(kid, bytes)):
        raise BundleError("issuer spki and kid must be byte strings", code="bundle_invalid")
    if not (cert is None or isinstance(cert, bytes)):
        raise BundleError("issuer cert must be a byte string (DER)", code="bundle_invalid")
    try:
        key = PublicKey.from_spki(spki, kid)
        if cert is not None:
            # The certificate is the key's identity: its hash is the kid (EU DCC), and
            # the spki written beside it (for kiosks that predate certificates) must match.
            from_cert = certificates.parse_certificate(cert).key
            if from_cert.spki != spki or (kid is not None and kid != from_cert.kid):
                raise BundleError(
                    "issuer cert does not match its spki and kid", code="bundle_invalid"
                )
            key = from_cert
    except KeyFileError as exc:
        raise BundleError(f"issuer key: {exc}", code="bundle_invalid") from exc
    issuer = raw.get("iss")
    label = raw.get("label", "")
    if not (issuer is None or isinstance(issuer, str)) or not isinstance(label, str):
        raise BundleError("issuer iss and label must be text", code="bundle_invalid")
    try:
        kinds = frozenset(CardKind(str(k)) for k in _list(raw.get("kinds"), "issuer kinds"))
    except ValueError as exc:
        raise BundleError("issuer kinds must be among v, r, t", code="bundle_invalid") from exc
    formats = _list(raw.get("formats", []), "issuer formats")
    if not all(isinstance(f, str) for f in formats):
        raise BundleError("issuer formats must be text", code="bundle_invalid")
    return IssuerKey(
        key=key,
        issuer=issuer,
        valid_from=_moment(raw.get("from"), "issuer from"),
        valid_until=_moment(raw.get("until"), "issuer until"),
        kinds=kinds,
        formats=frozenset(str(f) for f in formats),
        label=label,
        certificate=cert,
    )
