"""/api/v1/networks/, its members and invitations: who sees, starts, invites, changes roles,
removes and leaves; /api/v1/invitations/: the invited person answers."""

import re
from http import HTTPStatus

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Network, NetworkInvitation, NetworkMember
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import COORDINATOR_WRITE, COORDINATORS, ROLES, read_status, write_status
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import fill_current_step, start_application

pytestmark = pytest.mark.django_db

OK, CREATED = HTTPStatus.OK, HTTPStatus.CREATED
BAD, FORBIDDEN, NOT_FOUND = HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
UNAUTHORIZED = HTTPStatus.UNAUTHORIZED
API = "/api/v1/"
URL = f"{API}networks/"

# Who sees the world's network: its members, and the fund it applied to, people and keys
# (read_status); a coordinator's write on it, per caller (COORDINATOR_WRITE): tests/api/roles.py.


def members_url(network, member=None) -> str:
    return f"{URL}{network.pk}/members/" + (f"{member.pk}/" if member else "")


# ---------------------------------------------------------------------------------------------
# Networks


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_own_networks_and_those_that_applied_to_the_fund(api_world, role):
    w = api_world
    elsewhere, _ = start_application(w.other_programme)  # applied to the other fund
    response = w.clients[role].get(URL)
    if role == "anonymous":
        assert_problem(response, UNAUTHORIZED)
        return
    assert response.status_code == OK
    seen = {row["id"] for row in response.json()["results"]}
    expected = {
        "other_member": {w.other_member.network_memberships.get().network_id},
        "coordinator": {w.network.pk},
        "other_officer": {elsewhere.network_id},
        "officer": {w.network.pk},
        "manager": {w.network.pk},
        "read_key": {w.network.pk},
        "write_key": {w.network.pk},
    }[role]
    assert seen == expected


@pytest.mark.parametrize("role", ROLES)
def test_retrieve_matrix(api_world, role):
    w = api_world
    response = w.clients[role].get(f"{URL}{w.network.pk}/")
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    body = response.json()
    assert body["name"] == w.network.name
    assert body["my_role"] == ("coordinator" if role == "coordinator" else None)


CREATE_STATUS = {
    "anonymous": UNAUTHORIZED,
    "other_member": CREATED,
    "coordinator": CREATED,
    "other_officer": CREATED,
    "officer": CREATED,
    "manager": CREATED,
    "read_key": FORBIDDEN,
    "write_key": FORBIDDEN,  # keys read networks, but only people start them
}


@pytest.mark.parametrize("role", ROLES)
def test_create_matrix_and_the_creator_becomes_coordinator(api_world, role):
    w = api_world
    before = Network.objects.count()
    response = w.clients[role].post(
        URL, {"name": "Repair café Oost", "area": "Oost"}, format="json"
    )
    if CREATE_STATUS[role] != CREATED:
        assert_problem(response, CREATE_STATUS[role])
        assert Network.objects.count() == before
        return
    assert response.status_code == CREATED, response.content
    body = response.json()
    assert body["my_role"] == "coordinator" and body["legal_status"] == "none"
    assert response["Location"].endswith(f"{URL}{body['id']}/")
    member = NetworkMember.objects.get(network_id=body["id"])
    assert member.role == NetworkMember.Role.COORDINATOR
    assert member.user == getattr(w, role)
    # and it is visible to its creator at once
    assert w.clients[role].get(f"{URL}{body['id']}/").status_code == OK


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "X", "kvk_number": "abc"}, "kvk_number"),
        ({"name": "X", "legal_status": "company"}, "legal_status"),
    ],
)
def test_create_refuses_bad_input(api_world, data, field):
    response = api_world.clients["coordinator"].post(URL, data, format="json")
    assert_problem(response, BAD, field=field)


def test_network_list_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    client = w.clients["officer"]
    client.get(URL)
    with CaptureQueriesContext(connection) as one:
        client.get(URL)
    for _ in range(6):
        start_application(w.programme)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(URL)
    assert len(response.json()["results"]) == 7


# ---------------------------------------------------------------------------------------------
# Members


