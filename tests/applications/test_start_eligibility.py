"""Eligibility before effort: a network that cannot apply to a programme hears so before it types
a title and an amount, from the same rule the service applies."""

from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from applications import services
from applications.models import Application, Network, NetworkMember
from applications.services.starting import eligibility_refusal, start_choices
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

FOUNDATIONS_ONLY = {
    "accepts_legal_entity": True,
    "accepts_cooperation_agreement": False,
    "accepts_host_organisation": False,
    "accepts_support_only": False,
}


def coordinator_of(*networks):
    user = UserFactory()
    for network in networks:
        NetworkMemberFactory(network=network, user=user, role=NetworkMember.Role.COORDINATOR)
    return user


def informal():
    return NetworkFactory(name="Buurtmoestuin", legal_status=Network.LegalStatus.NONE)


def association():
    return NetworkFactory(
        name="Repair Café", legal_status=Network.LegalStatus.ASSOCIATION, kvk_number="40123456"
    )


def test_an_informal_network_is_refused_by_a_foundations_only_programme():
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    assert "only supports foundations and associations" in eligibility_refusal(
        network=informal(), programme=programme
    )
    assert eligibility_refusal(network=association(), programme=programme) is None


def test_an_informal_network_may_apply_where_another_arrangement_is_accepted():
    programme = ProgrammeFactory(**{**FOUNDATIONS_ONLY, "accepts_host_organisation": True})
    assert eligibility_refusal(network=informal(), programme=programme) is None


def test_the_service_refuses_with_the_same_words_the_start_page_shows(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    network = informal()
    user = coordinator_of(network)
    with pytest.raises(ValidationError) as refused:
        services.application_create(
            network=network,
            programme=programme,
            actor=user,
            title="Garden",
            requested_amount=Decimal("100"),
        )
    reason = eligibility_refusal(network=network, programme=programme)
    assert refused.value.message_dict["programme"] == [reason]
    client.force_login(user)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert reason in page


def test_the_start_page_says_why_instead_of_showing_the_form(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    client.force_login(coordinator_of(informal()))
    response = client.get(reverse("application_start", args=[programme.slug]))
    assert response.status_code == HTTPStatus.OK
    page = response.content.decode()
    assert 'data-eligibility="refused"' in page
    assert "Buurtmoestuin" in page
    assert 'name="title"' not in page and 'name="requested_amount"' not in page
    assert f"{reverse('home')}?informal=on" in page


def test_a_post_for_a_network_that_cannot_apply_creates_nothing(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    network = informal()
    client.force_login(coordinator_of(network))
    response = client.post(
        reverse("application_start", args=[programme.slug]),
        {"network": network.pk, "title": "Garden", "requested_amount": "100"},
    )
    assert response.status_code == HTTPStatus.OK
    assert not Application.objects.exists()


def test_the_form_offers_only_the_networks_that_may_apply_and_names_the_others(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    garden, repair = informal(), association()
    user = coordinator_of(garden, repair)
    choices = start_choices(user=user, programme=programme)
    assert list(choices.eligible) == [repair]
    assert [network for network, _reason in choices.refused] == [garden]
    client.force_login(user)
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert 'name="title"' in page
    assert f'<option value="{repair.pk}"' in page
    assert f'<option value="{garden.pk}"' not in page
    assert 'data-eligibility="partly"' in page


def test_a_network_that_may_apply_sees_the_form_and_no_refusal(client):
    programme = ProgrammeFactory()  # accepts informal networks
    client.force_login(coordinator_of(informal()))
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert 'name="title"' in page
    assert "data-eligibility" not in page


def test_someone_without_a_network_is_asked_to_start_one(client):
    programme = ProgrammeFactory(**FOUNDATIONS_ONLY)
    client.force_login(UserFactory())
    page = client.get(reverse("application_start", args=[programme.slug])).content.decode()
    assert reverse("network_create") in page
    assert "data-eligibility" not in page
