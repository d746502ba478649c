"""Bundle versions have one bound, ``MAX_BUNDLE_VERSION`` (issue 10, item 15): the same
for ``publish``, ``GET /v1/bundle?have=`` and a kiosk's bundle reading."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from cityplatform.errors import PublishError
from cityplatform.testing import RunningPlatform
from kiosk.demo import builtin_document
from kiosk.errors import BundleError
from kiosk.formats import cbor, cose
from kiosk.verify.bundle import (
    CONTENT_TYPE,
    KIND,
    MAX_BUNDLE_VERSION,
    SCHEMA,
    make_bundle,
    open_bundle,
)
from kiosk.verify.keys import SigningKey

ISSUED = int(datetime(2021, 9, 20, tzinfo=UTC).timestamp())


def signed_bundle(root: SigningKey, version: object) -> bytes:
    """A bundle signed by ``root`` with any version at all (``make_bundle`` refuses bad ones)."""
    payload = {
        "kind": KIND,
        "schema": SCHEMA,
        "version": version,
        "issued_at": ISSUED,
        "issuers": [],
        "rules": builtin_document("rules.json"),
        "venues": builtin_document("venues.json"),
        "revoked": b"",
    }
    header: dict[object, object] = {
        cose.HEADER_ALG: cose.ALGORITHM_IDS[root.algorithm],
        cose.HEADER_KID: root.public.kid,
        cose.HEADER_CONTENT_TYPE: CONTENT_TYPE,
    }
    return cose.encode_sign1(cbor.dumps(payload), header, root.sign)


def test_the_bound_is_exact_in_json_sqlite_and_cbor() -> None:
    assert MAX_BUNDLE_VERSION == 2**53 - 1
    assert float(MAX_BUNDLE_VERSION) == MAX_BUNDLE_VERSION


@pytest.mark.parametrize("version", [2**53, 2**63 - 1, 2**63, 2**64 - 1])
def test_publishing_a_version_over_the_bound_is_refused_not_a_crash(
    platform: RunningPlatform, version: int
) -> None:
    with pytest.raises(PublishError, match="bundle version must be an integer"):
        platform.store.publish_bundle(signed_bundle(platform.root_key, version))

    assert platform.store.latest_bundle_version() is None


def test_a_kiosk_reads_the_same_bound(platform: RunningPlatform) -> None:
    root = platform.root_key
    with pytest.raises(BundleError):
        open_bundle(signed_bundle(root, MAX_BUNDLE_VERSION + 1), root.public)
    with pytest.raises(BundleError):
        make_bundle(
            root,
            version=MAX_BUNDLE_VERSION + 1,
            issued_at=datetime.fromtimestamp(ISSUED, UTC),
            issuers=[],
            rules=builtin_document("rules.json"),
            venues=builtin_document("venues.json"),
            revocations=open_bundle(signed_bundle(root, 1), root.public).revocations,
        )
    assert open_bundle(signed_bundle(root, MAX_BUNDLE_VERSION), root.public).version == (
        MAX_BUNDLE_VERSION
    )


@pytest.mark.parametrize("version", [10**15, MAX_BUNDLE_VERSION])
def test_every_publishable_version_can_be_pulled_and_then_is_current(
    platform: RunningPlatform, version: int
) -> None:
    data = signed_bundle(platform.root_key, version)
    assert platform.store.publish_bundle(data) == version

    fresh = httpx.get(f"{platform.url}/v1/bundle", params={"have": 0})
    current = httpx.get(f"{platform.url}/v1/bundle", params={"have": version})

    assert fresh.status_code == 200
    assert fresh.headers["X-Bundle-Version"] == str(version)
    assert current.status_code == 304, current.text


@pytest.mark.parametrize("have", [str(MAX_BUNDLE_VERSION + 1), str(2**64), "9" * 21])
def test_a_have_over_the_bound_is_invalid(platform: RunningPlatform, have: str) -> None:
    platform.store.publish_bundle(signed_bundle(platform.root_key, 1))

    response = httpx.get(f"{platform.url}/v1/bundle", params={"have": have})

    assert response.status_code == 422
    assert str(MAX_BUNDLE_VERSION) in response.json()["detail"]
