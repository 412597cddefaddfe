"""Hypothesis strategies for step answers, and what cleaned answers must look like.

The strategies mix plausible answers (so the cleaning paths are reached) with anything JSON can
carry: wrong types, nested lists and objects, huge and padded strings, NUL characters, negative,
huge, NaN and infinite numbers, Dutch and English amounts, budget lines of every bad shape.
"""

import re
from decimal import Decimal

from hypothesis import strategies as st

from core.hours import MAX_HOURS
from funds.arrangements import Arrangement
from funds.default_steps import DEFAULT_STEPS
from funds.questions import FUNDING_SOURCE_KINDS, MAX_LINES, MAX_MONEY, TEXT_LIMITS, is_blank

#: Every default step, and one step with a question of every type.
EVERY_TYPE = [
    {"key": "name", "type": "text", "label": "Name"},
    {"key": "story", "type": "textarea", "label": "Story", "required": False},
    {"key": "people", "type": "number", "label": "People"},
    {"key": "cost", "type": "money", "label": "Cost"},
    {
        "key": "size",
        "type": "choice",
        "label": "Size",
        "choices": [{"value": "small", "label": "Small"}, {"value": 3, "label": "Three"}],
    },
    {"key": "arrangement", "type": "arrangement", "label": "Arrangement"},
    {"key": "needs", "type": "budget_lines", "label": "Needs"},
    {"key": "sources", "type": "funding_sources", "label": "Sources", "required": False},
]
STEPS = {step["key"]: step["questions"] for step in DEFAULT_STEPS} | {"every_type": EVERY_TYPE}
ACCEPTED = ["cooperation_agreement", "host_organisation"]
SERVICE_TYPES = ["secretarial", "bookkeeping"]  # active defaults from the migration

MONEY = re.compile(r"\d+\.\d{2}")  # what a cleaned amount looks like: "1250.50", never "-0.00"
ODD_STRINGS = [
    "",
    "   ",
    "0",
    "-0",
    "-1",
    "12",
    "12,5",
    "12.345",
    "1.250,50",
    "€ 99,50",
    "1e3",
    "1e400",
    "NaN",
    "-Infinity",
    "9" * 40,
    "secretarial",
    "cooperation_agreement",
    "legal_entity",
    "a\x00b",
    "  padded  ",
    "x" * 201,
    "x" * 10_001,
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(ODD_STRINGS)
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
amounts = (
    st.decimals(min_value=-10, max_value=10**9, allow_nan=False).map(str)
    | st.integers(min_value=-5, max_value=10**9)
    | st.floats(min_value=-1, max_value=1e9)
    | st.sampled_from(ODD_STRINGS)
)
hours = st.decimals(min_value=-1, max_value=20_000, places=3).map(str) | json_values
texts = st.text(max_size=60) | st.sampled_from(ODD_STRINGS)


def _line(required: dict, optional: dict):
    plausible = st.fixed_dictionaries(required, optional=optional)
    misshapen = st.dictionaries(
        st.sampled_from([*required, *optional, "extra"]) | st.text(max_size=6), json_values
    )
    return plausible | misshapen | json_values


budget_line = _line(
    {"description": texts},
    {
        "amount": amounts,
        "in_kind": st.booleans() | json_values,
        "service_type": st.sampled_from([*SERVICE_TYPES, "", "nope", "a\x00"]) | json_values,
        "hours": hours,
    },
)
funding_source = _line(
    {"kind": st.sampled_from([*FUNDING_SOURCE_KINDS, "gift"]) | json_values},
    {"description": texts, "amount": amounts},
)


# Answers that are valid, or nearly: so that whole steps often pass and get cleaned.
good_texts = st.text(st.characters(exclude_characters="\x00"), min_size=1, max_size=60)
good_amounts = (
    st.decimals(min_value=0, max_value=10**6, places=2).map(str)
    | st.integers(min_value=0, max_value=10**6)
    | st.sampled_from(["1.250,50", "99,5", "€ 12", " 7 ", "0", "-0", "0.0"])
)
good_budget_line = st.fixed_dictionaries(
    {"description": good_texts, "amount": good_amounts}, optional={"in_kind": st.booleans()}
) | st.fixed_dictionaries(
    {
        "description": good_texts,
        "service_type": st.sampled_from(SERVICE_TYPES),
        "hours": st.decimals(min_value="0.01", max_value=MAX_HOURS, places=2).map(str),
    },
    optional={"amount": good_amounts, "in_kind": st.just(True)},
)
good_funding_source = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(FUNDING_SOURCE_KINDS),
        "description": good_texts,
        "amount": good_amounts,
    }
)


