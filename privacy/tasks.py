"""The retention job, every night, on the task worker: ``python manage.py db_worker``.

django-tasks has no schedule of its own, so each run enqueues the next one with ``run_after``
(start the chain once with ``manage.py apply_retention --schedule``). A run that fails still
schedules the next. Where no worker runs, cron calls ``manage.py apply_retention`` instead; both
may run, as the job is idempotent.
"""

import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from privacy.retention import apply_retention

QUEUE = "default"
#: A quiet hour in the Netherlands.
RUN_AT = datetime.time(3, 30)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@task(queue_name=QUEUE)
def apply_retention_daily() -> dict[str, int]:
    try:
        return apply_retention(now=timezone.now()).as_dict()
    finally:
        schedule_next_run()


def next_run_after(now: datetime.datetime) -> datetime.datetime:
    """The next RUN_AT in Amsterdam that is later than ``now``."""
    local = timezone.localtime(now, AMSTERDAM)
    candidate = datetime.datetime.combine(local.date(), RUN_AT, tzinfo=AMSTERDAM)
    if candidate <= local:
        candidate = datetime.datetime.combine(
            local.date() + datetime.timedelta(days=1), RUN_AT, tzinfo=AMSTERDAM
        )
    return candidate


def _already_waiting(backend) -> bool:
    """A chain is already running: a later run of this task waits in the database queue."""
    if not isinstance(backend, DatabaseBackend):
        return False
    return DBTaskResult.objects.filter(
        task_path=apply_retention_daily.module_path,
        status=TaskResultStatus.READY,
        backend_name=backend.alias,
    ).exists()


def schedule_next_run(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Enqueue the next nightly run, unless one is waiting or the backend cannot defer tasks;
    when it was enqueued, the moment it will run."""
    backend = apply_retention_daily.get_backend()
    if not backend.supports_defer or _already_waiting(backend):
        return None
    when = next_run_after(now or timezone.now())
    apply_retention_daily.using(run_after=when).enqueue()
    return when
