"""Golden HCM1 vectors (tests/vectors/hcm1.json): fixed bytes, expected decisions.

The vectors were signed once with throwaway keys (tests/vectors/make_hcm1_vectors.py);
they pin the wire format: if encoding or decoding drifts, these fail.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from kiosk import pipeline
from kiosk.demo import builtin_document
from kiosk.domain import Colour
from kiosk.formats import base45, envelope, hcm1
from kiosk.policy import categories_from_json
from kiosk.rules.ruleset import RuleBook
from kiosk.verify.keys import PublicKey
from kiosk.verify.truststore import IssuerKey, TrustStore

VECTORS = json.loads((Path(__file__).parents[1] / "vectors" / "hcm1.json").read_text("utf-8"))
RULES = RuleBook.from_json(builtin_document("rules.json"))
VENUES = categories_from_json(builtin_document("venues.json"))


def _key(vector: dict[str, object]) -> PublicKey:
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    return PublicKey.from_key(load_pem_public_key(str(vector["public_key_pem"]).encode()))


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_layers_decode_to_the_recorded_bytes(vector: dict[str, object]) -> None:
    text = str(vector["text"])
    compressed = base45.b45decode(text[len(hcm1.PREFIX) :])
    assert compressed.hex() == vector["compressed_hex"]
    assert envelope.inflate(compressed).hex() == vector["cose_hex"]
    signed = hcm1.open_card(text)
    assert signed.claims.hex() == vector["claims_hex"]
    assert signed.key_id.hex() == vector["kid"] == _key(vector).kid.hex()
    assert signed.algorithm == vector["alg"]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_expected_decisions(vector: dict[str, object]) -> None:
    trust = TrustStore([IssuerKey(_key(vector))])
    expectations = vector["expect"]
    assert isinstance(expectations, list)
    assert expectations
    for expected in expectations:
        venue = VENUES[expected["venue"]] if expected["venue"] else None
        context = pipeline.Context(trust, RULES, venue=venue)
        decision = pipeline.process(
            str(vector["text"]), datetime.fromisoformat(expected["at"]), context
        )
        assert (decision.verdict.value, decision.reason.value) == (
            expected["verdict"],
            expected["reason"],
        ), expected
        assert decision.card is not None
        assert decision.card.card_id == vector["card_id"]
        holder = vector["holder"]
        assert isinstance(holder, dict)
        assert decision.card.holder.name == holder["name"]
        assert decision.card.holder.birth_date == holder["birth_date"]


def test_the_rule_change_of_20_september_is_in_the_vectors() -> None:
    one_dose = next(v for v in VECTORS if v["name"].startswith("one dose"))
    outcomes = {(e["at"][:10], e["venue"]): e["verdict"] for e in one_dose["expect"]}
    assert outcomes[("2021-09-19", None)] == Colour.YELLOW.value
    assert outcomes[("2021-09-21", None)] == Colour.GREEN.value
