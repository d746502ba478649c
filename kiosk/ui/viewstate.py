"""What the guard sees for one check-in, as plain values: no Qt here.

``view_of(result, language, translate)`` maps a :class:`~kiosk.station.CheckInResult` to
a :class:`ViewState`: tone, colours, shape, headline, the holder's details,
detail lines, advice, the feedback link and the sound. The guard screen only paints it.

Two sources of words, one rule each:

* The headline and the advice of a reason come from :data:`kiosk.reasons.REASONS` (the
  one table), in ``language``.
* Every other string here (detail lines, the "not recorded" screen, colour names) is an
  English source string passed through ``translate(context, source)``, the injected
  :data:`Translate`. The widget passes ``QCoreApplication.translate``, so these strings
  are translated by Qt's own system although this module imports no Qt; tests pass
  nothing (identity) or a fake. Each call is written literally as
  ``translate("ViewState", "…")`` so ``pyside6-lupdate`` extracts it (lupdate recognises
  any call named ``translate``); run lupdate over this file together with ``guard.py``.
  Placeholders are ``str.format`` fields (``{time}``), which translators keep as they are.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from kiosk.domain import CITY_TZ, Colour, Reason, Verdict
from kiosk.reasons import REASONS
from kiosk.station import CheckInResult, NotRecorded

Tone = Literal["green", "yellow", "red", "error"]
Shape = Literal["circle", "triangle", "octagon", "square"]
#: The sound of an outcome (``kiosk.ui.sound`` makes one distinct sound per cue).
Cue = Literal["admit", "caution", "refuse", "error"]
#: ``translate(context, source_text) -> text``: ``QCoreApplication.translate`` in the app.
Translate = Callable[[str, str], str]

#: The city's public feedback page, where a person reports missing or wrong vaccination
#: data. One constant for the whole kiosk; the QR code on a red screen links here.
FEEDBACK_URL: Final = "https://dichvucong.hochiminhcity.gov.vn/phan-anh"

#: Reasons whose fix is on the person's side, in the city's records: the feedback QR is
#: shown only for these. ``no_valid_basis``: the city's record of doses or tests is
#: missing or late (the reason's own advice points to the feedback page). ``revoked``:
#: a card revoked in error is contested there too. Not ``unknown_key`` nor ``no_rules``:
#: those are the kiosk's own trust data being old, fixed by the manager, and a QR would
#: send the person to complain about a problem they do not have. Not the forgery reasons
#: (nothing to report), nor ``expired`` (the app renews the card) or ``not_admitted``
#: (the venue's own policy).
FEEDBACK_REASONS: Final = frozenset({Reason.NO_VALID_BASIS, Reason.REVOKED})


@dataclass(frozen=True, slots=True)
class ToneStyle:
    """The look and sound of one tone. Colour is never the only signal: each tone also
    has its own shape and glyph (colour-blind guards) and its own sound."""

    background: str
    foreground: str
    shape: Shape
    glyph: str
    sound: Cue


#: High-contrast pairs, all at least 7:1 (WCAG AAA) so they stay readable in sunlight;
#: the yellow panel carries dark text. "error" is a dark slate that is none of the three
#: verdict colours, because it is not a verdict.
TONES: Final[dict[Tone, ToneStyle]] = {
    "green": ToneStyle("#00632B", "#FFFFFF", "circle", "✔", "admit"),
    "yellow": ToneStyle("#FFD000", "#111111", "triangle", "!", "caution"),
    "red": ToneStyle("#A8001C", "#FFFFFF", "octagon", "✖", "refuse"),
    "error": ToneStyle("#22303C", "#FFFFFF", "square", "⚠", "error"),
}

_VERDICT_TONE: Final[dict[Verdict, Tone]] = {
    Verdict.GREEN: "green",
    Verdict.YELLOW: "yellow",
    Verdict.RED: "red",
}


@dataclass(frozen=True, slots=True)
class ViewState:
    """The decision panel's content, ready to paint."""

    tone: Tone
    background: str
    foreground: str
    shape: Shape
    glyph: str
    #: Big words: the reason's guard text (or, for ``error``, that nothing was recorded).
    headline: str
    #: Masked: family name in full, other names as initials ("Nguyễn V. A.").
    holder_name: str | None
    birth_year: int | None
    #: "•••• 1234" (the last four digits of the national ID), when the card has them.
    masked_id: str | None
    #: Smaller lines under the holder: a colour the rules changed, why nothing was recorded.
    details: tuple[str, ...]
    #: What the person can do (red and error only; "" otherwise).
    advice: str
    #: A page to report missing data (see :data:`FEEDBACK_REASONS`); None: no QR.
    feedback_url: str | None
    sound: Cue
    #: "Returning: last check-in 14:02" when the card checked in here recently, else None.
    returning: str | None


