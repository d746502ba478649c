"""kiosk.rules.certlogic beyond the official suite: hostile input, errors, date-times."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.errors import CertLogicError
from kiosk.rules.certlogic import (
    MAX_DEPTH,
    DateTime,
    compile_expression,
    evaluate,
    validate,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def short_id(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def nested_not(levels: int, innermost: object = True) -> object:
    expr = innermost
    for _ in range(levels):
        expr = {"!": [expr]}
    return expr


def nested_array(levels: int) -> object:
    expr: object = 1
    for _ in range(levels):
        expr = [expr]
    return expr


def plus_time(text: str, amount: int = 0, unit: str = "day") -> str:
    result = evaluate({"plusTime": [{"var": ""}, amount, unit]}, text)
    assert isinstance(result, DateTime)
    return result.isoformat()


# --- hostile and invalid expressions ------------------------------------------------------


@pytest.mark.parametrize("make", [nested_not, nested_array], ids=["operations", "arrays"])
def test_100k_levels_of_nesting_is_a_certlogic_error(make: object) -> None:
    assert callable(make)
    expr = make(100_000)
    with pytest.raises(CertLogicError, match="nested deeper than 64"):
        compile_expression(expr)
    with pytest.raises(CertLogicError):
        evaluate(expr, {})
    assert validate(expr) == [f"expression is nested deeper than {MAX_DEPTH} levels"]


def test_nesting_up_to_max_depth_is_accepted() -> None:
    assert evaluate(nested_not(MAX_DEPTH), None) is True  # 64 negations of true
    with pytest.raises(CertLogicError):
        compile_expression(nested_not(MAX_DEPTH + 1))


@pytest.mark.parametrize(
    "expr",
    [
        None,
        3.14,
        float("nan"),
        {},
        {"a": [1], "b": [2]},
        {"all": []},
        {"all": "foo"},
        {1: [1]},
        (1, 2),
        b"bytes",
        {1, 2},
        object(),
        DateTime(0),
        [1, None],
        {"var": 1},
        {"var": None},
        {"var": "x."},
        {"var": ".x"},
        {"var": "a..b"},
        {"var": ["x"]},
        {"if": [True, 1]},
        {"if": [True, 1, 2, 3]},
        {"and": [True]},
        {"<": [1]},
        {"<": [1, 2, 3, 4]},
        {"after": [1]},
        {"===": [1]},
        {"in": [1, [1], 2]},
        {"+": [1, 2, 3]},
        {"!": []},
        {"!": [True, False]},
        {"plusTime": ["2021-01-01", 1.5, "day"]},
        {"plusTime": ["2021-01-01", True, "day"]},
        {"plusTime": ["2021-01-01", {"var": "n"}, "day"]},
        {"plusTime": ["2021-01-01", 1, "week"]},
        {"plusTime": ["2021-01-01", 1]},
        {"reduce": [[], 0]},
        {"extractFromUVCI": ["x", "1"]},
        {"extractFromUVCI": ["x"]},
        {"dccDateOfBirth": []},
        {"dccDateOfBirth": ["2004", "2005"]},
        # JsonLogic operations that CertLogic 1.3.3 does not have:
        {"or": [True, False]},
        {"!==": [1, 2]},
        {"!!": [1]},
        {"==": [1, 1]},
        {"map": [[1], 1]},
        {"var": "x", "if": [1, 2, 3]},
        # An invalid expression deep inside a valid one:
        {"if": [True, {"and": [True, {"var": 0}]}, False]},
    ],
    ids=short_id,
)
def test_invalid_expressions_are_rejected_up_front(expr: object) -> None:
    problems = validate(expr)
    assert problems
    assert all(isinstance(problem, str) and problem for problem in problems)
    with pytest.raises(CertLogicError, match="invalid CertLogic expression"):
        compile_expression(expr)


def test_validate_reports_every_problem() -> None:
    expr = {"and": [None, {"var": 0}, {"plusTime": [3.5, "1", "week"]}]}
    assert validate(expr) == [
        "invalid CertLogic expression",
        'not of the form { "var": "<path>" }',
        "3.5 is a non-integer number",
        '"amount" argument (#2) of "plusTime" must be an integer, but it is: 1',
        (
            '"unit" argument (#3) of "plusTime" must be a string equal to one of year, month, '
            "day, hour, but it is: week"
        ),
    ]


def test_messages_about_huge_parts_of_an_expression_stay_short() -> None:
    (problem,) = validate({"x" * 1_000_000: [10**4000]})
    assert problem.startswith('unrecognised operator: "xxx')
    assert len(problem) < 100
    (problem,) = validate({"plusTime": ["2021", nested_array(10_000), "day"]})
    assert len(problem) < 150


def test_compile_once_evaluate_many() -> None:
    rule = compile_expression({"in": [{"var": "payload.v.0.mp"}, {"var": "external.products"}]})
    products = ["EU/1/20/1528", "EU/1/20/1507"]
    assert rule({"payload": {"v": [{"mp": "EU/1/20/1528"}]}, "external": {"products": products}})
    assert not rule({"payload": {"v": [{"mp": "Sputnik-V"}]}, "external": {"products": products}})


# --- evaluation errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "data"),
    [
        ({"+": [{"var": "a"}, 1]}, {"a": "1"}),
        ({"+": [{"var": "a"}, 1]}, {"a": True}),
        ({"+": [{"var": "a"}, 1]}, {"a": 1.5}),
        ({"<": [{"var": "a"}, 1]}, {"a": "0"}),
        ({"<": [{"var": "a"}, 1]}, {"a": None}),
        ({"<=": [0, {"var": "a"}, 2]}, {"a": False}),
        ({"after": [{"var": "a"}, {"var": "b"}]}, {"a": "2021-01-01", "b": "2020-01-01"}),
        ({"not-before": [{"plusTime": ["2021-01-01", 0, "day"]}, 0, 1]}, {}),
        ({"in": ["a", {"var": "a"}]}, {"a": "abc"}),
        ({"in": ["a", {"var": "a"}]}, {"a": None}),
        ({"in": ["a", {"var": "a"}]}, {"a": {"a": 1}}),
        ({"!": [{"var": "a"}]}, {"a": 1.5}),
        ({"if": [{"var": "a"}, 1, 2]}, {"a": 0.0}),
        ({"if": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, 2]}, {}),
        ({"and": [True, {"var": "a"}]}, {"a": 2.5}),
        ({"and": [{"var": "a"}, True]}, {"a": 2.5}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": None}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": 20210101}),
        ({"plusTime": [{"plusTime": ["2021-01-01", 0, "day"]}, 1, "day"]}, {}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": ""}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "21-01-01"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-02-30"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-13"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-09-99"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01T24:00:00Z"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01T00:00:00+24:00"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01T00:00:00+01:"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01 00:00:00Z"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01T00:00Z"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "2021-01-01\n"}),
        ({"plusTime": [{"var": "a"}, 1, "day"]}, {"a": "２０２１-01-01"}),  # fullwidth digits
        ({"plusTime": ["2021-01-01", 10**20, "day"]}, {}),
        ({"plusTime": ["2021-01-01", -(10**12), "year"]}, {}),
        ({"plusTime": ["2021-01-01", 10**4000, "hour"]}, {}),
        ({"dccDateOfBirth": [{"var": "a"}]}, {"a": None}),
        ({"dccDateOfBirth": [{"var": "a"}]}, {"a": ""}),
        ({"dccDateOfBirth": [{"var": "a"}]}, {"a": "2004-01-01T00:00:00Z"}),
        ({"dccDateOfBirth": [{"var": "a"}]}, {"a": "2004-00"}),
        ({"reduce": [{"var": "a"}, 0, 0]}, {"a": "abc"}),
        ({"reduce": [{"var": "a"}, 0, 0]}, {"a": {"x": 1}}),
        ({"extractFromUVCI": [{"var": "a"}, 0]}, {"a": 42}),
        ({"extractFromUVCI": [{"var": "a"}, 0]}, {"a": ["URN:UVCI:01"]}),
    ],
    ids=short_id,
)
def test_evaluation_errors_are_certlogic_errors(expr: object, data: object) -> None:
    rule = compile_expression(expr)  # valid: the error only shows with the data
    with pytest.raises(CertLogicError):
        rule(data)


def test_deeply_nested_data_compared_by_equality_is_a_certlogic_error() -> None:
    deep = nested_array(100_000)
    with pytest.raises(CertLogicError):
        evaluate({"===": [{"var": "a"}, {"var": "b"}]}, {"a": deep, "b": nested_array(100_000)})


def test_evaluation_errors_do_not_echo_personal_data() -> None:
    with pytest.raises(CertLogicError) as caught:
        evaluate({"plusTime": [{"var": "dob"}, 18, "year"]}, {"dob": "Nguyen Van A"})
    assert "Nguyen" not in str(caught.value)
    with pytest.raises(CertLogicError) as caught:
        evaluate({"+": [{"var": "nam"}, 1]}, {"nam": "Nguyen Van A"})
    assert "Nguyen" not in str(caught.value)


# --- semantics the suite leaves open ------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "equal"),
    [
        (1, True, False),
        (0, False, False),
        (1, "1", False),
        ("", False, False),
        (None, None, True),
        (None, False, False),
        ([1, "a"], [1, "a"], True),
        ([1], [True], False),
        ({"a": [1]}, {"a": [1]}, True),
        ({"a": 1}, {"a": 1, "b": 2}, False),
    ],
)
def test_strict_equality_does_not_coerce(left: object, right: object, equal: bool) -> None:
    data = {"l": left, "r": right}
    assert evaluate({"===": [{"var": "l"}, {"var": "r"}]}, data) is equal
    assert evaluate({"in": [{"var": "l"}, [{"var": "r"}]]}, data) is equal


def test_date_times_compare_equal_by_instant() -> None:
    expr = {
        "===": [
            {"plusTime": ["2021-06-01T02:00:00+02:00", 0, "day"]},
            {"plusTime": ["2021-06-01", 0, "day"]},
        ]
    }
    assert evaluate(expr, None) is True


@pytest.mark.parametrize(
    ("value", "truthy"),
    [
        (True, True),
        (False, False),
        (None, False),
        ("", False),
        ("0", True),
        (0, False),
        (-1, True),
        ([], False),
        ([0], True),
        ({}, False),
        ({"a": None}, True),
    ],
)
def test_truthiness(value: object, truthy: bool) -> None:
    assert evaluate({"if": [{"var": "v"}, "T", "F"]}, {"v": value}) == ("T" if truthy else "F")
    assert evaluate({"!": [{"var": "v"}]}, {"v": value}) is (not truthy)


def test_and_returns_the_first_falsy_or_the_last_operand_lazily() -> None:
    expr = {"and": [{"var": "a"}, {"+": [{"var": "a"}, 1]}]}
    assert evaluate(expr, {"a": 0}) == 0
    assert evaluate(expr, {"a": 1}) == 2
    assert evaluate(expr, {"a": []}) == []  # "+" on an array would have raised


@pytest.mark.parametrize(
    ("path", "data", "expected"),
    [
        ("a.-1", {"a": [1, 2]}, None),  # no Python negative indexing
        ("a.01", {"a": [1, 2]}, 2),
        ("a.1", {"a": {"1": "one"}}, "one"),
        ("a.length", {"a": [1, 2]}, None),
        ("a.0", {"a": "abc"}, None),  # strings are not drilled into
        ("a.b", {"a": 5}, None),
        ("a.99999999999999999999", {"a": [1]}, None),
        ("a.b", {"a": {"b": False}}, False),
    ],
)
def test_var_paths(path: str, data: object, expected: object) -> None:
    assert evaluate({"var": path}, data) == expected


@pytest.mark.parametrize(
    ("uvci", "index", "expected"),
    [
        ("URN:UVCI:01:NL:187/37512422923", 0, "01"),
        ("urn:uvci:01:NL:187", 0, "urn"),  # the prefix is matched exactly, as certlogic-js does
        ("URN:UVCI:", 0, ""),
        ("a::c/#/f", 5, "f"),
        ("a", 1, None),
        ("a", -1, None),
    ],
)
def test_extract_from_uvci(uvci: str, index: int, expected: str | None) -> None:
    assert evaluate({"extractFromUVCI": [{"var": ""}, index]}, uvci) == expected


def test_reduce_gets_a_fresh_context_per_item() -> None:
    # The lambda returns its own context; a reused context would make a cycle.
    result = evaluate({"reduce": [[1, 2], {"var": ""}, 0]}, None)
    assert result == {"accumulator": {"accumulator": 0, "current": 1}, "current": 2}


# --- date-times ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2021", "2021-12-31T00:00:00.000Z"),
        ("2020-02", "2020-02-29T00:00:00.000Z"),
        ("2021-02", "2021-02-28T00:00:00.000Z"),
        ("2021-04", "2021-04-30T00:00:00.000Z"),
        ("2021-06-01", "2021-06-01T00:00:00.000Z"),
        ("2021-06-01T12:34:56", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56Z", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56+1", "2021-06-01T11:34:56.000Z"),
        ("2021-06-01T12:34:56+01", "2021-06-01T11:34:56.000Z"),
        ("2021-06-01T12:34:56+130", "2021-06-01T11:04:56.000Z"),
        ("2021-06-01T12:34:56+0130", "2021-06-01T11:04:56.000Z"),
        ("2021-06-01T12:34:56+1:30", "2021-06-01T11:04:56.000Z"),
        ("2021-06-01T12:34:56-01:30", "2021-06-01T14:04:56.000Z"),
        ("2021-06-01T12:34:56+1230", "2021-06-01T00:04:56.000Z"),
        ("2021-06-01T12:34:56.5", "2021-06-01T12:34:56.500Z"),
        ("2021-06-01T12:34:56.12Z", "2021-06-01T12:34:56.120Z"),
        ("2021-06-01T12:34:56.999999+00:00", "2021-06-01T12:34:56.999Z"),  # rounds down
        ("2021-01-01T00:30:00+01:00", "2020-12-31T23:30:00.000Z"),
        ("0000-01-01", "0000-01-01T00:00:00.000Z"),
    ],
)
def test_date_time_formats(text: str, iso: str) -> None:
    assert plus_time(text) == iso


@pytest.mark.parametrize(
    ("text", "amount", "unit", "iso"),
    [
        # The leap-day table of the specification:
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        # JavaScript Date's roll-over:
        ("2021-01-31", 1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-01-15", -13, "month", "2019-12-15T00:00:00.000Z"),
        ("2021-01-15", 24, "month", "2023-01-15T00:00:00.000Z"),
        ("2021-06-01T23:30:00Z", 1, "hour", "2021-06-02T00:30:00.000Z"),
        ("2021-06-01T00:30:00.250Z", -1, "hour", "2021-05-31T23:30:00.250Z"),
        ("2021-06-23", -180, "day", "2020-12-25T00:00:00.000Z"),
        ("2004-01", 18, "year", "2022-01-31T00:00:00.000Z"),
        ("1970-01-01", -1, "day", "1969-12-31T00:00:00.000Z"),
        ("2021-06-01", -2022, "year", "-000001-06-01T00:00:00.000Z"),
        ("2021-06-01", 10000, "year", "+012021-06-01T00:00:00.000Z"),
    ],
)
def test_plus_time_offsets(text: str, amount: int, unit: str, iso: str) -> None:
    assert plus_time(text, amount, unit) == iso


@pytest.mark.parametrize(
    ("dob", "iso"),
    [
        ("2004", "2004-12-31T00:00:00.000Z"),
        ("2004-02", "2004-02-29T00:00:00.000Z"),
        ("2004-02-03", "2004-02-03T00:00:00.000Z"),
    ],
)
def test_dcc_date_of_birth(dob: str, iso: str) -> None:
    result = evaluate({"dccDateOfBirth": [{"var": ""}]}, dob)
    assert isinstance(result, DateTime)
    assert str(result) == iso


aware_datetimes = st.builds(
    lambda moment, minutes: moment.replace(tzinfo=timezone(timedelta(minutes=minutes))),
    st.datetimes(min_value=datetime(1000, 1, 2), max_value=datetime(9998, 12, 30)),
    st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59),
)


@given(moment=aware_datetimes, days=st.integers(-100_000, 100_000))
def test_parsing_and_day_offsets_agree_with_python_datetime(moment: datetime, days: int) -> None:
    offset = moment.utcoffset()
    assert offset is not None
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    text = (
        moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
        + f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    )
    truncated = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    expected_ms = (truncated - EPOCH) // timedelta(milliseconds=1)
    parsed = evaluate({"plusTime": [{"var": ""}, 0, "day"]}, text)
    assert parsed == DateTime(expected_ms)
    shifted = evaluate({"plusTime": [{"var": ""}, days, "day"]}, text)
    assert shifted == DateTime(expected_ms + days * 86_400_000)
    assert str(parsed) == truncated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- never anything but CertLogicError ----------------------------------------------------

OPERATORS = [
    "var", "if", "===", "and", "<", ">", "<=", ">=", "in", "+", "!", "after", "before",
    "not-after", "not-before", "plusTime", "reduce", "extractFromUVCI", "dccDateOfBirth",
    "or", "!==", "!!", "",
]  # fmt: skip

date_like_strings = st.from_regex(
    r"[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,7})?"
    r"(Z|[+-][0-9]{1,2}(:?[0-9]{2})?)?)?)?)?",
    fullmatch=True,
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=8)
    | date_like_strings
    | st.sampled_from(["accumulator", "current", "a", "a.0", "0", "URN:UVCI:01:VN:1#2"])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["a", "b", "0", "current", "var"]), children, max_size=3)
    ),
    max_leaves=16,
)


def _operation(op: str, operands: st.SearchStrategy[list[object]]) -> st.SearchStrategy[object]:
    return operands.map(lambda args: {op: args})


def _well_formed(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    """Operations of the right shape, so that evaluation (not only validation) gets exercised."""
    units = st.sampled_from(["year", "month", "day", "hour"])
    small = st.integers(-50, 50)
    return st.one_of(
        _operation("if", st.tuples(children, children, children).map(list)),
        _operation("and", st.lists(children, min_size=2, max_size=4)),
        *(
            _operation(op, st.lists(children, min_size=2, max_size=3))
            for op in ["<", ">", "<=", ">=", "after", "before", "not-after", "not-before"]
        ),
        *(_operation(op, st.lists(children, min_size=2, max_size=2)) for op in ["===", "in", "+"]),
        _operation("!", st.lists(children, min_size=1, max_size=1)),
        _operation("plusTime", st.tuples(children, small | st.integers(), units).map(list)),
        _operation("reduce", st.tuples(children, children, children).map(list)),
        _operation("extractFromUVCI", st.tuples(children, small).map(list)),
        _operation("dccDateOfBirth", st.lists(children, min_size=1, max_size=1)),
    )


def _malformed(children: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.builds(
        lambda op, args: {op: args},
        st.sampled_from(OPERATORS),
        st.lists(children, max_size=4) | children,
    ) | st.builds(
        lambda date, amount, unit: {"plusTime": [date, amount, unit]},
        children,
        json_values,
        st.sampled_from(["year", "month", "day", "hour", "week"]),
    )


var_paths = st.text(alphabet="ab01.", max_size=6) | st.sampled_from(
    ["", "a", "a.0", "current", "accumulator", "current.a"]
)
valid_leaves = (
    st.booleans()
    | st.integers()
    | st.text(max_size=8)
    | date_like_strings
    | var_paths.map(lambda path: {"var": path})
)
expressions = st.recursive(
    valid_leaves | json_values,
    lambda children: _well_formed(children) | _malformed(children),
    max_leaves=24,
)


@settings(max_examples=500, deadline=None)
@given(expr=expressions, data=json_values)
def test_any_input_evaluates_or_raises_certlogic_error(expr: object, data: object) -> None:
    problems = validate(expr)
    try:
        rule = compile_expression(expr)
    except CertLogicError:
        assert problems, "compile_expression rejected what validate accepted"
        return
    assert not problems, "compile_expression accepted what validate rejected"
    with contextlib.suppress(CertLogicError):
        rule(data)
    # Evaluating the data itself as an expression: arbitrary JSON as a rule.
    with contextlib.suppress(CertLogicError):
        evaluate(data, expr)
