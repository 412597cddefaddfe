"""/api/v1/webhook-endpoints/ and /api/v1/webhook-deliveries/: a back office manages its webhooks.

The fund's staff and keys read; only a manager of the fund (a person, or a key whose account is
the fund's manager) writes, through the same services as the web screens. An endpoint registered
here receives real events, signed so that the standardwebhooks reference package verifies them.
"""

import ipaddress
import socket
from http import HTTPStatus

import pytest
from django_tasks import default_task_backend
from standardwebhooks import Webhook

from api.models import IdempotencyRecord
from api.permissions import ScopeAllowsWrite
from core.events import record_event
from funds.models import FundMembership
from integrations.models import Scope, WebhookDelivery, WebhookEndpoint
from integrations.services import fund_key_create
from integrations.webhooks import services as webhook_services
from integrations.webhooks import ssrf
from tests.api.conftest import assert_problem, bearer
from tests.api.roles import FUND, ROLES, read_status
from tests.funds.factories import FundMembershipFactory
from tests.integrations.test_webhooks_delivery import Receiver, one_delivery, send

pytestmark = pytest.mark.django_db

OK, CREATED, ACCEPTED, NO_CONTENT = (
    HTTPStatus.OK,
    HTTPStatus.CREATED,
    HTTPStatus.ACCEPTED,
    HTTPStatus.NO_CONTENT,
)
BAD, UNAUTHORIZED, FORBIDDEN = HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED, HTTPStatus.FORBIDDEN
NOT_FOUND, CONFLICT = HTTPStatus.NOT_FOUND, HTTPStatus.CONFLICT

ENDPOINTS = "/api/v1/webhook-endpoints/"
DELIVERIES = "/api/v1/webhook-deliveries/"
URL = "https://crm.example.org/webhooks"
State = WebhookDelivery.State

#: The fund's staff and its keys see its webhooks; nobody else does (404).
READERS = FUND
MANAGER_ONLY = "Only a manager of the fund manages its webhooks."
#: Who may write, and what the others get. The world's write key acts as an officer of the fund.
WRITE_REFUSAL = {
    "anonymous": UNAUTHORIZED,
    "other_member": NOT_FOUND,
    "coordinator": NOT_FOUND,
    "other_officer": NOT_FOUND,
    "officer": FORBIDDEN,
    "read_key": FORBIDDEN,
    "write_key": FORBIDDEN,
}
REFUSAL_DETAIL = {
    "officer": MANAGER_ONLY,
    "write_key": MANAGER_ONLY,
    "read_key": str(ScopeAllowsWrite.message),
}


@pytest.fixture(autouse=True)
def dns(monkeypatch):
    """Names resolve without the network; IP literals (the test receiver's) resolve to themselves."""
    answers = {"crm.example.org": ["93.184.215.14"], "intranet.example.org": ["10.0.0.5"]}

    def resolve(host, port):
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        if host not in answers:
            raise socket.gaierror("unknown host")
        return answers[host]

    monkeypatch.setattr(ssrf, "resolve", resolve)
    return answers


@pytest.fixture(autouse=True)
def queue(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": ["default", "webhooks"],
        }
    }
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


