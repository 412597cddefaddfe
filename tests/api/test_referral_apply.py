"""Referrals in the API, and "apply here with my answers" (POST /api/v1/referrals/{id}/apply/):
the same service as the web button, tried from every side that must be refused."""

from http import HTTPStatus

import pytest

from applications import services
from applications.models import Application, Referral, Revision
from tests.api.conftest import assert_problem, token_client
from tests.api.roles import COORDINATORS, ROLES, read_status, write_status
from tests.applications.factories import COMPLETE_ANSWERS
from tests.applications.helpers import CONTACT_REFERRAL, fill_current_step

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/"


@pytest.fixture
def referral(api_world):
    w = api_world
    fill_current_step(w.application, w.coordinator)
    services.application_decline(
        application=w.application,
        actor=w.officer,
        reason="Outside our region.",
        advice="Try the other fund.",
        referrals=[{"programme": w.other_programme}, CONTACT_REFERRAL],
    )
    return Referral.objects.get(programme=w.other_programme)


def apply(client, referral, body=None):
    return client.post(f"{URL}{referral.pk}/apply/", body or {}, format="json")


def nothing_started():
    assert Application.objects.count() == 1


def test_the_coordinator_starts_there_and_hears_how_many_answers_came_along(api_world, referral):
    response = apply(api_world.clients["coordinator"], referral)
    assert response.status_code == HTTPStatus.CREATED, response.content
    body = response.json()
    started = Application.objects.get(referral=referral)
    assert response["Location"].endswith(f"/api/v1/applications/{started.pk}/")
    assert body["application"]["id"] == started.pk
    assert body["application"]["programme"] == api_world.other_programme.slug
    assert body["application"]["state"] == "drafting"
    assert (body["copied_answers"], body["answers_left_out"]) == (3, 0)
    revision = Revision.objects.get(step__application=started)
    assert revision.content == COMPLETE_ANSWERS["idea"]


def test_a_title_and_amount_may_be_given(api_world, referral):
    response = apply(
        api_world.clients["coordinator"],
        referral,
        {"title": "Garden, take two", "requested_amount": "250.00"},
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json()["application"]["title"] == "Garden, take two"
    assert response.json()["application"]["requested_amount"] == "250.00"


@pytest.mark.parametrize("role", ROLES)
def test_only_the_networks_coordinator_may_apply(api_world, referral, role):
    response = apply(api_world.clients[role], referral)
    expected = write_status(role, COORDINATORS, ok=HTTPStatus.CREATED)
    assert response.status_code == expected, response.content
    if expected != HTTPStatus.CREATED:
        nothing_started()


def test_a_member_who_is_not_a_coordinator_gets_403(api_world, referral):
    response = apply(token_client(api_world.member), referral)
    assert_problem(response, HTTPStatus.FORBIDDEN)
    nothing_started()


def test_an_outsider_gets_404(api_world, referral):
    assert_problem(apply(token_client(api_world.outsider), referral), HTTPStatus.NOT_FOUND)
    nothing_started()


def test_a_referral_to_a_person_is_a_conflict_with_the_reason(api_world, referral):
    contact = Referral.objects.get(programme__isnull=True)
    body = assert_problem(apply(api_world.clients["coordinator"], contact), HTTPStatus.CONFLICT)
    assert "get in touch with them directly" in body["detail"]
    nothing_started()


def test_a_second_start_is_a_conflict(api_world, referral):
    client = api_world.clients["coordinator"]
    assert apply(client, referral).status_code == HTTPStatus.CREATED
    body = assert_problem(apply(client, referral), HTTPStatus.CONFLICT)
    assert "already has an open application" in body["detail"]
    assert Application.objects.filter(referral=referral).count() == 1


def test_an_amount_above_the_programmes_maximum_is_refused_at_its_field(api_world, referral):
    response = apply(api_world.clients["coordinator"], referral, {"requested_amount": "999999"})
    assert_problem(response, HTTPStatus.BAD_REQUEST, field="requested_amount")
    nothing_started()


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_declined_application_sees_its_referrals(api_world, referral, role):
    response = api_world.clients[role].get(f"{URL}{referral.pk}/")
    assert response.status_code == read_status(role)


def test_the_referring_fund_reads_what_became_of_its_referrals(api_world, referral):
    client = api_world.clients["read_key"]
    listed = client.get(URL, {"application": api_world.application.pk}).json()["results"]
    assert {row["id"]: row["outcome"] for row in listed} == {
        referral.pk: "none",
        Referral.objects.get(programme__isnull=True).pk: "none",
    }
    apply(api_world.clients["coordinator"], referral)
    assert client.get(f"{URL}{referral.pk}/").json()["outcome"] == "started"


def test_another_funds_officer_and_another_network_list_none(api_world, referral):
    for role in ("other_officer", "other_member"):
        assert api_world.clients[role].get(URL).json()["results"] == []
