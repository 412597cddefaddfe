"""A pool the world's fund contributes to, and an application that may draw from it."""

from decimal import Decimal

from django.utils import timezone

from applications.models import Application
from pools import services
from pools.models import Allocation
from tests.applications.helpers import bring_to_state, submit_current_step
from tests.funds.factories import UserFactory

from .factories import ContributionFactory, PoolServiceFactory, ProviderFactory

State = Allocation.State
#: Every state an allocation can be in, in the order it moves through them.
STATES = [State.RESERVED, State.CONFIRMED, State.DELIVERED, State.CLOSED, State.RELEASED]


def pool_for(world, *, capacity="40", code="secretarial", rate=None):
    """A pool funded by ``world.fund`` offering one service; returns (service, provider)."""
    from .factories import service_type

    contribution = ContributionFactory(fund=world.fund, hours=Decimal("100"))
    service = PoolServiceFactory(
        pool=contribution.pool, service_type=service_type(code), capacity_hours=Decimal(capacity)
    )
    provider = ProviderFactory(
        pool=contribution.pool, service_type=service.service_type, hourly_rate=rate
    )
    return service, provider


def budget_submitted(world):
    """Submit steps until the budget step is submitted (the allocation window opens)."""
    from applications import services as application_services

    application = world.application
    while True:
        application.refresh_from_db()
        step = application.current_step
        submit_current_step(world)
        if step.key == "budget":
            break
        application_services.application_accept_step(application=application, actor=world.officer)
    application.refresh_from_db()
    return application


def reserve(world, service, hours, *, provider=None, actor=None, application=None):
    return services.allocation_reserve(
        application=application or world.application,
        service=service,
        hours=hours,
        need="Help with the minutes",
        provider=provider,
        actor=actor or world.officer,
    )


def awarded_with(world, service, hours, *, provider=None, amount="500"):
    """An awarded application with ``hours`` of ``service``: a confirmed allocation."""
    bring_to_state(world, Application.State.READY_FOR_DECISION)
    allocation = reserve(world, service, hours, provider=provider)
    from applications import services as application_services

    application_services.application_award(
        application=world.application, actor=world.manager, amount=Decimal(amount)
    )
    allocation.refresh_from_db()
    return allocation


#: A budget that asks for secretarial hours in kind beside money.
BUDGET_WITH_HOURS = {
    "needs": [
        {"description": "Seeds and soil", "amount": "350.00", "in_kind": False},
        {"description": "Minutes of our meetings", "service_type": "secretarial", "hours": "12"},
    ],
    "other_sources": [],
}


def budget_with_hours_submitted(world, content=None):
    """Like ``budget_submitted``, with a budget that asks for secretarial hours in kind."""
    from applications import services as application_services
    from tests.applications.helpers import advance_to_step

    step = advance_to_step(world, "budget")
    application_services.step_save_answers(
        step=step, actor=world.coordinator, content=content or BUDGET_WITH_HOURS
    )
    application_services.application_submit_step(
        application=world.application, actor=world.coordinator
    )
    world.application.refresh_from_db()
    return world.application


def allocation_in(world, state) -> Allocation:
    """An allocation of 10 hours in ``state`` with the real services.

    Its provider has a login (``world.provider``); ``world.pool_officer`` is an officer of another
    fund that contributes to the same pool.
    """
    service, provider = pool_for(world)
    provider.user = UserFactory()
    provider.save()
    world.provider = provider
    world.pool_officer = UserFactory()
    contribution = ContributionFactory(pool=service.pool)
    contribution.fund.memberships.create(user=world.pool_officer, role="officer")
    if state in (State.RESERVED, State.RELEASED):
        budget_submitted(world)
        allocation = reserve(world, service, "10", provider=provider)
        if state == State.RELEASED:
            services.allocation_release(allocation=allocation, actor=world.officer)
    else:
        allocation = awarded_with(world, service, "10", provider=provider)
        if state in (State.DELIVERED, State.CLOSED):
            services.delivery_log(
                allocation=allocation,
                actor=world.officer,
                delivered_on=timezone.localdate(),
                hours="10" if state == State.DELIVERED else "4",
                note="Minutes",
            )
        if state == State.CLOSED:
            services.allocation_close(allocation=allocation, actor=world.officer)
    allocation.refresh_from_db()
    assert allocation.state == state
    return allocation


def person(world, role):
    """``world``'s user for ``role``; "provider" is the provider's login."""
    return world.provider.user if role == "provider" else getattr(world, role)
