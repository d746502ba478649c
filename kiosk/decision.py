"""The outcome of one scan."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain import Card, Colour, Reason, Verdict
from kiosk.reasons import REASONS


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one scan. ``verdict`` follows from ``reason`` (one table)."""

    reason: Reason
    at: datetime
    format: str | None = None
    card: Card | None = None
    rules_colour: Colour | None = None
    rules_version: str | None = None
    venue_category: str | None = None
    #: Technical detail for logs and technicians; never a personal field.
    detail: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def verdict(self) -> Verdict:
        return REASONS[self.reason].verdict

    @property
    def issued_colour(self) -> Colour | None:
        return self.card.issued_colour if self.card else None

    @property
    def colour_changed(self) -> bool:
        """True when today's rules give another colour than the one printed at issuance."""
        return (
            self.issued_colour is not None
            and self.rules_colour is not None
            and self.issued_colour != self.rules_colour
        )
