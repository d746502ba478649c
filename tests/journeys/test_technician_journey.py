"""The technician (issue 9): provisioning by the wizard and by ``kiosk provision``, then
the self-test.

The wizard opens only from the unlocked manager view (*Cài đặt kỹ thuật…* behind the
manager PIN, kiosk/ui/app.py), so on a brand-new kiosk the technician sets the manager
PIN from the shell first (``kiosk pin set``, as the no-PIN page says); ``kiosk run`` is
then the demo, whose F2 asks for that PIN (the machine's, not the demo kiosk's) and whose
wizard provisions the machine's kiosk; when it finishes, the app leaves the demo and
starts as that kiosk.

This machine has no camera (no ``/dev/video0``): the wizard and ``kiosk selftest`` must say
so plainly, and the cards come from the hand scanner.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from harness import (
    VENUE_ID,
    App,
    CityKiosk,
    Journey,
    Platform,
    State,
    city_kiosk,
    joined,
    panel,
    run,
    texts,
    wait_for,
)

CLI_PIN = "5823"  # set on the command line, to reach the wizard
NEW_PIN = "4711"  # set on the wizard's PIN page
# Typed fields in ASCII: xdotool's typing of Vietnamese letters depends on the keymap.
VENUE_NAME = "Com Tam Ba Ghien"
KIOSK_NAME = "Cua A"
CATEGORY = "supermarket"
HOLDER = "Nguyễn Văn An"
NO_CAMERA = not Path("/dev/video0").exists()

# The Vietnamese UI's words: kiosk/ui/i18n/wizard_vi.ts, manager_vi.ts, guard_vi.ts.
MANAGER_BUTTON = "Quản lý (F2)"
PIN_TITLE = "Mã PIN quản lý"
NO_PIN_TITLE = "Chưa có mã PIN quản lý"
BACK_TO_SCANNING = "Quay lại quét"
TECHNICIAN = "Cài đặt kỹ thuật…"
NEXT, FINISH = "Tiếp", "Hoàn tất"
VENUE_ID_FIELD = "do thành phố cấp, ví dụ HCM-Q1-000123"  # placeholders
ROOT_FIELD = "đường dẫn đến city-root.pub"
URL_FIELD = "https://"
KIOSK_NAME_FIELD = "ví dụ Cửa A"
VENUE_NAME_LABEL = "Tên địa điểm"  # labels of fields without a placeholder
CATEGORY_LABEL = "Loại hình địa điểm"
TOKEN_LABEL = "Mã đăng ký"
PIN_LABEL, PIN_AGAIN_LABEL = "Mã PIN quản lý", "Nhập lại mã PIN"
PIN_ROOT, ENROLL, FIND_CAMERAS = "Ghim khóa gốc", "Đăng ký", "Tìm camera"
PINNED = "Đã ghim khóa gốc của thành phố {kid}."
ENROLLED = "Đã đăng ký là máy kiosk"
BUNDLE_INSTALLED = "Đã cài gói dữ liệu tin cậy phiên bản 1."
NO_BUNDLE = "Nhưng kiosk chưa nhận được gói dữ liệu tin cậy"
NO_CAMERA_AT = "Không tìm thấy camera {camera}. Camera đã được cắm vào chưa?"
PIN_KEPT_OR_CHANGED = (
    "Đã có mã PIN quản lý. Nhập mã mới hai lần để đổi, hoặc bấm Tiếp để giữ mã cũ."
)
PIN_SET = "Đã đặt mã PIN quản lý."
CHECK_TITLES = {
    "camera": "Camera",
    "decoder": "Bộ giải mã QR",
    "trust data": "Dữ liệu tin cậy",
    "clock": "Đồng hồ",
    "database": "Cơ sở dữ liệu",
    "platform": "Hệ thống",
    "sound": "Âm thanh",
    "manager PIN": "Mã PIN quản lý",
}
PASS, WARN, FAIL = "✔", "!", "✘"
LOOKS = {PASS: "đạt", WARN: "cảnh báo", FAIL: "KHÔNG ĐẠT"}
SUMMARY = re.compile(r"Cả 8 mục kiểm tra đều đạt|\d/8 mục kiểm tra không đạt")
NO_CATEGORY_WARNING = "Chưa đặt loại hình địa điểm"
NO_TRUST_WARNING = "Thiếu dữ liệu tin cậy"
NO_CAMERA_GUARD = "Không có camera: dùng máy quét cầm tay"
MANAGER_TITLE = "Quản lý"


def heading(step: int, title: str) -> str:
    return f"Cài đặt, bước {step}/7: {title}"


# --- looking ------------------------------------------------------------------------------


def shows(state: State, kind: str, text: str) -> bool:
    return any(t["kind"] == kind and t["text"] == text for t in state.get("texts", []))


def field_shows(text: str) -> Callable[[State], bool]:
    return lambda s: shows(s, "field", text)


def enabled(state: State, button: str) -> bool:
    return any(
        t["kind"] == "button" and t["text"] == button and t.get("enabled")
        for t in state.get("texts", [])
    )


def selftest_rows(state: State) -> list[str]:
    """The self-test page's list: one line per check, "✔ Camera: đạt — detail"."""
    for table in state.get("tables", []):
        rows = [row[0] for row in table["rows"] if row]
        if rows and all(row[:1] in LOOKS for row in rows):
            return rows
    return []


