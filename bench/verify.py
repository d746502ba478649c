"""Single-thread throughput of the full verification path, side by side.

Full path = pipeline.process: prefix lookup, Base45, zlib, COSE, signature, claims,
key scope, revocation, time checks, CertLogic rules, venue policy, Decision. The city's
HCM1 cards beside visitors' passes: EU DCCs (``HC1:``, ES256 and PS256 under test DSCs)
and SMART Health Cards (``shc:/``: numeric text, JWS, raw DEFLATE, JSON, FHIR).

Run: .venv/bin/python bench/verify.py [--seconds S] [--rounds R]
Prints cards/s (median of the rounds) per configuration, plus the cost of each stage.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime

from kiosk import pipeline
from kiosk.demo import builtin_document
from kiosk.domain import Card, CardKind, Colour, Holder, Vaccination
from kiosk.formats import cbor, cose, dcc, hcm1, shc
from kiosk.issuing import issue
from kiosk.policy import categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify import certificates, jwks
from kiosk.verify.keys import EDDSA, ES256, PS256, SigningKey
from kiosk.verify.revocation import ENTRY_BYTES, RevocationList
from kiosk.verify.truststore import IssuerKey, TrustStore

NOW = datetime(2021, 10, 1, 3, 0, tzinfo=UTC)


def cards(key: SigningKey, count: int) -> list[str]:
    base = Card(
        format=hcm1.NAME,
        card_id="",
        issuer="VN-HCM",
        key_id=b"",
        issued_at=datetime(2021, 9, 1, tzinfo=UTC),
        not_before=None,
        expires_at=datetime(2022, 9, 1, tzinfo=UTC),
        holder=Holder("Nguyễn Thị Minh Khai", "1987-05-12", "4821"),
        issued_colour=Colour.GREEN,
        vaccinations=(
            Vaccination("EU/1/21/1529", 1, 2, date(2021, 7, 1)),
            Vaccination("EU/1/21/1529", 2, 2, date(2021, 8, 15)),
        ),
    )
    return [issue(replace(base, card_id=str(uuid.uuid4())), key) for _ in range(count)]


def dcc_passes(key: SigningKey, count: int) -> tuple[IssuerKey, list[str]]:
    """Two-dose EU DCCs under a test DSC, each with its own certificate identifier."""
    dsc = certificates.make_certificate(
        key, kinds=[CardKind.VACCINATION], not_before=datetime(2021, 1, 1, tzinfo=UTC)
    )
    trusted = certificates.dsc_issuer_key(certificates.parse_certificate(dsc))
    header: dict[object, object] = {
        cose.HEADER_ALG: cose.ALGORITHM_IDS[key.algorithm],
        cose.HEADER_KID: trusted.kid,
    }
    texts = []
    for _ in range(count):
        entry = {
            "tg": "840539006",
            "vp": "1119349007",
            "mp": "EU/1/20/1528",
            "ma": "ORG-100030215",
            "dn": 2,
            "sd": 2,
            "dt": "2021-08-15",
            "co": "AT",
            "is": "Ministry of Health, Austria",
            "ci": f"URN:UVCI:01:AT:{uuid.uuid4().hex.upper()}#B",
        }
        body = {
            "ver": "1.3.0",
            "nam": {"fn": "Musterfrau", "fnt": "MUSTERFRAU", "gn": "Gabriele", "gnt": "GABRIELE"},
            "dob": "1998-02-26",
            "v": [entry],
        }
        claims = {1: "AT", 4: 1662000000, 6: 1630454400, -260: {1: body}}
        texts.append(dcc.wrap(cose.encode_sign1(cbor.dumps(claims), header, key.sign)))
    return trusted, texts


def shc_passes(key: SigningKey, count: int) -> tuple[IssuerKey, list[str]]:
    """SMART Health Cards: a Patient and two Moderna doses, each card with its own rid."""
    jwk = jwks.public_jwk(key.public)
    (trusted,) = jwks.issuer_keys_from_jwks({"keys": [jwk]})
    texts = []
    for n in range(count):
        fhir = [
            {
                "resourceType": "Patient",
                "name": [{"family": "Anyperson", "given": ["John"]}],
                "birthDate": "1951-01-20",
            },
            *(
                {
                    "resourceType": "Immunization",
                    "status": "completed",
                    "vaccineCode": {
                        "coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "207"}]
                    },
                    "patient": {"reference": "resource:0"},
                    "occurrenceDateTime": day,
                }
                for day in ("2021-07-01", "2021-07-29")
            ),
        ]
        payload: dict[str, object] = {
            "iss": "https://health.example.org/issuer",
            "nbf": 1630454400,
            "vc": {
                "type": ["https://smarthealth.cards#health-card"],
                "credentialSubject": {
                    "fhirVersion": "4.0.1",
                    "fhirBundle": {
                        "resourceType": "Bundle",
                        "type": "collection",
                        "entry": [
                            {"fullUrl": f"resource:{i}", "resource": r} for i, r in enumerate(fhir)
                        ],
                    },
                },
                "rid": f"r{n:010d}",
            },
        }
        texts.append(shc.qr_texts(shc.encode_jws(payload, jwk["kid"], key.sign))[0])
    return trusted, texts


def rate(work: Callable[[str], object], payloads: list[str], seconds: float) -> float:
    done = 0
    start = time.perf_counter()
    deadline = start + seconds
    while time.perf_counter() < deadline:
        for payload in payloads[:500]:
            work(payload)
        done += min(len(payloads), 500)
        payloads = payloads[500:] + payloads[:500]
    return done / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--revoked", type=int, default=1_000_000)
    args = parser.parse_args()

    ed, es = SigningKey.generate(EDDSA), SigningKey.generate(ES256)
    city = [IssuerKey(k.public, "VN-HCM", kinds=frozenset(CardKind)) for k in (ed, es)]
    dsc_es, dcc_es = dcc_passes(SigningKey.generate(ES256), 2000)
    dsc_ps, dcc_ps = dcc_passes(SigningKey.generate(PS256), 2000)
    shc_key, shc_cards = shc_passes(SigningKey.generate(ES256), 2000)
    trust = TrustStore([*city, dsc_es, dsc_ps, shc_key])
    rules = RuleBook.from_json(builtin_document("rules.json"))
    venues = categories_from_json(builtin_document("venues.json"))
    venue = venues["dine-in"]
    block = b"".join(sorted({os.urandom(ENTRY_BYTES) for _ in range(args.revoked)}))
    t0 = time.perf_counter()
    revoked = RevocationList(block)
    load_s = time.perf_counter() - t0

    plain = pipeline.Context(trust, rules, RevocationList(), venue)
    heavy = pipeline.Context(trust, rules, revoked, venue)
    ed_cards, es_cards = cards(ed, 2000), cards(es, 2000)
    for payloads in (ed_cards, es_cards, dcc_es, dcc_ps, shc_cards):
        decision = pipeline.process(payloads[0], NOW, plain)
        assert decision.verdict is Colour.GREEN, decision

    fmt = hcm1
    signed_ed = [fmt.open_card(p) for p in ed_cards]
    card0 = fmt.read_claims(signed_ed[0])

    def full(p: str) -> object:
        return pipeline.process(p, NOW, plain)

    configs: dict[str, Callable[[str], object]] = {
        "full path, HCM1 Ed25519": full,
        "full path, HCM1 ES256": full,
        f"full path, HCM1 Ed25519, {len(revoked):,} revoked": lambda p: pipeline.process(
            p, NOW, heavy
        ),
        "full path, EU DCC (HC1) ES256": full,
        "full path, EU DCC (HC1) PS256": full,
        "full path, SMART Health Card ES256": full,
    }
    inputs = {
        "full path, HCM1 Ed25519": ed_cards,
        "full path, HCM1 ES256": es_cards,
        f"full path, HCM1 Ed25519, {len(revoked):,} revoked": ed_cards,
        "full path, EU DCC (HC1) ES256": dcc_es,
        "full path, EU DCC (HC1) PS256": dcc_ps,
        "full path, SMART Health Card ES256": shc_cards,
    }
    signed_dcc = [dcc.open_card(p) for p in dcc_es]
    signed_ps = [dcc.open_card(p) for p in dcc_ps]
    signed_shc = [shc.open_card(p) for p in shc_cards]
    stages: dict[str, tuple[Callable[[object], object], list[object]]] = {
        "stage: unwrap HCM1 (Base45+zlib+COSE)": (fmt.open_card, list(ed_cards)),  # type: ignore[dict-item]
        "stage: Ed25519 signature": (trust.verify, list(signed_ed)),  # type: ignore[dict-item]
        "stage: HCM1 claims": (fmt.read_claims, list(signed_ed)),  # type: ignore[dict-item]
        "stage: rules (CertLogic)": (lambda c: rules.judge(c, NOW), [card0] * 500),  # type: ignore[arg-type]
        "stage: unwrap HC1 (Base45+zlib+COSE)": (dcc.open_card, list(dcc_es)),  # type: ignore[dict-item]
        "stage: HC1 claims": (dcc.read_claims, list(signed_dcc)),  # type: ignore[dict-item]
        "stage: PS256 signature (RSA 2048)": (trust.verify, list(signed_ps)),  # type: ignore[dict-item]
        "stage: unwrap SHC (digits+JWS)": (shc.open_card, list(shc_cards)),  # type: ignore[dict-item]
        "stage: SHC claims (DEFLATE+JSON+FHIR)": (shc.read_claims, list(signed_shc)),  # type: ignore[dict-item]
        f"stage: revocation lookup ({len(revoked):,})": (
            lambda c: c in revoked,
            [str(uuid.uuid4()) for _ in range(500)],
        ),
    }
    results: dict[str, list[float]] = {name: [] for name in [*configs, *stages]}
    for _ in range(args.rounds):  # interleaved rounds: the machine is shared and noisy
        for name, work in configs.items():
            results[name].append(rate(work, inputs[name], args.seconds))
        for name, (fn, items) in stages.items():
            results[name].append(rate(fn, items, args.seconds / 2))  # type: ignore[arg-type]

    print(f"# bench/verify.py: median of {args.rounds} interleaved rounds, one thread")
    size_mb = len(block) / 1e6
    print(f"# revocation list of {len(revoked):,} ids: {size_mb:.0f} MB, loaded in {load_s:.2f} s")
    print(f"{'configuration':56} {'per second':>12} {'µs each':>9}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:56} {median:12,.0f} {1e6 / median:9.1f}")


if __name__ == "__main__":
    main()
