"""Idempotency-Key on POST: a retry gets the first response and changes nothing.

Shown on a real endpoint (comments), and on a tiny test-only view for what a real endpoint
cannot easily do on demand: fail with an error, or with a server error.
"""

from http import HTTPStatus

import pytest
from django.urls import path
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.base import IdempotentPostMixin
from api.errors import PROBLEM_BASE
from api.models import IdempotencyRecord
from applications.models import Comment
from tests.api.conftest import assert_problem

pytestmark = pytest.mark.django_db

CREATED = HTTPStatus.CREATED
COMMENT = {"step": "idea", "question_key": "why", "body": "Say more, please."}


def comment_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/comments/"


def post(client, url, data, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data, format="json", **headers)


# ---------------------------------------------------------------------------------------------
# On the comments endpoint


def test_a_retry_returns_the_first_response_and_comments_once(api_world):
    client, url = api_world.clients["write_key"], comment_url(api_world.application)
    first = post(client, url, COMMENT, key="retry-1")
    assert first.status_code == CREATED and not first.has_header("Idempotent-Replayed")
    again = post(client, url, COMMENT, key="retry-1")
    assert again.status_code == CREATED
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert Comment.objects.count() == 1


def test_without_a_key_a_second_post_is_a_second_comment(api_world):
    client, url = api_world.clients["officer"], comment_url(api_world.application)
    post(client, url, COMMENT)
    post(client, url, COMMENT)
    assert Comment.objects.count() == 2


def test_a_key_reused_for_another_request_is_422(api_world):
    client, url = api_world.clients["write_key"], comment_url(api_world.application)
    post(client, url, COMMENT, key="k")
    response = post(client, url, {**COMMENT, "body": "Something else"}, key="k")
    body = assert_problem(response, HTTPStatus.UNPROCESSABLE_ENTITY)
    assert body["type"] == PROBLEM_BASE + "idempotency-key-reused"
    assert Comment.objects.count() == 1


def test_keys_belong_to_their_caller(api_world):
    url = comment_url(api_world.application)
    mine = post(api_world.clients["write_key"], url, COMMENT, key="same")
    theirs = post(api_world.clients["officer"], url, COMMENT, key="same")
    assert theirs.status_code == CREATED and not theirs.has_header("Idempotent-Replayed")
    assert theirs.json()["id"] != mine.json()["id"]
    assert Comment.objects.count() == 2


def test_a_refused_request_leaves_no_record(api_world):
    url = comment_url(api_world.application)
    assert_problem(post(api_world.clients["read_key"], url, COMMENT, key="r"), HTTPStatus.FORBIDDEN)
    assert_problem(
        post(api_world.clients["write_key"], url, {"step": "idea"}, key="w"), HTTPStatus.BAD_REQUEST
    )
    assert not IdempotencyRecord.objects.exists()
    assert post(api_world.clients["write_key"], url, COMMENT, key="w").status_code == CREATED


def test_an_overlong_key_is_400(api_world):
    response = post(
        api_world.clients["write_key"], comment_url(api_world.application), COMMENT, key="k" * 256
    )
    assert_problem(response, HTTPStatus.BAD_REQUEST)
    assert not Comment.objects.exists()


# ---------------------------------------------------------------------------------------------
# On a test-only view: errors and server errors are not remembered

CALLS: list[str] = []


class Flaky(IdempotentPostMixin, APIView):
    def post(self, request):
        CALLS.append(request.data["outcome"])
        if request.data["outcome"] == "invalid":
            raise ValidationError({"outcome": ["Not now."]})
        if request.data["outcome"] == "unavailable":
            return Response({"detail": "down"}, status=503)
        return Response({"call": len(CALLS)}, status=201)


urlpatterns = [path("flaky/", Flaky.as_view())]


@pytest.fixture
def flaky():
    CALLS.clear()
    yield CALLS
    CALLS.clear()


@pytest.mark.urls(__name__)
def test_a_raised_error_is_not_remembered_so_a_retry_runs_again(api_world, flaky):
    client = api_world.clients["write_key"]
    assert_problem(post(client, "/flaky/", {"outcome": "invalid"}, key="f"), HTTPStatus.BAD_REQUEST)
    assert_problem(post(client, "/flaky/", {"outcome": "invalid"}, key="f"), HTTPStatus.BAD_REQUEST)
    assert flaky == ["invalid", "invalid"]
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.urls(__name__)
def test_a_server_error_is_not_remembered_so_a_retry_runs_again(api_world, flaky):
    client = api_world.clients["write_key"]
    assert post(client, "/flaky/", {"outcome": "unavailable"}, key="s").status_code == 503
    assert not IdempotencyRecord.objects.exists()
    first = post(client, "/flaky/", {"outcome": "unavailable"}, key="s")
    assert first.status_code == 503 and flaky == ["unavailable", "unavailable"]


@pytest.mark.urls(__name__)
def test_a_success_runs_once_whatever_the_retries(api_world, flaky):
    client = api_world.clients["write_key"]
    responses = [post(client, "/flaky/", {"outcome": "ok"}, key="ok") for _ in range(3)]
    assert [r.json() for r in responses] == [{"call": 1}] * 3
    assert flaky == ["ok"]
    assert [r.has_header("Idempotent-Replayed") for r in responses] == [False, True, True]
