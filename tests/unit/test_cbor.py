"""CBOR (RFC 8949): Appendix A vectors, deterministic encoding, cbor2 cross-checks and
hostile input from QR codes."""

from __future__ import annotations

import json
import math
import tracemalloc
from pathlib import Path

import cbor2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import CborError
from kiosk.formats.cbor import CborTag, dumps, loads

DCC = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "dcc"
ALL_TAGS = frozenset(range(100_000))

# RFC 8949 Appendix A, the items whose encoding there is also the deterministic one:
# they must decode to the value and the value must encode back to the same bytes.
APPENDIX_A_DETERMINISTIC: list[tuple[str, object]] = [
    ("00", 0),
    ("01", 1),
    ("0a", 10),
    ("17", 23),
    ("1818", 24),
    ("1819", 25),
    ("1864", 100),
    ("1903e8", 1000),
    ("1a000f4240", 1000000),
    ("1b000000e8d4a51000", 1000000000000),
    ("1bffffffffffffffff", 18446744073709551615),
    ("3bffffffffffffffff", -18446744073709551616),
    ("20", -1),
    ("29", -10),
    ("3863", -100),
    ("3903e7", -1000),
    ("f90000", 0.0),
    ("f98000", -0.0),
    ("f93c00", 1.0),
    ("fb3ff199999999999a", 1.1),
    ("f93e00", 1.5),
    ("f97bff", 65504.0),
    ("fa47c35000", 100000.0),
    ("fa7f7fffff", 3.4028234663852886e38),
    ("fb7e37e43c8800759c", 1.0e300),
    ("f90001", 5.960464477539063e-8),
    ("f90400", 0.00006103515625),
    ("f9c400", -4.0),
    ("fbc010666666666666", -4.1),
    ("f97c00", math.inf),
    ("f9fc00", -math.inf),
    ("f4", False),
    ("f5", True),
    ("f6", None),
    ("40", b""),
    ("4401020304", b"\x01\x02\x03\x04"),
    ("60", ""),
    ("6161", "a"),
    ("6449455446", "IETF"),
    ("62225c", '"\\'),
    ("62c3bc", "\u00fc"),
    ("63e6b0b4", "\u6c34"),
    ("64f0908591", "\U00010151"),
    ("80", []),
    ("83010203", [1, 2, 3]),
    ("8301820203820405", [1, [2, 3], [4, 5]]),
    (
        "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
        list(range(1, 26)),
    ),
    ("a0", {}),
    ("a201020304", {1: 2, 3: 4}),
    ("a26161016162820203", {"a": 1, "b": [2, 3]}),
    ("826161a161626163", ["a", {"b": "c"}]),
    (
        "a56161614161626142616361436164614461656145",
        {"a": "A", "b": "B", "c": "C", "d": "D", "e": "E"},
    ),
]

APPENDIX_A_TAGGED: list[tuple[str, object]] = [
    ("c074323031332d30332d32315432303a30343a30305a", CborTag(0, "2013-03-21T20:04:00Z")),
    ("c11a514b67b0", CborTag(1, 1363896240)),
    ("c1fb41d452d9ec200000", CborTag(1, 1363896240.5)),
    ("d74401020304", CborTag(23, b"\x01\x02\x03\x04")),
    ("d818456449455446", CborTag(24, b"dIETF")),
    ("d82076687474703a2f2f7777772e6578616d706c652e636f6d", CborTag(32, "http://www.example.com")),
    ("c249010000000000000000", CborTag(2, bytes.fromhex("010000000000000000"))),
    ("c349010000000000000000", CborTag(3, bytes.fromhex("010000000000000000"))),
]

# Appendix A items that use indefinite lengths: valid CBOR that we refuse on purpose.
APPENDIX_A_INDEFINITE = [
    "5f42010243030405ff",
    "7f657374726561646d696e67ff",
    "9fff",
    "9f018202039f0405ffff",
    "9f01820203820405ff",
    "83018202039f0405ff",
    "83019f0203ff820405",
    "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
    "bf61610161629f0203ffff",
    "826161bf61626163ff",
    "bf6346756ef563416d7421ff",
]


# -- Appendix A ---------------------------------------------------------------------


@pytest.mark.parametrize(("hex_", "value"), APPENDIX_A_DETERMINISTIC)
def test_appendix_a_decodes(hex_: str, value: object) -> None:
    decoded = loads(bytes.fromhex(hex_))
    assert decoded == value
    assert type(decoded) is type(value)


