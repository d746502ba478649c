"""X.509 certificates: the one adapter around ``cryptography.x509``.

Two uses: EU DCC Document Signing Certificates (DSC), which carry the issuer keys of
``HC1:`` passes, and the ``x5c`` chains a SMART Health Card issuer may put in its JWKS.

A DSC becomes an :class:`~kiosk.verify.truststore.IssuerKey`:

* ``kid`` = the first 8 bytes of SHA-256 over the certificate's DER bytes (DCC spec,
  appendix A.1); a card is checked only against the key its kid names;
* the validity period (``notBefore`` .. ``notAfter``) is the window in which the key
  may have signed a card (the card's ``iat``), as for the city's own keys;
* the extended key usage limits the kinds of card: ``1.3.6.1.4.1.1847.2021.1.1`` test,
  ``.2`` vaccination, ``.3`` recovery, and the same under ``1.3.6.1.4.1.0.1847.2021.1``,
  which many issuers use. No extended key usage extension: any kind. An extension with
  none of these identifiers (only, say, ICAO's document-signer usage): no kind at all,
  as the EU test data expects (IS/2DCode/raw/3.json).

Nothing here checks a chain to a country's CSCA: the city's trust bundle lists the
DSCs it accepts (the DCC's "simplified" model, spec section 5.1).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from cryptography import x509
from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ed25519
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID

from kiosk.domain import CardKind
from kiosk.errors import KeyFileError
from kiosk.verify.keys import PublicKey, SigningKey, private_key_of
from kiosk.verify.truststore import ALL_KINDS, IssuerKey

#: The card format a DSC signs.
DCC_FORMAT: Final = "HC1"

_HEALTH_USAGE: Final[dict[str, CardKind]] = {
    f"{arc}.{number}": kind
    for arc in ("1.3.6.1.4.1.1847.2021.1", "1.3.6.1.4.1.0.1847.2021.1")
    for number, kind in ((1, CardKind.TEST), (2, CardKind.VACCINATION), (3, CardKind.RECOVERY))
}
#: Certificate files larger than this are refused unread.
MAX_CERTIFICATE_BYTES: Final = 64 * 1024


def dcc_kid(der: bytes) -> bytes:
    """The EU DCC key id of a signing certificate: SHA-256 of its DER, first 8 bytes."""
    return hashlib.sha256(der).digest()[:8]


@dataclass(frozen=True, slots=True)
class Certificate:
    """What the kiosk reads from one X.509 certificate."""

    der: bytes
    #: The subject public key; its ``kid`` is :func:`dcc_kid` of the certificate.
    key: PublicKey
    not_before: datetime
    not_after: datetime
    #: Kinds the extended key usage allows; ``None`` when the extension is absent.
    usage: frozenset[CardKind] | None
    #: ``uniformResourceIdentifier`` entries of the subject alternative name.
    uris: tuple[str, ...]
    subject: str

    @property
    def kinds(self) -> frozenset[CardKind]:
        return ALL_KINDS if self.usage is None else self.usage


def _load(der: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(der)
    except ValueError as exc:
        raise KeyFileError(f"not a DER X.509 certificate: {exc}") from exc


def parse_certificate(der: bytes) -> Certificate:
    """Read a DER certificate; :class:`KeyFileError` when it is none or its key is unusable."""
    if len(der) > MAX_CERTIFICATE_BYTES:
        raise KeyFileError(f"certificate larger than {MAX_CERTIFICATE_BYTES} bytes")
    cert = _load(der)
    try:
        public = cert.public_key()
    except (ValueError, UnsupportedAlgorithm) as exc:
        raise KeyFileError(f"certificate key is unusable: {exc}") from exc
    key = PublicKey.from_key(public, dcc_kid(der))
    try:
        eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        usage: frozenset[CardKind] | None = frozenset(
            _HEALTH_USAGE[oid.dotted_string] for oid in eku if oid.dotted_string in _HEALTH_USAGE
        )
    except x509.ExtensionNotFound:
        usage = None
    except ValueError as exc:  # a duplicated or unparsable extension
        raise KeyFileError(f"certificate extensions: {exc}") from exc
    try:
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        uris = tuple(names.get_values_for_type(x509.UniformResourceIdentifier))
    except x509.ExtensionNotFound:
        uris = ()
    except ValueError as exc:
        raise KeyFileError(f"certificate extensions: {exc}") from exc
    return Certificate(
        der=bytes(der),
        key=key,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        usage=usage,
        uris=uris,
        subject=cert.subject.rfc4514_string(),
    )


def certificates_in(data: bytes) -> list[bytes]:
    """The DER bytes of every certificate in ``data``: PEM (one or more) or one DER."""
    if len(data) > MAX_CERTIFICATE_BYTES * 16:
        raise KeyFileError("certificate file too large")
    if b"-----BEGIN CERTIFICATE-----" in data:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise KeyFileError(f"not a PEM certificate: {exc}") from exc
        return [cert.public_bytes(Encoding.DER) for cert in certs]
    _load(data)
    return [bytes(data)]


def dsc_issuer_key(certificate: Certificate, *, label: str = "") -> IssuerKey:
    """The trust-store entry of an EU DCC signing certificate (see the module docstring)."""
    return IssuerKey(
        key=certificate.key,
        issuer=None,
        valid_from=certificate.not_before,
        valid_until=certificate.not_after,
        kinds=certificate.kinds,
        formats=frozenset({DCC_FORMAT}),
        label=label or certificate.subject,
        certificate=certificate.der,
    )


def check_chain(ders: Sequence[bytes]) -> None:
    """Each certificate of an ``x5c`` chain is signed by the next one (leaf first).

    Only the links are checked, not validity dates nor a trust anchor: the kiosk trusts
    keys because the city's bundle lists them, and the SMART Health Cards examples'
    certificates expired in 2022 while their cards are still meant to verify.
    """
    certs = [_load(der) for der in ders]
    for child, parent in itertools.pairwise(certs):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature, UnsupportedAlgorithm) as exc:
            raise KeyFileError(
                f"x5c: {child.subject.rfc4514_string()} is not signed by the next certificate"
            ) from exc


def make_certificate(
    key: SigningKey,
    *,
    subject: str = "Test DSC",
    country: str = "VN",
    kinds: Iterable[CardKind] | None = None,
    not_before: datetime = datetime(2021, 1, 1, tzinfo=UTC),
    not_after: datetime = datetime(2023, 1, 1, tzinfo=UTC),
    uris: Iterable[str] = (),
    signer: SigningKey | None = None,
    signer_subject: str = "Test CA",
    extra_usage: Iterable[str] = (),
) -> bytes:
    """A DER certificate for ``key`` (self-signed unless ``signer``, whose certificate
    names ``signer_subject``): for tests, demos and benchmarks. ``kinds`` adds the EU
    health extended key usages (``None``: no extension)."""

    def name_of(common_name: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, country),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )

    name = name_of(subject)
    public = private_key_of(key).public_key()
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name if signer is None else name_of(signer_subject))
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
    )
    codes = {kind: oid for oid, kind in _HEALTH_USAGE.items() if oid.startswith("1.3.6.1.4.1.1847")}
    usages = [x509.ObjectIdentifier(codes[kind]) for kind in kinds or ()]
    usages += [x509.ObjectIdentifier(oid) for oid in extra_usage]
    if kinds is not None or usages:
        builder = builder.add_extension(x509.ExtendedKeyUsage(usages), critical=False)
    uri_list = [x509.UniformResourceIdentifier(uri) for uri in uris]
    if uri_list:
        builder = builder.add_extension(x509.SubjectAlternativeName(uri_list), critical=False)
    signing = private_key_of(signer or key)
    algorithm = None if isinstance(signing, ed25519.Ed25519PrivateKey) else hashes.SHA256()
    cert = builder.sign(signing, algorithm)
    return cert.public_bytes(Encoding.DER)
