"""Webhooks against a receiver that stalls, fails, and a worker that dies mid-delivery.

The receiver is an ``http.server`` on 127.0.0.1 (DEBUG on, so the SSRF check lets plain http to
localhost through, as in tests/integrations). The real queue runs: events fan out on commit
into django-tasks' database backend, and ``db_worker --queue-name webhooks`` sends them. Time is
never slept away: the tests move the delivery's next attempt and lease into the past instead.

What must hold: an event is delivered in the end, signed so the reference package verifies it,
every copy with the same ``webhook-id`` (a receiver drops duplicates), and never lost.
"""

import datetime
import io
import os
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from standardwebhooks import Webhook

from applications import services
from integrations.models import WebhookAttempt, WebhookDelivery
from integrations.webhooks import delivery as webhook_delivery
from integrations.webhooks import services as webhook_services
from integrations.webhooks import transport

pytestmark = pytest.mark.django_db(transaction=True)

State = WebhookDelivery.State
Outcome = WebhookAttempt.Outcome
MANAGE_PY = Path(django_settings.BASE_DIR) / "manage.py"


class Receiver:
    """Answers POSTs from a script of (status, delay, hold) and keeps every request it got.

    ``hold`` keeps the request open until ``release`` is set: the sender is still waiting.
    """

    def __init__(self):
        self.received: list[dict] = []
        self.script: list[tuple[int, float, bool]] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.received.append(
                    {
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": self.rfile.read(length).decode(),
                    }
                )
                status, delay, hold = receiver.script.pop(0) if receiver.script else (200, 0, False)
                if hold:
                    receiver.release.wait(timeout=60)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:  # the sender gave up, or died
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/hooks"

    def answer(self, status: int, *, delay: float = 0, hold: bool = False) -> None:
        self.script.append((status, delay, hold))


@pytest.fixture
def receiver():
    receiver = Receiver()
    receiver.thread.start()
    yield receiver
    receiver.release.set()
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def hook(world, receiver, settings):
    settings.DEBUG = True  # plain http to localhost, for the test receiver
    endpoint, secret = webhook_services.endpoint_create(
        fund=world.fund, actor=world.manager, url=receiver.url
    )
    return endpoint, secret


def comment_event(world) -> WebhookDelivery:
    """A comment commits; its event fans out on commit into one queued delivery."""
    services.comment_create(
        step=world.application.current_step, actor=world.officer, body="Who keeps the keys?"
    )
    return WebhookDelivery.objects.get(event__type="comment.created")


def run_worker() -> None:
    """``manage.py db_worker --queue-name webhooks --batch``: every task that is due, then exit."""
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


def let_time_pass(delivery, **duration) -> None:
    """As if ``duration`` went by: the next attempt and any lease move that far into the past."""
    delta = datetime.timedelta(**duration)
    WebhookDelivery.objects.filter(pk=delivery.pk, next_attempt_at__isnull=False).update(
        next_attempt_at=F("next_attempt_at") - delta
    )
    WebhookDelivery.objects.filter(pk=delivery.pk, locked_until__isnull=False).update(
        locked_until=F("locked_until") - delta
    )


def sweep_and_work() -> None:
    """What runs after a restart: the cron's sweep, then the worker."""
    call_command("deliver_webhooks", "--sweep", stdout=io.StringIO())
    run_worker()


def kill_worker_when_received(receiver, log: Path) -> int:
    """Start ``manage.py db_worker`` on the test database; SIGKILL it once the receiver has the
    POST (and is still holding it open). Returns the worker's exit code."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        ),
        "DEBUG": "1",  # plain http to localhost, as in the test process
    }
    command = [sys.executable, str(MANAGE_PY), "db_worker", "--queue-name", "webhooks"]
    command += ["--batch", "--no-reload", "--no-startup-delay"]
    with log.open("w") as stderr:
        worker = subprocess.Popen(
            command, cwd=MANAGE_PY.parent, env=env, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            deadline = time.monotonic() + 60
            while not receiver.received and worker.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            assert receiver.received, log.read_text()
            worker.send_signal(signal.SIGKILL)
        finally:
            if worker.poll() is None:
                worker.kill()
            worker.wait(timeout=30)
    return worker.returncode


def assert_same_message_every_time(receiver, delivery, secret) -> None:
    """Every copy carries the delivery's webhook-id and the same body, and verifies."""
    assert receiver.received, "the event was lost"
    assert {r["headers"]["webhook-id"] for r in receiver.received} == {delivery.webhook_id}
    assert len({r["body"] for r in receiver.received}) == 1
    for request in receiver.received:
        message = Webhook(secret).verify(request["body"], request["headers"])
        assert message["type"] == "comment.created"