def answer(question: dict, *, junk: bool = True):
    """A valid-looking answer of the question's type; with ``junk`` also plausible mistakes and
    anything else JSON can carry."""
    kind = question["type"]
    choices = [str(c["value"]) for c in question.get("choices", [])] or [""]
    if not junk:
        return {
            "text": good_texts,
            "textarea": good_texts,
            "number": st.integers(min_value=0, max_value=10**12),
            "money": good_amounts,
            "choice": st.sampled_from(choices),
            "arrangement": st.sampled_from(ACCEPTED),
            "budget_lines": st.lists(good_budget_line, min_size=1, max_size=4),
            "funding_sources": st.lists(good_funding_source, max_size=3),
        }[kind]
    plausible = {
        "text": texts,
        "textarea": texts,
        "number": st.integers(min_value=-5, max_value=10**12),
        "money": amounts,
        "choice": st.sampled_from([*choices, "3.0", "nope"]),
        "arrangement": st.sampled_from([*Arrangement.values, "nope"]),
        "budget_lines": st.lists(budget_line, max_size=4) | st.lists(st.just({}), min_size=101),
        "funding_sources": st.lists(funding_source, max_size=4),
    }[kind]
    return plausible | json_values


def contents(questions: list[dict]):
    """Answers by key: plausible ones (often all valid), any JSON per question, unknown keys
    beside them, or not an object at all."""

    def by_key(junk: bool):
        return st.fixed_dictionaries(
            {}, optional={q["key"]: answer(q, junk=junk) for q in questions}
        )

    extra = st.dictionaries(st.text(max_size=8), json_values, min_size=1, max_size=2)
    mixed = st.builds(lambda a, b: {**b, **a}, by_key(junk=True), extra)
    return by_key(junk=False) | by_key(junk=True) | mixed | json_values


# ---------------------------------------------------------------------------------------------
# What cleaned answers promise.


def assert_clean(questions: list[dict], cleaned, *, require_complete: bool) -> None:
    """Only known questions, nothing blank, every answer in its type's stored form."""
    assert isinstance(cleaned, dict)
    by_key = {question["key"]: question for question in questions}
    assert set(cleaned) <= set(by_key)
    for key, value in cleaned.items():
        assert not is_blank(value), key
        _assert_answer(by_key[key], value)
    if require_complete:
        required = {q["key"] for q in questions if q.get("required", True)}
        assert required <= set(cleaned)


def _assert_answer(question: dict, value) -> None:
    kind = question["type"]
    if kind in TEXT_LIMITS:
        _assert_text(value, TEXT_LIMITS[kind])
    elif kind == "number":
        assert type(value) is int and value >= 0
    elif kind == "money":
        _assert_money(value)
    elif kind == "choice":
        assert value in [str(choice["value"]) for choice in question["choices"]]
    elif kind == "arrangement":
        assert value in ACCEPTED
    elif kind == "budget_lines":
        assert isinstance(value, list) and len(value) <= MAX_LINES
        for line in value:
            _assert_budget_line(line)
    elif kind == "funding_sources":
        assert isinstance(value, list) and len(value) <= MAX_LINES
        for line in value:
            assert set(line) == {"kind", "description", "amount"}
            assert line["kind"] in FUNDING_SOURCE_KINDS
            _assert_text(line["description"], TEXT_LIMITS["text"], blank=False)
            _assert_money(line["amount"])
    else:  # pragma: no cover - a question type this test does not know yet
        raise AssertionError(kind)


def _assert_budget_line(line) -> None:
    _assert_text(line["description"], TEXT_LIMITS["text"], blank=False)
    _assert_money(line["amount"])
    assert isinstance(line["in_kind"], bool)
    if set(line) == {"description", "amount", "in_kind"}:
        return
    assert set(line) == {"description", "amount", "in_kind", "service_type", "hours"}
    assert line["in_kind"] is True and line["service_type"] in SERVICE_TYPES
    assert MONEY.fullmatch(line["hours"]) and 0 < Decimal(line["hours"]) <= MAX_HOURS


def _assert_text(value, limit: int, *, blank: bool = True) -> None:
    assert isinstance(value, str) and value == value.strip() and len(value) <= limit
    assert "\x00" not in value  # PostgreSQL could not store it
    assert blank or value


def _assert_money(value) -> None:
    assert isinstance(value, str) and MONEY.fullmatch(value), value
    assert Decimal(value) <= MAX_MONEY
