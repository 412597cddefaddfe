"""Two officers reserving the last hours at the same moment: one wins, the pool is never overbooked."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from applications import services as application_services
from applications.models import Application
from funds.models import FundMembership
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.applications.helpers import submit_current_step
from tests.funds.factories import FundMembershipFactory

from .helpers import budget_submitted, pool_for

pytestmark = pytest.mark.django_db(transaction=True)


def second_application(world):
    """Another network's application to the same programme, with its budget submitted."""
    network = NetworkFactory()
    coordinator = NetworkMemberFactory(network=network, role="coordinator").user
    application = application_services.application_create(
        network=network,
        programme=world.programme,
        actor=coordinator,
        title="Repair café",
        requested_amount="800",
    )

    class Other:
        pass

    other = Other()
    other.application, other.coordinator, other.officer = application, coordinator, world.officer
    while True:
        application.refresh_from_db()
        key = application.current_step.key
        submit_current_step(other)
        if key == "budget":
            return application
        application_services.application_accept_step(application=application, actor=world.officer)


def test_concurrent_reservations_never_overbook(world, require_postgres):
    from pools import services
    from pools.models import Allocation

    service, _ = pool_for(world, capacity="10")
    first = budget_submitted(world)
    second = second_application(world)
    other_officer = FundMembershipFactory(fund=world.fund, role=FundMembership.Role.OFFICER).user
    barrier = threading.Barrier(2)
    outcomes = {}

    def reserve_in_thread(application_pk, actor, hours):
        try:
            barrier.wait(timeout=10)
            services.allocation_reserve(
                application=Application.objects.get(pk=application_pk),
                service=service,
                hours=hours,
                need="Minutes",
                actor=actor,
            )
            outcomes[application_pk] = "reserved"
        except Exception as error:  # noqa: BLE001 - the assertions below report it
            outcomes[application_pk] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=reserve_in_thread, args=(first.pk, world.officer, "7")),
        threading.Thread(target=reserve_in_thread, args=(second.pk, other_officer, "6")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not any(thread.is_alive() for thread in threads)
    reserved = [pk for pk, outcome in outcomes.items() if outcome == "reserved"]
    refused = [outcome for outcome in outcomes.values() if isinstance(outcome, ValidationError)]
    assert (len(reserved), len(refused)) == (1, 1), outcomes
    # The loser is told what is left: 10 minus the winner's 7 or 6.
    assert refused[0].message_dict["hours"][0].startswith(("Only 3 hours", "Only 4 hours"))
    assert Allocation.objects.count() == 1
    assert service.allocations.held_hours() <= Decimal("10")