def untranslated(_context: str, source: str) -> str:
    """The default :data:`Translate`: the English source text."""
    return source


def view_of(result: CheckInResult, language: str, translate: Translate = untranslated) -> ViewState:
    """The panel for ``result``; ``language`` is ``"vi"`` or ``"en"`` (others: English)."""
    vietnamese = language.lower().startswith("vi")
    if result.error is not None or result.error_code is not None:
        return _not_recorded(result.error_code, translate)
    record = result.record
    if record is not None and record.manual:
        # A guard admitted someone on paper (Station.admit_manually): the record, green,
        # is what counts, not the in-memory decision (which has no card to judge).
        return _panel(
            "green",
            translate("ViewState", "Admitted by the guard"),
            details=(translate("ViewState", "Recorded as a manual admission"),),
        )
    decision = result.decision
    info = REASONS[decision.reason]
    tone = _VERDICT_TONE[decision.verdict]
    holder = decision.card.holder if decision.card is not None else None
    details: list[str] = []
    if decision.colour_changed:
        assert decision.issued_colour is not None
        assert decision.rules_colour is not None
        details.append(
            translate("ViewState", "Issued {issued}; today's rules give {rules}").format(
                issued=_colour_word(decision.issued_colour, translate),
                rules=_colour_word(decision.rules_colour, translate),
            )
        )
    returning = None
    if result.returning_since is not None:
        returning = translate("ViewState", "Returning: last check-in {time}").format(
            time=_clock_time(result.returning_since)
        )
    red = decision.verdict is Verdict.RED
    return _panel(
        tone,
        info.guard_vi if vietnamese else info.guard_en,
        holder_name=holder.name if holder is not None else None,
        birth_year=holder.birth_year if holder is not None else None,
        masked_id=holder.masked_id if holder is not None else None,
        details=tuple(details),
        advice=(info.advice_vi if vietnamese else info.advice_en) if red else "",
        feedback_url=FEEDBACK_URL if decision.reason in FEEDBACK_REASONS else None,
        returning=returning,
    )


def _panel(
    tone: Tone,
    headline: str,
    *,
    holder_name: str | None = None,
    birth_year: int | None = None,
    masked_id: str | None = None,
    details: tuple[str, ...] = (),
    advice: str = "",
    feedback_url: str | None = None,
    returning: str | None = None,
) -> ViewState:
    """A ViewState whose colours, shape, glyph and sound come from its tone."""
    style = TONES[tone]
    return ViewState(
        tone=tone,
        background=style.background,
        foreground=style.foreground,
        shape=style.shape,
        glyph=style.glyph,
        headline=headline,
        holder_name=holder_name,
        birth_year=birth_year,
        masked_id=masked_id,
        details=details,
        advice=advice,
        feedback_url=feedback_url,
        sound=style.sound,
        returning=returning,
    )


def _not_recorded(code: NotRecorded | None, translate: Translate) -> ViewState:
    """The check-in could not be recorded: say so, and show no verdict and no person
    (a green panel for an unrecorded check-in would break the contact-tracing log)."""
    return _panel(
        "error",
        translate("ViewState", "Check-in NOT recorded"),
        # Words for the code, in the screen's language: the store's own message is
        # technical English for the log, never put inside a Vietnamese screen.
        details=(not_recorded_words(code, translate),),
        # A full disk does not heal by scanning again: every next check-in fails too.
        advice=translate("ViewState", "Call the manager now: no check-in can be recorded.")
        if code is NotRecorded.DISK_FULL
        else translate("ViewState", "Scan again. If this repeats, call the manager."),
    )


def not_recorded_words(code: NotRecorded | None, translate: Translate = untranslated) -> str:
    """Why a check-in (or a manual admission) was not recorded, in the screen's words."""
    # Literal calls, one per code, so that lupdate extracts each sentence.
    if code is NotRecorded.DISK_FULL:
        return translate("ViewState", "The kiosk's storage is full.")
    if code is NotRecorded.NO_LOG:
        return translate("ViewState", "This kiosk has no check-in log.")
    return translate("ViewState", "The check-in log could not be written.")


def _colour_word(colour: Colour, translate: Translate) -> str:
    # Literal calls, one per colour, so that lupdate extracts each word.
    if colour is Verdict.GREEN:
        return translate("ViewState", "green")
    if colour is Verdict.YELLOW:
        return translate("ViewState", "yellow")
    return translate("ViewState", "red")


def _clock_time(moment: datetime) -> str:
    """``HH:MM`` on the city's clock (the re-entry window is hours, not days)."""
    return moment.astimezone(CITY_TZ).strftime("%H:%M")


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    digits = colour.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
