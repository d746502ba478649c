"""Single-thread throughput of the full verification path, side by side.

Full path = pipeline.process: prefix lookup, Base45, zlib, COSE, signature, claims,
key scope, revocation, time checks, CertLogic rules, venue policy, Decision.

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
from kiosk.formats import hcm1
from kiosk.issuing import issue
from kiosk.policy import categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.keys import EDDSA, ES256, SigningKey
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
    trust = TrustStore(IssuerKey(k.public, "VN-HCM", kinds=frozenset(CardKind)) for k in (ed, es))
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
    for context, payloads in ((plain, ed_cards), (plain, es_cards)):
        decision = pipeline.process(payloads[0], NOW, context)
        assert decision.verdict is Colour.GREEN, decision

    fmt = hcm1
    signed_ed = [fmt.open_card(p) for p in ed_cards]
    card0 = fmt.read_claims(signed_ed[0])
    configs: dict[str, Callable[[str], object]] = {
        "full path, Ed25519": lambda p: pipeline.process(p, NOW, plain),
        "full path, ES256": lambda p: pipeline.process(p, NOW, plain),
        f"full path, Ed25519, {len(revoked):,} revoked": lambda p: pipeline.process(p, NOW, heavy),
    }
    inputs = {
        "full path, Ed25519": ed_cards,
        "full path, ES256": es_cards,
        f"full path, Ed25519, {len(revoked):,} revoked": ed_cards,
    }
    stages: dict[str, tuple[Callable[[object], object], list[object]]] = {
        "stage: unwrap (Base45+zlib+COSE)": (fmt.open_card, list(ed_cards)),  # type: ignore[dict-item]
        "stage: Ed25519 signature": (trust.verify, list(signed_ed)),  # type: ignore[dict-item]
        "stage: claims": (fmt.read_claims, list(signed_ed)),  # type: ignore[dict-item]
        "stage: rules (CertLogic)": (lambda c: rules.judge(c, NOW), [card0] * 500),  # type: ignore[arg-type]
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
    print(f"{'configuration':52} {'per second':>12} {'µs each':>9}")
    for name, values in results.items():
        median = statistics.median(values)
        print(f"{name:52} {median:12,.0f} {1e6 / median:9.1f}")


if __name__ == "__main__":
    main()
