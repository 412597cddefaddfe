"""Bearer keys and tokens: who gets in, what a key may see and do, throttling, problem bodies."""

import datetime
import threading
from http import HTTPStatus
from types import SimpleNamespace

import pytest
from django.core.cache import CacheHandler, cache
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection, connections
from django.test import Client
from django.utils import timezone, translation
from rest_framework.exceptions import NotAuthenticated, NotFound

from api.errors import PROBLEM_BASE
from api.throttling import CredentialRateThrottle
from applications.models import Comment
from config.settings import base
from integrations.models import FundAPIKey, PersonalAccessToken
from integrations.services import fund_key_revoke, personal_token_create, personal_token_revoke
from tests.api.conftest import assert_problem, bearer

pytestmark = pytest.mark.django_db

OK, CREATED, FORBIDDEN = HTTPStatus.OK, HTTPStatus.CREATED, HTTPStatus.FORBIDDEN
NOT_FOUND, UNAUTHORIZED, TOO_MANY = (
    HTTPStatus.NOT_FOUND,
    HTTPStatus.UNAUTHORIZED,
    HTTPStatus.TOO_MANY_REQUESTS,
)
CHALLENGE = 'Bearer realm="api"'


@pytest.fixture(autouse=True)
def fresh_throttle_buckets():
    cache.clear()
    yield
    cache.clear()


def secret_of(client) -> str:
    return client._credentials["HTTP_AUTHORIZATION"].removeprefix("Bearer ")


def raw(authorization: str) -> Client:
    return Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=authorization)


def comment_url(application) -> str:
    return f"/api/v1/applications/{application.pk}/comments/"


COMMENT = {"step": "idea", "question_key": "why", "body": "Say more, please."}


# ---------------------------------------------------------------------------------------------
# Who gets in


@pytest.mark.parametrize("role", ["read_key", "write_key", "officer", "coordinator"])
def test_a_fund_key_or_a_personal_token_authenticates(api_world, role):
    response = api_world.clients[role].get("/api/v1/funds/")
    assert response.status_code == OK, response.content


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer nosuchpr.abcdefghijklmnopqrstuvwxyz012345",  # unknown prefix
        "Bearer abc",  # no secret at all
        "Bearer ...",
        "Bearer " + "x" * 500,
    ],
)
def test_an_unknown_or_malformed_key_is_401_with_a_challenge(api_world, authorization):
    response = raw(authorization).get("/api/v1/funds/")
    body = assert_problem(response, UNAUTHORIZED)
    assert response["WWW-Authenticate"] == CHALLENGE
    assert body["type"] == PROBLEM_BASE + "unauthenticated"


def test_the_right_prefix_with_a_wrong_secret_is_401(api_world):
    prefix = api_world.write_key.prefix
    for secret in (
        f"{prefix}.{'0' * 32}",
        f"{prefix}.",
        secret_of(api_world.clients["write_key"])[:-1],
    ):
        response = raw(f"Bearer {secret}").get("/api/v1/funds/")
        assert_problem(response, UNAUTHORIZED)
        assert response["WWW-Authenticate"] == CHALLENGE


