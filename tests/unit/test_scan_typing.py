"""A scanner's typing told from a person's, key by key (kiosk.scanner.hardware.ScanTyping)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.scanner.hardware import HOLD_SECONDS, ScanTyping, Typed


def typed(typing: ScanTyping, text: str, start: float, gap: float) -> list[Typed]:
    steps = []
    for i, char in enumerate(text):
        steps.append(typing.key(char, start + i * gap).action)
    return steps


def test_a_card_typed_by_a_scanner_is_a_scan() -> None:
    typing = ScanTyping()
    assert set(typed(typing, "HCM1:NCFOXN%TSMAHO", 0.0, 0.004)) == {Typed.HOLD}
    step = typing.key("\n", 0.1)
    assert step.action is Typed.SCAN
    assert step.payload == b"HCM1:NCFOXN%TSMAHO"
    assert not typing.holding


def test_a_card_prefix_is_a_scan_even_when_typed_slowly() -> None:
    typing = ScanTyping()
    typed(typing, "hc1:6BFOXN", 0.0, 0.05)  # a slow scanner, lower case prefix
    assert typing.key("\n", 1.0).action is Typed.SCAN


def test_a_person_typing_a_pin_gets_the_keys_back() -> None:
    typing = ScanTyping()
    typed(typing, "1234", 0.0, 0.2)
    assert typing.key("\n", 0.8).action is Typed.RELEASE


def test_held_keys_go_on_after_a_pause() -> None:
    typing = ScanTyping()
    typing.key("1", 0.0)
    assert typing.idle(HOLD_SECONDS / 2) is None
    step = typing.idle(HOLD_SECONDS + 0.01)
    assert step is not None
    assert step.action is Typed.RELEASE
    assert not typing.holding


def test_a_fast_burst_without_a_card_prefix_is_a_scan() -> None:
    """A scanner reading a restaurant's menu QR: still a scan (a red "not a Covid card"),
    never text in the field that had focus."""
    typing = ScanTyping()
    typed(typing, "https://example.com/menu", 0.0, 0.003)
    step = typing.key("\n", 0.2)
    assert step.action is Typed.SCAN
    assert step.payload == b"https://example.com/menu"


def test_a_scanner_that_sends_no_enter_is_a_scan_after_the_pause() -> None:
    typing = ScanTyping()
    typed(typing, "HCM1:ABC", 0.0, 0.003)
    step = typing.idle(1.0)
    assert step is not None
    assert step.action is Typed.SCAN


def test_a_lone_enter_is_the_persons() -> None:
    assert ScanTyping().key("\n", 0.0).action is Typed.RELEASE


@given(st.text(alphabet="0123456789", min_size=1, max_size=8), st.floats(0.09, 1.0))
def test_no_pin_typed_by_a_person_is_ever_taken_for_a_scan(pin: str, gap: float) -> None:
    typing = ScanTyping()
    typed(typing, pin, 0.0, gap)
    assert typing.key("\n", len(pin) * gap).action is Typed.RELEASE