@pytest.fixture
def hook(api_world, django_capture_on_commit_callbacks):
    """An endpoint of the world's fund with one delivery (of a comment.created event)."""
    endpoint, _secret = webhook_services.endpoint_create(
        fund=api_world.fund, actor=api_world.manager, url=URL, description="CRM"
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_event("comment.created", fund=api_world.fund, payload={"comment_id": 7})
    return endpoint


@pytest.fixture
def manager_key(api_world):
    """A read+write key whose account is a manager of the fund: a back office that manages."""
    _key, secret = fund_key_create(
        fund=api_world.fund,
        actor=api_world.manager,
        name="Back office",
        scope=Scope.READ_WRITE,
        role=FundMembership.Role.MANAGER,
    )
    return bearer(secret)


def post(client, url, data=None, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, data or {}, format="json", **headers)


def detail(endpoint, suffix="") -> str:
    return f"{ENDPOINTS}{endpoint.pk}/{suffix}"


def snapshot():
    return (
        list(
            WebhookEndpoint.objects.order_by("pk").values_list(
                "pk", "url", "active", "secret", "previous_secret"
            )
        ),
        list(
            WebhookDelivery.objects.order_by("pk").values_list(
                "pk", "state", "next_attempt_at", "retry_until"
            )
        ),
    )


# ---------------------------------------------------------------------------------------------
# Reading


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(api_world, hook, role):
    client = api_world.clients[role]
    delivery = hook.deliveries.get()
    for url, row in ((ENDPOINTS, hook), (DELIVERIES, delivery)):
        response = client.get(url)
        if role == "anonymous":
            assert_problem(response, UNAUTHORIZED)
        else:
            assert response.status_code == OK
            ids = [item["id"] for item in response.json()["results"]]
            assert ids == ([row.pk] if role in READERS else []), (role, url)
        response = client.get(f"{url}{row.pk}/")
        if role in READERS:
            assert response.status_code == OK, (role, url)
            assert response.json()["id"] == row.pk
        else:
            assert_problem(response, read_status(role, READERS))


def test_an_endpoint_shows_its_settings_but_never_its_secret(api_world, hook):
    webhook_services.endpoint_disable(endpoint=hook, actor=api_world.manager)
    response = api_world.clients["officer"].get(detail(hook))
    body = response.json()
    assert body == {
        "id": hook.pk,
        "fund": api_world.fund.slug,
        "url": URL,
        "description": "CRM",
        "event_types": [],
        "active": False,
        "disabled_reason": "manual",
        "disabled_at": body["disabled_at"],
        "previous_secret_until": None,
        "created_at": body["created_at"],
    }
    assert body["disabled_at"] is not None
    hook.refresh_from_db()
    listed = api_world.clients["read_key"].get(ENDPOINTS)
    assert hook.secret not in response.content.decode() + listed.content.decode()


def test_a_delivery_shows_state_response_code_attempts_and_next_attempt(api_world, hook):
    delivery = hook.deliveries.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=State.FAILED, attempts=3, last_status_code=503, last_error="Service Unavailable"
    )
    body = api_world.clients["read_key"].get(f"{DELIVERIES}{delivery.pk}/").json()
    assert body["endpoint"] == hook.pk and body["fund"] == api_world.fund.slug
    assert body["webhook_id"] == delivery.webhook_id
    assert body["event_id"] == str(delivery.event_id)
    assert body["event_type"] == "comment.created"
    assert body["state"] == "failed"
    assert (body["attempts"], body["response_code"]) == (3, 503)
    assert body["last_error"] == "Service Unavailable"
    assert body["next_attempt_at"] is not None and body["retry_until"] is not None
    assert body["payload"]["comment_id"] == 7
    assert body["attempt_log"] == []


def test_deliveries_filter_by_endpoint_state_and_event_type(api_world, hook, dns):
    other, _secret = webhook_services.endpoint_create(
        fund=api_world.fund, actor=api_world.manager, url="https://crm.example.org/other"
    )
    first = hook.deliveries.get()
    with_test = webhook_services.endpoint_send_test(endpoint=other, actor=api_world.manager)
    WebhookDelivery.objects.filter(pk=first.pk).update(state=State.DEAD)
    client = api_world.clients["officer"]

    def ids(**query):
        response = client.get(DELIVERIES, query)
        assert response.status_code == OK, response.content
        return {row["id"] for row in response.json()["results"]}

    assert ids() == {first.pk, with_test.pk}
    assert ids(endpoint=hook.pk) == {first.pk}
    assert ids(endpoint=other.pk) == {with_test.pk}
    assert ids(state="dead") == {first.pk}
    assert ids(state="pending") == {with_test.pk}
    assert ids(event_type="webhook.test") == {with_test.pk}
    assert ids(event_type="comment.created", state="dead") == {first.pk}
    assert ids(fund=api_world.other_fund.slug) == set()
    assert_problem(client.get(DELIVERIES, {"state": "lost"}), BAD, field="state")


def test_endpoints_filter_by_active(api_world, hook):
    webhook_services.endpoint_disable(endpoint=hook, actor=api_world.manager)
    client = api_world.clients["officer"]
    assert client.get(ENDPOINTS, {"active": "false"}).json()["results"][0]["id"] == hook.pk
    assert client.get(ENDPOINTS, {"active": "true"}).json()["results"] == []
    assert client.get(ENDPOINTS, {"fund": api_world.fund.slug}).json()["results"]


# ---------------------------------------------------------------------------------------------
# Writing: who may


def _create(w, client):
    body = {"fund": w.fund.slug, "url": "https://crm.example.org/new", "event_types": []}
    return post(client, ENDPOINTS, body)


