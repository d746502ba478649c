"""What the guard's status strip and scanning page say, as plain values: no Qt here.

``strip_view(status, translate)`` maps a :class:`~kiosk.runtime.KioskStatus` to a
:class:`StripView`, one :class:`StripItem` (words, level, tooltip) per label of the
strip, or ``None`` for a label that is not shown. ``scanning_words`` words the scanning
page's prompt, and ``problem_words`` a banner given as a code. The widgets only paint
them (``kiosk.ui.guard``).

Words are English source strings through the injected ``translate(context, source)``
(``QCoreApplication.translate`` in the app, identity in tests), written literally as
``translate("StatusStrip", "…")`` so ``pyside6-lupdate`` extracts them: run lupdate over
this file together with ``guard.py`` (see its docstring). Contexts: ``StatusStrip`` for
the strip, ``GuardScreen`` for the scanning page and the banner.

The strip tells the truth: "Offline" only once a sync attempt has failed (a kiosk that
has not tried yet is "Connecting…"); a kiosk whose venue category is wrong says so
plainly in its own alert, not as old trust data; today's counts are people (a
returning card is not another person), with the scans beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Final, Literal

from kiosk.domain import CITY_TZ, Verdict
from kiosk.runtime import KioskStatus, Network, VenueProblem
from kiosk.scanner.sources import SourceState
from kiosk.ui.viewstate import Translate, untranslated

#: "ok": plain; "warn": the manager should look (yellow); "alert": cards are refused or
#: the kiosk cannot work as it should (red).
Level = Literal["ok", "warn", "alert"]

#: Codes the app may show as a banner (:func:`problem_words`), in the screen's language.
PROBLEMS: Final = frozenset({"no_camera", "camera_lost", "unexpected", "restart_needed"})


@dataclass(frozen=True, slots=True)
class StripItem:
    #: With "⚠ " in front when the level is not "ok": a shape as well as a colour.
    text: str
    level: Level = "ok"
    tooltip: str = ""


@dataclass(frozen=True, slots=True)
class StripView:
    """The strip's labels in the order they are painted; ``None``: hidden."""

    venue: StripItem | None
    today: StripItem
    green: StripItem
    yellow: StripItem
    red: StripItem
    scans: StripItem
    network: StripItem
    waiting: StripItem
    last_sync: StripItem | None
    trust: StripItem
    drift: StripItem | None
    camera: StripItem

    def items(self) -> list[tuple[str, StripItem | None]]:
        """(label name, item) in painting order."""
        return [(field.name, getattr(self, field.name)) for field in fields(self)]


def _item(text: str, level: Level = "ok", tooltip: str = "") -> StripItem:
    return StripItem(f"⚠ {text}" if level != "ok" else text, level, tooltip)


def strip_view(
    status: KioskStatus, translate: Translate = untranslated, *, no_camera: bool = False
) -> StripView:
    """The strip for ``status``. ``no_camera``: the camera could not be opened at all
    (the guard screen learns it from the app, not from the status)."""
    people = status.today.people
    total = sum(people.values())
    return StripView(
        venue=_venue(status, translate),
        today=_item(
            translate("StatusStrip", "Today: 1 person")
            if total == 1
            else translate("StatusStrip", "Today: {count} people").format(count=total)
        ),
        green=_item(
            translate("StatusStrip", "{count} green").format(count=people.get(Verdict.GREEN, 0))
        ),
        yellow=_item(
            translate("StatusStrip", "{count} yellow").format(count=people.get(Verdict.YELLOW, 0))
        ),
        red=_item(translate("StatusStrip", "{count} red").format(count=people.get(Verdict.RED, 0))),
        scans=_item(
            translate("StatusStrip", "1 scan")
            if status.today.scans == 1
            else translate("StatusStrip", "{count} scans").format(count=status.today.scans)
        ),
        network=_network(status, translate),
        waiting=_waiting(status, translate),
        last_sync=_last_sync(status, translate),
        trust=_trust(status, translate),
        drift=_drift(status, translate),
        camera=_camera(status.camera, translate, no_camera=no_camera),
    )


def _waiting(status: KioskStatus, translate: Translate) -> StripItem:
    waiting = translate("StatusStrip", "{count} waiting to sync").format(count=status.waiting)
    if status.log_problem is not None:
        # Literal calls, one per problem, so that lupdate extracts each sentence.
        if status.log_problem == "replaced":
            problem = translate("StatusStrip", "The check-in log was replaced: call the technician")
        elif status.log_problem == "shrunk":
            problem = translate(
                "StatusStrip", "Check-ins are missing from the log: call the technician"
            )
        else:
            problem = translate("StatusStrip", "The check-in log is damaged: call the technician")
        return _item(f"{waiting} · {problem}", "alert")
    if not status.damaged:
        return _item(waiting)
    damaged = translate(
        "StatusStrip", "{count} damaged record(s) kept aside: call the technician"
    ).format(count=status.damaged)
    return _item(f"{waiting} · {damaged}", "alert")


