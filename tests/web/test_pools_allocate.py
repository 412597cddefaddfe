"""Reserving pool hours from the budget step: the form, its limits and who may use it."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse

from applications.models import Application
from funds.models import FundMembership
from pools.models import Allocation
from tests.applications.helpers import bring_to_state, dual_role_user
from tests.funds.factories import FundMembershipFactory
from tests.pools.factories import ContributionFactory, PoolServiceFactory, service_type
from tests.pools.helpers import budget_with_hours_submitted, pool_for, reserve

pytestmark = pytest.mark.django_db


@pytest.fixture
def budget(world):
    """A pool of 40 secretarial hours, and a budget asking 12 of them, submitted."""
    world.service, world.provider = pool_for(world, capacity="40")
    world.application = budget_with_hours_submitted(world)
    return world


def step_url(world):
    return reverse("step_detail", args=[world.application.pk, "budget"])


def create_url(world):
    return reverse("allocation_create", args=[world.application.pk])


def post_data(world, hours="12", provider=None, **overrides):
    data = {
        "need": "Minutes of our meetings",
        "service": str(world.service.pk),
        "hours": hours,
        "provider": str(provider.pk) if provider else "",
    }
    data.update(overrides)
    return data


def test_officer_sees_each_in_kind_need_with_the_pools_that_cover_it(client, budget):
    client.force_login(budget.officer)

    content = client.get(step_url(budget)).content.decode()

    assert "Support in kind" in content
    assert "Minutes of our meetings" in content
    assert "12 hours asked" in content
    assert "40 hours still available" in content
    assert budget.service.pool.name in content
    assert create_url(budget) in content
    assert f'name="service" value="{budget.service.pk}"' in content
    assert budget.provider.name in content  # in the provider select
    assert "Seeds and soil" not in content.split("Support in kind")[1].split("</section>")[0]


def test_a_need_no_pool_offers_says_so(client, world):
    pool_for(world, code="bookkeeping")
    world.application = budget_with_hours_submitted(world)
    client.force_login(world.officer)

    content = client.get(step_url(world)).content.decode()

    assert "No open pool your fund contributes to offers this kind of support." in content
    assert create_url(world) not in content


def test_a_fully_booked_service_offers_no_form(client, budget):
    reserve(budget, budget.service, "40")
    client.force_login(budget.officer)

    content = client.get(step_url(budget)).content.decode()

    assert "no hours left" in content
    assert create_url(budget) not in content


def test_the_network_does_not_see_the_section_on_its_budget_step(client, budget):
    for user in (budget.coordinator, budget.member):
        client.force_login(user)
        content = client.get(step_url(budget)).content.decode()
        assert create_url(budget) not in content
        assert "Support in kind" not in content


def test_other_steps_have_no_support_section(client, budget):
    client.force_login(budget.officer)

    content = client.get(reverse("step_detail", args=[budget.application.pk, "idea"]))

    assert "Support in kind" not in content.content.decode()


def test_reserving_within_capacity_creates_the_allocation_and_says_so(client, budget):
    client.force_login(budget.officer)

    response = client.post(create_url(budget), post_data(budget, "12", budget.provider))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == step_url(budget) + "#support"
    allocation = Allocation.objects.get()
    assert (allocation.hours, allocation.provider, allocation.state) == (
        Decimal("12"),
        budget.provider,
        Allocation.State.RESERVED,
    )
    assert allocation.need == "Minutes of our meetings"
    assert allocation.created_by == budget.officer
    content = client.get(step_url(budget)).content.decode()
    assert "12 hours of Secretarial support are reserved for “Minutes of our meetings”." in content
    assert reverse("allocation_detail", args=[allocation.pk]) in content
    assert "28 hours still available" in content


def test_reserving_beyond_capacity_shows_the_field_error_and_keeps_the_input(client, budget):
    reserve(budget, budget.service, "30")
    client.force_login(budget.officer)

    response = client.post(create_url(budget), post_data(budget, "15", budget.provider))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    content = response.content.decode()
    assert "Only 10 hours of Secretarial support are still available in this pool." in content
    assert 'name="hours" value="15"' in content  # what was typed is still there
    assert f'<option value="{budget.provider.pk}" selected>' in content
    assert 'aria-invalid="true"' in content
    assert Allocation.objects.count() == 1


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("", "This field is required."),
        ("0", "Enter more than zero hours."),
        ("1,234", "Use at most two decimals"),
        ("lots", "Enter a number of hours"),
    ],
)
def test_unusable_hours_are_refused_at_the_field(client, budget, hours, message):
    client.force_login(budget.officer)

    response = client.post(create_url(budget), post_data(budget, hours))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.content.decode()
    assert not Allocation.objects.exists()


def test_a_provider_of_another_pool_is_refused(client, budget):
    from tests.pools.factories import ProviderFactory

    stranger = ProviderFactory(service_type=budget.service.service_type)
    client.force_login(budget.officer)

    response = client.post(create_url(budget), post_data(budget, "4", stranger))

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Select a valid choice" in response.content.decode()
    assert not Allocation.objects.exists()


def test_an_unknown_service_is_not_found(client, budget):
    client.force_login(budget.officer)

    for service in ("999999", "abc", ""):
        response = client.post(create_url(budget), post_data(budget, service=service))
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Allocation.objects.exists()


def test_before_the_budget_is_submitted_the_officer_is_told_why(client, world):
    world.service, _ = pool_for(world)
    bring_to_state(world, Application.State.STEP_SUBMITTED)  # only the idea
    client.force_login(world.officer)
    budget_step = reverse("step_detail", args=[world.application.pk, "budget"])

    assert "once the network has submitted its budget" in client.get(budget_step).content.decode()
    response = client.post(create_url(world), post_data(world, "4"), follow=True)

    assert response.redirect_chain[-1][0] == budget_step + "#support"
    assert "once the network has submitted its budget" in response.content.decode()
    assert not Allocation.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, budget):
    response = client.post(create_url(budget), post_data(budget))

    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("role", ["coordinator", "member"])
def test_the_network_cannot_reserve_for_itself(client, budget, role):
    client.force_login(getattr(budget, role))

    response = client.post(create_url(budget), post_data(budget))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Allocation.objects.exists()


def test_an_officer_who_is_in_the_network_is_refused(client, budget):
    client.force_login(dual_role_user(budget, fund_role="officer", network_role="member"))

    response = client.post(create_url(budget), post_data(budget))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Allocation.objects.exists()


def test_outsiders_and_other_funds_officers_do_not_find_the_application(client, budget):
    other = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    for user in (budget.outsider, other):
        client.force_login(user)
        response = client.post(create_url(budget), post_data(budget))
        assert response.status_code == HTTPStatus.NOT_FOUND
    assert not Allocation.objects.exists()


def test_a_pool_the_fund_does_not_contribute_to_is_refused(client, budget):
    """The officer of the application's fund, reserving from another fund's pool."""
    foreign = PoolServiceFactory(
        pool=ContributionFactory().pool, service_type=service_type("secretarial")
    )
    client.force_login(budget.officer)

    response = client.post(create_url(budget), post_data(budget, service=str(foreign.pk)))

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Allocation.objects.exists()
    # And that pool is not offered on the step either.
    content = client.get(step_url(budget)).content.decode()
    assert f'name="service" value="{foreign.pk}"' not in content
