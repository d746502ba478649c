"""CertLogic engine: implements the CertLogic specification, version 1.3.3.

CertLogic is the JsonLogic subset, plus ``plusTime``, ``extractFromUVCI`` and
``dccDateOfBirth``, in which EU DCC business rules are written. An expression is checked
whole and compiled once into nested closures; every failure, at compile or evaluation
time, is a :class:`~kiosk.errors.CertLogicError`. Evaluation errors name types, never
values: the data holds personal data. Where the specification leaves room, the choices
made are listed in docs/design/001-certlogic-engine.md.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeGuard

from kiosk.errors import CertLogicError

__all__ = [
    "MAX_DEPTH",
    "DateTime",
    "Evaluator",
    "compile_expression",
    "evaluate",
    "validate",
]

Evaluator = Callable[[object], object]
"""A compiled expression: takes the data context, returns the expression's value."""

MAX_DEPTH: Final = 64
"""Deepest nesting of expressions (and of values compared by ``===``) accepted."""

_MS_PER_HOUR: Final = 3_600_000
_MS_PER_DAY: Final = 86_400_000
# A JavaScript Date holds at most 8.64e15 ms either side of the epoch (ECMA-262 21.4.1.1).
_MAX_TIME_MS: Final = 8_640_000_000_000_000
_TIME_UNITS: Final = ("year", "month", "day", "hour")
_RENDER_LIMIT: Final = 60


@dataclass(frozen=True, slots=True)
class DateTime:
    """A CertLogic date-time: milliseconds since 1970-01-01T00:00:00.000Z.

    Only ``plusTime`` and ``dccDateOfBirth`` make these; ``after``, ``before``,
    ``not-after`` and ``not-before`` compare them.
    """

    epoch_ms: int

    def isoformat(self) -> str:
        """The instant as JavaScript's ``Date.toISOString`` writes it (UTC, milliseconds)."""
        days, ms = divmod(self.epoch_ms, _MS_PER_DAY)
        year, month, day = _civil_from_days(days)
        hours, ms = divmod(ms, _MS_PER_HOUR)
        minutes, ms = divmod(ms, 60_000)
        seconds, ms = divmod(ms, 1000)
        year_text = f"{year:04d}" if 0 <= year <= 9999 else f"{year:+07d}"
        return (
            f"{year_text}-{month:02d}-{day:02d}T{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}Z"
        )

    def __str__(self) -> str:
        return self.isoformat()


# --- public API ---------------------------------------------------------------------------


def compile_expression(expr: object) -> Evaluator:
    """Check ``expr`` as a whole and compile it into an :data:`Evaluator`.

    Raises :class:`CertLogicError` if ``expr`` is not a valid CertLogic expression;
    the returned evaluator raises :class:`CertLogicError` (and nothing else) when the
    data makes evaluation fail.
    """
    compiler = _Compiler()
    try:
        root = compiler.compile(expr, 0)
    except Exception as exc:  # a hostile object (odd dict subclass, ...) must not escape
        raise CertLogicError(f"invalid CertLogic expression: {type(exc).__name__}") from exc
    if compiler.problems:
        first = compiler.problems[0]
        more = len(compiler.problems) - 1
        suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise CertLogicError(f"invalid CertLogic expression: {first}{suffix}")

    def evaluate_compiled(data: object) -> object:
        try:
            return root(data)
        except CertLogicError:
            raise
        except Exception as exc:  # no TypeError, RecursionError, ... may escape
            raise CertLogicError(f"evaluation failed: {type(exc).__name__}") from exc

    return evaluate_compiled


def evaluate(expr: object, data: object) -> object:
    """Compile ``expr`` and evaluate it against ``data``; compile once to evaluate often."""
    return compile_expression(expr)(data)


def validate(expr: object) -> list[str]:
    """Every problem that makes ``expr`` an invalid CertLogic expression; empty if valid.

    The messages are those of the reference validator (certlogic-js), plus one for
    nesting deeper than :data:`MAX_DEPTH`.
    """
    compiler = _Compiler()
    try:
        compiler.compile(expr, 0)
    except Exception as exc:  # noqa: BLE001  # reported as a problem, as compile_expression does
        return [*compiler.problems, f"invalid CertLogic expression: {type(exc).__name__}"]
    return compiler.problems


