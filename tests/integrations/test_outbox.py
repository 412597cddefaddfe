"""The outbox: events commit or roll back with the change; deliveries follow only a commit.

Fan-out runs on commit and queues one task per delivery; the sweep fans out and queues whatever
a crash between the commit and the queue left behind.
"""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend

from applications import services
from core.events import record_event
from core.models import Event
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import fanout, tasks
from integrations.webhooks.fanout import fan_out, sweep
from tests.applications.helpers import fill_current_step
from tests.funds.factories import FundFactory

pytestmark = pytest.mark.django_db

DUMMY = {
    "default": {
        "BACKEND": "django_tasks.backends.dummy.DummyBackend",
        "QUEUES": ["default", "webhooks"],
    }
}


@pytest.fixture
def queue(settings):
    settings.TASKS = DUMMY
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def queued_ids(queue) -> list[int]:
    return [result.args[0] for result in queue.results if result.task.name == "deliver_webhook"]


def endpoint(fund, url="https://hooks.example.org/in", **fields) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(fund=fund, url=url, **fields)


def comment(world, body="Please add the costs of the soil."):
    fill_current_step(world.application, world.coordinator)
    return services.comment_create(
        step=world.application.current_step, actor=world.officer, body=body
    )


def test_the_event_is_written_inside_the_callers_transaction_and_sent_after_it(
    world, queue, django_capture_on_commit_callbacks
):
    hook = endpoint(world.fund)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        made = comment(world)
        # Inside the transaction: the event is there, nothing is sent or even queued yet.
        event = Event.objects.get(type="comment.created")
        assert event.payload["comment_id"] == made.pk
        assert not WebhookDelivery.objects.exists()
        assert queued_ids(queue) == []
    delivery = WebhookDelivery.objects.get(event=event)
    assert delivery.endpoint == hook
    assert delivery.state == WebhookDelivery.State.PENDING
    assert queued_ids(queue) == [delivery.pk]
    event.refresh_from_db()
    assert event.fanned_out_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_event_and_sends_nothing(world, queue):
    endpoint(world.fund)
    fill_current_step(world.application, world.coordinator)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.comment_create(
            step=world.application.current_step, actor=world.officer, body="Soon undone"
        )
        assert Event.objects.filter(type="comment.created").exists()
        raise RuntimeError("the request failed after the service call")
    assert not Event.objects.filter(type="comment.created").exists()
    assert not WebhookDelivery.objects.exists()
    assert queued_ids(queue) == []


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_fans_out_on_commit_by_itself(world, queue):
    hook = endpoint(world.fund)
    made = comment(world)  # real commits: the on-commit hook runs for real
    delivery = WebhookDelivery.objects.get(event__type="comment.created")
    assert delivery.endpoint == hook
    assert delivery.event.payload["comment_id"] == made.pk
    assert delivery.pk in queued_ids(queue)


def test_fan_out_goes_to_active_endpoints_of_the_fund_that_want_the_type(
    world, queue, django_capture_on_commit_callbacks
):
    everything = endpoint(world.fund, "https://a.example.org/")
    comments_only = endpoint(world.fund, "https://b.example.org/", event_types=["comment.created"])
    endpoint(world.fund, "https://c.example.org/", event_types=["tranche.due"])
    endpoint(world.fund, "https://d.example.org/", active=False, disabled_reason="manual")
    endpoint(FundFactory(), "https://other-fund.example.org/")
    with django_capture_on_commit_callbacks(execute=True):
        comment(world)
    event = Event.objects.get(type="comment.created")
    assert {d.endpoint for d in event.deliveries.all()} == {everything, comments_only}
    ids = {d.webhook_id for d in event.deliveries.all()}
    assert ids == {f"msg_{event.pk.hex}_{everything.pk}", f"msg_{event.pk.hex}_{comments_only.pk}"}


def test_fan_out_twice_creates_each_delivery_once(world, queue):
    endpoint(world.fund)
    event = Event.objects.get(type="application.created")
    assert len(fan_out(event.pk)) == 1
    assert fan_out(event.pk) == []
    assert event.deliveries.count() == 1


def test_the_sweep_fans_out_events_a_crash_left_behind(
    world, queue, django_capture_on_commit_callbacks
):
    hook = endpoint(world.fund)
    old = timezone.now() - datetime.timedelta(minutes=10)
    stranded = Event.objects.create(
        fund_id=world.fund.pk, type="comment.created", payload={}, created_at=old
    )
    young = Event.objects.create(fund_id=world.fund.pk, type="comment.created", payload={})
    Event.objects.filter(type="application.created").update(created_at=old)

    with django_capture_on_commit_callbacks(execute=True):
        counts = sweep()

    assert counts["events"] == 2  # the stranded comment and the world's application.created
    assert stranded.deliveries.get().endpoint == hook
    assert not young.deliveries.exists()  # its own on-commit fan-out is still on its way
    assert set(queued_ids(queue)) == set(WebhookDelivery.objects.values_list("pk", flat=True))