def _replay(w, client):
    delivery = w.hook.deliveries.get(event__type="comment.created")
    return post(client, f"{DELIVERIES}{delivery.pk}/replay/")


#: Every write: how to send it, and its status when it succeeds.
WRITES = {
    "create": (_create, CREATED),
    "delete": (lambda w, c: c.delete(detail(w.hook)), NO_CONTENT),
    "disable": (lambda w, c: post(c, detail(w.hook, "disable/")), OK),
    "enable": (lambda w, c: post(c, detail(w.hook, "enable/")), OK),
    "rotate-secret": (lambda w, c: post(c, detail(w.hook, "rotate-secret/")), OK),
    "test": (lambda w, c: post(c, detail(w.hook, "test/")), ACCEPTED),
    "replay": (_replay, ACCEPTED),
}


def _prepare(w, hook, name):
    """A state in which the write can succeed: disabled to enable, given up to replay."""
    w.hook = hook
    if name == "enable":
        webhook_services.endpoint_disable(endpoint=hook, actor=w.manager)
    else:
        WebhookDelivery.objects.update(state=State.DEAD, next_attempt_at=None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", list(WRITES))
def test_write_matrix(api_world, hook, name, role):
    w = api_world
    _prepare(w, hook, name)
    request, success = WRITES[name]
    before = snapshot()
    response = request(w, w.clients[role])
    if role == "manager":
        assert response.status_code == success, response.content
        assert snapshot() != before
        return
    expected = WRITE_REFUSAL[role]
    if name == "create" and expected == NOT_FOUND:
        # Not their fund: it "does not exist" for them, as a field error.
        expected = BAD
    body = assert_problem(response, expected, field="fund" if expected == BAD else None)
    if role in REFUSAL_DETAIL:
        assert body["detail"] == REFUSAL_DETAIL[role]
    assert snapshot() == before


def test_a_key_acting_as_the_funds_manager_does_everything(api_world, hook, manager_key):
    w, client = api_world, manager_key
    w.hook = hook
    for name in ("create", "disable", "enable", "rotate-secret", "test"):
        request, success = WRITES[name]
        response = request(w, client)
        assert response.status_code == success, (name, response.content)
    WebhookDelivery.objects.update(state=State.DEAD)
    for name in ("replay", "delete"):
        request, success = WRITES[name]
        assert request(w, client).status_code == success, name
    assert not WebhookEndpoint.objects.filter(pk=hook.pk).exists()


def test_a_key_of_another_fund_sees_and_changes_nothing(api_world, hook):
    other_manager = FundMembershipFactory(
        fund=api_world.other_fund, role=FundMembership.Role.MANAGER
    ).user
    _key, secret = fund_key_create(
        fund=api_world.other_fund,
        actor=other_manager,
        name="Other",
        scope=Scope.READ_WRITE,
        role=FundMembership.Role.MANAGER,
    )
    client = bearer(secret)
    delivery = hook.deliveries.get()
    before = snapshot()
    assert client.get(ENDPOINTS).json()["results"] == []
    assert client.get(DELIVERIES).json()["results"] == []
    assert_problem(client.get(detail(hook)), NOT_FOUND)
    assert_problem(client.get(f"{DELIVERIES}{delivery.pk}/"), NOT_FOUND)
    assert_problem(post(client, detail(hook, "disable/")), NOT_FOUND)
    assert_problem(post(client, f"{DELIVERIES}{delivery.pk}/replay/"), NOT_FOUND)
    assert_problem(client.delete(detail(hook)), NOT_FOUND)
    assert_problem(_create(api_world, client), BAD, field="fund")
    assert snapshot() == before


def test_an_officer_is_refused_before_what_they_send_is_checked(api_world):
    body = {"fund": api_world.fund.slug, "url": "ftp://nowhere", "event_types": ["nonsense"]}
    response = post(api_world.clients["officer"], ENDPOINTS, body)
    assert assert_problem(response, FORBIDDEN)["detail"] == MANAGER_ONLY


# ---------------------------------------------------------------------------------------------
# Registering


def test_a_manager_registers_an_endpoint_and_sees_the_secret_once(api_world, manager_key):
    body = {
        "fund": api_world.fund.slug,
        "url": URL,
        "event_types": ["tranche.due", "comment.created"],
        "description": "Finance",
    }
    response = post(manager_key, ENDPOINTS, body)
    assert response.status_code == CREATED, response.content
    created = response.json()
    endpoint = WebhookEndpoint.objects.get()
    assert created["id"] == endpoint.pk
    assert response["Location"].endswith(detail(endpoint))
    assert created["secret"] == endpoint.secret and endpoint.secret.startswith("whsec_")
    assert created["event_types"] == ["comment.created", "tranche.due"]
    assert (created["url"], created["description"], created["active"]) == (URL, "Finance", True)
    assert endpoint.created_by.fund_api_key.name == "Back office"  # the log says which key
    # Never again: not on the endpoint, not in the list.
    for url in (ENDPOINTS, detail(endpoint)):
        response = manager_key.get(url)
        assert endpoint.secret not in response.content.decode()
        assert "secret" not in (response.json().get("results") or [response.json()])[0]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://crm.example.org/webhooks", "https://"),
        ("https://intranet.example.org/hooks", "10.0.0.5"),
        ("https://10.1.2.3/hooks", "private"),
        ("https://127.0.0.1/hooks", "private"),
        ("https://169.254.169.254/latest", "private"),
        ("https://nowhere.example.org/", "cannot be found"),
        ("https://user:pw@crm.example.org/", "passwords"),
    ],
)
def test_an_unsafe_url_is_a_field_error(api_world, url, words):
    response = post(
        api_world.clients["manager"], ENDPOINTS, {"fund": api_world.fund.slug, "url": url}
    )
    body = assert_problem(response, BAD, field="url")
    assert words in " ".join(body["errors"]["url"])
    assert not WebhookEndpoint.objects.exists()


