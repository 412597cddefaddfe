"""The API from a helper's side, with their personal token: the same rules as the web. A helper
reads the application and its steps, writes answers and comments; submitting and withdrawing are
refused with the reason (403); agreements do not exist for them (404); after removal or when the
application is decided, the application does not either (404)."""

from http import HTTPStatus

import pytest

from applications import services
from applications.models import Application, ApplicationHelper, Comment, Revision
from tests.agreements.helpers import award, prepare_cooperation
from tests.api.conftest import assert_problem, token_client
from tests.applications.helpers import bring_to_state, fill_current_step
from tests.applications.test_helpers import make_helper

pytestmark = pytest.mark.django_db


@pytest.fixture
def helper(world, django_capture_on_commit_callbacks):
    return make_helper(world, django_capture_on_commit_callbacks)


@pytest.fixture
def client(helper):
    return token_client(helper)


def url(application, suffix="") -> str:
    return f"/api/v1/applications/{application.pk}/{suffix}"


def test_a_helper_reads_the_application_and_its_steps(world, client):
    assert client.get(url(world.application)).status_code == HTTPStatus.OK
    assert client.get(url(world.application, "steps/")).status_code == HTTPStatus.OK
    listed = client.get("/api/v1/applications/").json()["results"]
    assert [row["id"] for row in listed] == [world.application.pk]


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_helper_writes_answers_as_a_revision_of_their_own(world, helper, client, method):
    response = getattr(client, method)(
        url(world.application, "steps/idea/"),
        {"content": {"what": "A garden"}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    assert response.status_code == HTTPStatus.OK, response.content
    assert Revision.objects.get(step__application=world.application).author == helper


def test_a_helper_comments_for_the_network(world, client):
    response = client.post(
        url(world.application, "comments/"),
        {"step": "idea", "question_key": "why", "body": "Klopt dit zo?"},
        format="json",
    )
    assert response.status_code == HTTPStatus.CREATED, response.content
    assert response.json()["author_role"] == Comment.AuthorRole.MEMBER


def test_a_helper_is_offered_no_transition(world, helper, client):
    fill_current_step(world.application, helper)
    assert client.get(url(world.application, "transitions/")).json() == []


@pytest.mark.parametrize("name", ["submit_step", "withdraw"])
def test_a_helper_cannot_submit_or_withdraw(world, helper, client, name):
    fill_current_step(world.application, helper)
    response = client.post(url(world.application, "transitions/"), {"name": name}, format="json")
    body = assert_problem(response, HTTPStatus.FORBIDDEN)
    assert "coordinator" in body["detail"]
    world.application.refresh_from_db()
    assert world.application.state == Application.State.DRAFTING


def test_a_removed_helper_finds_nothing(world, helper, client):
    services.helper_remove(
        helper=ApplicationHelper.objects.get(user=helper), actor=world.coordinator
    )
    assert_problem(client.get(url(world.application)), HTTPStatus.NOT_FOUND)
    response = client.put(
        url(world.application, "steps/idea/"),
        {"content": {"what": "A garden"}},
        format="json",
        HTTP_IF_MATCH='"empty"',
    )
    assert_problem(response, HTTPStatus.NOT_FOUND)


def test_the_helper_of_a_declined_application_finds_nothing(world, client):
    bring_to_state(world, Application.State.DECLINED)
    assert_problem(client.get(url(world.application)), HTTPStatus.NOT_FOUND)
    assert_problem(client.get(url(world.application, "steps/")), HTTPStatus.NOT_FOUND)


def test_a_helper_never_sees_the_agreement_or_its_bank_details(world, helper, client):
    agreement = prepare_cooperation_after_award(world)
    assert client.get("/api/v1/agreements/").json()["results"] == []
    assert_problem(client.get(f"/api/v1/agreements/{agreement.pk}/"), HTTPStatus.NOT_FOUND)
    assert_problem(client.get(url(world.application)), HTTPStatus.NOT_FOUND)


def prepare_cooperation_after_award(world):
    award(world)
    return prepare_cooperation(world)
