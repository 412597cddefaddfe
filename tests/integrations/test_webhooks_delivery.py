"""Delivery to a real HTTP receiver, verified with the standardwebhooks reference package.

The receiver is an ``http.server`` on 127.0.0.1 in a thread; plain http to localhost is allowed
only in DEBUG, so these tests turn DEBUG on. Tasks go to django-tasks' DummyBackend and the
delivery function runs directly, as the worker would run it.
"""

import datetime
import email.utils
import signal
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import default_task_backend
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from applications import services
from core.events import record_event
from integrations.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from integrations.models.webhooks import new_webhook_secret
from integrations.webhooks import delivery as webhook_delivery
from integrations.webhooks import services as webhook_services
from integrations.webhooks import ssrf, transport
from integrations.webhooks.delivery import attempt, retry_delay
from integrations.webhooks.tasks import deliver_webhook
from tests.applications.helpers import fill_current_step

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State


class Receiver:
    """Answers POSTs from a script of (status, headers, delay) and keeps what it received."""

    def __init__(self):
        self.received: list[dict] = []
        self.script: list[tuple[int, dict, float]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append(
                    {
                        "path": self.path,
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length).decode(),
                    }
                )
                status, headers, delay = receiver.script.pop(0) if receiver.script else (200, {}, 0)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:  # the sender gave up waiting
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks/eigenwijs"

    def answer(self, status: int, headers: dict | None = None, delay: float = 0) -> None:
        self.script.append((status, headers or {}, delay))


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
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
def debug(settings):
    settings.DEBUG = True  # plain http to localhost, for the test receiver


@pytest.fixture
def hook(world, receiver, debug):
    """An endpoint registered by the manager through the service, and its secret."""
    endpoint, secret = webhook_services.endpoint_create(
        fund=world.fund, actor=world.manager, url=receiver.url
    )
    return endpoint, secret


def one_delivery(world, django_capture_on_commit_callbacks) -> WebhookDelivery:
    with django_capture_on_commit_callbacks(execute=True):
        fill_current_step(world.application, world.coordinator)
        services.comment_create(
            step=world.application.current_step, actor=world.officer, body="Looks good"
        )
    return WebhookDelivery.objects.get(event__type="comment.created")


def make_due(delivery: WebhookDelivery) -> None:
    """Let the retry's time come (the tests do not wait minutes)."""
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def send(delivery, django_capture_on_commit_callbacks) -> str | None:
    with django_capture_on_commit_callbacks(execute=True):
        state = attempt(delivery.pk)
    delivery.refresh_from_db()
    return state


def test_the_signature_verifies_with_the_reference_package(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    endpoint, secret = hook
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    # The queued task is the one the worker runs.
    (task_result,) = [r for r in queue.results if r.task.name == "deliver_webhook"]
    assert task_result.args == [delivery.pk]
    assert deliver_webhook.call(delivery.pk) == State.SUCCEEDED

    (request,) = receiver.received
    assert request["path"] == "/hooks/eigenwijs"
    headers = request["headers"]
    assert headers["webhook-id"] == delivery.webhook_id
    assert headers["content-type"] == "application/json"
    message = Webhook(secret).verify(request["body"], headers)
    assert message["type"] == "comment.created"
    assert message["data"]["application_id"] == world.application.pk
    assert message["timestamp"] == message["data"]["occurred_at"]
    assert set(message) == {"type", "timestamp", "data"}
    # Another secret does not verify: the signature really depends on it.
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(request["body"], headers)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code) == (
        State.SUCCEEDED,
        1,
        200,
    )


