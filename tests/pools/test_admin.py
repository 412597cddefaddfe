"""The admin keeps pools, service types and providers; allocations change only via the services."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from pools.models import Allocation
from tests.applications.helpers import dual_role_user
from tests.funds.factories import UserFactory

from .helpers import budget_submitted, pool_for, reserve
from .scenario import build_scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(is_staff=True, is_superuser=True)


def test_pool_pages_open_in_the_admin(client, superuser):
    pool = build_scenario()
    client.force_login(superuser)
    for name, args in [
        ("admin:pools_supportpool_changelist", []),
        ("admin:pools_supportpool_change", [pool.pk]),
        ("admin:pools_supportpool_add", []),
        ("admin:pools_servicetype_changelist", []),
        ("admin:pools_provider_changelist", []),
        ("admin:pools_allocation_changelist", []),
        ("admin:pools_allocation_change", [Allocation.objects.first().pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == HTTPStatus.OK, name


def test_allocations_cannot_be_edited_in_the_admin(client, superuser):
    build_scenario()
    client.force_login(superuser)
    allocation = Allocation.objects.first()
    response = client.post(
        reverse("admin:pools_allocation_change", args=[allocation.pk]), {"hours": "999"}
    )
    assert response.status_code == HTTPStatus.FORBIDDEN
    allocation.refresh_from_db()
    assert allocation.hours != 999


def test_release_action_goes_through_the_service_and_its_permission(world, client):
    service, _ = pool_for(world)
    budget_submitted(world)
    allocation = reserve(world, service, "4")
    changelist = reverse("admin:pools_allocation_changelist")
    action = {"action": "release_allocations", "_selected_action": [allocation.pk]}

    # A superuser who is not an officer of the fund is refused by the service.
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    client.post(changelist, action)
    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RESERVED

    insider = dual_role_user(world, fund_role="officer", network_role="member")
    insider.is_staff = insider.is_superuser = True
    insider.save()
    client.force_login(insider)
    client.post(changelist, action)
    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RESERVED  # conflict of interest

    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    client.force_login(world.officer)
    client.post(changelist, action)
    allocation.refresh_from_db()
    assert allocation.state == Allocation.State.RELEASED