@pytest.mark.parametrize(("hex_", "value"), APPENDIX_A_DETERMINISTIC)
def test_appendix_a_encodes_deterministically(hex_: str, value: object) -> None:
    assert dumps(value).hex() == hex_


@pytest.mark.parametrize(("hex_", "value"), APPENDIX_A_TAGGED)
def test_appendix_a_tags_decode_when_allowed(hex_: str, value: CborTag) -> None:
    assert loads(bytes.fromhex(hex_), allowed_tags=frozenset({value.tag})) == value
    assert dumps(value).hex() == hex_


@pytest.mark.parametrize(("hex_", "value"), APPENDIX_A_TAGGED)
def test_appendix_a_tags_are_refused_by_default(hex_: str, value: CborTag) -> None:
    with pytest.raises(CborError, match=f"tag {value.tag} is not accepted"):
        loads(bytes.fromhex(hex_))
    with pytest.raises(CborError, match="not accepted"):
        loads(bytes.fromhex(hex_), allowed_tags=frozenset({18, 61}))


@pytest.mark.parametrize(
    ("hex_", "value"),
    [
        ("fa7f800000", math.inf),
        ("faff800000", -math.inf),
        ("fb7ff0000000000000", math.inf),
        ("fbfff0000000000000", -math.inf),
    ],
)
def test_appendix_a_longer_floats_decode(hex_: str, value: float) -> None:
    assert loads(bytes.fromhex(hex_)) == value


@pytest.mark.parametrize("hex_", ["f97e00", "fa7fc00000", "fb7ff8000000000000"])
def test_nan_decodes_and_encodes_as_half(hex_: str) -> None:
    decoded = loads(bytes.fromhex(hex_))
    assert isinstance(decoded, float)
    assert math.isnan(decoded)
    assert dumps(decoded).hex() == "f97e00"


@pytest.mark.parametrize("hex_", APPENDIX_A_INDEFINITE)
def test_appendix_a_indefinite_lengths_are_refused(hex_: str) -> None:
    with pytest.raises(CborError, match="indefinite"):
        loads(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    ("hex_", "value"),
    [("1800", 0), ("190001", 1), ("1a00000017", 23), ("5800", b""), ("9800", [])],
)
def test_non_preferred_heads_decode(hex_: str, value: object) -> None:
    # Signatures cover the exact bytes, so the decoder need not insist on shortest heads.
    assert loads(bytes.fromhex(hex_)) == value


# -- dumps ----------------------------------------------------------------------------


def test_map_keys_sort_by_their_encoded_bytes() -> None:
    value = {"a": 0, b"a": 0, -1: 0, 100: 0, 24: 0, 1: 0}
    # 01 < 1818 < 1864 < 20 < 4161 < 6161 (bytewise, not length-first)
    assert dumps(value).hex() == "a6" + "0100" + "181800" + "186400" + "2000" + "416100" + "616100"


def test_dumps_other_values() -> None:
    assert dumps((1, 2)) == dumps([1, 2])
    assert dumps(True) == b"\xf5"
    assert dumps([False, True]) == b"\x82\xf4\xf5"
    assert dumps(bytearray(b"ab")) == b"\x42ab"
    assert dumps(CborTag(18, [b"", {}, None, b""])).hex() == "d28440a0f640"
    assert dumps(65505.0).hex() == "fa477fe100"  # just past the largest half float


def test_dumps_refuses_what_it_cannot_encode() -> None:
    with pytest.raises(ValueError, match="64-bit"):
        dumps(2**64)
    with pytest.raises(ValueError, match="64-bit"):
        dumps(-(2**64) - 1)
    with pytest.raises(TypeError):
        dumps({1, 2})
    with pytest.raises(TypeError):
        dumps([object()])


# -- round trips and cross-checks -----------------------------------------------------

INTS = st.integers(min_value=-(2**64), max_value=2**64 - 1)
KEYS = INTS | st.text(max_size=8) | st.binary(max_size=8)
SCALARS = (
    st.none()
    | st.booleans()
    | INTS
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.binary(max_size=70)
)


def values(tags: st.SearchStrategy[int]) -> st.SearchStrategy[object]:
    return st.recursive(
        SCALARS,
        lambda children: (
            st.lists(children, max_size=5)
            | st.dictionaries(KEYS, children, max_size=5)
            | st.builds(CborTag, tags, children)
        ),
        max_leaves=30,
    )


