"""Support hours' messages: reserved, confirmed (promised) and delivered.

To the network's coordinators (never other members, never the fund's people who acted), and for
reserved and confirmed hours also to whoever delivers them; each says the kind of support, the
hours and the pool, links to the allocation, and is written in the service's transaction.
"""

import pytest
from django.db import transaction
from django.utils import timezone

from applications import services as application_services
from applications.models import Application
from notifications.models import Notification
from pools import services
from pools.models import Allocation
from tests.applications.helpers import bring_to_state
from tests.funds.factories import UserFactory
from tests.pools.helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db


class RolledBack(Exception):
    pass


def written(kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).order_by("email"))


def addresses(kind: str) -> set[str]:
    return {n.email.lower() for n in written(kind)}


def emails(*people) -> set[str]:
    return {p.email.lower() for p in people}


def assert_rolled_back_writes_nothing(call, kind: str) -> None:
    before = Notification.objects.count()
    with pytest.raises(RolledBack), transaction.atomic():
        call()
        assert Notification.objects.filter(kind=kind).exists()
        raise RolledBack
    assert Notification.objects.count() == before


def log(allocation, actor, hours, note="Took the minutes"):
    return services.delivery_log(
        allocation=allocation,
        actor=actor,
        delivered_on=timezone.localdate(),
        hours=hours,
        note=note,
    )


@pytest.fixture
def pool(world):
    """A pool with secretarial hours; its provider has a login (``world.provider``)."""
    service, provider = pool_for(world)
    provider.user = UserFactory()
    provider.save()
    world.service, world.provider = service, provider
    return world


# Reserved ----------------------------------------------------------------------------------------


def test_reserved_hours_tell_the_coordinators_and_the_provider(
    pool, django_capture_on_commit_callbacks
):
    budget_submitted(pool)
    with django_capture_on_commit_callbacks(execute=True):
        allocation = reserve(pool, pool.service, "10", provider=pool.provider)

    assert addresses("allocation.reserved") == emails(pool.coordinator, pool.provider.user)
    for person in (pool.member, pool.officer, pool.manager, pool.outsider):
        assert person.email.lower() not in addresses("allocation.reserved")
    for notification in written("allocation.reserved"):
        assert notification.subject == '10 hours of Secretarial support reserved for "Garden"'
        assert notification.path == f"/pools/allocations/{allocation.pk}/"
        assert f"from the support pool {pool.service.pool.name}" in notification.text
        assert "Help with the minutes" in notification.text
    assert not Notification.objects.filter(kind="allocation.confirmed").exists()


def test_a_provider_without_a_login_hears_at_the_address_the_pool_keeps(world):
    service, provider = pool_for(world)
    budget_submitted(world)
    reserve(world, service, "1", provider=provider)
    assert addresses("allocation.reserved") == {provider.email.lower(), world.coordinator.email}
    [to_provider] = [n for n in written("allocation.reserved") if n.email == provider.email]
    assert to_provider.recipient is None
    assert to_provider.subject == '1 hour of Secretarial support reserved for "Garden"'


def test_without_a_provider_only_the_coordinators_hear(world):
    service, _provider = pool_for(world)
    budget_submitted(world)
    reserve(world, service, "2,5")
    assert addresses("allocation.reserved") == emails(world.coordinator)
    [notification] = written("allocation.reserved")
    assert notification.subject == '2.5 hours of Secretarial support reserved for "Garden"'


def test_a_rolled_back_reservation_writes_no_message(pool):
    budget_submitted(pool)
    assert_rolled_back_writes_nothing(
        lambda: reserve(pool, pool.service, "10", provider=pool.provider), "allocation.reserved"
    )
    assert not Allocation.objects.exists()


# Confirmed ---------------------------------------------------------------------------------------


def test_the_award_confirms_the_hours_to_the_coordinators_and_the_provider(pool):
    allocation = awarded_with(pool, pool.service, "10", provider=pool.provider)
    assert allocation.state == Allocation.State.CONFIRMED

    assert addresses("allocation.confirmed") == emails(pool.coordinator, pool.provider.user)
    for person in (pool.member, pool.officer, pool.manager, pool.outsider):
        assert person.email.lower() not in addresses("allocation.confirmed")
    for notification in written("allocation.confirmed"):
        assert notification.subject == '10 hours of Secretarial support promised to "Garden"'
        assert notification.path == f"/pools/allocations/{allocation.pk}/"
        assert pool.provider.name in notification.text


def test_hours_reserved_after_the_award_are_confirmed_in_one_message(pool):
    bring_to_state(pool, Application.State.AWARDED)
    allocation = reserve(pool, pool.service, "4", provider=pool.provider)
    assert allocation.state == Allocation.State.CONFIRMED
    assert not Notification.objects.filter(kind="allocation.reserved").exists()
    assert addresses("allocation.confirmed") == emails(pool.coordinator, pool.provider.user)


def test_a_rolled_back_award_writes_no_confirmation(pool):
    bring_to_state(pool, Application.State.READY_FOR_DECISION)
    reserve(pool, pool.service, "10", provider=pool.provider)
    assert_rolled_back_writes_nothing(
        lambda: application_services.application_award(
            application=pool.application, actor=pool.manager, amount="500"
        ),
        "allocation.confirmed",
    )


# Delivered ---------------------------------------------------------------------------------------


def test_delivered_hours_tell_the_coordinators_what_was_done_and_what_is_left(pool):
    allocation = awarded_with(pool, pool.service, "10", provider=pool.provider)

    log(allocation, pool.provider.user, "4")

    # The provider logged them: not told of their own work; members and the fund are not told.
    assert addresses("allocation.delivered") == emails(pool.coordinator)
    [notification] = written("allocation.delivered")
    assert notification.subject == '4 hours of Secretarial support delivered for "Garden"'
    assert notification.path == f"/pools/allocations/{allocation.pk}/#deliveries-heading"
    assert "Took the minutes" in notification.text
    assert "Delivered so far: 4 of 10 hours." in notification.text

    Notification.objects.filter(kind="allocation.delivered").delete()
    allocation.refresh_from_db()
    log(allocation, pool.officer, "6")
    [notification] = written("allocation.delivered")
    assert notification.email == pool.coordinator.email
    assert "All 10 hours of this support are now delivered." in notification.text


def test_a_rolled_back_delivery_writes_no_message(pool):
    allocation = awarded_with(pool, pool.service, "10", provider=pool.provider)
    assert_rolled_back_writes_nothing(
        lambda: log(allocation, pool.provider.user, "4"), "allocation.delivered"
    )
    allocation.refresh_from_db()
    assert allocation.deliveries.count() == 0