def test_unknown_event_types_and_a_duplicate_url_are_field_errors(api_world, hook):
    client = api_world.clients["manager"]
    body = {"fund": api_world.fund.slug, "url": URL.replace("webhooks", "x"), "event_types": ["x"]}
    assert_problem(post(client, ENDPOINTS, body), BAD, field="event_types")
    assert_problem(
        post(client, ENDPOINTS, {"fund": api_world.fund.slug, "url": URL}), BAD, field="url"
    )
    assert_problem(post(client, ENDPOINTS, {"url": URL}), BAD, field="fund")
    assert WebhookEndpoint.objects.count() == 1


def test_idempotency_key_registers_once_and_never_stores_the_secret(api_world, manager_key):
    body = {"fund": api_world.fund.slug, "url": URL}
    first = post(manager_key, ENDPOINTS, body, key="register-crm")
    assert first.status_code == CREATED and not first.has_header("Idempotent-Replayed")
    endpoint = WebhookEndpoint.objects.get()
    assert first.json()["secret"] == endpoint.secret

    again = post(manager_key, ENDPOINTS, body, key="register-crm")
    assert again.status_code == CREATED and again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert again.json() == {**first.json(), "secret": None}
    assert WebhookEndpoint.objects.count() == 1
    (record,) = IdempotencyRecord.objects.all()
    assert endpoint.secret not in str(record.body) and record.body["secret"] is None

    other = post(manager_key, ENDPOINTS, {**body, "description": "x"}, key="register-crm")
    assert_problem(other, HTTPStatus.UNPROCESSABLE_ENTITY)


def test_rotation_shows_the_new_secret_once_and_the_old_one_still_signs(api_world, hook):
    client = api_world.clients["manager"]
    old = hook.secret
    response = post(client, detail(hook, "rotate-secret/"), key="rotate-1")
    assert response.status_code == OK
    hook.refresh_from_db()
    body = response.json()
    assert body["secret"] == hook.secret != old
    assert body["previous_secret_until"] is not None and hook.previous_secret == old
    assert hook.secret not in client.get(detail(hook)).content.decode()
    assert hook.secret not in str(IdempotencyRecord.objects.get().body)
    replayed = post(client, detail(hook, "rotate-secret/"), key="rotate-1")
    assert replayed.json()["secret"] is None
    hook.refresh_from_db()
    assert hook.previous_secret == old  # the replay rotated nothing


# ---------------------------------------------------------------------------------------------
# State conflicts