@pytest.mark.parametrize("role", ROLES)
def test_members_list_matrix_and_emails_only_for_coordinators(api_world, role):
    w = api_world
    response = w.clients[role].get(members_url(w.network))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    rows = response.json()["results"]
    assert {row["role"] for row in rows} == {"coordinator", "member"}
    emails = {row["email"] for row in rows}
    if role == "coordinator":
        assert emails == {w.coordinator.email, w.member.email}
    else:
        assert emails == {None}


@pytest.mark.parametrize("role", ROLES)
def test_member_retrieve_matrix(api_world, role):
    w = api_world
    member = w.network.members.get(user=w.member)
    response = w.clients[role].get(members_url(w.network, member))
    if read_status(role) != OK:
        assert_problem(response, read_status(role))
        return
    assert response.json()["role"] == "member"


def test_a_member_sees_names_but_not_addresses(api_world):
    w = api_world
    rows = token_client(w.member).get(members_url(w.network)).json()["results"]
    assert {row["email"] for row in rows} == {None}
    assert {row["name"] for row in rows} == {w.coordinator.username, w.member.username}


# ---------------------------------------------------------------------------------------------
# Invitations: pending until the invited person accepts


def invitations_url(network, invitation=None, action="") -> str:
    url = f"{URL}{network.pk}/invitations/" + (f"{invitation.pk}/" if invitation else "")
    return url + (f"{action}/" if action else "")


def invite(w, email="new.person@example.org", **data):
    with_role = {"email": email, **data}
    return w.clients["coordinator"].post(invitations_url(w.network), with_role, format="json")


def token_in(message) -> str:
    return re.search(r"/invitations/([^/\s]+)/", message.body).group(1)


