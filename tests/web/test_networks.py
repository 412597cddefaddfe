"""Networks: start one, see it as a member, invite people, change roles, leave, remove."""

import re
from http import HTTPStatus
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import Network, NetworkInvitation, NetworkMember
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


def invite(client, network, email, role="member", **kwargs):
    return client.post(
        reverse("network_invite", args=[network.pk]), {"email": email, "role": role}, **kwargs
    )


def link_path(body: str) -> str:
    return re.search(r"https?://\S+", body).group(0).removeprefix(settings.SITE_URL)


def test_coordinator_invites_and_the_person_joins_only_by_accepting(
    client, network, django_capture_on_commit_callbacks
):
    client.force_login(network.coordinator)
    assert "Invite a member" in client.get(reverse("network_detail", args=[network.pk])).text
    users = get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, network, "New.Person@Example.org", follow=True)
    assert "We sent an invitation to New.Person@Example.org" in response.text
    assert get_user_model().objects.count() == users  # no account for an invitation
    assert network.members.count() == 2
    assert mail.outbox[0].to == ["New.Person@Example.org"]
    path = link_path(mail.outbox[0].body)
    assert path.startswith("/invitations/")

    # Signed out, the link asks to sign in and comes back; opening it changes nothing.
    client.logout()
    page = client.get(path)
    assert page.status_code == HTTPStatus.OK
    assert f"{reverse('login')}?{urlencode({'next': path})}" in page.text
    assert "Buurtmoestuin" in page.text
    assert client.post(path, {"answer": "accept"}).url.startswith(reverse("login"))

    # Signed in with the invited address (by the e-mailed sign-in link, or a password).
    person = UserFactory(email="new.person@example.org", username="new.person@example.org")
    client.force_login(person)
    page = client.get(path)
    inviter = network.coordinator.get_full_name() or network.coordinator.username
    assert inviter in page.text and 'data-action="accept_invitation"' in page.text
    assert not network.members.filter(user=person).exists()  # GET answers nothing

    response = client.post(path, {"answer": "accept"})
    assert response.url == reverse("network_detail", args=[network.pk])
    assert network.members.get(user=person).role == NetworkMember.Role.MEMBER
    assert client.get(response.url).status_code == HTTPStatus.OK
    assert "already been accepted" in client.get(path).text  # single use


