"""Budget lines that ask for hours of support in kind instead of (or beside) euros."""

import pytest
from django.core.exceptions import ValidationError

from funds.questions import validate_answers

pytestmark = pytest.mark.django_db
QUESTIONS = [{"key": "needs", "label": "Needs", "type": "budget_lines"}]


def clean(line):
    return validate_answers(QUESTIONS, {"needs": [line]})["needs"][0]


def errors(line):
    with pytest.raises(ValidationError) as refused:
        clean(line)
    return refused.value.message_dict["needs"]


def test_hours_without_euros_are_a_need_in_kind():
    line = clean(
        {"description": "Minutes of meetings", "service_type": "secretarial", "hours": "1,5"}
    )

    assert line == {
        "description": "Minutes of meetings",
        "amount": "0.00",
        "in_kind": True,
        "service_type": "secretarial",
        "hours": "1.50",
    }


def test_hours_beside_euros_keep_both_apart():
    line = clean(
        {"description": "Flyers", "amount": "120", "service_type": "communication", "hours": 6}
    )

    assert (line["amount"], line["hours"]) == ("120.00", "6.00")


def test_a_money_line_keeps_its_old_shape():
    assert clean({"description": "Seeds", "amount": "35", "in_kind": False}) == {
        "description": "Seeds",
        "amount": "35.00",
        "in_kind": False,
    }


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ({"description": "Help", "hours": "4"}, "Choose which kind of support"),
        ({"description": "Help", "service_type": "secretarial"}, "how many hours"),
        ({"description": "Help", "service_type": "astrology", "hours": "4"}, "from the list"),
        ({"description": "Help", "service_type": "secretarial", "hours": "0"}, "more than zero"),
        (
            {"description": "Help", "service_type": "secretarial", "hours": "a lot"},
            "number of hours",
        ),
        ({"description": "Help", "service_type": ["secretarial"], "hours": "2"}, "from the list"),
    ],
)
def test_unusable_in_kind_lines_are_refused_with_a_reason(line, message):
    assert message in errors(line)[0]


def test_a_switched_off_service_type_cannot_be_asked_for():
    from pools.models import ServiceType

    ServiceType.objects.filter(code="venue").update(active=False)

    assert (
        "from the list" in errors({"description": "Hall", "service_type": "venue", "hours": "3"})[0]
    )