# --- values -------------------------------------------------------------------------------


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _truthiness(value: object) -> bool | None:
    """True if truthy, False if falsy, None if neither (spec: "Truthy and falsy values")."""
    if value is True:
        return True
    if value is False or value is None:
        return False
    if isinstance(value, (str, list, dict)):
        return len(value) > 0
    if isinstance(value, int):
        return value != 0
    return None


def truthy(value: object) -> bool:
    """True when CertLogic counts ``value`` as truthy (values neither truthy nor falsy: no)."""
    return _truthiness(value) is True


def _strict_equals(left: object, right: object, depth: int = 0) -> bool:
    """``===``: equality without coercion; containers element-wise, date-times by instant."""
    if isinstance(left, str):
        return isinstance(right, str) and left == right
    if isinstance(left, bool) or isinstance(right, bool) or left is None or right is None:
        return left is right
    if isinstance(left, (int, float)):
        return isinstance(right, (int, float)) and left == right
    if isinstance(left, DateTime):
        return isinstance(right, DateTime) and left.epoch_ms == right.epoch_ms
    if isinstance(left, list):
        if not isinstance(right, list) or len(left) != len(right):
            return False
        _check_compare_depth(depth)
        return all(_strict_equals(a, b, depth + 1) for a, b in zip(left, right, strict=True))
    if isinstance(left, dict):
        if not isinstance(right, dict) or left.keys() != right.keys():
            return False
        _check_compare_depth(depth)
        return all(_strict_equals(value, right[key], depth + 1) for key, value in left.items())
    return False


def _check_compare_depth(depth: int) -> None:
    if depth >= MAX_DEPTH:
        raise CertLogicError(f"values nested deeper than {MAX_DEPTH} levels cannot be compared")


