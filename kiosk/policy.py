"""Venue admission policy: which colours a category of venue lets in."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain import Colour, Reason
from kiosk.errors import RulesError
from kiosk.reasons import admitted


@dataclass(frozen=True, slots=True)
class VenueCategory:
    code: str
    admits: frozenset[Colour]
    name: Mapping[str, str]

    def admit(self, colour: Colour) -> Reason:
        if colour is Colour.RED:
            return Reason.NO_VALID_BASIS
        return admitted(colour) if colour in self.admits else Reason.NOT_ADMITTED


def admit(colour: Colour, category: VenueCategory | None) -> Reason:
    """The reason for a card of ``colour``; with no category, any green/yellow passes."""
    if category is not None:
        return category.admit(colour)
    return Reason.NO_VALID_BASIS if colour is Colour.RED else admitted(colour)


def categories_from_json(document: object) -> dict[str, VenueCategory]:
    """Parse the ``venues`` document of a bundle; raises :class:`RulesError`."""
    if not isinstance(document, dict) or not isinstance(document.get("categories"), list):
        raise RulesError("venues document must be an object with a categories list")
    result: dict[str, VenueCategory] = {}
    for raw in document["categories"]:
        if not isinstance(raw, dict) or not isinstance(raw.get("code"), str):
            raise RulesError("each venue category needs a code")
        code = raw["code"]
        admits = raw.get("admits")
        if not isinstance(admits, list) or not admits:
            raise RulesError(f"venue category {code}: admits must be a non-empty list")
        try:
            colours = frozenset(Colour(c) for c in admits)
        except ValueError as exc:
            raise RulesError(f"venue category {code}: admits green and/or yellow") from exc
        if Colour.RED in colours:
            raise RulesError(f"venue category {code}: red is never admitted")
        name = raw.get("name", {})
        if not isinstance(name, dict):
            raise RulesError(f"venue category {code}: name must map languages to text")
        result[code] = VenueCategory(code, colours, {str(k): str(v) for k, v in name.items()})
    return result
