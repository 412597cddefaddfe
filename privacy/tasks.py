"""The retention job, every night, on the task worker: ``python manage.py db_worker``.

django-tasks has no schedule of its own, so each run enqueues the next one with ``run_after``
(start the chain once with ``manage.py apply_retention --schedule``). A run that fails still
schedules the next. Where no worker runs, cron calls ``manage.py apply_retention`` instead; both
may run, as the job is idempotent.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from core import daily
from privacy.retention import apply_retention

QUEUE = "default"
#: A quiet hour in the Netherlands.
RUN_AT = datetime.time(3, 30)


@task(queue_name=QUEUE)
def apply_retention_daily() -> dict[str, int]:
    try:
        return apply_retention(now=timezone.now()).as_dict()
    finally:
        schedule_next_run()


def next_run_after(now: datetime.datetime) -> datetime.datetime:
    return daily.next_run_after(now, RUN_AT)


def schedule_next_run(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Enqueue the next nightly run, unless one is waiting or the backend cannot defer tasks;
    when it was enqueued, the moment it will run."""
    return daily.schedule_next_run(apply_retention_daily, RUN_AT, now=now)
