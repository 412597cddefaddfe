"""The database connection dies in the middle of a transition: nothing is half-written.

An officer's accept_step request runs in its own thread with its own connection. A patched point
inside the service (after the row lock, the state change, the log entry and the outbox event,
before the commit) tells the test its backend pid and waits; the test terminates that backend
with ``pg_terminate_backend`` and lets the request go on. It must fail as a server error
without any of its writes, and the same request on a fresh connection must then succeed once.
"""

import sys
import threading

import pytest
from django.core.signals import got_request_exception
from django.db import OperationalError, connection
from django_fsm_log.models import StateLog

from applications.models import Application
from applications.services import base as transition_base
from core.models import Event
from tests.api.conftest import token_client
from tests.applications.helpers import snapshot, submit_current_step

pytestmark = pytest.mark.django_db(transaction=True)

DOOMED = "doomed-request"
ACCEPT = {"name": "accept_step", "step": "idea"}


def transition_events(application) -> int:
    return Event.objects.filter(
        type="application.transitioned", payload__application_id=application.pk
    ).count()


def post_in_thread(client, path, data, *, headers, name) -> object:
    """POST from a new thread (its own connection, closed at the end); the response or error."""
    outcome = []

    def send():
        try:
            outcome.append(client.post(path, data, format="json", headers=headers))
        except Exception as error:  # noqa: BLE001 - the caller asserts on it
            outcome.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=send, name=name)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("idempotency_key", [None, "accept-idea-1"])
def test_a_transition_whose_connection_dies_before_commit_leaves_nothing_and_can_be_retried(
    world, monkeypatch, idempotency_key, require_postgres
):
    submit_current_step(world)
    application = world.application
    before, events_before = snapshot(application), transition_events(application)
    client = token_client(world.officer)
    client.raise_request_exception = False  # we want the response a caller would get
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    path = f"/api/v1/applications/{application.pk}/transitions/"

    paused, resume, pids = threading.Event(), threading.Event(), []
    record_transition = transition_base.record_transition

    def record_then_wait(instance, transition_name):
        event = record_transition(instance, transition_name)
        if threading.current_thread().name == DOOMED:
            pids.append(connection.connection.info.backend_pid)
            paused.set()
            assert resume.wait(timeout=20)
        return event

    monkeypatch.setattr(transition_base, "record_transition", record_then_wait)
    errors = []

    def remember_error(sender, **kwargs):
        errors.append(sys.exc_info()[1])

    got_request_exception.connect(remember_error, weak=False)

    thread, outcome = post_in_thread(client, path, ACCEPT, headers=headers, name=DOOMED)
    try:
        assert paused.wait(timeout=20), "the request never reached the point before its commit"
        with connection.cursor() as cursor:
            # The second argument waits (ms) until the backend has really gone.
            cursor.execute("SELECT pg_terminate_backend(%s, 10000)", [pids[0]])
            assert cursor.fetchone() == (True,)
    finally:
        resume.set()
        thread.join(timeout=30)
        got_request_exception.disconnect(remember_error)
    assert not thread.is_alive()

    (response,) = outcome
    # A dropped database is a server error for the caller, not a success and not a hang.
    assert not isinstance(response, Exception), response
    assert response.status_code == 500, response.content
    (error,) = errors
    assert isinstance(error, OperationalError), repr(error)  # the lost connection, nothing else
    # Nothing of the transition survived: state, steps, log and outbox are as before.
    assert snapshot(application) == before
    assert transition_events(application) == events_before
    assert Application.objects.get(pk=application.pk).state == Application.State.STEP_SUBMITTED

    # The same request again, on a fresh connection, succeeds and is logged exactly once.
    thread, outcome = post_in_thread(client, path, ACCEPT, headers=headers, name="retry")
    thread.join(timeout=30)
    (retried,) = outcome
    assert retried.status_code == 200, retried.content
    assert retried.json()["state"] == Application.State.DRAFTING
    accepted = StateLog.objects.for_(application).filter(transition="accept_step")
    assert accepted.count() == 1
    assert transition_events(application) == events_before + 1
    if idempotency_key:
        # A third send with the same key replays the success and changes nothing.
        again = client.post(path, ACCEPT, format="json", headers=headers)
        assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
        assert accepted.count() == 1
