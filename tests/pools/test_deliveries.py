"""Logging delivered hours: by the provider or an officer, never more than was allocated."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.exceptions import InvalidTransition
from pools import services
from pools.models import Allocation, Delivery
from tests.applications.helpers import user_for
from tests.funds.factories import UserFactory

from .factories import ProviderFactory
from .helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def log(allocation, actor, hours, *, on=None, note="Drafted the newsletter"):
    return services.delivery_log(
        allocation=allocation, actor=actor, delivered_on=on or TODAY(), hours=hours, note=note
    )


def test_portions_add_up_and_the_last_hour_makes_it_delivered(world):
    service, provider = pool_for(world)
    allocation = awarded_with(world, service, "10", provider=provider)

    log(allocation, world.officer, "4")
    allocation.refresh_from_db()
    assert (allocation.delivered_hours, allocation.state) == (Decimal("4"), "confirmed")

    log(allocation, world.officer, "6")
    allocation.refresh_from_db()
    assert (allocation.delivered_hours, allocation.state) == (Decimal("10"), "delivered")
    assert allocation.deliveries.count() == 2


def test_delivery_beyond_the_allocation_is_refused_with_the_hours_left(world):
    service, _ = pool_for(world)
    allocation = awarded_with(world, service, "10")
    log(allocation, world.officer, "7.5")

    with pytest.raises(ValidationError) as refused:
        log(allocation, world.officer, "3")

    assert refused.value.message_dict["hours"] == [
        "Only 2.5 hours of this allocation are left to log."
    ]
    allocation.refresh_from_db()
    assert allocation.delivered_hours == Decimal("7.5")
    assert allocation.deliveries.count() == 1


def test_nothing_is_logged_once_everything_was_delivered(world):
    service, _ = pool_for(world)
    allocation = awarded_with(world, service, "2")
    log(allocation, world.officer, "2")

    with pytest.raises(InvalidTransition):
        log(allocation, world.officer, "1")


def test_hours_are_logged_only_once_the_support_is_confirmed(world):
    service, _ = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")

    with pytest.raises(InvalidTransition):
        log(allocation, world.officer, "1")
    assert not Delivery.objects.exists()


def test_date_must_be_delivered_not_planned_and_within_the_pool_period(world):
    service, _ = pool_for(world)
    allocation = awarded_with(world, service, "4")
    tomorrow = TODAY() + datetime.timedelta(days=1)
    before_pool = service.pool.starts_on - datetime.timedelta(days=1)

    for day in (tomorrow, before_pool):
        with pytest.raises(ValidationError) as refused:
            log(allocation, world.officer, "1", on=day)
        assert set(refused.value.message_dict) == {"delivered_on"}
    with pytest.raises(ValidationError) as refused:
        services.delivery_log(
            allocation=allocation, actor=world.officer, delivered_on=None, hours="x", note=""
        )
    assert set(refused.value.message_dict) == {"delivered_on", "hours", "note"}
    assert not Delivery.objects.exists()


def test_the_assigned_provider_logs_their_own_hours(world):
    service, provider = pool_for(world, rate="45")
    provider.user = UserFactory()
    provider.save()
    allocation = awarded_with(world, service, "4", provider=provider)

    delivery = log(allocation, provider.user, "3")

    assert delivery.logged_by == provider.user
    assert delivery.hourly_rate == Decimal("45")  # the rate of the day is kept
    assert delivery.value == Decimal("135")


@pytest.mark.parametrize("role", ["coordinator", "member", "outsider", "other_fund_officer"])
def test_others_cannot_log_hours(world, role):
    service, provider = pool_for(world)
    allocation = awarded_with(world, service, "4", provider=provider)

    with pytest.raises(PermissionDenied):
        log(allocation, user_for(world, role), "1")
    assert not Delivery.objects.exists()


def test_a_provider_cannot_log_hours_on_someone_elses_allocation(world):
    service, provider = pool_for(world)
    other = ProviderFactory(
        pool=service.pool, service_type=service.service_type, user=UserFactory()
    )
    allocation = awarded_with(world, service, "4", provider=provider)

    with pytest.raises(PermissionDenied):
        log(allocation, other.user, "1")


def test_closing_keeps_what_was_delivered(world):
    service, _ = pool_for(world)
    allocation = awarded_with(world, service, "8")
    log(allocation, world.officer, "5")

    services.allocation_close(allocation=allocation, actor=world.officer, note="Project ended")

    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.CLOSED
    assert allocation.delivered_hours == Decimal("5")
    with pytest.raises(InvalidTransition):
        log(allocation, world.officer, "1")
