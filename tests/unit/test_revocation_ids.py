"""Card ids have one canonical form per format, applied on every side (issue 10.1).

A revocation entry is a hash, and a hash knows no spelling: an id listed in upper case,
in ``{braces}`` or without ``URN:UVCI:`` must still revoke the card, and a line that is
no card id must be refused rather than hashed into an entry that revokes nothing.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.errors import TrustError
from kiosk.formats import dcc, hcm1, shc
from kiosk.verify.revocation import RevocationList, canonical_card_id, entry, listed_card_ids

CARD_UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
UVCI = "URN:UVCI:01:AT:10807843F94AEE0EE5093FBC254BD813#B"
SHC_ID = "https://health.example.org/issuer#vwAjHdarZuc"


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        (CARD_UUID.upper(), CARD_UUID),
        ("{" + CARD_UUID + "}", CARD_UUID),
        (CARD_UUID.replace("-", ""), CARD_UUID),
        ("{" + CARD_UUID.replace("-", "").upper() + "}", CARD_UUID),
        ("urn:uuid:" + CARD_UUID, CARD_UUID),
        (f"  {CARD_UUID}\t", CARD_UUID),
        (UVCI.lower(), UVCI),
        ("01:AT:10807843F94AEE0EE5093FBC254BD813#B", UVCI),
        ("01:at:10807843f94aee0ee5093fbc254bd813#b", UVCI),
        ("urn:uvci:01:AT:10807843F94AEE0EE5093FBC254BD813#B", UVCI),
        ("HTTPS://Health.Example.org/issuer#vwAjHdarZuc", SHC_ID),
        ("https://health.example.org/issuer/#vwAjHdarZuc", SHC_ID),
        (
            "https://health.example.org/issuer#" + "AB" * 16,
            "https://health.example.org/issuer#" + "ab" * 16,
        ),
    ],
)
def test_every_spelling_has_one_canonical_form(written: str, canonical: str) -> None:
    assert canonical_card_id(written, strict=True) == canonical
    assert canonical_card_id(written) == canonical
    assert entry(written) == entry(canonical)


def test_a_rid_keeps_its_case() -> None:
    """base64url is case-sensitive: an upper-cased rid is another person's card."""
    assert entry(SHC_ID) != entry(SHC_ID.upper())
    assert canonical_card_id(SHC_ID.upper()).endswith("#VWAJHDARZUC")


def test_the_formats_canonical_forms() -> None:
    assert hcm1.canonical_card_id(CARD_UUID.upper()) == CARD_UUID
    assert dcc.canonical_uvci("01/LU/UCXXWT") == "URN:UVCI:01/LU/UCXXWT"
    assert shc.canonical_card_id("https://i.example#r") == "https://i.example#r"
    with pytest.raises(ValueError, match="not a UUID"):
        hcm1.canonical_card_id("not-a-uuid")


def test_a_list_made_from_other_spellings_revokes_the_cards_as_read() -> None:
    revoked = RevocationList.from_ids(
        ["{" + CARD_UUID.upper() + "}", "01:at:10807843f94aee0ee5093fbc254bd813#b"]
    )
    assert CARD_UUID in revoked  # HCM1 reads the cti as str(uuid.UUID(bytes=...))
    assert revoked.revokes(UVCI, None)  # the card's ci as written
    assert revoked.revokes(UVCI.lower(), None)  # another issuer's spelling of its ci
    assert str(uuid.uuid4()) not in revoked


def test_a_revocation_file_in_other_spellings() -> None:
    text = f"{CARD_UUID.upper()}\n\n  {UVCI.lower()}  \r\n{SHC_ID}\n"
    assert listed_card_ids(text, "revoked.txt") == [CARD_UUID, UVCI, SHC_ID]


@pytest.mark.parametrize(
    "junk",
    [
        "not a card id",
        "5",
        "hello",
        CARD_UUID[:-1],  # a UUID one digit short is no UVCI either
        "URN:UVCI:",
        "ftp://issuer.example#rid",
        "https://issuer.example#" + "r" * 25,  # a rid has at most 24 characters
        "https://issuer.example#r!d",
    ],
)
def test_a_line_that_is_no_card_id_is_refused_by_number(junk: str) -> None:
    with pytest.raises(TrustError) as refused:
        listed_card_ids(f"{CARD_UUID}\n\n{junk}\n", "revoked.txt")
    assert "revoked.txt" in str(refused.value)
    assert "line 3" in str(refused.value)


@given(st.uuids(), st.booleans(), st.booleans(), st.booleans())
def test_any_spelling_of_a_uuid_revokes_it(
    value: uuid.UUID, upper: bool, braces: bool, hyphens: bool
) -> None:
    text = str(value) if hyphens else value.hex
    text = text.upper() if upper else text
    text = "{" + text + "}" if braces else text
    assert listed_card_ids(text, "r") == [str(value)]
    assert str(value) in RevocationList.from_ids([text])


@given(st.text(max_size=80))
def test_the_lenient_form_is_stable(text: str) -> None:
    """Whatever a card's id says, canonicalizing it twice changes nothing more, and
    a strictly accepted line means what the lenient form of it means."""
    once = canonical_card_id(text)
    assert canonical_card_id(once) == once
    try:
        strict = canonical_card_id(text, strict=True)
    except ValueError:
        return
    assert strict == once