def test_disable_and_enable_conflict_with_the_current_state(api_world, hook):
    client = api_world.clients["manager"]
    assert_problem(post(client, detail(hook, "enable/")), CONFLICT)
    assert post(client, detail(hook, "disable/")).json()["active"] is False
    assert_problem(post(client, detail(hook, "disable/")), CONFLICT)
    assert_problem(post(client, detail(hook, "test/")), CONFLICT)
    delivery = hook.deliveries.get()
    assert_problem(post(client, f"{DELIVERIES}{delivery.pk}/replay/"), CONFLICT)
    body = post(client, detail(hook, "enable/")).json()
    assert (body["active"], body["disabled_reason"], body["disabled_at"]) == (True, "", None)


def test_enabling_an_endpoint_whose_url_now_points_inside_is_a_field_error(api_world, hook, dns):
    webhook_services.endpoint_disable(endpoint=hook, actor=api_world.manager)
    dns["crm.example.org"] = ["192.168.1.10"]
    response = post(api_world.clients["manager"], detail(hook, "enable/"))
    assert_problem(response, BAD, field="url")
    hook.refresh_from_db()
    assert not hook.active


def test_deleting_removes_the_endpoint_and_its_log(api_world, hook):
    client = api_world.clients["manager"]
    delivery = hook.deliveries.get()
    assert client.delete(detail(hook)).status_code == NO_CONTENT
    assert not WebhookEndpoint.objects.exists() and not WebhookDelivery.objects.exists()
    assert_problem(client.get(f"{DELIVERIES}{delivery.pk}/"), NOT_FOUND)
    assert_problem(client.delete(detail(hook)), NOT_FOUND)


def test_there_is_no_patch_or_put(api_world, hook):
    client = api_world.clients["manager"]
    assert_problem(client.patch(detail(hook), {"description": "x"}, format="json"), 405)
    assert_problem(client.put(detail(hook), {"description": "x"}, format="json"), 405)


# ---------------------------------------------------------------------------------------------
# End to end: a back office registers through the API and receives signed events


@pytest.fixture
def receiver(settings):
    settings.DEBUG = True  # plain http to localhost, for the test receiver
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def test_an_endpoint_registered_through_the_api_receives_signed_events(
    api_world, manager_key, receiver, queue, django_capture_on_commit_callbacks
):
    w = api_world
    response = post(
        manager_key,
        ENDPOINTS,
        {"fund": w.fund.slug, "url": receiver.url, "event_types": ["comment.created"]},
    )
    assert response.status_code == CREATED, response.content
    secret, endpoint_id = response.json()["secret"], response.json()["id"]

    # A real event: a comment on the application's step.
    delivery = one_delivery(w, django_capture_on_commit_callbacks)
    assert delivery.endpoint_id == endpoint_id
    assert [r.args for r in queue.results] == [[delivery.pk]]
    assert send(delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    (request,) = receiver.received
    message = Webhook(secret).verify(request["body"], request["headers"])
    assert message["type"] == "comment.created"
    assert message["data"]["application_id"] == w.application.pk
    assert request["headers"]["webhook-id"] == delivery.webhook_id

    # The log shows it, as the back office reads it.
    row = manager_key.get(DELIVERIES, {"endpoint": endpoint_id}).json()["results"][0]
    assert row["webhook_id"] == delivery.webhook_id
    assert (row["state"], row["attempts"], row["response_code"]) == ("succeeded", 1, 200)
    assert row["next_attempt_at"] is None
    assert row["attempt_log"][0]["outcome"] == "success"

    # Replay: the same webhook-id, signed again.
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        replayed = post(manager_key, f"{DELIVERIES}{delivery.pk}/replay/", key="replay-1")
    assert replayed.status_code == ACCEPTED, replayed.content
    assert replayed.json()["state"] == "pending" and replayed.json()["next_attempt_at"]
    assert [r.args for r in queue.results] == [[delivery.pk]]
    assert send(delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    first, second = receiver.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    Webhook(secret).verify(second["body"], second["headers"])
    assert delivery.attempts == 2

    # A test event goes to this endpoint only, and verifies too.
    with django_capture_on_commit_callbacks(execute=True):
        tested = post(manager_key, f"{ENDPOINTS}{endpoint_id}/test/")
    assert tested.status_code == ACCEPTED
    test_delivery = WebhookDelivery.objects.get(pk=tested.json()["id"])
    assert tested.json()["event_type"] == "webhook.test"
    assert send(test_delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    message = Webhook(secret).verify(
        receiver.received[-1]["body"], receiver.received[-1]["headers"]
    )
    assert message["type"] == "webhook.test" and message["data"]["endpoint_id"] == endpoint_id