ANY_TAG = st.integers(min_value=0, max_value=2**64 - 1)
# Tag numbers cbor2 leaves alone (it gives semantic meaning to 0-5, 25-37, 258, ...).
PLAIN_TAGS = st.sampled_from([18, 61, 1000, 40000])


def allowed(value: object) -> frozenset[int]:
    """The tag numbers used anywhere in ``value``."""
    found: set[int] = set()
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, CborTag):
            found.add(item.tag)
            todo.append(item.value)
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            todo.extend(item.values())
    return frozenset(found)


def from_cbor2(value: object) -> object:
    """cbor2's decoded value in our shapes (it makes tag contents immutable)."""
    if isinstance(value, cbor2.CBORTag):
        return CborTag(value.tag, from_cbor2(value.value))
    if isinstance(value, (list, tuple)):
        return [from_cbor2(item) for item in value]
    if isinstance(value, (dict, cbor2.frozendict)):
        return {key: from_cbor2(item) for key, item in value.items()}
    return value


def to_cbor2(value: object) -> object:
    if isinstance(value, CborTag):
        return cbor2.CBORTag(value.tag, to_cbor2(value.value))
    if isinstance(value, list):
        return [to_cbor2(item) for item in value]
    if isinstance(value, dict):
        return {key: to_cbor2(item) for key, item in value.items()}
    return value


@given(values(ANY_TAG))
def test_round_trip(value: object) -> None:
    encoded = dumps(value)
    decoded = loads(encoded, max_depth=64, allowed_tags=allowed(value))
    assert decoded == value
    assert dumps(decoded) == encoded  # also tells -0.0 from 0.0 and True from 1


@given(values(PLAIN_TAGS))
def test_cbor2_decodes_what_we_encode(value: object) -> None:
    assert from_cbor2(cbor2.loads(dumps(value))) == value


@given(values(PLAIN_TAGS))
def test_we_decode_what_cbor2_encodes(value: object) -> None:
    encoded = cbor2.dumps(to_cbor2(value))
    assert loads(encoded, max_depth=64, allowed_tags=allowed(value)) == value


@given(values(PLAIN_TAGS))
def test_our_encoding_matches_cbor2_preferred_serialization(value: object) -> None:
    # cbor2's canonical mode sorts map keys length-first (RFC 7049), which differs from
    # RFC 8949 bytewise order, so compare only values whose maps have at most one key.
    if _has_multi_key_map(value):
        return
    assert dumps(value) == cbor2.dumps(to_cbor2(value), canonical=True)


def _has_multi_key_map(value: object) -> bool:
    if isinstance(value, CborTag):
        return _has_multi_key_map(value.value)
    if isinstance(value, list):
        return any(_has_multi_key_map(item) for item in value)
    if isinstance(value, dict):
        return len(value) > 1 or any(_has_multi_key_map(item) for item in value.values())
    return False


# -- hostile input --------------------------------------------------------------------


def test_input_may_be_any_bytes_like() -> None:
    assert loads(bytearray(b"\x82\x01\x02")) == [1, 2]
    assert loads(memoryview(b"\x82\x01\x02")) == [1, 2]


def test_an_argument_that_is_not_bytes_like_is_a_type_error() -> None:
    # A programming error, not hostile input: it is not turned into a CborError.
    with pytest.raises(TypeError):
        loads("a0")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "prefix",
    [b"\x81", b"\xa1\x00", b"\xc6"],
    ids=["arrays", "maps", "tags"],
)
def test_100_000_deep_nesting_fails_at_the_depth_limit(prefix: bytes) -> None:
    with pytest.raises(CborError, match="depth"):
        loads(prefix * 100_000 + b"\x00", allowed_tags=frozenset({6}))


def test_depth_limit_boundary() -> None:
    assert loads(b"\x81" * 16 + b"\x00") is not None  # 16 levels
    assert loads(b"\x81" * 15 + b"\x80") is not None  # an empty array is a level too
    with pytest.raises(CborError, match="depth"):
        loads(b"\x81" * 16 + b"\x80")
    with pytest.raises(CborError, match="depth"):
        loads(b"\x81" * 17 + b"\x00")
    with pytest.raises(CborError, match="depth"):
        loads(b"\x81\x81\x00", max_depth=1)
    with pytest.raises(CborError, match="depth"):
        loads(b"\xd2\x81\x00", max_depth=1, allowed_tags=frozenset({18}))
    with pytest.raises(CborError, match="depth"):
        loads(b"\x80", max_depth=0)
    assert loads(b"\x00", max_depth=0) == 0


