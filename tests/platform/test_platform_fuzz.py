"""Property-based fuzzing of the platform's API from its own OpenAPI document (schemathesis).

Schemathesis reads ``GET /openapi.json`` from the real server on 127.0.0.1 and generates
positive and negative requests for every operation (coverage and fuzzing phases). Uploads
need a signature the generator cannot make, so :func:`send` finishes each upload whose
generated headers are schema-valid as a kiosk would: it puts the enrolled kiosk's venue in
the records, gzips the body and signs it. Uploads with schema-invalid headers go out as
generated (and must be refused).

Every response must pass schemathesis' checks (no 5xx; status, content type, headers and
body as documented; negative data refused; positive data accepted), and afterwards every
stored row must validate again with the request model.

``PLATFORM_FUZZ_EXAMPLES`` and ``PLATFORM_FUZZ_SEED`` make a longer or another campaign.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from platform_helpers import VENUE, EnrolledKiosk, enroll
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from cityplatform.app import openapi_document
from cityplatform.models import EARLIEST_CHECKIN, MAX_CHECKIN_AHEAD, CheckinRecord
from cityplatform.testing import RunningPlatform, running_platform
from kiosk.demo import builtin_document
from kiosk.verify.bundle import make_bundle
from kiosk.verify.revocation import RevocationList

MAX_EXAMPLES = int(os.environ.get("PLATFORM_FUZZ_EXAMPLES", "60"))
SEED = int(os.environ.get("PLATFORM_FUZZ_SEED", "20210921"))

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": MAX_EXAMPLES, "deterministic": True},
        "phases": {"stateful": {"enabled": False}},
        "checks": {
            # 413 is how this API refuses a body over its limits (too many records).
            "negative_data_rejection": {
                "expected-statuses": ["400", "401", "403", "404", "405", "413", "415", "422"]
            },
        },
    }
)


@dataclass
class FuzzTarget:
    platform: RunningPlatform
    kiosk: EnrolledKiosk
    client: httpx.Client
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)


@pytest.fixture(scope="module")
def fuzz_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzTarget]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    with running_platform(tmp) as platform, httpx.Client(timeout=30) as client:
        bundle = make_bundle(
            platform.root_key,
            version=1,
            issued_at=datetime(2021, 9, 20, tzinfo=UTC),
            issuers=[],
            rules=builtin_document("rules.json"),
            venues=builtin_document("venues.json"),
            revocations=RevocationList(),
        )
        platform.store.publish_bundle(bundle)
        yield FuzzTarget(platform, enroll(platform, VENUE), client)


# The document the server serves (``test_the_served_schema_is_the_fuzzed_one``), loaded
# without a server so pytest can collect one test per operation; the requests go to the
# real server. (The lazy ``schemathesis.pytest.from_fixture`` loader fails under pytest 9.)
schema = schemathesis.openapi.from_dict(openapi_document(), config=CONFIG)


def _mode(case: Any, location: ParameterLocation) -> GenerationMode | None:
    components = case.meta.components if case.meta is not None else {}
    info = components.get(location)
    return None if info is None else info.mode


def _in_checkin_window(text: str) -> bool:
    try:
        at = datetime.fromisoformat(text.replace("z", "Z"))
        return EARLIEST_CHECKIN <= at <= datetime.now(UTC) + MAX_CHECKIN_AHEAD / 2
    except (ValueError, TypeError, OverflowError):
        return True  # what the models say of it, not this window


def send(case: Any, target: FuzzTarget) -> httpx.Response:
    kwargs = case.as_transport_kwargs(base_url=target.platform.url)
    headers: dict[str, str] = dict(kwargs.get("headers") or {})
    body: bytes | None = None
    if "json" in kwargs:
        payload = kwargs["json"]
        if case.path == "/v1/checkins" and _mode(case, ParameterLocation.BODY) is (
            GenerationMode.POSITIVE
        ):
            # The schema cannot know which venue this kiosk is enrolled at, nor the
            # platform's clock (a check-in's time is refused over a day ahead of it).
            for item in payload["records"]:
                item["venue_id"] = target.kiosk.venue_id
                if not _in_checkin_window(item["at"]):
                    item["at"] = "2021-09-21T10:02:03+07:00"
        body = json.dumps(payload).encode("utf-8")
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        body = data if isinstance(data, bytes) else str(data).encode("utf-8")

    signed = case.path == "/v1/checkins" and _mode(case, ParameterLocation.HEADER) is (
        GenerationMode.POSITIVE
    )
    if signed:
        body = gzip.compress(body or b"")
        headers.update(target.kiosk.headers("POST", "/v1/checkins", body))
    target.modes["signed upload" if signed else "as generated"] += 1
    response = target.client.request(
        kwargs["method"],
        kwargs["url"],
        params=kwargs.get("params"),
        headers={name: value.encode("utf-8") for name, value in headers.items()},
        content=body,
    )
    target.statuses[(f"{case.method} {case.path}", response.status_code)] += 1
    return response


def _assert_only_valid_rows(platform: RunningPlatform) -> int:
    rows = platform.store.checkins()
    for row in rows:
        record = row.record
        again = CheckinRecord.model_validate_json(
            json.dumps(
                {
                    "uuid": record.uuid,
                    "at": record.at,
                    "venue_id": record.venue_id,
                    "card_id": record.card_id,
                    "card_format": record.card_format,
                    "verdict": record.verdict,
                    "reason": record.reason,
                    "holder": record.holder,
                    "manual": record.manual,
                    "manual_reason": record.manual_reason,
                    "rules_version": record.rules_version,
                }
            )
        )
        assert again.uuid == record.uuid
        assert row.kiosk_id == platform.store.kiosk(row.kiosk_id).id  # type: ignore[union-attr]
        assert record.venue_id == VENUE
    return len(rows)


@schema.parametrize()
def test_the_api_survives_fuzzing(case: Any, fuzz_target: FuzzTarget) -> None:
    response = send(case, fuzz_target)

    assert response.status_code < 500, response.text
    case.validate_response(response)


def test_the_served_schema_is_the_fuzzed_one(fuzz_target: FuzzTarget) -> None:
    served = fuzz_target.client.get(f"{fuzz_target.platform.url}/openapi.json")

    assert served.json() == json.loads(json.dumps(openapi_document()))


def test_fuzzing_left_only_valid_rows(fuzz_target: FuzzTarget) -> None:
    """Runs after the fuzz test (same module): what got stored is only what is valid."""
    stored = _assert_only_valid_rows(fuzz_target.platform)
    total = sum(fuzz_target.statuses.values())
    summary = ", ".join(
        f"{operation} {status}: {count}"
        for (operation, status), count in sorted(fuzz_target.statuses.items())
    )
    print(f"\nschemathesis: {total} requests ({dict(fuzz_target.modes)}); {summary}")
    print(f"rows stored by the fuzzer: {stored}")

    if total:  # the fuzz test ran in this session
        assert fuzz_target.statuses[("POST /v1/checkins", 200)] > 0
        assert stored > 0
