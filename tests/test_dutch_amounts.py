"""Amounts in messages built in Python read the Dutch way in Dutch: "€ 5.000,00", never
"€5000.00". The formatting needs no catalogue (``core.money.format_euros``); the sentences
around it are checked in English elsewhere."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from applications import services
from applications.diff import answer_text
from core.money import format_euros
from funds.questions import normalise_amount
from tests.applications.helpers import drive_to_ready, start_application
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

DUTCH_MAXIMUM = "€\u00a05.000,00"


def refusal(call, **kwargs) -> str:
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        call(**kwargs)
    return " ".join(refused.value.messages)


def test_starting_above_the_maximum_names_it_the_dutch_way(world):
    message = refusal(
        services.application_create,
        network=world.network,
        programme=ProgrammeFactory(),
        actor=world.coordinator,
        title="Groot plan",
        requested_amount=Decimal(10**12),
    )
    assert DUTCH_MAXIMUM in message and "5000.00" not in message


def test_an_award_above_the_maximum_and_above_the_budget_names_them_the_dutch_way():
    programme = ProgrammeFactory(budget=Decimal("12000"), max_amount=Decimal("5000"))
    officer = FundMembershipFactory(fund=programme.fund).user
    manager = FundMembershipFactory(fund=programme.fund, role="manager").user
    ready = []
    for title in ("Repair café", "Street library", "Tool library"):
        application, coordinator = start_application(programme, title=title)
        ready.append(drive_to_ready(application, coordinator=coordinator, officer=officer))

    too_much = refusal(
        services.application_award, application=ready[0], actor=manager, amount="5000.01"
    )
    assert DUTCH_MAXIMUM in too_much and "5000.00" not in too_much

    for application in ready[:2]:
        services.application_award(application=application, actor=manager, amount="5000")
    over_budget = refusal(
        services.application_award, application=ready[2], actor=manager, amount="2500"
    )
    assert "€\u00a02.000,00" in over_budget and "2000.00" not in over_budget


def test_answers_on_screens_are_written_the_dutch_way():
    budget = {"type": "budget_lines"}
    lines = [
        {"description": "Zaden", "amount": "1250.50"},
        {"description": "Boekhouding", "amount": "0.00", "service_type": "x", "hours": "1.5"},
    ]
    with translation.override("nl"):
        assert answer_text({"type": "money"}, "1250.50") == "€\u00a01.250,50"
        text = answer_text(budget, lines)
        sources = answer_text(
            {"type": "funding_sources"},
            [{"kind": "crowdfunding", "description": "Buurt", "amount": "12000"}],
        )
    assert text.splitlines()[0] == "Zaden: €\u00a01.250,50"
    assert text.splitlines()[1].startswith("Boekhouding: €\u00a00,00 + 1,5 ")
    assert sources == "Buurt (crowdfunding): €\u00a012.000,00"


def test_a_stored_answer_that_is_not_a_number_is_shown_as_it_is():
    with translation.override("nl"):
        assert answer_text({"type": "money"}, "veel") == "€ veel"


def test_an_amount_copied_from_a_screen_can_be_typed_back_in():
    with translation.override("nl"):
        shown = format_euros(Decimal("5000"))
    assert normalise_amount(shown) == "5000.00"