INVITE_STATUS = {role: write_status(role, COORDINATORS, ok=CREATED) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_invite_matrix(api_world, role, django_capture_on_commit_callbacks):
    w = api_world
    members, users = w.network.members.count(), get_user_model().objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = w.clients[role].post(
            invitations_url(w.network), {"email": "New.Person@example.org"}, format="json"
        )
    assert w.network.members.count() == members  # nobody joins by being invited
    assert get_user_model().objects.count() == users  # and no account is made
    if INVITE_STATUS[role] != CREATED:
        assert_problem(response, INVITE_STATUS[role])
        assert not NetworkInvitation.objects.exists()
        assert mail.outbox == []
        return
    assert response.status_code == CREATED, response.content
    body = response.json()
    assert body["role"] == "member" and body["email"] == "New.Person@example.org"
    assert body["expired"] is False
    assert response["Location"].endswith(invitations_url(w.network) + f"{body['id']}/")
    assert [message.to for message in mail.outbox] == [["New.Person@example.org"]]


def test_the_inviter_learns_nothing_about_the_address(api_world):
    """The answer for an address with an account equals that for one without, but the address."""
    w = api_world
    get_user_model().objects.create(
        username="known", email="known@example.org", first_name="Dewi", last_name="Verborgen"
    )
    known, unknown = invite(w, "known@example.org"), invite(w, "unknown@example.org")
    assert known.status_code == unknown.status_code == CREATED

    def shape(response):
        body = response.json()
        return sorted(body), body["role"], body["expired"], response["Content-Type"]

    assert shape(known) == shape(unknown)
    assert set(known.json()) == {
        "id",
        "email",
        "role",
        "expired",
        "created_at",
        "sent_at",
        "expires_at",
    }
    assert "Verborgen" not in known.text and "Dewi" not in known.text
    listed = w.clients["coordinator"].get(invitations_url(w.network)).json()["results"]
    assert {row["email"] for row in listed} == {"known@example.org", "unknown@example.org"}
    assert "Verborgen" not in str(listed)


def test_invite_refusals(api_world):
    w = api_world
    assert invite(w, "co@example.org", role="coordinator").json()["role"] == "coordinator"
    assert_problem(invite(w, w.member.email), BAD, field="email")  # already a member
    assert_problem(invite(w, "CO@example.org"), BAD, field="email")  # already invited
    assert_problem(invite(w, "not-an-address"), BAD, field="email")
    assert_problem(invite(w, "x@example.org", role="boss"), BAD, field="role")


def test_invite_is_idempotent(api_world, django_capture_on_commit_callbacks):
    w = api_world
    client = w.clients["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        first, again = (
            client.post(
                invitations_url(w.network),
                {"email": "once@example.org"},
                format="json",
                HTTP_IDEMPOTENCY_KEY="invite-1",
            )
            for _ in range(2)
        )
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert NetworkInvitation.objects.filter(email="once@example.org").count() == 1
    assert len(mail.outbox) == 1


COORDINATOR_READ = {role: write_status(role, COORDINATORS) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_see_invitations(api_world, role):
    w = api_world
    invitation_id = invite(w, "seen@example.org").json()["id"]
    listed = w.clients[role].get(invitations_url(w.network))
    one = w.clients[role].get(f"{invitations_url(w.network)}{invitation_id}/")
    if COORDINATOR_READ[role] != OK:
        assert_problem(listed, COORDINATOR_READ[role])
        assert_problem(one, COORDINATOR_READ[role])
        return
    assert [row["email"] for row in listed.json()["results"]] == ["seen@example.org"]
    assert one.json()["email"] == "seen@example.org"


@pytest.mark.parametrize("role", ROLES)
def test_resend_and_revoke_matrix(api_world, role, django_capture_on_commit_callbacks):
    w = api_world
    with django_capture_on_commit_callbacks(execute=True):
        invitation = NetworkInvitation.objects.get(pk=invite(w).json()["id"])
    old_token = token_in(mail.outbox[-1])
    with django_capture_on_commit_callbacks(execute=True):
        resent = w.clients[role].post(invitations_url(w.network, invitation, "resend"))
    revoked = w.clients[role].post(invitations_url(w.network, invitation, "revoke"))
    invitation.refresh_from_db()
    if COORDINATOR_WRITE[role] != OK:
        assert_problem(resent, COORDINATOR_WRITE[role])
        assert_problem(revoked, COORDINATOR_WRITE[role])
        assert invitation.status == NetworkInvitation.Status.PENDING
        assert len(mail.outbox) == 1
        return
    assert resent.status_code == OK and resent.json()["id"] == invitation.pk
    assert len(mail.outbox) == 2 and token_in(mail.outbox[-1]) != old_token
    assert revoked.status_code == HTTPStatus.NO_CONTENT
    assert invitation.status == NetworkInvitation.Status.REVOKED
    assert w.clients[role].get(invitations_url(w.network)).json()["results"] == []
    # a withdrawn invitation leaves the open list
    assert_problem(
        w.clients[role].post(invitations_url(w.network, invitation, "resend")), NOT_FOUND
    )


def test_accepting_and_declining_through_the_api(api_world, django_capture_on_commit_callbacks):
    w = api_world
    invitee = get_user_model().objects.create(username="invitee", email="invitee@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        invite(w, "Invitee@Example.org")
    token = token_in(mail.outbox[-1])
    answer = f"{API}invitations/accept/"

    for role in ("other_member", "officer", "write_key", "read_key", "anonymous"):
        response = w.clients[role].post(answer, {"token": token}, format="json")
        expected = {"anonymous": UNAUTHORIZED}.get(role, FORBIDDEN)
        assert_problem(response, expected)
    assert_problem(token_client(invitee).post(answer, {"token": "forged"}, format="json"), BAD)
    assert not w.network.members.filter(user=invitee).exists()

    response = token_client(invitee).post(answer, {"token": token}, format="json")
    assert response.status_code == OK, response.content
    assert response.json()["id"] == w.network.pk and response.json()["my_role"] == "member"
    assert_problem(token_client(invitee).post(answer, {"token": token}, format="json"), BAD)

    with django_capture_on_commit_callbacks(execute=True):
        invite(w, "declines@example.org")
    person = get_user_model().objects.create(username="declines", email="declines@example.org")
    declined = token_client(person).post(
        f"{API}invitations/decline/", {"token": token_in(mail.outbox[-1])}, format="json"
    )
    assert declined.status_code == HTTPStatus.NO_CONTENT
    assert not w.network.members.filter(user=person).exists()


def test_a_pending_invitee_who_is_the_fund_officer_may_still_decide(
    api_world, django_capture_on_commit_callbacks
):
    w = api_world
    transitions = f"{API}applications/{w.application.pk}/transitions/"
    fill_current_step(w.application, w.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(w, w.officer.email)
    names = [option["name"] for option in w.clients["officer"].get(transitions).json()]
    assert names == ["decline"]

    accepted = w.clients["officer"].post(
        f"{API}invitations/accept/", {"token": token_in(mail.outbox[-1])}, format="json"
    )
    assert accepted.status_code == OK
    assert w.clients["officer"].get(transitions).json() == []  # now conflicted


# ---------------------------------------------------------------------------------------------
# Roles, removing and leaving


@pytest.mark.parametrize("role", ROLES)
def test_role_change_matrix(api_world, role):
    w = api_world
    member = w.network.members.get(user=w.member)
    response = w.clients[role].patch(
        members_url(w.network, member), {"role": "coordinator"}, format="json"
    )
    member.refresh_from_db()
    if COORDINATOR_WRITE[role] != OK:
        assert_problem(response, COORDINATOR_WRITE[role])
        assert member.role == NetworkMember.Role.MEMBER
        return
    assert response.status_code == OK, response.content
    assert response.json()["role"] == "coordinator"
    assert member.role == NetworkMember.Role.COORDINATOR


def test_the_last_coordinator_cannot_step_down(api_world):
    w = api_world
    me = w.network.members.get(user=w.coordinator)
    response = w.clients["coordinator"].patch(
        members_url(w.network, me), {"role": "member"}, format="json"
    )
    assert_problem(response, BAD, field="role")
    me.refresh_from_db()
    assert me.role == NetworkMember.Role.COORDINATOR


def test_role_change_needs_a_valid_role(api_world):
    w = api_world
    member = w.network.members.get(user=w.member)
    client = w.clients["coordinator"]
    assert_problem(
        client.patch(members_url(w.network, member), {}, format="json"), BAD, field="role"
    )
    assert_problem(
        client.patch(members_url(w.network, member), {"role": "chief"}, format="json"),
        BAD,
        field="role",
    )


def test_a_member_of_another_network_is_not_found_here(api_world):
    w = api_world
    stranger = NetworkMemberFactory()
    response = w.clients["coordinator"].patch(
        members_url(w.network, stranger), {"role": "coordinator"}, format="json"
    )
    assert_problem(response, NOT_FOUND)


def test_members_list_takes_a_fixed_number_of_queries(api_world, django_assert_max_num_queries):
    w = api_world
    client = w.clients["coordinator"]
    client.get(members_url(w.network))
    with CaptureQueriesContext(connection) as few:
        client.get(members_url(w.network))
    for _ in range(8):
        NetworkMemberFactory(network=w.network)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(members_url(w.network))
    assert len(response.json()["results"]) == 10


def test_read_key_gets_403_on_every_network_write(api_world):
    w = api_world
    client = w.clients["read_key"]
    member = w.network.members.get(user=w.member)
    assert_problem(client.post(URL, {"name": "X"}, format="json"), FORBIDDEN)
    assert_problem(
        client.post(invitations_url(w.network), {"email": "a@example.org"}, format="json"),
        FORBIDDEN,
    )
    assert_problem(client.delete(members_url(w.network, member)), FORBIDDEN)
    assert_problem(client.post(f"{URL}{w.network.pk}/leave/"), FORBIDDEN)
    assert_problem(
        client.patch(members_url(w.network, member), {"role": "coordinator"}, format="json"),
        FORBIDDEN,
    )


REMOVE_STATUS = {role: write_status(role, COORDINATORS, ok=HTTPStatus.NO_CONTENT) for role in ROLES}


@pytest.mark.parametrize("role", ROLES)
def test_remove_member_matrix(api_world, role):
    w = api_world
    member = w.network.members.get(user=w.member)
    response = w.clients[role].delete(members_url(w.network, member))
    if REMOVE_STATUS[role] != HTTPStatus.NO_CONTENT:
        assert_problem(response, REMOVE_STATUS[role])
        assert w.network.members.filter(pk=member.pk).exists()
        return
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not w.network.members.filter(pk=member.pk).exists()


def test_a_member_cannot_remove_others_and_nobody_removes_the_last_coordinator(api_world):
    w = api_world
    coordinator = w.network.members.get(user=w.coordinator)
    assert_problem(token_client(w.member).delete(members_url(w.network, coordinator)), FORBIDDEN)
    response = w.clients["coordinator"].delete(members_url(w.network, coordinator))
    assert "last coordinator" in str(assert_problem(response, BAD)["errors"])
    assert w.network.members.filter(pk=coordinator.pk).exists()


def test_members_are_not_added_through_the_members_list(api_world):
    w = api_world
    response = w.clients["coordinator"].post(
        members_url(w.network), {"email": "x@example.org"}, format="json"
    )
    assert_problem(response, HTTPStatus.METHOD_NOT_ALLOWED)
    assert w.network.members.count() == 2


LEAVE_STATUS = {
    "anonymous": UNAUTHORIZED,
    "other_member": NOT_FOUND,
    "coordinator": BAD,  # the last coordinator stays
    "other_officer": NOT_FOUND,
    "officer": FORBIDDEN,  # sees the network, is no member
    "manager": FORBIDDEN,
    "read_key": FORBIDDEN,
    "write_key": FORBIDDEN,  # a key never leaves for a person
}


@pytest.mark.parametrize("role", ROLES)
def test_leave_matrix(api_world, role):
    w = api_world
    before = w.network.members.count()
    assert_problem(w.clients[role].post(f"{URL}{w.network.pk}/leave/"), LEAVE_STATUS[role])
    assert w.network.members.count() == before


def test_a_member_leaves(api_world):
    w = api_world
    client = token_client(w.member)
    response = client.post(f"{URL}{w.network.pk}/leave/")
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert not w.network.members.filter(user=w.member).exists()
    assert_problem(client.get(f"{URL}{w.network.pk}/"), NOT_FOUND)


# ---------------------------------------------------------------------------------------------
# The web's network pages use the same rule: what the API hides is a 404 on the web too.

PEOPLE = ("other_member", "coordinator", "other_officer", "officer", "manager")


@pytest.mark.parametrize("role", PEOPLE)
def test_the_web_network_page_and_the_api_agree_on_who_sees_a_network(api_world, client, role):
    from django.urls import reverse

    w = api_world
    client.force_login(getattr(w, role))

    web = client.get(reverse("network_detail", args=[w.network.pk]))
    api = w.clients[role].get(f"{URL}{w.network.pk}/")

    assert web.status_code == api.status_code == read_status(role)


def test_a_fund_officer_sees_the_network_page_but_may_not_invite(api_world, client):
    from django.urls import reverse

    w = api_world
    client.force_login(w.officer)
    content = client.get(reverse("network_detail", args=[w.network.pk])).content.decode()

    assert w.network.name in content
    assert "Invite a member" not in content
    response = client.post(
        reverse("network_invite", args=[w.network.pk]), {"email": "x@example.org", "role": "member"}
    )
    assert response.status_code == HTTPStatus.FOUND
    assert not w.network.members.filter(user__email="x@example.org").exists()


def test_a_network_that_applied_elsewhere_is_404_on_the_web_and_in_the_api(api_world, client):
    from django.urls import reverse

    w = api_world
    elsewhere, _ = start_application(w.other_programme)
    client.force_login(w.officer)

    assert client.get(reverse("network_detail", args=[elsewhere.network_id])).status_code == (
        NOT_FOUND
    )
    assert_problem(w.clients["officer"].get(f"{URL}{elsewhere.network_id}/"), NOT_FOUND)
    assert_problem(w.clients["write_key"].get(f"{URL}{elsewhere.network_id}/"), NOT_FOUND)


@pytest.mark.parametrize("role", ROLES)
def test_changing_a_network_matrix_only_its_coordinator(api_world, role):
    """PATCH sets the region and language a programme's rules and the directory read; every
    other caller is refused (403 if they see the network, 404 if not) and nothing changes."""
    w = api_world
    response = w.clients[role].patch(
        f"{URL}{w.network.pk}/", {"province": "NL-UT", "language": "ar"}, format="json"
    )
    w.network.refresh_from_db()
    if COORDINATOR_WRITE[role] != OK:
        assert_problem(response, COORDINATOR_WRITE[role])
        assert w.network.province is None and w.network.language != "ar"
        return
    assert response.status_code == OK, response.content
    assert response.json()["province"] == "NL-UT" and response.json()["language"] == "ar"
    assert w.network.province.code == "NL-UT" and w.network.language == "ar"


def test_changing_a_network_refuses_an_unknown_province_at_its_field(api_world):
    response = api_world.clients["coordinator"].patch(
        f"{URL}{api_world.network.pk}/", {"province": "NL-XX"}, format="json"
    )
    assert_problem(response, BAD, field="province")
