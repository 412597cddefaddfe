"""/api/v1/networks/ and its members: who sees, starts, invites and changes roles."""

from http import HTTPStatus

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from applications.models import Network, NetworkMember
from tests.api.conftest import assert_problem
from tests.api.roles import COORDINATOR_WRITE, ROLES, read_status
from tests.applications.factories import NetworkMemberFactory
from tests.applications.helpers import start_application

pytestmark = pytest.mark.django_db

OK, CREATED = HTTPStatus.OK, HTTPStatus.CREATED
BAD, FORBIDDEN, NOT_FOUND = HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN, HTTPStatus.NOT_FOUND
UNAUTHORIZED = HTTPStatus.UNAUTHORIZED
URL = "/api/v1/networks/"

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
    from tests.api.conftest import token_client

    rows = token_client(w.member).get(members_url(w.network)).json()["results"]
    assert {row["email"] for row in rows} == {None}
    assert {row["name"] for row in rows} == {w.coordinator.username, w.member.username}


INVITE_STATUS = {**COORDINATOR_WRITE, "coordinator": CREATED}


@pytest.mark.parametrize("role", ROLES)
def test_invite_matrix(api_world, role, django_capture_on_commit_callbacks):
    w = api_world
    before = w.network.members.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = w.clients[role].post(
            members_url(w.network), {"email": "New.Person@example.org"}, format="json"
        )
    if INVITE_STATUS[role] != CREATED:
        assert_problem(response, INVITE_STATUS[role])
        assert w.network.members.count() == before
        assert mail.outbox == []
        return
    assert response.status_code == CREATED, response.content
    body = response.json()
    assert body["role"] == "member" and body["email"] == "new.person@example.org"
    assert response["Location"].endswith(members_url(w.network) + f"{body['id']}/")
    assert w.network.members.count() == before + 1
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]


def test_invite_as_coordinator_and_refusals(api_world):
    w = api_world
    client = w.clients["coordinator"]
    response = client.post(
        members_url(w.network), {"email": "co@example.org", "role": "coordinator"}, format="json"
    )
    assert response.status_code == CREATED and response.json()["role"] == "coordinator"
    again = client.post(members_url(w.network), {"email": w.member.email}, format="json")
    assert_problem(again, BAD, field="email")
    assert_problem(
        client.post(members_url(w.network), {"email": "not-an-address"}, format="json"),
        BAD,
        field="email",
    )
    assert_problem(
        client.post(
            members_url(w.network), {"email": "x@example.org", "role": "boss"}, format="json"
        ),
        BAD,
        field="role",
    )


def test_invite_is_idempotent(api_world, django_capture_on_commit_callbacks):
    w = api_world
    client = w.clients["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            members_url(w.network),
            {"email": "once@example.org"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="invite-1",
        )
        again = client.post(
            members_url(w.network),
            {"email": "once@example.org"},
            format="json",
            HTTP_IDEMPOTENCY_KEY="invite-1",
        )
    assert first.status_code == again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert w.network.members.filter(user__email="once@example.org").count() == 1
    assert len(mail.outbox) == 1


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
        client.post(members_url(w.network), {"email": "a@example.org"}, format="json"), FORBIDDEN
    )
    assert_problem(
        client.patch(members_url(w.network, member), {"role": "coordinator"}, format="json"),
        FORBIDDEN,
    )


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
