"""Awards stay within the programme's maximum per application and its total budget."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from applications import services
from applications.models import Application
from tests.applications.helpers import drive_to_ready, snapshot, start_application
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def two_ready_applications(*, budget, max_amount):
    """A programme with ``budget``, its manager, and two applications ready for a decision."""
    programme = ProgrammeFactory(budget=Decimal(budget), max_amount=Decimal(max_amount))
    officer = FundMembershipFactory(fund=programme.fund).user
    manager = FundMembershipFactory(fund=programme.fund, role="manager").user
    applications = []
    for title in ("Repair café", "Street library"):
        application, coordinator = start_application(programme, title=title)
        applications.append(drive_to_ready(application, coordinator=coordinator, officer=officer))
    return programme, manager, applications


def award(application, manager, amount):
    return services.application_award(
        application=application, actor=manager, amount=Decimal(amount)
    )


def assert_refused(application, manager, amount):
    before = snapshot(application)
    with pytest.raises(ValidationError) as refused:
        award(application, manager, amount)
    assert snapshot(application) == before
    assert application.state == Application.State.READY_FOR_DECISION
    assert set(refused.value.message_dict) == {"amount"}
    return refused.value.message_dict["amount"][0]


def test_an_award_within_maximum_and_budget_is_stored():
    _, manager, (application, _) = two_ready_applications(budget="6000", max_amount="5000")

    award(application, manager, "5000")

    application.refresh_from_db()
    assert application.state == Application.State.AWARDED
    assert application.awarded_amount == Decimal("5000.00")
    assert application.decided_at is not None


def test_an_award_above_the_programme_maximum_is_refused():
    _, manager, (application, _) = two_ready_applications(budget="6000", max_amount="5000")

    message = assert_refused(application, manager, "5000.01")

    assert "€\u00a05,000.00" in message


@pytest.mark.parametrize("amount", ["0", "0.00", "-10"])
def test_an_award_of_zero_or_less_is_refused(amount):
    _, manager, (application, _) = two_ready_applications(budget="6000", max_amount="5000")

    message = assert_refused(application, manager, amount)

    assert "more than zero" in message


@pytest.mark.parametrize("amount", ["abc", "", None, "NaN", "sNaN", "Infinity"])
def test_an_award_that_is_not_an_amount_is_refused_as_a_field_error(amount):
    _, manager, (application, _) = two_ready_applications(budget="6000", max_amount="5000")
    before = snapshot(application)

    with pytest.raises(ValidationError) as refused:
        services.application_award(application=application, actor=manager, amount=amount)

    assert set(refused.value.message_dict) == {"amount"}
    assert snapshot(application) == before


def test_an_award_with_more_than_two_decimals_is_refused():
    _, manager, (application, _) = two_ready_applications(budget="6000", max_amount="5000")

    message = assert_refused(application, manager, "100.005")

    assert "two decimals" in message


def test_an_award_above_the_remaining_budget_names_what_is_left():
    _, manager, (first, second) = two_ready_applications(budget="6000", max_amount="5000")
    award(first, manager, "4000")

    message = assert_refused(second, manager, "2500")

    assert "€\u00a02,000.00" in message


def test_the_second_of_two_awards_that_exceed_the_budget_together_is_refused():
    programme, manager, (first, second) = two_ready_applications(budget="6000", max_amount="5000")

    award(first, manager, "3500")
    assert_refused(second, manager, "3000")

    committed = Application.objects.filter(programme=programme, state="awarded")
    assert committed.aggregate(total=Sum("awarded_amount"))["total"] == Decimal("3500.00")


def test_awards_that_use_exactly_the_whole_budget_are_allowed():
    _, manager, (first, second) = two_ready_applications(budget="6000", max_amount="5000")

    award(first, manager, "3500")
    award(second, manager, "2500")

    second.refresh_from_db()
    assert second.state == Application.State.AWARDED


@pytest.mark.django_db(transaction=True)
def test_concurrent_awards_never_exceed_the_budget(require_postgres):
    programme, manager, (first, second) = two_ready_applications(budget="6000", max_amount="5000")
    barrier = threading.Barrier(2)
    outcomes = {}

    def award_in_thread(pk, amount):
        try:
            barrier.wait(timeout=10)
            award(Application.objects.get(pk=pk), manager, amount)
            outcomes[pk] = "awarded"
        except Exception as error:  # noqa: BLE001 - the assertions below report it
            outcomes[pk] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=award_in_thread, args=(first.pk, "4000")),
        threading.Thread(target=award_in_thread, args=(second.pk, "3000")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    awarded = [pk for pk, outcome in outcomes.items() if outcome == "awarded"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert (len(awarded), len(refused)) == (1, 1), outcomes
    assert set(refused[0].message_dict) == {"amount"}
    states = dict(Application.objects.filter(programme=programme).values_list("pk", "state"))
    assert sorted(states.values()) == ["awarded", "ready_for_decision"]
    committed = Application.objects.filter(programme=programme, state="awarded").aggregate(
        total=Sum("awarded_amount")
    )["total"]
    assert committed <= programme.budget
