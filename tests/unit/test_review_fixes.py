"""Behaviours settled in review: clock skew, city-local dates, names, re-provisioning."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import World, claims_of, ict, one_dose_card, two_dose_card

from kiosk import pipeline
from kiosk.domain import Reason, Verdict
from kiosk.errors import BundleRollbackError
from kiosk.formats import hcm1
from kiosk.verify.installed import InstalledTrust, InstallOutcome
from kiosk.verify.keys import SigningKey


def test_a_card_issued_in_the_future_is_not_yet_valid(world: World) -> None:
    now = ict(2021, 10, 1)
    ahead = world.city.issue(two_dose_card(issued_at=now + timedelta(minutes=30)))
    decision = pipeline.process(ahead, now, world.context())
    assert decision.reason is Reason.NOT_YET_VALID
    assert "future" in decision.detail


def test_a_card_issued_just_ahead_of_a_slow_kiosk_clock_is_accepted(world: World) -> None:
    now = ict(2021, 10, 1)
    fresh = world.city.issue(two_dose_card(issued_at=now + timedelta(minutes=2)))
    assert pipeline.process(fresh, now, world.context()).verdict is Verdict.GREEN


def test_fourteen_days_start_at_midnight_in_the_city(world: World) -> None:
    # Last dose on 1 Sept: green from 15 Sept 00:00 +07:00, not from 07:00 (UTC midnight).
    text = world.city.issue(two_dose_card(last_dose=date(2021, 9, 1)))
    context = world.context()
    assert pipeline.process(text, ict(2021, 9, 14, 23, 59), context).verdict is Verdict.RED
    assert pipeline.process(text, ict(2021, 9, 15, 0, 1), context).verdict is Verdict.GREEN


def test_one_dose_turns_green_at_midnight_of_20_september(world: World) -> None:
    text = world.city.issue(one_dose_card(dose_on=date(2021, 9, 1)))
    context = world.context()
    before = pipeline.process(text, ict(2021, 9, 19, 23, 59), context)
    after = pipeline.process(text, ict(2021, 9, 20, 0, 1), context)
    assert (before.verdict, before.rules_version) == (Verdict.YELLOW, "HCM-2021-09-01")
    assert (after.verdict, after.rules_version) == (Verdict.GREEN, "HCM-2021-09-20")


@pytest.mark.parametrize(
    "name",
    ["   ", "Nguyễn\u202eVăn An", "Nguyễn\u200bVăn", "Nguyễn\x00An", "Nguyễn\nAn"],
    ids=["blank", "rtl-override", "zero-width-space", "nul", "newline"],
)
def test_names_that_could_fool_the_guard_are_malformed(world: World, name: str) -> None:
    claims = claims_of(two_dose_card())
    claims[hcm1.CARD]["n"] = name  # type: ignore[index]
    decision = pipeline.process(world.city.sign(claims), ict(2021, 10, 1), world.context())
    assert decision.reason is Reason.MALFORMED
    assert "n (name)" in decision.detail


def _installed(tmp_path: Path, world: World) -> InstalledTrust:
    trust = InstalledTrust(tmp_path / "trust")
    trust.pin_root(world.root.public)
    return trust


def test_a_lost_bundle_file_can_be_restored_at_the_same_version(
    tmp_path: Path, world: World
) -> None:
    trust = _installed(tmp_path, world)
    data = world.bundle(version=4)
    trust.install(data)
    trust.bundle_path.unlink()
    outcome, bundle = trust.install(data)
    assert (outcome, bundle.version) == (InstallOutcome.INSTALLED, 4)


def test_an_older_bundle_file_put_back_on_disk_is_refused(tmp_path: Path, world: World) -> None:
    trust = _installed(tmp_path, world)
    old = world.bundle(version=1)
    trust.install(old)
    trust.install(world.bundle(version=2))
    trust.bundle_path.write_bytes(old)  # someone copies an old file over the current one
    with pytest.raises(BundleRollbackError, match="older"):
        trust.load()


def test_re_provisioning_with_a_new_root_drops_the_old_chain(tmp_path: Path, world: World) -> None:
    trust = _installed(tmp_path, world)
    trust.install(world.bundle(version=9))
    trust.pin_root(SigningKey.generate().public, replace=True)
    assert trust.load() is None
    assert trust.highest_version() == 0


def test_demo_piped_into_a_closed_reader_exits_quietly(tmp_path: Path) -> None:
    result = subprocess.run(
        f"{sys.executable} -m kiosk demo --text | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        env={"KIOSK_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
        check=False,
        timeout=60,
    )
    assert result.stdout.startswith("Kiosk demo")
    assert "Traceback" not in result.stderr, result.stderr
