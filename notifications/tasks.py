"""The mail worker's tasks: ``python manage.py db_worker --backend mail --queue-name mail``.

- ``send_notification`` sends one message, enqueued after the commit that wrote it; a failed
  attempt enqueues the next one with ``run_after`` (back-off in ``notifications.mailer``).
- ``daily_mail`` runs every morning: the reminders every app registered, the daily e-mails, and
  a sweep of anything still pending. django-tasks has no schedule of its own, so each run
  enqueues the next with ``run_after`` (start the chain once with ``send_reminders --schedule``);
  where no worker runs, cron calls ``manage.py send_reminders`` instead. Both may run: every part
  is idempotent.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from core import daily
from notifications import mailer
from notifications.digests import send_digests
from notifications.models import Notification
from notifications.reminders import send_reminders

BACKEND = "mail"
QUEUE = "mail"
#: Early morning in the Netherlands: reminders and the daily e-mail are read with the coffee.
RUN_AT = datetime.time(7, 30)


@task(backend=BACKEND, queue_name=QUEUE)
def send_notification(notification_id: int) -> str | None:
    state = mailer.deliver(notification_id)
    if state == "pending":
        _retry_later(notification_id)
    return state


def _retry_later(notification_id: int) -> None:
    retry_at = (
        Notification.objects.filter(pk=notification_id).values_list("next_attempt_at", flat=True)
    ).first()
    backend = send_notification.get_backend()
    if retry_at and backend.supports_defer:
        send_notification.using(run_after=retry_at).enqueue(notification_id)
    # Without deferred tasks the sweep (send_reminders, or send_notifications) retries it.


def enqueue_sending(notification_ids) -> None:
    """Enqueue each message on its own: one that fails never holds back the others."""
    for notification_id in notification_ids:
        send_notification.enqueue(notification_id)


def run_daily(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    reminders = send_reminders(now=now)
    # After the reminders: this morning's belong in this morning's daily e-mail.
    after = max(now, timezone.now())
    return {
        "reminders": reminders,
        "digests": send_digests(now=after),
        "sent": mailer.send_due(now=after),
    }


@task(backend=BACKEND, queue_name=QUEUE)
def daily_mail() -> dict:
    try:
        return run_daily()
    finally:
        schedule_next_run()


def next_run_after(now: datetime.datetime) -> datetime.datetime:
    return daily.next_run_after(now, RUN_AT)


def schedule_next_run(*, now: datetime.datetime | None = None) -> datetime.datetime | None:
    """Enqueue tomorrow's run unless one is waiting or the backend cannot defer tasks."""
    return daily.schedule_next_run(daily_mail, RUN_AT, now=now)