@pytest.mark.parametrize("authorization", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz"])
def test_no_bearer_credential_is_401_not_provided(api_world, authorization):
    response = raw(authorization).get("/api/v1/funds/")
    body = assert_problem(response, UNAUTHORIZED)
    assert response["WWW-Authenticate"] == CHALLENGE
    assert body["detail"] == "Authentication credentials were not provided."


def test_a_revoked_fund_key_stops_working_at_once(api_world):
    client = api_world.clients["write_key"]
    assert client.get("/api/v1/funds/").status_code == OK
    fund_key_revoke(key=api_world.write_key, actor=api_world.manager)
    response = client.get("/api/v1/funds/")
    body = assert_problem(response, UNAUTHORIZED)
    assert response["WWW-Authenticate"] == CHALLENGE
    assert "revoked" in body["detail"]


def test_a_revoked_personal_token_stops_working_at_once(api_world):
    token, secret = personal_token_create(actor=api_world.officer, name="Script")
    client = bearer(secret)
    assert client.get("/api/v1/funds/").status_code == OK
    personal_token_revoke(token=token, actor=api_world.officer)
    assert_problem(client.get("/api/v1/funds/"), UNAUTHORIZED)


def test_an_expired_key_and_the_token_of_a_deactivated_person_are_401(api_world):
    FundAPIKey.objects.filter(pk=api_world.read_key.pk).update(
        expiry_date=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert_problem(api_world.clients["read_key"].get("/api/v1/funds/"), UNAUTHORIZED)
    api_world.officer.is_active = False
    api_world.officer.save()
    assert_problem(api_world.clients["officer"].get("/api/v1/funds/"), UNAUTHORIZED)


def test_the_browser_session_needs_csrf_for_writes(api_world):
    browser = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    browser.force_login(api_world.officer)
    assert browser.get("/api/v1/funds/").status_code == OK
    response = browser.post(
        comment_url(api_world.application), COMMENT, content_type="application/json"
    )
    body = assert_problem(response, FORBIDDEN)
    assert "CSRF" in body["detail"]


# ---------------------------------------------------------------------------------------------
# What a key may do and see


def test_a_read_key_may_not_write(api_world):
    response = api_world.clients["read_key"].post(
        comment_url(api_world.application), COMMENT, format="json"
    )
    body = assert_problem(response, FORBIDDEN)
    assert body["type"] == PROBLEM_BASE + "forbidden"
    assert "only read" in body["detail"]
    assert not Comment.objects.exists()
    response = api_world.clients["write_key"].post(
        comment_url(api_world.application), COMMENT, format="json"
    )
    assert response.status_code == CREATED, response.content


def test_a_read_personal_token_may_not_write_either(api_world):
    _token, secret = personal_token_create(actor=api_world.officer, name="Read", scope="read")
    response = bearer(secret).post(comment_url(api_world.application), COMMENT, format="json")
    assert_problem(response, FORBIDDEN)


def test_a_key_sees_only_its_own_fund(api_world):
    w = api_world
    for role in ("read_key", "write_key"):
        client = w.clients[role]
        funds = client.get("/api/v1/funds/").json()["results"]
        assert [fund["slug"] for fund in funds] == [w.fund.slug]
        programmes = client.get("/api/v1/programmes/").json()["results"]
        assert [p["slug"] for p in programmes] == [w.programme.slug]
        assert client.get(f"/api/v1/programmes/{w.programme.slug}/").status_code == OK
        assert client.get(f"/api/v1/funds/{w.fund.slug}/").status_code == OK
        body = assert_problem(
            client.get(f"/api/v1/programmes/{w.other_programme.slug}/"), NOT_FOUND
        )
        assert body["type"] == PROBLEM_BASE + "not-found"
        assert_problem(client.get(f"/api/v1/funds/{w.other_fund.slug}/"), NOT_FOUND)


def test_a_person_sees_the_whole_public_catalogue(api_world):
    w = api_world
    slugs = {f["slug"] for f in w.clients["officer"].get("/api/v1/funds/").json()["results"]}
    assert slugs == {w.fund.slug, w.other_fund.slug}
    response = w.clients["officer"].get(f"/api/v1/programmes/{w.other_programme.slug}/")
    assert response.status_code == OK


def test_a_key_of_another_fund_sees_nothing_of_this_one(api_world):
    from integrations.services import fund_key_create

    other_manager = api_world.other_officer  # made a manager of the other fund below
    other_manager.fund_memberships.update(role="manager")
    _key, secret = fund_key_create(fund=api_world.other_fund, actor=other_manager, name="Other")
    client = bearer(secret)
    assert_problem(client.get(f"/api/v1/programmes/{api_world.programme.slug}/"), NOT_FOUND)
    assert_problem(client.get(f"/api/v1/applications/{api_world.application.pk}/"), NOT_FOUND)


def test_last_use_is_recorded(api_world):
    key = api_world.read_key
    assert key.last_used_at is None
    before = timezone.now()
    api_world.clients["read_key"].get("/api/v1/funds/")
    key.refresh_from_db()
    assert key.last_used_at >= before
    token = PersonalAccessToken.objects.get(user=api_world.coordinator)
    assert token.last_used_at is None
    api_world.clients["coordinator"].get("/api/v1/funds/")
    token.refresh_from_db()
    assert token.last_used_at >= before


def test_last_use_is_written_at_most_once_a_minute(api_world):
    client = api_world.clients["read_key"]
    client.get("/api/v1/funds/")
    first = FundAPIKey.objects.get(pk=api_world.read_key.pk).last_used_at
    client.get("/api/v1/funds/")
    assert FundAPIKey.objects.get(pk=api_world.read_key.pk).last_used_at == first


# ---------------------------------------------------------------------------------------------
# Throttling


@pytest.fixture
def three_a_minute(monkeypatch):
    monkeypatch.setattr(CredentialRateThrottle, "THROTTLE_RATES", {"credential": "3/min"})


def test_the_fourth_call_in_a_minute_is_429_with_retry_after(api_world, three_a_minute):
    client = api_world.clients["read_key"]
    for _ in range(3):
        assert client.get("/api/v1/funds/").status_code == OK
    response = client.get("/api/v1/funds/")
    body = assert_problem(response, TOO_MANY)
    assert body["type"] == PROBLEM_BASE + "too-many-requests"
    assert 0 < int(response["Retry-After"]) <= 60


def test_each_key_and_token_has_its_own_bucket(api_world, three_a_minute):
    for _ in range(3):
        api_world.clients["read_key"].get("/api/v1/funds/")
    assert_problem(api_world.clients["read_key"].get("/api/v1/funds/"), TOO_MANY)
    for role in ("write_key", "officer", "coordinator"):
        assert api_world.clients[role].get("/api/v1/funds/").status_code == OK, role


def test_a_second_token_of_the_same_person_has_its_own_bucket(api_world, three_a_minute):
    for _ in range(4):
        api_world.clients["officer"].get("/api/v1/funds/")
    _token, secret = personal_token_create(actor=api_world.officer, name="Other script")
    assert bearer(secret).get("/api/v1/funds/").status_code == OK


def test_a_forwarded_for_header_does_not_give_an_anonymous_caller_a_new_bucket(rf):
    throttle = CredentialRateThrottle()
    request = rf.get("/api/v1/funds/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert throttle.get_ident(request) == "203.0.113.7"


def allowed_of_fifty(worker_caches, rate="20/min") -> int:
    """50 calls of one key, taken in turn by workers that each have their own cache handle."""
    throttles = []
    for worker_cache in worker_caches:
        throttle = CredentialRateThrottle()
        throttle.cache, throttle.rate = worker_cache, rate
        throttle.num_requests, throttle.duration = throttle.parse_rate(rate)
        throttles.append(throttle)
    caller = SimpleNamespace(auth=None, user=SimpleNamespace(is_authenticated=True, pk=7))
    return sum(throttles[n % len(throttles)].allow_request(caller, None) for n in range(50))


def test_the_configured_throttle_cache_is_the_database_cache_that_migrate_creates():
    default = base.CACHES["default"]
    assert default["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert default["LOCATION"] in connection.introspection.table_names()


def test_two_workers_share_the_database_cache_and_let_only_the_rate_through():
    """Two gunicorn workers, each with its own cache handler built from the production
    setting: 20/min lets 20 of 50 calls through, not 20 per worker (34 of 50 got through)."""
    workers = [CacheHandler({"default": base.CACHES["default"]})["default"] for _ in range(2)]
    assert workers[0] is not workers[1]
    assert allowed_of_fifty(workers) == 20
    # The contrast: a cache in each worker's own memory lets each worker's 20 through.
    own_memory = [LocMemCache(f"worker-{n}", {}) for n in range(2)]
    assert allowed_of_fifty(own_memory) == 40


@pytest.mark.django_db(transaction=True)
def test_two_database_connections_see_the_same_count():
    """Workers on other hosts share nothing but the database: one connection counts, another,
    in another thread, reads the count."""
    first = CacheHandler({"default": base.CACHES["default"]})["default"]
    first.set("throttle-test", 0, 60)
    for _ in range(3):
        first.incr("throttle-test")
    seen = []

    def other_worker():
        try:
            other = CacheHandler({"default": base.CACHES["default"]})["default"]
            seen.append(other.get("throttle-test"))
            other.incr("throttle-test")
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join(timeout=30)
    assert seen == [3]
    assert first.get("throttle-test") == 4
    first.clear()


# ---------------------------------------------------------------------------------------------
# Problem bodies and language


def test_problems_speak_the_language_asked_for(api_world):
    anonymous = api_world.clients["anonymous"]
    english = assert_problem(
        anonymous.get("/api/v1/funds/", HTTP_ACCEPT_LANGUAGE="en"), UNAUTHORIZED
    )
    assert english["detail"] == "Authentication credentials were not provided."
    dutch = assert_problem(anonymous.get("/api/v1/funds/", HTTP_ACCEPT_LANGUAGE="nl"), UNAUTHORIZED)
    with translation.override("nl"):
        assert dutch["detail"] == str(NotAuthenticated.default_detail) != english["detail"]
    key = api_world.clients["read_key"]
    missing = f"/api/v1/programmes/{api_world.other_programme.slug}/"
    assert (
        assert_problem(key.get(missing, HTTP_ACCEPT_LANGUAGE="en"), NOT_FOUND)["detail"]
        == "Not found."
    )
    with translation.override("nl"):
        expected = str(NotFound.default_detail)
    assert (
        assert_problem(key.get(missing, HTTP_ACCEPT_LANGUAGE="nl"), NOT_FOUND)["detail"] == expected
    )


def test_problem_bodies_have_the_rfc_9457_shape(api_world):
    cases = [
        (api_world.clients["anonymous"].get("/api/v1/funds/"), UNAUTHORIZED, "unauthenticated"),
        (
            api_world.clients["read_key"].post(
                comment_url(api_world.application), COMMENT, format="json"
            ),
            FORBIDDEN,
            "forbidden",
        ),
        (api_world.clients["officer"].get("/api/v1/programmes/nope/"), NOT_FOUND, "not-found"),
    ]
    for response, status, kind in cases:
        body = assert_problem(response, status)
        assert set(body) == {"type", "title", "status", "detail"}
        assert body["type"] == PROBLEM_BASE + kind
        assert body["title"] == HTTPStatus(status).phrase
