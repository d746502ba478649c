"""Trust bundles (make/open), installed trust (pin, install, rollback) and revocations."""

from __future__ import annotations

import bisect
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import (
    ICT,
    World,
    bundle_bytes,
    claims_of,
    make_issuer,
    raw_sign1,
    rules_document,
    two_dose_card,
    venues_document,
)

from kiosk.domain import Algorithm, CardKind
from kiosk.errors import (
    BundleError,
    BundleKindError,
    BundleRollbackError,
    BundleSignatureError,
    KeyFileError,
    TrustError,
)
from kiosk.formats import cbor, cose
from kiosk.verify import bundle as bundles
from kiosk.verify.bundle import make_bundle, open_bundle
from kiosk.verify.installed import InstalledTrust, InstallOutcome
from kiosk.verify.keys import SigningKey
from kiosk.verify.revocation import ENTRY_BYTES, RevocationList, entry

ISSUED_AT = datetime(2021, 9, 25, 8, 30, tzinfo=UTC)


def _root_signed(root: SigningKey, payload: object) -> bytes:
    """Any CBOR document, signed by the root exactly as a bundle is."""
    header: dict[object, object] = {
        cose.HEADER_ALG: cose.ALGORITHM_IDS[root.algorithm],
        cose.HEADER_KID: root.public.kid,
        cose.HEADER_CONTENT_TYPE: bundles.CONTENT_TYPE,
    }
    return cose.encode_sign1(cbor.dumps(payload), header, root.sign)


def _payload(data: bytes) -> dict[object, object]:
    body = cbor.loads(cose.decode_sign1(data, max_size=1 << 24).payload, max_size=1 << 24)
    assert isinstance(body, dict)
    return body


# --- make / open -----------------------------------------------------------------------


@pytest.mark.parametrize("algorithm", [Algorithm.EDDSA, Algorithm.ES256])
def test_make_open_round_trip(algorithm: Algorithm) -> None:
    root = SigningKey.generate(algorithm)
    city = make_issuer(Algorithm.EDDSA, label="Sở Y tế TP.HCM")
    lab = make_issuer(
        Algorithm.ES256,
        kinds={CardKind.TEST},
        issuer=None,
        valid_from=datetime(2021, 8, 1, tzinfo=UTC),
        valid_until=datetime(2022, 8, 1, tzinfo=UTC),
        label="lab",
    )
    revoked = [str(uuid.uuid4()) for _ in range(5)]
    data = make_bundle(
        root,
        version=7,
        issued_at=ISSUED_AT,
        issuers=[city.trusted, lab.trusted],
        rules=rules_document(),
        venues=venues_document(),
        revocations=RevocationList.from_ids(revoked),
    )
    bundle = open_bundle(data, root.public)
    assert bundle.version == 7
    assert bundle.issued_at == ISSUED_AT
    assert bundle.raw == data
    assert sorted(key.label for key in bundle.trust) == ["Sở Y tế TP.HCM", "lab"]
    by_label = {key.label: key for key in bundle.trust}
    assert by_label["Sở Y tế TP.HCM"] == city.trusted
    assert by_label["lab"] == lab.trusted
    assert [s.version for s in bundle.rules.sets] == ["HCM-2021-09-01", "HCM-2021-09-20"]
    assert bundle.rules.sets[1].valid_from == datetime(2021, 9, 20, tzinfo=ICT)
    assert sorted(bundle.venues) == ["dine-in", "hair-salon", "office", "supermarket", "takeaway"]
    assert len(bundle.revocations) == 5
    assert all(card_id in bundle.revocations for card_id in revoked)
    assert str(uuid.uuid4()) not in bundle.revocations


def test_bundle_header_names_root_and_content_type() -> None:
    root = SigningKey.generate()
    message = cose.decode_sign1(bundle_bytes(root, []))
    assert message.protected_header == {
        cose.HEADER_ALG: -8,
        cose.HEADER_KID: root.public.kid,
        cose.HEADER_CONTENT_TYPE: bundles.CONTENT_TYPE,
    }


