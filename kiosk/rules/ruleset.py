"""The city's rules as data: versioned rule sets of CertLogic expressions.

A rule set is in force from its ``valid_from`` until the next one starts, because
the city changes its rules by decree. Within the set in force, a card is green when
any green rule holds, else yellow when any yellow rule holds, else red. The facts
the rules see are DCC-shaped (see ``docs/rules.md``) so one engine serves every format.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from kiosk.domain import Card, Colour, Reason, Recovery
from kiosk.errors import CardRejected, CertLogicError, RulesError
from kiosk.rules.certlogic import compile_expression, truthy

logger = logging.getLogger(__name__)

#: LOINC code the DCC uses for "not detected"; every HCM1 test entry is negative.
NOT_DETECTED = "260415000"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    colour: Colour
    description: Mapping[str, str]
    logic: object
    evaluate: Callable[[object], object] = field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class RuleSet:
    version: str
    valid_from: datetime
    rules: tuple[Rule, ...]

    def colour(self, data: object) -> tuple[Colour, Rule | None]:
        """The colour these rules give, and the first rule that gave it."""
        for wanted in (Colour.GREEN, Colour.YELLOW):
            for rule in self.rules:
                if rule.colour is wanted and _holds(rule, data):
                    return wanted, rule
        return Colour.RED, None


def _holds(rule: Rule, data: object) -> bool:
    try:
        return truthy(rule.evaluate(data))
    except CertLogicError as exc:
        # CertLogic's advice: a rule that errors on some input counts as not holding.
        logger.warning("rule %s failed to evaluate: %s", rule.id, exc)
        return False


def _local_midnight(day: date) -> str:
    # A date on a card is a day in the city: it starts at 00:00 +07:00, not 00:00 UTC
    # (CertLogic's reading of a bare date), so "14 days after the dose" starts at midnight.
    return f"{day.isoformat()}T00:00:00+07:00"


def facts(card: Card, now: datetime) -> dict[str, object]:
    """The data context CertLogic rules see, newest entry of each kind first."""
    vaccinations = sorted(card.vaccinations, key=lambda v: (v.on, v.dose), reverse=True)
    recoveries = sorted(card.recoveries, key=lambda r: r.first_positive, reverse=True)
    tests = sorted(card.tests, key=lambda t: t.sampled_at, reverse=True)
    payload: dict[str, object] = {
        "v": [
            {"mp": v.product, "dn": v.dose, "sd": v.series, "dt": _local_midnight(v.on)}
            for v in vaccinations
        ],
        "r": [_recovery(r) for r in recoveries],
        "t": [{"tt": t.test_type, "sc": _iso(t.sampled_at), "tr": NOT_DETECTED} for t in tests],
        "dob": card.holder.birth_date,
        "c": card.issued_colour.value if card.issued_colour else None,
    }
    return {
        "payload": payload,
        "external": {"validationClock": _iso(now), "format": card.format},
    }


def _recovery(recovery: Recovery) -> dict[str, object]:
    # df/du: the recovery certificate's own validity (EU DCC), first and last day.
    fact: dict[str, object] = {"fr": _local_midnight(recovery.first_positive)}
    if recovery.valid_from is not None:
        fact["df"] = _local_midnight(recovery.valid_from)
    if recovery.valid_until is not None:
        fact["du"] = _local_midnight(recovery.valid_until)
    return fact


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class RuleBook:
    """Every rule set the kiosk knows, ordered by the moment it comes into force."""

    __slots__ = ("_sets", "_starts")

    def __init__(self, sets: Sequence[RuleSet] = ()) -> None:
        self._sets = tuple(sorted(sets, key=lambda s: s.valid_from))
        self._starts = [s.valid_from for s in self._sets]

    @property
    def sets(self) -> tuple[RuleSet, ...]:
        return self._sets

    def in_force(self, now: datetime) -> RuleSet | None:
        i = bisect.bisect_right(self._starts, now)
        return self._sets[i - 1] if i else None

    def judge(self, card: Card, now: datetime) -> tuple[Colour, RuleSet, Rule | None]:
        rule_set = self.in_force(now)
        if rule_set is None:
            raise CardRejected(Reason.NO_RULES, f"no rule set in force at {_iso(now)}")
        colour, rule = rule_set.colour(facts(card, now))
        return colour, rule_set, rule

    @classmethod
    def from_json(cls, document: object) -> RuleBook:
        """Build from the ``rules`` document of a bundle; raises :class:`RulesError`."""
        if not isinstance(document, dict) or not isinstance(document.get("rule_sets"), list):
            raise RulesError("rules document must be an object with a rule_sets list")
        return cls([_rule_set(raw) for raw in document["rule_sets"]])


def _rule_set(raw: object) -> RuleSet:
    if not isinstance(raw, dict):
        raise RulesError("a rule set must be an object")
    version = raw.get("version")
    if not isinstance(version, str) or not version:
        raise RulesError("a rule set needs a version string")
    try:
        valid_from = datetime.fromisoformat(str(raw.get("valid_from")))
    except ValueError as exc:
        raise RulesError(f"rule set {version}: valid_from is not an ISO-8601 date-time") from exc
    if valid_from.tzinfo is None:
        raise RulesError(f"rule set {version}: valid_from needs a time zone")
    rules = raw.get("rules")
    if not isinstance(rules, list) or not rules:
        raise RulesError(f"rule set {version}: rules must be a non-empty list")
    return RuleSet(version, valid_from.astimezone(UTC), tuple(_rule(version, r) for r in rules))


def _rule(version: str, raw: object) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise RulesError(f"rule set {version}: each rule needs an id")
    rule_id = raw["id"]
    try:
        colour = Colour(str(raw.get("colour")))
    except ValueError as exc:
        raise RulesError(f"rule {rule_id}: colour must be green or yellow") from exc
    if colour is Colour.RED:
        raise RulesError(f"rule {rule_id}: colour must be green or yellow (red is the default)")
    description = raw.get("description", {})
    if not isinstance(description, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in description.items()
    ):
        raise RulesError(f"rule {rule_id}: description must map language codes to text")
    try:
        evaluate = compile_expression(raw.get("logic"))
    except CertLogicError as exc:
        raise RulesError(f"rule {rule_id}: {exc}") from exc
    return Rule(rule_id, colour, description, raw.get("logic"), evaluate)
