"""One allocation's page: who sees it, logging delivered hours, and the officer's actions."""

import datetime
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from funds.models import FundMembership
from pools import services
from pools.models import Allocation, Delivery
from tests.applications.helpers import dual_role_user
from tests.funds.factories import FundMembershipFactory, UserFactory
from tests.pools.factories import ContributionFactory, ProviderFactory
from tests.pools.helpers import awarded_with, budget_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def confirmed(world):
    """A confirmed allocation of 10 hours, its provider with a login and a rate of €40."""
    service, provider = pool_for(world, rate=Decimal("40"))
    provider.user = UserFactory()
    provider.phone = "020 555 0199"
    provider.save()
    world.provider = provider
    world.allocation = awarded_with(world, service, "10", provider=provider)
    assert world.allocation.state == Allocation.State.CONFIRMED
    return world


def url(name, allocation):
    return reverse(name, args=[allocation.pk])


def delivery(day=None, hours="4", note="Minutes of the May meeting"):
    return {"delivered_on": (day or TODAY()).isoformat(), "hours": hours, "note": note}


def other_provider(world):
    """The provider of another allocation in the same pool."""
    service = world.allocation.service
    return ProviderFactory(pool=service.pool, service_type=service.service_type, user=UserFactory())


# Seeing it --------------------------------------------------------------------------------------


def test_the_page_shows_need_service_pool_provider_hours_and_state(client, confirmed):
    services.delivery_log(
        allocation=confirmed.allocation,
        actor=confirmed.provider.user,
        delivered_on=TODAY(),
        hours="2,5",
        note="Minutes of the kick-off",
    )
    client.force_login(confirmed.member)

    content = client.get(url("allocation_detail", confirmed.allocation)).content.decode()

    a = confirmed.allocation
    for text in (
        a.need,
        "Secretarial support",
        a.service.pool.name,
        confirmed.provider.name,
        f"mailto:{confirmed.provider.email}",
        "tel:0205550199",
        "Confirmed",
        "Minutes of the kick-off",
        "€ 100.00",  # 2.5 h at €40, in the money-value column
    ):
        assert text in content, text
    assert "Log delivered hours" not in content  # the network does not log hours
    assert "Release the hours" not in content


@pytest.mark.parametrize("who", ["member", "coordinator", "officer", "manager", "provider"])
def test_the_network_the_fund_and_the_provider_see_it(client, confirmed, who):
    user = confirmed.provider.user if who == "provider" else getattr(confirmed, who)
    client.force_login(user)

    assert client.get(url("allocation_detail", confirmed.allocation)).status_code == HTTPStatus.OK


def test_an_officer_of_another_fund_in_the_pool_sees_it_without_actions(client, confirmed):
    other = FundMembershipFactory(role=FundMembership.Role.OFFICER)
    ContributionFactory(pool=confirmed.allocation.service.pool, fund=other.fund)
    client.force_login(other.user)

    response = client.get(url("allocation_detail", confirmed.allocation))

    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert "Release the hours" not in content
    assert "Log the hours" not in content
    # The application belongs to another fund: no link to it.
    assert reverse("application_detail", args=[confirmed.application.pk]) not in content


@pytest.mark.parametrize("who", ["outsider", "other_fund_officer", "other_provider", "stranger"])
def test_for_everyone_else_the_allocation_does_not_exist(client, confirmed, who):
    """Outside your scope an allocation is a 404, as in the API: not a 403 that confirms it."""
    from tests.applications.factories import NetworkMemberFactory

    users = {
        "outsider": lambda: confirmed.outsider,
        "other_fund_officer": lambda: FundMembershipFactory().user,
        "other_provider": lambda: other_provider(confirmed).user,
        "stranger": lambda: NetworkMemberFactory().user,  # another network's member
    }
    client.force_login(users[who]())
    a = confirmed.allocation

    assert client.get(url("allocation_detail", a)).status_code == HTTPStatus.NOT_FOUND
    for name, data in [
        ("delivery_create", delivery()),
        ("allocation_release", {}),
        ("allocation_close", {}),
        ("allocation_assign_provider", {"assign-provider": ""}),
    ]:
        assert client.post(url(name, a), data).status_code == HTTPStatus.NOT_FOUND, name
    a.refresh_from_db()
    assert (a.state, a.delivered_hours, a.provider) == ("confirmed", 0, confirmed.provider)


