"""One loader for every kind of issuer trust file ``kiosk verify --trust`` accepts.

* a public key, PEM or DER SubjectPublicKeyInfo (the city's issuers): any format;
* an X.509 certificate, PEM (one or more) or DER: an EU DCC signing certificate (DSC),
  for ``HC1`` passes, with the kid, window and kinds it implies
  (:mod:`kiosk.verify.certificates`);
* a JSON Web Key Set (or one JWK): SMART Health Card issuer keys (:mod:`kiosk.verify.jwks`).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Final

from kiosk.errors import KeyFileError
from kiosk.verify import certificates, jwks
from kiosk.verify.keys import PublicKey, load_public_key
from kiosk.verify.truststore import IssuerKey

MAX_TRUST_FILE_BYTES: Final = 4 * 1024 * 1024


def issuer_keys_from_bytes(data: bytes, label: str) -> list[IssuerKey]:
    """The issuer keys in ``data``, whatever of the accepted kinds it is."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return jwks.issuer_keys_from_jwks(jwks.parse_json_file(data, label), label=label)
    if b"-----BEGIN CERTIFICATE-----" in data:
        return [
            certificates.dsc_issuer_key(certificates.parse_certificate(der), label=label)
            for der in certificates.certificates_in(data)
        ]
    if b"-----BEGIN" in data:
        raise KeyFileError(_refusal(label, data))
    try:
        return [certificates.dsc_issuer_key(certificates.parse_certificate(data), label=label)]
    except KeyFileError:
        pass  # not a certificate: perhaps a bare public key
    try:
        return [IssuerKey(PublicKey.from_spki(data), label=label)]
    except KeyFileError as exc:
        raise KeyFileError(_refusal(label, data)) from exc


def _refusal(label: str, data: bytes) -> str:
    hint = " (it holds a private key: give the public one)" if b"PRIVATE KEY" in data else ""
    return f"{label} is not a PEM or DER public key, certificate or JWKS{hint}"


def load_trust_file(path: Path) -> list[IssuerKey]:
    """Issuer keys from a file: public key, DSC certificate or JWKS (see the module doc)."""
    try:
        size = path.stat().st_size
        if size > MAX_TRUST_FILE_BYTES:
            raise KeyFileError(f"{path} is larger than {MAX_TRUST_FILE_BYTES} bytes")
        data = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read trust file {path}: {exc.strerror}") from exc
    if b"-----BEGIN" in data and b"PUBLIC KEY-----" in data:
        return [IssuerKey(load_public_key(path), label=str(path))]
    return issuer_keys_from_bytes(data, str(path))


def bind_issuer(keys: list[IssuerKey], issuer: str | None, source: str) -> list[IssuerKey]:
    """The keys of a trust file bound to the ``iss`` their cards must name, for a bundle.

    A JWKS fetched from ``<iss>/.well-known/jwks.json`` does not say whose keys it holds
    (only an ``x5c`` leaf may), and a bundle key without an issuer would vouch for a card
    naming any issuer: so a SMART Health Card key must get its issuer, from ``issuer``
    (the bundle source's) or from its certificate, or the source entry is refused. A
    certificate's issuer that differs from ``issuer`` is refused too."""
    bound = []
    for key in keys:
        if issuer is not None and key.issuer is not None and key.issuer != issuer:
            raise KeyFileError(
                f"{source}: its certificate names issuer {key.issuer!r}, the source says {issuer!r}"
            )
        named = issuer if issuer is not None else key.issuer
        if named is None and jwks.SHC_FORMAT in key.formats:
            raise KeyFileError(
                f"{source}: a SMART Health Card JWKS does not say whose keys it holds; name the"
                ' issuer its cards carry as iss next to trust_file: "issuer": "https://…"'
            )
        bound.append(replace(key, issuer=named))
    return bound
