"""A coordinator changes the network's details, its province and language among them: the rules of
a programme and the referral directory read them. Members are refused (403), outsiders never see
the network (404)."""

from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from applications import services
from core.models import Province

pytestmark = pytest.mark.django_db


def form_data(network, **changes):
    data = {
        "name": network.name,
        "description": network.description,
        "province": "",
        "area": network.area,
        "language": network.language,
        "legal_status": network.legal_status,
        "kvk_number": network.kvk_number,
    }
    return {**data, **changes}


def test_a_coordinator_sets_the_province_place_and_language(client, world):
    utrecht = Province.objects.get(code="NL-UT")
    client.force_login(world.coordinator)
    url = reverse("network_edit", args=[world.network.pk])
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(
        url, form_data(world.network, province=utrecht.pk, area="Lombok", language="tr")
    )
    assert response.status_code == HTTPStatus.FOUND
    world.network.refresh_from_db()
    assert (world.network.province, world.network.area, world.network.language) == (
        utrecht,
        "Lombok",
        "tr",
    )
    page = client.get(reverse("network_detail", args=[world.network.pk])).content.decode()
    assert "Lombok, Utrecht" in page
    assert reverse("network_edit", args=[world.network.pk]) in page


def test_a_bad_kvk_number_is_refused_at_its_field_and_nothing_changes(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("network_edit", args=[world.network.pk]),
        form_data(world.network, legal_status="foundation", kvk_number="123", name="New name"),
    )
    assert response.status_code == HTTPStatus.OK
    assert response.context["form"].errors["kvk_number"]
    world.network.refresh_from_db()
    assert world.network.name != "New name"


def test_a_member_may_not_change_the_details(client, world):
    client.force_login(world.member)
    url = reverse("network_edit", args=[world.network.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    assert client.post(url, form_data(world.network, name="Taken")).status_code == 403
    page = client.get(reverse("network_detail", args=[world.network.pk])).content.decode()
    assert url not in page
    with pytest.raises(PermissionDenied):
        services.network_update(network=world.network, actor=world.member, name="Taken")


@pytest.mark.parametrize("who", ["outsider", "officer"])
def test_someone_outside_the_network_gets_a_404_or_403_never_a_change(client, world, who):
    client.force_login(getattr(world, who))
    url = reverse("network_edit", args=[world.network.pk])
    # The fund's officer sees the network (it applied to the fund) but is no coordinator.
    expected = HTTPStatus.NOT_FOUND if who == "outsider" else HTTPStatus.FORBIDDEN
    assert client.post(url, form_data(world.network, name="Taken")).status_code == expected
    world.network.refresh_from_db()
    assert world.network.name != "Taken"