def test_a_receiver_that_stalls_then_fails_then_answers_gets_the_event_once_delivered(
    world, hook, receiver, settings, require_postgres
):
    _endpoint, secret = hook
    settings.WEBHOOK_TIMEOUT = 1  # short, but roomy enough for the prompt answers on a busy machine
    receiver.answer(200, delay=3)  # answers too late: a timeout
    receiver.answer(500)
    receiver.answer(200)
    delivery = comment_event(world)

    states = []
    for _round in range(5):
        run_worker()
        delivery.refresh_from_db()
        states.append(delivery.state)
        if delivery.state == State.SUCCEEDED:
            break
        assert delivery.state == State.FAILED and delivery.next_attempt_at > timezone.now()
        let_time_pass(delivery, hours=1)
        # The retry task waits for its run_after; after a restart the sweep queues it anew.
        call_command("deliver_webhooks", "--sweep", stdout=io.StringIO())

    assert states == [State.FAILED, State.FAILED, State.SUCCEEDED]
    outcomes = list(delivery.attempt_log.order_by("attempted_at").values_list("outcome", flat=True))
    assert outcomes == [Outcome.TIMEOUT, Outcome.HTTP_ERROR, Outcome.SUCCESS]
    assert (delivery.attempts, delivery.failures, delivery.last_status_code) == (3, 2, 200)
    assert len(receiver.received) == 3
    assert_same_message_every_time(receiver, delivery, secret)


def test_a_worker_that_dies_after_sending_leaves_the_delivery_to_be_sent_again(
    world, hook, receiver, monkeypatch, require_postgres
):
    """In-process: the worker 'dies' (SystemExit) after the receiver got the POST, before the
    delivery is marked. Its lease keeps others off until it runs out; then it is sent again."""
    _endpoint, secret = hook
    delivery = comment_event(world)
    post = transport.post

    def post_then_die(*args, **kwargs):
        post(*args, **kwargs)
        raise SystemExit("killed mid-delivery")

    monkeypatch.setattr(transport, "post", post_then_die)
    with pytest.raises(SystemExit):
        webhook_delivery.attempt(delivery.pk)
    monkeypatch.undo()

    delivery.refresh_from_db()
    assert len(receiver.received) == 1
    assert (delivery.state, delivery.attempts) == (State.PENDING, 0)
    assert delivery.locked_until > timezone.now()
    # While the lease runs, nobody sends it again (the dead worker might still be alive).
    sweep_and_work()
    assert webhook_delivery.run_due() == {}
    assert len(receiver.received) == 1

    let_time_pass(delivery, minutes=10)
    sweep_and_work()
    delivery.refresh_from_db()
    assert delivery.state == State.SUCCEEDED
    assert len(receiver.received) == 2  # once lost in the crash, once delivered
    assert_same_message_every_time(receiver, delivery, secret)


def test_a_worker_process_killed_mid_delivery_is_made_good_after_a_restart(
    world, hook, receiver, tmp_path, require_postgres
):
    """A real ``db_worker`` process, killed with SIGKILL while the receiver has its POST."""
    _endpoint, secret = hook
    receiver.answer(200, hold=True)
    delivery = comment_event(world)
    returncode = kill_worker_when_received(receiver, tmp_path / "worker.log")
    assert returncode == -signal.SIGKILL
    receiver.release.set()

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (State.PENDING, 0)
    # The queue alone would lose it: its task stays "running" for a worker that is gone.
    assert DBTaskResult.objects.running().count() == 1

    let_time_pass(delivery, minutes=10)  # the dead worker's lease runs out
    sweep_and_work()
    delivery.refresh_from_db()
    assert delivery.state == State.SUCCEEDED and delivery.attempts == 1
    assert len(receiver.received) == 2
    assert_same_message_every_time(receiver, delivery, secret)
