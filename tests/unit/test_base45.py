"""Base45 (RFC 9285): vectors, strictness, and hostile text from QR codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import Base45Error
from kiosk.formats.base45 import b45decode, b45encode

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
DCC = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "dcc"

RFC_9285_EXAMPLES = [
    (b"AB", "BB8"),
    (b"Hello!!", "%69 VD92EX0"),
    (b"base-45", "UJCLQE7W581"),
    (b"ietf!", "QED8WEX0"),
    (b"", ""),
]


@pytest.mark.parametrize(("raw", "text"), RFC_9285_EXAMPLES)
def test_rfc_9285_examples_encode(raw: bytes, text: str) -> None:
    assert b45encode(raw) == text


@pytest.mark.parametrize(("raw", "text"), RFC_9285_EXAMPLES)
def test_rfc_9285_examples_decode_text_and_bytes(raw: bytes, text: str) -> None:
    assert b45decode(text) == raw
    assert b45decode(text.encode("ascii")) == raw


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("FGW", b"\xff\xff"),  # 15 + 16*45 + 32*2025 = 65535, the largest triplet
        ("U5", b"\xff"),  # 30 + 5*45 = 255, the largest final pair
        ("000", b"\x00\x00"),
        ("00", b"\x00"),
    ],
)
def test_decodes_the_largest_and_smallest_groups(text: str, raw: bytes) -> None:
    assert b45decode(text) == raw
    assert b45encode(raw) == text


def test_accepts_bytearray_and_memoryview() -> None:
    assert b45decode(bytearray(b"BB8")) == b"AB"
    assert b45decode(memoryview(b"BB8")) == b"AB"
    assert b45encode(bytearray(b"AB")) == "BB8"


@pytest.mark.parametrize(
    "text",
    [
        "bb8",  # lower case is not in the alphabet
        "BB8\n",
        "BB\x008",
        "BB_",
        "B=8",
        "BB8 BB8\t",
        "\x7f\x7f\x7f",
    ],
)
def test_rejects_invalid_characters(text: str) -> None:
    with pytest.raises(Base45Error, match="invalid character"):
        b45decode(text)


@pytest.mark.parametrize("text", ["BB8é", "ÀÀÀ", "BB8\u2028", "\U0001f600\U0001f600\U0001f600"])
def test_rejects_non_ascii_text(text: str) -> None:
    with pytest.raises(Base45Error, match="non-ASCII"):
        b45decode(text)


@pytest.mark.parametrize("raw", [b"\x80\x80\x80", b"BB\xff", bytes(range(128, 131))])
def test_rejects_non_ascii_bytes(raw: bytes) -> None:
    with pytest.raises(Base45Error, match="invalid character"):
        b45decode(raw)


@pytest.mark.parametrize("text", ["A", "BB8A", "%69 VD92EX"])
def test_rejects_a_dangling_character(text: str) -> None:
    with pytest.raises(Base45Error, match="dangling"):
        b45decode(text)


@pytest.mark.parametrize("text", ["GGW", ":::", "BB8GGW", "GGWBB8", "BB8:::QE"])
def test_rejects_a_triplet_over_65535(text: str) -> None:
    with pytest.raises(Base45Error, match="triplet exceeds 65535"):
        b45decode(text)


@pytest.mark.parametrize("text", ["V5", "::", "BB8::", "BB8ZZ"])
def test_rejects_a_final_pair_over_255(text: str) -> None:
    with pytest.raises(Base45Error, match="pair exceeds 255"):
        b45decode(text)


def test_rejects_an_argument_that_is_not_text_or_bytes() -> None:
    # A programming error, not hostile input: it is not turned into a Base45Error.
    with pytest.raises(TypeError):
        b45decode(45)  # type: ignore[arg-type]


def test_huge_input_decodes_or_fails_cleanly() -> None:
    text = "BB8" * 1_000_000
    assert b45decode(text) == b"AB" * 1_000_000
    with pytest.raises(Base45Error):
        b45decode(text + "GGW")
    with pytest.raises(Base45Error):
        b45decode(text + "a")


@given(st.binary(max_size=2000))
def test_round_trip(raw: bytes) -> None:
    text = b45encode(raw)
    assert set(text) <= set(ALPHABET)
    assert len(text) == 3 * (len(raw) // 2) + 2 * (len(raw) % 2)
    assert b45decode(text) == raw


@given(st.text(alphabet=ALPHABET, max_size=300))
def test_decoding_is_canonical(text: str) -> None:
    # Over the alphabet, text either fails or is exactly what its bytes encode to:
    # there is never a second spelling of the same bytes.
    try:
        raw = b45decode(text)
    except Base45Error:
        return
    assert b45encode(raw) == text


@given(st.text(max_size=300))
def test_arbitrary_text_gives_bytes_or_base45_error(text: str) -> None:
    try:
        result = b45decode(text)
    except Base45Error:
        return
    assert isinstance(result, bytes)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_bytes_or_base45_error(raw: bytes) -> None:
    try:
        result = b45decode(raw)
    except Base45Error:
        return
    assert isinstance(result, bytes)


def _dcc_cases() -> list[tuple[str, str]]:
    cases = []
    for path in sorted(DCC.glob("**/*.json")):
        try:
            case = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(case, dict) and "BASE45" in case and "COMPRESSED" in case:
            cases.append((case["BASE45"], case["COMPRESSED"]))
    return cases


@pytest.mark.skipif(not DCC.is_dir(), reason="no ../shared/conformance/dcc beside the checkout")
def test_eu_dcc_test_data_decodes_to_its_compressed_bytes() -> None:
    cases = _dcc_cases()
    assert len(cases) > 100
    for text, compressed in cases:
        assert b45decode(text) == bytes.fromhex(compressed)