def row_of(rows: list[str], name: str) -> str:
    title = CHECK_TITLES[name]
    (found,) = [row for row in rows if row[2:].startswith(f"{title}: ")]
    return found


def popup_rows(state: State) -> list[str]:
    """The rows of an open drop-down list (a combo box's popup)."""
    for table in state.get("tables", []):
        rows = [row[0] for row in table["rows"] if row]
        if any(f"({CATEGORY})" in row for row in rows):
            return rows
    return []


# --- doing --------------------------------------------------------------------------------


def click_beside(app: App, label: str) -> None:
    """Click into the field of the form row whose label is ``label``, as a person clicks
    right of the label. (An empty field with no placeholder shows no text, so the probe
    cannot name it; the wizard's form fields reach the window's right edge.)"""
    state = app.wait(f"the label {label!r}", lambda s: shows(s, "label", label))
    target = next(t for t in state["texts"] if t["kind"] == "label" and t["text"] == label)
    window = state["window"]
    x = (target["x"] + target["w"] + window["x"] + window["w"]) // 2
    y = target["y"] + target["h"] // 2
    app.display.xdotool("mousemove", str(x), str(y), "click", "1")


def beside_label(state: State, label: str) -> str | None:
    """The text of the field in the form row of ``label`` (None: none shows any)."""
    rows = [t for t in state.get("texts", []) if t["kind"] == "label" and t["text"] == label]
    for row in rows:
        middle = row["y"] + row["h"] // 2
        for item in state.get("texts", []):
            if item["kind"] == "field" and item["y"] <= middle < item["y"] + item["h"]:
                return str(item["text"])
    return None


def fill(app: App, where: str, text: str, *, beside: bool = False) -> None:
    """Click into a field (by its placeholder, or ``beside`` its label), type ``text`` as a
    person, and wait until that field shows it (kiosk/ui/wedge.py holds a person's keys
    back a little, to tell them from a scanner's)."""
    if beside:
        click_beside(app, where)
        app.type(text)
        app.wait(f"the field {where!r} to show {text!r}", lambda s: beside_label(s, where) == text)
        return
    app.click(where)
    app.type(text)
    app.wait(f"the field to show {text!r}", field_shows(text))


def on_page(app: App, step: int, title: str) -> State:
    return app.wait(f"wizard page {step}", lambda s: shows(s, "label", heading(step, title)))


def publish_city_bundle(platform: Platform, home: Path, work: Path) -> Path:
    """The operator's side, as the README has it: a city issuer key, published."""
    work.mkdir(parents=True, exist_ok=True)
    run(["keys", "new-issuer", "--out", str(work / "city")], home)
    said = platform.command("publish", "--issuer", str(work / "city.pub"))
    assert "version 1" in said, said
    return work / "city.key"


