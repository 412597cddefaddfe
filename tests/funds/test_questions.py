"""Questions a step asks, and what counts as a valid answer to each."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from funds.arrangements import Arrangement
from funds.default_steps import DEFAULT_STEPS
from funds.questions import (
    MAX_LINES,
    localized,
    missing_answers,
    validate_answers,
    validate_step_questions,
)

pytestmark = pytest.mark.django_db

CHOICES = [{"value": "small", "label": "Small"}, {"value": 3, "label": "Three"}]


def question(type_, key="answer", **extra):
    return {"key": key, "label": "Answer", "type": type_, **extra}


def clean(type_, value, **options):
    extra = {"choices": CHOICES} if type_ == "choice" else {}
    return validate_answers([question(type_, **extra)], {"answer": value}, **options)["answer"]


def refusal(type_, value, **options):
    with pytest.raises(ValidationError) as refused:
        clean(type_, value, **options)
    assert set(refused.value.message_dict) == {"answer"}
    return " ".join(refused.value.message_dict["answer"])


# localized


def test_localized_picks_the_active_language():
    text = {"nl": "Idee", "en": "Idea"}
    with translation.override("en"):
        assert localized(text) == "Idea"
    with translation.override("nl"):
        assert localized(text) == "Idee"


def test_localized_falls_back_to_dutch_then_to_any_text():
    with translation.override("en"):
        assert localized({"nl": "Idee"}) == "Idee"
        assert localized({"nl": "Idee", "en": ""}) == "Idee"
        assert localized({"de": "Idee!"}) == "Idee!"
        assert localized({}) == ""


@pytest.mark.parametrize(("value", "expected"), [("Plain", "Plain"), ("", ""), (None, "")])
def test_localized_returns_plain_text_as_it_is(value, expected):
    assert localized(value) == expected


# Text


@pytest.mark.parametrize("type_", ["text", "textarea"])
def test_text_answers_are_stripped(type_):
    assert clean(type_, "  A garden \n") == "A garden"


@pytest.mark.parametrize(("type_", "limit"), [("text", 200), ("textarea", 10_000)])
def test_text_answers_have_a_length_limit(type_, limit):
    assert clean(type_, "x" * limit) == "x" * limit
    assert f"under {limit} characters (now {limit + 1})" in refusal(type_, "x" * (limit + 1))


@pytest.mark.parametrize("value", [5, ["a"], {"nl": "x"}, True])
def test_text_answers_must_be_text(value):
    assert refusal("text", value) == "Enter text."


# Numbers


@pytest.mark.parametrize("value", [0, 7, 10_000])
def test_whole_numbers_of_zero_or_more_are_accepted(value):
    assert clean("number", value) == value


@pytest.mark.parametrize("value", [-1, 1.5, "5", True, False, [1]])
def test_numbers_refuse_negatives_fractions_text_and_booleans(value):
    assert refusal("number", value) == "Enter a whole number of 0 or more."


# Money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("250", "250.00"),
        ("99,5", "99.50"),
        ("99.5", "99.50"),
        (" 12.30 ", "12.30"),
        ("0", "0.00"),
        (250, "250.00"),
        (99.5, "99.50"),
        ("99999999.99", "99999999.99"),
    ],
)
def test_money_is_normalised_to_two_decimals(value, expected):
    assert clean("money", value) == expected


@pytest.mark.parametrize("value", ["0.125", "0,001", 0.125])
def test_money_with_more_than_two_decimals_is_refused(value):
    assert refusal("money", value) == "Use at most two decimals (cents)."


@pytest.mark.parametrize("value", ["abc", "12 euro", True, False, [250], {"a": 1}])
def test_money_that_is_not_an_amount_is_refused(value):
    assert "Enter an amount in euros" in refusal("money", value)


@pytest.mark.parametrize("value", ["-1", -0.01, "NaN", "Infinity", "100000000"])
def test_money_below_zero_too_large_or_not_finite_is_refused(value):
    assert refusal("money", value) == "Enter an amount of 0 or more."


# Choices and arrangements


def test_a_choice_must_be_one_of_the_options():
    assert clean("choice", "small") == "small"
    assert clean("choice", "3") == "3"
    assert refusal("choice", "large") == "Choose one of the options."


def test_an_arrangement_must_be_one_the_programme_accepts():
    accepted = [Arrangement.LEGAL_ENTITY, Arrangement.COOPERATION_AGREEMENT]

    assert clean("arrangement", "cooperation_agreement", accepted_arrangements=accepted) == (
        "cooperation_agreement"
    )
    message = refusal("arrangement", "support_only", accepted_arrangements=accepted)
    assert message == "Choose an arrangement this programme accepts."


def test_without_a_programme_every_known_arrangement_is_accepted():
    for code in Arrangement.values:
        assert clean("arrangement", code) == code
    assert refusal("arrangement", "handshake")


# Budget lines and funding sources


def test_budget_lines_are_cleaned_line_by_line():
    lines = [
        {"description": " Seeds ", "amount": "35,5"},
        {"description": "Bookkeeping", "amount": 200, "in_kind": True},
    ]

    assert clean("budget_lines", lines) == [
        {"description": "Seeds", "amount": "35.50", "in_kind": False},
        {"description": "Bookkeeping", "amount": "200.00", "in_kind": True},
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"amount": "20"}, "Line 2: Describe what you need."),
        ({"description": "  ", "amount": "20"}, "Line 2: Describe what you need."),
        ({"description": "Soil", "amount": "abc"}, "Line 2: Enter an amount in euros"),
        ({"description": "Soil"}, "Line 2: Enter an amount in euros"),
        ({"description": "Soil", "amount": "1", "in_kind": "yes"}, "Line 2: 'In kind' must be"),
        ({"description": "Soil", "amount": "1", "vat": "21"}, "Line 2: Unknown field(s): vat."),
        ("Soil, 20 euros", "Line 2: Each line must be an object."),
    ],
)
def test_a_bad_budget_line_is_refused_with_its_line_number(line, message):
    lines = [{"description": "Seeds", "amount": "10"}, line]

    assert refusal("budget_lines", lines).startswith(message)


def test_budget_lines_must_be_a_list_of_limited_length():
    assert refusal("budget_lines", "Seeds 10") == "Enter a list of lines."
    too_many = [{"description": "x", "amount": "1"}] * (MAX_LINES + 1)
    assert refusal("budget_lines", too_many) == f"Use at most {MAX_LINES} lines."


def test_funding_sources_default_to_other_and_need_a_name():
    assert clean("funding_sources", [{"description": "Street fund", "amount": "150"}]) == [
        {"kind": "other", "description": "Street fund", "amount": "150.00"}
    ]
    assert refusal("funding_sources", [{"amount": "150"}]) == "Line 1: Name the source."


def test_funding_sources_refuse_an_unknown_kind():
    message = refusal("funding_sources", [{"kind": "lottery", "description": "X", "amount": "1"}])

    assert message.startswith("Line 1: Kind must be one of: own_contribution, crowdfunding")


# Whole answer sets


QUESTIONS = [
    question("text", key="name"),
    question("money", key="amount"),
    question("textarea", key="remarks", required=False),
]


def test_drafts_may_be_incomplete_but_complete_answers_are_required_to_submit():
    assert validate_answers(QUESTIONS, {"name": "Garden"}) == {"name": "Garden"}

    with pytest.raises(ValidationError) as refused:
        validate_answers(QUESTIONS, {"name": "Garden", "amount": " "}, require_complete=True)

    assert refused.value.message_dict == {"amount": ["This question still needs an answer."]}


def test_optional_questions_may_stay_empty_even_when_complete_answers_are_required():
    answers = {"name": "Garden", "amount": "10", "remarks": ""}

    assert validate_answers(QUESTIONS, answers, require_complete=True) == {
        "name": "Garden",
        "amount": "10.00",
    }


def test_answers_to_unknown_questions_are_refused_by_key():
    with pytest.raises(ValidationError) as refused:
        validate_answers(QUESTIONS, {"name": "Garden", "colour": "green"})

    assert refused.value.message_dict == {"colour": ["This step has no question 'colour'."]}


def test_every_bad_answer_is_reported_at_once():
    with pytest.raises(ValidationError) as refused:
        validate_answers(QUESTIONS, {"name": 5, "amount": "abc", "x": 1}, require_complete=True)

    assert set(refused.value.message_dict) == {"name", "amount", "x"}


@pytest.mark.parametrize("content", [None, [], "answers", 5])
def test_answers_must_be_an_object(content):
    with pytest.raises(ValidationError) as refused:
        validate_answers(QUESTIONS, content)

    assert set(refused.value.message_dict) == {"content"}


def test_missing_answers_lists_the_unanswered_required_questions_in_order():
    missing = missing_answers(QUESTIONS, {"amount": "  ", "remarks": ""})

    assert [q["key"] for q in missing] == ["name", "amount"]
    assert missing_answers(QUESTIONS, {"name": "x", "amount": "1"}) == []


def test_a_blank_list_counts_as_missing():
    questions = [question("budget_lines", key="needs")]

    assert [q["key"] for q in missing_answers(questions, {"needs": []})] == ["needs"]


# Step definitions


def test_the_default_steps_are_valid_step_definitions():
    for step in DEFAULT_STEPS:
        validate_step_questions(step["questions"])


def test_a_valid_step_definition_passes():
    validate_step_questions(
        [
            question("text", key="name", label={"nl": "Naam", "en": "Name"}),
            question("choice", key="size", choices=CHOICES),
        ]
    )
    validate_step_questions([])


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ({"key": "name"}, "Questions must be a list."),
        (["name"], "Question 1 must be an object."),
        ([{"label": "Name", "type": "text"}], "Question 1 needs a key"),
        ([question("text", key="my-name")], "Question 1 needs a key"),
        ([question("text", key="1st")], "Question 1 needs a key"),
        ([question("text", key="name"), question("money", key="name")], "'name' is used twice"),
        ([question("text", label="")], "Question 'answer' needs a label."),
        ([question("date")], "Question 'answer' has an unknown type. Use one of: text,"),
        ([{"key": "answer", "label": "A"}], "has an unknown type"),
        ([question("choice")], "Question 'answer' needs a list of choices"),
        ([question("choice", choices=[])], "needs a list of choices"),
        ([question("choice", choices=["small"])], "needs a list of choices"),
        ([question("choice", choices=[{"value": "small"}])], "needs a list of choices"),
    ],
)
def test_an_invalid_step_definition_is_refused(questions, message):
    with pytest.raises(ValidationError) as refused:
        validate_step_questions(questions)

    assert message in refused.value.messages[0]


def test_a_step_definition_model_validates_its_questions():
    from funds.models import StepDefinition
    from tests.funds.factories import ProgrammeFactory

    definition = StepDefinition(
        programme=ProgrammeFactory(),
        order=1,
        key="idea",
        title="Idea",
        questions=[question("text", key="name"), question("text", key="name")],
    )

    with pytest.raises(ValidationError) as refused:
        definition.full_clean()

    assert set(refused.value.message_dict) == {"questions"}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("1.000", "1000.00"), ("1.250,50", "1250.50"), ("€ 12.500", "12500.00"), ("99,5", "99.50")],
)
def test_money_accepts_dutch_notation(typed, stored):
    assert validate_answers([{"key": "m", "label": "M", "type": "money"}], {"m": typed}) == {
        "m": stored
    }