def _type_name(value: object) -> str:
    """A value's CertLogic type, for error messages that must not echo (personal) data."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, DateTime):
        return "date-time"
    if isinstance(value, float):
        return "non-integer number"
    return type(value).__name__


def _render(value: object) -> str:
    """A short rendering of part of an expression (never of data) for a message."""
    text = _render_inner(value, 2)
    return text if len(text) <= _RENDER_LIMIT else text[: _RENDER_LIMIT - 1] + "…"


def _render_inner(value: object, depth: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value[: _RENDER_LIMIT + 1]
    if isinstance(value, int):
        # str() of a huge int is slow, and refused beyond 4300 digits.
        return str(value) if value.bit_length() <= 128 else "<a very large integer>"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        if depth == 0:
            return "[…]"
        items = ",".join(_render_inner(item, depth - 1) for item in value[:4])
        return f"[{items}{',…' if len(value) > 4 else ''}]"
    if isinstance(value, dict):
        return "{…}"
    return f"<{type(value).__name__}>"


# --- dates --------------------------------------------------------------------------------

# YYYY[-MM[-DD[Thh:mm:ss[.S+][Z|(+|-)h[h][[:]mm]]]]], the formats the specification lists.
_DATE_TIME_FORMAT: Final = re.compile(
    r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(?:(Z)|([+-])([0-9]{1,2})(?::?([0-9]{2}))?)?)?)?)?"
)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    """The (year, month, day) that is ``days`` days after 1970-01-01."""
    days += 719_468
    era = days // 146_097
    day_of_era = days - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    day = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + 3 if shifted_month < 10 else shifted_month - 9
    return year_of_era + era * 400 + (month <= 2), month, day


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _make_day(year: int, month0: int, day: int) -> int:
    """ECMA-262 MakeDay: a month or day out of range rolls over into the next year/month."""
    year += month0 // 12
    return _days_from_civil(year, month0 % 12 + 1, 1) + day - 1


def _parse_date_time(text: str, *, date_only: bool) -> int:
    """Epoch milliseconds of a date(-time) string in one of the formats the spec allows.

    A partial date means the last day it allows (``dccDateOfBirth``); a missing time
    means midnight, a missing offset ``Z``; decimals beyond milliseconds are dropped.
    """
    match = _DATE_TIME_FORMAT.fullmatch(text)
    if match is None:
        raise CertLogicError("not an allowed date or date-time format")
    year_, month_, day_, hours_, minutes_, seconds_, fraction, _, sign, offset_h, offset_m = (
        match.groups()
    )
    if date_only and hours_ is not None:
        raise CertLogicError("not an allowed date format")
    year = int(year_)
    if month_ is None:
        month, day = 12, 31
    else:
        month = int(month_)
        if not 1 <= month <= 12:
            raise CertLogicError("date has a month out of range")
        last_day = _days_in_month(year, month)
        day = last_day if day_ is None else int(day_)
        if not 1 <= day <= last_day:
            raise CertLogicError("date has a day out of range")
    epoch_ms = _days_from_civil(year, month, day) * _MS_PER_DAY
    if hours_ is None:
        return epoch_ms
    hours, minutes, seconds = int(hours_), int(minutes_), int(seconds_)
    if hours > 23 or minutes > 59 or seconds > 59:
        raise CertLogicError("date-time has a time of day out of range")
    epoch_ms += ((hours * 60 + minutes) * 60 + seconds) * 1000
    if fraction is not None:
        epoch_ms += int(fraction[:3].ljust(3, "0"))
    if sign is not None:
        offset_hours, offset_minutes = int(offset_h), int(offset_m or 0)
        if offset_hours > 23 or offset_minutes > 59:
            raise CertLogicError("date-time has a timezone offset out of range")
        offset_ms = (offset_hours * 60 + offset_minutes) * 60_000
        epoch_ms += -offset_ms if sign == "+" else offset_ms
    return epoch_ms


def _time_shift(amount: int, unit: str) -> Callable[[int], int]:
    """``plusTime``'s offsetting, as JavaScript's ``Date.setUTC<unit>(getUTC<unit>() + n)``."""
    if amount == 0:
        return _unshifted
    if unit == "hour":
        step = amount * _MS_PER_HOUR

        def shift(epoch_ms: int) -> int:
            return _in_range(epoch_ms + step)

    elif unit == "day":
        step = amount * _MS_PER_DAY

        def shift(epoch_ms: int) -> int:
            return _in_range(epoch_ms + step)

    elif unit == "month":

        def shift(epoch_ms: int) -> int:
            days, time_of_day = divmod(epoch_ms, _MS_PER_DAY)
            year, month, day = _civil_from_days(days)
            return _in_range(_make_day(year, month - 1 + amount, day) * _MS_PER_DAY + time_of_day)

    else:  # "year"

        def shift(epoch_ms: int) -> int:
            days, time_of_day = divmod(epoch_ms, _MS_PER_DAY)
            year, month, day = _civil_from_days(days)
            return _in_range(_make_day(year + amount, month - 1, day) * _MS_PER_DAY + time_of_day)

    return shift


def _unshifted(epoch_ms: int) -> int:
    return epoch_ms


def _in_range(epoch_ms: int) -> int:
    if not -_MAX_TIME_MS <= epoch_ms <= _MAX_TIME_MS:
        raise CertLogicError("plusTime result is outside the range of date-times")
    return epoch_ms


# --- compilation --------------------------------------------------------------------------

_NOT_AN_OPERATION: Final = 'operation not of the form { "<operator>": [ <values...> ] }'
_VAR_PATH: Final = re.compile(r"[^.]+(?:\.[^.]+)*", re.DOTALL)
_ARRAY_INDEX: Final = re.compile(r"[0-9]+")
_UVCI_PREFIX: Final = "URN:UVCI:"
_UVCI_SEPARATORS: Final = re.compile(r"[/#:]")

_INT_COMPARISONS: Final[dict[str, Callable[[int, int], bool]]] = {
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}
_DATE_TIME_COMPARISONS: Final[dict[str, Callable[[int, int], bool]]] = {
    "before": operator.lt,
    "after": operator.gt,
    "not-after": operator.le,
    "not-before": operator.ge,
}


def _invalid(data: object) -> object:
    """Stands in for an invalid sub-expression; never runs, as compilation then fails."""
    raise CertLogicError("invalid CertLogic expression")


def _identity(data: object) -> object:
    return data


def _constant(value: object) -> Evaluator:
    def constant(data: object) -> object:
        return value

    return constant


def _array(items: list[Evaluator]) -> Evaluator:
    def array(data: object) -> object:
        return [item(data) for item in items]

    return array


class _Compiler:
    """Walks an expression once, collecting problems and building closures."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, message: str) -> Evaluator:
        self.problems.append(message)
        return _invalid

    def compile(self, expr: object, depth: int) -> Evaluator:
        if depth > MAX_DEPTH:
            return self.problem(f"expression is nested deeper than {MAX_DEPTH} levels")
        if isinstance(expr, (str, int)):  # bool is an int
            return _constant(expr)
        if isinstance(expr, float):
            return self.problem(f"{_render(expr)} is a non-integer number")
        if isinstance(expr, list):
            return _array([self.compile(item, depth + 1) for item in expr])
        if not isinstance(expr, dict):  # includes null
            return self.problem("invalid CertLogic expression")
        if len(expr) != 1:
            return self.problem(
                f"expression object must have exactly one key, but it has {len(expr)}"
            )
        ((op, operands),) = expr.items()
        if op == "var":
            return self.var(operands)
        if not isinstance(operands, list):
            return self.problem(_NOT_AN_OPERATION)
        depth += 1
        if op == "if":
            return self.if_(operands, depth)
        if op == "and":
            return self.and_(operands, depth)
        if op in _INT_COMPARISONS or op in _DATE_TIME_COMPARISONS:
            return self.comparison(op, operands, depth)
        if op in {"===", "in", "+"}:
            return self.binary(op, operands, depth)
        if op == "!":
            return self.not_(operands, depth)
        if op == "plusTime":
            return self.plus_time(operands, depth)
        if op == "reduce":
            return self.reduce(operands, depth)
        if op == "extractFromUVCI":
            return self.extract_from_uvci(operands, depth)
        if op == "dccDateOfBirth":
            return self.dcc_date_of_birth(operands, depth)
        return self.problem(f'unrecognised operator: "{_render(op)}"')

    def operands(self, operands: list[object], count: int, depth: int) -> list[Evaluator]:
        return [self.compile(operand, depth) for operand in operands[:count]]

    def var(self, path: object) -> Evaluator:
        if not isinstance(path, str):
            return self.problem('not of the form { "var": "<path>" }')
        if path == "":
            return _identity
        if _VAR_PATH.fullmatch(path) is None:
            return self.problem(f"data access path doesn't have a valid format: {_render(path)}")
        steps = [
            (fragment, int(fragment) if _ARRAY_INDEX.fullmatch(fragment) else None)
            for fragment in path.split(".")
        ]
        if len(steps) == 1:
            return _var_step(*steps[0])
        return _var_path(tuple(steps))

    def if_(self, operands: list[object], depth: int) -> Evaluator:
        if len(operands) != 3:
            self.problem(
                f'an "if"-operation must have exactly 3 values/operands, but it has {len(operands)}'
            )
        compiled = self.operands(operands, 3, depth)
        if len(compiled) != 3:
            return _invalid
        guard, then, else_ = compiled

        def if_(data: object) -> object:
            value = guard(data)
            truth = _truthiness(value)
            if truth is None:
                raise CertLogicError(
                    f"if-guard evaluates to a {_type_name(value)}: neither truthy, nor falsy"
                )
            return then(data) if truth else else_(data)

        return if_

    def and_(self, operands: list[object], depth: int) -> Evaluator:
        if len(operands) < 2:
            self.problem(
                f'an "and" operation must have at least 2 operands, but it has {len(operands)}'
            )
        compiled = tuple(self.operands(operands, len(operands), depth))

        def and_(data: object) -> object:
            value: object = None
            for operand in compiled:
                value = operand(data)
                truth = _truthiness(value)
                if truth is None:
                    raise CertLogicError(
                        f'an operand of "and" evaluates to a {_type_name(value)}: '
                        "neither truthy, nor falsy"
                    )
                if not truth:
                    return value
            return value

        return and_

    def comparison(self, op: str, operands: list[object], depth: int) -> Evaluator:
        if not 2 <= len(operands) <= 3:
            self.problem(
                f'an operation with operator "{op}" must have 2 or 3 operands, '
                f"but it has {len(operands)}"
            )
        compiled = self.operands(operands, 3, depth)
        if len(compiled) < 2:
            return _invalid
        if op in _INT_COMPARISONS:
            return _int_comparison(_INT_COMPARISONS[op], compiled)
        return _date_time_comparison(_DATE_TIME_COMPARISONS[op], compiled)

    def binary(self, op: str, operands: list[object], depth: int) -> Evaluator:
        if len(operands) != 2:
            self.problem(
                f'an operation with operator "{op}" must have 2 operands, '
                f"but it has {len(operands)}"
            )
        compiled = self.operands(operands, 2, depth)
        if len(compiled) != 2:
            return _invalid
        left, right = compiled
        if op == "===":

            def equals(data: object) -> object:
                return _strict_equals(left(data), right(data))

            return equals
        if op == "in":

            def in_(data: object) -> object:
                needle = left(data)
                haystack = right(data)
                if not isinstance(haystack, list):
                    raise CertLogicError(
                        'right-hand side of an "in" operation must be an array, '
                        f"not a {_type_name(haystack)}"
                    )
                if type(needle) is str:  # == between a str and a non-str is never True
                    return needle in haystack
                return any(_strict_equals(needle, item) for item in haystack)

            return in_

        def plus(data: object) -> object:
            a = left(data)
            b = right(data)
            if not (_is_int(a) and _is_int(b)):
                raise CertLogicError(
                    f'operands of "+" must both be integers, not a {_type_name(a)} '
                    f"and a {_type_name(b)}"
                )
            return a + b

        return plus

    def not_(self, operands: list[object], depth: int) -> Evaluator:
        if len(operands) != 1:
            return self.problem(
                "a !-operation (logical not/negation) must have exactly 1 operand, "
                f"but it has {len(operands)}"
            )
        (operand,) = self.operands(operands, 1, depth)

        def not_(data: object) -> object:
            value = operand(data)
            truth = _truthiness(value)
            if truth is None:
                raise CertLogicError(
                    f"operand of ! evaluates to a {_type_name(value)}: neither truthy, nor falsy"
                )
            return not truth

        return not_

    def plus_time(self, operands: list[object], depth: int) -> Evaluator:
        count = len(operands)
        if count != 3:
            self.problem(
                f'a "plusTime"-operation must have exactly 3 values/operands, but it has {count}'
            )
        compiled = self.operands(operands, 1, depth)
        amount = operands[1] if count > 1 else 0
        unit = operands[2] if count > 2 else "day"
        if not _is_int(amount):
            self.problem(
                '"amount" argument (#2) of "plusTime" must be an integer, '
                f"but it is: {_render(amount)}"
            )
        if not (isinstance(unit, str) and unit in _TIME_UNITS):
            self.problem(
                f'"unit" argument (#3) of "plusTime" must be a string equal to one of '
                f"{', '.join(_TIME_UNITS)}, but it is: {_render(unit)}"
            )
        if count != 3 or not _is_int(amount) or unit not in _TIME_UNITS:
            return _invalid
        (operand,) = compiled
        shift = _time_shift(amount, str(unit))

        def plus_time(data: object) -> object:
            value = operand(data)
            if not isinstance(value, str):
                raise CertLogicError(
                    f'date argument of "plusTime" must be a string, not a {_type_name(value)}'
                )
            return DateTime(shift(_parse_date_time(value, date_only=False)))

        return plus_time

    def reduce(self, operands: list[object], depth: int) -> Evaluator:
        if len(operands) != 3:
            self.problem(
                f'a "reduce"-operation must have exactly 3 values/operands, '
                f"but it has {len(operands)}"
            )
        compiled = self.operands(operands, 3, depth)
        if len(compiled) != 3:
            return _invalid
        items_of, lambda_, initial = compiled

        def reduce(data: object) -> object:
            items = items_of(data)
            if items is None:
                return initial(data)
            if not isinstance(items, list):
                raise CertLogicError(
                    f"operand of reduce evaluates to a {_type_name(items)}, not an array or null"
                )
            accumulator = initial(data)
            for item in items:
                # A fresh context each time: the lambda may return the context itself.
                accumulator = lambda_({"accumulator": accumulator, "current": item})
            return accumulator

        return reduce

    def extract_from_uvci(self, operands: list[object], depth: int) -> Evaluator:
        count = len(operands)
        if count != 2:
            self.problem(
                f'an "extractFromUVCI"-operation must have exactly 2 values/operands, '
                f"but it has {count}"
            )
        compiled = self.operands(operands, 1, depth)
        index = operands[1] if count > 1 else 0
        if not _is_int(index):
            return self.problem(
                '"index" argument (#2) of "extractFromUVCI" must be an integer, '
                f"but it is: {_render(index)}"
            )
        if count != 2:
            return _invalid
        (operand,) = compiled

        def extract_from_uvci(data: object) -> object:
            uvci = operand(data)
            if uvci is None:
                return None
            if not isinstance(uvci, str):
                raise CertLogicError(
                    'operand of "extractFromUVCI" must evaluate to a string or null, '
                    f"not a {_type_name(uvci)}"
                )
            if index < 0:
                return None
            fragments = _UVCI_SEPARATORS.split(uvci.removeprefix(_UVCI_PREFIX))
            return fragments[index] if index < len(fragments) else None

        return extract_from_uvci

    def dcc_date_of_birth(self, operands: list[object], depth: int) -> Evaluator:
        if len(operands) != 1:
            return self.problem(
                f'a "dccDateOfBirth"-operation must have exactly 1 operand, '
                f"but it has {len(operands)}"
            )
        (operand,) = self.operands(operands, 1, depth)

        def dcc_date_of_birth(data: object) -> object:
            value = operand(data)
            if not isinstance(value, str):
                raise CertLogicError(
                    f'operand of "dccDateOfBirth" must evaluate to a string, '
                    f"not a {_type_name(value)}"
                )
            return DateTime(_parse_date_time(value, date_only=True))

        return dcc_date_of_birth


