"""The app demo's camera rotation: distinct people, each decided as the demo means it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk import pipeline
from kiosk.demo import ENTRANCE_CATEGORY, demo_kit, entrance_cards
from kiosk.demo_env import DemoEnvironment
from kiosk.domain import Reason, Verdict
from kiosk.paths import Paths
from kiosk.trustdata import load_trust


def _paths(tmp_path: Path) -> Paths:
    return Paths(data=tmp_path / "data", config=tmp_path / "config", logs=tmp_path / "logs")


def test_each_entrance_card_gets_the_decision_it_is_meant_to_show(tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    now = datetime.now(UTC)
    data = load_trust(paths, now)

    cards = entrance_cards(demo_kit(paths), now)
    venue = data.venues[ENTRANCE_CATEGORY]
    context = pipeline.Context(data.trust, data.rules, data.revocations, venue, data.venues)
    verdicts = set()
    for card in cards:
        decision = pipeline.process(card.text, now, context)
        assert decision.reason is card.expected, card.label
        assert decision.reason is not Reason.UNKNOWN_KEY
        verdicts.add(decision.verdict)
    assert verdicts == set(Verdict)
    # One card per person: a second sighting in a round would be a re-entry.
    ids = [pipeline.process(c.text, now, context).card for c in cards]
    known = [card.card_id for card in ids if card is not None]
    assert len(known) == len(set(known))
    # The first three people already show every colour (the demo is judged in 30 s).
    first = {pipeline.process(c.text, now, context).verdict for c in cards[:3]}
    assert first == set(Verdict)


def test_the_demo_kiosk_signs_with_the_keys_its_platform_trusts(tmp_path: Path) -> None:
    """The regression behind issue 9: the demo camera made its own keys under the demo
    kiosk's data while the demo platform's bundle trusted the machine's demo keys."""
    paths = _paths(tmp_path)
    kiosk = DemoEnvironment(paths, platform=False).kiosk_paths
    assert kiosk.demo == paths.demo
    assert kiosk.data != paths.data