def test_make_bundle_checks_rules_and_venues_first() -> None:
    root = SigningKey.generate()
    with pytest.raises(BundleError, match="rule_sets"):
        bundle_bytes(root, [], rules={"rule_sets": "nope"})
    with pytest.raises(BundleError, match="red is never admitted"):
        bundle_bytes(root, [], venues={"categories": [{"code": "x", "admits": ["red"]}]})


def test_bundle_signed_by_another_key() -> None:
    root, other = SigningKey.generate(), SigningKey.generate()
    with pytest.raises(BundleSignatureError):
        open_bundle(bundle_bytes(other, []), root.public)


def test_bundle_signed_with_another_algorithm() -> None:
    root, other = SigningKey.generate(Algorithm.EDDSA), SigningKey.generate(Algorithm.ES256)
    with pytest.raises(BundleSignatureError):
        open_bundle(bundle_bytes(other, []), root.public)


def test_bundle_whose_header_lies_about_the_algorithm() -> None:
    root = SigningKey.generate()
    message = cose.decode_sign1(bundle_bytes(root, []))
    header = cbor.dumps({cose.HEADER_ALG: -7, cose.HEADER_KID: root.public.kid})
    forged = raw_sign1(header, {}, message.payload, message.signature)
    with pytest.raises(BundleSignatureError):
        open_bundle(forged, root.public)


def test_every_flipped_byte_is_refused_as_a_bundle_error() -> None:
    root = SigningKey.generate()
    data = bundle_bytes(root, [make_issuer().trusted], revoked=[str(uuid.uuid4())])
    outcomes: dict[str, int] = {}
    for position in range(len(data)):
        damaged = bytearray(data)
        damaged[position] ^= 0xFF
        with pytest.raises(BundleError) as refused:  # nothing else may escape
            open_bundle(bytes(damaged), root.public)
        name = type(refused.value).__name__
        outcomes[name] = outcomes.get(name, 0) + 1
    assert outcomes.get("BundleSignatureError", 0) > len(data) // 2, outcomes


@pytest.mark.parametrize(
    "data",
    [b"", b"\x00", b"not a bundle", cbor.dumps({"kind": bundles.KIND}), cbor.dumps([1, 2, 3, 4])],
    ids=["empty", "zero", "text", "bare-map", "array"],
)
def test_not_a_bundle_file(data: bytes) -> None:
    with pytest.raises(BundleError):
        open_bundle(data, SigningKey.generate().public)


@pytest.mark.parametrize(
    "payload",
    [
        {"kind": "something-else", "schema": 1, "version": 9},
        {"schema": 1, "version": 9},
        [bundles.KIND],
        "hcm-trust-bundle",
    ],
    ids=["other-kind", "no-kind", "array", "text"],
)
def test_root_signed_document_of_another_kind(payload: object) -> None:
    root = SigningKey.generate()
    with pytest.raises(BundleKindError):
        open_bundle(_root_signed(root, payload), root.public)


def test_root_signed_card_claims_are_not_a_bundle() -> None:
    """A card signed with the root key (a mistake, or an attack) is not a bundle."""
    root = SigningKey.generate()
    with pytest.raises(BundleKindError):
        open_bundle(_root_signed(root, claims_of(two_dose_card())), root.public)


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("schema", 2),
        ("version", 0),
        ("version", "1"),
        ("version", True),
        ("issued_at", None),
        ("issued_at", "2021-09-25"),
        ("issued_at", -1),
        ("issuers", {}),
        ("issuers", [{"spki": b"junk", "kinds": ["v"]}]),
        ("issuers", [{"spki": None, "kinds": ["v"]}]),
        ("issuers", ["not a map"]),
        ("rules", {"rule_sets": [{"version": "x"}]}),
        ("venues", {"categories": [{"code": "x", "admits": []}]}),
        ("revoked", "not bytes"),
        ("revoked", b"\x00" * 15),
    ],
)
def test_invalid_root_signed_bundle(change: str, value: object) -> None:
    root = SigningKey.generate()
    body = _payload(bundle_bytes(root, [make_issuer().trusted]))
    body[change] = value
    with pytest.raises(BundleError):
        open_bundle(_root_signed(root, body), root.public)


