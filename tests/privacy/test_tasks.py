"""The nightly run on the task worker: each run queues the next, and there is only ever one chain."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from privacy.tasks import apply_retention_daily, next_run_after, schedule_next_run

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def waiting():
    return DBTaskResult.objects.filter(
        task_path=apply_retention_daily.module_path, status=TaskResultStatus.READY
    )


def test_the_next_run_is_the_next_half_past_three_in_amsterdam():
    evening = datetime.datetime(2026, 3, 28, 22, 0, tzinfo=AMSTERDAM)
    assert next_run_after(evening) == datetime.datetime(2026, 3, 29, 3, 30, tzinfo=AMSTERDAM)
    night = datetime.datetime(2026, 3, 29, 2, 0, tzinfo=datetime.UTC)  # 04:00 summer time
    assert next_run_after(night) == datetime.datetime(2026, 3, 30, 3, 30, tzinfo=AMSTERDAM)


def test_scheduling_twice_queues_one_run():
    now = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=AMSTERDAM)
    assert schedule_next_run(now=now) == datetime.datetime(2026, 6, 2, 3, 30, tzinfo=AMSTERDAM)
    assert schedule_next_run(now=now) is None
    assert waiting().get().run_after == datetime.datetime(2026, 6, 2, 3, 30, tzinfo=AMSTERDAM)


def test_a_run_applies_retention_and_queues_the_next_one():
    result = apply_retention_daily.call()
    assert set(result) == {
        "signature_evidence",
        "signatory_details",
        "unused_accounts",
        "closed_invitations",
        "old_messages",
    }
    assert waiting().count() == 1


def test_the_command_can_start_the_chain():
    out = StringIO()
    call_command("apply_retention", "--schedule", stdout=out)
    assert "every night" in out.getvalue()
    call_command("apply_retention", "--schedule", stdout=out)
    assert waiting().count() == 1


def test_a_backend_that_cannot_defer_gets_no_chain(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }
    assert schedule_next_run() is None
