"""SMART Health Card trust material: issuer keys (JWKS) and card revocation lists.

**Keys.** An issuer publishes its keys as a JSON Web Key Set at
``<iss>/.well-known/jwks.json``. A signing key is ``kty: EC``, ``crv: P-256`` (``use``
and ``alg``, when present, ``sig`` and ``ES256``; other keys in the set are skipped);
its ``kid`` must be its RFC 7638 thumbprint, which the kiosk computes and compares,
since the card names its key by that kid. A key with an ``x5c`` chain is accepted
when the first certificate holds the same public key and each certificate is signed
by the next (:func:`kiosk.verify.certificates.check_chain`); the leaf's subject
alternative name URI, when there is exactly one, binds the key to that issuer (``iss``).
A key with the private part ``d`` refuses the whole file: it is not a public key set.

**Revocation.** Per key, ``<iss>/.well-known/crl/<kid>.json``:
``{"kid", "method": "rid", "ctr", "rids": ["rid", "rid.1636977600", …]}``. A plain rid
revokes the card ``iss#rid`` whenever issued; ``rid.T`` revokes it if issued (``nbf``)
before ``T``. Both go into a :class:`~kiosk.verify.revocation.RevocationList`.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Final

from kiosk.errors import CardRejected, KeyFileError, TrustError
from kiosk.formats import shc
from kiosk.verify import certificates
from kiosk.verify.keys import PublicKey
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import ALL_KINDS, IssuerKey

SHC_FORMAT: Final = shc.NAME
MAX_JWKS_BYTES: Final = 1024 * 1024
MAX_KEYS: Final = 256
_RID_ENTRY = re.compile(r"([A-Za-z0-9_-]{1,24})(?:\.([0-9]{1,12}))?\Z")


def _b64url(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        raise KeyFileError(f"JWK {what} must be base64url text")
    try:
        return shc.b64url_decode(value, f"JWK {what}")
    except CardRejected as exc:
        raise KeyFileError(f"JWK {what} is not base64url") from exc


def thumbprint(key: PublicKey) -> str:
    """The RFC 7638 JWK thumbprint of a P-256 key, base64url: the SMART Health Card kid."""
    x, y = key.ec_point()
    canonical = json.dumps(
        {"crv": "P-256", "kty": "EC", "x": shc.b64url_encode(x), "y": shc.b64url_encode(y)},
        separators=(",", ":"),
        sort_keys=True,
    )
    return shc.b64url_encode(hashlib.sha256(canonical.encode("ascii")).digest())


def public_jwk(key: PublicKey) -> dict[str, str]:
    """The public JWK of a P-256 key, as an issuer publishes it (for tests and demos)."""
    x, y = key.ec_point()
    return {
        "kty": "EC",
        "kid": thumbprint(key),
        "use": "sig",
        "alg": "ES256",
        "crv": "P-256",
        "x": shc.b64url_encode(x),
        "y": shc.b64url_encode(y),
    }


def _is_signing_key(jwk: Mapping[str, object]) -> bool:
    return (
        jwk.get("kty") == "EC"
        and jwk.get("use", "sig") == "sig"
        and jwk.get("alg", "ES256") == "ES256"
    )


def _chain_issuer(key: PublicKey, chain: object) -> str | None:
    """Check an ``x5c`` chain against ``key``; the issuer URI its leaf names, if one."""
    if not isinstance(chain, list) or not chain or len(chain) > 8:
        raise KeyFileError("JWK x5c must be a list of 1..8 certificates")
    ders = []
    for item in chain:
        if not isinstance(item, str):
            raise KeyFileError("JWK x5c entries must be base64 text")
        try:
            ders.append(base64.b64decode(item, validate=True))
        except (binascii.Error, ValueError) as exc:
            raise KeyFileError("JWK x5c entries must be base64 (not base64url)") from exc
    leaf = certificates.parse_certificate(ders[0])
    if leaf.key.spki != key.spki:
        raise KeyFileError("JWK x5c: the first certificate holds another public key")
    certificates.check_chain(ders)
    return leaf.uris[0] if len(leaf.uris) == 1 else None


def issuer_key_from_jwk(
    jwk: Mapping[str, object], *, issuer: str | None = None, label: str = ""
) -> IssuerKey:
    """The trust-store entry of one public signing JWK (see the module docstring)."""
    if "d" in jwk:
        raise KeyFileError("the JWK holds a private key ('d'); publish only public keys")
    if jwk.get("crv") != "P-256":
        raise KeyFileError(f"JWK curve {jwk.get('crv')!r:.20} is not P-256")
    point = PublicKey.from_ec_point(_b64url(jwk.get("x"), "x"), _b64url(jwk.get("y"), "y"))
    kid = thumbprint(point)
    stated = jwk.get("kid")
    if stated is not None and stated != kid:
        raise KeyFileError(f"JWK kid {stated!r:.60} is not the key's thumbprint {kid}")
    bound = issuer
    if "x5c" in jwk:
        named = _chain_issuer(point, jwk["x5c"])
        bound = issuer if issuer is not None else named
    return IssuerKey(
        key=point.with_kid(kid.encode("ascii")),
        issuer=bound,
        kinds=ALL_KINDS,
        formats=frozenset({SHC_FORMAT}),
        label=label or f"SMART Health Card key {kid[:12]}",
    )


def issuer_keys_from_jwks(
    document: object, *, issuer: str | None = None, label: str = ""
) -> list[IssuerKey]:
    """Every signing key of a JWKS (``{"keys": [...]}``) or of a single JWK."""
    if isinstance(document, dict) and "keys" not in document and "kty" in document:
        document = {"keys": [document]}
    keys = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(keys, list) or len(keys) > MAX_KEYS:
        raise KeyFileError(f"a JWKS is an object with a list of at most {MAX_KEYS} keys")
    result = []
    for jwk in keys:
        if not isinstance(jwk, dict):
            raise KeyFileError("each JWKS key must be an object")
        if _is_signing_key(jwk):
            result.append(issuer_key_from_jwk(jwk, issuer=issuer, label=label))
        elif "d" in jwk:
            raise KeyFileError("the JWKS holds a private key ('d'); publish only public keys")
    if not result:
        raise KeyFileError("the JWKS holds no ES256 signing key")
    return result


def parse_json_file(data: bytes, what: str) -> object:
    if len(data) > MAX_JWKS_BYTES:
        raise KeyFileError(f"{what} larger than {MAX_JWKS_BYTES} bytes")
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise KeyFileError(f"{what} is not JSON: {str(exc)[:80]}") from exc


def crl_entries(document: object, issuer: str) -> tuple[list[str], dict[str, datetime]]:
    """The card ids a revocation list revokes: (always, {card id: issued before})."""
    if not isinstance(document, dict) or document.get("method") != "rid":
        raise TrustError('a SMART Health Card revocation list has method "rid"')
    rids = document.get("rids")
    if not isinstance(rids, list):
        raise TrustError("revocation list rids must be a list")
    always: list[str] = []
    timed: dict[str, datetime] = {}
    for item in rids:
        match = _RID_ENTRY.match(item) if isinstance(item, str) else None
        if match is None:
            raise TrustError(f"revocation list entry {item!r:.40} is not rid or rid.timestamp")
        card_id = shc.rid_card_id(issuer, match.group(1))
        if match.group(2) is None:
            always.append(card_id)
        else:
            moment = datetime.fromtimestamp(int(match.group(2)), UTC)
            # Two timestamps for one rid: the later one revokes more.
            timed[card_id] = max(moment, timed.get(card_id, moment))
    return always, timed


def revocations_from_crls(lists: Iterable[tuple[object, str]]) -> RevocationList:
    """One revocation list from several (document, issuer) CRLs."""
    always: list[str] = []
    timed: dict[str, datetime] = {}
    for document, issuer in lists:
        ids, until = crl_entries(document, issuer)
        always += ids
        for card_id, moment in until.items():
            timed[card_id] = max(moment, timed.get(card_id, moment))
    plain = set(always)
    return RevocationList.from_ids(plain, {k: v for k, v in timed.items() if k not in plain})