def _huge_issued_at(body: dict[object, object], root: SigningKey) -> None:
    body["issued_at"] = 2**63


def _far_issued_at(body: dict[object, object], root: SigningKey) -> None:
    body["issued_at"] = 10**12  # year 33658


def _huge_issuer_from(body: dict[object, object], root: SigningKey) -> None:
    body["issuers"] = [{"spki": root.public.spki, "kid": None, "kinds": ["v"], "from": 2**64 - 1}]


@pytest.mark.parametrize("change", [_huge_issued_at, _far_issued_at, _huge_issuer_from])
def test_out_of_range_dates_in_a_bundle_are_bundle_errors(
    change: Callable[[dict[object, object], SigningKey], None],
) -> None:
    """Regression: datetime.fromtimestamp used to raise OverflowError/ValueError here."""
    root = SigningKey.generate()
    body = _payload(bundle_bytes(root, []))
    change(body, root)
    with pytest.raises(BundleError):
        open_bundle(_root_signed(root, body), root.public)


# --- installed trust -----------------------------------------------------------------------


@pytest.fixture
def installed(tmp_path: Path, world: World) -> InstalledTrust:
    trust = InstalledTrust(tmp_path / "trust")
    trust.pin_root(world.root.public)
    return trust


def test_install_needs_a_pinned_root(tmp_path: Path, world: World) -> None:
    trust = InstalledTrust(tmp_path / "trust")
    assert trust.root() is None
    assert trust.load() is None
    with pytest.raises(KeyFileError):
        trust.install(world.bundle())


def test_install_then_unchanged(installed: InstalledTrust, world: World) -> None:
    v1 = world.bundle(version=1)
    outcome, bundle = installed.install(v1)
    assert outcome is InstallOutcome.INSTALLED
    assert bundle.version == 1
    assert installed.bundle_path.read_bytes() == v1
    assert installed.highest_version() == 1
    outcome, bundle = installed.install(v1)
    assert outcome is InstallOutcome.UNCHANGED
    assert bundle.version == 1
    loaded = installed.load()
    assert loaded is not None
    assert loaded.version == 1
    assert loaded.raw == v1


def test_same_version_other_content_is_rollback(installed: InstalledTrust, world: World) -> None:
    v1 = world.bundle(version=1)
    installed.install(v1)
    other = world.bundle(version=1, extra=[make_issuer().trusted])
    with pytest.raises(BundleRollbackError, match="other content"):
        installed.install(other)
    assert installed.bundle_path.read_bytes() == v1
    loaded = installed.load()
    assert loaded is not None
    assert len(loaded.trust) == 2


def test_newer_then_older_is_rollback(installed: InstalledTrust, world: World) -> None:
    v1, v2 = world.bundle(version=1), world.bundle(version=2)
    assert installed.install(v1)[0] is InstallOutcome.INSTALLED
    assert installed.install(v2)[0] is InstallOutcome.INSTALLED
    with pytest.raises(BundleRollbackError, match="roll back"):
        installed.install(v1)
    assert installed.bundle_path.read_bytes() == v2
    assert installed.highest_version() == 2


def test_highest_version_survives_deleting_the_bundle(
    installed: InstalledTrust, world: World
) -> None:
    installed.install(world.bundle(version=1))
    installed.install(world.bundle(version=2))
    installed.bundle_path.unlink()
    assert installed.load() is None
    assert installed.highest_version() == 2
    with pytest.raises(BundleRollbackError):
        installed.install(world.bundle(version=1))
    outcome, bundle = installed.install(world.bundle(version=3))
    assert outcome is InstallOutcome.INSTALLED
    assert bundle.version == 3


def test_invalid_bundle_is_not_installed(installed: InstalledTrust, world: World) -> None:
    foreign = bundle_bytes(SigningKey.generate(), [], version=5)
    with pytest.raises(BundleSignatureError):
        installed.install(foreign)
    assert not installed.bundle_path.exists()
    assert installed.highest_version() == 0


