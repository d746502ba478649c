"""Builders for visitors' passes in tests: EU DCCs signed under test DSCs, SMART Health Cards
signed with test JWKS keys. Every builder takes keys from the caller; times are fixed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from helpers import rules_document, venues_document

from kiosk import pipeline
from kiosk.domain import Algorithm, CardKind
from kiosk.formats import cbor, cose, dcc, shc
from kiosk.policy import categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify import certificates, jwks
from kiosk.verify.keys import SigningKey
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import IssuerKey, TrustStore

SHC_ISSUER = "https://health.example.org/issuer"
#: A DSC valid through 2021 and 2022.
DSC_FROM = datetime(2021, 5, 1, tzinfo=UTC)
DSC_UNTIL = datetime(2023, 5, 1, tzinfo=UTC)


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def person(family: str = "Musterfrau-Gößinger", given: str = "Gabriele") -> dict[str, object]:
    return {
        "fn": family,
        "fnt": family.upper().replace("-", "<").replace("ß", "SS").replace("ö", "OE"),
        "gn": given,
        "gnt": given.upper(),
    }


def vaccination(
    dn: int = 2, sd: int = 2, dt: str = "2021-08-15", mp: str = "EU/1/20/1528"
) -> dict[str, object]:
    return {
        "tg": "840539006",
        "vp": "1119349007",
        "mp": mp,
        "ma": "ORG-100030215",
        "dn": dn,
        "sd": sd,
        "dt": dt,
        "co": "AT",
        "is": "Ministry of Health, Austria",
        "ci": "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B",
    }


def lab_entry(sc: datetime, tr: str = "260415000") -> dict[str, object]:
    return {
        "tg": "840539006",
        "tt": "LP217198-3",
        "ma": "1232",
        "sc": sc.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tr": tr,
        "tc": "Test centre",
        "co": "DE",
        "is": "Robert Koch-Institut",
        "ci": "URN:UVCI:01DE/IBMT102/18Q12HTUJ7NW4PLDDDU6RLQZ8#T",
    }


def recovery_entry(fr: str, df: str, du: str) -> dict[str, object]:
    return {
        "tg": "840539006",
        "fr": fr,
        "df": df,
        "du": du,
        "co": "FR",
        "is": "Ministère de la santé",
        "ci": "URN:UVCI:01:FR:W7V2BE46QSBJ#L",
    }


def dcc_body(**groups: list[dict[str, object]]) -> dict[str, object]:
    body: dict[str, object] = {"ver": "1.3.0", "nam": person(), "dob": "1998-02-26"}
    body.update(groups or {"v": [vaccination()]})
    return body


def dcc_claims(
    body: dict[str, object] | None = None,
    *,
    iat: datetime = datetime(2021, 9, 1, tzinfo=UTC),
    exp: datetime = datetime(2022, 9, 1, tzinfo=UTC),
    iss: str | None = "AT",
) -> dict[object, object]:
    claims: dict[object, object] = {
        dcc.IAT: epoch(iat),
        dcc.EXP: epoch(exp),
        dcc.HCERT: {dcc.EU_DCC_V1: body if body is not None else dcc_body()},
    }
    if iss is not None:
        claims[dcc.ISS] = iss
    return claims


@dataclass(frozen=True)
class DscIssuer:
    """A DCC signing key and its certificate (DSC)."""

    key: SigningKey
    der: bytes
    trusted: IssuerKey

    @property
    def kid(self) -> bytes:
        return self.trusted.kid

    def sign(
        self,
        claims: object,
        *,
        protected: dict[object, object] | None = None,
        unprotected: dict[object, object] | None = None,
        tag: str = "18",
    ) -> str:
        """``HC1:`` text of any claims with a real signature; ``tag``: 18, 61 or none."""
        header = protected
        if header is None:
            header = {
                cose.HEADER_ALG: cose.ALGORITHM_IDS[self.key.algorithm],
                cose.HEADER_KID: self.kid,
            }
        payload = cbor.dumps(claims)
        protected_bytes = cbor.dumps(header)
        signature = self.key.sign(cose.sig_structure(protected_bytes, payload))
        message: object = [protected_bytes, unprotected or {}, payload, signature]
        if tag in ("18", "61"):
            message = cbor.CborTag(cose.TAG_SIGN1, message)
        if tag == "61":
            message = cbor.CborTag(cose.TAG_CWT, message)
        return dcc.wrap(cbor.dumps(message))

    def issue(self, body: dict[str, object] | None = None, **kwargs: object) -> str:
        return self.sign(dcc_claims(body, **kwargs))  # type: ignore[arg-type]


def make_dsc(
    algorithm: Algorithm = Algorithm.ES256,
    *,
    kinds: Iterable[CardKind] | None = None,
    not_before: datetime = DSC_FROM,
    not_after: datetime = DSC_UNTIL,
    extra_usage: Iterable[str] = (),
) -> DscIssuer:
    key = SigningKey.generate(algorithm)
    der = certificates.make_certificate(
        key,
        subject="DSC test",
        country="AT",
        kinds=kinds,
        not_before=not_before,
        not_after=not_after,
        extra_usage=extra_usage,
    )
    return DscIssuer(key, der, certificates.dsc_issuer_key(certificates.parse_certificate(der)))


# --- SMART Health Cards ----------------------------------------------------------------------


def patient(
    family: str = "Anyperson", given: tuple[str, ...] = ("John", "B.")
) -> dict[str, object]:
    return {
        "resourceType": "Patient",
        "name": [{"family": family, "given": list(given)}],
        "birthDate": "1951-01-20",
    }


def immunization(day: str, cvx: str = "207", status: str = "completed") -> dict[str, object]:
    return {
        "resourceType": "Immunization",
        "status": status,
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": cvx}]},
        "patient": {"reference": "resource:0"},
        "occurrenceDateTime": day,
    }


def observation(when: str, loinc: str = "94558-4", result: str = "260385009") -> dict[str, object]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": "resource:0"},
        "effectiveDateTime": when,
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": result}]},
    }


def shc_payload(
    resources: list[dict[str, object]] | None = None,
    *,
    nbf: float = epoch(datetime(2021, 9, 2, tzinfo=UTC)),
    exp: float | None = None,
    rid: str | None = None,
    iss: str = SHC_ISSUER,
) -> dict[str, object]:
    if resources is None:
        resources = [patient(), immunization("2021-07-01"), immunization("2021-07-29")]
    vc: dict[str, object] = {
        "type": ["https://smarthealth.cards#health-card"],
        "credentialSubject": {
            "fhirVersion": "4.0.1",
            "fhirBundle": {
                "resourceType": "Bundle",
                "type": "collection",
                "entry": [
                    {"fullUrl": f"resource:{i}", "resource": r} for i, r in enumerate(resources)
                ],
            },
        },
    }
    if rid is not None:
        vc["rid"] = rid
    payload: dict[str, object] = {"iss": iss, "nbf": nbf, "vc": vc}
    if exp is not None:
        payload["exp"] = exp
    return payload


@dataclass(frozen=True)
class ShcIssuer:
    key: SigningKey
    jwk: dict[str, str]
    trusted: IssuerKey

    @property
    def kid(self) -> str:
        return self.jwk["kid"]

    def jws(self, payload: dict[str, object] | None = None) -> str:
        return shc.encode_jws(payload or shc_payload(), self.kid, self.key.sign)

    def issue(self, payload: dict[str, object] | None = None, chunks: int = 1) -> str:
        return "\n".join(shc.qr_texts(self.jws(payload), chunks))


def make_shc_issuer(issuer: str | None = SHC_ISSUER) -> ShcIssuer:
    key = SigningKey.generate(Algorithm.ES256)
    jwk = jwks.public_jwk(key.public)
    trusted = jwks.issuer_keys_from_jwks({"keys": [jwk]}, issuer=issuer)[0]
    return ShcIssuer(key, jwk, trusted)


@dataclass(frozen=True)
class Visitors:
    dsc: DscIssuer
    rsa_dsc: DscIssuer
    lab_dsc: DscIssuer
    shc: ShcIssuer
    revoked: RevocationList = field(default_factory=RevocationList)

    def context(
        self, venue: str | None = None, revoked: RevocationList | None = None
    ) -> pipeline.Context:
        trust = TrustStore(
            [self.dsc.trusted, self.rsa_dsc.trusted, self.lab_dsc.trusted, self.shc.trusted]
        )
        venues = categories_from_json(venues_document())
        return pipeline.Context(
            trust,
            RuleBook.from_json(rules_document()),
            revoked or self.revoked,
            venues[venue] if venue else None,
            venues,
        )


def make_visitors() -> Visitors:
    return Visitors(
        dsc=make_dsc(Algorithm.ES256),
        rsa_dsc=make_dsc(Algorithm.PS256),
        lab_dsc=make_dsc(Algorithm.ES256, kinds={CardKind.TEST}),
        shc=make_shc_issuer(),
    )