def test_anonymous_is_sent_to_sign_in(client, confirmed):
    a = confirmed.allocation
    for name in ("allocation_detail", "delivery_create", "allocation_release", "allocation_close"):
        response = (
            client.post(url(name, a)) if name != "allocation_detail" else client.get(url(name, a))
        )
        assert response.status_code == HTTPStatus.FOUND, name
        assert response["Location"].startswith(reverse("login"))


def test_an_unknown_allocation_is_not_found(client, confirmed):
    client.force_login(confirmed.officer)

    response = client.get(reverse("allocation_detail", args=[999999]))

    assert response.status_code == HTTPStatus.NOT_FOUND


# Logging delivered hours ------------------------------------------------------------------------


def test_the_provider_logs_hours_and_sees_them(client, confirmed):
    client.force_login(confirmed.provider.user)
    page = client.get(url("allocation_detail", confirmed.allocation)).content.decode()
    assert "Log delivered hours (10 hours left)" in page

    response = client.post(url("delivery_create", confirmed.allocation), delivery(hours="4"))

    assert response.status_code == HTTPStatus.FOUND
    logged = Delivery.objects.get()
    assert (logged.hours, logged.hourly_rate, logged.logged_by) == (
        Decimal("4"),
        Decimal("40"),
        confirmed.provider.user,
    )
    content = client.get(response["Location"]).content.decode()
    assert "The delivered hours are logged." in content
    assert "Log delivered hours (6 hours left)" in content


def test_the_last_hours_make_it_delivered_and_the_form_goes(client, confirmed):
    client.force_login(confirmed.officer)

    client.post(url("delivery_create", confirmed.allocation), delivery(hours="10"))

    confirmed.allocation.refresh_from_db()
    assert confirmed.allocation.state == Allocation.State.DELIVERED
    content = client.get(url("allocation_detail", confirmed.allocation)).content.decode()
    assert "Log delivered hours" not in content
    assert "Close the allocation" in content  # the officer can still close it


def test_more_hours_than_are_left_are_refused_and_the_input_kept(client, confirmed):
    services.delivery_log(
        allocation=confirmed.allocation,
        actor=confirmed.officer,
        delivered_on=TODAY(),
        hours="7.5",
        note="Earlier work",
    )
    client.force_login(confirmed.provider.user)

    response = client.post(
        url("delivery_create", confirmed.allocation), delivery(hours="3", note="Newsletter")
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    content = response.content.decode()
    assert "Only 2.5 hours of this allocation are left to log." in content
    assert 'name="hours" value="3"' in content
    assert "Newsletter</textarea>" in content
    assert Delivery.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (delivery(day=TODAY() + datetime.timedelta(days=1)), "not in advance"),
        (delivery(day=TODAY() - datetime.timedelta(days=400)), "give a date in that period"),
        (delivery(hours="0"), "Enter more than zero hours."),
        (delivery(hours=""), "This field is required."),
        (delivery(note=""), "This field is required."),
        ({**delivery(), "delivered_on": "yesterday"}, "Enter a valid date."),
    ],
)
def test_unusable_deliveries_are_refused_at_the_field(client, confirmed, data, message):
    client.force_login(confirmed.provider.user)

    response = client.post(url("delivery_create", confirmed.allocation), data)

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_network_cannot_log_hours(client, confirmed):
    for user in (confirmed.coordinator, confirmed.member):
        client.force_login(user)
        response = client.post(url("delivery_create", confirmed.allocation), delivery())
        assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Delivery.objects.exists()


