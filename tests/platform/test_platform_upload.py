"""``POST /v1/checkins``: strict validation, caps, idempotency by uuid."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import time
import tracemalloc
import uuid
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
from platform_helpers import CARD_ID, HOLDER, VENUE, EnrolledKiosk, enroll, record

from cityplatform.body import MiB, gunzip_capped
from cityplatform.errors import ApiError
from cityplatform.store import SCHEMA_VERSION, PlatformStore
from cityplatform.testing import RunningPlatform, running_platform


def test_records_are_stored_with_the_kiosk_from_the_signature(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    records = [record(), record(verdict="red", reason="expired", holder=None)]

    response = kiosk.upload(records)

    assert response.status_code == 200
    assert response.json() == {
        "stored": 2,
        "duplicates": 0,
        "uuids": [r["uuid"] for r in records],
        "conflicts": [],
    }
    stored = {row.record.uuid: row for row in platform.store.checkins()}
    assert set(stored) == {r["uuid"] for r in records}
    first = stored[records[0]["uuid"]]
    assert first.kiosk_id == kiosk.kiosk_id
    assert first.record.holder == HOLDER
    assert first.record.card_id == CARD_ID
    assert first.record.at == "2021-09-21T10:02:03.120000+07:00"


def test_a_batch_sent_again_is_acknowledged_not_stored_twice(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    records = [record() for _ in range(5)]
    assert kiosk.upload(records[:3]).json()["stored"] == 3

    # The reply to that upload was "lost": the kiosk sends its whole outbox again, with
    # a changed copy of one record (the first copy must win).
    changed = [dict(records[0], holder="Somebody Else"), *records[1:]]
    response = kiosk.upload(changed)

    assert response.status_code == 200
    assert response.json() == {
        "stored": 2,
        "duplicates": 3,
        "uuids": [r["uuid"] for r in records],
        "conflicts": [],
    }
    assert platform.store.count_checkins() == 5
    first = next(r for r in platform.store.checkins() if r.record.uuid == records[0]["uuid"])
    assert first.record.holder == HOLDER


def test_a_uuid_twice_in_one_batch_is_one_record(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    one = record()

    response = kiosk.upload([one, dict(one, holder=None)])

    assert response.json() == {
        "stored": 1,
        "duplicates": 1,
        "uuids": [one["uuid"]],
        "conflicts": [],
    }
    assert platform.store.count_checkins() == 1


def test_an_empty_batch_is_fine(kiosk: EnrolledKiosk) -> None:
    assert kiosk.upload([]).json() == {
        "stored": 0,
        "duplicates": 0,
        "uuids": [],
        "conflicts": [],
    }


def test_a_manual_admission_is_stored(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    manual = record(
        card_id=None,
        card_format=None,
        holder=None,
        reason="manual_admission",
        manual=True,
        manual_reason="Paper certificate from Bệnh viện Chợ Rẫy\nchecked by guard 2",
        rules_version=None,
    )

    assert kiosk.upload([manual]).json()["stored"] == 1
    assert platform.store.checkins()[0].record.manual


def test_a_manual_admissions_person_and_a_reentry_are_stored(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    manual = record(
        card_id=None,
        card_format=None,
        holder=None,
        reason="manual_admission",
        manual=True,
        manual_reason="Paper vaccination certificate: no. 012345",
        manual_name="Phạm Minh Châu",
        manual_phone="+84 912 345 678",
        rules_version=None,
    )
    returning = record(reentry=True)

    assert kiosk.upload([manual, returning]).json()["stored"] == 2

    stored = {row.record.uuid: row.record for row in platform.store.checkins()}
    person = stored[manual["uuid"]]
    assert (person.manual_name, person.manual_phone, person.reentry) == (
        "Phạm Minh Châu",
        "+84 912 345 678",
        False,
    )
    again = stored[returning["uuid"]]
    assert (again.manual_name, again.manual_phone, again.reentry) == (None, None, True)


def test_an_older_kiosk_that_omits_the_new_fields_still_uploads(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    older = record()  # the fields of protocol version 1 only
    assert not {"manual_name", "manual_phone", "reentry"} & set(older)
    manual = record(
        card_id=None, holder=None, reason="manual_admission", manual=True, manual_reason="paper"
    )

    response = kiosk.upload([older, manual])

    assert response.status_code == 200
    assert response.json()["stored"] == 2
    for row in platform.store.checkins():
        assert (row.record.manual_name, row.record.manual_phone, row.record.reentry) == (
            None,
            None,
            False,
        )


def test_a_version_1_database_gets_the_new_columns_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "platform.sqlite3"
    with PlatformStore(path) as store:
        pass
    # Make it what a platform of schema 1 left: checkins without the schema-2 columns.
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("DROP TABLE checkins")
    db.execute(
        "CREATE TABLE checkins (uuid TEXT PRIMARY KEY, kiosk_id TEXT NOT NULL,"
        " venue_id TEXT NOT NULL, at TEXT NOT NULL, card_id TEXT, card_format TEXT,"
        " verdict TEXT NOT NULL, reason TEXT NOT NULL, holder TEXT, manual INTEGER NOT NULL,"
        " manual_reason TEXT, rules_version TEXT, received_at TEXT NOT NULL) STRICT"
    )
    old_uuid = str(uuid.uuid4())
    db.execute(
        "INSERT INTO checkins VALUES (?, 'k', ?, '2021-09-21T10:02:03+07:00', NULL, NULL,"
        " 'green', 'manual_admission', NULL, 1, 'paper', NULL, '2021-09-21T03:02:04+00:00')",
        (old_uuid, VENUE),
    )
    db.execute("PRAGMA user_version = 1")
    db.close()

    with PlatformStore(path) as store:
        [old] = store.checkins()
        assert old.record.uuid == old_uuid
        assert (old.record.manual_reason, old.record.manual_name, old.record.reentry) == (
            "paper",
            None,
            False,
        )
        assert store._read("PRAGMA user_version") == [(SCHEMA_VERSION,)]
    with PlatformStore(path) as store:  # opened again: nothing more to add
        assert store.count_checkins() == 1


INVALID: list[tuple[str, dict[str, Any]]] = [
    ("uuid not a uuid", {"uuid": "not-a-uuid"}),
    ("uuid upper case", {"uuid": str(uuid.uuid4()).upper()}),
    ("uuid without dashes", {"uuid": uuid.uuid4().hex}),
    ("unknown field", {"kiosk_id": "someone-else"}),
    ("at without offset", {"at": "2021-09-21T10:02:03"}),
    ("at as a number", {"at": 1632193323}),
    ("at not a time", {"at": "yesterday"}),
    ("venue of another kiosk", {"venue_id": "HCM-Q3-000999"}),
    ("venue empty", {"venue_id": ""}),
    ("venue too long", {"venue_id": "V" * 65}),
    ("card id too long", {"card_id": "c" * 129}),
    ("card id with a control character", {"card_id": "abc\x00"}),
    ("unknown card format", {"card_format": "PDF"}),
    ("unknown verdict", {"verdict": "blue"}),
    ("unknown reason", {"reason": "bribe"}),
    ("verdict not the reason's", {"verdict": "red"}),
    ("holder too long", {"holder": "N" * 129}),
    ("holder not text", {"holder": ["Nguyễn"]}),
    ("manual as text", {"manual": "false"}),
    ("manual as a number", {"manual": 0}),
    ("manual without a reason", {"manual": True, "reason": "manual_admission"}),
    ("manual reason without manual", {"manual_reason": "why"}),
    ("manual admission not manual", {"reason": "manual_admission"}),
    ("manual reason too long", {"manual": True, "manual_reason": "r" * 501}),
    ("manual name without manual", {"manual_name": "Phạm Minh Châu"}),
    ("manual phone without manual", {"manual_phone": "0912 345 678"}),
    ("manual name too long", {"manual": True, "manual_reason": "r", "manual_name": "N" * 129}),
    ("manual name blank", {"manual": True, "manual_reason": "r", "manual_name": "  "}),
    ("manual name with a new line", {"manual": True, "manual_reason": "r", "manual_name": "A\nB"}),
    ("phone with letters", {"manual": True, "manual_reason": "r", "manual_phone": "call me"}),
    ("phone too long", {"manual": True, "manual_reason": "r", "manual_phone": "1" * 33}),
    ("phone with double spaces", {"manual": True, "manual_reason": "r", "manual_phone": "09  12"}),
    ("phone as a number", {"manual": True, "manual_reason": "r", "manual_phone": 912345678}),
    ("reentry as text", {"reentry": "true"}),
    ("reentry null", {"reentry": None}),
    ("rules version too long", {"rules_version": "R" * 65}),
    ("missing field", {"rules_version": ...}),
]


@pytest.mark.parametrize(("why", "change"), INVALID, ids=[why for why, _ in INVALID])
def test_a_batch_with_an_invalid_record_is_refused_whole(
    kiosk: EnrolledKiosk, platform: RunningPlatform, why: str, change: dict[str, Any]
) -> None:
    bad = record(**change)
    if change.get("rules_version") is ...:
        del bad["rules_version"]
    batch = [record(), record(), bad, record()]

    response = kiosk.upload(batch)

    assert response.status_code == 422, why
    body = response.json()
    assert body["error"] == "invalid_request"
    assert body["index"] == 2
    assert body["detail"].startswith("record 2: ")
    assert platform.store.count_checkins() == 0


@pytest.mark.parametrize(
    "payload",
    [
        b"",
        b"not json",
        b"[]",
        b'{"records": {}}',
        b'{"records": [], "more": 1}',
        b'{"records": [1]}',
        b'{"records": ["\\ud800"]}',
        b"\xef\xbb\xbf" + b'{"records": []}',
        b'{"records": [' * 5000,
    ],
)
def test_bodies_that_are_not_a_batch_are_invalid(
    kiosk: EnrolledKiosk, platform: RunningPlatform, payload: bytes
) -> None:
    response = kiosk.post_body(gzip.compress(payload))

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert platform.store.count_checkins() == 0


@pytest.mark.parametrize(
    "body",
    [b"plain", b"\x1f\x8b\x08\x00garbage", gzip.compress(b"{}")[:-4], gzip.compress(b"{}") * 2],
)
def test_broken_gzip_is_invalid(kiosk: EnrolledKiosk, body: bytes) -> None:
    response = kiosk.post_body(body)

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Encoding": "identity"},
        {"Content-Encoding": "br"},
        {"Content-Encoding": "gzip, gzip"},
        {"Content-Type": "text/plain"},
        {"Content-Type": "application/x-www-form-urlencoded"},
    ],
)
def test_a_wrong_content_type_or_encoding_is_unsupported(
    kiosk: EnrolledKiosk, platform: RunningPlatform, headers: dict[str, str]
) -> None:
    response = kiosk.upload([record()], extra_headers=headers)

    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"
    assert platform.store.count_checkins() == 0


def test_more_than_1000_records_is_too_large(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    response = kiosk.upload([record() for _ in range(1001)])

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    assert platform.store.count_checkins() == 0


def test_exactly_1000_records_are_stored(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    response = kiosk.upload([record() for _ in range(1000)])

    assert response.json()["stored"] == 1000
    assert platform.store.count_checkins() == 1000


def test_a_body_over_4_mib_compressed_is_too_large(kiosk: EnrolledKiosk) -> None:
    response = kiosk.post_body(os.urandom(4 * MiB + 1))

    assert response.status_code == 413
    assert response.json()["error"] == "too_large"


def test_a_chunked_body_over_4_mib_is_too_large(kiosk: EnrolledKiosk) -> None:
    data = os.urandom(5 * MiB)
    headers = {
        "Content-Type": "application/json",
        "Content-Encoding": "gzip",
        **kiosk.headers("POST", "/v1/checkins", data),
    }

    def chunks() -> Any:
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]

    response = httpx.post(f"{kiosk.url}/v1/checkins", content=chunks(), headers=headers)

    assert response.status_code == 413


@cache
def _bomb() -> bytes:
    """1 MiB of gzip that inflates to 1 GiB of zeros (no trailer: nothing gets that far).

    One 16 MiB block of zeros, deflated and fully flushed (so it stands alone), repeated.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = packer.compress(bytes(16 * MiB)) + packer.flush(zlib.Z_FULL_FLUSH)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * 64


