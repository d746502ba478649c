"""What a check-in record may hold beyond its JSON Schema (issue 10, item 16): a time in
the accepted window, display text without bidi controls or only invisible characters, and
no key given twice."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from platform_helpers import VENUE, EnrolledKiosk, enroll_request, public_key_text, record

from cityplatform.testing import RunningPlatform
from kiosk.verify.keys import SigningKey


def _future(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


@pytest.mark.parametrize(
    "at",
    [
        "0001-01-01T00:00:00+07:00",
        "0001-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2020-12-31T23:59:59Z",
        "2021-01-01T06:59:59+07:00",
        "9999-12-31T23:59:59-07:00",
        "9999-12-31T23:59:59Z",
    ],
)
def test_a_time_outside_the_window_is_refused_by_index(
    kiosk: EnrolledKiosk, platform: RunningPlatform, at: str
) -> None:
    response = kiosk.upload([record(), record(at=at)])

    assert response.status_code == 422, response.text
    assert response.json()["index"] == 1
    assert response.json()["detail"].startswith("record 1: at:")
    assert platform.store.count_checkins() == 0


def test_a_time_more_than_a_day_ahead_is_refused_but_a_few_hours_ahead_is_not(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    ahead = kiosk.upload([record(at=_future(1.01))])
    soon = kiosk.upload([record(at=_future(0.5)), record(at="2021-01-01T00:00:00Z")])

    assert ahead.status_code == 422
    assert "more than a day" in ahead.json()["detail"]
    assert soon.status_code == 200, soon.text
    assert platform.store.count_checkins() == 2


@pytest.mark.parametrize(
    "holder",
    [
        "\u202eA .V nễyugN",  # right-to-left override
        "Nguyễn\u2066 V. A.",  # isolate
        "\u200f",
        "\u200b",
        "\u200b\u200c\u200d\u2060\ufeff",
        " \u200b ",
    ],
)
def test_holder_text_with_bidi_controls_or_nothing_visible_is_refused(
    kiosk: EnrolledKiosk, platform: RunningPlatform, holder: str
) -> None:
    response = kiosk.upload([record(), record(), record(holder=holder)])

    assert response.status_code == 422, response.text
    assert response.json()["index"] == 2
    assert response.json()["detail"].startswith("record 2: holder:")
    assert platform.store.count_checkins() == 0


def test_ordinary_vietnamese_and_a_joiner_inside_text_are_fine(kiosk: EnrolledKiosk) -> None:
    response = kiosk.upload([record(holder="Nguyễn V. A., 1987"), record(holder="a\u200db")])

    assert response.status_code == 200, response.text


def _raw_record(uuid: str, extra: str = "") -> str:
    return (
        f'{{"uuid": "{uuid}", "at": "2021-09-21T10:02:03+07:00", "venue_id": "{VENUE}",'
        ' "card_id": null, "card_format": null, "verdict": "red", "reason": "malformed",'
        f' "holder": null, "manual": false, "manual_reason": null, "rules_version": null{extra}}}'
    )


def test_a_key_given_twice_in_a_record_is_refused_by_index(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    first = "00000000-0000-4000-8000-000000000001"
    second = "00000000-0000-4000-8000-000000000002"
    body = (
        '{"records": ['
        + _raw_record(first)
        + ", "
        + _raw_record(second, ', "uuid": "00000000-0000-4000-8000-000000000003"')
        + "]}"
    )

    response = kiosk.post_body(gzip.compress(body.encode()))

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "record 1: uuid: given more than once"
    assert response.json()["index"] == 1
    assert platform.store.count_checkins() == 0


def test_records_given_twice_is_refused(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    uuid = "00000000-0000-4000-8000-000000000001"
    body = '{"records": [' + _raw_record(uuid) + '], "records": []}'

    response = kiosk.post_body(gzip.compress(body.encode()))

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "records: given more than once"
    assert platform.store.count_checkins() == 0


def test_an_enrollment_with_token_given_twice_is_refused(platform: RunningPlatform) -> None:
    token = platform.token(VENUE)
    key = public_key_text(SigningKey.generate())
    body = (
        f'{{"token": "not-the-token", "venue_id": "{VENUE}", "kiosk_name": "A",'
        f' "public_key": "{key}", "token": "{token}"}}'
    )

    response = httpx.post(
        f"{platform.url}/v1/enroll",
        content=body.encode(),
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "token: given more than once"
    assert enroll_request(platform.url, token, VENUE, SigningKey.generate()).status_code == 201
