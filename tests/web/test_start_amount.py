"""The amount asked for when starting: the programme's maximum answers a too-large amount.

10^12 used to get "Ensure that there are no more than 12 digits in total." from the form; the
service's rule ("At most € 5,000.00 per application in this programme") now answers every
too-large amount, at the field, on the web and in the API.
"""

from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from applications import services
from applications.models import Application
from tests.api.conftest import token_client
from tests.funds.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

MAXIMUM = "At most €\u00a05,000.00 per application in this programme."


def start(client, world, amount):
    programme = ProgrammeFactory()  # max_amount 5000
    client.force_login(world.coordinator)
    return client.post(
        reverse("application_start", args=[programme.slug]),
        {"network": world.network.pk, "title": "Big plans", "requested_amount": amount},
    )


@pytest.mark.parametrize(
    "amount", [str(10**12), "1.000.000.000.000", "1e15", "1E+15", "5000.01", "99999999999999"]
)
def test_a_too_large_amount_gets_the_programmes_maximum_at_the_field(client, world, amount):
    response = start(client, world, amount)
    assert response.status_code == HTTPStatus.OK
    errors = response.context["form"].errors
    assert errors["requested_amount"] == [MAXIMUM]
    assert "digits" not in response.content.decode()
    assert not Application.objects.filter(title="Big plans").exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("abc", "Enter an amount in euros."),
        ("-5", "Enter an amount of 0 or more."),
        ("12,345", "Use at most two decimals (cents)."),
    ],
)
def test_other_bad_amounts_get_their_own_message_at_the_field(client, world, amount, message):
    response = start(client, world, amount)
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["requested_amount"] == [message]
    assert not Application.objects.filter(title="Big plans").exists()


def test_the_maximum_itself_is_accepted(client, world):
    response = start(client, world, "5.000,00")
    assert response.status_code == HTTPStatus.FOUND
    assert Application.objects.get(title="Big plans").requested_amount == 5000


@pytest.mark.parametrize("amount", [str(10**12), "1e15"])
def test_the_api_gives_the_same_message_for_a_too_large_amount(world, amount):
    programme = ProgrammeFactory()
    response = token_client(world.coordinator).post(
        "/api/v1/applications/",
        {
            "network": world.network.pk,
            "programme": programme.slug,
            "title": "Big plans",
            "requested_amount": amount,
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST, response.content
    assert response.json()["errors"]["requested_amount"] == [MAXIMUM]
    assert not Application.objects.filter(title="Big plans").exists()


def test_the_services_maximum_is_written_the_dutch_way_in_dutch(world):
    programme = ProgrammeFactory()
    with translation.override("nl"), pytest.raises(ValidationError) as refused:
        services.application_create(
            network=world.network,
            programme=programme,
            actor=world.coordinator,
            title="Groot",
            requested_amount=10**12,
        )
    message = refused.value.message_dict["requested_amount"][0]
    assert "€\u00a05.000,00" in message
    assert "5000.00" not in message
