"""The background task that sends a delivery. Run a worker for its queue:

    python manage.py db_worker --queue-name webhooks

Retries are new tasks enqueued with ``run_after``; a backend that cannot defer tasks (the
immediate one) gets no retry task, and ``manage.py deliver_webhooks --sweep`` queues the
delivery once it is due.
"""

from django.utils import timezone
from django_tasks import task

QUEUE = "webhooks"


@task(queue_name=QUEUE)
def deliver_webhook(delivery_id: int) -> str | None:
    """One attempt at one delivery; returns its state, or None if it was not due or taken."""
    from .delivery import attempt  # noqa: PLC0415 - delivery imports this module (retries)

    return attempt(delivery_id)


def enqueue_delivery(delivery_id: int, *, at=None) -> None:
    runner = deliver_webhook
    if at is not None and at > timezone.now():
        if not runner.get_backend().supports_defer:
            return
        runner = runner.using(run_after=at)
    runner.enqueue(delivery_id)