def platform_kiosks(database: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT id, venue_id, name FROM kiosks")]


# --- the journeys -------------------------------------------------------------------------


@pytest.mark.slow
def test_the_technician_provisions_with_the_wizard(
    trip: Journey, tmp_path: Path, shots: Path | None
) -> None:
    home = tmp_path / "home"
    platform = trip.platform().start()
    issuer_key = publish_city_bundle(platform, home, tmp_path / "operator")
    token = platform.command("token", "--venue", VENUE_ID)
    root = platform.command("root-key")  # the path the operator hands the technician

    # A new kiosk: its manager PIN first, from the shell (the wizard is behind it).
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(CLI_PIN + "\n")
    run(["pin", "set", "--pin-file", str(pin_file)], home)
    pin_by_cli = (home / "config" / "manager-pin.json").read_bytes()

    app = trip.app(home, "run", shots=shots).start()
    state = app.state()
    assert "(demo)" in joined(state)  # not provisioned: the demo, on which the wizard opens

    # F2, the PIN, the technician's button.
    app.key("F2")
    app.wait("the PIN pad", lambda s: shows(s, "label", PIN_TITLE))
    app.type(CLI_PIN)
    app.key("Return")
    app.click(TECHNICIAN)
    state = on_page(app, 1, "Địa điểm")
    assert state["screen"] == "ProvisioningWizard", state["screen"]

    # 1. The venue: id, name, and the category from its drop-down list.
    fill(app, VENUE_ID_FIELD, VENUE_ID)
    fill(app, VENUE_NAME_LABEL, VENUE_NAME, beside=True)
    click_beside(app, CATEGORY_LABEL)
    rows = popup_rows(app.wait("the list of venue categories", popup_rows))
    assert rows[0] == "Nhà hàng phục vụ tại chỗ (dine-in)", rows  # shown first, chosen
    wanted = next(i for i, row in enumerate(rows) if row.endswith(f"({CATEGORY})"))
    app.key(*["Down"] * wanted, "Return")
    app.wait("the list to close", lambda s: not popup_rows(s))
    app.snap("provisioning")
    app.click(NEXT)

    # 2. The city platform: the root key file, the URL, the one-time token, enroll.
    on_page(app, 2, "Hệ thống của thành phố")
    venue = json.loads((home / "config" / "kiosk.json").read_text("utf-8"))
    assert (venue["venue_id"], venue["venue_name"]) == (VENUE_ID, VENUE_NAME), venue
    assert venue["venue_category"] == CATEGORY, venue
    fill(app, ROOT_FIELD, root)
    app.click(PIN_ROOT)
    app.see(PINNED.split("{kid}", maxsplit=1)[0])
    fill(app, URL_FIELD, platform.url)
    fill(app, TOKEN_LABEL, token, beside=True)
    fill(app, KIOSK_NAME_FIELD, KIOSK_NAME)
    app.click(ENROLL)
    state = app.see(ENROLLED, timeout=30)
    assert BUNDLE_INSTALLED in joined(state), texts(state)
    assert NO_BUNDLE not in joined(state), texts(state)
    assert f"tại địa điểm {VENUE_ID}" in joined(state), texts(state)
    assert not shows(state, "field", token)  # a token works once: the field is cleared
    app.click(NEXT)

    # 3. A bundle from a file: not needed, the platform sent one.
    on_page(app, 3, "Gói dữ liệu tin cậy từ tệp")
    app.click(NEXT)

    # 4. The camera: none on this machine, and the page says so within seconds.
    on_page(app, 4, "Camera")
    app.wait("the camera field", field_shows("0"))  # what the kiosk has: camera 0
    if NO_CAMERA:
        app.see(NO_CAMERA_AT.format(camera="0"), timeout=5)
        app.click(FIND_CAMERAS)  # the technician looks again: still nothing
        app.wait("the search to end", lambda s: enabled(s, FIND_CAMERAS))
        state = app.see(NO_CAMERA_AT.format(camera="0"))
        assert not any("[ WARN" in text for text in texts(state)), texts(state)
    # Nothing else to choose (no "hand scanner only"): camera 0 stays, the hand scanner
    # works whatever the camera.
    app.click(NEXT)

    # 5. The decoder: automatic, as offered.
    on_page(app, 5, "Bộ giải mã QR")
    app.click(NEXT)

    # 6. The manager PIN, typed twice (a new one: the command line set the first).
    on_page(app, 6, "Mã PIN quản lý")
    app.see(PIN_KEPT_OR_CHANGED)
    fill(app, PIN_LABEL, NEW_PIN, beside=True)
    fill(app, PIN_AGAIN_LABEL, NEW_PIN, beside=True)
    app.click(NEXT)

    # 7. The self-test runs by itself and shows each check.
    state = app.wait(
        "the self-test's page and its summary",
        lambda s: shows(s, "label", heading(7, "Tự kiểm tra")) and SUMMARY.search(joined(s)),
        timeout=60,
    )
    rows = selftest_rows(state)
    assert [row_of(rows, name) for name in CHECK_TITLES], rows  # each check, once
    assert len(rows) == len(CHECK_TITLES), rows
    for row in rows:
        assert row[2:].split(": ", 1)[1].startswith(LOOKS[row[0]]), row
    for name in ("trust data", "database", "platform", "manager PIN", "decoder", "clock"):
        assert row_of(rows, name).startswith(PASS), rows
    assert row_of(rows, "sound")[0] in (PASS, WARN), rows  # no speaker here: a warning
    if NO_CAMERA:
        camera = row_of(rows, "camera")
        assert camera.startswith(FAIL), camera
        assert "không tìm thấy camera: /dev/video0" in camera, camera  # in the wizard's words
        assert "[ WARN" not in camera, camera
    app.click(FINISH)

    # The app leaves the demo and starts as the kiosk just provisioned: the guard screen
    # with the venue typed, the warnings of before gone.
    state = app.wait(
        "the guard screen with the venue",
        lambda s: s.get("screen") == "GuardScreen" and shows(s, "label", VENUE_NAME),
    )
    assert "(demo)" not in joined(state), texts(state)
    state = app.wait(
        "the trust and category warnings to go",
        lambda s: NO_TRUST_WARNING not in joined(s) and NO_CATEGORY_WARNING not in joined(s),
    )
    if NO_CAMERA:
        assert NO_CAMERA_GUARD in joined(state), texts(state)

    # On disk: the real kiosk's files (not the demo kiosk's, under data/demo/kiosk).
    settings = json.loads((home / "config" / "kiosk.json").read_text("utf-8"))
    assert settings["venue_id"] == VENUE_ID, settings
    assert settings["venue_name"] == VENUE_NAME, settings
    assert settings["venue_category"] == CATEGORY, settings
    assert settings["camera"] == "0", settings
    assert settings["decoder"] == "auto", settings
    enrollment = json.loads((home / "data" / "enrollment.json").read_text("utf-8"))
    assert enrollment["platform_url"] == platform.url, enrollment
    assert enrollment["venue_id"] == VENUE_ID, enrollment
    pin_now = (home / "config" / "manager-pin.json").read_bytes()
    assert pin_now != pin_by_cli  # the wizard's PIN replaced the command line's
    demo = json.loads((home / "data" / "demo" / "kiosk" / "config" / "kiosk.json").read_text())
    assert demo["venue_id"] == "DEMO-Q1-0001", demo  # the demo kiosk is left as it was
    # On the platform: the kiosk, at the venue, with the name typed.
    assert platform_kiosks(platform.data / "platform.db") == [
        {"id": enrollment["kiosk_id"], "venue_id": VENUE_ID, "name": KIOSK_NAME}
    ]

    # A visitor's city card on the hand scanner: green, and on the platform.
    kiosk = CityKiosk(home, platform, issuer_key, tmp_path / "operator")
    app.scan(kiosk.card(HOLDER, "1987-05-12"))
    shown = panel(app.wait_decision())
    assert shown["tone"] == "green", (shown["headline"], shown["details"])
    assert shown["holder"] == HOLDER
    stored = wait_for("the check-in on the platform", platform.checkins, timeout=60)
    assert [(row["verdict"], row["kiosk_id"]) for row in stored] == [
        ("green", enrollment["kiosk_id"])
    ]

    # The manager's PIN is the one typed in the wizard.
    app.wait("back to scanning", lambda s: s.get("panel") is None, timeout=30)
    app.key("F2")
    app.wait("the PIN pad", lambda s: shows(s, "label", PIN_TITLE))
    app.type(NEW_PIN)
    app.key("Return")
    app.wait("the manager view", lambda s: shows(s, "label", MANAGER_TITLE))


@pytest.mark.slow
def test_a_new_kiosk_leads_the_technician_to_the_wizard(trip: Journey, tmp_path: Path) -> None:
    home = tmp_path / "home"
    app = trip.app(home, "run").start()
    assert "(demo)" in joined(app.state())  # not provisioned: the demo

    app.key("F2")
    state = app.see(NO_PIN_TITLE)
    assert "kiosk pin set" in joined(state), texts(state)
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(CLI_PIN + "\n")
    run(["pin", "set", "--pin-file", str(pin_file)], home)  # as the screen says
    app.click(BACK_TO_SCANNING)
    app.wait("the guard screen", lambda s: s.get("screen") == "GuardScreen")

    app.key("F2")
    app.wait("the PIN pad", lambda s: shows(s, "label", PIN_TITLE), timeout=10)
    app.type(CLI_PIN)
    app.key("Return")
    app.click(TECHNICIAN)
    state = on_page(app, 1, "Địa điểm")
    assert not shows(state, "field", "DEMO-Q1-0001"), texts(state)  # not the demo's venue
    fill(app, VENUE_ID_FIELD, VENUE_ID)
    fill(app, VENUE_NAME_LABEL, VENUE_NAME, beside=True)
    app.click(NEXT)
    on_page(app, 2, "Hệ thống của thành phố")
    settings = json.loads((home / "config" / "kiosk.json").read_text("utf-8"))
    assert settings["venue_id"] == VENUE_ID, settings


@pytest.mark.slow
def test_the_technician_provisions_on_the_command_line_then_self_tests(
    trip: Journey, tmp_path: Path
) -> None:
    pin_file = tmp_path / "pin.txt"
    pin_file.write_text(CLI_PIN + "\n")
    kiosk = city_kiosk(trip, tmp_path / "home", "--pin-file", str(pin_file))

    # The self-test: a line per check with its state, a summary; exit 1 on a failure.
    result = run(["selftest"], kiosk.home, check=False)
    out = result.stdout
    lines = out.strip().splitlines()
    assert lines[0].split() == ["check", "result", "detail"], out
    checks = {}
    for line in lines[1:-1]:
        found = re.match(r"(.+?)\s+(PASS|WARN|FAIL)\s+(.*)", line)
        assert found, line
        checks[found.group(1).strip()] = (found.group(2), found.group(3))
    assert list(checks) == list(CHECK_TITLES), out
    failed = sum(state == "FAIL" for state, _ in checks.values())
    assert result.returncode == (1 if failed else 0), (result.returncode, out)
    assert re.fullmatch(
        rf"(all 8 checks passed|{failed} of 8 checks FAILED)(, \d warnings?)?", lines[-1]
    ), lines[-1]
    everything = out + result.stderr
    assert "[ WARN" not in everything, everything
    assert "cap_v4l" not in everything, everything
    assert result.stderr == "", result.stderr
    if NO_CAMERA:
        assert checks["camera"][0] == "FAIL", out
        assert checks["camera"][1].startswith("no camera found: /dev/video0"), out
    assert checks["sound"][0] in ("PASS", "WARN"), out
    assert checks["trust data"][0] == "PASS", out
    assert "bundle version 1" in checks["trust data"][1], out
    assert checks["platform"][0] == "PASS", out
    assert kiosk.platform.url in checks["platform"][1], out
    assert checks["manager PIN"] == ("PASS", "set"), out
    for name in ("decoder", "clock", "database"):
        assert checks[name][0] == "PASS", out

    # --json: the same checks, the same states.
    result = run(["selftest", "--json"], kiosk.home, check=False)
    report = json.loads(result.stdout)
    assert [c["name"] for c in report["checks"]] == list(CHECK_TITLES), report
    assert {c["name"]: c["status"].upper() for c in report["checks"]} == {
        name: state for name, (state, _) in checks.items()
    }, report
    assert report["ok"] is (failed == 0), report
    assert result.returncode == (0 if report["ok"] else 1), result.returncode

    # The demo camera on a provisioned kiosk: refused, with the reason; nothing changed.
    before = (kiosk.home / "config" / "kiosk.json").read_bytes()
    refused = run(["provision", "--camera", "synthetic"], kiosk.home, check=False)
    assert refused.returncode != 0, refused.stdout
    assert "synthetic demo camera" in refused.stderr, refused.stderr
    assert "provisioned kiosk cannot use it" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr, refused.stderr
    assert (kiosk.home / "config" / "kiosk.json").read_bytes() == before

    # A platform that publishes no bundle: enrolled, but provisioning is not done.
    empty = trip.platform("empty").start()
    home = tmp_path / "second"
    token = empty.command("token", "--venue", VENUE_ID)
    result = run(
        [
            "provision",
            "--venue-id",
            VENUE_ID,
            "--venue-name",
            VENUE_NAME,
            "--category",
            "dine-in",
            "--root",
            empty.command("root-key"),
            "--platform",
            empty.url,
            "--token",
            token,
        ],
        home,
        check=False,
    )
    assert result.returncode != 0, result.stdout
    assert "enrolled as kiosk" in result.stdout, result.stdout  # the token is spent
    assert "publishes no trust bundle" in result.stderr, result.stderr
    assert "cityplatform publish --issuer" in result.stderr, result.stderr  # what to do
    assert "Traceback" not in result.stderr, result.stderr
    assert len(platform_kiosks(empty.data / "platform.db")) == 1
    # And the self-test there says the trust data is what is missing.
    checked = run(["selftest"], home, check=False)
    assert checked.returncode == 1, checked.stdout
    trust_line = next(line for line in checked.stdout.splitlines() if line.startswith("trust"))
    assert "FAIL" in trust_line, checked.stdout