def _var_step(key: str, index: int | None) -> Evaluator:
    """``{"var": "<fragment>"}``: one step into an object (by key) or an array (by index)."""
    if index is None:

        def var_key(data: object) -> object:
            return data.get(key) if isinstance(data, dict) else None

        return var_key

    def var_key_or_index(data: object) -> object:
        if isinstance(data, dict):
            return data.get(key)
        if isinstance(data, list) and index < len(data):
            return data[index]
        return None

    return var_key_or_index


def _var_path(steps: tuple[tuple[str, int | None], ...]) -> Evaluator:
    """``{"var": "a.0.b"}``: null as soon as a step finds nothing to drill into."""

    def var_path(data: object) -> object:
        value = data
        for key, index in steps:
            if isinstance(value, dict):
                value = value.get(key)
            elif index is not None and isinstance(value, list) and index < len(value):
                value = value[index]
            else:
                return None
        return value

    return var_path


def _int_comparison(compare: Callable[[int, int], bool], operands: list[Evaluator]) -> Evaluator:
    if len(operands) == 2:
        left, right = operands

        def compare_two(data: object) -> object:
            a = left(data)
            b = right(data)
            if type(a) is int and type(b) is int:
                return compare(a, b)
            if _is_int(a) and _is_int(b):
                return compare(a, b)
            raise CertLogicError(
                "all operands of a comparison operation must be of integer type, "
                f"not a {_type_name(a)} and a {_type_name(b)}"
            )

        return compare_two

    first, second, third = operands

    def compare_three(data: object) -> object:
        a = first(data)
        b = second(data)
        c = third(data)
        if not (_is_int(a) and _is_int(b) and _is_int(c)):
            raise CertLogicError(
                "all operands of a comparison operation must be of integer type, not a "
                f"{_type_name(a)}, a {_type_name(b)} and a {_type_name(c)}"
            )
        return compare(a, b) and compare(b, c)

    return compare_three


def _date_time_comparison(
    compare: Callable[[int, int], bool], operands: list[Evaluator]
) -> Evaluator:
    if len(operands) == 2:
        left, right = operands

        def compare_two(data: object) -> object:
            a = left(data)
            b = right(data)
            if isinstance(a, DateTime) and isinstance(b, DateTime):
                return compare(a.epoch_ms, b.epoch_ms)
            raise CertLogicError(
                "all operands of a date-time comparison must be date-times, "
                f"not a {_type_name(a)} and a {_type_name(b)}"
            )

        return compare_two

    first, second, third = operands

    def compare_three(data: object) -> object:
        a = first(data)
        b = second(data)
        c = third(data)
        if isinstance(a, DateTime) and isinstance(b, DateTime) and isinstance(c, DateTime):
            return compare(a.epoch_ms, b.epoch_ms) and compare(b.epoch_ms, c.epoch_ms)
        raise CertLogicError(
            "all operands of a date-time comparison must be date-times, not a "
            f"{_type_name(a)}, a {_type_name(b)} and a {_type_name(c)}"
        )

    return compare_three
