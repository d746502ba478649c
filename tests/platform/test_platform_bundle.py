"""``GET /v1/bundle`` and ``GET /v1/time``, and publishing bundles into the store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from cityplatform.app import NO_BUNDLE_DETAIL, create_app, openapi_document
from cityplatform.errors import PublishError
from cityplatform.store import PlatformStore
from cityplatform.testing import RunningPlatform, running_platform
from kiosk.demo import builtin_document
from kiosk.verify.bundle import make_bundle, open_bundle
from kiosk.verify.keys import SigningKey
from kiosk.verify.revocation import RevocationList

ISSUED = datetime(2021, 9, 20, tzinfo=UTC)


def bundle(root: SigningKey, version: int, revoked: tuple[str, ...] = ()) -> bytes:
    return make_bundle(
        root,
        version=version,
        issued_at=ISSUED,
        issuers=[],
        rules=builtin_document("rules.json"),
        venues=builtin_document("venues.json"),
        revocations=RevocationList.from_ids(revoked),
    )


def test_no_bundle_published_yet_is_a_404_that_says_so(platform: RunningPlatform) -> None:
    # Not 304: "nothing newer than what you have" would tell a kiosk with no bundle that it
    # is up to date. The detail says how an operator publishes one.
    for have in (0, 5):
        response = httpx.get(f"{platform.url}/v1/bundle", params={"have": have})
        assert response.status_code == 404
        assert response.json() == {"error": "no_bundle", "detail": NO_BUNDLE_DETAIL}
    assert "cityplatform publish --issuer ISSUER.pub" in NO_BUNDLE_DETAIL
    documented = openapi_document()["paths"]["/v1/bundle"]["get"]["responses"]
    assert documented["404"]["description"].startswith("no_bundle")

    platform.store.publish_bundle(bundle(platform.root_key, 1))
    assert httpx.get(f"{platform.url}/v1/bundle", params={"have": 1}).status_code == 304


def test_a_newer_bundle_is_served_as_cose(platform: RunningPlatform) -> None:
    data = bundle(platform.root_key, 1)
    assert platform.store.publish_bundle(data) == 1

    for query in ({"have": "0"}, {}):
        response = httpx.get(f"{platform.url}/v1/bundle", params=query)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/cose"
        assert response.headers["X-Bundle-Version"] == "1"
        assert response.content == data
        assert open_bundle(response.content, platform.root_key.public).version == 1


def test_only_a_newer_version_is_sent(platform: RunningPlatform) -> None:
    platform.store.publish_bundle(bundle(platform.root_key, 1))
    platform.store.publish_bundle(bundle(platform.root_key, 3))

    def get(have: int) -> httpx.Response:
        return httpx.get(f"{platform.url}/v1/bundle", params={"have": have})

    assert get(1).headers["X-Bundle-Version"] == "3"
    assert get(2).headers["X-Bundle-Version"] == "3"
    assert get(3).status_code == 304
    assert get(99).status_code == 304


@pytest.mark.parametrize(
    "query", ["have=-1", "have=abc", "have=1.0", "have=" + "9" * 40, "have=1&have=2", "have=٣"]
)
def test_a_malformed_have_is_invalid(platform: RunningPlatform, query: str) -> None:
    response = httpx.get(f"{platform.url}/v1/bundle?{query}")

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


def test_publishing_checks_root_and_version(tmp_path: Path) -> None:
    root = SigningKey.generate()
    with PlatformStore(tmp_path / "p.db", root=root.public) as store:
        assert store.publish_bundle(bundle(root, 2)) == 2
        # Publishing the same bytes again changes nothing.
        assert store.publish_bundle(bundle(root, 2)) == 2

        with pytest.raises(PublishError, match="not newer"):
            store.publish_bundle(bundle(root, 1))
        with pytest.raises(PublishError, match="not newer"):
            store.publish_bundle(bundle(root, 2, revoked=("x",)))
        with pytest.raises(PublishError, match="signature"):
            store.publish_bundle(bundle(SigningKey.generate(), 5))
        with pytest.raises(PublishError, match="not a trust bundle"):
            store.publish_bundle(b"garbage")
        assert store.latest_bundle_version() == 2


def test_a_store_without_a_root_publishes_nothing(tmp_path: Path) -> None:
    with PlatformStore(tmp_path / "p.db") as store, pytest.raises(PublishError):
        store.publish_bundle(bundle(SigningKey.generate(), 1))


def test_the_app_refuses_a_root_key_other_than_the_stores(tmp_path: Path) -> None:
    with (
        PlatformStore(tmp_path / "p.db", root=SigningKey.generate().public) as store,
        pytest.raises(ValueError, match="root"),
    ):
        create_app(store, root_key=SigningKey.generate())


def test_time_is_the_platform_clock(platform: RunningPlatform) -> None:
    before = datetime.now(UTC)
    response = httpx.get(f"{platform.url}/v1/time")
    after = datetime.now(UTC)

    assert response.status_code == 200
    body = response.json()
    now = datetime.fromisoformat(body["now"])
    assert body["now"].endswith("Z")
    assert before - timedelta(milliseconds=1) <= now <= after
    assert body["epoch_ms"] == int(now.timestamp() * 1000)


def test_time_comes_from_the_injected_clock(tmp_path: Path) -> None:
    fixed = datetime(2021, 9, 21, 3, 2, 3, 456789, tzinfo=UTC)
    with running_platform(tmp_path, clock=lambda: fixed) as platform:
        body = httpx.get(f"{platform.url}/v1/time").json()

    assert body == {"now": "2021-09-21T03:02:03.456Z", "epoch_ms": 1632193323456}
