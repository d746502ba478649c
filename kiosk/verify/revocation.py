"""Revoked card ids, kept as one sorted block of fixed-size hashes.

A million revoked ids take 16 MB here (a Python ``set`` of the same would take
about 100 MB) and a lookup is a binary search over a ``bytes`` block: about twenty
16-byte comparisons. See ``docs/design/002-revocation-list.md``.

A few entries may instead revoke only the cards issued before a moment: a SMART Health
Card revocation id is per person, and its issuer's list may say "``rid`` issued before
``T``" (``rid.T``), so later cards of the same person stay valid. Those live in a small
map beside the block.

**One spelling per card id.** A card id may be written in several ways (an HCM1 UUID in
upper case or in ``{braces}``, a UVCI with or without ``URN:UVCI:``), and a hash knows
no spelling: an entry made from one spelling would never meet a card read in another,
and the list would fail open. So every id is made canonical (:func:`canonical_card_id`)
inside :func:`entry`, on every side: making a list, looking a card up, reading an SHC
issuer's list. The forms are in ``docs/trust-bundle.md``. A revocation file written by
people is read strictly (:func:`listed_card_ids`): a line that is no card id of any
format is refused, not hashed into an entry that revokes nothing.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Final

from kiosk.domain import Card
from kiosk.errors import BundleError, TrustError
from kiosk.formats import dcc, hcm1, shc

ENTRY_BYTES: Final = 16
MAX_LISTED_ERRORS: Final = 5


def canonical_card_id(card_id: str, *, strict: bool = False) -> str:
    """The one form of a card id, whichever format's it is, told by its shape: an SHC id
    is ``<URL>#<id>``, an HCM1 id a UUID, anything else a DCC's UVCI (see the formats'
    ``canonical_*`` functions). ``strict``: raise ``ValueError`` for what is none of them."""
    text = card_id.strip()
    if shc.is_card_id(text):
        return shc.canonical_card_id(text, strict=strict)
    if hcm1.is_card_id(text):
        return hcm1.canonical_card_id(text)
    return dcc.canonical_uvci(text, strict=strict)


def entry(card_id: str) -> bytes:
    """The revocation entry of a card id: the first 16 bytes of SHA-256 over the UTF-8 of
    its canonical form (:func:`canonical_card_id`)."""
    canonical = canonical_card_id(card_id)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).digest()[:ENTRY_BYTES]


def listed_card_ids(text: str, source: str) -> list[str]:
    """The card ids of a revocation file (one per line; blank lines are skipped), each in
    its canonical form. A line that is no card id refuses the file with a
    :class:`TrustError` naming the line: it would otherwise revoke nothing."""
    ids: list[str] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ids.append(canonical_card_id(line, strict=True))
        except ValueError as exc:
            errors.append(f"line {number}: {exc}")
    if errors:
        more = len(errors) - MAX_LISTED_ERRORS
        shown = "; ".join(errors[:MAX_LISTED_ERRORS]) + (f"; and {more} more" if more > 0 else "")
        raise TrustError(f"revocation list {source}: not a card id: {shown}")
    return ids


class _Entries:
    """A read-only sequence view of the sorted block, for :mod:`bisect`."""

    __slots__ = ("_block", "_count")

    def __init__(self, block: bytes) -> None:
        self._block = block
        self._count = len(block) // ENTRY_BYTES

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> bytes:
        start = index * ENTRY_BYTES
        return self._block[start : start + ENTRY_BYTES]


class RevocationList:
    __slots__ = ("_block", "_entries", "_issued_before")

    def __init__(
        self, block: bytes = b"", issued_before: Mapping[bytes, datetime] | None = None
    ) -> None:
        """``block``: sorted, distinct 16-byte entries, concatenated (as in a bundle).
        ``issued_before``: entry -> moment; revokes that card id only when issued earlier."""
        if len(block) % ENTRY_BYTES:
            raise BundleError(f"revocation block is not a multiple of {ENTRY_BYTES} bytes")
        self._block = bytes(block)
        self._entries = _Entries(self._block)
        if not _is_sorted_distinct(self._block):
            raise BundleError("revocation block must hold sorted, distinct entries")
        timed = dict(issued_before or {})
        if any(len(key) != ENTRY_BYTES for key in timed):
            raise BundleError(f"timed revocation entries must be {ENTRY_BYTES} bytes")
        if any(moment.tzinfo is None for moment in timed.values()):
            raise BundleError("timed revocations need aware moments")
        self._issued_before = timed

    @classmethod
    def from_ids(
        cls, card_ids: Iterable[str], issued_before: Mapping[str, datetime] | None = None
    ) -> RevocationList:
        timed = {entry(card_id): moment for card_id, moment in (issued_before or {}).items()}
        return cls(b"".join(sorted({entry(card_id) for card_id in card_ids})), timed)

    @property
    def block(self) -> bytes:
        return self._block

    @property
    def issued_before(self) -> Mapping[bytes, datetime]:
        return dict(self._issued_before)

    def __len__(self) -> int:
        return len(self._entries) + len(self._issued_before)

    def __contains__(self, card_id: object) -> bool:
        """``card_id`` is revoked whenever it was issued (timed entries do not count)."""
        if not isinstance(card_id, str):
            return False
        wanted = entry(card_id)
        i = bisect.bisect_left(self._entries, wanted)
        return i < len(self._entries) and self._entries[i] == wanted

    def revokes_card(self, card: Card) -> bool:
        """Whether ``card`` is revoked under any id it goes by (an EU DCC with several
        entries has a UVCI per entry)."""
        return any(
            self.revokes(card_id, card.issued_at) for card_id in (card.card_id, *card.other_ids)
        )

    def revokes(self, card_id: str, issued_at: datetime | None) -> bool:
        """Whether a card with this id, issued at ``issued_at``, is revoked. A timed entry
        revokes a card whose issuance is unknown: the safe reading."""
        if card_id in self:
            return True
        if not self._issued_before:
            return False
        cutoff = self._issued_before.get(entry(card_id))
        return cutoff is not None and (issued_at is None or issued_at < cutoff)


def _is_sorted_distinct(block: bytes) -> bool:
    step = ENTRY_BYTES
    return all(
        block[i : i + step] < block[i + step : i + 2 * step]
        for i in range(0, len(block) - step, step)
    )