def test_a_reserved_allocation_has_no_delivery_form_and_logging_is_refused(client, world):
    service, provider = pool_for(world)
    provider.user = UserFactory()
    provider.save()
    budget_submitted(world)
    allocation = reserve(world, service, "5", provider=provider)
    client.force_login(provider.user)

    assert (
        "Log delivered hours"
        not in client.get(url("allocation_detail", allocation)).content.decode()
    )
    response = client.post(url("delivery_create", allocation), delivery(), follow=True)

    assert "This is not possible now" in response.content.decode()
    assert not Delivery.objects.exists()


# The officer's actions --------------------------------------------------------------------------


def test_officer_releases_with_a_note(client, confirmed):
    client.force_login(confirmed.officer)

    response = client.post(
        url("allocation_release", confirmed.allocation), {"release-note": "The network stopped"}
    )

    assert response.status_code == HTTPStatus.FOUND
    confirmed.allocation.refresh_from_db()
    assert confirmed.allocation.state == Allocation.State.RELEASED
    content = client.get(response["Location"]).content.decode()
    assert "The allocation is released" in content
    assert "The network stopped" in content  # in the history
    assert "Release the hours" not in content


def test_officer_closes_after_some_delivery(client, confirmed):
    services.delivery_log(
        allocation=confirmed.allocation,
        actor=confirmed.officer,
        delivered_on=TODAY(),
        hours="3",
        note="Work",
    )
    client.force_login(confirmed.officer)

    response = client.post(url("allocation_close", confirmed.allocation), {"close-note": ""})

    assert response.status_code == HTTPStatus.FOUND
    confirmed.allocation.refresh_from_db()
    assert confirmed.allocation.state == Allocation.State.CLOSED
    assert confirmed.allocation.service.allocations.held_hours() == Decimal("3")


def test_closing_twice_is_not_possible_now(client, confirmed):
    client.force_login(confirmed.officer)
    client.post(url("allocation_close", confirmed.allocation), {})

    response = client.post(url("allocation_close", confirmed.allocation), {}, follow=True)

    assert "This is not possible now" in response.content.decode()


def test_officer_assigns_another_provider(client, confirmed):
    service = confirmed.allocation.service
    newcomer = ProviderFactory(pool=service.pool, service_type=service.service_type)
    client.force_login(confirmed.officer)

    response = client.post(
        url("allocation_assign_provider", confirmed.allocation), {"assign-provider": newcomer.pk}
    )

    assert response.status_code == HTTPStatus.FOUND
    confirmed.allocation.refresh_from_db()
    assert confirmed.allocation.provider == newcomer


def test_a_provider_of_another_service_cannot_be_assigned(client, confirmed):
    from tests.pools.factories import service_type

    wrong = ProviderFactory(
        pool=confirmed.allocation.service.pool, service_type=service_type("bookkeeping")
    )
    client.force_login(confirmed.officer)

    response = client.post(
        url("allocation_assign_provider", confirmed.allocation), {"assign-provider": wrong.pk}
    )

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Select a valid choice" in response.content.decode()
    confirmed.allocation.refresh_from_db()
    assert confirmed.allocation.provider == confirmed.provider


@pytest.mark.parametrize("who", ["member", "coordinator", "provider", "dual"])
def test_only_the_funds_officers_release_close_and_assign(client, confirmed, who):
    users = {
        "member": confirmed.member,
        "coordinator": confirmed.coordinator,
        "provider": confirmed.provider.user,
        "dual": dual_role_user(confirmed, fund_role="officer", network_role="member"),
    }
    client.force_login(users[who])
    a = confirmed.allocation

    content = client.get(url("allocation_detail", a)).content.decode()
    assert "Release the hours" not in content
    assert "Save the provider" not in content
    for name, data in [
        ("allocation_release", {}),
        ("allocation_close", {}),
        ("allocation_assign_provider", {"assign-provider": ""}),
    ]:
        assert client.post(url(name, a), data).status_code == HTTPStatus.FORBIDDEN, name
    a.refresh_from_db()
    assert (a.state, a.provider) == ("confirmed", confirmed.provider)


def test_actions_answer_only_post(client, confirmed):
    client.force_login(confirmed.officer)

    for name in ("delivery_create", "allocation_release", "allocation_close"):
        response = client.get(url(name, confirmed.allocation))
        assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