def test_deep_nesting_within_a_raised_limit_needs_no_recursion() -> None:
    depth = 100_000
    value = loads(b"\x81" * depth + b"\x00", max_depth=depth, max_items=depth + 1)
    for _ in range(depth):
        assert isinstance(value, list)
        assert len(value) == 1
        value = value[0]
    assert value == 0


@pytest.mark.parametrize("initial", [0x5B, 0x7B, 0x9B, 0xBB], ids=["bytes", "text", "array", "map"])
@pytest.mark.parametrize("claim", [2**64 - 1, 2**63, 2**32])
def test_a_huge_claimed_length_fails_without_allocating(initial: int, claim: int) -> None:
    data = bytes([initial]) + claim.to_bytes(8, "big") + b"\x00" * 1000
    tracemalloc.start()
    try:
        with pytest.raises(CborError, match="longer than the input"):
            loads(data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 1024


@pytest.mark.parametrize(
    "hex_",
    [
        "5a00010000" + "00" * 100,
        "7a00010000",
        "9a00010000" + "00" * 100,
        "ba00008000" + "00" * 65535,
    ],
)
def test_a_length_just_past_the_input_is_refused(hex_: str) -> None:
    with pytest.raises(CborError, match="longer than the input"):
        loads(bytes.fromhex(hex_))


def test_item_limit() -> None:
    assert loads(dumps([0] * 9_999)) == [0] * 9_999  # 10,000 items with the array
    with pytest.raises(CborError, match="too many"):
        loads(dumps([0] * 10_000))
    pairs = dict.fromkeys(range(4_999), 0)
    assert loads(dumps(pairs)) == pairs  # 1 + 2 * 4,999 items
    with pytest.raises(CborError, match="too many"):
        loads(dumps(dict.fromkeys(range(5_000), 0)))
    with pytest.raises(CborError, match="too many"):
        loads(dumps([[0, 0], [0, 0]]), max_items=6)
    assert loads(dumps([[0, 0], [0, 0]]), max_items=7) == [[0, 0], [0, 0]]
    with pytest.raises(CborError, match="too many"):
        loads(dumps(CborTag(18, 0)), max_items=1, allowed_tags=frozenset({18}))
    with pytest.raises(CborError, match="too many"):
        loads(b"\x00", max_items=0)


def test_size_limit() -> None:
    data = dumps(b"a" * 100)
    assert len(data) == 102
    assert loads(data, max_size=102) == b"a" * 100
    with pytest.raises(CborError, match="exceeds"):
        loads(data, max_size=101)
    with pytest.raises(CborError, match="exceeds"):
        loads(b"\x40" + b"\x00" * (1 << 20))


@pytest.mark.parametrize(
    "hex_",
    [
        "62c328",  # a lead byte followed by a non-continuation byte
        "61ff",
        "6180",  # a lone continuation byte
        "62c080",  # overlong encoding of NUL
        "63eda080",  # UTF-16 surrogate D800
        "64f4908080",  # beyond U+10FFFF
        "a162c32800",  # as a map key
    ],
)
def test_invalid_utf8_is_refused(hex_: str) -> None:
    with pytest.raises(CborError, match="UTF-8"):
        loads(bytes.fromhex(hex_))


@pytest.mark.parametrize(
    "hex_",
    ["a201000100", "a2616100616101", "a2416100416100", "a3010002000100", "a21900010001f6"],
)
def test_duplicate_map_keys_are_refused(hex_: str) -> None:
    with pytest.raises(CborError, match="duplicate"):
        loads(bytes.fromhex(hex_))


def test_equal_looking_keys_of_different_types_are_distinct() -> None:
    assert loads(bytes.fromhex("a2416100616101")) == {b"a": 0, "a": 1}


@pytest.mark.parametrize(
    "hex_",
    ["a1f400", "a1f500", "a1f600", "a18000", "a1a000", "a1f93c0000", "a1c24000"],
    ids=["false", "true", "null", "array", "map", "float", "tag"],
)
def test_map_keys_must_be_int_text_or_bytes(hex_: str) -> None:
    with pytest.raises(CborError, match="map key"):
        loads(bytes.fromhex(hex_), allowed_tags=frozenset({2}))


@pytest.mark.parametrize("hex_", ["0000", "8000", "a0ff", "f6f6", "4000", "d28000"])
def test_trailing_bytes_are_refused(hex_: str) -> None:
    with pytest.raises(CborError, match="trailing"):
        loads(bytes.fromhex(hex_), allowed_tags=frozenset({18}))


@pytest.mark.parametrize("major", range(8))
@pytest.mark.parametrize("info", [28, 29, 30])
def test_reserved_additional_information_is_refused(major: int, info: int) -> None:
    with pytest.raises(CborError, match="reserved"):
        loads(bytes([major << 5 | info]) + b"\x00" * 8)


@pytest.mark.parametrize("major", range(7))
def test_indefinite_length_heads_are_refused(major: int) -> None:
    with pytest.raises(CborError, match="indefinite"):
        loads(bytes([major << 5 | 31, 0xFF]))


def test_a_lone_break_is_refused() -> None:
    with pytest.raises(CborError, match="break"):
        loads(b"\xff")


@pytest.mark.parametrize(
    "data",
    [bytes([0xE0 | n]) for n in range(20)] + [b"\xf8" + bytes([n]) for n in (0, 24, 32, 255)],
)
def test_unassigned_simple_values_are_refused(data: bytes) -> None:
    with pytest.raises(CborError, match="simple value"):
        loads(data)


def test_undefined_is_refused() -> None:
    with pytest.raises(CborError, match="undefined"):
        loads(b"\xf7")


EVERY_HEAD = dumps(
    CborTag(
        18,
        [
            0,
            24,
            256,
            65536,
            2**32,
            2**64 - 1,
            -1,
            -(2**64),
            b"x" * 300,
            "\u00fc" * 100,
            1.5,
            100000.0,
            1.1,
            {1: [True, False, None], "k": {b"b": []}},
        ],
    )
)


def test_truncation_at_every_offset_is_refused() -> None:
    assert loads(EVERY_HEAD, allowed_tags=frozenset({18})) is not None
    for cut in range(len(EVERY_HEAD)):
        with pytest.raises(CborError):
            loads(EVERY_HEAD[:cut], allowed_tags=frozenset({18}))


def test_empty_input_is_refused() -> None:
    with pytest.raises(CborError, match="truncated"):
        loads(b"")


@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_a_value_or_cbor_error(data: bytes) -> None:
    try:
        value = loads(data)
    except CborError:
        return
    _assert_decoded_shape(value)


@given(st.binary(max_size=200))
def test_arbitrary_bytes_with_every_tag_allowed(data: bytes) -> None:
    try:
        value = loads(data, allowed_tags=ALL_TAGS, max_depth=4, max_items=50)
    except CborError:
        return
    _assert_decoded_shape(value)


@given(values(ANY_TAG), st.data())
def test_mutated_encodings_give_a_value_or_cbor_error(value: object, data: st.DataObject) -> None:
    encoded = bytearray(dumps(value))
    position = data.draw(st.integers(0, len(encoded) - 1))
    encoded[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(encoded)))
    try:
        decoded = loads(bytes(encoded[:cut]), allowed_tags=ALL_TAGS)
    except CborError:
        return
    _assert_decoded_shape(decoded)


