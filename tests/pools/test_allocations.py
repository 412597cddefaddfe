"""Reserving hours: within capacity, never beyond it, and only by the right officer at the right time."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.models import Application
from core.exceptions import InvalidTransition
from pools.models import Allocation
from tests.applications.helpers import bring_to_state, dual_role_user, user_for

from .factories import ContributionFactory, PoolServiceFactory, ProviderFactory, service_type
from .helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db


def test_reserving_within_capacity_creates_a_reserved_allocation(world):
    service, provider = pool_for(world, capacity="40")
    budget_submitted(world)

    allocation = reserve(world, service, "12,5", provider=provider)

    assert allocation.state == Allocation.State.RESERVED
    assert allocation.hours == Decimal("12.50")
    assert allocation.provider == provider
    assert service.allocations.held_hours() == Decimal("12.50")


def test_reserving_exactly_the_remaining_capacity_is_allowed(world):
    service, _ = pool_for(world, capacity="40")
    budget_submitted(world)
    reserve(world, service, "30")

    reserve(world, service, "10")

    assert service.allocations.held_hours() == Decimal("40")


def test_reserving_beyond_capacity_is_refused_with_the_hours_still_available(world):
    service, _ = pool_for(world, capacity="40")
    budget_submitted(world)
    reserve(world, service, "30")

    with pytest.raises(ValidationError) as refused:
        reserve(world, service, "10.5")

    assert refused.value.message_dict["hours"] == [
        "Only 10 hours of Secretarial support are still available in this pool."
    ]
    assert Allocation.objects.count() == 1


def test_released_and_closed_allocations_give_their_undelivered_hours_back(world):
    from pools import services

    service, _ = pool_for(world, capacity="20")
    allocation = awarded_with(world, service, "20")
    services.delivery_log(
        allocation=allocation,
        actor=world.officer,
        delivered_on=timezone.localdate(),
        hours="6",
        note="Minutes of two meetings",
    )
    services.allocation_close(allocation=allocation, actor=world.officer)

    # 6 delivered hours stay used; the 14 not delivered are free again.
    assert service.allocations.held_hours() == Decimal("6")
    again = reserve(world, service, "14")
    assert again.state == Allocation.State.CONFIRMED  # the application is already awarded


@pytest.mark.parametrize("hours", ["0", "-3", "abc", "1.234", "", None, "100000", "NaN"])
def test_hours_must_be_a_positive_number_with_at_most_two_decimals(world, hours):
    service, _ = pool_for(world)
    budget_submitted(world)

    with pytest.raises(ValidationError) as refused:
        reserve(world, service, hours)

    assert set(refused.value.message_dict) == {"hours"}
    assert not Allocation.objects.exists()


def test_a_need_is_required(world):
    from pools import services

    service, _ = pool_for(world)
    budget_submitted(world)

    with pytest.raises(ValidationError) as refused:
        services.allocation_reserve(
            application=world.application, service=service, hours="4", need=" ", actor=world.officer
        )

    assert set(refused.value.message_dict) == {"need"}


def test_a_provider_of_another_service_or_pool_is_refused(world):
    service, _ = pool_for(world)
    budget_submitted(world)
    other_service = ProviderFactory(pool=service.pool, service_type=service_type("bookkeeping"))
    other_pool = ProviderFactory(service_type=service.service_type)

    for provider in (other_service, other_pool):
        with pytest.raises(ValidationError) as refused:
            reserve(world, service, "4", provider=provider)
        assert set(refused.value.message_dict) == {"provider"}
    assert not Allocation.objects.exists()


def test_a_pool_outside_its_period_cannot_be_allocated_from(world):
    service, _ = pool_for(world)
    pool = service.pool
    pool.starts_on = timezone.localdate() - datetime.timedelta(days=400)
    pool.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    pool.save()
    budget_submitted(world)

    with pytest.raises(ValidationError) as refused:
        reserve(world, service, "4")

    assert set(refused.value.message_dict) == {"service"}


def test_hours_are_not_reserved_before_the_budget_was_submitted(world):
    service, _ = pool_for(world)

    with pytest.raises(InvalidTransition, match="submitted its budget"):
        reserve(world, service, "4")


@pytest.mark.parametrize("state", [Application.State.DECLINED, Application.State.WITHDRAWN])
def test_hours_are_not_reserved_for_a_closed_application(world, state):
    service, _ = pool_for(world)
    bring_to_state(world, state)

    with pytest.raises(InvalidTransition):
        reserve(world, service, "4")


@pytest.mark.parametrize(
    "role", ["outsider", "member", "coordinator", "other_fund_officer", "other_fund_manager"]
)
def test_only_an_officer_of_the_applications_fund_reserves(world, role):
    service, _ = pool_for(world)
    budget_submitted(world)
    actor = user_for(world, role)

    with pytest.raises(PermissionDenied):
        reserve(world, service, "4", actor=actor)

    assert not Allocation.objects.exists()


def test_an_officer_of_another_contributing_fund_cannot_allocate_to_this_application(world):
    service, _ = pool_for(world)
    other = ContributionFactory(pool=service.pool)
    from funds.models import FundMembership
    from tests.funds.factories import FundMembershipFactory

    other_officer = FundMembershipFactory(fund=other.fund, role=FundMembership.Role.OFFICER).user
    budget_submitted(world)

    with pytest.raises(PermissionDenied):
        reserve(world, service, "4", actor=other_officer)


def test_a_fund_that_does_not_contribute_cannot_allocate_from_the_pool(world):
    service = PoolServiceFactory()  # a pool without world.fund among its contributors
    ContributionFactory(pool=service.pool)
    budget_submitted(world)

    with pytest.raises(PermissionDenied, match="does not contribute"):
        reserve(world, service, "4")


def test_an_officer_in_the_network_cannot_allocate_to_it(world):
    service, _ = pool_for(world)
    budget_submitted(world)
    insider = dual_role_user(world, fund_role="officer", network_role="member")

    with pytest.raises(PermissionDenied, match="conflict of interest"):
        reserve(world, service, "4", actor=insider)


def test_award_confirms_reserved_hours_and_logs_it(world):
    service, _ = pool_for(world)
    allocation = awarded_with(world, service, "8")

    assert allocation.state == Allocation.State.CONFIRMED
    log = StateLog.objects.for_(allocation).get()
    assert (log.transition, log.by) == ("confirm", world.manager)


@pytest.mark.parametrize("state", [Application.State.DECLINED, Application.State.WITHDRAWN])
def test_decline_and_withdrawal_release_the_reserved_hours(world, state):
    from applications import services as application_services
    from tests.applications.helpers import CONTACT_REFERRAL

    service, _ = pool_for(world, capacity="10")
    budget_submitted(world)
    allocation = reserve(world, service, "10")

    if state == Application.State.DECLINED:
        application_services.application_decline(
            application=world.application,
            actor=world.officer,
            reason="Outside our region.",
            advice="Ask the district fund.",
            referrals=[CONTACT_REFERRAL],
        )
    else:
        application_services.application_withdraw(
            application=world.application, actor=world.coordinator
        )

    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RELEASED
    assert service.allocations.held_hours() == 0
    log = StateLog.objects.for_(allocation).get()
    assert log.transition == "release"
    assert log.description == f"The application was {state}"


def test_the_award_rolls_back_when_its_hours_cannot_be_confirmed(world, monkeypatch):
    """The receiver runs inside the award's transaction: both happen, or neither."""
    from applications import services as application_services

    service, _ = pool_for(world)
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)
    allocation = reserve(world, service, "8")

    def broken(**kwargs):
        raise RuntimeError("the pool is unreachable")

    monkeypatch.setattr("pools.receivers.allocations_confirm_for", broken)
    with pytest.raises(RuntimeError):
        application_services.application_award(
            application=application, actor=world.manager, amount=Decimal("500")
        )

    application.refresh_from_db()
    allocation.refresh_from_db()
    assert application.state == Application.State.READY_FOR_DECISION
    assert allocation.state == Allocation.State.RESERVED


