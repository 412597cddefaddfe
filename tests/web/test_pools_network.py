"""What the network and the provider see of support in kind: hours, never added to euros."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from applications import services as application_services
from applications.models import NetworkMember
from pools import services
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.applications.helpers import start_application
from tests.funds.factories import UserFactory
from tests.pools.helpers import awarded_with, pool_for, reserve

pytestmark = pytest.mark.django_db


@pytest.fixture
def supported(world):
    """An awarded application with 10 secretarial hours (4 delivered) from a provider at €40."""
    service, provider = pool_for(world, rate=Decimal("40"))
    provider.name, provider.phone, provider.user = "Kees Jansen", "06 1234 5678", UserFactory()
    provider.save()
    world.service, world.provider = service, provider
    world.allocation = awarded_with(world, service, "10", provider=provider, amount="500")
    services.delivery_log(
        allocation=world.allocation,
        actor=world.officer,
        delivered_on=timezone.localdate(),
        hours="4",
        note="Minutes",
    )
    return world


def section(content: str, heading="Support in kind") -> str:
    # A section's heading, or the page's own (the provider's start page is that section).
    start = max(content.find(f">{heading}</h2>"), content.find(f">{heading}</h1>"))
    assert start >= 0, heading
    return content[start : content.index("</section>", start)]


@pytest.mark.parametrize("who", ["coordinator", "member", "officer"])
def test_application_page_lists_the_hours_with_the_providers_contact(client, supported, who):
    client.force_login(getattr(supported, who))

    content = client.get(reverse("application_detail", args=[supported.application.pk]))

    support = section(content.content.decode())
    for text in (
        "Secretarial support",
        "Help with the minutes",
        "Kees Jansen",
        f"mailto:{supported.provider.email}",
        "tel:0612345678",
        "Confirmed",
        reverse("allocation_detail", args=[supported.allocation.pk]),
    ):
        assert text in support, text
    assert '<td class="num">10</td>' in support and '<td class="num">4</td>' in support
    assert "€" not in support  # hours only: the €160 value is never shown beside the grant


def test_the_awarded_amount_stays_the_grant_alone(client, supported):
    client.force_login(supported.coordinator)

    content = client.get(reverse("application_detail", args=[supported.application.pk]))

    assert "€\u00a0500.00" in content.content.decode()  # core.money.format_euros
    assert "660.00" not in content.content.decode()


def test_an_application_without_support_has_no_section(client, world):
    client.force_login(world.coordinator)

    content = client.get(reverse("application_detail", args=[world.application.pk]))

    assert "Support in kind" not in content.content.decode()


def test_network_page_sums_up_the_support_per_kind(client, supported):
    client.force_login(supported.member)

    content = client.get(reverse("network_detail", args=[supported.network.pk])).content.decode()

    support = section(content)
    assert "Secretarial support: 4 of 10 hours delivered" in support
    assert supported.application.title in support
    assert reverse("allocation_detail", args=[supported.allocation.pk]) in support
    assert "€" not in support


def test_released_support_counts_only_what_was_delivered(client, supported):
    services.allocation_close(allocation=supported.allocation, actor=supported.officer)
    client.force_login(supported.member)

    content = client.get(reverse("network_detail", args=[supported.network.pk])).content.decode()

    assert "Secretarial support: 4 of 4 hours delivered" in section(content)


def budget_submitted_other(world, application, coordinator):
    from tests.applications.helpers import fill_current_step

    while True:
        application.refresh_from_db()
        step = application.current_step
        fill_current_step(application, coordinator)
        application_services.application_submit_step(application=application, actor=coordinator)
        if step.key == "budget":
            return
        application_services.application_accept_step(application=application, actor=world.officer)


def test_members_see_only_their_own_networks_support(client, supported):
    other_application, other_coordinator = start_application(supported.programme, title="Other")
    budget_submitted_other(supported, other_application, other_coordinator)
    reserve(supported, supported.service, "3", application=other_application)
    client.force_login(supported.member)

    network_page = client.get(reverse("network_detail", args=[supported.network.pk]))
    assert "Other" not in section(network_page.content.decode())
    # Another network's pages are not found, so neither is its support.
    other_network = other_application.network
    assert (
        client.get(reverse("network_detail", args=[other_network.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )
    assert (
        client.get(reverse("application_detail", args=[other_application.pk])).status_code
        == HTTPStatus.NOT_FOUND
    )


def test_a_network_without_support_has_no_section(client, world):
    network = NetworkFactory()
    user = NetworkMemberFactory(network=network, role=NetworkMember.Role.COORDINATOR).user
    client.force_login(user)

    content = client.get(reverse("network_detail", args=[network.pk])).content.decode()

    assert "Support in kind" not in content


def test_the_providers_dashboard_lists_the_support_they_deliver(client, supported):
    client.force_login(supported.provider.user)

    # A provider in no network lands on their allocations (applications.landing).
    content = client.get(reverse("dashboard"), follow=True).content.decode()

    support = section(content, "Support you deliver")
    assert reverse("allocation_detail", args=[supported.allocation.pk]) in support
    assert supported.network.name in support
    assert "Help with the minutes" in support


def test_other_people_have_no_provider_section(client, supported):
    for user in (supported.coordinator, supported.officer, UserFactory()):
        client.force_login(user)
        page = client.get(reverse("dashboard"), follow=True).content.decode()
        assert "Support you deliver" not in page
