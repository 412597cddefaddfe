"""The support hours a programme's applications used, as its dashboard shows them."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from applications.panels import panels
from pools import services
from pools.programme_support import programme_support
from tests.applications.helpers import start_application
from tests.funds.factories import ProgrammeFactory

from .helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db


def another(world, programme=None):
    """A second application, its budget step submitted, with the world's officer reviewing."""
    application, coordinator = start_application(programme or world.programme, title="Second")
    other = SimpleNamespace(
        **{**vars(world), "application": application, "coordinator": coordinator}
    )
    budget_submitted(other)
    return other


def test_hours_are_reserved_confirmed_and_delivered_per_kind_of_support(world):
    service, provider = pool_for(world)
    allocation = awarded_with(world, service, "10", provider=provider)
    services.delivery_log(
        allocation=allocation,
        actor=world.officer,
        delivered_on=timezone.localdate(),
        hours="4",
        note="Minutes of two meetings",
    )
    reserve(another(world), service, "3")
    support = programme_support(world.programme)
    ((service_type, usage),) = support.kinds
    assert service_type == service.service_type
    assert (usage.reserved, usage.confirmed, usage.delivered) == (
        Decimal("3"),
        Decimal("6"),
        Decimal("4"),
    )
    assert support.total.in_use == Decimal("13")
    assert support.applications == 2


def test_delivered_hours_stay_counted_after_the_allocation_is_closed(world):
    service, provider = pool_for(world)
    allocation = awarded_with(world, service, "10", provider=provider)
    services.delivery_log(
        allocation=allocation,
        actor=world.officer,
        delivered_on=timezone.localdate(),
        hours="2.5",
        note="Bookkeeping",
    )
    services.allocation_close(allocation=allocation, actor=world.officer)
    usage = programme_support(world.programme).total
    assert (usage.reserved, usage.confirmed, usage.delivered) == (0, 0, Decimal("2.5"))


def test_another_programmes_hours_are_left_out(world):
    service, provider = pool_for(world)
    reserve(another(world, ProgrammeFactory(fund=world.fund)), service, "5")
    support = programme_support(world.programme)
    assert support.kinds == [] and support.applications == 0


def test_pools_provides_the_programme_dashboards_panel(rf, world):
    request = rf.get("/")
    request.user = world.officer
    (panel,) = panels("programme_dashboard", request, world.programme)
    assert panel.template == "pools/_programme_support.html"
    assert panel.context["programme"] == world.programme
