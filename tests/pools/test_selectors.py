"""``pools.selectors``: who sees which pools, contributions, allocations and deliveries.

The web pages and the API both ask these, so the rules are tested once here; the pages' and the
API's 404s are tested from the refused person's side in their own suites.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from pools import selectors
from pools.models import Allocation
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, UserFactory

from .factories import ContributionFactory
from .helpers import allocation_in, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported(world):
    """A delivered allocation (one delivery), its provider with a login, a second pool fund."""
    world.allocation = allocation_in(world, Allocation.State.DELIVERED)
    world.pool = world.allocation.service.pool
    assert world.allocation.deliveries.exists()
    return world


SEE_ALLOCATION = ("officer", "manager", "provider", "coordinator", "member", "pool_officer")


def test_who_sees_the_allocation_and_its_deliveries(supported):
    w = supported
    w.other_fund = FundMembershipFactory().user
    w.other_network = NetworkMemberFactory().user
    w.anonymous = AnonymousUser()

    for role in (*SEE_ALLOCATION, "outsider", "other_fund", "other_network", "anonymous"):
        user = person(w, role)
        sees = role in SEE_ALLOCATION
        assert list(selectors.allocation_list(user)) == ([w.allocation] if sees else []), role
        assert selectors.allocation_detail(user, w.allocation.pk).exists() == sees, role
        deliveries = set(selectors.delivery_list(user))
        assert deliveries == (set(w.allocation.deliveries.all()) if sees else set()), role


def test_only_the_contributing_funds_staff_see_the_pool_and_its_contributions(supported):
    w = supported
    for role in ("officer", "manager", "pool_officer"):
        user = person(w, role)
        assert list(selectors.pool_list(user)) == [w.pool], role
        assert set(selectors.contribution_list(user)) == set(w.pool.contributions.all()), role
    for role in ("provider", "coordinator", "member", "outsider"):
        user = person(w, role)
        assert not selectors.pool_list(user).exists(), role
        assert not selectors.contribution_list(user).exists(), role


def test_a_fund_scope_narrows_to_what_concerns_that_fund(supported):
    w = supported
    other = ContributionFactory(pool=w.pool).fund  # contributes to the pool; not the applicant
    elsewhere = ContributionFactory().fund  # contributes to another pool only

    assert list(selectors.allocation_list(w.officer, fund_id=w.fund.pk)) == [w.allocation]
    # A key of a fund that contributes to the pool sees the allocations drawn from it.
    assert list(selectors.allocation_list(w.pool_officer, fund_id=other.pk)) == [w.allocation]
    assert not selectors.allocation_list(w.officer, fund_id=elsewhere.pk).exists()
    assert list(selectors.pool_list(w.officer, fund_id=w.fund.pk)) == [w.pool]
    assert not selectors.pool_list(w.officer, fund_id=elsewhere.pk).exists()


def test_an_inactive_account_sees_nothing(supported):
    w = supported
    w.officer.is_active = False
    w.officer.save()

    assert not selectors.allocation_list(w.officer).exists()
    assert not selectors.pool_list(w.officer).exists()


def test_a_provider_sees_only_the_allocations_they_deliver(supported):
    w = supported
    assert list(selectors.provider_allocations(w.provider.user)) == [w.allocation]
    assert not selectors.provider_allocations(UserFactory()).exists()
    assert not selectors.provider_allocations(AnonymousUser()).exists()