def hidden_inputs(html: str) -> dict:
    """The hidden fields of a page's forms, by name (the first of each name)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name, value = re.search(r'name="([^"]+)"', tag), re.search(r'value="([^"]*)"', tag)
        if 'type="hidden"' in tag and name and value:
            fields.setdefault(name.group(1), value.group(1))
    return fields


def test_a_newcomer_signs_in_by_link_and_comes_back_to_the_invitation(
    client, network, django_capture_on_commit_callbacks
):
    """The whole way, through the real sign-in by e-mail link: no account before it is used."""
    with django_capture_on_commit_callbacks(execute=True):
        services.network_invite_member(
            network=network, actor=network.coordinator, email="Fresh@Example.org"
        )
    path = link_path(mail.outbox[-1].body)
    sign_in = f"{reverse('login')}?{urlencode({'next': path})}"
    assert sign_in in client.get(path).text.replace("&amp;", "&")
    next_url = hidden_inputs(client.get(sign_in).text)["next"]
    assert next_url == path
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("magic_link"), {"email": "fresh@example.org", "next": next_url})
    magic_page = client.get(link_path(mail.outbox[-1].body))
    response = client.post(reverse("magic_login"), hidden_inputs(magic_page.text))
    assert response.url == path
    assert 'data-action="accept_invitation"' in client.get(path).text
    assert client.post(path, {"answer": "accept"}).url == reverse(
        "network_detail", args=[network.pk]
    )
    assert network.members.filter(user__email="fresh@example.org").exists()


def _normalised(response, email: str) -> str:
    text = response.text.replace(email, "EMAIL")
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r"/invitations/\d+/", "/invitations/ID/", text)
    return re.sub(r"Link valid until [^<]+", "Link valid until DATE", text)


def test_the_inviter_sees_the_same_for_a_known_and_an_unknown_address(
    client, network, django_capture_on_commit_callbacks
):
    UserFactory(email="dewi@example.org", first_name="Dewi", last_name="Verborgen")
    client.force_login(network.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        known = invite(client, network, "dewi@example.org", follow=True)
    services.network_invitation_revoke(
        invitation=network.invitations.get(), actor=network.coordinator
    )
    with django_capture_on_commit_callbacks(execute=True):
        unknown = invite(client, network, "nobody@example.org", follow=True)

    assert known.status_code == unknown.status_code == HTTPStatus.OK
    assert "Verborgen" not in known.text and "Dewi" not in known.text
    assert _normalised(known, "dewi@example.org") == _normalised(unknown, "nobody@example.org")
    assert not network.members.filter(user__email="dewi@example.org").exists()


def test_someone_else_signed_in_cannot_accept(client, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.network_invite_member(
            network=network, actor=network.coordinator, email="invited@example.org"
        )
    path = link_path(mail.outbox[0].body)
    thief = UserFactory(email="thief@example.org")
    client.force_login(thief)
    page = client.get(path)
    assert "Sign in with that e-mail address" in page.text
    assert 'data-action="accept_invitation"' not in page.text
    response = client.post(path, {"answer": "accept"})
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not network.members.filter(user=thief).exists()
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize("spoil", ["revoke", "resend", "expire", "decline"])
def test_a_dead_link_is_refused(client, network, django_capture_on_commit_callbacks, spoil):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.network_invite_member(
            network=network, actor=network.coordinator, email="late@example.org"
        )
    path = link_path(mail.outbox[0].body)
    person = UserFactory(email="late@example.org")
    if spoil == "revoke":
        services.network_invitation_revoke(invitation=invitation, actor=network.coordinator)
    elif spoil == "resend":
        services.network_invitation_resend(invitation=invitation, actor=network.coordinator)
    elif spoil == "expire":
        NetworkInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    else:
        services.network_invitation_decline(token=path.split("/")[2], actor=person)
    client.force_login(person)
    assert "This invitation does not work" in client.get(path).text
    response = client.post(path, {"answer": "accept"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not network.members.filter(user=person).exists()


def test_decline_on_the_page(client, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.network_invite_member(
            network=network, actor=network.coordinator, email="no@example.org"
        )
    client.force_login(UserFactory(email="no@example.org"))
    response = client.post(link_path(mail.outbox[0].body), {"answer": "decline"})
    assert response.url == reverse("dashboard")
    assert network.members.count() == 2
    assert network.invitations.get().status == NetworkInvitation.Status.DECLINED


def test_coordinator_resends_and_withdraws_on_the_network_page(
    client, network, django_capture_on_commit_callbacks
):
    client.force_login(network.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client, network, "Again@Example.org")
    invitation = network.invitations.get()
    page = client.get(reverse("network_detail", args=[network.pk])).text
    assert "Again@Example.org" in page and 'data-action="resend_invitation"' in page
    old = link_path(mail.outbox[0].body)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("network_invitation_resend", args=[network.pk, invitation.pk]))
    assert len(mail.outbox) == 2 and link_path(mail.outbox[1].body) != old
    client.post(reverse("network_invitation_revoke", args=[network.pk, invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.REVOKED
    page = client.get(reverse("network_detail", args=[network.pk])).text
    assert "was withdrawn" in page and 'data-action="resend_invitation"' not in page


def test_a_member_cannot_resend_or_withdraw(client, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.network_invite_member(
            network=network, actor=network.coordinator, email="x@example.org"
        )
    client.force_login(network.member)
    assert "x@example.org" not in client.get(reverse("network_detail", args=[network.pk])).text
    response = client.post(
        reverse("network_invitation_revoke", args=[network.pk, invitation.pk]), follow=True
    )
    assert "Only a coordinator of the network can withdraw invitations." in response.text
    invitation.refresh_from_db()
    assert invitation.status == NetworkInvitation.Status.PENDING


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
        response = invite(client, network, "someone@example.org", follow=True)
    assert "Only a coordinator of the network can invite members." in response.text
    assert not network.invitations.exists()
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


# ---------------------------------------------------------------------------------------------
# Leaving and removing


def test_a_member_leaves_after_confirming(client, network):
    client.force_login(network.member)
    url = reverse("network_leave", args=[network.pk])
    assert url in client.get(reverse("network_detail", args=[network.pk])).text
    assert "Leave the network" in client.get(url).text
    assert network.members.filter(user=network.member).exists()  # GET only asks
    response = client.post(url)
    assert response.url == reverse("dashboard")
    assert not network.members.filter(user=network.member).exists()
    assert client.get(reverse("network_detail", args=[network.pk])).status_code == (
        HTTPStatus.NOT_FOUND
    )


def test_the_last_coordinator_cannot_leave(client, network):
    client.force_login(network.coordinator)
    response = client.post(reverse("network_leave", args=[network.pk]), follow=True)
    assert "You are the last coordinator of this network." in response.text
    assert network.members.filter(user=network.coordinator).exists()


def test_coordinator_removes_a_member_after_confirming(client, network):
    client.force_login(network.coordinator)
    membership = network.members.get(user=network.member)
    url = reverse("network_member_remove", args=[network.pk, membership.pk])
    assert url in client.get(reverse("network_detail", args=[network.pk])).text
    assert "Remove from the network" in client.get(url).text
    client.post(url)
    assert not network.members.filter(pk=membership.pk).exists()


def test_a_member_cannot_remove_others(client, network):
    client.force_login(network.member)
    coordinator = network.members.get(user=network.coordinator)
    url = reverse("network_member_remove", args=[network.pk, coordinator.pk])
    assert url not in client.get(reverse("network_detail", args=[network.pk])).text
    response = client.post(url, follow=True)
    assert "Only a coordinator of the network can remove members." in response.text
    assert network.members.count() == 2


def test_nobody_removes_the_last_coordinator(client, network):
    client.force_login(network.coordinator)
    mine = network.members.get(user=network.coordinator)
    response = client.post(
        reverse("network_member_remove", args=[network.pk, mine.pk]), follow=True
    )
    assert "last coordinator" in response.text
    assert network.members.filter(pk=mine.pk).exists()


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