def test_the_sweep_queues_overdue_deliveries_but_not_taken_or_future_ones(world, queue):
    hook = endpoint(world.fund)
    event = Event.objects.get(type="application.created")
    fan_out(event.pk)
    delivery = event.deliveries.get()
    long_ago = timezone.now() - datetime.timedelta(minutes=30)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=long_ago)
    queue.clear()

    assert sweep()["deliveries"] == 1
    assert queued_ids(queue) == [delivery.pk]

    queue.clear()
    in_a_minute = timezone.now() + datetime.timedelta(minutes=1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(locked_until=in_a_minute)
    assert sweep()["deliveries"] == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        locked_until=None, next_attempt_at=in_a_minute
    )
    assert sweep()["deliveries"] == 0
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=long_ago, state=WebhookDelivery.State.SUCCEEDED
    )
    assert sweep()["deliveries"] == 0
    assert hook.deliveries.count() == 1


def test_the_sweep_command(world, queue):
    endpoint(world.fund)
    Event.objects.update(created_at=timezone.now() - datetime.timedelta(hours=1))
    out = StringIO()
    call_command("deliver_webhooks", "--sweep", stdout=out)
    assert "Fanned out 1 events" in out.getvalue()
    assert WebhookDelivery.objects.count() == 1


def test_the_command_needs_an_option():
    with pytest.raises(CommandError):
        call_command("deliver_webhooks")


def test_prune_deletes_only_old_settled_events(world, queue):
    endpoint(world.fund)
    event = Event.objects.get(type="application.created")
    fan_out(event.pk)
    long_ago = timezone.now() - datetime.timedelta(days=120)
    Event.objects.update(created_at=long_ago)
    call_command("deliver_webhooks", "--prune", "90", stdout=StringIO())
    assert Event.objects.filter(pk=event.pk).exists()  # its delivery is still open

    event.deliveries.update(state=WebhookDelivery.State.SUCCEEDED)
    call_command("deliver_webhooks", "--prune", "90", stdout=StringIO())
    assert not Event.objects.filter(pk=event.pk).exists()


def test_a_retry_is_queued_with_run_after(world, queue):
    later = timezone.now() + datetime.timedelta(minutes=5)
    tasks.enqueue_delivery(42, at=later)
    (result,) = queue.results
    assert result.task.run_after == later
    assert result.task.queue_name == "webhooks"


def test_a_backend_that_cannot_defer_leaves_retries_to_the_sweep(settings):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "webhooks"],
        }
    }
    later = timezone.now() + datetime.timedelta(minutes=5)
    tasks.enqueue_delivery(42, at=later)  # would raise if it tried run_after


def test_record_event_fans_out_only_once_the_transaction_commits(
    world, queue, django_capture_on_commit_callbacks
):
    hook = endpoint(world.fund)
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        event = record_event("comment.created", fund=world.fund, payload={"comment_id": 1})
    # Committed, not yet fanned out: the fan-out waits in an on-commit callback.
    assert [callback.__name__ for callback in callbacks] == ["fan_out_after_commit"]
    assert not WebhookDelivery.objects.exists()
    callbacks[0]()
    assert WebhookDelivery.objects.get(event=event).endpoint == hook


def test_a_fan_out_that_fails_after_the_commit_is_logged_and_left_to_the_sweep(
    world, queue, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    endpoint(world.fund)

    def broken(event_id):
        raise RuntimeError("database went away")

    monkeypatch.setattr(fanout, "fan_out", broken)
    with django_capture_on_commit_callbacks(execute=True):
        event = record_event("comment.created", fund=world.fund, payload={})
    assert "fan_out_after_commit" in caplog.text  # a named callback: robust on_commit logs it
    event.refresh_from_db()
    assert event.fanned_out_at is None  # the sweep will find it


def test_deleting_a_fund_deletes_its_events(world, queue):
    fund = FundFactory()
    event = record_event("webhook.test", fund=fund, payload={})
    fund.delete()
    assert not Event.objects.filter(pk=event.pk).exists()
    assert Event.objects.filter(fund_id=world.fund.pk).exists()  # other funds' events stay
