"""Idempotency is per kiosk (issue 10, item 7): a uuid another kiosk stored is a
conflict, not an acknowledgement that would make this kiosk drop its own record."""

from __future__ import annotations

import uuid

from platform_helpers import VENUE, EnrolledKiosk, enroll, record

from cityplatform.app import openapi_document
from cityplatform.testing import RunningPlatform


def test_a_uuid_another_kiosk_holds_is_a_conflict_not_acknowledged(
    platform: RunningPlatform, kiosk: EnrolledKiosk
) -> None:
    shared = str(uuid.uuid4())
    other = enroll(platform, VENUE)
    assert kiosk.upload([record(uuid=shared, holder="First kiosk's record")]).status_code == 200
    own = str(uuid.uuid4())

    response = other.upload(
        [record(uuid=shared, holder="Another record"), record(uuid=own), record(uuid=shared)]
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert body["uuids"] == [own]
    assert body["conflicts"] == [shared]
    assert (body["stored"], body["duplicates"]) == (1, 0)
    rows = {row.record.uuid: row for row in platform.store.checkins()}
    assert rows[shared].kiosk_id == kiosk.kiosk_id
    assert rows[shared].record.holder == "First kiosk's record"
    assert rows[own].kiosk_id == other.kiosk_id


def test_the_same_kiosk_sending_again_is_acknowledged_without_conflicts(
    platform: RunningPlatform, kiosk: EnrolledKiosk
) -> None:
    records = [record(), record()]
    assert kiosk.upload(records).status_code == 200

    again = kiosk.upload(records).json()

    assert again["uuids"] == [r["uuid"] for r in records]
    assert again["conflicts"] == []
    assert (again["stored"], again["duplicates"]) == (0, 2)
    assert platform.store.count_checkins() == 2


def test_the_response_documents_conflicts() -> None:
    schema = openapi_document()["components"]["schemas"]["CheckinResult"]
    assert "conflicts" in schema["properties"]