def test_a_gzip_bomb_is_too_large_and_refused_fast(
    kiosk: EnrolledKiosk, platform: RunningPlatform
) -> None:
    started = time.monotonic()
    response = kiosk.post_body(_bomb())

    assert response.status_code == 413
    assert response.json() == {
        "error": "too_large",
        "detail": "the body inflates to more than 16777216 bytes",
    }
    # Inflating the whole gigabyte would take seconds; the cap stops at 16 MiB.
    assert time.monotonic() - started < 5
    assert platform.store.count_checkins() == 0


def test_inflating_a_bomb_never_holds_more_than_the_cap() -> None:
    bomb = _bomb()
    tracemalloc.start()
    try:
        with pytest.raises(ApiError) as refused:
            gunzip_capped(bomb, 16 * MiB)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert refused.value.status == 413
    assert peak < 40 * MiB


def test_a_batch_just_under_the_inflated_cap_is_parsed(kiosk: EnrolledKiosk) -> None:
    padding = " " * (16 * MiB - 100)
    body = gzip.compress(f'{{"records": []{padding}}}'.encode())

    assert kiosk.post_body(body).status_code == 200


def test_a_wrong_method_or_path_is_a_json_error(platform: RunningPlatform) -> None:
    wrong_method = httpx.get(f"{platform.url}/v1/checkins")
    no_path = httpx.get(f"{platform.url}/v2/checkins")

    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"] == "method_not_allowed"
    assert "POST" in wrong_method.headers["Allow"]
    assert no_path.status_code == 404
    assert no_path.json()["error"] == "not_found"


def test_stored_rows_are_what_was_sent(kiosk: EnrolledKiosk, platform: RunningPlatform) -> None:
    sent = record(holder="Trần T. B. N., 1995", verdict="yellow", reason="admitted_yellow")
    kiosk.upload([sent])

    row = platform.store.checkins()[0].record
    assert json.loads(json.dumps(sent))["holder"] == row.holder
    assert (row.verdict, row.reason) == ("yellow", "admitted_yellow")


def test_a_locked_database_is_unavailable_not_an_error(tmp_path: Path) -> None:
    """Another process holding the write lock: 503 with Retry-After, the kiosk retries."""
    with running_platform(tmp_path, busy_timeout=0.05) as platform:
        kiosk = enroll(platform, VENUE)
        blocker = sqlite3.connect(platform.store.path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            response = kiosk.upload([record()])
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()

        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        assert response.json()["error"] == "unavailable"
        assert kiosk.upload([record()]).status_code == 200
