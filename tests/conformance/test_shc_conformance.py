"""SMART Health Cards conformance: the four published examples in ../shared/conformance/shc/.

Each example's QR text(s) go through ``pipeline.process`` with the issuer's published
JWKS trusted and its revocation list (CRL) loaded: 00 and 01 are green (01 is signed
by the key with an ``x5c`` chain), 02 is the deprecated three-chunk code and
assembles (a lab report: no Patient, no immunization, so no colour), 03 is red as
revoked (``rid.timestamp`` in the CRL, the card issued before it).
"""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk import pipeline
from kiosk.demo import builtin_document
from kiosk.domain import Reason
from kiosk.formats import shc
from kiosk.rules.ruleset import RuleBook
from kiosk.verify import jwks
from kiosk.verify.revocation import RevocationList
from kiosk.verify.truststore import TrustStore

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared" / "conformance" / "shc"
ISSUER = "https://spec.smarthealth.cards/examples/issuer"
#: After every example's nbf (22 June 2023), before example 03's exp (21 June 2024).
NOW = datetime(2023, 7, 1, 12, 0, tzinfo=UTC)

if not DATA.is_dir():
    _message = f"SMART Health Cards examples not found at {DATA}: check out ../shared"
    if os.environ.get("CI") == "true":
        pytest.fail(_message, pytrace=False)
    pytest.skip(_message, allow_module_level=True)

RULES = RuleBook.from_json(builtin_document("rules.json"))
SIGNED_BEFORE_ADMISSION = (
    Reason.UNSUPPORTED_FORMAT,
    Reason.MALFORMED,
    Reason.UNSUPPORTED_ALGORITHM,
    Reason.UNKNOWN_KEY,
    Reason.BAD_SIGNATURE,
)


def qr_texts(example: str) -> list[str]:
    files = sorted(DATA.glob(f"example-{example}-f-qr-code-numeric-value-*.txt"))
    assert files, example
    return [path.read_text("ascii").strip() for path in files]


def published_jws(example: str) -> str:
    return (DATA / f"example-{example}-d-jws.txt").read_text("ascii").strip()


def trust() -> TrustStore:
    document = json.loads((DATA / "issuer" / ".well-known" / "jwks.json").read_text("utf-8"))
    return TrustStore(jwks.issuer_keys_from_jwks(document))


def revocations() -> RevocationList:
    lists = [
        (json.loads(path.read_text("utf-8")), ISSUER)
        for path in (DATA / "issuer" / ".well-known" / "crl").glob("*.json")
    ]
    return jwks.revocations_from_crls(lists)


@pytest.fixture(scope="module")
def context() -> pipeline.Context:
    return pipeline.Context(trust(), RULES, revocations())


@pytest.mark.parametrize("example", ["00", "01", "02", "03"])
def test_qr_text_spells_the_published_jws(example: str) -> None:
    assert shc.jws_of("\n".join(qr_texts(example))) == published_jws(example)


@pytest.mark.parametrize("example", ["00", "01", "02", "03"])
def test_every_example_verifies_with_the_published_jwks(example: str) -> None:
    signed = shc.open_card("\n".join(qr_texts(example)))
    key = trust().verify(signed)  # raises CardRejected when no key or signature holds
    assert key.kid == signed.key_id
    card = shc.read_claims(signed)
    assert card.issuer == ISSUER
    assert key.refusal(card) is None


@pytest.mark.parametrize("example", ["00", "01"])
def test_vaccinated_examples_are_green(example: str, context: pipeline.Context) -> None:
    decision = pipeline.process(qr_texts(example)[0], NOW, context)
    assert decision.reason is Reason.ADMITTED_GREEN, (decision.reason, decision.detail)
    card = decision.card
    assert card is not None
    assert card.format == "SHC"
    assert card.holder.name == "Anyperson John B."
    assert card.holder.birth_year == 1951
    # CVX 207, 207, 229: two Moderna doses and a bivalent booster, numbered by date.
    assert [(v.dose, v.series, v.on.isoformat()) for v in card.vaccinations] == [
        (1, 2, "2021-01-01"),
        (2, 2, "2021-01-29"),
        (3, 1, "2022-09-05"),
    ]


def test_example_01_key_comes_with_an_x5c_chain_bound_to_the_issuer() -> None:
    signed = shc.open_card(qr_texts("01")[0])
    key = trust().verify(signed)
    assert key.issuer == ISSUER  # from the leaf certificate's subject alternative name


def test_example_03_is_red_as_revoked(context: pipeline.Context) -> None:
    decision = pipeline.process(qr_texts("03")[0], NOW, context)
    assert decision.reason is Reason.REVOKED
    assert decision.card is not None
    assert decision.card.card_id == f"{ISSUER}#vwAjHdarZuc"


def test_example_03_without_the_revocation_list_is_admitted() -> None:
    """The revocation list, not anything else about the card, makes example 03 red."""
    decision = pipeline.process(qr_texts("03")[0], NOW, pipeline.Context(trust(), RULES))
    assert decision.reason is Reason.ADMITTED_GREEN


def test_example_03_issued_after_the_revocation_timestamp_would_stand() -> None:
    """``rid.T`` revokes cards issued before T only: the same person's later card stands."""
    signed = shc.open_card(qr_texts("03")[0])
    card = shc.read_claims(signed)
    assert card.issued_at is not None
    assert revocations().revokes(card.card_id, card.issued_at)
    later = datetime(2023, 6, 23, tzinfo=UTC)  # the CRL's timestamp is 22 June 2023 16:19:25
    assert not revocations().revokes(card.card_id, later)


def test_chunked_example_02_assembles_in_any_order(context: pipeline.Context) -> None:
    chunks = qr_texts("02")
    assert [c.split("/")[1:3] for c in chunks] == [["1", "3"], ["2", "3"], ["3", "3"]]
    rng = random.Random(2)
    for _ in range(6):
        order = rng.sample(chunks, len(chunks))
        assembler = shc.ChunkAssembler()
        outputs = [assembler.add(c.encode(), now=float(i)) for i, c in enumerate(order)]
        assert outputs[:2] == [None, None]
        whole = outputs[2]
        assert whole is not None
        assert shc.jws_of(whole.decode()) == published_jws("02")
        decision = pipeline.process(whole, NOW, context)
        assert decision.reason not in SIGNED_BEFORE_ADMISSION, decision.detail
        # A lab report: the signature holds, but it names no person and no immunization.
        assert decision.reason is Reason.NO_VALID_BASIS
        assert decision.card is not None
        assert decision.card.holder.name == ""


def test_one_chunk_alone_is_red_and_says_why(context: pipeline.Context) -> None:
    decision = pipeline.process(qr_texts("02")[1], NOW, context)
    assert decision.reason is Reason.MALFORMED
    assert "1 of 3 chunks" in decision.detail
