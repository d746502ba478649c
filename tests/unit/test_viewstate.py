"""view_of: what the guard sees for each outcome, without Qt."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from decisions import SCENARIOS, colour_changed, result_for
from helpers import NOW, World, ict, two_dose_card

from kiosk.domain import Reason, Verdict
from kiosk.reasons import REASONS
from kiosk.station import NotRecorded, Station
from kiosk.store.log import CheckInLog
from kiosk.ui.viewstate import (
    FEEDBACK_REASONS,
    FEEDBACK_URL,
    TONES,
    ViewState,
    contrast_ratio,
    untranslated,
    view_of,
)

EXPECTED = {
    Verdict.GREEN: ("green", "circle", "admit"),
    Verdict.YELLOW: ("yellow", "triangle", "caution"),
    Verdict.RED: ("red", "octagon", "refuse"),
}
EVERY_VERDICT_TEXT = {t for info in REASONS.values() for t in (info.guard_vi, info.guard_en)}


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_every_reason_gets_its_tone_shape_sound_and_words(world: World, reason: Reason) -> None:
    info = REASONS[reason]
    english = view_of(result_for(world, reason), "en")
    vietnamese = view_of(result_for(world, reason), "vi")
    assert (english.tone, english.shape, english.sound) == EXPECTED[info.verdict]
    style = TONES[english.tone]
    assert (english.background, english.foreground, english.glyph) == (
        style.background,
        style.foreground,
        style.glyph,
    )
    assert english.headline == info.guard_en
    assert vietnamese.headline == info.guard_vi
    if info.verdict is Verdict.RED:
        assert english.advice == info.advice_en
        assert vietnamese.advice == info.advice_vi
        assert english.advice  # every red reason tells the person what to do
    else:
        assert english.advice == vietnamese.advice == ""


def test_the_scenarios_cover_every_reason() -> None:
    assert set(SCENARIOS) == set(Reason)


def test_tones_differ_in_colour_shape_glyph_and_sound() -> None:
    for attribute in ("background", "shape", "glyph", "sound"):
        values = [getattr(style, attribute) for style in TONES.values()]
        assert len(set(values)) == len(values), attribute


@pytest.mark.parametrize("tone", list(TONES))
def test_text_contrast_is_readable_in_sunlight(tone: str) -> None:
    style = TONES[tone]  # type: ignore[index]
    assert contrast_ratio(style.foreground, style.background) >= 7.0  # WCAG AAA


def test_the_yellow_panel_has_dark_text() -> None:
    yellow = TONES["yellow"]
    assert contrast_ratio(yellow.foreground, "#000000") < contrast_ratio(
        yellow.foreground, "#FFFFFF"
    )
    assert contrast_ratio(yellow.foreground, yellow.background) >= 10


def test_contrast_ratio_reference_values() -> None:
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    with pytest.raises(ValueError, match="RRGGBB"):
        contrast_ratio("red", "#FFFFFF")


def test_the_holder_is_shown_by_name_with_a_masked_id(world: World) -> None:
    state = view_of(result_for(world, Reason.ADMITTED_GREEN), "vi")
    assert state.holder_name == "Nguyễn Văn An"  # to compare with the name on an ID card
    assert state.birth_year == 1987
    assert state.masked_id == "•••• 4821"
    assert "4821" in str(state.masked_id)


def test_a_red_card_without_a_verified_signature_shows_no_person(world: World) -> None:
    state = view_of(result_for(world, Reason.BAD_SIGNATURE), "en")
    assert (state.holder_name, state.birth_year, state.masked_id) == (None, None, None)


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_the_feedback_link_only_where_the_persons_data_may_be_missing(
    world: World, reason: Reason
) -> None:
    state = view_of(result_for(world, reason), "en")
    expected = FEEDBACK_URL if reason in FEEDBACK_REASONS else None
    assert state.feedback_url == expected


def test_the_feedback_reasons_are_red_and_include_missing_data() -> None:
    assert Reason.NO_VALID_BASIS in FEEDBACK_REASONS
    assert Reason.UNKNOWN_KEY not in FEEDBACK_REASONS  # the kiosk's data, not the person's
    assert all(REASONS[r].verdict is Verdict.RED for r in FEEDBACK_REASONS)
    assert FEEDBACK_URL.startswith("https://")


@pytest.mark.parametrize("reason", [Reason.ADMITTED_GREEN, Reason.NO_VALID_BASIS], ids=str)
def test_an_unrecorded_check_in_shows_the_error_and_no_verdict(
    world: World, reason: Reason
) -> None:
    message = "the check-in log cannot be written: database is locked"
    state = view_of(result_for(world, reason, error=message, returning_since=NOW), "en")
    assert (state.tone, state.shape, state.sound) == ("error", "square", "error")
    assert state.headline == "Check-in NOT recorded"
    assert state.headline not in EVERY_VERDICT_TEXT
    assert state.details == ("The check-in log could not be written.",)
    assert state.advice == "Scan again. If this repeats, call the manager."
    assert (state.holder_name, state.feedback_url, state.returning) == (None, None, None)
    assert state.background not in {TONES[t].background for t in ("green", "yellow", "red")}


@pytest.mark.parametrize(
    ("code", "why", "advice"),
    [
        (
            NotRecorded.DISK_FULL,
            "The kiosk's storage is full.",
            "Call the manager now: no check-in can be recorded.",
        ),
        (
            NotRecorded.LOG_FAILED,
            "The check-in log could not be written.",
            "Scan again. If this repeats, call the manager.",
        ),
        (
            NotRecorded.NO_LOG,
            "This kiosk has no check-in log.",
            "Scan again. If this repeats, call the manager.",
        ),
    ],
)
def test_why_nothing_was_recorded_is_worded_from_its_code(
    world: World, code: NotRecorded, why: str, advice: str
) -> None:
    english = "the disk is full: the check-in was NOT recorded"
    result = replace(result_for(world, Reason.ADMITTED_GREEN, error=english), error_code=code)
    calls: list[tuple[str, str]] = []

    def translate(context: str, source: str) -> str:
        calls.append((context, source))
        return f"<vi>{source}</vi>"

    state = view_of(result, "vi", translate)
    # Every word through the translator: no English from the store in a Vietnamese screen.
    assert state.details == (f"<vi>{why}</vi>",)
    assert state.advice == f"<vi>{advice}</vi>"
    assert state.headline == "<vi>Check-in NOT recorded</vi>"
    assert all(english not in line for line in state.details)
    assert {context for context, _ in calls} == {"ViewState"}


def test_a_full_disk_reaches_the_screen_as_a_code(tmp_path: Path, world: World) -> None:
    """The real store filling up (SQLite's own SQLITE_FULL) gives the disk-full words."""
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    station = Station(world.context, log, lambda: NOW)
    try:
        assert station.check_in(world.city.issue(two_dose_card())).record is not None
        pages = log._db.execute_sql("PRAGMA page_count").fetchone()[0]
        log._db.execute_sql(f"PRAGMA max_page_count = {pages}")
        results = [station.check_in(world.city.issue(two_dose_card())) for _ in range(100)]
    finally:
        log.close()
    failed = [r for r in results if r.error is not None]
    assert failed, "the log never filled up"
    assert {r.error_code for r in failed} == {NotRecorded.DISK_FULL}
    assert all(r.error_code is None for r in results if r.error is None)
    assert view_of(failed[0], "en").details == ("The kiosk's storage is full.",)


def test_a_returning_card_says_when_it_last_checked_in(world: World) -> None:
    earlier = ict(2021, 10, 1, 8, 5)
    state = view_of(result_for(world, Reason.ADMITTED_GREEN, returning_since=earlier), "en")
    assert state.returning == "Returning: last check-in 08:05"
    assert view_of(result_for(world, Reason.ADMITTED_GREEN), "en").returning is None


def test_returning_time_is_on_the_citys_clock(world: World) -> None:
    in_utc = datetime(2021, 10, 1, 2, 50, tzinfo=UTC)
    state = view_of(result_for(world, Reason.ADMITTED_GREEN, returning_since=in_utc), "en")
    assert state.returning == "Returning: last check-in 09:50"


def test_a_colour_the_rules_changed_is_a_detail_line(world: World) -> None:
    state = view_of(colour_changed(world), "en")
    assert state.tone == "green"
    assert state.details == ("Issued yellow; today's rules give green",)
    unchanged = view_of(result_for(world, Reason.ADMITTED_GREEN), "en")
    assert unchanged.details == ()


def test_detail_words_go_through_the_injected_translator(world: World) -> None:
    calls: list[tuple[str, str]] = []
    words = {
        "Issued {issued}; today's rules give {rules}": "Thẻ cấp màu {issued}; hôm nay: {rules}",
        "yellow": "vàng",
        "green": "xanh",
        "Returning: last check-in {time}": "Quay lại: {time}",
    }

    def translate(context: str, source: str) -> str:
        calls.append((context, source))
        return words.get(source, source)

    result = colour_changed(world)
    returning = type(result)(result.decision, None, returning_since=ict(2021, 10, 1, 9, 30))
    state = view_of(returning, "vi", translate)
    assert state.details == ("Thẻ cấp màu vàng; hôm nay: xanh",)
    assert state.returning == "Quay lại: 09:30"
    assert {context for context, _ in calls} == {"ViewState"}
    assert untranslated("ViewState", "green") == "green"


def test_an_unknown_language_falls_back_to_english(world: World) -> None:
    state = view_of(result_for(world, Reason.EXPIRED), "fr")
    assert state.headline == REASONS[Reason.EXPIRED].guard_en


def test_a_manual_admission_is_green_whatever_the_in_memory_decision(
    tmp_path: Path, world: World
) -> None:
    log = CheckInLog.open(tmp_path, kiosk_id="k", venue_id="v")
    try:
        result = Station(world.context, log, lambda: NOW).admit_manually(
            "paper certificate", name="Lê Văn Tám", phone="0912 345 678"
        )
    finally:
        log.close()
    assert result.record is not None
    state = view_of(result, "en")
    assert (state.tone, state.sound) == ("green", "admit")
    assert state.headline == "Admitted by the guard"


def test_view_state_is_frozen(world: World) -> None:
    state = view_of(result_for(world, Reason.ADMITTED_GREEN), "en")
    assert isinstance(state, ViewState)
    with pytest.raises(AttributeError):
        state.tone = "red"  # type: ignore[misc]


def test_viewstate_imports_no_qt() -> None:
    code = (
        "import sys, kiosk.ui.viewstate; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False"
