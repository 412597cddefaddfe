"""A task that runs once a day: django-tasks has no schedule of its own, so each run enqueues the
next with ``run_after`` (the retention job, the morning's reminders and daily e-mails).

Start a chain once (``manage.py apply_retention --schedule``, ``send_reminders --schedule``);
while a run waits in the database queue, asking again adds nothing. Where no worker runs, cron
calls the job's command instead: every daily job is idempotent, so both may run.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def next_run_after(now: datetime.datetime, at: datetime.time) -> datetime.datetime:
    """The next ``at`` (Amsterdam time) that is later than ``now``."""
    local = timezone.localtime(now, AMSTERDAM)
    candidate = datetime.datetime.combine(local.date(), at, tzinfo=AMSTERDAM)
    if candidate <= local:
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), at, tzinfo=AMSTERDAM
        )
    return candidate


def _already_waiting(task, backend) -> bool:
    return isinstance(backend, DatabaseBackend) and (
        DBTaskResult.objects.filter(
            task_path=task.module_path,
            status=TaskResultStatus.READY,
            backend_name=backend.alias,
        ).exists()
    )


def schedule_next_run(
    task, at: datetime.time, *, now: datetime.datetime | None = None
) -> datetime.datetime | None:
    """Enqueue ``task`` for the next ``at``, unless a run waits already or the backend cannot
    defer tasks; the moment it will run, or None."""
    backend = task.get_backend()
    if not backend.supports_defer or _already_waiting(task, backend):
        return None
    when = next_run_after(now or timezone.now(), at)
    task.using(run_after=when).enqueue()
    return when
