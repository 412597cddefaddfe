"""One answer to "what may I do to this allocation now": the page, the API and the registry.

For every state and every caller, the buttons on the allocation page (``data-action``), the API's
transitions list, ``ALLOCATION_ACTIONS.available`` and django-fsm agree (``tests/parity.py``).
Someone outside the allocation's scope gets a 404 from both the page and the API.
"""

import pytest
from django.urls import reverse

from pools.actions import ALLOCATION_ACTIONS
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory
from tests.parity import check, fund_keys, person, who
from tests.pools.helpers import STATES, allocation_in
from tests.pools.helpers import person as role_user

pytestmark = pytest.mark.django_db

#: Who may not see the allocation at all: a 404, on the page and in the API.
OUTSIDE = ("outsider", "other_network", "other_fund")
ROLES = ("officer", "manager", "provider", "coordinator", "member", "pool_officer", *OUTSIDE)


@pytest.mark.parametrize("state", STATES)
def test_the_page_the_api_the_registry_and_fsm_offer_the_same_actions(world, state):
    allocation = allocation_in(world, state)
    world.other_network = NetworkMemberFactory().user
    world.other_fund = FundMembershipFactory().user
    callers = {
        **{role: person(role_user(world, role)) for role in ROLES},
        **fund_keys(world.fund, actor=world.manager),
    }

    offered = check(
        allocation,
        ALLOCATION_ACTIONS,
        callers,
        page=reverse("allocation_detail", args=[allocation.pk]),
        api=f"/api/v1/allocations/{allocation.pk}/transitions/",
    )

    for role in (*OUTSIDE, "read_key"):
        assert offered[role] == set(), role
    # The fund's staff and its write key decide; nobody else does.
    for name in ("close", "release"):
        assert who(offered, name) <= {"officer", "manager", "write_key"}, name
