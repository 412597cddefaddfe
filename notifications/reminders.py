"""Reminders: each app registers what it reminds people of; one job runs them all.

    register_reminders("agreements.reports", remind_reports)   # from AppConfig.ready()

``remind(now)`` writes its reminders with ``notifications.services.notify`` and claims each
occasion first with ``claim(key)``, in the same transaction: a key that was claimed before is
refused, so running the job twice (cron and the worker, or a retry) sends nothing twice.
"""

from collections.abc import Callable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import ReminderSent

_reminders: dict[str, Callable[[datetime], int]] = {}


def register_reminders(name: str, remind: Callable[[datetime], int]) -> None:
    """``remind(now)`` sends what is due at ``now`` and returns how many reminders it wrote."""
    _reminders[name] = remind


def claim(key: str, *, now: datetime | None = None) -> bool:
    """True once for ``key``: the occasion is now taken. Call it inside the writing transaction."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(key=key[:200], sent_at=now or timezone.now())
    except IntegrityError:
        return False
    return True


def send_reminders(*, now: datetime | None = None) -> dict[str, int]:
    """Run every registered reminder; how many each wrote."""
    now = now or timezone.now()
    return {name: remind(now) for name, remind in sorted(_reminders.items())}
