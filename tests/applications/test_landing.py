"""Staff land in the right place: after signing in, fund staff who are in no network start at the
work queue, a support provider at the allocations they deliver; volunteers keep the dashboard,
and someone who is both keeps it too, with a link to the queue. An explicit ``next`` wins."""

from http import HTTPStatus

import pytest
from django.conf import settings
from django.urls import reverse

from applications import landing
from applications.models import NetworkMember
from funds.models import FundMembership
from tests.applications.factories import NetworkMemberFactory
from tests.funds.factories import FundMembershipFactory, UserFactory
from tests.pools.factories import ProviderFactory

pytestmark = pytest.mark.django_db

PASSWORD = "secret-pass-123"


def sign_in(client, user, **extra):
    """Sign in with the password, as a person does; the response after every redirect."""
    return client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD, **extra}, follow=True
    )


def landed(response) -> str:
    assert response.status_code == HTTPStatus.OK
    return (
        response.redirect_chain[-1][0] if response.redirect_chain else response.request["PATH_INFO"]
    )


def test_sign_in_goes_to_the_dashboard_setting():
    assert settings.LOGIN_REDIRECT_URL == "dashboard"


@pytest.mark.parametrize("role", [FundMembership.Role.OFFICER, FundMembership.Role.MANAGER])
def test_fund_staff_without_a_network_land_on_the_work_queue(client, role):
    user = FundMembershipFactory(role=role).user
    response = sign_in(client, user)
    assert landed(response) == reverse("queue")
    assert "You are not part of a network yet" not in response.content.decode()


def test_a_provider_without_a_network_lands_on_the_allocations_they_deliver(client):
    user = UserFactory()
    ProviderFactory(user=user, name="Petra's bookkeeping")
    response = sign_in(client, user)
    assert landed(response) == reverse("provided_allocations")
    page = response.content.decode()
    assert "Support you deliver" in page
    assert "You are not part of a network yet" not in page


def test_the_provider_page_is_for_signed_in_people_only(client):
    response = client.get(reverse("provided_allocations"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith(reverse("login"))


def test_a_volunteer_keeps_the_dashboard(client):
    user = NetworkMemberFactory(role=NetworkMember.Role.COORDINATOR).user
    response = sign_in(client, user)
    assert landed(response) == reverse("dashboard")
    assert reverse("queue") not in response.content.decode()


def test_a_newcomer_in_no_network_and_no_fund_keeps_the_dashboard(client):
    response = sign_in(client, UserFactory())
    assert landed(response) == reverse("dashboard")
    assert "You are not part of a network yet" in response.content.decode()


def test_an_officer_who_is_also_in_a_network_keeps_the_dashboard_with_a_link_to_the_queue(client):
    user = FundMembershipFactory(role=FundMembership.Role.OFFICER).user
    NetworkMemberFactory(user=user)
    ProviderFactory(user=user)
    response = sign_in(client, user)
    assert landed(response) == reverse("dashboard")
    assert f'href="{reverse("queue")}"' in response.content.decode()


def test_an_officer_who_is_also_a_provider_starts_at_the_queue():
    user = FundMembershipFactory().user
    ProviderFactory(user=user)
    assert landing.landing_url(user) == reverse("queue")


def test_an_explicit_next_wins(client):
    user = FundMembershipFactory().user
    target = reverse("home")
    response = sign_in(client, user, next=target)
    assert landed(response) == target


def test_fund_staff_opening_the_dashboard_later_are_sent_to_the_queue(client):
    client.force_login(FundMembershipFactory().user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == reverse("queue")


def test_a_registered_finder_is_asked_after_the_fund_staff_rule(monkeypatch):
    monkeypatch.setattr(landing, "_finders", [])
    landing.register_landing(lambda user: "/somewhere/")
    landing.register_landing(landing._finders[0])  # twice is harmless
    assert len(landing._finders) == 1
    assert landing.landing_url(UserFactory()) == "/somewhere/"
    assert landing.landing_url(FundMembershipFactory().user) == reverse("queue")
    assert landing.landing_url(NetworkMemberFactory().user) is None