def test_a_failing_receiver_is_retried_with_the_same_webhook_id(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    _endpoint, secret = hook
    receiver.answer(500)
    receiver.answer(200)
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    queue.clear()

    assert send(delivery, django_capture_on_commit_callbacks) == State.FAILED
    assert delivery.attempts == 1 and delivery.last_status_code == 500
    assert delivery.next_attempt_at > timezone.now()
    # The retry is a new task that the worker runs no earlier than the next attempt.
    (retry,) = queue.results
    assert retry.args == [delivery.pk] and retry.task.run_after == delivery.next_attempt_at
    assert attempt(delivery.pk) is None  # not due yet: nothing is sent
    assert len(receiver.received) == 1

    make_due(delivery)
    assert send(delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    assert delivery.attempts == 2
    first, second = receiver.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"] == delivery.webhook_id
    assert first["body"] == second["body"]
    Webhook(secret).verify(second["body"], second["headers"])
    outcomes = list(
        delivery.attempt_log.order_by("attempted_at").values_list("outcome", "status_code")
    )
    assert outcomes == [("http_error", 500), ("success", 200)]


def test_retry_after_in_seconds_is_honoured_when_longer(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    receiver.answer(503, {"Retry-After": "3600"})
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    send(delivery, django_capture_on_commit_callbacks)
    wait = (delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()
    assert 3590 <= wait <= 3610


def test_retry_after_as_an_http_date_is_honoured(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    in_two_hours = timezone.now() + datetime.timedelta(hours=2)
    receiver.answer(429, {"Retry-After": email.utils.format_datetime(in_two_hours, usegmt=True)})
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    send(delivery, django_capture_on_commit_callbacks)
    assert abs((delivery.next_attempt_at - in_two_hours).total_seconds()) < 10


def test_a_shorter_retry_after_does_not_shorten_the_backoff(settings):
    settings.WEBHOOK_RETRY_BASE = 30
    assert retry_delay(1, retry_after=1) >= 30


def test_backoff_grows_exponentially_with_full_jitter_and_a_cap(settings):
    settings.WEBHOOK_RETRY_BASE = 30
    settings.WEBHOOK_RETRY_MAX_DELAY = 6 * 3600
    for failures in range(1, 20):
        ceiling = min(30 * 2 ** (failures - 1), 6 * 3600)
        delays = [retry_delay(failures) for _ in range(50)]
        assert all(30 <= d <= max(ceiling, 30) for d in delays)
    assert len({round(retry_delay(10)) for _ in range(20)}) > 1  # jitter: not all the same


def test_retries_last_at_least_a_day_then_the_delivery_is_given_up(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    assert (delivery.retry_until - delivery.created_at) >= datetime.timedelta(hours=24)
    receiver.answer(500)
    receiver.answer(500)
    assert send(delivery, django_capture_on_commit_callbacks) == State.FAILED
    # A day later the next failure is the last.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now(), retry_until=timezone.now()
    )
    queue.clear()
    assert send(delivery, django_capture_on_commit_callbacks) == State.DEAD
    assert delivery.next_attempt_at is None
    assert queue.results == []


def test_410_gone_disables_the_endpoint_and_stops_its_deliveries(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    endpoint, _secret = hook
    receiver.answer(410)
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        other = record_event("comment.created", fund=world.fund, payload={"comment_id": 0})
    waiting = other.deliveries.get()

    assert send(delivery, django_capture_on_commit_callbacks) == State.DEAD
    endpoint.refresh_from_db()
    assert not endpoint.active
    assert endpoint.disabled_reason == WebhookEndpoint.DisabledReason.GONE
    waiting.refresh_from_db()
    assert waiting.state == State.DEAD
    assert attempt(waiting.pk) is None
    # New events no longer go there.
    with django_capture_on_commit_callbacks(execute=True):
        later = record_event("comment.created", fund=world.fund, payload={"comment_id": 1})
    assert not later.deliveries.exists()
    assert len(receiver.received) == 1


def test_a_receiver_that_does_not_answer_in_time_is_retried(
    world, hook, receiver, queue, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_TIMEOUT = 0.3
    receiver.answer(200, delay=1.5)
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    assert send(delivery, django_capture_on_commit_callbacks) == State.FAILED
    assert delivery.last_status_code is None
    (logged,) = delivery.attempt_log.all()
    assert logged.outcome == WebhookAttempt.Outcome.TIMEOUT
    assert delivery.next_attempt_at > timezone.now()


def test_a_receiver_that_is_not_listening_is_retried(
    world, queue, debug, django_capture_on_commit_callbacks
):
    closed = Receiver()  # never started: nobody listens on its port
    url = closed.url
    closed.server.server_close()
    webhook_services.endpoint_create(fund=world.fund, actor=world.manager, url=url)
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    assert send(delivery, django_capture_on_commit_callbacks) == State.FAILED
    assert delivery.attempt_log.get().outcome == WebhookAttempt.Outcome.CONNECTION


def test_a_delivery_being_sent_is_not_sent_again_at_the_same_time(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    now = timezone.now()
    assert webhook_delivery.claim(delivery.pk, now) is True
    assert webhook_delivery.claim(delivery.pk, now) is False  # a second worker backs off
    assert attempt(delivery.pk) is None
    assert receiver.received == []
    # A worker that died lets go when its lease runs out.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=now - datetime.timedelta(seconds=1)
    )
    assert send(delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    assert attempt(delivery.pk) is None  # and a delivered one is never sent again
    assert len(receiver.received) == 1


def test_replay_sends_the_same_webhook_id_again(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    _endpoint, secret = hook
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    send(delivery, django_capture_on_commit_callbacks)
    queue.clear()
    with django_capture_on_commit_callbacks(execute=True):
        webhook_services.delivery_replay(delivery=delivery, actor=world.manager)
    assert [r.args for r in queue.results] == [[delivery.pk]]
    assert send(delivery, django_capture_on_commit_callbacks) == State.SUCCEEDED
    first, second = receiver.received
    assert first["headers"]["webhook-id"] == second["headers"]["webhook-id"]
    Webhook(secret).verify(second["body"], second["headers"])
    assert delivery.attempts == 2 and delivery.attempt_log.count() == 2


def test_after_rotation_both_secrets_verify_for_a_while(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    endpoint, old_secret = hook
    _endpoint, new_secret = webhook_services.endpoint_rotate_secret(
        endpoint=endpoint, actor=world.manager
    )
    assert new_secret != old_secret
    delivery = one_delivery(world, django_capture_on_commit_callbacks)
    send(delivery, django_capture_on_commit_callbacks)
    (request,) = receiver.received
    Webhook(new_secret).verify(request["body"], request["headers"])
    Webhook(old_secret).verify(request["body"], request["headers"])

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(previous_secret_until=timezone.now())
    webhook_services.delivery_replay(delivery=delivery, actor=world.manager)
    send(delivery, django_capture_on_commit_callbacks)
    replayed = receiver.received[-1]
    Webhook(new_secret).verify(replayed["body"], replayed["headers"])
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(replayed["body"], replayed["headers"])


def test_the_test_event_goes_to_one_endpoint(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    endpoint, secret = hook
    WebhookEndpoint.objects.create(fund=world.fund, url="https://elsewhere.example.org/")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = webhook_services.endpoint_send_test(endpoint=endpoint, actor=world.manager)
    assert delivery.event.deliveries.count() == 1
    send(delivery, django_capture_on_commit_callbacks)
    message = Webhook(secret).verify(receiver.received[0]["body"], receiver.received[0]["headers"])
    assert message["type"] == "webhook.test"
    assert message["data"]["endpoint_id"] == endpoint.pk


def test_deliver_now_command_sends_what_is_due(
    world, hook, receiver, queue, django_capture_on_commit_callbacks
):
    from io import StringIO

    one_delivery(world, django_capture_on_commit_callbacks)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deliver_webhooks", "--now", stdout=out)
    assert "succeeded: 1" in out.getvalue()
    assert len(receiver.received) == 1


def test_the_connection_goes_to_the_checked_address_not_a_new_dns_answer(receiver):
    """DNS rebinding: the name is never looked up again after the check."""
    target = ssrf.Target(
        scheme="http",
        host="rebinding.invalid",  # no resolver knows this name; only the checked address works
        port=receiver.server.server_port,
        path="/pinned",
        addresses=("127.0.0.1",),
    )
    response = transport.post(target, b"{}", {"content-type": "application/json"}, timeout=5)
    assert response.status == 200
    (request,) = receiver.received
    assert request["path"] == "/pinned"
    assert request["headers"]["host"] == f"rebinding.invalid:{receiver.server.server_port}"


@pytest.mark.django_db(transaction=True)
def test_the_database_worker_delivers_end_to_end(world, receiver, settings):
    """The real queue: on-commit fan-out, a task row, and `db_worker --queue-name webhooks`."""
    settings.DEBUG = True
    assert default_task_backend.supports_defer  # the database backend of the settings
    endpoint, secret = webhook_services.endpoint_create(
        fund=world.fund, actor=world.manager, url=receiver.url
    )
    fill_current_step(world.application, world.coordinator)
    services.comment_create(step=world.application.current_step, actor=world.officer, body="Hi")

    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            queue_name="webhooks",
            batch=True,
            reload=False,
            startup_delay=False,
            verbosity=0,
        )
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)

    (request,) = receiver.received
    assert Webhook(secret).verify(request["body"], request["headers"])["type"] == "comment.created"
    assert endpoint.deliveries.get().state == State.SUCCEEDED
