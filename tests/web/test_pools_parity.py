"""One answer to "what may I do to this allocation now": the page, the API and the registry.

For every state and every role, the buttons on the allocation page (``data-action``), the API's
transitions list and ``ALLOCATION_ACTIONS.available`` are the same set. Someone outside the
allocation's scope gets a 404 from both the page and the API.
"""

import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from integrations.models import Scope
from integrations.services import fund_key_create
from pools.actions import ALLOCATION_ACTIONS
from tests.api.conftest import bearer, token_client
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory
from tests.pools.helpers import STATES, allocation_in, person

pytestmark = pytest.mark.django_db

ACTION = re.compile(r'data-action="([^"]+)"')
#: Who may not see the allocation at all: a 404, on the page and in the API.
OUTSIDE = ("outsider", "other_network", "other_fund")
ROLES = ("officer", "manager", "provider", "coordinator", "member", "pool_officer", *OUTSIDE)


def page_actions(client, user, allocation) -> set[str] | None:
    client.force_login(user)
    response = client.get(reverse("allocation_detail", args=[allocation.pk]))
    if response.status_code == HTTPStatus.NOT_FOUND:
        return None
    assert response.status_code == HTTPStatus.OK
    return set(ACTION.findall(response.content.decode()))


def api_actions(api, allocation) -> set[str] | None:
    response = api.get(f"/api/v1/allocations/{allocation.pk}/transitions/")
    if response.status_code == HTTPStatus.NOT_FOUND:
        return None
    assert response.status_code == HTTPStatus.OK, response.content
    return {row["name"] for row in response.json()}


@pytest.mark.parametrize("state", STATES)
def test_the_page_the_api_and_the_registry_offer_the_same_actions(client, world, state):
    allocation = allocation_in(world, state)
    world.other_network = NetworkMemberFactory().user
    world.other_fund = FundMembershipFactory().user

    for role in ROLES:
        user = person(world, role)
        offered = {o.name for o in ALLOCATION_ACTIONS.available(allocation, user)}
        on_page = page_actions(client, user, allocation)
        in_api = api_actions(token_client(user), allocation)
        if role in OUTSIDE:
            assert on_page is None and in_api is None, role
            assert offered == set(), role
        else:
            assert on_page == in_api == offered, role


@pytest.mark.parametrize("state", STATES)
def test_a_read_key_lists_nothing_and_a_write_key_what_its_account_may(world, state):
    allocation = allocation_in(world, state)
    read_key, read_secret = fund_key_create(fund=world.fund, actor=world.manager, name="Read")
    write_key, write_secret = fund_key_create(
        fund=world.fund, actor=world.manager, name="Write", scope=Scope.READ_WRITE
    )

    assert api_actions(bearer(read_secret), allocation) == set()
    offered = ALLOCATION_ACTIONS.available(allocation, write_key.user, credential=write_key)
    assert api_actions(bearer(write_secret), allocation) == {o.name for o in offered}
    assert ALLOCATION_ACTIONS.available(allocation, read_key.user, credential=read_key) == []
