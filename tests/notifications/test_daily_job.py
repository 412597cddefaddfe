"""The daily job: cron's ``manage.py send_reminders`` runs it; on the mail worker each run queues
the next one at half past seven in Amsterdam, and there is only ever one waiting."""

import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from notifications.models import Notification
from notifications.tasks import daily_mail, next_run_after

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: Monday 2 March 2026: the ``world`` application is started then and left alone.
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=AMSTERDAM)
#: Thirty days later, at the job's hour: the draft's coordinators are asked about it.
THIRTY_DAYS_LATER = datetime.datetime(2026, 4, 1, 7, 30, tzinfo=AMSTERDAM)


@pytest.fixture
def frozen(db, request):
    with time_machine.travel(START, tick=False):
        return request.getfixturevalue("world")


@pytest.fixture
def mail_worker(settings):
    """The "mail" tasks go to the database queue, as in production (tests send them at once)."""
    settings.TASKS = {
        **settings.TASKS,
        "mail": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["mail"]},
    }


def waiting():
    return DBTaskResult.objects.filter(
        task_path=daily_mail.module_path, status=TaskResultStatus.READY
    )


def idle_reminders():
    return Notification.objects.filter(kind="reminder.draft_idle")


def test_send_reminders_from_cron_sends_what_is_due_once(
    frozen, django_capture_on_commit_callbacks
):
    out = StringIO()
    with (
        time_machine.travel(THIRTY_DAYS_LATER, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("send_reminders", stdout=out)
        sent = len(mail.outbox)
        call_command("send_reminders", stdout=out)

    [reminder] = idle_reminders()
    assert reminder.email == frozen.coordinator.email
    assert reminder.mail == Notification.Mail.SENT
    assert [m.to for m in mail.outbox if m.subject == reminder.subject] == [
        [frozen.coordinator.email]
    ]
    assert len(mail.outbox) == sent  # the second run sent nothing
    first, second = out.getvalue().splitlines()
    assert first.startswith("Reminders written: 1;")
    assert second.startswith("Reminders written: 0;")


def test_schedule_queues_one_daily_run_at_half_past_seven_in_amsterdam(mail_worker):
    out = StringIO()
    # The evening before the clocks go forward: 07:30 the next morning is summer time.
    with time_machine.travel(datetime.datetime(2026, 3, 28, 22, 0, tzinfo=AMSTERDAM), tick=False):
        call_command("send_reminders", "--schedule", stdout=out)
        call_command("send_reminders", "--schedule", stdout=out)

    [run] = waiting()
    assert run.run_after == datetime.datetime(2026, 3, 29, 7, 30, tzinfo=AMSTERDAM)
    assert run.run_after == datetime.datetime(2026, 3, 29, 5, 30, tzinfo=datetime.UTC)
    assert run.queue_name == "mail" and run.backend_name == "mail"
    scheduled, again = out.getvalue().splitlines()
    assert scheduled.startswith("Daily run scheduled for 2026-03-29T07:30:00+02:00")
    assert again == "Already scheduled."


def test_a_daily_run_sends_the_reminders_and_queues_the_next_morning(frozen, mail_worker):
    with time_machine.travel(THIRTY_DAYS_LATER, tick=False):
        result = daily_mail.call()

    assert result["reminders"]["applications.idle_drafts"] == 1
    assert idle_reminders().get().mail == Notification.Mail.SENT  # the sweep in the run sent it
    [run] = waiting()
    assert run.run_after == datetime.datetime(2026, 4, 2, 7, 30, tzinfo=AMSTERDAM)


def test_a_run_before_half_past_seven_queues_the_same_morning():
    early = datetime.datetime(2026, 4, 1, 6, 0, tzinfo=AMSTERDAM)
    assert next_run_after(early) == datetime.datetime(2026, 4, 1, 7, 30, tzinfo=AMSTERDAM)
    assert next_run_after(early.replace(hour=7, minute=30)) == datetime.datetime(
        2026, 4, 2, 7, 30, tzinfo=AMSTERDAM
    )
