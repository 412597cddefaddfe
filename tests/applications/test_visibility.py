"""Who sees which applications: their networks' and their funds', nothing else."""

import pytest
from django.contrib.auth.models import AnonymousUser

from applications import services
from applications.models import Application, NetworkMember
from applications.selectors import application_get, application_list
from funds.models import FundMembership
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import start_application
from tests.funds.factories import FundMembershipFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


class Landscape:
    pass


@pytest.fixture
def landscape(world):
    """Three funds and three networks around ``world``:

    - a1: network 1 -> fund 1 (``world.application``)
    - a2: network 2 -> fund 2
    - a3: network 2 -> fund 1
    - a4: network 3 -> fund 3 (nobody below has anything to do with it)
    """
    land = Landscape()
    land.world = world
    land.a1 = world.application
    programme_2 = ProgrammeFactory()
    land.officer_2 = FundMembershipFactory(fund=programme_2.fund).user
    land.a2, land.coordinator_2 = start_application(programme_2, title="Street library")
    land.member_2 = NetworkMemberFactory(network=land.a2.network).user
    land.a3 = services.application_create(
        network=land.a2.network,
        programme=world.programme,
        actor=land.coordinator_2,
        title="Second idea",
        requested_amount="500",
    )
    land.a4, land.coordinator_4 = start_application(ProgrammeFactory(), title="Choir")
    land.programme_2 = programme_2
    return land


def visible(user):
    return set(application_list(user=user))


def test_network_members_see_only_their_networks_applications(landscape):
    land = landscape
    assert visible(land.world.member) == {land.a1}
    assert visible(land.world.coordinator) == {land.a1}
    assert visible(land.member_2) == {land.a2, land.a3}
    assert visible(land.coordinator_4) == {land.a4}


@pytest.mark.parametrize("role", ["officer", "manager"])
def test_fund_staff_see_only_their_funds_applications(landscape, role):
    land = landscape
    assert visible(getattr(land.world, role)) == {land.a1, land.a3}
    assert visible(land.officer_2) == {land.a2}


def test_outsiders_see_nothing(landscape):
    assert visible(landscape.world.outsider) == set()
    assert visible(UserFactory()) == set()


def test_anonymous_visitors_see_nothing(landscape):
    assert visible(AnonymousUser()) == set()
    assert visible(None) == set()


def test_a_network_member_who_works_at_another_fund_sees_both_sets_and_nothing_else(landscape):
    land = landscape
    person = NetworkMemberFactory(network=land.world.network).user
    FundMembershipFactory(fund=land.programme_2.fund, user=person)

    assert visible(person) == {land.a1, land.a2}


def test_someone_in_several_networks_and_funds_sees_each_application_once(landscape):
    land = landscape
    person = NetworkMemberFactory(network=land.world.network).user
    NetworkMemberFactory(network=land.a2.network, user=person, role=NetworkMember.Role.COORDINATOR)
    FundMembershipFactory(fund=land.world.fund, user=person, role=FundMembership.Role.MANAGER)
    FundMembershipFactory(fund=land.programme_2.fund, user=person)

    listed = list(application_list(user=person))

    assert len(listed) == len(set(listed)) == 3
    assert set(listed) == {land.a1, land.a2, land.a3}


def test_application_get_refuses_what_the_user_may_not_see(landscape):
    land = landscape
    assert application_get(user=land.officer_2, pk=land.a2.pk) == land.a2
    with pytest.raises(Application.DoesNotExist):
        application_get(user=land.officer_2, pk=land.a1.pk)
    with pytest.raises(Application.DoesNotExist):
        application_get(user=AnonymousUser(), pk=land.a1.pk)


def test_closed_applications_stay_visible_to_both_sides(landscape):
    land = landscape
    services.application_withdraw(application=land.a1, actor=land.world.coordinator)

    assert land.a1 in visible(land.world.member)
    assert land.a1 in visible(land.world.officer)