def test_a_refused_decline_releases_nothing(world):
    from applications import services as application_services

    service, _ = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")

    with pytest.raises(ValidationError):
        application_services.application_decline(
            application=world.application, actor=world.officer, reason="", advice="", referrals=[]
        )

    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RESERVED


def test_support_only_award_of_zero_euros_needs_reserved_hours(world):
    from applications import services as application_services

    service, _ = pool_for(world)
    application = bring_to_state(world, Application.State.READY_FOR_DECISION)

    with pytest.raises(ValidationError) as refused:
        application_services.application_award(
            application=application, actor=world.manager, amount=Decimal("0")
        )
    assert "reserve hours" in refused.value.message_dict["amount"][0]

    reserve(world, service, "16")
    application_services.application_award(
        application=application, actor=world.manager, amount=Decimal("0")
    )

    application.refresh_from_db()
    assert (application.state, application.awarded_amount) == ("awarded", Decimal("0"))


def test_an_officer_releases_an_allocation_and_others_cannot(world):
    from pools import services

    service, _ = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")

    for role in ("coordinator", "member", "outsider", "other_fund_officer"):
        with pytest.raises(PermissionDenied):
            services.allocation_release(allocation=allocation, actor=user_for(world, role))
    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RESERVED

    services.allocation_release(allocation=allocation, actor=world.officer)
    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RELEASED
    with pytest.raises(InvalidTransition):
        services.allocation_release(allocation=allocation, actor=world.officer)


def test_a_reserved_allocation_cannot_be_closed(world):
    from pools import services

    service, _ = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")

    with pytest.raises(InvalidTransition):
        services.allocation_close(allocation=allocation, actor=world.officer)


def test_assigning_a_provider_later(world):
    from pools import services

    service, provider = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")

    with pytest.raises(PermissionDenied):
        services.allocation_assign_provider(
            allocation=allocation, actor=world.coordinator, provider=provider
        )
    services.allocation_assign_provider(
        allocation=allocation, actor=world.officer, provider=provider
    )

    allocation.refresh_from_db()
    assert allocation.provider == provider