def _assert_decoded_shape(value: object) -> None:
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, CborTag):
            todo.append(item.value)
        elif isinstance(item, list):
            todo.extend(item)
        elif isinstance(item, dict):
            assert all(type(key) in (int, str, bytes) for key in item)
            todo.extend(item.values())
        else:
            assert item is None or type(item) in (bool, int, float, str, bytes)


# -- real cards -----------------------------------------------------------------------


def _dcc_coses() -> list[bytes]:
    messages = []
    for path in sorted(DCC.glob("**/*.json")):
        try:
            case = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(case, dict) and "COSE" in case:
            messages.append(bytes.fromhex(case["COSE"]))
    return messages


@pytest.mark.skipif(not DCC.is_dir(), reason="no ../shared/conformance/dcc beside the checkout")
def test_eu_dcc_test_cards_decode_like_cbor2() -> None:
    messages = _dcc_coses()
    assert len(messages) > 100
    for cut in range(len(messages[0])):
        with pytest.raises(CborError):
            loads(messages[0][:cut], allowed_tags=frozenset({18}))
    for message in messages:
        sign1 = loads(message, allowed_tags=frozenset({18}))
        assert sign1 == from_cbor2(cbor2.loads(message))
        assert isinstance(sign1, CborTag)
        assert isinstance(sign1.value, list)
        payload = sign1.value[2]
        assert isinstance(payload, bytes)
        try:
            claims = loads(payload)
        except CborError:
            # A few issuers put RFC 3339 date-times (tag 0) into the payload.
            assert loads(payload, allowed_tags=frozenset({0})) is not None
            continue
        assert claims == from_cbor2(cbor2.loads(payload))