def _venue(status: KioskStatus, translate: Translate) -> StripItem | None:
    problem = status.venue_problem
    if problem is None:
        return None
    if problem is VenueProblem.UNSET:
        text = translate(
            "StatusStrip", "Venue category not set: every card is refused. Call the technician."
        )
    else:
        text = translate(
            "StatusStrip",
            "Venue category “{category}” is unknown: every card is refused. Call the technician.",
        ).format(category=status.venue_category or "?")
    return _item(text, "alert", status.venue_category or "")


def _network(status: KioskStatus, translate: Translate) -> StripItem:
    network = status.network
    if network is Network.NOT_ENROLLED:
        return _item(translate("StatusStrip", "Not enrolled"), "warn")
    if network is Network.CONNECTING:
        return _item(translate("StatusStrip", "Connecting…"))
    if network is Network.ONLINE:
        return _item(translate("StatusStrip", "Online"))
    return _item(translate("StatusStrip", "Offline"), "warn", status.last_error or "")


def _last_sync(status: KioskStatus, translate: Translate) -> StripItem | None:
    if status.network is Network.NOT_ENROLLED:
        return None
    if status.last_sync is not None:
        return _item(
            translate("StatusStrip", "Last sync {time}").format(time=_when(status.last_sync))
        )
    if status.network is Network.CONNECTING:
        return _item(translate("StatusStrip", "Not synced yet"))
    return _item(translate("StatusStrip", "Never synced"))


def _trust(status: KioskStatus, translate: Translate) -> StripItem:
    age = status.trust_age
    level: Level
    if age is None:
        text, level = translate("StatusStrip", "No trust data: every card is red"), "alert"
    elif status.trust_stale:
        text = translate("StatusStrip", "Trust data {age} old: update it")
        text, level = text.format(age=_age(age, translate)), "warn"
    else:
        text = translate("StatusStrip", "Trust data {age} old").format(age=_age(age, translate))
        level = "ok"
    return _item(text, level, status.trust_source)


def _drift(status: KioskStatus, translate: Translate) -> StripItem | None:
    if not status.drift_warning:
        return None
    seconds = round(abs(status.drift_seconds or 0.0))
    text = translate("StatusStrip", "Clock off by {seconds} s: check the time")
    return _item(text.format(seconds=seconds), "alert")


def _camera(camera: SourceState, translate: Translate, *, no_camera: bool) -> StripItem:
    if no_camera:
        return _item(translate("StatusStrip", "No camera: use the hand scanner"), "warn")
    if camera is SourceState.LIVE:
        return _item(translate("StatusStrip", "Camera on"))
    if camera is SourceState.STARTING:
        return _item(translate("StatusStrip", "Camera starting…"))
    if camera is SourceState.LOST:
        return _item(translate("StatusStrip", "Camera lost: check the cable"), "alert")
    return _item(translate("StatusStrip", "Camera stopped"), "warn")


def _age(age: timedelta, translate: Translate) -> str:
    if age.days >= 1:
        return translate("StatusStrip", "{days} d").format(days=age.days)
    hours = int(age.total_seconds() // 3600)
    if hours >= 1:
        return translate("StatusStrip", "{hours} h").format(hours=hours)
    minutes = max(0, int(age.total_seconds() // 60))
    return translate("StatusStrip", "{minutes} min").format(minutes=minutes)


def _when(moment: datetime) -> str:
    return moment.astimezone(CITY_TZ).strftime("%H:%M %d/%m")


# --- the scanning page and the banner ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ScanningWords:
    #: The big line over the preview, for the person at the door.
    prompt: str
    #: Drawn where the preview would be while there is no frame.
    placeholder: str


def scanning_words(
    camera: SourceState | None, translate: Translate = untranslated, *, no_camera: bool = False
) -> ScanningWords:
    """Without a camera (none could be opened, or it is lost) the page says to use the
    hand scanner instead of asking the person to show the card to a camera."""
    if no_camera or camera is SourceState.LOST:
        return ScanningWords(
            translate("GuardScreen", "No camera: use the hand scanner"),
            translate("GuardScreen", "No camera"),
        )
    return ScanningWords(
        translate("GuardScreen", "Show the QR code of your Covid card to the camera"),
        translate("GuardScreen", "Waiting for the camera…"),
    )


def problem_words(code: str, translate: Translate = untranslated) -> str:
    """A banner's words for one of :data:`PROBLEMS`; an unknown code gets plain words
    too, never the code itself."""
    if code == "no_camera":
        return translate("GuardScreen", "No camera: use the hand scanner")
    if code == "camera_lost":
        return translate("GuardScreen", "Camera lost: reconnecting… Use the hand scanner.")
    if code == "restart_needed":
        return translate(
            "GuardScreen", "This kiosk is now provisioned: restart the app to leave the demo."
        )
    return translate("GuardScreen", "Something went wrong; the kiosk keeps scanning.")
