"""Networks: start one, see it as a member, invite people, change roles."""

import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from applications import services
from applications.models import Network, NetworkMember
from tests.applications.factories import NetworkFactory, NetworkMemberFactory
from tests.funds.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    network = NetworkFactory(name="Buurtmoestuin")
    network.coordinator = NetworkMemberFactory(
        network=network, role=NetworkMember.Role.COORDINATOR
    ).user
    network.member = NetworkMemberFactory(network=network, role=NetworkMember.Role.MEMBER).user
    return network


def test_network_create_makes_the_creator_coordinator(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("network_create"),
        {
            "name": "Repair Café",
            "area": "Noord",
            "legal_status": "association",
            "kvk_number": "40123456",
        },
    )
    network = Network.objects.get(name="Repair Café")
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == reverse("network_detail", args=[network.pk])
    assert network.members.get().user == user
    assert network.members.get().role == NetworkMember.Role.COORDINATOR


def test_network_create_with_bad_kvk_number_shows_field_error(client):
    client.force_login(UserFactory())
    response = client.post(
        reverse("network_create"),
        {"name": "Repair Café", "legal_status": "none", "kvk_number": "123"},
    )
    assert response.status_code == HTTPStatus.OK
    assert "8 digits" in " ".join(response.context["form"].errors["kvk_number"])
    assert not Network.objects.exists()


def test_network_create_needs_sign_in(client):
    response = client.get(reverse("network_create"))
    assert response.status_code == HTTPStatus.FOUND
    assert response.url.startswith(reverse("login"))


def test_network_page_shows_members_with_roles(client, network):
    client.force_login(network.member)
    response = client.get(reverse("network_detail", args=[network.pk]))
    assert response.status_code == HTTPStatus.OK
    content = response.content.decode()
    assert network.coordinator.username in content and network.member.username in content
    assert "Coordinator" in content
    assert "Invite a member" not in content  # members do not get the invite form


def test_network_page_is_404_for_non_members(client, network):
    client.force_login(UserFactory())
    response = client.get(reverse("network_detail", args=[network.pk]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_invites_a_new_person(client, network, django_capture_on_commit_callbacks):
    client.force_login(network.coordinator)
    assert (
        "Invite a member"
        in client.get(reverse("network_detail", args=[network.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network_invite", args=[network.pk]),
            {"email": "New.Person@Example.org", "role": "member"},
        )
    assert response.status_code == HTTPStatus.FOUND
    user = get_user_model().objects.get(username="new.person@example.org")
    assert not user.has_usable_password()
    assert network.members.get(user=user).role == NetworkMember.Role.MEMBER
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)

    # The link signs the invitee in and leads to the network's page.
    client.logout()
    response = client.get(link.removeprefix(settings.SITE_URL))
    assert response.url == reverse("network_detail", args=[network.pk])
    assert client.get(response.url).status_code == HTTPStatus.OK


def test_invite_of_existing_user_reuses_the_account(network, django_capture_on_commit_callbacks):
    existing = UserFactory(email="dewi@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        member = services.network_invite_member(
            network=network, actor=network.coordinator, email="DEWI@example.org", role="coordinator"
        )
    assert member.user == existing
    assert member.role == NetworkMember.Role.COORDINATOR
    assert mail.outbox[0].to == ["dewi@example.org"]


def test_invite_of_a_member_shows_field_error(client, network):
    client.force_login(network.coordinator)
    response = client.post(
        reverse("network_invite", args=[network.pk]),
        {"email": network.member.email, "role": "member"},
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "already a member" in " ".join(response.context["form"].errors["email"])


def test_plain_member_cannot_invite(client, network, django_capture_on_commit_callbacks):
    client.force_login(network.member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("network_invite", args=[network.pk]),
            {"email": "someone@example.org", "role": "member"},
            follow=True,
        )
    assert "Only a coordinator of the network can invite members." in response.content.decode()
    assert not get_user_model().objects.filter(email="someone@example.org").exists()
    assert network.members.count() == 2
    assert mail.outbox == []


def test_outsider_cannot_invite(client, network):
    client.force_login(UserFactory())
    response = client.post(
        reverse("network_invite", args=[network.pk]), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_coordinator_makes_a_member_coordinator(client, network):
    client.force_login(network.coordinator)
    membership = network.members.get(user=network.member)
    response = client.post(
        reverse("network_member_role", args=[network.pk, membership.pk]), {"role": "coordinator"}
    )
    assert response.status_code == HTTPStatus.FOUND
    membership.refresh_from_db()
    assert membership.role == NetworkMember.Role.COORDINATOR


def test_plain_member_cannot_change_roles(client, network):
    client.force_login(network.member)
    membership = network.members.get(user=network.member)
    response = client.post(
        reverse("network_member_role", args=[network.pk, membership.pk]),
        {"role": "coordinator"},
        follow=True,
    )
    assert "Only a coordinator of the network can change roles." in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == NetworkMember.Role.MEMBER


def test_last_coordinator_cannot_step_down(client, network):
    client.force_login(network.coordinator)
    membership = network.members.get(user=network.coordinator)
    response = client.post(
        reverse("network_member_role", args=[network.pk, membership.pk]),
        {"role": "member"},
        follow=True,
    )
    assert "at least one coordinator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == NetworkMember.Role.COORDINATOR


def test_coordinator_can_step_down_when_another_remains(network):
    other = network.members.get(user=network.member)
    services.network_set_role(
        network=network, actor=network.coordinator, member=other, role="coordinator"
    )
    mine = network.members.get(user=network.coordinator)
    services.network_set_role(
        network=network, actor=network.coordinator, member=mine, role="member"
    )
    mine.refresh_from_db()
    assert mine.role == NetworkMember.Role.MEMBER
    with pytest.raises(ValidationError):
        services.network_set_role(
            network=network, actor=network.member, member=other, role="member"
        )


def test_set_role_refuses_a_member_of_another_network(network):
    stranger = NetworkMemberFactory()
    with pytest.raises(ValidationError):
        services.network_set_role(
            network=network, actor=network.coordinator, member=stranger, role="coordinator"
        )
    with pytest.raises(PermissionDenied):
        services.network_set_role(
            network=network, actor=network.member, member=stranger, role="coordinator"
        )


def test_creating_a_network_from_the_apply_page_leads_back_to_it(client):
    from tests.funds.factories import ProgrammeFactory, UserFactory

    programme = ProgrammeFactory()
    client.force_login(UserFactory())
    apply_url = reverse("application_start", args=[programme.slug])
    response = client.post(
        f"{reverse('network_create')}?next={apply_url}", {"name": "Buren", "legal_status": "none"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert response.url == apply_url


def test_network_create_ignores_an_outside_next_address(client):
    from tests.funds.factories import UserFactory

    client.force_login(UserFactory())
    response = client.post(
        f"{reverse('network_create')}?next=https://evil.example/",
        {"name": "Buren", "legal_status": "none"},
    )
    assert response.url.startswith("/networks/")