def test_pinning_another_root_needs_replace(tmp_path: Path, world: World) -> None:
    trust = InstalledTrust(tmp_path / "trust")
    trust.pin_root(world.root.public)
    trust.pin_root(world.root.public)  # the same key again is fine
    other = SigningKey.generate()
    with pytest.raises(TrustError, match="different root"):
        trust.pin_root(other.public)
    pinned = trust.root()
    assert pinned is not None
    assert pinned.spki == world.root.public.spki
    trust.pin_root(other.public, replace=True)
    pinned = trust.root()
    assert pinned is not None
    assert pinned.spki == other.public.spki


def test_corrupt_highest_version_is_a_trust_error(installed: InstalledTrust) -> None:
    installed.highest_path.write_text("two\n")
    with pytest.raises(TrustError):
        installed.highest_version()


def test_loading_rechecks_the_signature(installed: InstalledTrust, world: World) -> None:
    installed.install(world.bundle())
    data = bytearray(installed.bundle_path.read_bytes())
    data[-1] ^= 0x01
    installed.bundle_path.write_bytes(bytes(data))
    with pytest.raises(BundleSignatureError):
        installed.load()


# --- revocations --------------------------------------------------------------------------


def test_a_million_revocations() -> None:
    """A million entries, built sorted: a 4-byte rank prefix and 12 pseudo-random bytes."""
    count = 1_000_000
    noise = random.Random(20210920).randbytes(12 * count)
    step = (1 << 32) // count
    entries = [(i * step).to_bytes(4, "big") + noise[12 * i : 12 * i + 12] for i in range(count)]
    revoked_id, other_id = str(uuid.uuid4()), str(uuid.uuid4())
    real = entry(revoked_id)
    at = bisect.bisect_left(entries, real)
    entries.insert(at, real)
    revocations = RevocationList(b"".join(entries))
    assert len(revocations) == count + 1
    assert revoked_id in revocations
    assert other_id not in revocations
    assert str(uuid.UUID(int=0)) not in revocations
    # ... and the same through a signed bundle of 16 MB.
    root = SigningKey.generate()
    data = make_bundle(
        root,
        version=1,
        issued_at=ISSUED_AT,
        issuers=[],
        rules=rules_document(),
        venues=venues_document(),
        revocations=revocations,
    )
    assert len(data) > count * ENTRY_BYTES
    opened = open_bundle(data, root.public).revocations
    assert len(opened) == count + 1
    assert revoked_id in opened
    assert other_id not in opened


def test_revocation_entry_is_sha256_prefix() -> None:
    import hashlib

    card_id = "00000000-0000-4000-8000-00000000dead"
    assert entry(card_id) == hashlib.sha256(card_id.encode()).digest()[:ENTRY_BYTES]


@pytest.mark.parametrize("count", [0, 1, 2, 3, 17, 100])
def test_small_revocation_lists(count: int) -> None:
    ids = [str(uuid.uuid4()) for _ in range(count)]
    revocations = RevocationList.from_ids(ids + ids[:1])  # duplicates collapse
    assert len(revocations) == count
    assert all(card_id in revocations for card_id in ids)  # first, last, middle
    assert str(uuid.uuid4()) not in revocations
    assert RevocationList(revocations.block).block == revocations.block


def test_revocation_membership_only_for_text() -> None:
    revocations = RevocationList.from_ids(["a"])
    assert "a" in revocations
    assert b"a" not in revocations
    assert entry("a") not in revocations


def test_unsorted_block_is_refused() -> None:
    a, b = sorted([entry("a"), entry("b")])
    with pytest.raises(BundleError, match="sorted"):
        RevocationList(b + a)


def test_duplicate_entries_are_refused() -> None:
    with pytest.raises(BundleError):
        RevocationList(entry("a") * 2)


def test_ragged_block_is_refused() -> None:
    with pytest.raises(BundleError, match="multiple"):
        RevocationList(entry("a") + b"\x00")
